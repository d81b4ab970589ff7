/**
 * Budget set-up (issue 6): what the ledger needs when a personal budget is agreed. Pure rules: no
 * I/O, no clock; dates 'YYYY-MM-DD', money bigint pence. The service finds or opens the accounts,
 * then posts the transactions in the order given, with the keys given.
 *
 * From an agreed budget (its lines: funding stream × way of managing × annual amount) this gives:
 * - the ACCOUNTS, as ledger identities (`AccountIdentity`), each with a local `ref` because a pure
 *   function cannot know database ids: a budget account per line; each stream's pot for the period
 *   (`periodStartsOn` = the first day, 1 April, of the financial year the budget starts in: a
 *   council's funding for a stream is set per financial year); the person's direct payment
 *   holder account (when any line is a direct payment); a provider account per ISF provider named;
 *   a council commitment account per stream managed by the council;
 * - the TRANSACTIONS, against those refs (`bindAccounts` turns them into ledger inputs):
 *   1. `budget:<id>:allocation` — each stream pot → each budget line, the PERIOD amount
 *      (`periodAmountPence`: exactly the annual amount for a budget year, pro rata otherwise).
 *      ONE transaction for the whole budget, not one per line: the budget is agreed as a whole, so
 *      it is allocated as a whole — the ledger posts all of it or none of it, and a family or
 *      finance officer never sees half a budget. A stream with several lines (education paid partly
 *      as a direct payment, partly through an ISF) gives one pot entry, the sum of its lines (the
 *      ledger allows an account once per transaction).
 *   2. `budget:<id>:isf` — ISF lines with a provider: the whole period amount, budget line →
 *      provider account, at set-up. We chose this over moving a quarter at a time because it is the
 *      simpler correct one: an individual service fund IS money the provider holds and manages for
 *      the person (DOMAIN.md: "providers holding an ISF send returns showing each person's
 *      balance"), so the provider account should show the whole fund from the start, and its
 *      quarterly returns are compared with that account. An ISF line without a provider yet stays
 *      on its budget line; a later allocation moves it when the provider is chosen.
 *   3. `budget:<id>:commitment` — council-managed lines: budget line → council commitment account
 *      for the stream, the whole period amount (the council has committed it to services it buys).
 *   Direct payment lines stay on their budget line: the payment runs move each instalment from the
 *   budget lines to the holder account as it falls due (see run.ts).
 * - the direct payment SCHEDULE: one schedule for all the person's direct payment lines (DOMAIN.md:
 *   one payment stream per recipient even when several streams fund it), each instalment showing
 *   every stream's share (`paymentSchedule`). Its id is the budget's id.
 *
 * All transactions are effective on the budget's first day, so statements as of any date in the
 * period show the budget in full. The allocation comes first: a budget account may never go below
 * zero, so the ISF and commitment transactions must be posted after it (the ledger judges a batch in
 * the order given). Posting the plan twice posts nothing the second time: the keys are stable and the
 * content is the same (decision 0017, idempotency).
 *
 * Invalid input throws a RangeError: the caller passes a budget already agreed and stored, so a bad
 * value here is a programming error, not something to show a family.
 */
import type { AccountIdentity, TransactionInput, TransactionKind } from '../ledger/ledger.ts';
import type { Pence } from '../money/money.ts';
import { compareDates, isIsoDate, longDate } from '../pathway/dates.ts';
import type { ScheduleForRun } from './run.ts';
import { paymentSchedule, periodAmountPence, type Frequency, type Instalment } from './schedule.ts';

export type Management = 'direct_payment' | 'individual_service_fund' | 'council_managed';
const MANAGEMENTS: readonly Management[] = ['direct_payment', 'individual_service_fund', 'council_managed'];

export interface AgreedBudgetLine {
  readonly streamId: string;
  readonly management: Management;
  readonly annualPence: Pence;
  /** Only for an ISF line, once the provider is known. */
  readonly providerId?: string | null;
  /** For account names only (funding stream name, provider name). */
  readonly streamName?: string;
  readonly providerName?: string;
}

export interface AgreedBudget {
  readonly id: string;
  readonly personId: string;
  /** Both days included, as personal_budgets.starts_on and ends_on. */
  readonly startsOn: string;
  readonly endsOn: string;
  readonly lines: readonly AgreedBudgetLine[];
  /** For account names only. */
  readonly personName?: string;
}

/** The council's payment settings. */
export interface PaymentSettings {
  readonly frequency: Frequency;
  readonly cycleAnchor?: string;
}

/** An account to find or open: `ref` names it within this plan. */
export interface PlannedAccount {
  readonly ref: string;
  readonly identity: AccountIdentity;
  readonly name: string;
}

export interface PlannedEntry {
  readonly ref: string;
  /** Positive = money into the account (decision 0017). */
  readonly amountPence: Pence;
}

export interface PlannedTransaction {
  readonly idempotencyKey: string;
  readonly kind: TransactionKind;
  readonly effectiveOn: string;
  readonly description: string;
  readonly entries: readonly PlannedEntry[];
}

/** The person's direct payment schedule, its accounts named by ref. */
export interface PlannedSchedule {
  readonly id: string;
  readonly personId: string;
  readonly holderRef: string;
  /** The budget line account (as a ref) each stream's share is paid from. */
  readonly budgetRefByStream: Readonly<Record<string, string>>;
  readonly instalments: readonly Instalment[];
}

export interface BudgetSetUp {
  readonly budgetId: string;
  readonly accounts: readonly PlannedAccount[];
  /** In posting order: the allocation first. */
  readonly transactions: readonly PlannedTransaction[];
  /** Null when no line is a direct payment. */
  readonly schedule: PlannedSchedule | null;
}

/* ---- Refs: local names for the accounts of one plan ----------------------------------------- */

export const refs = {
  pot: (streamId: string): string => `pot:${streamId}`,
  line: (streamId: string, management: Management): string => `line:${streamId}:${management}`,
  holder: (): string => 'holder',
  provider: (providerId: string): string => `provider:${providerId}`,
  commitment: (streamId: string): string => `commitment:${streamId}`,
};

const MANAGEMENT_WORDS: Record<Management, string> = {
  direct_payment: 'direct payment',
  individual_service_fund: 'individual service fund',
  council_managed: 'council-managed',
};

/* ---- Validation -------------------------------------------------------------------------------- */

function requireBudget(budget: AgreedBudget): void {
  if (budget.id === '' || budget.personId === '') throw new RangeError('A budget needs its id and the person it is for');
  for (const [what, date] of [['start', budget.startsOn], ['end', budget.endsOn]] as const) {
    if (!isIsoDate(date)) throw new RangeError(`The budget ${what} must be a real date written YYYY-MM-DD (got "${date}")`);
  }
  // As the personal_budgets CHECK (ends_on > starts_on).
  if (compareDates(budget.endsOn, budget.startsOn) <= 0) throw new RangeError('The budget must end after it starts');
  const seen = new Set<string>();
  for (const line of budget.lines) {
    if (line.streamId === '') throw new RangeError('A budget line needs a funding stream');
    if (!MANAGEMENTS.includes(line.management)) throw new RangeError(`Unknown way of managing the money: "${line.management}"`);
    if (line.annualPence < 0n) throw new RangeError(`The ${MANAGEMENT_WORDS[line.management]} line of stream ${line.streamId} has a negative amount`);
    // As the UNIQUE (personal_budget_id, funding_stream_id, management) of personal_budget_lines.
    const key = refs.line(line.streamId, line.management);
    if (seen.has(key)) throw new RangeError(`Stream ${line.streamId} has two ${MANAGEMENT_WORDS[line.management]} lines`);
    seen.add(key);
    const hasProvider = line.providerId !== undefined && line.providerId !== null && line.providerId !== '';
    if (hasProvider && line.management !== 'individual_service_fund') {
      throw new RangeError('A provider is named only on an individual service fund line');
    }
  }
}

/* ---- Accounts ---------------------------------------------------------------------------------- */

/** 1 April of the financial year (April to March) that `date` falls in. */
export function financialYearStart(date: string): string {
  const year = Number(date.slice(0, 4));
  return date.slice(5) >= '04-01' ? `${year}-04-01` : `${year - 1}-04-01`;
}

/** "2026 to 2027": the financial year `date` falls in, as GOV.UK writes it. */
export function financialYearName(date: string): string {
  const start = Number(financialYearStart(date).slice(0, 4));
  return `${start} to ${start + 1}`;
}

function providerOf(line: AgreedBudgetLine): string | null {
  return line.management === 'individual_service_fund' && line.providerId ? line.providerId : null;
}

function streamLabel(line: AgreedBudgetLine): string {
  return line.streamName ?? `stream ${line.streamId}`;
}

/** Every account the budget needs, once each, in a stable order (lines in the order given). */
function plannedAccounts(budget: AgreedBudget): PlannedAccount[] {
  const byRef = new Map<string, PlannedAccount>();
  const add = (account: PlannedAccount): void => {
    if (!byRef.has(account.ref)) byRef.set(account.ref, account);
  };
  const who = budget.personName ?? `person ${budget.personId}`;
  for (const line of budget.lines) {
    add({
      ref: refs.pot(line.streamId),
      identity: { kind: 'stream_pot', fundingStreamId: line.streamId, periodStartsOn: financialYearStart(budget.startsOn) },
      name: `${streamLabel(line)} pot for ${financialYearName(budget.startsOn)}`,
    });
  }
  for (const line of budget.lines) {
    add({
      ref: refs.line(line.streamId, line.management),
      identity: { kind: 'budget', personalBudgetId: budget.id, fundingStreamId: line.streamId, management: line.management },
      name: `Personal budget of ${who}: ${streamLabel(line)}, ${MANAGEMENT_WORDS[line.management]}`,
    });
  }
  for (const line of budget.lines) {
    const providerId = providerOf(line);
    if (line.management === 'direct_payment') {
      // Per person, not per budget: the family has one direct payment account across budget years.
      add({ ref: refs.holder(), identity: { kind: 'dp_holder', personId: budget.personId }, name: `Direct payment account of ${who}` });
    } else if (providerId !== null) {
      // Per provider AND person: a provider holds each person's fund separately and returns a
      // balance per person.
      add({
        ref: refs.provider(providerId),
        identity: { kind: 'provider', providerId, personId: budget.personId },
        name: `${line.providerName ?? `Provider ${providerId}`}: individual service fund of ${who}`,
      });
    } else if (line.management === 'council_managed') {
      add({
        ref: refs.commitment(line.streamId),
        identity: { kind: 'council_commitment', personalBudgetId: budget.id, fundingStreamId: line.streamId },
        name: `Council-managed services for ${who}: ${streamLabel(line)}`,
      });
    }
  }
  return [...byRef.values()];
}

/* ---- Transactions ------------------------------------------------------------------------------ */

/** Sums amounts per ref (first seen first) and drops zeros: the ledger refuses a zero entry. */
function entriesOf(amounts: readonly (readonly [string, Pence])[]): PlannedEntry[] {
  const byRef = new Map<string, Pence>();
  for (const [ref, pence] of amounts) byRef.set(ref, (byRef.get(ref) ?? 0n) + pence);
  return [...byRef].filter(([, pence]) => pence !== 0n).map(([ref, amountPence]) => ({ ref, amountPence }));
}

/** One transaction moving each line's period amount from `from(line)` to `to(line)`; null when nothing moves. */
function moving(
  lines: readonly (AgreedBudgetLine & { periodPence: Pence })[],
  from: (line: AgreedBudgetLine) => string,
  to: (line: AgreedBudgetLine) => string,
  how: Omit<PlannedTransaction, 'entries'>,
): PlannedTransaction | null {
  const entries = entriesOf(lines.flatMap((line) => [[from(line), -line.periodPence] as const, [to(line), line.periodPence] as const]));
  return entries.length >= 2 ? { ...how, entries } : null;
}

function plannedTransactions(budget: AgreedBudget): PlannedTransaction[] {
  const lines = budget.lines.map((line) => ({ ...line, periodPence: periodAmountPence(line.annualPence, budget.startsOn, budget.endsOn) }));
  const period = `${longDate(budget.startsOn)} to ${longDate(budget.endsOn)}`;
  const base = (what: string, kind: TransactionKind) => ({ idempotencyKey: `budget:${budget.id}:${what}`, kind, effectiveOn: budget.startsOn });
  const lineRef = (line: AgreedBudgetLine): string => refs.line(line.streamId, line.management);
  const isf = lines.filter((line) => providerOf(line) !== null);
  const councilManaged = lines.filter((line) => line.management === 'council_managed');
  return [
    moving(lines, (line) => refs.pot(line.streamId), lineRef, { ...base('allocation', 'allocation'), description: `Personal budget allocated for ${period}` }),
    moving(isf, lineRef, (line) => refs.provider(providerOf(line) ?? ''), {
      ...base('isf', 'allocation'),
      description: `Individual service fund passed to the provider for ${period}`,
    }),
    moving(councilManaged, lineRef, (line) => refs.commitment(line.streamId), {
      ...base('commitment', 'allocation'),
      description: `Council-managed services committed for ${period}`,
    }),
  ].filter((tx): tx is PlannedTransaction => tx !== null);
}

/* ---- The direct payment schedule --------------------------------------------------------------- */

function plannedSchedule(budget: AgreedBudget, settings: PaymentSettings): PlannedSchedule | null {
  const dp = budget.lines.filter((line) => line.management === 'direct_payment');
  if (dp.length === 0) return null;
  const instalments = paymentSchedule({
    periodStart: budget.startsOn,
    periodEnd: budget.endsOn,
    frequency: settings.frequency,
    ...(settings.cycleAnchor === undefined ? {} : { cycleAnchor: settings.cycleAnchor }),
    streams: dp.map((line) => ({ streamId: line.streamId, annualPence: line.annualPence })),
  });
  return {
    id: budget.id,
    personId: budget.personId,
    holderRef: refs.holder(),
    budgetRefByStream: Object.fromEntries(dp.map((line) => [line.streamId, refs.line(line.streamId, 'direct_payment')])),
    instalments,
  };
}

/* ---- Public ------------------------------------------------------------------------------------ */

/** Everything the ledger needs for an agreed budget; the same input always gives the same plan. */
export function budgetSetUp(budget: AgreedBudget, settings: PaymentSettings): BudgetSetUp {
  requireBudget(budget);
  return {
    budgetId: budget.id,
    accounts: plannedAccounts(budget),
    transactions: plannedTransactions(budget),
    schedule: plannedSchedule(budget, settings),
  };
}

function bound(idOf: (ref: string) => string, ref: string): string {
  const id = idOf(ref);
  if (id === '') throw new RangeError(`No ledger account was given for "${ref}"`);
  return id;
}

/** The plan's transactions as ledger inputs, once the service knows each account's id. */
export function bindAccounts(plan: BudgetSetUp, idOf: (ref: string) => string): TransactionInput[] {
  return plan.transactions.map((tx) => ({
    idempotencyKey: tx.idempotencyKey,
    kind: tx.kind,
    effectiveOn: tx.effectiveOn,
    description: tx.description,
    entries: tx.entries.map((e) => ({ accountId: bound(idOf, e.ref), amountPence: e.amountPence })),
  }));
}

/** The schedule with account ids, as the payment runs take it (run.ts `ScheduleForRun`). */
export function bindSchedule(plan: BudgetSetUp, idOf: (ref: string) => string): ScheduleForRun | null {
  const schedule = plan.schedule;
  if (schedule === null) return null;
  return {
    id: schedule.id,
    personId: schedule.personId,
    holderAccountId: bound(idOf, schedule.holderRef),
    budgetAccountIdByStream: Object.fromEntries(Object.entries(schedule.budgetRefByStream).map(([stream, ref]) => [stream, bound(idOf, ref)])),
    instalments: schedule.instalments,
  };
}
