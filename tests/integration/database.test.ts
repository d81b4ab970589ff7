/** The data layer's promises on both engines: migrations, types, append-only audit, timeouts. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/database.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { repositories } from '../../src/db/repositories/index.ts';

for (const engine of await testEngines()) {
  describe(`database (${engine})`, () => {
    let database: TestDatabase;
    let council: CouncilFixture;

    before(async () => {
      database = await createTestDatabase(engine);
      council = await addCouncil(database, 'gamma');
    });
    after(async () => database.dispose());

    it('runs each migration once: a second run applies nothing', async () => {
      assert.deepEqual((await migrate(database)).applied, []);
    });

    it('reads dates as YYYY-MM-DD and money as exact bigint pence', async () => {
      const person = await tenantRunner(database)(council.councilId, (tx) => repositories(tx).people.findById(council.personId));
      assert.equal(person?.dateOfBirth, '2015-03-01');
      assert.equal(person?.indicativeBudgetPence, 1_250_000n);
      const big = await sql<{ n: bigint }>`SELECT 9007199254740993::bigint AS n`.execute(database.db);
      assert.equal(big.rows[0]?.n, 9_007_199_254_740_993n);
    });

    it('keeps the audit log append-only: the database refuses UPDATE and DELETE', async () => {
      const withCouncil = tenantRunner(database);
      await withCouncil(council.councilId, (tx) =>
        repositories(tx).audit.record({ councilId: council.councilId, occurredAt: new Date(), actorId: null, actorRole: null, action: 'test.event' }),
      );
      await assert.rejects(sql`UPDATE audit_events SET action = 'changed'`.execute(database.db), /append-only/);
      await assert.rejects(sql`DELETE FROM audit_events`.execute(database.db), /append-only/);
      await assert.rejects(
        withCouncil(council.councilId, (tx) => sql`DELETE FROM audit_events`.execute(tx)),
        /permission denied|append-only/,
      );
    });

    if (engine === 'postgres') {
      it('cancels a statement that runs longer than DB_QUERY_TIMEOUT_MS', async () => {
        const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
        const short = await openDatabase({ databaseUrl: url, queryTimeoutMs: 300 });
        try {
          const started = Date.now();
          await assert.rejects(sql`SELECT pg_sleep(3)`.execute(short.db), /statement timeout/);
          assert.ok(Date.now() - started < 2500, 'the statement was cut short');
        } finally {
          await short.close();
        }
      });
    }
  });
}
