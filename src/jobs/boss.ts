/**
 * The background job queue: pg-boss 10 (the last release for Node 20) in the schema `pgboss` of our
 * own database, reached through our own pool (its `db` adapter), so that it runs the same on
 * PostgreSQL and on PGlite, which has one connection only. See docs/decisions/0018-payment-runs.md.
 *
 * pg-boss gives at-least-once: a job whose worker dies (kill -9) stays "active" until it has been
 * active longer than `expireInSeconds`; the next maintenance pass (every
 * `maintenanceIntervalSeconds`, in whichever process is alive) fails it, and it is retried while
 * `retryLimit` allows. A job body must therefore be safe to run twice — payment runs are, through
 * their ledger keys.
 */
import PgBoss from 'pg-boss';
import type { Database } from '../db/database.ts';
import type { JobsConfig } from '../config.ts';

export const JOB_SCHEMA = 'pgboss';

export interface Jobs {
  readonly boss: PgBoss;
  readonly config: JobsConfig;
  /** Stops polling and maintenance; jobs still active are failed so that they are retried. Leaves the database open. */
  stop(): Promise<void>;
}

/**
 * Starts pg-boss on `database`: creates or migrates its schema, then maintenance (expiring jobs of
 * dead workers). Workers are added by each queue's module (src/jobs/payment-run.ts).
 */
export async function startJobs(database: Database, config: JobsConfig, onError: (error: unknown) => void): Promise<Jobs> {
  const boss = new PgBoss({
    schema: JOB_SCHEMA,
    // Our pool, not one of pg-boss's own: on PGlite there is only one connection to share.
    db: {
      executeSql: async (text: string, values?: unknown[]) => database.pool.query(text, values),
    },
    supervise: true,
    // Cron scheduling is not used; it would poll a table for nothing.
    schedule: false,
    maintenanceIntervalSeconds: config.maintenanceIntervalSeconds,
    pollingIntervalSeconds: config.pollingIntervalSeconds,
  });
  boss.on('error', onError);
  await boss.start();
  return {
    boss,
    config,
    async stop() {
      // graceful: wait (briefly) for handlers in flight; close: false, the pool is ours.
      await boss.stop({ graceful: true, close: false, timeout: 5_000, wait: true });
    },
  };
}
