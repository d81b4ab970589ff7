/**
 * Opens the database: a real PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite
 * (PostgreSQL compiled to WebAssembly) in DATA_DIR. Both are reached through a node-postgres Pool,
 * so Kysely and every repository run one code path on either engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import type { Schema } from './schema.ts';
import { lockDataDir, type DataDirLock } from './lock.ts';
import { withPreparedStatements } from './prepared.ts';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  readonly engine: Engine;
  readonly pool: pg.Pool;
  /** The owner connection: migrations, seeding and the few cross-council look-ups in system.ts. */
  readonly db: Kysely<Schema>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  readonly databaseUrl?: string | undefined;
  readonly dataDir?: string;
  readonly queryTimeoutMs: number;
  /** An already-open PGlite (tests clone a prepared one); the caller keeps ownership. */
  readonly pglite?: PGlite;
  /**
   * Told when an idle connection fails (the server restarted, or an administrator ended it). The pool
   * drops that connection and opens a new one when next needed; without a listener node-postgres
   * would crash the process.
   */
  readonly onConnectionError?: (error: Error) => void;
}

// node-postgres turns DATE into a JS Date at local midnight, which shifts days across time zones.
// We keep dates as 'YYYY-MM-DD' strings and bigint money as bigint.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => BigInt(value));

function reportConnectionError(error: Error): void {
  console.error(`An idle database connection failed and was dropped: ${error.message}`);
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl !== undefined) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      statement_timeout: options.queryTimeoutMs,
      query_timeout: options.queryTimeoutMs + 1000,
      connectionTimeoutMillis: options.queryTimeoutMs,
      application_name: 'onebudget',
    });
    pool.on('error', (error) => (options.onConnectionError ?? reportConnectionError)(error));
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }) });
    return {
      engine: 'postgres',
      pool,
      db,
      close: async () => {
        await db.destroy();
      },
    };
  }
  return openEmbedded(options);
}

async function openEmbedded(options: DatabaseOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  let lock: DataDirLock | undefined;
  let lite = options.pglite;
  const owned = lite === undefined;
  if (lite === undefined) {
    if (options.dataDir === undefined) throw new Error('The embedded database needs a data directory');
    lock = lockDataDir(options.dataDir);
    try {
      const dbDir = path.join(options.dataDir, 'pglite');
      fs.mkdirSync(dbDir, { recursive: true });
      lite = await PGlite.create(dbDir);
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  // PGlite runs in this process and has one connection, so queries are serialised. A statement
  // cannot be interrupted once running (no signals in WebAssembly); the timeouts bound the wait for
  // the connection and any statement that yields. See docs/decisions/0002-embedded-database.md.
  const pool = new pg.Pool({
    ...createPgConfig(lite),
    max: 1,
    query_timeout: options.queryTimeoutMs,
    connectionTimeoutMillis: options.queryTimeoutMs,
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const instance = lite;
  return {
    engine: 'pglite',
    pool,
    db,
    close: async () => {
      await db.destroy();
      if (owned) await instance.close();
      lock?.release();
    },
  };
}
