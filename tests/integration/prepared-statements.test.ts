/**
 * On PostgreSQL each parameterised statement is prepared once per connection and then only bound
 * and executed (src/db/prepared.ts). These tests hold the behaviour the rest of the code relies on:
 * the same answers as before, several statements in one parameterless text still allowed, a failed
 * statement leaves the connection usable, and the number of names per connection is bounded.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { withPreparedStatements } from '../../src/db/prepared.ts';

const engines = (await testEngines()).filter((e) => e === 'postgres');

for (const engine of engines) {
  describe(`prepared statements (${engine})`, () => {
    let database: TestDatabase;
    let pool: pg.Pool;
    let db: Kysely<Record<string, never>>;

    before(async () => {
      database = await createTestDatabase(engine);
      // One connection, so every query below meets the statements the ones before it prepared.
      pool = new pg.Pool({ connectionString: database.pool.options.connectionString, max: 1 });
      db = new Kysely({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool, { maxNamedPerConnection: 3 }) }) });
    });
    after(async () => {
      await db.destroy();
      await database.dispose();
    });

    const prepared = async () =>
      (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'ob_%' ORDER BY prepare_time`.execute(db)).rows.map((r) => r.statement);

    it('a parameterised statement is prepared once and gives the same answers each time it runs', async () => {
      for (const n of [1, 2, 3]) {
        const { rows } = await sql<{ doubled: number }>`SELECT ${n}::int * 2 AS doubled`.execute(db);
        assert.deepEqual(rows, [{ doubled: n * 2 }]);
      }
      const named = await prepared();
      assert.equal(named.filter((s) => s.includes('* 2 AS doubled')).length, 1, 'one prepared statement for three runs');
    });

    it('a text without parameters still runs as a simple query, several statements at once', async () => {
      await sql.raw('BEGIN; SELECT 1; COMMIT').execute(db);
      assert.ok((await prepared()).every((s) => !s.includes('SELECT 1;')));
    });

    it('a statement that fails leaves the connection usable, and runs again once its input is good', async () => {
      const divide = (by: number) => sql<{ q: number }>`SELECT 10 / ${by}::int AS q`.execute(db);
      await assert.rejects(divide(0), /division by zero/);
      assert.deepEqual((await divide(5)).rows, [{ q: 2 }]);
    });

    it('past the limit of names on a connection, new statements run unnamed and still answer', async () => {
      for (let i = 0; i < 5; i++) {
        const { rows } = await sql<{ v: string }>`${sql.raw(`SELECT 'text ${i}' || `)}${'!'}::text AS v`.execute(db);
        assert.deepEqual(rows, [{ v: `text ${i}!` }]);
      }
      assert.equal((await prepared()).length, 3, 'no more than the limit are prepared on one connection');
    });
  });
}
