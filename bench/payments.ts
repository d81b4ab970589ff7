/**
 * A payment run at the size of a large council (issue 6): 100,000 direct payment schedules, each
 * with an instalment due on the run date, paid by the real payment run code; and the family's
 * statement page for a council whose ledger holds 1,000,000 entries.
 *
 * The server is started once to migrate and seed the demo data, then stopped. Into the demo council
 * (Northam) the bench inserts in bulk, as the owner, 100,000 people each with a case, an agreed plan,
 * a personal budget with one direct payment line (£100 a week), the ledger accounts and the budget's
 * allocation (through the ledger's own balance triggers), payee bank details, and a four-weekly
 * schedule of 14 instalments from today. Then, in this process:
 *   run     — the payment run service creates the run (frozen items), a second finance officer
 *             authorises it, and `process()` — the job's body — posts the 100,000 payments in its
 *             batches: postings a second;
 *   floor   — the same 100,000 transactions and 200,000 entries written by a plain batched INSERT
 *             (unnest, 1,000 transactions a statement) into copies of the ledger tables without
 *             triggers or foreign keys: the most the database could take; reported as a ratio.
 * Spending (three lines per person, six more for the measured person) takes the council's ledger to
 * 1,000,000 entries; the server is started again, signed in as the demo finance officer, and
 * autocannon measures GET /people/<id>/statement with 20 connections for 10 s (and /healthz as the floor).
 * Then the two finance pages that read the whole council are timed one request at a time (no target):
 * the budget totals and the direct payment monitoring list (100,000 holders, one page shown).
 * Targets: at least 2,000 postings a second, and the statement page's p95 under 100 ms, on PostgreSQL.
 */
import crypto from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { measure as measureLoad } from './load.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { tenantRunner } from '../src/db/tenancy.ts';
import { systemClock } from '../src/clock.ts';
import { ledgerServices } from '../src/services/ledger.ts';
import { paymentRunServices } from '../src/services/payment-runs.ts';
import type { Actor } from '../src/domain/access/policy.ts';
import { contentToJson } from '../src/domain/plans/json.ts';
import { paymentSchedule, periodAmountPence } from '../src/domain/payments/schedule.ts';
import { addDays } from '../src/domain/pathway/dates.ts';
import { financialYearStart } from '../src/domain/payments/set-up.ts';
import { DEMO_PASSWORD } from '../src/demo/accounts.ts';
import { cookieHeader, fetchLoopback, signIn } from './sign-in.ts';
import { atLeast, atMost, engine, median, round, say, waitForOk, withScratchStorage, withServer, type BenchResult } from './support.ts';

export const description = 'postings/s of a payment run for 100,000 direct payment schedules (vs a plain batched INSERT), and p95 of the statement page at 1,000,000 ledger entries';

const SCHEDULES = 100_000;
const WEEKLY_PENCE = 10_000n; // £100 a week
const ANNUAL_PENCE = WEEKLY_PENCE * 52n;
const TARGET_ENTRIES = 1_000_000;
const SPENDS_PER_PERSON = 3;
const FLOOR_BATCH = 1_000;
const CONNECTIONS = 20;
const DURATION_S = 10;
const WARM_UP_S = 2;
const LOAD = { connections: CONNECTIONS, durationSeconds: DURATION_S, warmUpSeconds: WARM_UP_S };
const TARGET_POSTINGS_PER_S = 2_000;
const TARGET_P95_MS = 100;
const FINANCE_PAGE_REQUESTS = 5;
const FINANCE_EMAIL = 'finance@northam.example';

interface Seeded {
  readonly councilId: string;
  readonly finance: Actor;
  readonly second: Actor;
  readonly measuredPersonId: string;
}

async function seedSchedules(database: Database, today: string): Promise<Seeded> {
  const db = database.db;
  const me = await db.selectFrom('accounts').select(['id', 'council_id', 'display_name', 'password_hash']).where('email', '=', FINANCE_EMAIL).executeTakeFirstOrThrow();
  const council = await db.selectFrom('councils').select(['id', 'slug', 'name']).where('id', '=', me.council_id).executeTakeFirstOrThrow();
  const caseworker = await db.selectFrom('accounts').select('id').where('council_id', '=', council.id).where('role', '=', 'caseworker').limit(1).executeTakeFirstOrThrow();
  const stream = await db.selectFrom('funding_streams').select(['id', 'code']).where('council_id', '=', council.id).where('code', '=', 'social_care').executeTakeFirstOrThrow();
  const secondId = crypto.randomUUID();
  await db
    .insertInto('accounts')
    .values({ id: secondId, council_id: council.id, kind: 'staff', email: 'bench-finance-2@northam.example', display_name: 'Bench Finance Officer', role: 'finance_officer', job_title: 'Finance officer', team: 'Finance', approval_limit_pence: null, password_hash: me.password_hash })
    .execute();
  const actor = (accountId: string, displayName: string): Actor => ({ kind: 'staff', role: 'finance_officer', accountId, displayName, councilId: council.id, councilSlug: council.slug, councilName: council.name });

  const startsOn = today;
  const endsOn = addDays(today, 364);
  const periodPence = periodAmountPence(ANNUAL_PENCE, startsOn, endsOn);
  const instalments = paymentSchedule({ periodStart: startsOn, periodEnd: endsOn, frequency: 'four_weekly', streams: [{ streamId: stream.id, annualPence: ANNUAL_PENCE }] });
  const content = contentToJson({
    profile: { likeAndAdmire: 'Bench', importantToMe: 'Bench', howToSupportMe: 'Bench', iStatements: [] },
    outcomes: [{ id: 'o1', area: 'care', description: 'Bench outcome', byWhen: endsOn, measure: 'Bench' }],
    items: [{ id: 'i1', description: 'Personal assistant', provider: 'Self-employed PA', unitCostPence: WEEKLY_PENCE, quantity: 1, frequency: 'weekly', stream: 'social_care', management: 'direct_payment', outcomeIds: ['o1'], paysPersonalAssistant: false }],
    contingency: { amountPence: 50_000n, purpose: 'Cover when my assistant is ill' },
    risks: 'Bench',
    moneyManager: { kind: 'parent_carer', name: 'Bench Parent' },
    overBudgetReason: '',
  });
  const started = performance.now();
  const c = council.id;
  await db.transaction().execute(async (trx) => {
    const run = (text: string, ...values: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, values));
    await run(`CREATE TEMP TABLE bench_people ON COMMIT DROP AS
      SELECT g AS n, gen_random_uuid() AS person_id, gen_random_uuid() AS case_id, gen_random_uuid() AS plan_id,
             gen_random_uuid() AS budget_id, gen_random_uuid() AS line_id, gen_random_uuid() AS line_account,
             gen_random_uuid() AS holder_account, gen_random_uuid() AS allocation_tx
        FROM generate_series(1, ${SCHEDULES}) g`);
    await run(`INSERT INTO people (id, council_id, reference, given_name, family_name, date_of_birth, postcode, case_type, needs_summary, stage, stage_since, request_date, lead_worker_id)
      SELECT person_id, $1, 'PB-' || lpad(n::text, 6, '0'), 'Bench', 'Person ' || n, date '2010-01-01', 'NM1 1AA', 'social_care_adult', 'Bench data.', 'agreed', $2::date, $2::date, $3 FROM bench_people`, c, today, caseworker.id);
    await run(`INSERT INTO cases (id, council_id, person_id, case_type, lead_worker_id, status, stage, request_date, next_due_on, next_due_kind, created_at, updated_at)
      SELECT case_id, $1, person_id, 'social_care_adult', $2, 'open', 'plan_in_place', $3::date, NULL, NULL, now(), now() FROM bench_people`, c, caseworker.id, today);
    await run(`INSERT INTO plans (id, council_id, person_id, case_id, kind, status, current_version, author_id, period_starts_on, period_ends_on, created_at, updated_at)
      SELECT plan_id, $1, person_id, case_id, 'initial', 'agreed', 1, $2, $3::date, $4::date, now(), now() FROM bench_people`, c, caseworker.id, startsOn, endsOn);
    await run(`INSERT INTO plan_versions (council_id, plan_id, version, content, total_pence, change_note, created_by, created_at)
      SELECT $1, plan_id, 1, $2::jsonb, $3, 'Agreed', $4, now() FROM bench_people`, c, content, ANNUAL_PENCE.toString(), caseworker.id);
    await run(`INSERT INTO personal_budgets (id, council_id, person_id, plan_id, version, starts_on, ends_on, total_pence, status, created_at)
      SELECT budget_id, $1, person_id, plan_id, 1, $2::date, $3::date, $4, 'active', now() FROM bench_people`, c, startsOn, endsOn, ANNUAL_PENCE.toString());
    await run(`INSERT INTO personal_budget_lines (id, council_id, personal_budget_id, funding_stream_id, management, annual_pence)
      SELECT line_id, $1, budget_id, $2, 'direct_payment', $3 FROM bench_people`, c, stream.id, ANNUAL_PENCE.toString());
    const potId = crypto.randomUUID();
    await run(`INSERT INTO ledger_accounts (id, council_id, kind, funding_stream_id, period_starts_on, name, overdraft_allowed, created_at)
      VALUES ($1, $2, 'stream_pot', $3, $4::date, 'Social care pot (bench)', true, now())
      ON CONFLICT ON CONSTRAINT ledger_accounts_natural_identity DO NOTHING`, potId, c, stream.id, financialYearStart(startsOn));
    const pot = await trx.selectFrom('ledger_accounts').select('id').where('council_id', '=', c).where('kind', '=', 'stream_pot').where('funding_stream_id', '=', stream.id).where('period_starts_on', '=', financialYearStart(startsOn)).executeTakeFirstOrThrow();
    await run(`INSERT INTO ledger_accounts (id, council_id, kind, personal_budget_id, funding_stream_id, management, name, overdraft_allowed, created_at)
      SELECT line_account, $1, 'budget', budget_id, $2, 'direct_payment', 'Personal budget of Bench Person ' || n || ': social care, direct payment', false, now() FROM bench_people`, c, stream.id);
    await run(`INSERT INTO ledger_accounts (id, council_id, kind, person_id, name, overdraft_allowed, created_at)
      SELECT holder_account, $1, 'dp_holder', person_id, 'Direct payment account of Bench Person ' || n, true, now() FROM bench_people`, c);
    await run(`INSERT INTO ledger_transactions (id, council_id, idempotency_key, content_hash, kind, effective_on, recorded_at, recorded_by, description)
      SELECT allocation_tx, $1, 'budget:' || budget_id || ':allocation', encode(sha256(budget_id::text::bytea), 'hex'), 'allocation', $2::date, now(), NULL, 'Personal budget allocated (bench)' FROM bench_people`, c, startsOn);
    await run(`INSERT INTO ledger_entries (council_id, transaction_id, account_id, amount_pence, effective_on)
      SELECT $1::uuid, allocation_tx, line_account, $2::bigint, $3::date FROM bench_people
      UNION ALL SELECT $1::uuid, allocation_tx, $4::uuid, -$2::bigint, $3::date FROM bench_people`, c, periodPence.toString(), startsOn, pot.id);
    await run(`INSERT INTO payee_bank_details (council_id, person_id, payee_reference, account_name, sort_code, account_number, updated_at)
      SELECT $1, person_id, 'SUP' || lpad(n::text, 6, '0'), 'Bench Parent ' || n, '400000', lpad((10000000 + n)::text, 8, '0'), now() FROM bench_people`, c);
    await run(`INSERT INTO payment_schedules (id, council_id, person_id, personal_budget_id, holder_account_id, frequency, budget_accounts, status, created_at)
      SELECT budget_id, $1, person_id, budget_id, holder_account, 'four_weekly', jsonb_build_object($2::text, line_account::text), 'active', now() FROM bench_people`, c, stream.id);
    const template = JSON.stringify(instalments.map((i) => ({ number: i.number, due_on: i.dueOn, period_from: i.periodFrom, period_to: i.periodTo, amount: i.amountPence.toString() })));
    await run(`INSERT INTO payment_instalments (council_id, schedule_id, number, due_on, period_from, period_to, amount_pence, by_stream)
      SELECT $1, p.budget_id, (t->>'number')::int, (t->>'due_on')::date, (t->>'period_from')::date, (t->>'period_to')::date, (t->>'amount')::bigint,
             jsonb_build_array(jsonb_build_object('streamId', $2::text, 'pence', t->>'amount'))
        FROM bench_people p CROSS JOIN jsonb_array_elements($3::jsonb) t`, c, stream.id, template);
  });
  const measured = await db.selectFrom('people').select('id').where('council_id', '=', c).where('reference', '=', 'PB-000001').executeTakeFirstOrThrow();
  say(`inserted ${SCHEDULES} people with agreed direct payment budgets, their ledger accounts and allocations, bank details and ${instalments.length} instalments each in ${Math.round(performance.now() - started)} ms`);
  return { councilId: c, finance: actor(me.id, me.display_name), second: actor(secondId, 'Bench Finance Officer'), measuredPersonId: measured.id };
}

/** The payment run, through the service: create, authorise (a second officer), then the job's body. */
async function paymentRun(database: Database, seeded: Seeded, today: string): Promise<{ seconds: number; postings: number }> {
  const clock = systemClock;
  const withCouncil = tenantRunner(database);
  const ledger = ledgerServices({ withCouncil, clock });
  const runs = paymentRunServices({ withCouncil, clock, ledger });
  const context = { requestId: 'bench', sourceAddress: '127.0.0.1' };
  let t = performance.now();
  const created = await runs.create(seeded.finance, today, context);
  if (!created.ok) throw new Error(`The run was not created: ${created.errors.map((e) => e.message).join('; ')}`);
  say(`run ${created.value.reference} created (${created.value.status}) with its items frozen in ${Math.round(performance.now() - t)} ms`);
  if (created.value.status === 'awaiting_authorisation') await runs.authorise(seeded.second, created.value.runId, context);
  t = performance.now();
  const result = await runs.process(seeded.councilId, created.value.runId);
  const seconds = (performance.now() - t) / 1000;
  // The demo council's own direct payments due since its last run are in the run too.
  if (result.status !== 'completed' || result.paid < SCHEDULES || result.skipped !== 0) throw new Error(`The run ended ${result.status} with ${result.paid} paid, ${result.skipped} skipped`);
  say(`run: ${result.paid} payments posted in ${seconds.toFixed(1)} s (${Math.round(result.paid / seconds)} postings/s)`);
  return { seconds, postings: result.paid };
}

/** The floor: the same rows by plain batched INSERT into copies of the ledger tables without triggers or foreign keys. */
async function floor(database: Database, councilId: string, today: string): Promise<number> {
  const db = database.db;
  await sql`CREATE TABLE bench_floor_transactions (LIKE ledger_transactions INCLUDING DEFAULTS INCLUDING INDEXES)`.execute(db);
  await sql`CREATE TABLE bench_floor_entries (LIKE ledger_entries INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING IDENTITY)`.execute(db);
  const accounts = (await db.selectFrom('ledger_accounts').select('id').where('kind', '=', 'dp_holder').limit(SCHEDULES).execute()).map((r) => r.id);
  const lines = (await db.selectFrom('ledger_accounts').select('id').where('kind', '=', 'budget').limit(SCHEDULES).execute()).map((r) => r.id);
  const started = performance.now();
  for (let offset = 0; offset < SCHEDULES; offset += FLOOR_BATCH) {
    const n = Math.min(FLOOR_BATCH, SCHEDULES - offset);
    const ids = Array.from({ length: n }, () => crypto.randomUUID());
    const keys = ids.map((_, i) => `floor:${offset + i}`);
    const hashes = ids.map((id) => crypto.createHash('sha256').update(id).digest('hex'));
    await db.transaction().execute(async (trx) => {
      await sql`INSERT INTO bench_floor_transactions (id, council_id, idempotency_key, content_hash, kind, effective_on, recorded_at, recorded_by, description)
        SELECT id, ${councilId}::uuid, key, hash, 'payment', ${today}::date, now(), NULL, 'Direct payment (floor)'
          FROM unnest(${ids}::uuid[], ${keys}::text[], ${hashes}::text[]) AS t(id, key, hash)`.execute(trx);
      const entryTx = [...ids, ...ids];
      const entryAccounts = [...(accounts.slice(offset, offset + n)), ...(lines.slice(offset, offset + n))];
      const amounts = [...ids.map(() => '40000'), ...ids.map(() => '-40000')];
      await sql`INSERT INTO bench_floor_entries (council_id, transaction_id, account_id, amount_pence, effective_on)
        SELECT ${councilId}::uuid, tx, account, amount, ${today}::date
          FROM unnest(${entryTx}::uuid[], ${entryAccounts}::uuid[], ${amounts}::bigint[]) AS e(tx, account, amount)`.execute(trx);
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await sql`DROP TABLE bench_floor_entries, bench_floor_transactions`.execute(db);
  const perSecond = SCHEDULES / seconds;
  say(`floor: ${SCHEDULES} transactions and ${SCHEDULES * 2} entries by plain batched INSERT in ${seconds.toFixed(1)} s (${Math.round(perSecond)} postings/s)`);
  return perSecond;
}

/** Spending until the council's ledger holds TARGET_ENTRIES entries: three lines a person, more for the measured person. */
async function spending(database: Database, seeded: Seeded, today: string): Promise<number> {
  const db = database.db;
  const c = seeded.councilId;
  const started = performance.now();
  await db.transaction().execute(async (trx) => {
    const run = (text: string, ...values: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, values));
    const outId = crypto.randomUUID();
    await run(`INSERT INTO ledger_accounts (id, council_id, kind, name, overdraft_allowed, created_at) VALUES ($1, $2, 'payments_out', 'Payments out', true, now())
      ON CONFLICT ON CONSTRAINT ledger_accounts_natural_identity DO NOTHING`, outId, c);
    const out = await trx.selectFrom('ledger_accounts').select('id').where('council_id', '=', c).where('kind', '=', 'payments_out').where('person_id', 'is', null).executeTakeFirstOrThrow();
    const have = Number((await trx.selectFrom('ledger_entries').select(sql<string>`count(*)`.as('n')).where('council_id', '=', c).executeTakeFirstOrThrow()).n);
    const spends = Math.max(0, Math.ceil((TARGET_ENTRIES - have) / 2));
    const perPerson = Math.max(SPENDS_PER_PERSON, Math.ceil(spends / SCHEDULES));
    await run(`CREATE TEMP TABLE bench_spends ON COMMIT DROP AS
      SELECT gen_random_uuid() AS tx, a.id AS holder, a.person_id, s AS k, ($3::date - ((s * 7) % 60)) AS on_date
        FROM ledger_accounts a CROSS JOIN generate_series(1, $1::int) s
       WHERE a.council_id = $2 AND a.kind = 'dp_holder'
       LIMIT $4`, perPerson, c, today, spends);
    await run(`INSERT INTO ledger_transactions (id, council_id, idempotency_key, content_hash, kind, effective_on, recorded_at, recorded_by, description)
      SELECT tx, $1, 'bench-spend:' || tx, encode(sha256(tx::text::bytea), 'hex'), 'spend', on_date, now(), NULL, 'Spending (bench)' FROM bench_spends`, c);
    await run(`INSERT INTO ledger_entries (council_id, transaction_id, account_id, amount_pence, effective_on)
      SELECT $1::uuid, tx, holder, -(1500 + k * 10)::bigint, on_date FROM bench_spends
      UNION ALL SELECT $1::uuid, tx, $2::uuid, (1500 + k * 10)::bigint, on_date FROM bench_spends`, c, out.id);
  });
  await sql`VACUUM ANALYZE`.execute(db);
  // The million rows just written are flushed now, not by the checkpointer while the pages are measured.
  if (engine() === 'postgres') await sql`CHECKPOINT`.execute(db);
  const total = Number((await db.selectFrom('ledger_entries').select(sql<string>`count(*)`.as('n')).where('council_id', '=', c).executeTakeFirstOrThrow()).n);
  say(`spending added: the council's ledger holds ${total} entries (${Math.round(performance.now() - started)} ms)`);
  return total;
}




export async function run(): Promise<BenchResult> {
  say(`engine: ${engine()}`);
  const today = systemClock.today();
  return withScratchStorage('payments', async (storage) => {
    await withServer(storage, async (server) => {
      say(`first start (pid ${server.pid}): migrate and seed the demo data`);
      await waitForOk(server, '/healthz', { timeoutMs: 300_000, intervalMs: 100 });
      await waitForOk(server, '/', { timeoutMs: 30_000, intervalMs: 100 });
    });
    const database = await openDatabase({ databaseUrl: storage.databaseUrl, dataDir: storage.dataDir, queryTimeoutMs: 600_000 });
    let seeded: Seeded;
    let runFigures: { seconds: number; postings: number };
    let floorPerSecond: number;
    let entries: number;
    try {
      seeded = await seedSchedules(database, today);
      if (storage.databaseUrl !== undefined) await sql`VACUUM ANALYZE`.execute(database.db);
      runFigures = await paymentRun(database, seeded, today);
      floorPerSecond = await floor(database, seeded.councilId, today);
      entries = await spending(database, seeded, today);
    } finally {
      await database.close();
    }
    const postingsPerSecond = runFigures.postings / runFigures.seconds;
    return withServer(storage, async (server) => {
      await waitForOk(server, '/healthz', { timeoutMs: 300_000, intervalMs: 100 });
      const cookie = cookieHeader(await signIn(server, FINANCE_EMAIL, DEMO_PASSWORD));
      const path = `/people/${seeded.measuredPersonId}/statement`;
      const check = await fetchLoopback(`${server.origin}${path}`, { headers: { cookie } });
      if (check.status !== 200) throw new Error(`GET ${path} answered ${check.status}`);
      const html = await check.text();
      if (!html.includes('Bench Person 1')) throw new Error('The statement page does not show the measured person');
      const floorHttp = await measureLoad('floor /healthz', server, '/healthz', {}, LOAD);
      const statement = await measureLoad('statement page', server, path, { cookie }, LOAD);
      const totals = await timedPage(server, cookie, { name: 'finance totals page', path: '/finance/budgets', shows: 'Direct payment' });
      const monitoring = await timedPage(server, cookie, { name: 'finance monitoring list', path: '/finance/monitoring', shows: 'Showing 1 to 50 of' });
      const targets = {
        postingsPerSecond: atLeast('postingsPerSecond', round(postingsPerSecond, 0), TARGET_POSTINGS_PER_S, 'postings/s'),
        statementP95Ms: atMost('statementP95Ms', statement.p95Ms, TARGET_P95_MS, 'ms'),
      };
      for (const t of Object.values(targets)) say(`target ${t.figure}: ${t.met ? 'met' : 'MISSED'}${engine() === 'postgres' ? '' : ' (the targets are set for PostgreSQL)'}`);
      return {
        figures: {
          schedules: SCHEDULES,
          runSeconds: round(runFigures.seconds, 2),
          postingsPerSecond: round(postingsPerSecond, 0),
          floorPostingsPerSecond: round(floorPerSecond, 0),
          ratioToFloor: round(postingsPerSecond / floorPerSecond, 3),
          ledgerEntries: entries,
          connections: CONNECTIONS,
          durationSeconds: DURATION_S,
          floorRequestsPerSecond: floorHttp.requestsPerSecond,
          statementRequestsPerSecond: statement.requestsPerSecond,
          statementP50Ms: statement.p50Ms,
          statementP95Ms: statement.p95Ms,
          statementP99Ms: statement.p99Ms,
          financeTotalsMedianMs: totals.medianMs,
          financeTotalsMaxMs: totals.maxMs,
          financeMonitoringMedianMs: monitoring.medianMs,
          financeMonitoringMaxMs: monitoring.maxMs,
        },
        targets,
      };
    });
  });
}

/**
 * A finance page that reads the whole council at once, timed one request at a time (the issue sets
 * no target for them; they are reported beside the statement page so that a change to the ledger's
 * shape shows here): the budget totals (GET /finance/budgets, one grouped read over every entry) and
 * the direct payment monitoring list (GET /finance/monitoring, every holder's flags worked out for
 * the filter and the count, one page of 50 shown).
 */
async function timedPage(server: { origin: string }, cookie: string, page: { name: string; path: string; shows: string }): Promise<{ medianMs: number; maxMs: number }> {
  const times: number[] = [];
  for (let i = 0; i < FINANCE_PAGE_REQUESTS; i += 1) {
    const started = performance.now();
    const response = await fetchLoopback(`${server.origin}${page.path}`, { headers: { cookie }, signal: AbortSignal.timeout(300_000) });
    const html = await response.text();
    times.push(performance.now() - started);
    if (response.status !== 200 || !html.includes(page.shows)) throw new Error(`GET ${page.path} answered ${response.status} without ${page.shows}`);
  }
  const medianMs = round(median(times), 0);
  const maxMs = round(Math.max(...times), 0);
  say(`${page.name}: median ${medianMs} ms, slowest ${maxMs} ms over ${FINANCE_PAGE_REQUESTS} requests one at a time`);
  return { medianMs, maxMs };
}
