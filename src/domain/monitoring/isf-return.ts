/**
 * Individual service fund (ISF) returns (issue 6): a provider holding people's funds tells the
 * council each quarter, per person, what it spent in the quarter and what balance it held at the
 * quarter's end; the council compares that with its ledger. Pure: no I/O, no clock; dates
 * 'YYYY-MM-DD', money bigint pence.
 *
 * Decisions (the lead asked for each to be chosen and written down):
 * - Quarters start on 1 April, 1 July, 1 October and 1 January. A return is due for a quarter once
 *   it has ended: the quarter "due" on a day is the last one that has ended (`quarterDue`).
 * - Differences are flagged EXACTLY, to the penny: both figures are whole pence, so there is no
 *   rounding for a tolerance to absorb, and any tolerance would hide small real errors.
 * - The returned spending is posted to the ledger (provider account → payments_out, kind 'spend',
 *   key `isf-spend:<returnId>:<personId>`, effective on the quarter's last day): otherwise the
 *   ledger never learns what an ISF was spent on, and the provider account would show the whole
 *   fund for ever. The returned balance is then compared with the ledger balance at the quarter's
 *   end AFTER that posting: difference = returned balance − ledger balance. A return whose balance
 *   is the fund less what was spent shows no difference; one that does not add up is flagged.
 * - Spent may not be negative (a refund from a supplier reduces what was spent). A balance may be
 *   negative: a provider that overspent a fund must be able to say so, and the ledger allows a
 *   provider account to go overdrawn for exactly that reason (decision 0017).
 * - Amounts above £1,000,000 for one person in one quarter are refused as mistakes: far above any
 *   one person's fund (the largest continuing health care packages are a fraction of that a year).
 */
import type { TransactionInput } from '../ledger/ledger.ts';
import { formatPence, parsePounds, type Pence } from '../money/money.ts';
import { addDays, addMonths, compareDates, isIsoDate, longDate } from '../pathway/dates.ts';

export interface Quarter {
  /** 1 April, 1 July, 1 October or 1 January. */
  readonly startsOn: string;
  /** The day before the next quarter starts. */
  readonly endsOn: string;
}

/** £1,000,000: the most one person's spending or balance in one quarter can be. */
export const MAX_RETURN_PENCE: Pence = 100_000_000n;

/** Whether a date is the first day of a quarter (as isf_returns.quarter_starts_on must be). */
export function isQuarterStart(date: string): boolean {
  if (!isIsoDate(date)) return false;
  const month = Number(date.slice(5, 7));
  return date.endsWith('-01') && (month - 1) % 3 === 0;
}

/** The quarter starting on `startsOn`; a RangeError when that is not a quarter's first day. */
export function quarterStarting(startsOn: string): Quarter {
  if (!isQuarterStart(startsOn)) throw new RangeError(`Not the first day of a quarter: ${startsOn}`);
  return { startsOn, endsOn: addDays(addMonths(startsOn, 3), -1) };
}

/** The quarter a date falls in. */
export function quarterOf(date: string): Quarter {
  if (!isIsoDate(date)) throw new RangeError(`Not a date: ${date}`);
  const month = Number(date.slice(5, 7));
  const first = month - ((month - 1) % 3);
  return quarterStarting(`${date.slice(0, 4)}-${String(first).padStart(2, '0')}-01`);
}

export function previousQuarter(quarter: Quarter): Quarter {
  return quarterStarting(addMonths(quarter.startsOn, -3));
}

/** Whether the quarter has ended by `today` (its last day is before today): only then is a return due. */
export function hasEnded(quarter: Quarter, today: string): boolean {
  return compareDates(quarter.endsOn, today) < 0;
}

/** The quarter a return is due for on `today`: the last quarter that has ended. */
export function quarterDue(today: string): Quarter {
  return previousQuarter(quarterOf(today));
}

/**
 * The ended quarters a provider (or finance) is shown, the latest first: from the quarter due back
 * to the quarter of `earliest` (the first day a fund was held), at most `limit` of them. None when
 * no fund was held before the due quarter ended.
 */
export function endedQuarters(today: string, earliest: string | null, limit: number): Quarter[] {
  if (earliest === null) return [];
  const first = quarterOf(earliest);
  const out: Quarter[] = [];
  for (let q = quarterDue(today); out.length < limit && compareDates(q.startsOn, first.startsOn) >= 0; q = previousQuarter(q)) out.push(q);
  return out;
}

/** "1 July to 30 September 2026" (the year once when both ends share it). */
export function quarterLabel(quarter: Quarter): string {
  const start = longDate(quarter.startsOn);
  const end = longDate(quarter.endsOn);
  return quarter.startsOn.slice(0, 4) === quarter.endsOn.slice(0, 4) ? `${start.replace(/ \d+$/, '')} to ${end}` : `${start} to ${end}`;
}

/* ---- Amounts a provider types ----------------------------------------------------------------- */

export type ReturnField = 'spent' | 'balance';

export type AmountResult = { readonly ok: true; readonly pence: Pence } | { readonly ok: false; readonly message: string };

const MINUS = /^[-−–]\s*/;

/**
 * A figure typed on the return, for `who` (the person's name, to say which row is wrong): pounds
 * and pence as `parsePounds` reads them ("1250.50", "£1,250.5", "12"); for the balance a leading
 * minus for an overspent fund. Every refusal is a sentence for the GOV.UK error message.
 */
export function parseReturnAmount(field: ReturnField, input: string, who: string): AmountResult {
  const label = field === 'spent' ? `The amount spent for ${who}` : `The balance for ${who}`;
  const text = input.trim();
  if (text === '') {
    return { ok: false, message: field === 'spent' ? `Enter the amount spent for ${who} in the quarter, or 0` : `Enter the balance held for ${who} at the end of the quarter` };
  }
  const negative = MINUS.test(text);
  if (negative && field === 'spent') return { ok: false, message: `${label} cannot be less than £0` };
  const digits = text.replace(MINUS, '');
  const parsed = parsePounds(digits);
  if (!parsed.ok) {
    if (parsed.error === 'too_large') return { ok: false, message: tooLarge(field, label) };
    if (/^£?\s*[\d,]+\.\d{3,}$/.test(digits)) return { ok: false, message: `${label} must be in pounds and pence, with no more than 2 numbers after the decimal point` };
    return { ok: false, message: `${label} must be an amount of money, like 1250.50` };
  }
  if (parsed.pence > MAX_RETURN_PENCE) return { ok: false, message: tooLarge(field, label) };
  return { ok: true, pence: negative ? -parsed.pence : parsed.pence };
}

function tooLarge(field: ReturnField, label: string): string {
  const max = formatPence(MAX_RETURN_PENCE).replace(/\.00$/, '');
  return field === 'spent' ? `${label} must be ${max} or less` : `${label} must be between −${max} and ${max}`;
}

/* ---- Comparing with the ledger ---------------------------------------------------------------- */

export interface ReturnLineFigures {
  /** As returned: spent in the quarter (0 or more). */
  readonly spentPence: Pence;
  /** As returned: held at the quarter's end. */
  readonly balancePence: Pence;
  /** The ledger's provider account for the person, as of the quarter's end, when the return was submitted. */
  readonly ledgerBalancePence: Pence;
}

export interface LineComparison {
  /** Returned balance − ledger balance: positive when the provider says it holds more than the ledger shows. */
  readonly differencePence: Pence;
  /** Any difference at all, to the penny. */
  readonly flagged: boolean;
  /** The difference in words (never colour alone): "£120.00 more than the ledger". */
  readonly words: string;
}

/** "£120.00 more than the ledger", "£3.50 less than the ledger", or "Matches the ledger". */
export function differenceWords(differencePence: Pence): string {
  if (differencePence === 0n) return 'Matches the ledger';
  const size = formatPence(differencePence < 0n ? -differencePence : differencePence);
  return differencePence > 0n ? `${size} more than the ledger` : `${size} less than the ledger`;
}

/** How a returned balance compares with the ledger's (exact to the penny). */
export function compareLine(line: ReturnLineFigures): LineComparison {
  const differencePence = line.balancePence - line.ledgerBalancePence;
  return { differencePence, flagged: differencePence !== 0n, words: differenceWords(differencePence) };
}

/**
 * Returned spending against the spending the ledger records on the provider account in the quarter
 * (spend less refunds): after the return's own spending is posted they agree, unless other spending
 * was recorded for the quarter too (then the fund's spending may have been counted twice).
 */
export function compareSpent(returnedPence: Pence, ledgerSpentPence: Pence): LineComparison {
  const differencePence = returnedPence - ledgerSpentPence;
  if (differencePence === 0n) return { differencePence, flagged: false, words: 'Matches the ledger' };
  const size = formatPence(differencePence < 0n ? -differencePence : differencePence);
  return { differencePence, flagged: true, words: differencePence > 0n ? `${size} more than the ledger records` : `${size} less than the ledger records` };
}

/** How many lines of a return differ from the ledger. */
export function countDifferences(lines: readonly ReturnLineFigures[]): number {
  return lines.filter((line) => compareLine(line).flagged).length;
}

/* ---- The ledger posting ----------------------------------------------------------------------- */

export function isfSpendKey(returnId: string, personId: string): string {
  return `isf-spend:${returnId}:${personId}`;
}

/**
 * The spending a return reports for one person, as a ledger transaction: out of the provider
 * account, into payments_out (the money has left the scheme), on the quarter's last day. Null when
 * nothing was spent (the ledger refuses an entry of zero).
 */
export function spendTransaction(input: {
  readonly returnId: string;
  readonly personId: string;
  readonly quarter: Quarter;
  readonly providerAccountId: string;
  readonly paymentsOutAccountId: string;
  readonly spentPence: Pence;
}): TransactionInput | null {
  if (input.spentPence < 0n) throw new RangeError('Spending on a return cannot be negative');
  if (input.spentPence === 0n) return null;
  return {
    idempotencyKey: isfSpendKey(input.returnId, input.personId),
    kind: 'spend',
    effectiveOn: input.quarter.endsOn,
    description: `Individual service fund spending returned by the provider for ${quarterLabel(input.quarter)}`,
    entries: [
      { accountId: input.providerAccountId, amountPence: -input.spentPence },
      { accountId: input.paymentsOutAccountId, amountPence: input.spentPence },
    ],
  };
}
