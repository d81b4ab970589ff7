/**
 * Seeds the two fictional demo councils (Northam City Council, Southby County Council): generate the
 * rows (pure, see generate.ts), then insert them through the owner connection, which bypasses
 * row-level security, one transaction per council, in batches.
 */
import type { Database } from '../db/database.ts';
import { sealedFor, type SecretBox } from '../services/secret-box.ts';
import { DEMO_COUNCIL_SLUGS, DEMO_TOTP_SECRET, demoAccounts } from './accounts.ts';
import { generateCouncil, type GeneratedCouncil } from './generate.ts';
import { demoFamiliesAndProviders, type DemoFamiliesAndProviders } from './families.ts';
import { generateAllocation, type GeneratedAllocation } from './allocation.ts';
import { generateCases, type GeneratedCases } from './cases.ts';
import { generatePlans, type GeneratedPlans } from './plans.ts';
import type { PlanStatus } from '../db/schema.ts';
import { seedMoney, type DemoMoneySummary } from './money.ts';

export { generateCouncil, type GeneratedCouncil } from './generate.ts';
export { DEMO_PASSWORD, DEMO_TOTP_SECRET, demoAccounts } from './accounts.ts';

export interface DemoSummary {
  councils: {
    slug: string;
    name: string;
    people: number;
    staff: number;
    families: number;
    providers: number;
    services: number;
    /** Submitted questionnaires, those in progress, and exceptional-case requests. */
    allocation: { submitted: number; inProgress: number; exceptionalCases: number };
    /** Open cases, and of them those with a deadline passed. */
    cases: { open: number; overdue: number };
    /** Support plans by status (draft, submitted, returned, approved, agreed, superseded). */
    plans: Record<PlanStatus, number>;
    /** Budgets on the ledger, payment runs and payments, spending returns, recoveries and ISF returns (issue 6). */
    money: DemoMoneySummary;
  }[];
}

const BATCH = 200;

/** Runs `insert` on consecutive slices of at most BATCH rows. */
async function inBatches<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) await insert(rows.slice(start, start + BATCH));
}

/**
 * In demo mode, every demo staff account except those documented as not set up (the new starter)
 * is enrolled with the published demo authenticator secret, encrypted like any other.
 */
export interface DemoMfa {
  readonly secrets: SecretBox;
}

export async function insertCouncil(
  database: Database,
  generated: GeneratedCouncil,
  passwordHash: string,
  mfa?: DemoMfa,
  families?: DemoFamiliesAndProviders,
  allocation?: GeneratedAllocation,
  cases?: GeneratedCases,
  plans?: GeneratedPlans,
): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await trx.insertInto('councils').values(generated.council).execute();
    await inBatches(generated.fundingStreams, (rows) => trx.insertInto('funding_streams').values(rows).execute());
    const staff = generated.staff.map((row) => ({ ...row, password_hash: passwordHash }));
    await inBatches(staff, (rows) => trx.insertInto('accounts').values(rows).execute());
    if (mfa !== undefined) {
      const notSetUp = new Set(demoAccounts().filter((a) => !a.mfaEnrolled).map((a) => a.email));
      const enrolments = generated.staff
        .filter((row) => !notSetUp.has(row.email))
        .map((row) => ({
          account_id: row.id,
          council_id: row.council_id,
          totp_secret: mfa.secrets.seal(DEMO_TOTP_SECRET, sealedFor.staffTotp(row.id)),
          enrolled_at: new Date(),
          last_used_step: 0n,
        }));
      await inBatches(enrolments, (rows) => trx.insertInto('account_mfa').values(rows).execute());
    }
    await inBatches(generated.providers, (rows) => trx.insertInto('providers').values(rows).execute());
    await inBatches(generated.services, (rows) => trx.insertInto('services').values(rows).execute());
    await inBatches(generated.people, (rows) => trx.insertInto('people').values(rows).execute());
    const lines = generated.budgetLines.map(({ costing: _costing, ...row }) => row);
    await inBatches(lines, (rows) => trx.insertInto('budget_lines').values(rows).execute());
    if (families !== undefined) {
      const now = new Date();
      await trx.insertInto('accounts').values(families.accounts.map((row) => ({ ...row, password_hash: passwordHash }))).execute();
      await trx.insertInto('family_links').values(families.links.map((row) => ({ ...row, created_at: now }))).execute();
      await inBatches(families.arrangements, (rows) => trx.insertInto('support_arrangements').values(rows).execute());
      for (const look of families.history) {
        await trx
          .insertInto('audit_events')
          .values({
            council_id: generated.council.id,
            occurred_at: look.occurredAt,
            actor_id: look.accountId,
            actor_role: look.role,
            action: 'person.viewed',
            subject_type: 'person',
            subject_id: look.personId,
            source_address: '10.20.0.14',
            request_id: 'demo-seed',
          })
          .execute();
      }
    }
    if (allocation !== undefined) {
      // After the people and the family accounts, which questionnaires and requests refer to.
      await trx.insertInto('allocation_models').values(allocation.models).execute();
      await inBatches(allocation.assessments, (rows) => trx.insertInto('allocation_assessments').values(rows).execute());
      await inBatches(allocation.results, (rows) => trx.insertInto('allocation_results').values(rows).execute());
      await inBatches(allocation.requests, (rows) => trx.insertInto('exceptional_case_requests').values(rows).execute());
      await inBatches(allocation.calibrationGroups, (rows) => trx.insertInto('calibration_groups').values(rows).execute());
      await inBatches(allocation.impactRuns, (rows) => trx.insertInto('allocation_impact_runs').values(rows).execute());
    }
    if (cases !== undefined) {
      await inBatches(cases.cases, (rows) => trx.insertInto('cases').values(rows).execute());
      await inBatches(cases.steps, (rows) => trx.insertInto('case_steps').values(rows).execute());
    }
    if (plans !== undefined) {
      // After the cases they belong to; decisions and agreements name versions, so versions first.
      await trx.insertInto('approval_tiers').values(plans.tiers).execute();
      await inBatches(plans.plans.map((p) => p.row), (rows) => trx.insertInto('plans').values(rows).execute());
      await inBatches(plans.versions, (rows) => trx.insertInto('plan_versions').values(rows).execute());
      await inBatches(plans.comments, (rows) => trx.insertInto('plan_comments').values(rows).execute());
      await inBatches(plans.budgetRequests, (rows) => trx.insertInto('personal_budget_requests').values(rows).execute());
      await inBatches(plans.decisions, (rows) => trx.insertInto('plan_decisions').values(rows).execute());
      await inBatches(plans.agreements, (rows) => trx.insertInto('plan_agreements').values(rows).execute());
      await inBatches(plans.refusals, (rows) => trx.insertInto('direct_payment_refusals').values(rows).execute());
      await inBatches(plans.dbsChecks, (rows) => trx.insertInto('dbs_checks').values(rows).execute());
      await inBatches(plans.personalBudgets, (rows) => trx.insertInto('personal_budgets').values(rows).execute());
      await inBatches(plans.personalBudgetLines, (rows) => trx.insertInto('personal_budget_lines').values(rows).execute());
      // Agreement replaces the person's budget lines with the personal budget's, as the service does.
      const replaced = plans.replacedBudgetLines;
      await inBatches([...replaced.personIds], (ids) => trx.deleteFrom('budget_lines').where('person_id', 'in', ids).execute());
      await inBatches(replaced.rows, (rows) => trx.insertInto('budget_lines').values(rows).execute());
    }
  });
}

export async function seedDemo(
  database: Database,
  options: { passwordHash: string; today: string /* YYYY-MM-DD */; mfa?: DemoMfa },
): Promise<DemoSummary> {
  const summary: DemoSummary = { councils: [] };
  for (const slug of DEMO_COUNCIL_SLUGS) {
    const generated = generateCouncil(slug, options.today);
    const families = demoFamiliesAndProviders(generated, slug, options.today);
    // Sets the indicative budget of people with a questionnaire: generate before inserting the people.
    const allocation = generateAllocation(generated, families, slug, options.today);
    const cases = generateCases(generated, slug, options.today);
    const plans = generatePlans(generated, cases, allocation, families, slug, options.today);
    await insertCouncil(database, generated, options.passwordHash, options.mfa, families, allocation, cases, plans);
    // After the council is in: the money is made by the real services, as the council's own staff would.
    const money = await seedMoney(database, generated.council.id, options.today);
    summary.councils.push({
      slug,
      name: generated.council.name,
      people: generated.people.length,
      staff: generated.staff.length,
      families: families.accounts.filter((a) => a.kind === 'family').length,
      providers: generated.providers.length,
      services: generated.services.length,
      allocation: {
        submitted: allocation.results.length,
        inProgress: allocation.assessments.filter((a) => a.status === 'in_progress').length,
        exceptionalCases: allocation.requests.length,
      },
      cases: {
        open: cases.cases.filter((c) => c.status === 'open').length,
        overdue: cases.cases.filter((c) => c.status === 'open' && (c.next_due_on ?? null) !== null && (c.next_due_on ?? '') < options.today).length,
      },
      plans: plansByStatus(plans),
      money,
    });
  }
  return summary;
}

function plansByStatus(plans: GeneratedPlans): Record<PlanStatus, number> {
  const counts: Record<PlanStatus, number> = { draft: 0, submitted: 0, returned: 0, approved: 0, agreed: 0, superseded: 0 };
  for (const plan of plans.plans) counts[plan.row.status] += 1;
  return counts;
}

/** True when no council exists yet (a fresh database). */
export async function isEmpty(database: Database): Promise<boolean> {
  const row = await database.db.selectFrom('councils').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}
