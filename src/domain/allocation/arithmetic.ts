/**
 * The only two ways the allocation arithmetic ever divides, both exact on bigint pence:
 *
 * - a percentage of an amount is rounded to the nearest penny, halves away from zero
 *   (10% of £0.05 is £0.01; 15% of £0.10 is £0.02; −15% of £0.10 is −£0.02);
 * - rounding to a unit ('nearest' takes halves up, towards +∞; 'up' is the ceiling; 'down' the floor).
 */
import type { Pence } from '../money/money.ts';
import type { RoundingMode } from './model.ts';

/** `percent`% of `amount`, to the nearest penny, halves away from zero. `percent` is a whole number. */
export function percentOf(amount: Pence, percent: number): Pence {
  if (!Number.isSafeInteger(percent)) throw new RangeError(`percent must be a whole number, got ${percent}`);
  const scaled = amount * BigInt(percent);
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const rounded = (abs + 50n) / 100n;
  return negative ? -rounded : rounded;
}

/** `amount` rounded to a multiple of `unit` (unit ≥ 1 penny). */
export function roundToUnit(amount: Pence, unit: Pence, mode: RoundingMode): Pence {
  if (unit < 1n) throw new RangeError('rounding unit must be at least 1 penny');
  const floor = floorDiv(amount, unit) * unit;
  if (floor === amount) return amount;
  switch (mode) {
    case 'down':
      return floor;
    case 'up':
      return floor + unit;
    case 'nearest':
      return (amount - floor) * 2n >= unit ? floor + unit : floor;
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
