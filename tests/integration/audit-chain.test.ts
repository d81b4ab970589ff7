/** The audit log on both engines: the database chains every event, and a tampered copy is caught. */
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { repositories } from '../../src/db/repositories/index.ts';
import { verifyAuditChains } from '../../src/services/audit.ts';
import { auditChainReader } from '../../src/db/audit-chain.ts';
import { describeBreak } from '../../src/domain/audit/chain.ts';

for (const engine of await testEngines()) {
  describe(`audit hash chain (${engine})`, () => {
    let database: TestDatabase;
    let north: CouncilFixture;
    let south: CouncilFixture;

    const record = (council: CouncilFixture, action: string, detail?: Record<string, unknown>) =>
      tenantRunner(database)(council.councilId, (tx) =>
        repositories(tx).audit.record({
          councilId: council.councilId,
          occurredAt: new Date('2026-11-20T10:00:00.123Z'),
          actorId: council.accountId,
          actorRole: 'caseworker',
          action,
          subjectType: 'person',
          subjectId: council.personId,
          sourceAddress: '127.0.0.1',
          requestId: 'req-1',
          ...(detail ? { detail } : {}),
        }),
      );

    before(async () => {
      database = await createTestDatabase(engine);
      north = await addCouncil(database, 'north');
      south = await addCouncil(database, 'south');
    });
    after(async () => database.dispose());

    it('numbers each council’s events 1, 2, 3… and links each to the one before', async () => {
      await record(north, 'person.viewed');
      await record(south, 'person.viewed');
      await record(north, 'person.changed', { before: { name: 'Ann' }, after: { name: 'Anne "Nan" | Smith' }, note: 'ünïcødé ✓' });
      const rows = await database.db.selectFrom('audit_events').select(['council_id', 'seq', 'prev_hash', 'hash']).orderBy('id').execute();
      const northRows = rows.filter((r) => r.council_id === north.councilId);
      assert.deepEqual(northRows.map((r) => r.seq), [1n, 2n]);
      assert.equal(northRows[0]?.prev_hash, '');
      assert.equal(northRows[1]?.prev_hash, northRows[0]?.hash);
      assert.deepEqual(rows.filter((r) => r.council_id === south.councilId).map((r) => r.seq), [1n]);
    });

    it('keeps one unbroken chain when many requests write at once', async () => {
      await Promise.all(Array.from({ length: 12 }, (_, i) => record(north, `concurrent.${i}`)));
      const reports = await verifyAuditChains(auditChainReader(database.db));
      const report = reports.find((r) => r.councilSlug === 'north');
      assert.equal(report?.events, 14);
      assert.deepEqual(report?.breaks.map(describeBreak), []);
    });

    it('writes an event left for the COMMIT exactly as given, whatever its text holds, and chains it', async () => {
      // The values are written into the statement as literals (src/db/repositories/audit.ts): quotes,
      // backslashes, SQL and unicode must come back as they were, and nothing else may run.
      const texts = ["O'Brien", 'back\\slash \\\' quote', "'); DELETE FROM audit_events; --", '$$ dollar $$', 'ünïcødé ✓ “quoted”', 'line\nbreak\ttab'];
      for (const text of texts) {
        await tenantRunner(database)(north.councilId, async (tx) => {
          repositories(tx).audit.recordAtCommit({
            councilId: north.councilId,
            occurredAt: new Date('2026-11-20T10:00:00.456Z'),
            actorId: north.accountId,
            actorRole: 'caseworker',
            action: 'person.statement_viewed',
            subjectType: 'person',
            subjectId: north.personId,
            sourceAddress: text,
            requestId: text,
            reason: text,
            detail: { text, nested: { text } },
          });
        });
      }
      const rows = await database.db
        .selectFrom('audit_events')
        .select(['occurred_at', 'source_address', 'request_id', 'reason', 'detail', 'seq'])
        .where('council_id', '=', north.councilId)
        .where('action', '=', 'person.statement_viewed')
        .orderBy('seq')
        .execute();
      assert.deepEqual(rows.map((r) => r.reason), texts);
      for (const [i, row] of rows.entries()) {
        assert.equal(row.source_address, texts[i]);
        assert.equal(row.request_id, texts[i]);
        assert.deepEqual(typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail, { text: texts[i], nested: { text: texts[i] } });
        assert.equal(new Date(row.occurred_at as unknown as string).toISOString(), '2026-11-20T10:00:00.456Z');
      }
      const report = (await verifyAuditChains(auditChainReader(database.db))).find((r) => r.councilSlug === 'north');
      assert.equal(report?.events, 14 + texts.length);
      assert.deepEqual(report?.breaks.map(describeBreak), []);
    });

    it('leaves no event for the COMMIT when the transaction fails after asking for it', async () => {
      const count = async () => Number((await database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      await assert.rejects(
        tenantRunner(database)(north.councilId, async (tx) => {
          repositories(tx).audit.recordAtCommit({ councilId: north.councilId, occurredAt: new Date(), actorId: null, actorRole: null, action: 'never.written' });
          throw new Error('refused after the event was asked for');
        }),
        /refused after/,
      );
      assert.equal(await count(), before);
    });

    it('recomputes, outside the database, exactly the hashes the database wrote', async () => {
      for (const report of await verifyAuditChains(auditChainReader(database.db))) assert.deepEqual(report.breaks.map(describeBreak), [], report.councilSlug);
    });

    it('names the event when a copy of the log has been altered, and when one was removed', async () => {
      // Only an owner who switches off the append-only guard can do this: exactly what verify is for.
      await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(database.db);
      try {
        await sql`UPDATE audit_events SET reason = 'covering tracks' WHERE council_id = ${north.councilId} AND seq = 2`.execute(database.db);
        await sql`DELETE FROM audit_events WHERE council_id = ${north.councilId} AND seq = 5`.execute(database.db);
      } finally {
        await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`.execute(database.db);
      }
      const report = (await verifyAuditChains(auditChainReader(database.db))).find((r) => r.councilSlug === 'north');
      const described = report?.breaks.map(describeBreak) ?? [];
      assert.ok(described.some((d) => /^event 2 .* was changed after it was written/.test(d)), described.join('\n'));
      assert.ok(described.some((d) => /after event 4 the next event should be 5: events were removed/.test(d)), described.join('\n'));
      const untouched = (await verifyAuditChains(auditChainReader(database.db))).find((r) => r.councilSlug === 'south');
      assert.deepEqual(untouched?.breaks, [], 'another council’s chain is unaffected');
    });
  });
}

describe('upgrading a database that already has audit events', () => {
  it('chains the events written before the chain existed, in the order they were written', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { openDatabase } = await import('../../src/db/database.ts');
    const lite = await PGlite.create();
    const database = await openDatabase({ pglite: lite, queryTimeoutMs: 10_000 });
    try {
      const dir = path.join('src', 'db', 'migrations');
      await sql.raw(fs.readFileSync(path.join(dir, '0001_foundation.sql'), 'utf8')).execute(database.db);
      // Only what migration 0001 had: a council (its staff table was later renamed to accounts).
      const council = { councilId: crypto.randomUUID() };
      await database.db.insertInto('councils').values({ id: council.councilId, slug: 'legacy', name: 'Legacy Council' }).execute();
      for (const action of ['account.signed_in', 'person.viewed', 'person.viewed']) {
        await database.db
          .insertInto('audit_events')
          .values({ council_id: council.councilId, occurred_at: new Date('2026-01-01T09:00:00Z'), actor_id: null, actor_role: null, action, subject_type: null, subject_id: null, source_address: null, request_id: null, reason: null, detail: null })
          .execute();
      }
      await sql.raw(fs.readFileSync(path.join(dir, '0002_audit_chain.sql'), 'utf8')).execute(database.db);
      await record(database, council);
      const [report] = await verifyAuditChains(auditChainReader(database.db));
      assert.equal(report?.events, 4);
      assert.deepEqual(report?.breaks, []);
    } finally {
      await database.close();
      await lite.close();
    }
  });
});

async function record(database: Parameters<typeof tenantRunner>[0], council: Pick<CouncilFixture, 'councilId'>): Promise<void> {
  await tenantRunner(database)(council.councilId, (tx) =>
    repositories(tx).audit.record({ councilId: council.councilId, occurredAt: new Date(), actorId: null, actorRole: null, action: 'after.upgrade' }),
  );
}
