/**
 * `npm start`: validate the configuration, open and migrate the database, seed the demo councils
 * into an empty database, serve, and shut down cleanly on SIGTERM or SIGINT.
 */
import { pino, type Logger } from 'pino';
import { loadConfigOrExit, type Config } from './config.ts';
import { systemClock } from './clock.ts';
import { openDatabase, type Database } from './db/database.ts';
import { DataDirLockedError } from './db/lock.ts';
import { migrate } from './db/migrate.ts';
import { services } from './services/index.ts';
import { mailerFromConfig } from './services/mail/from-config.ts';
import { hashNewPassword } from './services/passwords.ts';
import { secretBox } from './services/secret-box.ts';
import { buildApp } from './web/app.ts';
import { seedDemo, isEmpty } from './demo/seed.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, demoAccounts } from './demo/accounts.ts';
import { groupInFours } from './domain/identity/totp.ts';
import { startJobs } from './jobs/boss.ts';
import { paymentRunQueue, startPaymentRunWorker } from './jobs/payment-run.ts';
import type { PaymentRunQueue } from './services/payment-runs.ts';
import { systemRepository } from './db/system.ts';

async function seedIfEmpty(database: Database, config: Config, log: Logger): Promise<boolean> {
  if (!(await isEmpty(database))) return false;
  const started = Date.now();
  // The new starter has no authenticator app yet, so the password must meet the longer rule.
  const passwordHash = await hashNewPassword(DEMO_PASSWORD, { hasMfa: false });
  // Demo staff get the published demo authenticator secret only in demo mode, never in production.
  const mfa = config.demoMode ? { secrets: secretBox(config.sessionSecret) } : undefined;
  const summary = await seedDemo(database, { passwordHash, today: systemClock.today(), mfa });
  for (const c of summary.councils) {
    log.info({ council: c.slug, people: c.people, staff: c.staff, providers: c.providers, services: c.services, plans: c.plans, money: c.money }, 'seeded demo council');
  }
  log.info({ ms: Date.now() - started }, 'demo data ready');
  return true;
}

export function printDemoAccounts(config: Config): void {
  const url = `http://localhost:${config.port}`;
  const lines = [
    '',
    `OneBudget is running at ${url}`,
    '',
    `Demo accounts (every one uses the password: ${DEMO_PASSWORD})`,
    ...demoAccounts().map((a) => `  ${a.email.padEnd(32)} ${a.jobTitle} (${a.role.replace('_', ' ')})`),
    '',
    ...(config.demoMode
      ? [
          'Demo mode: staff sign in with a code from the published demo authenticator secret',
          `  ${groupInFours(DEMO_TOTP_SECRET)}`,
          'and the sign-in page shows the current code. newstarter@northam.example sets up an app instead.',
          '',
        ]
      : []),
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = pino({ level: config.logLevel });
  let database: Database;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      queryTimeoutMs: config.queryTimeoutMs,
      onConnectionError: (error) => log.error({ err: error }, 'an idle database connection failed and was dropped'),
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(`OneBudget cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const { applied } = await migrate(database);
  if (applied.length > 0) log.info({ applied }, 'database migrated');
  const seeded = config.demoData ? await seedIfEmpty(database, config, log) : false;
  // Background jobs (pg-boss, schema pgboss): payment runs. docs/decisions/0018-payment-runs.md
  // Started while the app starts listening, not before: pg-boss's start (its schema, its
  // maintenance) takes seconds and no page needs it. A run created meanwhile waits for the queue.
  const jobsStarting = startJobs(database, config.jobs, (error) => log.error({ err: error }, 'job queue error'));
  const queueStarting = jobsStarting.then((jobs) => paymentRunQueue(jobs));
  const runQueue: PaymentRunQueue = { send: async (job) => (await queueStarting).send(job) };

  const wired = services({
      database,
      clock: systemClock,
      sessionIdleMinutes: config.sessionIdleMinutes,
      sessionSecret: config.sessionSecret,
      mfaIssuer: config.mfaIssuer,
      oidc: config.oidc,
      demoTotpSecret: config.demoMode ? DEMO_TOTP_SECRET : undefined,
      mailer: mailerFromConfig(config.mail, { log, clock: systemClock }),
      publicBaseUrl: config.publicBaseUrl,
      onBackgroundError: (error) => log.error({ err: error }, 'background job failed'),
      paymentRunQueue: runQueue,
      paymentRunBatchSize: config.jobs.paymentRunBatchSize,
  });
  const app = await buildApp(wired, config);
  await app.listen({ host: config.host, port: config.port });
  // What-if runs that a stopped process left unfinished start again (they only read, so this is safe).
  const resumed = await wired.allocationAnalysis.resumeUnfinished();
  if (resumed > 0) log.info({ resumed }, 'impact runs resumed');
  app.server.once('close', wired.cases.startReminders((error) => log.error({ err: error }, 'case deadline reminders failed')));
  const jobs = await jobsStarting;
  const runWorker = await startPaymentRunWorker({
    jobs,
    queue: await queueStarting,
    paymentRuns: wired.paymentRuns,
    councilIds: async () => (await systemRepository(database.db).listCouncils()).map((c) => c.id),
    onError: (error) => log.error({ err: error }, 'payment run job failed (it will be tried again)'),
  });
  if (runWorker.resumed > 0) log.info({ runs: runWorker.resumed }, 'payment runs resumed');
  log.info({ engine: database.engine, dataDir: database.engine === 'pglite' ? config.dataDir : undefined, seeded, mail: config.mail.transport }, 'OneBudget started');
  if (config.demoData) printDemoAccounts(config);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await app.close();
      await runWorker.stop();
      await jobs.stop();
      await database.close();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('OneBudget failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
