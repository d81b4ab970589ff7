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
