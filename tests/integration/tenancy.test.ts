/**
 * A council's data can never be reached from another council's scope, whatever SQL a repository runs.
 * Runs on the embedded PGlite and on PostgreSQL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { tenantRunner, type WithCouncil } from '../../src/db/tenancy.ts';
import { repositories } from '../../src/db/repositories/index.ts';

/** The only tables that belong to no council: reached through src/db/system.ts or the migrator. */
const NOT_TENANT_TABLES = ['councils', 'sign_in_attempts', 'schema_migrations'];

/** Every other table in the schema, read from the catalogue, so that a new table cannot be missed. */
async function tenantTables(database: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ relname: string }>`
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname`.execute(database.db);
  return rows.map((r) => r.relname).filter((name) => !NOT_TENANT_TABLES.includes(name));
}

for (const engine of await testEngines()) {
  describe(`tenant isolation (${engine})`, () => {
    let database: TestDatabase;
    let withCouncil: WithCouncil;
    let a: CouncilFixture;
    let b: CouncilFixture;

    before(async () => {
      database = await createTestDatabase(engine);
      withCouncil = tenantRunner(database);
      a = await addCouncil(database, 'alpha', { passwordHash: 'not-a-real-hash', mfa: true });
      b = await addCouncil(database, 'beta', { passwordHash: 'not-a-real-hash', mfa: true });
    });
    after(async () => database.dispose());

    it('a query with no filter at all returns only the scoped council’s rows', async () => {
      const rows = await withCouncil(a.councilId, (tx) => tx.selectFrom('people').select(['id', 'council_id']).execute());
      assert.equal(rows.length, 2);
      assert.ok(rows.every((r) => r.council_id === a.councilId));
    });

    it('asking for another council’s rows by id or by council_id returns nothing', async () => {
      const byId = await withCouncil(a.councilId, (tx) => repositories(tx).people.findById(b.personId));
      assert.equal(byId, undefined);
      const byCouncil = await withCouncil(a.councilId, (tx) =>
        tx.selectFrom('people').selectAll().where('council_id', '=', b.councilId).execute(),
      );
      assert.deepEqual(byCouncil, []);
      const raw = await withCouncil(a.councilId, (tx) => sql<{ n: string }>`SELECT count(*) AS n FROM people`.execute(tx));
      assert.equal(Number(raw.rows[0]?.n), 2);
    });

    it('every table but the council list and the sign-in throttle has a council and the row-level security policy', async () => {
      const tables = await tenantTables(database);
      assert.ok(tables.length >= 15, `only ${tables.length} tenant tables found`);
      const { rows } = await sql<{ relname: string; rls: boolean; policy: boolean; council: boolean }>`
        SELECT c.relname, c.relrowsecurity AS rls,
               EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation') AS policy,
               EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'council_id' AND a.attnotnull) AS council
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r'`.execute(database.db);
      const unprotected = rows
        .filter((r) => tables.includes(r.relname) && !(r.rls && r.policy && r.council))
        .map((r) => `${r.relname}: ${[!r.council && 'no council_id', !r.rls && 'row-level security off', !r.policy && 'no tenant_isolation policy'].filter(Boolean).join(', ')}`);
      assert.deepEqual(unprotected, []);
    });

    it('every tenant table hides other councils’ rows, including joins and aggregates', async () => {
      for (const table of await tenantTables(database)) {
        const result = await withCouncil(a.councilId, (tx) =>
          sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE council_id <> ${a.councilId}`.execute(tx),
        );
        assert.equal(Number(result.rows[0]?.n), 0, `${table} leaked rows from another council`);
      }
      const joined = await withCouncil(a.councilId, (tx) =>
        sql<{ n: string }>`SELECT count(*) AS n FROM people p JOIN budget_lines l ON l.person_id = p.id`.execute(tx),
      );
      assert.equal(Number(joined.rows[0]?.n), 1);
    });

    it('writing a row for another council is refused', async () => {
      await assert.rejects(
        withCouncil(a.councilId, (tx) =>
          tx
            .insertInto('funding_streams')
            .values({ id: crypto.randomUUID(), council_id: b.councilId, code: 'health_continuing_care', name: 'x', funder: 'x', annual_envelope_pence: 0n })
            .execute(),
        ),
        /row-level security/,
      );
    });

    it('changing or deleting another council’s rows touches nothing', async () => {
      const updated = await withCouncil(a.councilId, (tx) =>
        tx.updateTable('people').set({ given_name: 'Changed' }).where('id', '=', b.personId).executeTakeFirst(),
      );
      assert.equal(updated.numUpdatedRows, 0n);
      const deleted = await withCouncil(a.councilId, (tx) => tx.deleteFrom('budget_lines').where('council_id', '=', b.councilId).executeTakeFirst());
      assert.equal(deleted.numDeletedRows, 0n);
      const still = await withCouncil(b.councilId, (tx) => repositories(tx).people.findById(b.personId));
      assert.equal(still?.givenName, 'Alex');
      assert.equal(still?.budgetLines.length, 1);
    });

    it('moving a row into another council is refused', async () => {
      await assert.rejects(
        withCouncil(a.councilId, (tx) => tx.updateTable('people').set({ council_id: b.councilId }).where('id', '=', a.personId).execute()),
        /row-level security/,
      );
    });

    it('the scope ends with its transaction: a later transaction without one sees no tenant rows', async () => {
      await withCouncil(a.councilId, (tx) => tx.selectFrom('people').select('id').execute());
      const outside = await database.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL ROLE onebudget_app`.execute(trx);
        return trx.selectFrom('people').select('id').execute();
      });
      assert.deepEqual(outside, [], 'without a council in scope no tenant row is visible');
    });

    it('a scope whose work fails is rolled back and leaves nothing behind on the connection', async () => {
      const peopleOfA = async () => (await database.db.selectFrom('people').select('id').where('council_id', '=', a.councilId).execute()).length;
      const before = await peopleOfA();
      // A statement that fails (the transaction is aborted), and work that throws after a write.
      await assert.rejects(withCouncil(a.councilId, async (tx) => sql`SELECT 1 / 0`.execute(tx)), /division by zero/);
      await assert.rejects(
        withCouncil(a.councilId, async (tx) => {
          await tx.deleteFrom('people').where('council_id', '=', a.councilId).execute();
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(await peopleOfA(), before, 'the delete was rolled back');
      const after = await sql<{ council: string | null; role: string }>`SELECT nullif(current_setting('app.council_id', true), '') AS council, current_user AS role`.execute(database.db);
      assert.equal(after.rows[0]?.council, null, 'no council left in scope');
      assert.notEqual(after.rows[0]?.role, 'onebudget_app', 'the scoped role ended with the transaction');
      assert.equal((await withCouncil(b.councilId, (tx) => tx.selectFrom('people').select('council_id').execute())).every((r) => r.council_id === b.councilId), true);
    });

    it('a scope asked to reuse generic plans sets that for its own transaction only', async () => {
      const mode = (tx: Parameters<Parameters<WithCouncil>[1]>[0]) =>
        sql<{ mode: string }>`SELECT current_setting('plan_cache_mode') AS mode`.execute(tx).then((r) => r.rows[0]?.mode);
      assert.equal(await withCouncil(a.councilId, mode, { genericPlans: true }), 'force_generic_plan');
      assert.equal(await withCouncil(a.councilId, mode), 'auto', 'the next scope on the pool plans as usual');
      const rows = await withCouncil(a.councilId, (tx) => tx.selectFrom('people').select('council_id').execute(), { genericPlans: true });
      assert.ok(rows.length > 0 && rows.every((r) => r.council_id === a.councilId), 'the council scope still applies');
    });

    it('an invalid council id is refused before any query runs', async () => {
      await assert.rejects(withCouncil("' OR 1=1 --", async () => 1), /council id/);
    });
  });
}
