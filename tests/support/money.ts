/**
 * Agreed personal budgets for the money tests (issue 6): a person with a plan agreed through the real
 * sign-off service, so the budget is on the ledger exactly as in the running service (accounts,
 * allocation, ISF and commitment transactions, the direct payment schedule and its instalments).
 */
import crypto from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import { fixedClock, type Clock } from '../../src/clock.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { ledgerServices } from '../../src/services/ledger.ts';
import { budgetSetUpServices, type BudgetSetUpServices } from '../../src/services/budget-set-up.ts';
import { signOffServices } from '../../src/services/sign-off.ts';
import { paymentRunServices } from '../../src/services/payment-runs.ts';
import { monitoringServices } from '../../src/services/monitoring.ts';
import type { Actor } from '../../src/domain/access/policy.ts';
import type { StreamCode } from '../../src/domain/allocation/model.ts';
import type { SupportItem } from '../../src/domain/plans/content.ts';
import { addPlan, planContent, supportItem } from './sign-off.ts';
import { TEST_NOW } from './app.ts';

/** The budget set-up services on a test database (for building signOffServices by hand). */
export function setUpOn(database: Database, clock: Clock = fixedClock(TEST_NOW)): BudgetSetUpServices {
  return budgetSetUpServices({ ledger: ledgerServices({ withCouncil: tenantRunner(database), clock }), clock });
}

const STREAM_NAMES: Record<StreamCode, string> = {
  education_high_needs: 'Education (high needs)',
  social_care: 'Social care',
  health_continuing_care: 'Health (continuing care)',
};

/** The council's funding stream with this code, made when it has none yet. */
export async function streamOf(database: Database, councilId: string, code: StreamCode): Promise<string> {
  const found = await database.db.selectFrom('funding_streams').select('id').where('council_id', '=', councilId).where('code', '=', code).executeTakeFirst();
  if (found !== undefined) return found.id;
  const id = crypto.randomUUID();
  await database.db
    .insertInto('funding_streams')
    .values({ id, council_id: councilId, code, name: STREAM_NAMES[code], funder: 'Council', annual_envelope_pence: 1_000_000_000n })
    .execute();
  return id;
}

/** A provider of the council (for individual service funds: a plan item names it by this name). */
export async function addProvider(database: Database, councilId: string, name: string): Promise<string> {
  const id = crypto.randomUUID();
  await database.db
    .insertInto('providers')
    .values({ id, council_id: councilId, name, kind: 'care_agency', email: 'office@provider.test', phone: '01632 960000', town: 'Townley' })
    .execute();
  return id;
}

/** A line of the budget: `weeklyPounds` a week (52 weeks a year) under one way of managing. */
export interface BudgetItem {
  readonly weeklyPounds: number;
  readonly management: SupportItem['management'];
  readonly stream?: StreamCode;
  /** For an individual service fund: the provider's name (add it with addProvider to have it matched). */
  readonly provider?: string;
}

export interface AgreedBudgetOptions {
  readonly reference: string;
  /** A caseworker of the council: the plan's author, the person's lead worker, who records the agreement. */
  readonly caseworkerId: string;
  readonly items: readonly BudgetItem[];
  /** The plan period (both days included); 12 months less a day from `agreedOn` when not given. */
  readonly periodStartsOn?: string;
  readonly periodEndsOn?: string;
  /** Default: the day before TEST_NOW (2026-11-19). */
  readonly agreedOn?: string;
  readonly contingencyPence?: bigint;
  /** An existing person (a second agreed plan for them supersedes the first). */
  readonly personId?: string;
  readonly clock?: Clock;
}

export interface AgreedBudgetFixture {
  readonly personId: string;
  readonly planId: string;
  readonly personalBudgetId: string;
  readonly scheduleId: string | null;
}

/** A person whose plan (with the items given) has been approved and then agreed through the real service. */
export async function addAgreedBudget(database: Database, councilId: string, options: AgreedBudgetOptions): Promise<AgreedBudgetFixture> {
  const clock = options.clock ?? fixedClock(TEST_NOW);
  for (const item of options.items) await streamOf(database, councilId, item.stream ?? 'social_care');
  const items = options.items.map((item, i) =>
    supportItem(`i${i + 1}`, item.weeklyPounds, { stream: item.stream ?? 'social_care', management: item.management, provider: item.provider ?? 'Local provider' }),
  );
  const content = planContent(items, { contingency: { amountPence: options.contingencyPence ?? 0n, purpose: options.contingencyPence ? 'Cover when my assistant is ill' : '' } });
  const { personId, planId } = await addPlan(database, councilId, {
    reference: options.reference,
    authorId: options.caseworkerId,
    content,
    status: 'approved',
    ...(options.personId === undefined ? {} : { personId: options.personId }),
  });
  if (options.periodStartsOn !== undefined && options.periodEndsOn !== undefined) {
    await database.db.updateTable('plans').set({ period_starts_on: options.periodStartsOn, period_ends_on: options.periodEndsOn }).where('id', '=', planId).execute();
  }
  const council = await database.db.selectFrom('councils').select(['slug', 'name']).where('id', '=', councilId).executeTakeFirstOrThrow();
  const worker: Actor = { kind: 'staff', role: 'caseworker', accountId: options.caseworkerId, displayName: 'Caseworker', councilId, councilSlug: council.slug, councilName: council.name };
  const signOff = signOffServices({ withCouncil: tenantRunner(database), clock, budgetSetUp: setUpOn(database, clock) });
  const agreed = await signOff.agree(worker, planId, { typedName: 'Jo Parent', agreedOn: options.agreedOn ?? '2026-11-19', confirmed: true }, { requestId: 'test', sourceAddress: '127.0.0.1' });
  if (!agreed.ok) throw new Error(`The plan could not be agreed: ${agreed.errors.map((e) => e.message).join('; ')}`);
  const schedule = await database.db.selectFrom('payment_schedules').select('id').where('personal_budget_id', '=', agreed.value.personalBudgetId).executeTakeFirst();
  return { personId, planId, personalBudgetId: agreed.value.personalBudgetId, scheduleId: schedule?.id ?? null };
}

export interface MoneyFixture {
  readonly personalBudgetId: string;
  readonly paymentRunId: string;
  readonly recoveryId: string;
  readonly lineId: string;
}

/**
 * Money records about an existing person, for the pages that name them: a direct payment budget
 * agreed for the person, their bank details, a payment run created (not processed) by
 * `financeOfficerId`, a spending line entered by them and a recovery they proposed.
 */
export async function addMoneyFixtures(database: Database, councilId: string, options: { personId: string; caseworkerId: string; financeOfficerId: string }): Promise<MoneyFixture> {
  const clock = fixedClock(TEST_NOW);
  const budget = await addAgreedBudget(database, councilId, { reference: 'MONEY-FIXTURE', personId: options.personId, caseworkerId: options.caseworkerId, items: [{ weeklyPounds: 100, management: 'direct_payment' }] });
  await database.db
    .insertInto('payee_bank_details')
    .values({ council_id: councilId, person_id: options.personId, payee_reference: 'SUP1', account_name: 'J Parent', sort_code: '400000', account_number: '12345678', updated_at: TEST_NOW })
    .execute();
  const council = await database.db.selectFrom('councils').select(['slug', 'name']).where('id', '=', councilId).executeTakeFirstOrThrow();
  const finance: Actor = { kind: 'staff', role: 'finance_officer', accountId: options.financeOfficerId, displayName: 'Finance', councilId, councilSlug: council.slug, councilName: council.name };
  const withCouncil = tenantRunner(database);
  const ledger = ledgerServices({ withCouncil, clock });
  const context = { requestId: 'test', sourceAddress: '127.0.0.1' };
  const run = await paymentRunServices({ withCouncil, clock, ledger }).create(finance, '2026-11-20', context);
  if (!run.ok) throw new Error(`No payment run: ${run.errors.map((e) => e.message).join('; ')}`);
  const monitoring = monitoringServices({ withCouncil, clock, ledger });
  // A receipt: the eight bytes every PNG file starts with, and a little more.
  const receipt = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
  const line = await monitoring.enterLine(finance, options.personId, { date: '2026-11-20', payee: 'Swim club', category: 'activities', amount: '12.50', type: 'spend', receipt: { bytes: receipt, name: 'receipt.png' } }, context);
  if (!line.ok) throw new Error(`No spending line: ${line.errors.map((e) => e.message).join('; ')}`);
  // A recovery proposed and approved by two other finance officers, with its posting: it has a notice.
  const others: string[] = [];
  for (const n of [1, 2]) {
    const id = crypto.randomUUID();
    await database.db
      .insertInto('accounts')
      .values({ id, council_id: councilId, kind: 'staff', email: `finance-${n}-${id.slice(0, 8)}@money.test`, display_name: `Finance ${n}`, role: 'finance_officer', job_title: 'Finance officer', team: 'Finance', approval_limit_pence: null, password_hash: 'x' })
      .execute();
    others.push(id);
  }
  const holder = await database.db.selectFrom('ledger_accounts').select('id').where('kind', '=', 'dp_holder').where('person_id', '=', options.personId).executeTakeFirstOrThrow();
  const recoveriesAccount = await ledger.account(councilId, { identity: { kind: 'recoveries' }, name: 'Recoveries' });
  const recoveryId = crypto.randomUUID();
  const posted = await ledger.post(
    councilId,
    { idempotencyKey: `recovery:${recoveryId}`, kind: 'recovery', effectiveOn: '2026-11-20', description: 'Surplus recovered', entries: [{ accountId: holder.id, amountPence: -1_000n }, { accountId: recoveriesAccount, amountPence: 1_000n }] },
    others[1] ?? null,
  );
  if (!posted.ok) throw new Error(`No recovery posted: ${posted.reason}`);
  await database.db
    .insertInto('recoveries')
    .values({
      id: recoveryId,
      council_id: councilId,
      person_id: options.personId,
      amount_pence: 1_000n,
      kind: 'surplus',
      reasons: 'Surplus above the threshold',
      status: 'approved',
      proposed_by: others[0] ?? '',
      proposed_at: TEST_NOW,
      decided_by: others[1] ?? null,
      decided_at: TEST_NOW,
      challenge_by: '2026-12-18',
      transaction_id: posted.transactionId,
    })
    .execute();
  return { personalBudgetId: budget.personalBudgetId, paymentRunId: run.value.runId, recoveryId, lineId: line.value.lineId };
}
