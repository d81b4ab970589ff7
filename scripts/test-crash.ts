/**
 * `npm run test:crash`: a payment run survives kill -9 and pays every instalment exactly once.
 *
 * On PostgreSQL (a fresh database on TEST_DATABASE_URL's server, 127.0.0.1:5432 by default, dropped
 * at the end):
 *  1. seeds 10,000 direct payments, each with one instalment due: people, cases, plans, personal
 *     budgets and their lines and schedules by SQL; the ledger accounts, and the allocations posted
 *     through the real ledger (so the run's payments pass its overdraft checks);
 *  2. makes the run through the real service (a finance officer previews and creates it; above the
 *     £50,000 threshold a second one authorises it, which queues its pg-boss job);
 *  3. starts the real job worker (src/jobs/worker.ts) as a child process, waits until some but not
 *     all payments are posted, and kills it with SIGKILL;
 *  4. starts a new worker and waits (up to 5 minutes) for the run to complete;
 *  5. checks: 10,000 payment transactions, each instalment's key exactly once, the total posted is
 *     the instalments' total, the run completed with posted_count 10,000, every item paid.
 * Prints one summary line; exits 1 on any failure. docs/decisions/0018-payment-runs.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql } from 'kysely';
import { systemClock } from '../src/clock.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { tenantRunner } from '../src/db/tenancy.ts';
import type { Actor } from '../src/domain/access/policy.ts';
import type { TransactionInput } from '../src/domain/ledger/ledger.ts';
import { contentToJson, EMPTY_CONTENT } from '../src/domain/plans/json.ts';
import { startJobs } from '../src/jobs/boss.ts';
import { paymentRunQueue } from '../src/jobs/payment-run.ts';
import { ledgerServices } from '../src/services/ledger.ts';
import { paymentRunServices } from '../src/services/payment-runs.ts';

const PAYMENTS = 10_000;
const RUN_DATE = '2026-11-20';
const DUE_ON = '2026-11-19';
const BATCH_SIZE = 250;
const COMPLETE_WITHIN_MS = 5 * 60_000;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const JOB_ENV = { JOB_EXPIRE_SECONDS: '6', JOB_MAINTENANCE_SECONDS: '2', JOB_POLLING_SECONDS: '1', JOB_RETRY_LIMIT: '20', PAYMENT_RUN_BATCH_SIZE: String(BATCH_SIZE) };

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const say = (text: string) => console.log(`[test:crash ${seconds()} s] ${text}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class CrashTestFailure extends Error {}
function check(condition: boolean, message: string): void {
  if (!condition) throw new CrashTestFailure(message);
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

interface Seeded {
  readonly councilId: string;
  readonly creator: Actor;
  readonly authoriser: Actor;
  readonly expectedPence: bigint;
}

/** 10,000 people each with an agreed personal budget, a direct payment schedule and one instalment due. */
async function seed(database: Database): Promise<Seeded> {
  const db = database.db;
  const councilId = crypto.randomUUID();
  const streamId = crypto.randomUUID();
  const caseworkerId = crypto.randomUUID();
  const officers = [crypto.randomUUID(), crypto.randomUUID()] as const;
  const now = new Date('2026-11-19T09:00:00Z');
  await db.insertInto('councils').values({ id: councilId, slug: 'crashtest', name: 'Crash Test Council' }).execute();
  await db.insertInto('funding_streams').values({ id: streamId, council_id: councilId, code: 'social_care', name: 'Social care', funder: 'Council', annual_envelope_pence: 100_000_000_000n }).execute();
  const staff = (id: string, role: 'caseworker' | 'finance_officer', name: string) => ({
    id,
    council_id: councilId,
    kind: 'staff' as const,
    email: `${name}@crashtest.test`,
    display_name: name,
    role,
    job_title: role === 'caseworker' ? 'Caseworker' : 'Finance officer',
    team: 'Test',
    approval_limit_pence: null,
    password_hash: 'not-a-real-hash',
  });
  await db.insertInto('accounts').values([staff(caseworkerId, 'caseworker', 'caseworker'), staff(officers[0], 'finance_officer', 'finance-one'), staff(officers[1], 'finance_officer', 'finance-two')]).execute();

  // Everything per person by SQL, from one numbered series (n = 1 … 10,000): fast, and every
  // constraint of the real tables applies.
  const content = contentToJson(EMPTY_CONTENT);
  await db.transaction().execute(async (tx) => {
    await sql`CREATE TEMP TABLE crash_seed ON COMMIT DROP AS
      SELECT n, gen_random_uuid() AS person_id, gen_random_uuid() AS case_id, gen_random_uuid() AS plan_id,
             gen_random_uuid() AS budget_id, gen_random_uuid() AS budget_account_id, gen_random_uuid() AS holder_account_id,
             (10000 + (n * 37) % 9973)::bigint AS pence
      FROM generate_series(1, ${PAYMENTS}) AS n`.execute(tx);
    await sql`INSERT INTO people (id, council_id, reference, given_name, family_name, date_of_birth, postcode, case_type, primary_need,
                                  needs_summary, setting, stage, stage_since, request_date, lead_worker_id, restricted)
      SELECT person_id, ${councilId}, 'CT-' || n, 'Person', 'Number ' || n, '2012-01-01', 'CT1 1AA', 'ehc', 'ASD', 'Test', NULL, 'agreed',
             '2026-11-19', '2026-06-01', NULL, false FROM crash_seed`.execute(tx);
    await sql`INSERT INTO cases (id, council_id, person_id, case_type, lead_worker_id, status, stage, request_date, created_at, updated_at)
      SELECT case_id, ${councilId}, person_id, 'ehc', ${caseworkerId}, 'open', 'agreed', '2026-06-01', ${now}, ${now} FROM crash_seed`.execute(tx);
    await sql`INSERT INTO plans (id, council_id, person_id, case_id, kind, status, current_version, author_id, created_at, updated_at)
      SELECT plan_id, ${councilId}, person_id, case_id, 'initial', 'agreed', 1, ${caseworkerId}, ${now}, ${now} FROM crash_seed`.execute(tx);
    await sql`INSERT INTO plan_versions (council_id, plan_id, version, content, total_pence, change_note, created_by, created_at)
      SELECT ${councilId}, plan_id, 1, ${content}::jsonb, pence * 13, 'Agreed', ${caseworkerId}, ${now} FROM crash_seed`.execute(tx);
    await sql`INSERT INTO personal_budgets (id, council_id, person_id, plan_id, version, starts_on, ends_on, total_pence, status, created_at)
      SELECT budget_id, ${councilId}, person_id, plan_id, 1, '2026-11-19', '2027-11-18', pence * 13, 'active', ${now} FROM crash_seed`.execute(tx);
    await sql`INSERT INTO personal_budget_lines (id, council_id, personal_budget_id, funding_stream_id, management, annual_pence)
      SELECT gen_random_uuid(), ${councilId}, budget_id, ${streamId}, 'direct_payment', pence * 13 FROM crash_seed`.execute(tx);
    await sql`INSERT INTO ledger_accounts (id, council_id, kind, personal_budget_id, funding_stream_id, management, name, overdraft_allowed, created_at)
      SELECT budget_account_id, ${councilId}, 'budget', budget_id, ${streamId}, 'direct_payment', 'Direct payment budget CT-' || n, false, ${now} FROM crash_seed`.execute(tx);
    await sql`INSERT INTO ledger_accounts (id, council_id, kind, person_id, name, overdraft_allowed, created_at)
      SELECT holder_account_id, ${councilId}, 'dp_holder', person_id, 'Direct payment holder CT-' || n, true, ${now} FROM crash_seed`.execute(tx);
    await sql`INSERT INTO payment_schedules (id, council_id, person_id, personal_budget_id, holder_account_id, frequency, budget_accounts, status, created_at)
      SELECT budget_id, ${councilId}, person_id, budget_id, holder_account_id, 'four_weekly', jsonb_build_object(${streamId}::text, budget_account_id::text), 'active', ${now}
      FROM crash_seed`.execute(tx);
    await sql`INSERT INTO payment_instalments (council_id, schedule_id, number, due_on, period_from, period_to, amount_pence, by_stream)
      SELECT ${councilId}, budget_id, 1, ${DUE_ON}, ${DUE_ON}, '2026-12-16', pence, jsonb_build_array(jsonb_build_object('streamId', ${streamId}::text, 'pence', pence::text))
      FROM crash_seed`.execute(tx);
    await sql`INSERT INTO payee_bank_details (council_id, person_id, payee_reference, account_name, sort_code, account_number, updated_at)
      SELECT ${councilId}, person_id, 'SUP' || lpad(n::text, 6, '0'), 'Payee ' || n, '309430', lpad(n::text, 8, '0'), ${now} FROM crash_seed`.execute(tx);
  });

  // The money: each budget allocated from the stream pot through the real ledger (its checks apply).
  const withCouncil = tenantRunner(database);
  const ledger = ledgerServices({ withCouncil, clock: systemClock });
  const pot = await ledger.account(councilId, { identity: { kind: 'stream_pot', fundingStreamId: streamId, periodStartsOn: '2026-04-01' }, name: 'Social care 2026 to 2027' });
  const budgets = await db.selectFrom('payment_schedules as s').innerJoin('payment_instalments as i', 'i.schedule_id', 's.id').select(['s.id', 's.budget_accounts', 'i.amount_pence']).where('s.council_id', '=', councilId).execute();
  const allocations: TransactionInput[] = budgets.map((b) => {
    const account = Object.values(b.budget_accounts)[0] ?? '';
    const pence = BigInt(b.amount_pence) * 13n;
    return { idempotencyKey: `budget:${b.id}:allocation`, kind: 'allocation', effectiveOn: DUE_ON, description: 'Personal budget allocation', entries: [{ accountId: pot, amountPence: -pence }, { accountId: account, amountPence: pence }] };
  });
  for (let from = 0; from < allocations.length; from += 5000) {
    const results = await ledger.postMany(councilId, allocations.slice(from, from + 5000), officers[0]);
    check(results.every((r) => r.ok), 'an allocation was refused by the ledger');
  }
  // As a database in use has (autovacuum keeps them), statistics for the tables just filled.
  await sql`ANALYZE`.execute(db);
  const expectedPence = budgets.reduce((sum, b) => sum + BigInt(b.amount_pence), 0n);
  const actor = (accountId: string, name: string): Actor => ({ kind: 'staff', role: 'finance_officer', accountId, councilId, councilSlug: 'crashtest', councilName: 'Crash Test Council', displayName: name });
  return { councilId, creator: actor(officers[0], 'finance-one'), authoriser: actor(officers[1], 'finance-two'), expectedPence };
}

function startWorker(url: string, name: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/jobs/worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: url, LOG_LEVEL: 'warn', ...JOB_ENV },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  say(`started worker ${name} (pid ${child.pid})`);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function runRow(database: Database, runId: string) {
  return database.db.selectFrom('payment_runs').select(['status', 'posted_count', 'posted_pence', 'payment_count', 'total_pence']).where('id', '=', runId).executeTakeFirstOrThrow();
}

async function main(): Promise<number> {
  const name = `onebudget_crash_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  try {
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    console.error(`test:crash needs PostgreSQL at ${ADMIN_URL}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const children: ChildProcess[] = [];
  let database: Database | undefined;
  try {
    database = await openDatabase({ databaseUrl: url.toString(), queryTimeoutMs: 120_000 });
    await migrate(database);
    const seeded = await seed(database);
    say(`seeded ${PAYMENTS} direct payments due on ${DUE_ON}, £${(Number(seeded.expectedPence) / 100).toFixed(2)} in all`);

    // The run, through the real service: created by one finance officer, authorised by another.
    const jobs = await startJobs(database, { pollingIntervalSeconds: 1, expireInSeconds: 6, maintenanceIntervalSeconds: 2, retryLimit: 20, paymentRunBatchSize: BATCH_SIZE }, (error) => say(`job queue error: ${String(error)}`));
    const withCouncil = tenantRunner(database);
    const runs = paymentRunServices({ withCouncil, clock: systemClock, ledger: ledgerServices({ withCouncil, clock: systemClock }), queue: await paymentRunQueue(jobs) });
    const context = { requestId: 'test-crash', sourceAddress: '127.0.0.1' };
    const created = await runs.create(seeded.creator, RUN_DATE, context);
    check(created.ok, `the run could not be created: ${JSON.stringify(!created.ok && created.errors)}`);
    if (!created.ok) return 1;
    const runId = created.value.runId;
    check(created.value.status === 'awaiting_authorisation', `a run of ${PAYMENTS} payments should need a second authoriser (it is ${created.value.status})`);
    await runs.authorise(seeded.authoriser, runId, context);
    await jobs.stop();
    const queued = await runRow(database, runId);
    check(queued.status === 'queued' && queued.payment_count === PAYMENTS, `the run should be queued with ${PAYMENTS} payments`);
    check(BigInt(queued.total_pence) === seeded.expectedPence, 'the run total should be the instalments total');
    say(`run ${created.value.reference} created, authorised and queued`);

    // A worker, killed with SIGKILL part-way through.
    const first = startWorker(url.toString(), 'one');
    children.push(first);
    let seen = 0;
    // Somewhere between a tenth and two thirds of the way, so that the kill lands in a different batch each time.
    const killAt = Math.floor(PAYMENTS * (0.1 + Math.random() * 0.55));
    const partWay = Date.now() + 120_000;
    for (;;) {
      const row = await runRow(database, runId);
      seen = row.posted_count;
      if (seen >= killAt) break;
      check(row.status !== 'completed', 'the run completed before the worker could be killed: nothing was tested');
      check(Date.now() < partWay, `the worker posted only ${seen} payments in 2 minutes`);
      check(first.exitCode === null, `worker one exited with ${first.exitCode}`);
      await sleep(25);
    }
    first.kill('SIGKILL');
    await exited(first);
    const atKill = await runRow(database, runId);
    check(atKill.posted_count < PAYMENTS, `the run finished before the kill (${atKill.posted_count} posted): nothing was tested`);
    say(`killed worker one with SIGKILL at ${atKill.posted_count} of ${PAYMENTS} payments posted`);

    // A new worker finishes it.
    const second = startWorker(url.toString(), 'two');
    children.push(second);
    const deadline = Date.now() + COMPLETE_WITHIN_MS;
    for (;;) {
      const row = await runRow(database, runId);
      if (row.status === 'completed') break;
      check(Date.now() < deadline, `the run did not complete within 5 minutes of the restart (${row.posted_count} posted, status ${row.status})`);
      check(second.exitCode === null, `worker two exited with ${second.exitCode}`);
      await sleep(200);
    }
    say('the run completed after the restart');
    second.kill('SIGTERM');
    await exited(second);

    // Exactly once.
    const db = database.db;
    const tx = await sql<{ n: string; keys: string; pence: string | null }>`
      SELECT count(*) AS n, count(DISTINCT t.idempotency_key) AS keys,
             (SELECT sum(e.amount_pence) FROM ledger_entries e JOIN ledger_transactions t2 ON t2.id = e.transaction_id
              WHERE t2.council_id = ${seeded.councilId} AND t2.kind = 'payment' AND e.amount_pence > 0) AS pence
      FROM ledger_transactions t WHERE t.council_id = ${seeded.councilId} AND t.idempotency_key LIKE 'payment:%'`.execute(db);
    const totals = tx.rows[0];
    check(Number(totals?.n) === PAYMENTS, `expected ${PAYMENTS} payment transactions, found ${totals?.n}`);
    check(Number(totals?.keys) === PAYMENTS, `expected ${PAYMENTS} different payment keys, found ${totals?.keys}`);
    const missing = await sql<{ n: string }>`
      SELECT count(*) AS n FROM payment_instalments i
      WHERE i.council_id = ${seeded.councilId}
        AND (SELECT count(*) FROM ledger_transactions t WHERE t.council_id = i.council_id AND t.idempotency_key = 'payment:' || i.schedule_id || ':' || i.number) <> 1`.execute(db);
    check(Number(missing.rows[0]?.n) === 0, `${missing.rows[0]?.n} instalments were not posted exactly once`);
    check(BigInt(totals?.pence ?? '0') === seeded.expectedPence, `posted £${Number(totals?.pence) / 100}, expected £${Number(seeded.expectedPence) / 100}`);
    const done = await runRow(database, runId);
    check(done.status === 'completed', `the run is ${done.status}`);
    check(done.posted_count === PAYMENTS, `the run says ${done.posted_count} posted`);
    check(BigInt(done.posted_pence) === seeded.expectedPence, 'the run’s posted total is not the instalments total');
    const items = await db.selectFrom('payment_run_items').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).where('run_id', '=', runId).groupBy('status').execute();
    const allPaid = items.length === 1 && items[0]?.status === 'paid' && Number(items[0].n) === PAYMENTS;
    check(allPaid, `items by status: ${items.map((i) => `${i.status} ${String(i.n)}`).join(', ')}`);

    say(`PASSED: killed at ${atKill.posted_count}/${PAYMENTS}; after the restart all ${PAYMENTS} payments are posted exactly once, £${(Number(seeded.expectedPence) / 100).toFixed(2)} in all`);
    return 0;
  } catch (error) {
    say(`FAILED: ${error instanceof CrashTestFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    await database?.close().catch(() => undefined);
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch((error: unknown) => say(`could not drop ${name}: ${String(error)}`));
  }
}

process.exit(await main());
