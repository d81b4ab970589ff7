/**
 * The demo councils' money (issue 6): a year of it, made by the real services — not inserted — so
 * the finance and family pages show history the service itself would have written:
 *  - every active personal budget put on the ledger as agreement does (budget set-up);
 *  - bank details for every direct payment holder;
 *  - a payment run every four weeks for the last year (the latest 20 days ago, so some payments are
 *    due for the next run), created by the finance officer, authorised by the finance manager where
 *    the total needs a second finance officer, and processed;
 *  - quarterly spending statements uploaded for direct payment holders, most spending nearly all of
 *    their payments; some spending little (a surplus), some with a school place on the statement (a
 *    category a direct payment may not buy), some with the last return missing;
 *  - a recovery of surplus proposed and waiting for a second officer, one approved and challenged by the
 *    family, and one approved for the demo young person, who can challenge it online;
 *  - ISF returns from the demo provider for the last two ended quarters, one line differing from the ledger.
 * Each step runs with a clock set to the day it would have happened. Deterministic for a given today.
 */
import { fixedClock, type Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { tenantRunner } from '../db/tenancy.ts';
import { ledgerServices } from '../services/ledger.ts';
import { budgetSetUpServices } from '../services/budget-set-up.ts';
import { paymentRunServices } from '../services/payment-runs.ts';
import { monitoringServices } from '../services/monitoring.ts';
import { recoveryServices } from '../services/recoveries.ts';
import { isfReturnServices } from '../services/isf-returns.ts';
import type { Actor } from '../domain/access/policy.ts';
import { penceToDecimal } from '../domain/money/money.ts';
import { addDays, compareDates } from '../domain/pathway/dates.ts';
import { quarterEnds } from '../domain/monitoring/returns.ts';
import { seeded } from './random.ts';

export interface DemoMoneySummary {
  readonly budgets: number;
  readonly runs: number;
  readonly payments: number;
  readonly returns: number;
  readonly recoveries: number;
  readonly isfReturns: number;
}

const CONTEXT = { requestId: 'demo-seed', sourceAddress: '10.20.0.14' };
/** Four-weekly runs over the last year, the latest 20 days ago: what fell due since waits for the next run. */
const RUN_EVERY_DAYS = 28;
const RUNS = 13;
const LAST_RUN_DAYS_AGO = 20;

function servicesAt(database: Database, clock: Clock) {
  const withCouncil = tenantRunner(database);
  const ledger = ledgerServices({ withCouncil, clock });
  const monitoring = monitoringServices({ withCouncil, clock, ledger });
  return {
    ledger,
    setUp: budgetSetUpServices({ ledger, clock }),
    runs: paymentRunServices({ withCouncil, clock, ledger }),
    monitoring,
    recoveries: recoveryServices({ withCouncil, clock, ledger, monitoring }),
    isfReturns: isfReturnServices({ withCouncil, clock, ledger }),
  };
}

/** Midday in England on `date`, as an instant (the services' clock). */
const at = (date: string): Clock => fixedClock(new Date(`${date}T12:00:00Z`));

export async function seedMoney(database: Database, councilId: string, today: string): Promise<DemoMoneySummary> {
  const db = database.db;
  const random = seeded(Number.parseInt(councilId.replace(/-/g, '').slice(0, 8), 16));
  const council = await db.selectFrom('councils').select(['id', 'slug', 'name']).where('id', '=', councilId).executeTakeFirstOrThrow();
  const staffActor = async (email: string): Promise<Actor> => {
    const row = await db.selectFrom('accounts').select(['id', 'display_name', 'role']).where('email', '=', email).executeTakeFirstOrThrow();
    if (row.role === null) throw new Error(`${email} is not staff`);
    return { kind: 'staff', role: row.role, accountId: row.id, displayName: row.display_name, councilId, councilSlug: council.slug, councilName: council.name };
  };
  const finance = await staffActor(`finance@${council.slug}.example`);
  const financeManager = await staffActor(`financemanager@${council.slug}.example`);

  // 1. Every active budget on the ledger, as agreeing its plan does, in the order they started.
  const budgets = await db
    .selectFrom('personal_budgets as b')
    .leftJoin('plan_agreements as a', (j) => j.onRef('a.plan_id', '=', 'b.plan_id').onRef('a.version', '=', 'b.version'))
    .select(['b.id', 'b.starts_on', 'a.agreed_by'])
    .where('b.council_id', '=', councilId)
    .where('b.status', '=', 'active')
    .orderBy('b.starts_on')
    .orderBy('b.id')
    .execute();
  // One council transaction for them all (a demo seed, not a use case): a commit per budget would
  // double the time a fresh start takes.
  await tenantRunner(database)(councilId, async (tx) => {
    for (const budget of budgets) await servicesAt(database, at(budget.starts_on)).setUp.setUpWithin(tx, councilId, budget.id, budget.agreed_by ?? null);
  });

  // 2. Bank details of every direct payment holder (fictional: sort codes 40-xx-xx, as the demo's bank).
  const holders = await db.selectFrom('payment_schedules as s').innerJoin('people as p', 'p.id', 's.person_id').select(['s.person_id', 'p.reference', 'p.family_name']).where('s.council_id', '=', councilId).orderBy('p.reference').execute();
  if (holders.length > 0) {
    await db
      .insertInto('payee_bank_details')
      .values(
        holders.map((h, i) => ({
          council_id: councilId,
          person_id: h.person_id,
          payee_reference: `SUP${String(10_000 + i)}`,
          account_name: `${h.family_name} family direct payment account`,
          sort_code: `40${String(1000 + Math.floor(random() * 9000))}`,
          account_number: String(10_000_000 + Math.floor(random() * 89_999_999)),
          updated_by: finance.accountId,
          updated_at: new Date(`${addDays(today, -RUN_EVERY_DAYS * RUNS - 7)}T12:00:00Z`),
        })),
      )
      .onConflict((oc) => oc.column('person_id').doNothing())
      .execute();
  }

  // 3. A year of four-weekly payment runs.
  let runs = 0;
  let payments = 0;
  for (let k = RUNS - 1; k >= 0; k--) {
    const runDate = addDays(today, -LAST_RUN_DAYS_AGO - RUN_EVERY_DAYS * k);
    const { runs: service } = servicesAt(database, at(runDate));
    const created = await service.create(finance, runDate, CONTEXT);
    if (!created.ok) continue; // nothing due on that date
    if (created.value.status === 'awaiting_authorisation') await service.authorise(financeManager, created.value.runId, CONTEXT);
    const result = await service.process(councilId, created.value.runId);
    runs += 1;
    payments += result.paid;
  }

  // 4. Quarterly spending statements from direct payment holders.
  const schedules = await db
    .selectFrom('payment_schedules as s')
    .innerJoin('personal_budgets as b', 'b.id', 's.personal_budget_id')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .select(['s.id', 's.person_id', 'b.starts_on', 'b.ends_on'])
    .where('s.council_id', '=', councilId)
    .where('s.status', '=', 'active')
    // A restricted record is open only to the workers named on it; the finance officer is not.
    .where('p.restricted', '=', false)
    .orderBy('s.person_id')
    .execute();
  let returns = 0;
  const surplusPeople: string[] = [];
  // The demo young person with their own account (src/demo/families.ts) spends little too, so they
  // have a notice of a recovery to read and can challenge it online.
  const youngPersonId = (
    await db
      .selectFrom('family_links as l')
      .innerJoin('accounts as a', 'a.id', 'l.account_id')
      .select('l.person_id')
      .where('a.email', '=', `youngperson@${council.slug}.example`)
      .executeTakeFirst()
  )?.person_id;
  for (const [index, schedule] of schedules.entries()) {
    const profile = schedule.person_id === youngPersonId || index % 10 === 1 ? 'surplus' : index % 10 === 2 ? 'school_place' : index % 10 === 3 ? 'missing_last' : 'usual';
    if (profile === 'surplus' && schedule.person_id !== youngPersonId) surplusPeople.push(schedule.person_id);
    const instalments = await db.selectFrom('payment_instalments').select(['due_on', 'amount_pence']).where('schedule_id', '=', schedule.id).execute();
    // The returns the monitoring expects (quarterly from the budget's start), the last two that
    // ended at least 10 days ago: enough to show returns and flags, quick to seed.
    const allQuarters = quarterEnds(schedule.starts_on, schedule.ends_on);
    const quarters = allQuarters.filter((end) => compareDates(addDays(end, 10), today) <= 0).slice(-2);
    for (const [q, quarterEnd] of quarters.entries()) {
      if (profile === 'missing_last' && q === quarters.length - 1) continue;
      const previousEnd = allQuarters[allQuarters.indexOf(quarterEnd) - 1];
      const quarterStart = previousEnd === undefined ? schedule.starts_on : addDays(previousEnd, 1);
      const paid = instalments.filter((i) => compareDates(i.due_on, quarterStart) >= 0 && compareDates(i.due_on, quarterEnd) <= 0).reduce((sum, i) => sum + BigInt(i.amount_pence), 0n);
      if (paid <= 0n) continue;
      const share = profile === 'surplus' ? 0.3 : 0.86 + random() * 0.12;
      const csv = statementCsv(quarterStart, quarterEnd, BigInt(Math.floor(Number(paid) * share)), profile === 'school_place' && q === quarters.length - 1, random);
      const uploadOn = addDays(quarterEnd, 10);
      if (compareDates(uploadOn, today) > 0) continue;
      const { monitoring } = servicesAt(database, at(uploadOn));
      const uploaded = await monitoring.uploadStatement(finance, schedule.person_id, { name: `statement-${quarterEnd}.csv`, bytes: Buffer.from(csv) }, CONTEXT);
      if (uploaded.ok) returns += 1;
    }
  }

  // 5. Recoveries of surplus: one waiting for a second officer, one approved with its notice.
  let recoveries = 0;
  const { monitoring, recoveries: recoveryService } = servicesAt(database, at(today));
  /** Proposes recovering half the person's surplus (the rest stays for the plan's support); the recovery's id, or undefined without a surplus. */
  const proposeHalfTheSurplus = async (personId: string): Promise<string | undefined> => {
    const surplus = (await monitoring.spending(finance, personId, CONTEXT)).account?.result.reconciliation.surplusPence ?? 0n;
    if (surplus <= 0n) return undefined;
    const proposed = await recoveryService.proposeSurplus(
      finance,
      personId,
      { amount: penceToDecimal(surplus / 2n), reasons: 'The account has built up more than the council’s threshold over several months while the agreed support was being used less. Half of the surplus is being recovered; the rest stays for the support the plan agrees.' },
      CONTEXT,
    );
    return proposed.ok ? proposed.value.recoveryId : undefined;
  };
  const approve = async (recoveryId: string): Promise<boolean> =>
    (await recoveryService.decide(financeManager, recoveryId, { decision: 'approve', note: 'Checked the statements and the plan: agreed.' }, CONTEXT)).ok;
  for (const personId of surplusPeople) {
    if (recoveries === 2) break;
    const recoveryId = await proposeHalfTheSurplus(personId);
    if (recoveryId === undefined) continue;
    recoveries += 1;
    // The family challenged the second the day it was approved; it waits for someone who was not part of the decision.
    if (recoveries === 2 && (await approve(recoveryId))) {
      await recoveryService.recordChallenge(
        finance,
        recoveryId,
        { receivedOn: today, summary: 'The family rang: £400 of the balance is promised to the PA for holiday cover next month, and they sent the invoice.' },
        CONTEXT,
      );
    }
  }
  // The young person's: approved today, its notice not yet challenged.
  const youngPersonsRecovery = youngPersonId === undefined ? undefined : await proposeHalfTheSurplus(youngPersonId);
  if (youngPersonsRecovery !== undefined && (await approve(youngPersonsRecovery))) recoveries += 1;

  // 6. ISF returns from the demo provider for the last two ended quarters.
  let isfReturns = 0;
  const providerUser = await db
    .selectFrom('accounts as a')
    .innerJoin('providers as p', 'p.id', 'a.provider_id')
    .select(['a.id', 'a.display_name', 'a.provider_id', 'p.name'])
    .where('a.council_id', '=', councilId)
    .where('a.kind', '=', 'provider')
    .executeTakeFirst();
  if (providerUser !== undefined && providerUser.provider_id !== null) {
    const provider: Actor = { kind: 'provider', accountId: providerUser.id, displayName: providerUser.display_name, providerId: providerUser.provider_id, providerName: providerUser.name, councilId, councilSlug: council.slug, councilName: council.name };
    const { isfReturns: isf } = servicesAt(database, at(today));
    const quarters = (await isf.quarters(provider)).quarters.slice(0, 2).reverse();
    for (const { quarter } of quarters) {
      const submitOn = addDays(quarter.endsOn, 14);
      if (compareDates(submitOn, today) > 0) continue;
      const { isfReturns: service, ledger } = servicesAt(database, at(submitOn));
      const form = await service.providerReturn(provider, quarter.startsOn, CONTEXT);
      if (form.state !== 'due') continue;
      const lines = [];
      for (const [i, person] of form.people.entries()) {
        const account = await db.selectFrom('ledger_accounts').select('id').where('kind', '=', 'provider').where('provider_id', '=', provider.providerId).where('person_id', '=', person.personId).executeTakeFirstOrThrow();
        const held = await ledger.balance(councilId, account.id, quarter.endsOn);
        const spent = held > 0n ? (held * BigInt(20 + Math.floor(random() * 10))) / 100n : 0n;
        // One person's balance is returned £120 higher than the ledger: finance sees the difference.
        const balance = held - spent + (i === 0 && isfReturns === 0 ? 12_000n : 0n);
        lines.push({ personId: person.personId, spent: penceToDecimal(spent), balance: penceToDecimal(balance) });
      }
      if (lines.length === 0) continue;
      const submitted = await service.submit(provider, quarter.startsOn, lines, CONTEXT);
      if (submitted.ok) isfReturns += 1;
    }
  }

  return { budgets: budgets.length, runs, payments, returns, recoveries, isfReturns };
}



const PAYEES = {
  personal_assistant: ['Sam Whitaker (PA)', 'Jo Marsden (PA)', 'Chris Bell (PA)'],
  employer_costs: ['PayrollCare Ltd', 'Employers Liability Cover'],
  activities: ['Northam Leisure Centre', 'Riverside Climbing Club', 'Town Youth Theatre'],
  transport: ['Taxi Co-op', 'Community Transport'],
  equipment: ['Sensory Supplies Ltd'],
} as const;

/** A quarter's statement: monthly wages and employer costs, some activities, to about `total` pence. */
function statementCsv(from: string, to: string, total: bigint, schoolPlace: boolean, random: () => number): string {
  const rows: string[] = ['date,payee,category,amount,reference,type'];
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  let left = total;
  const add = (date: string, payee: string, category: string, pence: bigint, reference: string) => {
    if (pence <= 0n) return;
    rows.push(`${date},${payee},${category},${penceToDecimal(pence)},${reference},spend`);
    left -= pence;
  };
  const days = Math.max(1, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000));
  const dateAt = (fraction: number) => addDays(from, Math.min(days, Math.floor(days * fraction)));
  add(dateAt(0.15), pick(PAYEES.personal_assistant), 'personal_assistant', (total * 25n) / 100n, 'WAGES-1');
  add(dateAt(0.45), pick(PAYEES.personal_assistant), 'personal_assistant', (total * 25n) / 100n, 'WAGES-2');
  add(dateAt(0.8), pick(PAYEES.personal_assistant), 'personal_assistant', (total * 25n) / 100n, 'WAGES-3');
  add(dateAt(0.5), pick(PAYEES.employer_costs), 'employer_costs', (total * 8n) / 100n, 'PAYROLL');
  if (schoolPlace) add(dateAt(0.6), 'St Hilda’s Independent School', 'school_place', left / 2n, 'FEES');
  add(dateAt(0.3), pick(PAYEES.activities), 'activities', left / 2n, '');
  add(dateAt(0.7), pick(PAYEES.transport), 'transport', left, '');
  return `${rows.join('\n')}\n`;
}
