/**
 * A process that only works the background job queue (no web server): `node --import tsx
 * src/jobs/worker.ts`. The same code `npm start` runs for its jobs (src/main.ts), for a council
 * that runs workers apart from the web servers, and for `npm run test:crash`, which kills one with
 * SIGKILL in the middle of a payment run and starts another (scripts/test-crash.ts).
 * Configured like the app (src/config.ts): DATABASE_URL, JOB_*, PAYMENT_RUN_BATCH_SIZE, LOG_LEVEL.
 */
import { pino } from 'pino';
import { systemClock } from '../clock.ts';
import { loadConfigOrExit } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { systemRepository } from '../db/system.ts';
import { tenantRunner } from '../db/tenancy.ts';
import { ledgerServices } from '../services/ledger.ts';
import { paymentRunServices } from '../services/payment-runs.ts';
import { startJobs } from './boss.ts';
import { paymentRunQueue, startPaymentRunWorker } from './payment-run.ts';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = pino({ level: config.logLevel });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    queryTimeoutMs: config.queryTimeoutMs,
    onConnectionError: (error) => log.error({ err: error }, 'an idle database connection failed and was dropped'),
  });
  await migrate(database);
  const jobs = await startJobs(database, config.jobs, (error) => log.error({ err: error }, 'job queue error'));
  const queue = await paymentRunQueue(jobs);
  const withCouncil = tenantRunner(database);
  const paymentRuns = paymentRunServices({
    withCouncil,
    clock: systemClock,
    ledger: ledgerServices({ withCouncil, clock: systemClock }),
    queue,
    batchSize: config.jobs.paymentRunBatchSize,
  });
  const worker = await startPaymentRunWorker({
    jobs,
    queue,
    paymentRuns,
    councilIds: async () => (await systemRepository(database.db).listCouncils()).map((c) => c.id),
    onError: (error) => log.error({ err: error }, 'payment run job failed (it will be tried again)'),
  });
  log.info({ resumed: worker.resumed, engine: database.engine }, 'job worker started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'job worker stopping');
    await worker.stop();
    await jobs.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('The job worker failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
