import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatPence, formatPenceShort, parsePounds, sumPence } from '../../src/domain/money/money.ts';

describe('money in whole pence', () => {
  it('formats pence as pounds the way a statement shows them', () => {
    assert.equal(formatPence(0n), '£0.00');
    assert.equal(formatPence(5n), '£0.05');
    assert.equal(formatPence(272_000n), '£2,720.00');
    assert.equal(formatPence(123_456_789n), '£1,234,567.89');
    assert.equal(formatPence(-1_050n), '−£10.50');
  });

  it('writes every amount as en-GB pounds do (Intl’s own GBP format as the oracle), however large', () => {
    const intl = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2, maximumFractionDigits: 2 });
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (pence) => {
        const pounds = pence < 0n ? -pence : pence;
        const expected = intl.format(`${pounds / 100n}.${(pounds % 100n).toString().padStart(2, '0')}` as unknown as number); // Intl formats a decimal string exactly
        assert.equal(formatPence(pence), `${pence < 0n ? '−' : ''}${expected}`);
      }),
    );
  });

  it('drops ".00" from whole-pound prices in running text, and only then', () => {
    assert.equal(formatPenceShort(2_300n), '£23');
    assert.equal(formatPenceShort(145_000n), '£1,450');
    assert.equal(formatPenceShort(1_550n), '£15.50');
  });

  it('parses what a person types, and reads back exactly what it formats', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (pence) => {
        const parsed = parsePounds(formatPence(pence));
        assert.deepEqual(parsed, { ok: true, pence });
      }),
    );
  });

  it('never goes through a float: amounts that floats get wrong keep every penny', () => {
    // 1.15 * 100 and 4.35 * 100 are 114.99999999999999 and 434.99999999999994 in floating point.
    assert.deepEqual(parsePounds('1.15'), { ok: true, pence: 115n });
    assert.deepEqual(parsePounds('4.35'), { ok: true, pence: 435n });
    assert.deepEqual(parsePounds('99999999999.99'), { ok: true, pence: 9_999_999_999_999n });
    assert.deepEqual(parsePounds('100000000000.01'), { ok: false, error: 'too_large' });
  });

  it('accepts common ways of writing an amount', () => {
    assert.deepEqual(parsePounds('12'), { ok: true, pence: 1200n });
    assert.deepEqual(parsePounds('12.5'), { ok: true, pence: 1250n });
    assert.deepEqual(parsePounds(' £1,234.56 '), { ok: true, pence: 123_456n });
  });

  it('refuses anything ambiguous rather than guessing', () => {
    for (const input of ['12.345', '1,23', '-5', '£', 'ten pounds', '1e3', '0x10', '12.']) {
      assert.equal(parsePounds(input).ok, false, input);
    }
    assert.deepEqual(parsePounds('   '), { ok: false, error: 'empty' });
  });

  it('adds amounts exactly, in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 10n), max: 10n ** 10n })), (values) => {
        assert.equal(sumPence(values), sumPence([...values].reverse()));
      }),
    );
  });
});
