/**
 * Calendar arithmetic on 'YYYY-MM-DD' dates (decision 0013).
 *
 * Everything works on the date's own year, month and day through UTC, never local time, so a
 * change of the clocks in Europe/London cannot move a date by a day.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The date's year, month and day, or undefined when it is not a real 'YYYY-MM-DD' date. */
function partsOf(date: string): { y: number; m: number; d: number } | undefined {
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return { y, m, d };
}

/**
 * Real dates already checked, with their parts: a page or a list compares the same few hundred dates
 * many thousands of times (the finance monitoring list, every holder's entries). Emptied when large,
 * so it never holds more than a bounded number.
 */
const checked = new Map<string, Readonly<{ y: number; m: number; d: number }>>();
const CHECKED_MAX = 10_000;

function parts(date: string): Readonly<{ y: number; m: number; d: number }> {
  const known = checked.get(date);
  if (known !== undefined) return known;
  const found = partsOf(date);
  if (found === undefined) throw new RangeError(`Not a date: ${date}`);
  if (checked.size >= CHECKED_MAX) checked.clear();
  checked.set(date, Object.freeze(found));
  return found;
}

function utcDays(date: string): number {
  const { y, m, d } = parts(date);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function fromUtcDays(days: number): string {
  const value = new Date(days * DAY_MS);
  const y = value.getUTCFullYear();
  const m = value.getUTCMonth() + 1;
  const d = value.getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in month `m` (1–12) of year `y` in the Gregorian calendar, by arithmetic (no Date: this runs for every date checked). */
function daysInMonth(y: number, m: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m === 2 && leap ? 29 : (MONTH_DAYS[m - 1] ?? 0);
}

/** A real calendar date written 'YYYY-MM-DD' (2027-02-29 is not one). */
export function isIsoDate(value: string): boolean {
  return partsOf(value) !== undefined;
}

export function addDays(date: string, n: number): string {
  return fromUtcDays(utcDays(date) + n);
}

export function addWeeks(date: string, n: number): string {
  return addDays(date, n * 7);
}

/** Months on, clamped to the month's end: 31 Jan + 1 month = 28 Feb (29 in a leap year). */
export function addMonths(date: string, n: number): string {
  const { y, m, d } = parts(date);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `to` − `from` in days (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return utcDays(to) - utcDays(from);
}

/** Negative, zero or positive as `a` is before, the same as or after `b`. */
export function compareDates(a: string, b: string): number {
  // Two real dates written 'YYYY-MM-DD' (fixed width) sort as their text does: checked, then
  // compared as text, without the calendar arithmetic (statements compare dates thousands of times a page).
  parts(a);
  parts(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function earlierOf(a: string, b: string): string {
  return compareDates(a, b) <= 0 ? a : b;
}

export function laterOf(a: string, b: string): string {
  return compareDates(a, b) >= 0 ? a : b;
}

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

/** '2026-12-03' → '3 December 2026', for messages written by the domain. */
export function longDate(date: string): string {
  const { y, m, d } = parts(date);
  return `${d} ${MONTHS[m - 1] ?? ''} ${y}`;
}
