/**
 * Splitting a whole number of pence into parts that always add back to the whole (issue 6).
 *
 * Money rule (DOMAIN.md, "Money rules"): amounts are whole pence. When an amount is shared — a year
 * into instalments, a payment between the funding streams that pay for it — rounding each part on
 * its own can lose or invent a penny. These functions never do: the parts sum exactly to the total.
 * Pure bigint arithmetic, no floats.
 */
import type { Pence } from './money.ts';

/**
 * Splits `total` pence in proportion to `weights` by the largest-remainder method:
 * each part first gets its exact share rounded down, then the pennies left over go one each to the
 * parts whose rounding-down lost the most; equal losses go to the earlier part (so the answer never
 * depends on anything but the inputs). Every part is within a penny of its exact share.
 *
 * Choices (the rules where a caller could ask "what happens if…"):
 * - A zero weight always gets 0.
 * - Negative totals are allowed (a reversal or a recovery): the split is the mirror image of the
 *   positive one, so every part has the sign of the total or is 0.
 * - All weights zero: a zero total splits into zeros; any other total throws a RangeError. There is
 *   nothing to share the money by, and silently sharing it equally could pay a funding stream that
 *   has no share at all.
 * - No weights, or a negative weight: RangeError (a programming error, not user input).
 */
export function apportion(total: Pence, weights: readonly bigint[]): Pence[] {
  if (weights.length === 0) throw new RangeError('apportion needs at least one weight');
  for (const weight of weights) {
    if (weight < 0n) throw new RangeError(`apportion weights must not be negative (got ${weight})`);
  }
  if (total < 0n) return apportion(-total, weights).map((part) => -part);

  const weightSum = weights.reduce((sum, w) => sum + w, 0n);
  if (weightSum === 0n) {
    if (total === 0n) return weights.map(() => 0n);
    throw new RangeError('Cannot share a non-zero amount when every weight is zero');
  }

  const parts = weights.map((w) => (total * w) / weightSum);
  const remainders = weights.map((w) => (total * w) % weightSum);
  let leftOver = total - parts.reduce((sum, p) => sum + p, 0n);
  // Largest remainder first; the earlier index first among equals. The left-over pennies are fewer
  // than the parts with a non-zero remainder, so a part whose share was exact never gets one.
  const order = weights.map((_, index) => index).sort((a, b) => {
    const ra = remainders[a] ?? 0n;
    const rb = remainders[b] ?? 0n;
    return ra === rb ? a - b : ra > rb ? -1 : 1;
  });
  for (const index of order) {
    if (leftOver === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftOver -= 1n;
  }
  return parts;
}

/** Splits `total` into `n` parts as equal as possible; the earlier parts get any extra penny. */
export function splitEvenly(total: Pence, n: number): Pence[] {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`splitEvenly needs a whole number of parts, 1 or more (got ${n})`);
  return apportion(total, Array.from({ length: n }, () => 1n));
}

/**
 * `amount` × `numerator` / `denominator`, rounded to the nearest penny (halves away from zero).
 * For a single pro-rata figure, such as a year's budget for part of a year.
 */
export function prorate(amount: Pence, numerator: bigint, denominator: bigint): Pence {
  if (denominator <= 0n) throw new RangeError(`prorate needs a positive denominator (got ${denominator})`);
  if (numerator < 0n) throw new RangeError(`prorate needs a non-negative numerator (got ${numerator})`);
  if (amount < 0n) return -prorate(-amount, numerator, denominator);
  return (amount * numerator * 2n + denominator) / (denominator * 2n);
}
