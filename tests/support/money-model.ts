/**
 * A model-based test of the money (issue 6): an in-memory model of the ledger and of direct payment
 * schedules, and commands that drive the REAL ledger service (src/services/ledger.ts) on a real
 * database through the REAL pure rules the services use — budgetSetUp/bindAccounts/bindSchedule for
 * approvals; closeOut/releaseTransaction/netOverlap when a new plan replaces the budget that
 * runs (a mid-year amendment, or a replacement starting before or after it), as budget-set-up.ts
 * does; planRun for payment runs — and compare every outcome and every balance with the model. Used
 * by tests/integration/money-model.test.ts with fast-check's
 * fc.commands + fc.asyncModelRun.
 *
 * The model is deliberately simple: a Map of balances (pence), the set of accounts that may not go
 * below zero (budget lines), a Map from idempotency key to the content hash and transaction id
 * posted under it, and per schedule the instalment numbers already paid. From those alone it
 * predicts what the ledger must answer to each posting: `posted`, `replayed` (same key, same
 * content: the original id), `idempotency_conflict` (same key, other content: the original id), or
 * `insufficient_funds` (a budget line would go below zero: the account and what it holds).
 *
 * Isolation: one database per worker serves all its sequences. Each sequence has its own person, so
 * its own direct payment holder, budget lines, provider and commitment accounts ("own" accounts,
 * whose balances the model holds and compares after every step) and its own keys
 * (`payment:<budgetId>:<n>`, `spend:<personId>:<n>`…). The council's shared accounts (stream pots,
 * payments_out, recoveries) get entries from every sequence; at the end of a sequence every
 * transaction touching its accounts must be exactly one the model posted, entry for entry, so the
 * shared accounts received exactly the model's movements too.
 *
 * Speed: 10,000 sequences on each engine must fit in CI on two cores, so runMoneyModelInWorker runs
 * a share of them in each of two worker threads (this file is also the worker's module), and each
 * step posts and reads the balances back in one council transaction (`step`).
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fc from 'fast-check';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Database, Engine } from '../../src/db/database.ts';
import { ledgerRepository } from '../../src/db/repositories/ledger.ts';
import { tenantRunner, type TenantTx, type WithCouncil } from '../../src/db/tenancy.ts';
import { contentHash, modelBalancesAsOf, type LedgerAccountKind, type TransactionInput, type TransactionKind } from '../../src/domain/ledger/ledger.ts';
import { addDays, compareDates, daysBetween, laterOf } from '../../src/domain/pathway/dates.ts';
import { periodEnd as endOfBudgetYear } from '../../src/domain/sign-off/sign-off.ts';
import { planRun, type RunInfo, type ScheduleForRun } from '../../src/domain/payments/run.ts';
import type { Frequency, Instalment, StreamPart } from '../../src/domain/payments/schedule.ts';
import { closeOut, netOverlap, releaseTransaction } from '../../src/domain/payments/change.ts';
import { bindAccounts, bindSchedule, budgetSetUp, type AgreedBudgetLine, type Management } from '../../src/domain/payments/set-up.ts';
import { fixedClock } from '../../src/clock.ts';
import { ledgerServices, type LedgerServices, type PostResult } from '../../src/services/ledger.ts';
import { createTestDatabase } from './databases.ts';
import { addCouncil } from './fixtures.ts';
import { addPlan, planContent, supportItem } from './sign-off.ts';

/** Day 0 of every sequence: budgets start up to 90 days after it; runs and spending fall up to 480 days after it. */
export const BASE_DATE = '2026-04-01';
/** MONEY_MODEL_SEED replays a failure's seed (from its report), for local experiments only. */
const SEED = process.env.MONEY_MODEL_SEED === undefined ? undefined : Number(process.env.MONEY_MODEL_SEED);
const on = (dayOffset: number): string => addDays(BASE_DATE, dayOffset);
const pence = (p: bigint): string => `£${(Number(p) / 100).toFixed(2)}`;

/* ---- The world: one council per database, shared by every sequence ------------------------------ */

export interface MoneyWorld {
  readonly database: Database;
  readonly withCouncil: WithCouncil;
  readonly ledger: LedgerServices;
  readonly councilId: string;
  readonly staffId: string;
  /** Two funding streams: social care and education. */
  readonly streamIds: readonly [string, string];
  readonly providerId: string;
  readonly planId: string;
  readonly paymentsOut: string;
  readonly recoveries: string;
  /** Counts for the summary line and for checking that every path was exercised. */
  readonly stats: Map<string, number>;
  sequences: number;
}

/**
 * On PostgreSQL, commits of this test database do not wait for the disk (synchronous_commit off,
 * for this database only): durability after a server crash is not what this test is about, and
 * 50,000 commits each waiting for a WAL flush would not fit in CI. Every rule the test checks is
 * enforced the same way.
 */
async function commitWithoutWaitingForDisk(database: Database): Promise<void> {
  if (database.engine !== 'postgres') return;
  await sql`DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database()); END $$`.execute(database.db);
  // Connections already open keep the old setting: set it on each of them too.
  const clients = await Promise.all(Array.from({ length: database.pool.totalCount }, () => database.pool.connect()));
  await Promise.all(clients.map((client) => client.query('SET synchronous_commit = off')));
  for (const client of clients) client.release();
}

export async function moneyWorld(database: Database): Promise<MoneyWorld> {
  await commitWithoutWaitingForDisk(database);
  const withCouncil = tenantRunner(database);
  const ledger = ledgerServices({ withCouncil, clock: fixedClock(new Date('2026-11-30T10:00:00Z')) });
  const council = await addCouncil(database, 'money-model');
  const educationId = crypto.randomUUID();
  await database.db
    .insertInto('funding_streams')
    .values({ id: educationId, council_id: council.councilId, code: 'education_high_needs', name: 'Education', funder: 'Council', annual_envelope_pence: 100_000_000n })
    .execute();
  const providerId = crypto.randomUUID();
  await database.db
    .insertInto('providers')
    .values({ id: providerId, council_id: council.councilId, name: 'Bright Days Care', kind: 'care_agency', email: 'hello@bright.test', phone: '01234 567890', town: 'Northam' })
    .execute();
  // One agreed plan that every sequence's budgets point at (personal_budgets needs a plan version).
  const { planId } = await addPlan(database, council.councilId, { reference: 'MODEL-PLAN', authorId: council.accountId, content: planContent([supportItem('i1', 40)]), status: 'agreed' });
  const paymentsOut = await ledger.account(council.councilId, { identity: { kind: 'payments_out' }, name: 'Payments out' });
  const recoveries = await ledger.account(council.councilId, { identity: { kind: 'recoveries' }, name: 'Recoveries' });
  return {
    database,
    withCouncil,
    ledger,
    councilId: council.councilId,
    staffId: council.accountId,
    streamIds: [council.streamId, educationId],
    providerId,
    planId,
    paymentsOut,
    recoveries,
    stats: new Map(),
    sequences: 0,
  };
}

export function count(world: MoneyWorld, what: string, by = 1): void {
  world.stats.set(what, (world.stats.get(what) ?? 0) + by);
}

/* ---- The model ---------------------------------------------------------------------------------- */

interface KeyRecord {
  readonly hash: string;
  readonly transactionId: string;
}

export interface ModelSchedule {
  /** The budget's id, as set-up gives it. */
  readonly id: string;
  instalments: readonly Instalment[];
  /** Instalment numbers paid (posted under `payment:<id>:<n>`): each at most once, ever. */
  readonly paid: Set<number>;
}

export interface MoneyModel {
  readonly balances: Map<string, bigint>;
  readonly kinds: Map<string, LedgerAccountKind>;
  /** This sequence's own accounts (empty when first met); the others are the council's, shared. */
  readonly own: Set<string>;
  readonly keys: Map<string, KeyRecord>;
  /** What was posted, in order: replaying it gives every balance as of any date. */
  readonly posted: { input: TransactionInput; transactionId: string }[];
  readonly schedules: ModelSchedule[];
  readonly runs: { id: string; runDate: string; inputs: readonly TransactionInput[] }[];
  budgets: number;
  spends: number;
  recoveries: number;
}

export function emptyModel(): MoneyModel {
  return { balances: new Map(), kinds: new Map(), own: new Set(), keys: new Map(), posted: [], schedules: [], runs: [], budgets: 0, spends: 0, recoveries: 0 };
}

export type Expected =
  | { readonly ok: true; readonly replayed: false }
  | { readonly ok: true; readonly replayed: true; readonly transactionId: string }
  | { readonly ok: false; readonly reason: 'idempotency_conflict'; readonly transactionId: string }
  | { readonly ok: false; readonly reason: 'insufficient_funds'; readonly accountId: string; readonly available: bigint };

/**
 * What the ledger must answer to a batch, judged in order (decision 0017): a known key is a replay
 * or a conflict; a new posting is refused when it would take a budget line below zero, else posted.
 */
export function predict(model: MoneyModel, inputs: readonly TransactionInput[]): Expected[] {
  const running = new Map(model.balances);
  const seen = new Set<string>();
  return inputs.map((input): Expected => {
    assert.ok(!seen.has(input.idempotencyKey), `the test posts each key once per batch (${input.idempotencyKey})`);
    seen.add(input.idempotencyKey);
    const before = model.keys.get(input.idempotencyKey);
    if (before !== undefined) {
      return before.hash === contentHash(input)
        ? { ok: true, replayed: true, transactionId: before.transactionId }
        : { ok: false, reason: 'idempotency_conflict', transactionId: before.transactionId };
    }
    for (const e of input.entries) {
      const available = running.get(e.accountId) ?? 0n;
      if (e.amountPence < 0n && model.kinds.get(e.accountId) === 'budget' && available + e.amountPence < 0n) {
        return { ok: false, reason: 'insufficient_funds', accountId: e.accountId, available };
      }
    }
    for (const e of input.entries) running.set(e.accountId, (running.get(e.accountId) ?? 0n) + e.amountPence);
    return { ok: true, replayed: false };
  });
}

const json = (value: unknown): string => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** Checks the ledger's answers against the prediction, then applies the postings to the model. */
export function settle(world: MoneyWorld, model: MoneyModel, inputs: readonly TransactionInput[], expected: readonly Expected[], results: readonly PostResult[]): void {
  assert.equal(results.length, inputs.length, 'one outcome per posting');
  inputs.forEach((input, i) => {
    const want = expected[i];
    const got = results[i];
    assert.ok(want !== undefined && got !== undefined);
    const what = `${input.idempotencyKey}: expected ${json(want)}, the ledger said ${json(got)}`;
    if (want.ok && !want.replayed) {
      assert.ok(got.ok && !got.replayed, what);
      model.keys.set(input.idempotencyKey, { hash: contentHash(input), transactionId: got.transactionId });
      model.posted.push({ input, transactionId: got.transactionId });
      for (const e of input.entries) if (model.own.has(e.accountId)) model.balances.set(e.accountId, (model.balances.get(e.accountId) ?? 0n) + e.amountPence);
      const payment = /^payment:([0-9a-f-]{36}):(\d+)$/.exec(input.idempotencyKey);
      if (payment !== null) {
        const schedule = model.schedules.find((s) => s.id === payment[1]);
        const number = Number(payment[2]);
        assert.ok(schedule !== undefined, `a payment for a schedule the model knows (${input.idempotencyKey})`);
        assert.ok(!schedule.paid.has(number), `instalment ${number} of ${schedule.id} is paid only once`);
        schedule.paid.add(number);
      }
      count(world, `posted ${input.kind}`);
    } else {
      assert.deepEqual(got, want, what);
      count(world, want.ok ? 'replayed' : want.reason);
    }
  });
}

/**
 * One step of a sequence, as a service does it: in one council transaction, `plan` works out what
 * to post (it may read and open accounts), the ledger posts it (postWithin), each outcome is checked
 * against the model's prediction and applied to the model, and then, in the same transaction, the
 * ledger's balance of every account of the sequence must equal the model's. (One transaction rather
 * than postMany and then balances: the same code path, two round trips fewer, which is what lets
 * 10,000 sequences run in CI.) It is withCouncil, not withRetries: sequences never share a key, so
 * a lost race would be a bug, and must fail rather than be retried.
 */
async function step(r: RealSequence, m: MoneyModel, what: string, recordedBy: string | null, plan: (tx: TenantTx) => Promise<readonly TransactionInput[]> | readonly TransactionInput[]): Promise<void> {
  const { world } = r;
  await world.withCouncil(world.councilId, async (tx) => {
    const inputs = await plan(tx);
    const expected = predict(m, inputs);
    settle(world, m, inputs, expected, await world.ledger.postWithin(tx, world.councilId, inputs, recordedBy));
    const ids = [...m.own];
    const actual = await ledgerRepository(tx).balancesOf(ids);
    for (const id of ids) assert.equal(actual.get(id), m.balances.get(id), `after ${what}: the balance of the ${m.kinds.get(id)} account ${id}`);
  });
}

/* ---- The real side of one sequence -------------------------------------------------------------- */

export interface RealBudget {
  readonly id: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly lines: readonly AgreedBudgetLine[];
  readonly frequency: Frequency;
  readonly cycleAnchor: string | undefined;
  /** Ledger account id by set-up ref (pot:<stream>, line:<stream>:<management>, holder…). */
  readonly accountIds: ReadonlyMap<string, string>;
  readonly schedule: ScheduleForRun | null;
}

export interface RealSequence {
  readonly world: MoneyWorld;
  /** The sequence's number in its database (the person's reference). */
  readonly number: number;
  readonly personId: string;
  personWritten: boolean;
  readonly budgets: RealBudget[];
  /** Current instalments of each schedule, as the system holds them (a plan change removes some). */
  readonly schedules: Map<string, ScheduleForRun>;
  runs: number;
}

/** A new sequence: a new person (written with their first budget, in one statement). */
export function newSequence(world: MoneyWorld): RealSequence {
  world.sequences += 1;
  return { world, number: world.sequences, personId: crypto.randomUUID(), personWritten: false, budgets: [], schedules: new Map(), runs: 0 };
}

/**
 * Writes an agreed personal budget and its lines (and, the first time, the person) in ONE
 * statement: the ledger accounts refer to them. The plan is the world's shared one; the status is
 * 'ended' so a person may have several (only one may be active).
 */
async function insertBudget(real: RealSequence, budget: { id: string; startsOn: string; endsOn: string; lines: readonly AgreedBudgetLine[] }): Promise<void> {
  const { world } = real;
  const n = real.number;
  const person = real.personWritten
    ? sql`SELECT 1`
    : sql`INSERT INTO people (id, council_id, reference, given_name, family_name, date_of_birth, postcode, case_type, primary_need, needs_summary, setting, stage, stage_since, request_date, restricted, created_at)
          VALUES (${real.personId}, ${world.councilId}, ${`MM-${n}`}, 'Sam', ${`Model ${n}`}, '2016-05-10', 'NM1 2BB', 'ehc', 'SLCN', 'Needs support with speech and language.', NULL, 'agreed', '2026-01-01', '2026-01-01', false, now())`;
  const total = budget.lines.reduce((s, l) => s + l.annualPence, 0n);
  await sql`
    WITH person AS (${person}),
         budget AS (INSERT INTO personal_budgets (id, council_id, person_id, plan_id, version, starts_on, ends_on, total_pence, status, created_at)
                    VALUES (${budget.id}, ${world.councilId}, ${real.personId}, ${world.planId}, 1, ${budget.startsOn}, ${budget.endsOn}, ${total}, 'ended', now()))
    INSERT INTO personal_budget_lines (id, council_id, personal_budget_id, funding_stream_id, management, annual_pence)
    SELECT gen_random_uuid(), ${world.councilId}, ${budget.id}, l.stream, l.management, l.annual
      FROM unnest(${budget.lines.map((l) => l.streamId)}::uuid[], ${budget.lines.map((l) => l.management)}::text[], ${budget.lines.map((l) => l.annualPence)}::bigint[]) AS l (stream, management, annual)`.execute(world.database.db);
  real.personWritten = true;
}

/* ---- Approvals ---------------------------------------------------------------------------------- */

export interface ApprovalSpec {
  readonly startOffset: number;
  /** null: one budget year (ends "a year later less a day"); else the number of days. */
  readonly days: number | null;
  readonly frequency: Frequency;
  /** A cycle date this many days from the start (the council's pay-run day), or none. */
  readonly anchorOffset: number | null;
  readonly lines: readonly { stream: 0 | 1; management: Management; annualPence: bigint; withProvider: boolean }[];
}

export const approvalArb: fc.Arbitrary<ApprovalSpec> = fc
  .record({
    startOffset: fc.nat(90),
    days: fc.option(fc.integer({ min: 20, max: 400 }), { freq: 3 }),
    frequency: fc.constantFrom<Frequency>('four_weekly', 'monthly'),
    anchorOffset: fc.option(fc.integer({ min: -40, max: 40 })),
    dp: fc.uniqueArray(fc.record({ stream: fc.constantFrom<0 | 1>(0, 1), annualPence: fc.bigInt({ min: 0n, max: 3_000_000n }) }), { minLength: 1, maxLength: 2, selector: (l) => l.stream }),
    others: fc.uniqueArray(
      fc.record({ stream: fc.constantFrom<0 | 1>(0, 1), management: fc.constantFrom<Management>('individual_service_fund', 'council_managed'), annualPence: fc.bigInt({ min: 0n, max: 3_000_000n }), withProvider: fc.boolean() }),
      { maxLength: 2, selector: (l) => `${l.stream}:${l.management}` },
    ),
  })
  .map(({ dp, others, ...rest }) => ({ ...rest, lines: [...dp.map((l) => ({ ...l, management: 'direct_payment' as const, withProvider: false })), ...others] }));

export function describeApproval(spec: ApprovalSpec): string {
  const lines = spec.lines.map((l) => `${['care', 'education'][l.stream]} ${l.management}${l.withProvider && l.management === 'individual_service_fund' ? ' (provider)' : ''} ${pence(l.annualPence)}`);
  return `approve(from day ${spec.startOffset}, ${spec.days === null ? 'a year' : `${spec.days} days`}, ${spec.frequency}${spec.anchorOffset === null ? '' : ` anchor ${spec.anchorOffset}`}: ${lines.join(', ')})`;
}

/** A budget to agree: its period, lines and payment frequency. */
interface NewBudget {
  readonly startsOn: string;
  readonly endsOn: string;
  readonly lines: readonly AgreedBudgetLine[];
  readonly frequency: Frequency;
  readonly cycleAnchor: string | undefined;
}

/**
 * Which of a schedule's instalments a payment has taken: paid, or planned by a run (a run's
 * payments are fixed when it is made; a crashed one finishes them when it runs again).
 */
function takenInstalments(model: MoneyModel, schedule: ModelSchedule): Set<number> {
  const inRuns = new Set(model.runs.flatMap((run) => run.inputs.map((i) => i.idempotencyKey)));
  return new Set(schedule.instalments.filter((i) => schedule.paid.has(i.number) || inRuns.has(`payment:${schedule.id}:${i.number}`)).map((i) => i.number));
}

/**
 * What agreeing a new plan does to the budget it replaces, as budget-set-up.ts does it: a new budget
 * starting within the old one's period closes it out from that day (closeOut: its instalments from
 * then removed unless taken, what it no longer needs released to the pots, the days already paid
 * taken off the new first payment); one starting before it removes every instalment not taken; one
 * starting after it leaves its instalments to be paid. The old schedule's kept instalments are
 * still paid by later runs.
 */
function replace(model: MoneyModel, old: RealBudget, startsOn: string): { kept: readonly Instalment[]; release: TransactionInput | null; overlap: readonly StreamPart[]; how: string } {
  const schedule = model.schedules.find((s) => s.id === old.id);
  const instalments = schedule?.instalments ?? [];
  const taken = schedule === undefined ? new Set<number>() : takenInstalments(model, schedule);
  if (compareDates(startsOn, old.startsOn) < 0) return { kept: instalments.filter((i) => taken.has(i.number)), release: null, overlap: [], how: 'replacements from before the old budget' };
  if (compareDates(startsOn, old.endsOn) > 0) return { kept: instalments, release: null, overlap: [], how: 'budgets after the old one' };
  const result = closeOut({ startsOn: old.startsOn, endsOn: old.endsOn, lines: old.lines }, startsOn, instalments, taken);
  return {
    kept: instalments.filter((i) => !result.drop.includes(i.number)),
    release: releaseTransaction({ id: old.id, lines: old.lines }, startsOn, result.release, (ref) => old.accountIds.get(ref) ?? ''),
    overlap: result.overlap,
    how: 'close-outs',
  };
}

/**
 * Agrees a budget as the set-up service does (budget-set-up.ts): the budget and its lines written,
 * its accounts found or opened, its transactions posted, its direct payment schedule kept, and the
 * person's latest budget, if any, replaced (`replace`) in the same transaction. The transactions
 * and schedule come from budgetSetUp; the accounts and postings are the ledger's.
 */
async function agree(model: MoneyModel, real: RealSequence, budget: NewBudget, what: string): Promise<void> {
  const { world } = real;
  const { startsOn, endsOn, lines, frequency, cycleAnchor } = budget;
  const budgetId = crypto.randomUUID();
  await insertBudget(real, { id: budgetId, startsOn, endsOn, lines });
  const plan = budgetSetUp({ id: budgetId, personId: real.personId, startsOn, endsOn, lines }, { frequency, ...(cycleAnchor === undefined ? {} : { cycleAnchor }) });
  const old = real.budgets.at(-1);
  const replaced = old === undefined ? undefined : replace(model, old, startsOn);

  const accountIds = new Map<string, string>();
  await step(real, model, what, world.staffId, async (tx) => {
    for (const account of plan.accounts) {
      const id = await world.ledger.accountWithin(tx, world.councilId, { identity: account.identity, name: account.name });
      accountIds.set(account.ref, id);
      const kind = account.identity.kind;
      // The sequence's own accounts start empty in the model (the balance check after the approval
      // proves they were); the council's shared pots are checked entry by entry at the end.
      if (kind !== 'stream_pot' && !model.own.has(id)) {
        model.own.add(id);
        model.kinds.set(id, kind);
        model.balances.set(id, 0n);
      }
    }
    // The set-up's transactions, then the old budget's release, in the service's order. Each is new
    // and accepted: the allocation comes first, so the ISF and commitment never find their budget
    // line short, and a release never takes more than the old line still holds.
    const inputs = [...bindAccounts(plan, (ref) => accountIds.get(ref) ?? ''), ...(replaced?.release ? [replaced.release] : [])];
    assert.deepEqual(predict(model, inputs), inputs.map(() => ({ ok: true, replayed: false })), `${what}: every transaction of the agreement is accepted`);
    return inputs;
  });
  if (old !== undefined && replaced !== undefined) {
    count(world, replaced.how);
    if (replaced.release !== null) count(world, 'releases to the pot');
    if (replaced.overlap.length > 0) count(world, 'first payments netted');
    const oldSchedule = model.schedules.find((s) => s.id === old.id);
    const oldReal = real.schedules.get(old.id);
    if (oldSchedule !== undefined && oldReal !== undefined) {
      oldSchedule.instalments = replaced.kept;
      real.schedules.set(old.id, { ...oldReal, instalments: replaced.kept });
    }
  }
  const bound = bindSchedule(plan, (ref) => accountIds.get(ref) ?? '');
  const schedule = bound === null ? null : { ...bound, instalments: netOverlap(bound.instalments, replaced?.overlap ?? []) };
  if (schedule !== null) {
    real.schedules.set(schedule.id, schedule);
    model.schedules.push({ id: schedule.id, instalments: schedule.instalments, paid: new Set() });
  }
  real.budgets.push({ id: budgetId, startsOn, endsOn, lines, frequency, cycleAnchor, accountIds, schedule });
  model.budgets += 1;
}

/** Agrees the budget an approval describes, replacing the person's latest as agreement does. */
export async function approve(model: MoneyModel, real: RealSequence, spec: ApprovalSpec): Promise<void> {
  const { world } = real;
  const startsOn = on(spec.startOffset);
  const endsOn = spec.days === null ? endOfBudgetYear(startsOn) : addDays(startsOn, spec.days - 1);
  const lines: AgreedBudgetLine[] = spec.lines.map((l) => ({
    streamId: world.streamIds[l.stream],
    management: l.management,
    annualPence: l.annualPence,
    providerId: l.management === 'individual_service_fund' && l.withProvider ? world.providerId : null,
  }));
  const cycleAnchor = spec.anchorOffset === null ? undefined : addDays(startsOn, spec.anchorOffset);
  await agree(model, real, { startsOn, endsOn, lines, frequency: spec.frequency, cycleAnchor }, describeApproval(spec));
  count(world, 'approvals');
}

/* ---- Commands --------------------------------------------------------------------------------- */

export type MoneyCommand = fc.AsyncCommand<MoneyModel, RealSequence, false>;
type Cmd = MoneyCommand;

/** A second (or third) budget for the same person: a later year, or a replacement. */
class Approve implements Cmd {
  constructor(readonly spec: ApprovalSpec) {}
  check = (m: Readonly<MoneyModel>): boolean => m.budgets < 4;
  async run(m: MoneyModel, r: RealSequence): Promise<void> {
    count(r.world, 'commands');
    await approve(m, r, this.spec);
  }
  toString = (): string => describeApproval(this.spec);
}

export interface AmendSpec {
  /** Where in the latest budget's period (per thousand of its days) the new plan starts. */
  readonly changeAt: number;
  /** Each line's new annual amount, or null to keep it. */
  readonly annualPence: readonly (bigint | null)[];
  readonly end: { readonly how: 'same' | 'shorter' | 'longer'; readonly days: number };
}

/**
 * A mid-year change: a new plan agreed while the latest budget runs, from a day within its period,
 * with the same lines at new amounts and the same end or an earlier or later one. Agreement makes it
 * a new budget that closes out the old one (`agree`, `replace`), as the product does.
 */
class Amend implements Cmd {
  constructor(readonly spec: AmendSpec) {}
  check = (m: Readonly<MoneyModel>): boolean => m.budgets > 0 && m.budgets < 4;
  async run(m: MoneyModel, r: RealSequence): Promise<void> {
    count(r.world, 'commands');
    const old = r.budgets.at(-1);
    assert.ok(old !== undefined);
    const days = daysBetween(old.startsOn, old.endsOn) + 1;
    const startsOn = addDays(old.startsOn, Math.floor((days * this.spec.changeAt) / 1000));
    const { how, days: by } = this.spec.end;
    // A budget runs for two days at least (the database's check, as for any agreed plan).
    const endsOn = laterOf(addDays(startsOn, 1), how === 'same' ? old.endsOn : how === 'longer' ? addDays(old.endsOn, by) : addDays(old.endsOn, -by));
    const lines = old.lines.map((l, i) => ({ ...l, annualPence: this.spec.annualPence[i] ?? l.annualPence }));
    await agree(m, r, { startsOn, endsOn, lines, frequency: old.frequency, cycleAnchor: old.cycleAnchor }, this.toString());
    count(r.world, 'amendments');
  }
  toString = (): string =>
    `amend(at ${this.spec.changeAt}‰ of the latest budget, to ${this.spec.annualPence.map((p) => (p === null ? 'same' : pence(p))).join(' + ')} a year, end ${this.spec.end.how}${this.spec.end.how === 'same' ? '' : ` by ${this.spec.end.days} days`})`;
}

export interface RunSpec {
  readonly dayOffset: number;
  /** Planned as if nothing had been paid: a run that raced another one to the same instalments. */
  readonly raced: boolean;
  /** The run stops after posting this many of its payments (a crash), or null. */
  readonly crashAfter: number | null;
}

/** The keys a schedule would post, whatever is due. */
const allKeys = (schedules: Iterable<ScheduleForRun>): string[] => [...schedules].flatMap((s) => s.instalments.map((i) => `payment:${s.id}:${i.number}`));

/**
 * A payment run on a date, as the run service does it: in one council transaction, read which keys
 * are posted, plan with planRun, post the due payments. The model says independently which
 * instalments are due: every positive one due on or before the date whose number is not yet paid
 * (raced: whatever is paid), ordered by due date; negative ones are for review, never paid.
 */
class Run implements Cmd {
  constructor(readonly spec: RunSpec) {}
  check = (m: Readonly<MoneyModel>): boolean => m.schedules.length > 0;
  async run(m: MoneyModel, r: RealSequence): Promise<void> {
    count(r.world, 'commands');
    r.runs += 1;
    const run: RunInfo = { id: `${r.personId.slice(0, 8)}-${r.runs}`, runDate: on(this.spec.dayOffset) };
    const schedules = [...r.schedules.values()];
    await step(r, m, this.toString(), null, async (tx) => {
      const posted = this.spec.raced ? new Set<string>() : new Set((await ledgerRepository(tx).findTransactionsByKeys(allKeys(schedules))).map((t) => t.idempotencyKey));
      const plan = planRun(schedules, run, posted);
      const modelDue = (sign: 1n | -1n) =>
        m.schedules
          .flatMap((s) => s.instalments.filter((i) => compareDates(i.dueOn, run.runDate) <= 0 && i.amountPence * sign > 0n && (this.spec.raced || !s.paid.has(i.number))).map((i) => `payment:${s.id}:${i.number}`))
          .sort();
      assert.deepEqual(plan.due.map((d) => d.key).sort(), modelDue(1n), `${this.toString()}: the instalments due`);
      assert.deepEqual(plan.toReview.map((d) => d.key).sort(), modelDue(-1n), `${this.toString()}: the instalments to review`);
      plan.due.forEach((d, i) => assert.ok(i === 0 || compareDates(plan.due[i - 1]?.instalment.dueOn ?? '', d.instalment.dueOn) <= 0, 'payments post in due-date order'));
      const all = plan.due.map((d) => d.transaction);
      const inputs = this.spec.crashAfter === null ? all : all.slice(0, this.spec.crashAfter % (all.length + 1));
      if (inputs.length < all.length) count(r.world, 'crashed runs');
      if (plan.toReview.length > 0) count(r.world, 'instalments for review');
      // Every payment takes from budget lines into the holder, and pays the instalment's amount.
      for (const d of plan.due) assert.equal(d.transaction.entries.find((e) => e.accountId === r.schedules.get(d.scheduleId)?.holderAccountId)?.amountPence, d.instalment.amountPence);
      m.runs.push({ id: run.id, runDate: run.runDate, inputs: all });
      return inputs;
    });
    count(r.world, this.spec.raced ? 'raced runs' : 'runs');
  }
  toString = (): string => `run(day ${this.spec.dayOffset}${this.spec.raced ? ', raced' : ''}${this.spec.crashAfter === null ? '' : `, crash after ${this.spec.crashAfter}`})`;
}

/** The same run again (after a crash, or by mistake): every payment it planned, posted again. */
class Rerun implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<MoneyModel>): boolean => m.runs.length > 0;
  async run(m: MoneyModel, r: RealSequence): Promise<void> {
    count(r.world, 'commands');
    const run = m.runs[this.pick % m.runs.length];
    assert.ok(run !== undefined);
    await step(r, m, this.toString(), null, () => run.inputs);
    count(r.world, 'reruns');
  }
  toString = (): string => `rerun(run ${this.pick})`;
}

export interface SpendSpec {
  /** Which account spends: the holder, else a provider or council commitment (by index). */
  readonly from: number;
  readonly amountPence: bigint;
  readonly refund: boolean;
  readonly dayOffset: number;
}

/** Spending (account → payments_out, `spend:<person>:<n>`) or a refund (the reverse, `refund:<person>:<n>`). */
class Spend implements Cmd {
  constructor(readonly spec: SpendSpec) {}
  check = (m: Readonly<MoneyModel>): boolean => m.budgets > 0;
  async run(m: MoneyModel, r: RealSequence): Promise<void> {
    count(r.world, 'commands');
    // In the order the sequence opened them: the budget's lines come first, then the holder, provider, commitments.
    const spenders = [...m.own].filter((id) => ['dp_holder', 'provider', 'council_commitment'].includes(m.kinds.get(id) ?? ''));
    const account = spenders[this.spec.from % spenders.length];
    assert.ok(account !== undefined, 'an approved budget has a holder');
    m.spends += 1;
    const out = r.world.paymentsOut;
    const kind: TransactionKind = this.spec.refund ? 'refund' : 'spend';
    const input: TransactionInput = {
      idempotencyKey: `${kind}:${r.personId}:${m.spends}`,
      kind,
      effectiveOn: on(this.spec.dayOffset),
      description: this.spec.refund ? `Refund from a supplier (${m.spends})` : `Spending on support (${m.spends})`,
      entries: this.spec.refund
        ? [{ accountId: out, amountPence: -this.spec.amountPence }, { accountId: account, amountPence: this.spec.amountPence }]
        : [{ accountId: account, amountPence: -this.spec.amountPence }, { accountId: out, amountPence: this.spec.amountPence }],
    };
    await step(r, m, this.toString(), r.world.staffId, () => [input]);
  }
  toString = (): string => `${this.spec.refund ? 'refund' : 'spend'}(${pence(this.spec.amountPence)} by spender ${this.spec.from} on day ${this.spec.dayOffset})`;
}

/** A recovery of surplus from the holder (holder → recoveries, `recovery:<person>:<n>`): only of money the holder has. */
class Recover implements Cmd {
  constructor(readonly perMille: number, readonly dayOffset: number) {}
  private holder(m: Readonly<MoneyModel>): string | undefined {
    return [...m.own].find((id) => m.kinds.get(id) === 'dp_holder');
  }
  check = (m: Readonly<MoneyModel>): boolean => {
    const holder = this.holder(m);
    return holder !== undefined && (m.balances.get(holder) ?? 0n) > 0n;
  };
  async run(m: MoneyModel, r: RealSequence): Promise<void> {
    count(r.world, 'commands');
    const holder = this.holder(m) ?? '';
    const held = m.balances.get(holder) ?? 0n;
    const amount = laterBig(1n, (held * BigInt(this.perMille)) / 1000n);
    m.recoveries += 1;
    const input: TransactionInput = {
      idempotencyKey: `recovery:${r.personId}:${m.recoveries}`,
      kind: 'recovery',
      effectiveOn: on(this.dayOffset),
      description: `Surplus recovered, with reasons given to the family (${m.recoveries})`,
      entries: [{ accountId: holder, amountPence: -amount }, { accountId: r.world.recoveries, amountPence: amount }],
    };
    await step(r, m, this.toString(), r.world.staffId, () => [input]);
  }
  toString = (): string => `recover(${this.perMille}‰ of the holder's balance on day ${this.dayOffset})`;
}

const laterBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/**
 * An attempt to pay out of a budget line more than it holds (line → payments_out,
 * `overcommit:<person>:<n>`): a budget is never committed beyond its allocation, so the ledger must
 * refuse it and nothing moves (the model predicts insufficient_funds with what the line holds).
 */
class Overcommit implements Cmd {
  constructor(readonly pick: number, readonly extraPence: bigint) {}
  check = (m: Readonly<MoneyModel>): boolean => [...m.own].some((id) => m.kinds.get(id) === 'budget');
  async run(m: MoneyModel, r: RealSequence): Promise<void> {
    count(r.world, 'commands');
    const lines = [...m.own].filter((id) => m.kinds.get(id) === 'budget');
    const line = lines[this.pick % lines.length] ?? '';
    const amount = (m.balances.get(line) ?? 0n) + this.extraPence;
    m.spends += 1;
    const input: TransactionInput = {
      idempotencyKey: `overcommit:${r.personId}:${m.spends}`,
      kind: 'spend',
      effectiveOn: BASE_DATE,
      description: `More than the budget line holds (${m.spends})`,
      entries: [{ accountId: line, amountPence: -amount }, { accountId: r.world.paymentsOut, amountPence: amount }],
    };
    assert.equal(predict(m, [input])[0]?.ok, false, 'more than the line holds is refused');
    await step(r, m, this.toString(), r.world.staffId, () => [input]);
  }
  toString = (): string => `overcommit(line ${this.pick} by ${pence(this.extraPence)})`;
}

/** A retry of an earlier posting: unchanged, it replays; changed under its key, it is refused. */
class Retry implements Cmd {
  constructor(readonly pick: number, readonly change: 'none' | 'description' | 'amount' | 'date') {}
  check = (m: Readonly<MoneyModel>): boolean => m.posted.length > 0;
  async run(m: MoneyModel, r: RealSequence): Promise<void> {
    count(r.world, 'commands');
    const original = m.posted[this.pick % m.posted.length]?.input;
    assert.ok(original !== undefined);
    const input: TransactionInput =
      this.change === 'none'
        ? original
        : this.change === 'description'
          ? { ...original, description: `${original.description} (changed)` }
          : this.change === 'amount'
            ? { ...original, entries: original.entries.map((e) => ({ ...e, amountPence: e.amountPence * 2n })) }
            : { ...original, effectiveOn: addDays(original.effectiveOn, 1) };
    assert.equal(predict(m, [input])[0]?.ok, this.change === 'none', 'unchanged it replays; changed it conflicts');
    await step(r, m, this.toString(), null, () => [input]);
  }
  toString = (): string => `retry(posting ${this.pick}${this.change === 'none' ? '' : `, ${this.change} changed`})`;
}

export const commandArbs: fc.Arbitrary<Cmd>[] = [
  approvalArb.map((spec) => new Approve(spec)),
  fc
    .record({
      changeAt: fc.nat(999),
      annualPence: fc.array(fc.option(fc.bigInt({ min: 0n, max: 4_000_000n })), { minLength: 4, maxLength: 4 }),
      end: fc.record({ how: fc.constantFrom<'same' | 'shorter' | 'longer'>('same', 'same', 'shorter', 'longer'), days: fc.integer({ min: 1, max: 120 }) }),
    })
    .map((spec) => new Amend(spec)),
  fc.record({ dayOffset: fc.nat(480), raced: fc.boolean(), crashAfter: fc.option(fc.nat(6), { freq: 3 }) }).map((spec) => new Run(spec)),
  fc.record({ dayOffset: fc.nat(480), raced: fc.constant(false), crashAfter: fc.constant(null) }).map((spec) => new Run(spec)),
  fc.nat(20).map((pick) => new Rerun(pick)),
  fc.record({ from: fc.nat(3), amountPence: fc.bigInt({ min: 1n, max: 500_000n }), refund: fc.boolean(), dayOffset: fc.nat(480) }).map((spec) => new Spend(spec)),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.nat(480)).map(([perMille, day]) => new Recover(perMille, day)),
  fc.tuple(fc.nat(5), fc.bigInt({ min: 1n, max: 100_000n })).map(([pick, extra]) => new Overcommit(pick, extra)),
  fc.tuple(fc.nat(50), fc.constantFrom<'none' | 'description' | 'amount' | 'date'>('none', 'none', 'description', 'amount', 'date')).map(([pick, change]) => new Retry(pick, change)),
];

/* ---- Running the property ------------------------------------------------------------------------ */

/** One sequence: its first approval (the model's initial state), the commands, and a date for the as-of check. */
function sequenceArb(maxCommands: number) {
  return fc.record({
    first: approvalArb.map((spec) => Object.assign(spec, { toString: () => describeApproval(spec) })),
    commands: fc.commands(commandArbs, { maxCommands }),
    asOfDay: fc.nat(480),
  });
}

/** Every transaction touching the sequence's own accounts, with its entries, as stored. */
async function storedTransactions(world: MoneyWorld, own: readonly string[]): Promise<Map<string, { key: string; entries: [string, bigint][] }>> {
  const rows = await sql<{ id: string; key: string; account_id: string; amount: string }>`
    SELECT t.id, t.idempotency_key AS key, e.account_id, e.amount_pence::text AS amount
      FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
     WHERE t.id IN (SELECT transaction_id FROM ledger_entries WHERE council_id = ${world.councilId} AND account_id = ANY(${[...own]}::uuid[]))`.execute(world.database.db);
  const out = new Map<string, { key: string; entries: [string, bigint][] }>();
  for (const row of rows.rows) {
    const tx = out.get(row.id) ?? { key: row.key, entries: [] };
    tx.entries.push([row.account_id, BigInt(row.amount)]);
    out.set(row.id, tx);
  }
  return out;
}

const sortedEntries = (entries: readonly [string, bigint][]) => [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

/**
 * The end of a sequence: every transaction touching its accounts is one the model posted, with
 * exactly its entries (so nothing was paid twice, and the pots, bank and recoveries got exactly the
 * model's entries too), each balanced; and its balances as of a random date equal a replay of the
 * model's postings (modelBalancesAsOf).
 */
async function checkSequence(world: MoneyWorld, model: MoneyModel, asOf: string): Promise<void> {
  const own = [...model.own];
  const stored = await storedTransactions(world, own);
  assert.equal(stored.size, model.posted.length, 'the ledger holds exactly the transactions the model posted: nothing paid twice, nothing lost');
  for (const { input, transactionId } of model.posted) {
    const tx = stored.get(transactionId);
    assert.ok(tx !== undefined, `transaction ${input.idempotencyKey} is in the ledger`);
    assert.equal(tx.key, input.idempotencyKey);
    assert.ok(tx.entries.length >= 2, `${input.idempotencyKey} moves money between two or more accounts`);
    assert.equal(tx.entries.reduce((s, [, p]) => s + p, 0n), 0n, `${input.idempotencyKey} sums to zero`);
    assert.deepEqual(sortedEntries(tx.entries), sortedEntries(input.entries.map((e) => [e.accountId, e.amountPence])), `${input.idempotencyKey} holds the entries posted`);
  }
  const expected = modelBalancesAsOf(model.posted.map((p) => p.input), asOf);
  const actual = await world.ledger.balances(world.councilId, own, asOf);
  for (const id of own) assert.equal(actual.get(id), expected.get(id) ?? 0n, `the balance of the ${model.kinds.get(id)} account ${id} as of ${asOf}`);
  for (const id of own) if (model.kinds.get(id) === 'budget') assert.ok((model.balances.get(id) ?? 0n) >= 0n, 'a budget line never goes below zero');
}

async function runSequence(world: MoneyWorld, sequence: { first: ApprovalSpec; commands: Iterable<MoneyCommand>; asOfDay: number }): Promise<void> {
  const real = newSequence(world);
  const model = emptyModel();
  await fc.asyncModelRun(async () => {
    await approve(model, real, sequence.first);
    return { model, real };
  }, sequence.commands);
  await checkSequence(world, model, addDays(BASE_DATE, sequence.asOfDay));
}

export interface MoneyModelJob {
  readonly engine: Engine;
  readonly sequences: number;
  /** Sequences run at once (PostgreSQL only: PGlite has one connection). */
  readonly together: number;
  readonly maxCommands: number;
}

export interface MoneyModelSummary {
  readonly sequences: number;
  readonly seconds: number;
  /** CPU time of the whole process (all threads) while the job ran. */
  readonly cpuSeconds: number;
  readonly stats: ReadonlyMap<string, number>;
  /** Transactions with fewer than two entries or entries not summing to zero, in the whole database. */
  readonly unbalancedTransactions: number;
  /** Each database's council: its sum of entries (zero in double entry) and how many entries it has. */
  readonly councils: readonly { readonly total: bigint; readonly entries: number }[];
}

/** Sequences per database: a fresh database now and then keeps each one small, so the 10,000th sequence costs what the first did. */
const SEQUENCES_PER_DATABASE = 1_000;

/**
 * Runs `job.sequences` random sequences (fc.assert: a failure throws with the failing batch, its
 * error and its seed), on a new database of `job.engine` for every SEQUENCES_PER_DATABASE of them, and
 * checks each database's whole books before dropping it.
 */
export async function runMoneyModel(job: MoneyModelJob): Promise<MoneyModelSummary> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const stats = new Map<string, number>();
  const councils: { total: bigint; entries: number }[] = [];
  let sequences = 0;
  let unbalancedTransactions = 0;
  while (sequences < job.sequences) {
    const database = await createTestDatabase(job.engine);
    try {
      const world = await moneyWorld(database);
      const runs = Math.ceil(Math.min(SEQUENCES_PER_DATABASE, job.sequences - sequences) / job.together);
      await fc.assert(
        fc.asyncProperty(fc.array(sequenceArb(job.maxCommands), { minLength: job.together, maxLength: job.together }), async (batch) => {
          // Every sequence of the batch ends before the property answers: a failed one must not leave
          // its siblings still writing while the next run starts.
          const outcomes = await Promise.allSettled(batch.map((sequence) => runSequence(world, sequence)));
          const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
          if (failed !== undefined) throw failed.reason;
        }),
        // No shrinking (endOnFailure): the sequences share one council, so a smaller batch run later
        // on the same database is not the same experiment; the report shows the batch that failed,
        // with its own error, and its seed and path replay it (MONEY_MODEL_SEED).
        { numRuns: runs, includeErrorInReport: true, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      const unbalanced = await sql<{ id: string }>`
        SELECT t.id FROM ledger_transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id
         GROUP BY t.id HAVING count(e.id) < 2 OR coalesce(sum(e.amount_pence), 0) <> 0`.execute(database.db);
      unbalancedTransactions += unbalanced.rows.length;
      const totals = await sql<{ total: string; n: string }>`SELECT sum(amount_pence)::text AS total, count(*)::text AS n FROM ledger_entries GROUP BY council_id`.execute(database.db);
      councils.push(...totals.rows.map((r) => ({ total: BigInt(r.total), entries: Number(r.n) })));
      sequences += world.sequences;
      for (const [what, n] of world.stats) stats.set(what, (stats.get(what) ?? 0) + n);
    } finally {
      await database.dispose();
    }
  }
  const used = process.cpuUsage(cpu);
  return { sequences, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, stats, unbalancedTransactions, councils };
}

/**
 * Runs a job in a worker thread, so that the sequences use both cores of a CI machine (PGlite runs
 * in the thread that opened it). This file is the worker's module: see the end of the file.
 */
export function runMoneyModelInWorker(job: MoneyModelJob): Promise<MoneyModelSummary> {
  const entry = new URL(import.meta.url).href;
  // tsx's loader is registered in the worker before this TypeScript module is imported.
  const worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, { eval: true, workerData: { moneyModelJob: job } });
  return new Promise((resolve, reject) => {
    let summary: MoneyModelSummary | undefined;
    worker.on('message', (message: MoneyModelSummary) => (summary = message));
    worker.on('error', reject);
    worker.on('exit', (code) => (summary !== undefined ? resolve(summary) : reject(new Error(`the money model worker stopped (exit code ${code}) without a summary`))));
  });
}

const job = isMainThread ? undefined : (workerData as { moneyModelJob?: MoneyModelJob } | null)?.moneyModelJob;
if (job !== undefined) parentPort?.postMessage(await runMoneyModel(job));
