/**
 * A person's live statement (issue 6): what was allocated, paid in, spent (by category, refunds
 * netted), the balance, the contingency and the payments still to come, for each way the money is
 * managed, and a month-by-month series for the chart. Pure: no I/O, no clock; money in bigint pence,
 * dates 'YYYY-MM-DD'. The caller brings the person's ledger accounts and their entries (never the
 * council's), the instalments of their direct payment schedules, their spending lines and the
 * contingency of the plan behind the budget.
 *
 * Accounts (src/domain/payments/set-up.ts, run.ts):
 * - budget LINES: one per budget line (stream × way of managing). Money comes in from the stream pot
 *   (allocated), and leaves to the direct payment holder (paid), or to the provider or the council
 *   commitment (passed on);
 * - HELD accounts, where the person's money then sits: the direct payment holder (the family's
 *   account), a provider's individual service fund for the person, the council-managed commitment.
 *
 * How each entry is counted (decision 0017: positive = money into the account). A reversal counts as
 * the kind of transaction it reverses, with its own (opposite) sign, so a reversed payment lowers
 * "paid in" rather than showing as spending.
 * - On a budget line: `allocation` moving money IN (as first posted: from the pot) or `adjustment`
 *   or `rollover` → allocated; `allocation` moving money OUT (as first posted: to a provider or the
 *   commitment) → passed on; `payment` → paid to the holder; anything else → other.
 * - On a held account: `payment` or `allocation` → received (paid in); `spend` and `refund` → spent
 *   (refunds net it down); `recovery` → recovered; `write_off` → written off; anything else → other.
 *
 * The figures always add up, to the penny (tests/unit/statement-properties.test.ts):
 *   line balance (not yet paid)  = allocated − passed on − paid + other
 *   held balance as of the date  = opening + received − spent − recovered + written off + other
 *   spent                        = the sum of spent by category
 * The statement period runs from the first day of the budget in force on the date (or the latest
 * budget begun before it) to the date itself: the line figures are that budget's; a held account's
 * figures are the movements in the period after an opening balance (what was carried from before).
 */
import { sumPence, type Pence } from '../money/money.ts';
import type { TransactionKind } from '../ledger/ledger.ts';
import { compareDates } from '../pathway/dates.ts';
import { paymentKey } from '../payments/run.ts';
import { categoryLabel } from '../monitoring/categories.ts';

export type Management = 'direct_payment' | 'individual_service_fund' | 'council_managed';

/** The category code of spending without a spending line (or the part a line does not explain). */
export const UNCATEGORISED = 'uncategorised';

/** One of the person's ledger accounts. */
export interface StatementAccount {
  readonly id: string;
  readonly kind: 'budget' | 'dp_holder' | 'provider' | 'council_commitment';
  /** Set on a budget line. */
  readonly management: Management | null;
  readonly personalBudgetId: string | null;
  readonly fundingStreamId: string | null;
  readonly streamName: string | null;
  readonly providerName: string | null;
  /** The ledger's name for the account (finance sees it). */
  readonly name: string;
}

/** One ledger entry on one of the person's accounts, with its transaction. */
export interface StatementEntry {
  /** The ledger's entry id: orders entries of one day as they were posted. */
  readonly entryId: bigint;
  readonly accountId: string;
  /** Positive = money into the account. */
  readonly amountPence: Pence;
  readonly effectiveOn: string;
  readonly transactionId: string;
  readonly kind: TransactionKind;
  readonly idempotencyKey: string;
  readonly description: string;
  /** Set on a reversal: the transaction it reverses and that transaction's kind. */
  readonly reversesTransactionId: string | null;
  readonly reversedKind: TransactionKind | null;
}

/** A line of a spending return: the category of (part of) a spend or refund transaction. */
export interface StatementSpendingLine {
  readonly transactionId: string;
  readonly category: string;
  readonly type: 'spend' | 'refund';
  /** More than 0; `type` says which way. */
  readonly amountPence: Pence;
}

export interface StatementInstalment {
  readonly scheduleId: string;
  readonly number: number;
  readonly dueOn: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly amountPence: Pence;
}

export interface StatementBudget {
  readonly id: string;
  readonly startsOn: string;
  readonly endsOn: string;
}

export interface StatementInput {
  /** The day the statement is "as of": entries effective after it are left out. */
  readonly asOf: string;
  readonly budgets: readonly StatementBudget[];
  readonly accounts: readonly StatementAccount[];
  readonly entries: readonly StatementEntry[];
  readonly spendingLines: readonly StatementSpendingLine[];
  readonly instalments: readonly StatementInstalment[];
  /** The contingency agreed in the plan behind the budget of the period (null when none). */
  readonly contingency: { readonly amountPence: Pence; readonly purpose: string } | null;
}

/** What a budget line did in the period's budget. */
export interface LineFigures {
  readonly allocatedPence: Pence;
  /** To a provider (ISF) or the council commitment (council-managed). */
  readonly passedOnPence: Pence;
  /** To the direct payment holder. */
  readonly paidPence: Pence;
  readonly otherPence: Pence;
  /** The lines' balance: allocated − passed on − paid + other. */
  readonly balancePence: Pence;
}

/** Movements of held accounts in the period, after the opening balance. */
export interface HeldFigures {
  readonly openingPence: Pence;
  readonly receivedPence: Pence;
  /** Net of refunds. */
  readonly spentPence: Pence;
  readonly recoveredPence: Pence;
  readonly writtenOffPence: Pence;
  readonly otherPence: Pence;
  /** opening + received − spent − recovered + written off + other: the balance on the date. */
  readonly balancePence: Pence;
}

export interface CategoryTotal {
  readonly code: string;
  readonly label: string;
  readonly pence: Pence;
}

export interface UpcomingPayment {
  readonly scheduleId: string;
  readonly number: number;
  readonly dueOn: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly amountPence: Pence;
  /** Due on or before the statement date and not yet paid. */
  readonly overdue: boolean;
}

export interface DirectPaymentSection {
  readonly lines: LineFigures;
  readonly account: HeldFigures;
  readonly spentByCategory: readonly CategoryTotal[];
  /** Instalments not yet paid on the date, the earliest first. */
  readonly upcoming: readonly UpcomingPayment[];
  readonly upcomingTotalPence: Pence;
  readonly contingencyPence: Pence;
  readonly contingencyPurpose: string;
  /** The balance above the contingency, or 0. */
  readonly aboveContingencyPence: Pence;
}

export interface ProviderFund {
  readonly accountId: string;
  readonly providerName: string;
  readonly accountName: string;
  readonly figures: HeldFigures;
}

export interface IsfSection {
  readonly lines: LineFigures;
  readonly providers: readonly ProviderFund[];
  /** All the providers together. */
  readonly held: HeldFigures;
}

export interface CouncilManagedSection {
  readonly lines: LineFigures;
  readonly commitment: HeldFigures;
}

export interface MonthFigures {
  /** 'YYYY-MM'. */
  readonly month: string;
  readonly inPence: Pence;
  readonly outPence: Pence;
  /** At the end of the month (or on the statement date, for its month). */
  readonly balancePence: Pence;
}

export type HeldKind = 'dp_holder' | 'provider' | 'council_commitment';

export type EntryFlow = 'allocated' | 'passed_on' | 'paid' | 'received' | 'spent' | 'recovered' | 'written_off' | 'other';

export interface StatementTransaction {
  readonly entryId: bigint;
  readonly date: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly accountKind: HeldKind;
  readonly providerName: string | null;
  readonly transactionId: string;
  readonly kind: TransactionKind;
  readonly flow: EntryFlow;
  /** The ledger's description (finance sees it). */
  readonly description: string;
  /** Spending categories of a spend or refund, largest first (empty for other movements). */
  readonly categories: readonly string[];
  readonly inPence: Pence;
  readonly outPence: Pence;
  /** The account's balance after this entry. */
  readonly balanceAfterPence: Pence;
}

export interface Statement {
  readonly asOf: string;
  /** The statement period: from the budget's first day (or the first entry) to the date. */
  readonly period: { readonly from: string; readonly budgetId: string | null; readonly budgetEndsOn: string | null } | null;
  readonly directPayment: DirectPaymentSection | null;
  readonly isf: IsfSection | null;
  readonly councilManaged: CouncilManagedSection | null;
  /** Which accounts the monthly series follows: the direct payment account if there is one, else the ISF, else the commitment. */
  readonly seriesOf: Management | null;
  readonly months: readonly MonthFigures[];
  /** Every entry on a held account up to the date, newest first, with the balance after it. */
  readonly transactions: readonly StatementTransaction[];
}

function signOf(p: Pence): -1 | 0 | 1 {
  return p > 0n ? 1 : p < 0n ? -1 : 0;
}

/** The kind the entry counts as, and its sign as the original transaction moved it. */
function effectiveKind(e: StatementEntry): { kind: TransactionKind | null; originalSign: -1 | 0 | 1 } {
  if (e.kind !== 'reversal') return { kind: e.kind, originalSign: signOf(e.amountPence) };
  return { kind: e.reversedKind, originalSign: signOf(-e.amountPence) as -1 | 0 | 1 };
}

/** How an entry on a budget line counts (see the file comment). */
export function lineFlow(e: StatementEntry): 'allocated' | 'passed_on' | 'paid' | 'other' {
  const { kind, originalSign } = effectiveKind(e);
  if (kind === 'allocation') return originalSign >= 0 ? 'allocated' : 'passed_on';
  if (kind === 'adjustment' || kind === 'rollover') return 'allocated';
  if (kind === 'payment') return 'paid';
  return 'other';
}

/** How an entry on a held account counts (see the file comment). */
export function heldFlow(e: StatementEntry): 'received' | 'spent' | 'recovered' | 'written_off' | 'other' {
  const { kind } = effectiveKind(e);
  if (kind === 'payment' || kind === 'allocation') return 'received';
  if (kind === 'spend' || kind === 'refund') return 'spent';
  if (kind === 'recovery') return 'recovered';
  if (kind === 'write_off') return 'written_off';
  return 'other';
}

function lineFigures(entries: readonly StatementEntry[]): LineFigures {
  let allocated = 0n;
  let passedOn = 0n;
  let paid = 0n;
  let other = 0n;
  for (const e of entries) {
    const flow = lineFlow(e);
    if (flow === 'allocated') allocated += e.amountPence;
    else if (flow === 'passed_on') passedOn -= e.amountPence;
    else if (flow === 'paid') paid -= e.amountPence;
    else other += e.amountPence;
  }
  return { allocatedPence: allocated, passedOnPence: passedOn, paidPence: paid, otherPence: other, balancePence: allocated - passedOn - paid + other };
}

function heldFigures(entries: readonly StatementEntry[], from: string): HeldFigures {
  let opening = 0n;
  let received = 0n;
  let spent = 0n;
  let recovered = 0n;
  let writtenOff = 0n;
  let other = 0n;
  for (const e of entries) {
    if (compareDates(e.effectiveOn, from) < 0) {
      opening += e.amountPence;
      continue;
    }
    const flow = heldFlow(e);
    if (flow === 'received') received += e.amountPence;
    else if (flow === 'spent') spent -= e.amountPence;
    else if (flow === 'recovered') recovered -= e.amountPence;
    else if (flow === 'written_off') writtenOff += e.amountPence;
    else other += e.amountPence;
  }
  return {
    openingPence: opening,
    receivedPence: received,
    spentPence: spent,
    recoveredPence: recovered,
    writtenOffPence: writtenOff,
    otherPence: other,
    balancePence: opening + received - spent - recovered + writtenOff + other,
  };
}

/**
 * What one spend or refund entry (money `spent` out of the account: positive for a spend, negative
 * for a refund) was for, by category. The lines of the transaction (of the reversed one, negated,
 * for a reversal) explain it; whatever they do not explain — all of it when there are none — is
 * 'uncategorised'. The parts always sum to `spent` exactly.
 */
export function categoriesOf(spent: Pence, lines: readonly StatementSpendingLine[], negate: boolean): Map<string, Pence> {
  const parts = new Map<string, Pence>();
  let explained = 0n;
  for (const line of lines) {
    const signed = (line.type === 'spend' ? line.amountPence : -line.amountPence) * (negate ? -1n : 1n);
    parts.set(line.category, (parts.get(line.category) ?? 0n) + signed);
    explained += signed;
  }
  if (explained !== spent) {
    // Lines that explain only part of the ledger's figure leave the rest uncategorised. Lines that
    // say more than the ledger moved, or the other way, are not trusted to split it: all of it is.
    const partial = signOf(explained) * signOf(spent) >= 0 && (spent > 0n ? explained < spent : explained > spent);
    if (!partial) return spent === 0n ? new Map() : new Map([[UNCATEGORISED, spent]]);
    parts.set(UNCATEGORISED, (parts.get(UNCATEGORISED) ?? 0n) + spent - explained);
  }
  for (const [code, pence] of parts) if (pence === 0n) parts.delete(code);
  return parts;
}

function byEntryOrder(a: StatementEntry, b: StatementEntry): number {
  return compareDates(a.effectiveOn, b.effectiveOn) || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0);
}

/** The budget the statement covers: the one in force on the date, else the latest begun before it. */
export function periodBudget(budgets: readonly StatementBudget[], asOf: string): StatementBudget | null {
  const begun = budgets.filter((b) => compareDates(b.startsOn, asOf) <= 0);
  const current = begun.filter((b) => compareDates(asOf, b.endsOn) <= 0);
  const pick = (list: readonly StatementBudget[]) => [...list].sort((a, b) => compareDates(b.startsOn, a.startsOn))[0] ?? null;
  return pick(current) ?? pick(begun);
}

function monthOf(date: string): string {
  return date.slice(0, 7);
}

function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function monthSeries(entries: readonly StatementEntry[], from: string, asOf: string): MonthFigures[] {
  const months: MonthFigures[] = [];
  let balance = sumPence(entries.filter((e) => compareDates(e.effectiveOn, from) < 0).map((e) => e.amountPence));
  const last = monthOf(asOf);
  // A guard against a nonsense range: a statement period is a year or so.
  for (let month = monthOf(from), i = 0; compareDates(`${month}-01`, `${last}-01`) <= 0 && i < 1200; month = nextMonth(month), i++) {
    let inPence = 0n;
    let outPence = 0n;
    for (const e of entries) {
      if (monthOf(e.effectiveOn) !== month || compareDates(e.effectiveOn, from) < 0) continue;
      if (e.amountPence > 0n) inPence += e.amountPence;
      else outPence -= e.amountPence;
    }
    balance += inPence - outPence;
    months.push({ month, inPence, outPence, balancePence: balance });
  }
  return months;
}

/** Builds the statement. Entries after `asOf`, and entries on accounts not given, are left out. */
export function buildStatement(input: StatementInput): Statement {
  const { asOf } = input;
  const accountsById = new Map(input.accounts.map((a) => [a.id, a]));
  const entries = input.entries.filter((e) => accountsById.has(e.accountId) && compareDates(e.effectiveOn, asOf) <= 0).sort(byEntryOrder);
  const budget = periodBudget(input.budgets, asOf);
  const firstEntry = entries[0]?.effectiveOn ?? null;
  const from = budget?.startsOn ?? firstEntry;
  const period = from === null ? null : { from, budgetId: budget?.id ?? null, budgetEndsOn: budget?.endsOn ?? null };
  const periodFrom = from ?? asOf;

  const accountsOf = (test: (a: StatementAccount) => boolean) => new Set(input.accounts.filter(test).map((a) => a.id));
  const entriesOn = (ids: ReadonlySet<string>) => entries.filter((e) => ids.has(e.accountId));
  // The period's budget lines of one way of managing (every budget's, when no budget has begun).
  const linesOf = (m: Management) =>
    accountsOf((a) => a.kind === 'budget' && a.management === m && (budget === null || a.personalBudgetId === budget.id));
  const anyLinesOf = (m: Management) => accountsOf((a) => a.kind === 'budget' && a.management === m);
  const heldOf = (kind: HeldKind) => accountsOf((a) => a.kind === kind);

  const linesByTransaction = new Map<string, StatementSpendingLine[]>();
  for (const line of input.spendingLines) {
    const list = linesByTransaction.get(line.transactionId) ?? [];
    list.push(line);
    linesByTransaction.set(line.transactionId, list);
  }
  const categoriesOfEntry = (e: StatementEntry): Map<string, Pence> => {
    const reversal = e.kind === 'reversal';
    const lines = linesByTransaction.get(reversal ? (e.reversesTransactionId ?? '') : e.transactionId) ?? [];
    return categoriesOf(-e.amountPence, lines, reversal);
  };

  // ---- Direct payment --------------------------------------------------------------------------
  const holders = heldOf('dp_holder');
  let directPayment: DirectPaymentSection | null = null;
  if (holders.size > 0 || anyLinesOf('direct_payment').size > 0) {
    const holderEntries = entriesOn(holders);
    const account = heldFigures(holderEntries, periodFrom);
    const totals = new Map<string, Pence>();
    for (const e of holderEntries) {
      if (compareDates(e.effectiveOn, periodFrom) < 0 || heldFlow(e) !== 'spent') continue;
      for (const [code, pence] of categoriesOfEntry(e)) totals.set(code, (totals.get(code) ?? 0n) + pence);
    }
    const spentByCategory = [...totals]
      .filter(([, pence]) => pence !== 0n)
      .map(([code, pence]) => ({ code, label: code === UNCATEGORISED ? 'Not given a category' : categoryLabel(code), pence }))
      .sort((a, b) => (a.pence > b.pence ? -1 : a.pence < b.pence ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const paidKeys = new Set(holderEntries.filter((e) => e.kind === 'payment').map((e) => e.idempotencyKey));
    const upcoming = input.instalments
      .filter((i) => i.amountPence > 0n && !paidKeys.has(paymentKey(i.scheduleId, i.number)))
      .map((i) => ({ ...i, overdue: compareDates(i.dueOn, asOf) <= 0 }))
      .sort((a, b) => compareDates(a.dueOn, b.dueOn) || (a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0) || a.number - b.number);
    const contingencyPence = input.contingency?.amountPence ?? 0n;
    const above = account.balancePence - contingencyPence;
    directPayment = {
      lines: lineFigures(entriesOn(linesOf('direct_payment'))),
      account,
      spentByCategory,
      upcoming,
      upcomingTotalPence: sumPence(upcoming.map((u) => u.amountPence)),
      contingencyPence,
      contingencyPurpose: input.contingency?.purpose ?? '',
      aboveContingencyPence: above > 0n ? above : 0n,
    };
  }

  // ---- Individual service funds ------------------------------------------------------------------
  const providers = heldOf('provider');
  let isf: IsfSection | null = null;
  if (providers.size > 0 || anyLinesOf('individual_service_fund').size > 0) {
    const funds = input.accounts
      .filter((a) => providers.has(a.id))
      .map((a) => ({ accountId: a.id, providerName: a.providerName ?? a.name, accountName: a.name, figures: heldFigures(entriesOn(new Set([a.id])), periodFrom) }))
      .sort((a, b) => (a.providerName < b.providerName ? -1 : a.providerName > b.providerName ? 1 : a.accountId < b.accountId ? -1 : 1));
    isf = { lines: lineFigures(entriesOn(linesOf('individual_service_fund'))), providers: funds, held: heldFigures(entriesOn(providers), periodFrom) };
  }

  // ---- Council-managed ---------------------------------------------------------------------------
  const commitments = heldOf('council_commitment');
  let councilManaged: CouncilManagedSection | null = null;
  if (commitments.size > 0 || anyLinesOf('council_managed').size > 0) {
    councilManaged = { lines: lineFigures(entriesOn(linesOf('council_managed'))), commitment: heldFigures(entriesOn(commitments), periodFrom) };
  }

  // ---- The chart's series ------------------------------------------------------------------------
  const seriesOf: Management | null = holders.size > 0 ? 'direct_payment' : providers.size > 0 ? 'individual_service_fund' : commitments.size > 0 ? 'council_managed' : null;
  const seriesAccounts = seriesOf === 'direct_payment' ? holders : seriesOf === 'individual_service_fund' ? providers : commitments;
  const months = seriesOf === null || from === null ? [] : monthSeries(entriesOn(seriesAccounts), from, asOf);

  // ---- Transactions on held accounts, with each account's balance after -----------------------------
  const running = new Map<string, Pence>();
  const transactions: StatementTransaction[] = [];
  for (const e of entries) {
    const account = accountsById.get(e.accountId);
    if (account === undefined || account.kind === 'budget') continue;
    const balance = (running.get(account.id) ?? 0n) + e.amountPence;
    running.set(account.id, balance);
    const flow = heldFlow(e);
    const categories =
      flow === 'spent' && account.kind === 'dp_holder'
        ? [...categoriesOfEntry(e)].sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0)).map(([code]) => (code === UNCATEGORISED ? 'Not given a category' : categoryLabel(code)))
        : [];
    transactions.push({
      entryId: e.entryId,
      date: e.effectiveOn,
      accountId: account.id,
      accountName: account.name,
      accountKind: account.kind,
      providerName: account.providerName,
      transactionId: e.transactionId,
      kind: e.kind,
      flow,
      description: e.description,
      categories,
      inPence: e.amountPence > 0n ? e.amountPence : 0n,
      outPence: e.amountPence < 0n ? -e.amountPence : 0n,
      balanceAfterPence: balance,
    });
  }
  transactions.reverse();

  return { asOf, period, directPayment, isf, councilManaged, seriesOf, months, transactions };
}
