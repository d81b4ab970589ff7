/**
 * Monitoring one direct payment account over a period: what came in, what went out, and what a
 * finance officer should look at. Pure: the caller brings the payments, the spending lines and the
 * council's policy.
 *
 * The rules (docs/DOMAIN.md, "Money rules"):
 * - Direct payments cannot buy some things (an SEN direct payment cannot pay for a school place):
 *   spending in a category the council does not permit is flagged, line by line.
 * - Holders send returns (often quarterly): a due date that has passed with no return is flagged.
 * - A council may look at surplus above a threshold (often 8 weeks of payments), never counting the
 *   agreed contingency for fluctuating needs. A flag is only a prompt for a person: recovering money
 *   needs reasons and a route to challenge (blanket clawback has been found unlawful).
 *
 * Surplus, exactly:
 *   balance   = opening balance + paid in − spent (refunds reduce what was spent)
 *   threshold = `surplusThresholdWeeks` weeks of the regular payment (see `surplusThresholdPence`)
 *   surplus   = balance − contingency − threshold, or 0 when that is not more than 0.
 */
import { sumPence, type Pence } from '../money/money.ts';
import { addDays, compareDates, daysBetween } from '../pathway/dates.ts';

export interface PaymentReceived {
  /** 'YYYY-MM-DD' the money reached the account. */
  readonly date: string;
  /** More than 0. */
  readonly pence: Pence;
}

export interface SpendingLine {
  readonly id: string;
  readonly date: string;
  /** The council's category code. */
  readonly category: string;
  /** More than 0; `type` says which way the money went (as in the statement CSV). */
  readonly pence: Pence;
  readonly type: 'spend' | 'refund';
}

export interface MonitoringCategory {
  readonly code: string;
  readonly label: string;
  /** False for what a direct payment cannot buy, e.g. 'school_place'. */
  readonly permitted: boolean;
}

/** How often the regular payment is made. */
export type PaymentFrequency = 'weekly' | 'fortnightly' | 'four_weekly' | 'monthly';

/**
 * What "N weeks of payments" means for this account: either the agreed regular amount, or the
 * payments actually received in the N weeks up to the end of the period (for accounts whose
 * payments vary).
 */
export type RegularPayment =
  | { readonly kind: 'agreed'; readonly amountPence: Pence; readonly frequency: PaymentFrequency }
  | { readonly kind: 'recent_payments' };

export const DEFAULT_SURPLUS_THRESHOLD_WEEKS = 8;

export interface MonitoringInput {
  /** Inclusive 'YYYY-MM-DD' dates. `end` is also the day the reconciliation is run "as of". */
  readonly period: { readonly start: string; readonly end: string };
  /** The balance on the account at the start of the period (for example last year's carry forward). */
  readonly openingBalancePence: Pence;
  readonly payments: readonly PaymentReceived[];
  readonly spending: readonly SpendingLine[];
  readonly categories: readonly MonitoringCategory[];
  /** Due dates of the returns (statements) the holder must send. */
  readonly returnsExpected: readonly string[];
  /** Dates returns were received. */
  readonly returnsReceived: readonly string[];
  readonly contingencyPence: Pence;
  readonly regularPayment: RegularPayment;
  /** Default 8: the council's published threshold, in weeks of payments. */
  readonly surplusThresholdWeeks?: number;
  /** Days after a due date before a return counts as missing. Default 0. */
  readonly returnGraceDays?: number;
}

export type MonitoringFlag =
  | {
      readonly kind: 'not_permitted_category';
      readonly category: string;
      readonly categoryLabel: string;
      /** False when the code is not on the council's list at all (treated as not permitted). */
      readonly knownCategory: boolean;
      readonly lineIds: readonly string[];
      /** Net of refunds in the same category. */
      readonly spentPence: Pence;
    }
  | { readonly kind: 'missing_return'; readonly dueDate: string; readonly daysOverdue: number }
  | {
      readonly kind: 'surplus';
      readonly balancePence: Pence;
      readonly contingencyPence: Pence;
      readonly thresholdPence: Pence;
      readonly thresholdWeeks: number;
      readonly surplusPence: Pence;
    };

export interface Reconciliation {
  readonly openingBalancePence: Pence;
  readonly paidInPence: Pence;
  /** Spending less refunds. */
  readonly spentPence: Pence;
  /** In the order of the council's list, then unknown codes alphabetically; only categories used. */
  readonly spentByCategory: readonly { readonly category: string; readonly spentPence: Pence }[];
  /** Opening balance + paid in − spent. Negative when overspent. */
  readonly balancePence: Pence;
  readonly thresholdPence: Pence;
  /** Balance − contingency − threshold, never below 0. */
  readonly surplusPence: Pence;
  /** Entries dated outside the period: left out of every figure, listed so none is lost silently. */
  readonly outsidePeriod: { readonly paymentDates: readonly string[]; readonly spendingLineIds: readonly string[] };
}

export interface MonitoringResult {
  readonly reconciliation: Reconciliation;
  readonly flags: readonly MonitoringFlag[];
}

export function monitorAccount(input: MonitoringInput): MonitoringResult {
  const weeks = input.surplusThresholdWeeks ?? DEFAULT_SURPLUS_THRESHOLD_WEEKS;
  checkInput(input, weeks);
  const inPeriod = (date: string): boolean => compareDates(date, input.period.start) >= 0 && compareDates(date, input.period.end) <= 0;
  const payments = input.payments.filter((p) => inPeriod(p.date));
  const spending = input.spending.filter((l) => inPeriod(l.date));

  const paidInPence = sumPence(payments.map((p) => p.pence));
  const spentPence = sumPence(spending.map(signedSpend));
  const balancePence = input.openingBalancePence + paidInPence - spentPence;
  const thresholdPence = surplusThresholdPence(input.regularPayment, weeks, input.payments, input.period.end);
  const surplusPence = maxZero(balancePence - input.contingencyPence - thresholdPence);

  const reconciliation: Reconciliation = {
    openingBalancePence: input.openingBalancePence,
    paidInPence,
    spentPence,
    spentByCategory: spentByCategory(spending, input.categories),
    balancePence,
    thresholdPence,
    surplusPence,
    outsidePeriod: {
      paymentDates: input.payments.filter((p) => !inPeriod(p.date)).map((p) => p.date),
      spendingLineIds: input.spending.filter((l) => !inPeriod(l.date)).map((l) => l.id),
    },
  };
  const flags: MonitoringFlag[] = [
    ...notPermittedFlags(spending, input.categories),
    ...missingReturnFlags(input.returnsExpected, input.returnsReceived, input.period, input.returnGraceDays ?? 0),
  ];
  if (surplusPence > 0n) {
    flags.push({ kind: 'surplus', balancePence, contingencyPence: input.contingencyPence, thresholdPence, thresholdWeeks: weeks, surplusPence });
  }
  return { reconciliation, flags };
}

/** Programming errors, not user input: the service validates what people type before this. */
function checkInput(input: MonitoringInput, weeks: number): void {
  if (compareDates(input.period.start, input.period.end) > 0) throw new RangeError('The period must not end before it starts');
  if (!Number.isInteger(weeks) || weeks < 0) throw new RangeError('surplusThresholdWeeks must be a whole number, 0 or more');
  if (input.contingencyPence < 0n) throw new RangeError('contingencyPence must not be negative');
  if (input.payments.some((p) => p.pence <= 0n)) throw new RangeError('A payment must be more than 0');
  if (input.spending.some((l) => l.pence <= 0n)) throw new RangeError('A spending line must be more than 0; use type refund for money back');
  if (input.regularPayment.kind === 'agreed' && input.regularPayment.amountPence < 0n) throw new RangeError('The regular payment must not be negative');
}

function signedSpend(line: SpendingLine): Pence {
  return line.type === 'refund' ? -line.pence : line.pence;
}

function maxZero(value: Pence): Pence {
  return value > 0n ? value : 0n;
}

/** Payments a year by frequency: 52 weeks a year, as plan costs count them (decision 0014). */
const PAYMENTS_PER_YEAR: Readonly<Record<PaymentFrequency, bigint>> = { weekly: 52n, fortnightly: 26n, four_weekly: 13n, monthly: 12n };

/**
 * N weeks of payments in pence.
 * - agreed: amount × payments a year × N ÷ 52, rounded up to the penny (in the holder's favour:
 *   a larger threshold can only make the surplus smaller). £1,000 a month, 8 weeks → £1,846.16.
 * - recent_payments: the payments received in the N weeks up to and including the period's end
 *   (dated after end − 7N days), whatever the period's start.
 */
export function surplusThresholdPence(regular: RegularPayment, weeks: number, payments: readonly PaymentReceived[], asOf: string): Pence {
  if (regular.kind === 'agreed') {
    const numerator = regular.amountPence * PAYMENTS_PER_YEAR[regular.frequency] * BigInt(weeks);
    return ceilDiv(numerator, 52n);
  }
  const from = addDays(asOf, -7 * weeks);
  return sumPence(payments.filter((p) => compareDates(p.date, from) > 0 && compareDates(p.date, asOf) <= 0).map((p) => p.pence));
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

function spentByCategory(spending: readonly SpendingLine[], categories: readonly MonitoringCategory[]): Reconciliation['spentByCategory'] {
  const totals = new Map<string, Pence>();
  for (const line of spending) totals.set(line.category, (totals.get(line.category) ?? 0n) + signedSpend(line));
  const listed = categories.map((c) => c.code).filter((code) => totals.has(code));
  const unknown = [...totals.keys()].filter((code) => !categories.some((c) => c.code === code)).sort();
  return [...listed, ...unknown].map((category) => ({ category, spentPence: totals.get(category) ?? 0n }));
}

/** One flag per category that is not permitted (or not on the list), naming every spending line in it. */
function notPermittedFlags(spending: readonly SpendingLine[], categories: readonly MonitoringCategory[]): MonitoringFlag[] {
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const lines = new Map<string, SpendingLine[]>();
  for (const line of spending) {
    if (line.type !== 'spend' || byCode.get(line.category)?.permitted === true) continue;
    const inCategory = lines.get(line.category) ?? [];
    inCategory.push(line);
    lines.set(line.category, inCategory);
  }
  return [...lines.entries()].map(([category, flagged]) => {
    const known = byCode.get(category);
    // Refunds in the same category bring the figure down: money back from a school counts.
    const refunds = spending.filter((l) => l.type === 'refund' && l.category === category);
    return {
      kind: 'not_permitted_category',
      category,
      categoryLabel: known?.label ?? category,
      knownCategory: known !== undefined,
      lineIds: flagged.map((l) => l.id),
      spentPence: sumPence([...flagged, ...refunds].map(signedSpend)),
    };
  });
}

/**
 * A due date is missing its return when, by the end of the period plus grace, no return has come
 * in for it. Returns only carry a date, so they are matched to due dates in order: the return for a
 * due date is the earliest return not yet used that arrived after the previous due date (or at any
 * time, for the first). A late return still counts: it clears the flag once it arrives.
 */
function missingReturnFlags(
  expected: readonly string[],
  received: readonly string[],
  period: MonitoringInput['period'],
  graceDays: number,
): MonitoringFlag[] {
  const dues = [...expected].sort(compareDates);
  const unused = [...received].sort(compareDates);
  const flags: MonitoringFlag[] = [];
  let previousDue: string | null = null;
  for (const due of dues) {
    const after = previousDue;
    const match = unused.findIndex((date) => after === null || compareDates(date, after) > 0);
    if (match >= 0) unused.splice(match, 1);
    else if (compareDates(addDays(due, graceDays), period.end) < 0) {
      flags.push({ kind: 'missing_return', dueDate: due, daysOverdue: daysBetween(due, period.end) });
    }
    previousDue = due;
  }
  return flags;
}
