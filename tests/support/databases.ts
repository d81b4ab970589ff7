/**
 * Fresh, isolated databases for integration tests, on both engines.
 * - PGlite: a migrated database is prepared once per process and cloned for each test (fast).
 * - PostgreSQL: a new database per test on TEST_DATABASE_URL, or the server on 127.0.0.1:5432 when
 *   one answers; dropped afterwards. With CI=true a missing PostgreSQL is a failure, not a skip.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, type Database, type Engine } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const QUERY_TIMEOUT_MS = 15_000;

let template: Promise<Blob> | undefined;

async function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const lite = await PGlite.create();
    const database = await openDatabase({ pglite: lite, queryTimeoutMs: QUERY_TIMEOUT_MS });
    await migrate(database);
    await database.close();
    const dump = await lite.dumpDataDir('none');
    await lite.close();
    return dump;
  })();
  return template;
}

export interface TestDatabase extends Database {
  /** Closes and removes the database. */
  dispose(): Promise<void>;
}

let postgresAvailable: Promise<boolean> | undefined;

export function isPostgresAvailable(): Promise<boolean> {
  postgresAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresAvailable;
}

/** The engines this run covers. In CI PostgreSQL is required. */
export async function testEngines(): Promise<Engine[]> {
  if (await isPostgresAvailable()) return ['pglite', 'postgres'];
  if (process.env.CI === 'true' || process.env.REQUIRE_POSTGRES === 'true') {
    throw new Error(`PostgreSQL is required for the integration tests but did not answer at ${ADMIN_URL}`);
  }
  console.error(`# PostgreSQL not reachable at ${ADMIN_URL}: integration tests run on PGlite only`);
  return ['pglite'];
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const lite = await PGlite.create({ loadDataDir: await pgliteTemplate() });
    const database = await openDatabase({ pglite: lite, queryTimeoutMs: QUERY_TIMEOUT_MS });
    return {
      ...database,
      close: database.close,
      dispose: async () => {
        await database.close().catch(() => undefined); // a test may have closed it already
        await lite.close();
      },
    };
  }
  const name = `onebudget_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), queryTimeoutMs: QUERY_TIMEOUT_MS, onConnectionError: () => undefined });
  await migrate(database);
  return {
    ...database,
    dispose: async () => {
      await database.close().catch(() => undefined); // a test may have closed it already
      const cleanup = new pg.Client({ connectionString: ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
