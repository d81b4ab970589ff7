/**
 * Penny-exact splitting (src/domain/money/split.ts): a shared amount never loses or gains a penny.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { apportion, prorate, splitEvenly } from '../../src/domain/money/split.ts';

const sum = (values: readonly bigint[]): bigint => values.reduce((a, b) => a + b, 0n);
const totalArb = fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n });
const weightsArb = fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 12 }).filter((ws) => sum(ws) > 0n);

describe('apportion: sharing pence by weight', () => {
  it('shares £1 three ways as 34p, 33p, 33p: the spare penny goes to the first', () => {
    assert.deepEqual(apportion(100n, [1n, 1n, 1n]), [34n, 33n, 33n]);
    assert.deepEqual(apportion(101n, [1n, 1n]), [51n, 50n]);
  });

  it('gives the spare penny to the part that lost most in rounding down, not simply the first', () => {
    // 33.33p and 66.67p: the second lost more.
    assert.deepEqual(apportion(100n, [1n, 2n]), [33n, 67n]);
    // 1.4, 1.4 and 2.2 of 5: the two 0.4s tie, the earlier wins.
    assert.deepEqual(apportion(5n, [7n, 7n, 11n]), [2n, 1n, 2n]);
  });

  it('gives nothing to a part with no weight', () => {
    assert.deepEqual(apportion(5n, [0n, 1n, 1n]), [0n, 3n, 2n]);
  });

  it('splits a reversal (negative total) as the mirror image, every part the sign of the total', () => {
    assert.deepEqual(apportion(-100n, [1n, 1n, 1n]), [-34n, -33n, -33n]);
    assert.deepEqual(apportion(-100n, [1n, 2n]), [-33n, -67n]);
  });

  it('splits nothing into zeros, even when no part has a weight', () => {
    assert.deepEqual(apportion(0n, [0n, 0n]), [0n, 0n]);
    assert.deepEqual(apportion(0n, [3n, 1n]), [0n, 0n]);
  });

  it('refuses to share money when there is nothing to share it by', () => {
    assert.throws(() => apportion(1n, [0n, 0n]), RangeError);
    assert.throws(() => apportion(1n, []), RangeError);
    assert.throws(() => apportion(1n, [1n, -1n]), RangeError);
  });

  it('always sums exactly to the total', () => {
    fc.assert(fc.property(totalArb, weightsArb, (total, weights) => sum(apportion(total, weights)) === total));
  });

  it('gives every part its exact share rounded down or up, never further off', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const whole = sum(weights);
        return apportion(total, weights).every((part, i) => {
          const exactTimesWhole = total * (weights[i] ?? 0n);
          const gap = part * whole - exactTimesWhole;
          return gap > -whole && gap < whole;
        });
      }),
    );
  });

  it('never lets a part take the opposite sign of the total, and gives zero weights nothing', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) =>
        apportion(total, weights).every((part, i) => (weights[i] === 0n ? part === 0n : total >= 0n ? part >= 0n : part <= 0n)),
      ),
    );
  });

  it('splits a reversal as the exact opposite of the payment it reverses', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        assert.deepEqual(apportion(-total, weights), apportion(total, weights).map((p) => -p));
      }),
    );
  });
});

describe('splitEvenly', () => {
  it('splits as evenly as possible, the earlier parts taking any spare pennies', () => {
    assert.deepEqual(splitEvenly(100n, 3), [34n, 33n, 33n]);
    assert.deepEqual(splitEvenly(1_200_000n, 12), Array.from({ length: 12 }, () => 100_000n));
    assert.deepEqual(splitEvenly(2n, 4), [1n, 1n, 0n, 0n]);
  });

  it('refuses a split into no parts or part of a part', () => {
    assert.throws(() => splitEvenly(100n, 0), RangeError);
    assert.throws(() => splitEvenly(100n, 1.5), RangeError);
  });

  it('parts never differ by more than a penny and sum to the total', () => {
    fc.assert(
      fc.property(totalArb, fc.integer({ min: 1, max: 60 }), (total, n) => {
        const parts = splitEvenly(total, n);
        const max = parts.reduce((a, b) => (b > a ? b : a));
        const min = parts.reduce((a, b) => (b < a ? b : a));
        return parts.length === n && sum(parts) === total && max - min <= 1n;
      }),
    );
  });
});

describe('prorate: one pro-rata figure to the nearest penny', () => {
  it('rounds to the nearest penny, halves away from zero', () => {
    assert.equal(prorate(1_200_000n, 181n, 365n), 595_068n); // 595,068.49
    assert.equal(prorate(1_200_000n, 184n, 365n), 604_932n); // 604,931.51
    assert.equal(prorate(3n, 1n, 2n), 2n);
    assert.equal(prorate(-3n, 1n, 2n), -2n);
    assert.equal(prorate(100n, 0n, 7n), 0n);
  });

  it('gives the whole amount for the whole', () => {
    fc.assert(fc.property(totalArb, fc.bigInt({ min: 1n, max: 10n ** 6n }), (amount, days) => prorate(amount, days, days) === amount));
  });

  it('refuses a denominator of zero or a negative share', () => {
    assert.throws(() => prorate(100n, 1n, 0n), RangeError);
    assert.throws(() => prorate(100n, -1n, 7n), RangeError);
  });
});
