/** ISF returns: quarters, the amounts a provider types, and the comparison with the ledger. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  compareLine,
  compareSpent,
  countDifferences,
  differenceWords,
  endedQuarters,
  hasEnded,
  isQuarterStart,
  MAX_RETURN_PENCE,
  parseReturnAmount,
  quarterDue,
  quarterLabel,
  quarterOf,
  quarterStarting,
  spendTransaction,
} from '../../src/domain/monitoring/isf-return.ts';
import { validateTransaction } from '../../src/domain/ledger/ledger.ts';
import { penceToDecimal } from '../../src/domain/money/money.ts';
import { addDays, compareDates, daysBetween } from '../../src/domain/pathway/dates.ts';

/** Any day from 2000 to 2099. */
const anyDay = fc.integer({ min: 0, max: 36_500 }).map((n) => addDays('2000-01-01', n));

describe('quarters', () => {
  it('start on 1 April, 1 July, 1 October and 1 January', () => {
    assert.deepEqual(quarterOf('2026-04-01'), { startsOn: '2026-04-01', endsOn: '2026-06-30' });
    assert.deepEqual(quarterOf('2026-06-30'), { startsOn: '2026-04-01', endsOn: '2026-06-30' });
    assert.deepEqual(quarterOf('2026-08-15'), { startsOn: '2026-07-01', endsOn: '2026-09-30' });
    assert.deepEqual(quarterOf('2026-12-31'), { startsOn: '2026-10-01', endsOn: '2026-12-31' });
    assert.deepEqual(quarterOf('2027-02-28'), { startsOn: '2027-01-01', endsOn: '2027-03-31' });
    assert.equal(isQuarterStart('2026-07-01'), true);
    assert.equal(isQuarterStart('2026-08-01'), false);
    assert.equal(isQuarterStart('2026-07-02'), false);
    assert.throws(() => quarterStarting('2026-05-01'), RangeError);
  });

  it('are named in words', () => {
    assert.equal(quarterLabel(quarterOf('2026-08-15')), '1 July to 30 September 2026');
    assert.equal(quarterLabel(quarterOf('2027-01-10')), '1 January to 31 March 2027');
  });

  it('a return is due for the last quarter that has ended', () => {
    assert.deepEqual(quarterDue('2026-11-20'), { startsOn: '2026-07-01', endsOn: '2026-09-30' });
    assert.deepEqual(quarterDue('2026-10-01'), { startsOn: '2026-07-01', endsOn: '2026-09-30' });
    assert.deepEqual(quarterDue('2026-09-30'), { startsOn: '2026-04-01', endsOn: '2026-06-30' });
    assert.deepEqual(quarterDue('2027-01-01'), { startsOn: '2026-10-01', endsOn: '2026-12-31' });
    assert.equal(hasEnded(quarterOf('2026-09-30'), '2026-09-30'), false);
    assert.equal(hasEnded(quarterOf('2026-09-30'), '2026-10-01'), true);
  });

  it('every day is in exactly one quarter of about three months, which has ended once the next starts', () => {
    fc.assert(
      fc.property(anyDay, (day) => {
        const q = quarterOf(day);
        assert.ok(isQuarterStart(q.startsOn));
        assert.ok(compareDates(q.startsOn, day) <= 0 && compareDates(day, q.endsOn) <= 0);
        assert.ok(daysBetween(q.startsOn, q.endsOn) >= 89 && daysBetween(q.startsOn, q.endsOn) <= 91);
        assert.deepEqual(quarterOf(addDays(q.endsOn, 1)).startsOn, addDays(q.endsOn, 1));
        const due = quarterDue(day);
        assert.ok(hasEnded(due, day));
        assert.equal(addDays(due.endsOn, 1), q.startsOn);
      }),
    );
  });

  it('lists the ended quarters latest first, back to the first one a fund was held in', () => {
    const listed = endedQuarters('2026-11-20', '2026-02-14', 8);
    assert.deepEqual(
      listed.map((q) => q.startsOn),
      ['2026-07-01', '2026-04-01', '2026-01-01'],
    );
    assert.deepEqual(endedQuarters('2026-11-20', '2026-10-02', 8), [], 'a fund first held in the current quarter has nothing due yet');
    assert.deepEqual(endedQuarters('2026-11-20', null, 8), []);
    assert.equal(endedQuarters('2026-11-20', '2001-01-01', 8).length, 8);
  });
});

describe('amounts on a return', () => {
  it('reads pounds and pence exactly', () => {
    assert.deepEqual(parseReturnAmount('spent', '1250.50', 'Alex'), { ok: true, pence: 125_050n });
    assert.deepEqual(parseReturnAmount('spent', '£1,250.5', 'Alex'), { ok: true, pence: 125_050n });
    assert.deepEqual(parseReturnAmount('spent', '0', 'Alex'), { ok: true, pence: 0n });
    assert.deepEqual(parseReturnAmount('balance', ' 12 ', 'Alex'), { ok: true, pence: 1_200n });
  });

  it('lets a provider report an overspent fund as a negative balance, but never negative spending', () => {
    assert.deepEqual(parseReturnAmount('balance', '-120.00', 'Alex'), { ok: true, pence: -12_000n });
    assert.deepEqual(parseReturnAmount('balance', '−£3.05', 'Alex'), { ok: true, pence: -305n });
    assert.deepEqual(parseReturnAmount('spent', '-5', 'Alex'), { ok: false, message: 'The amount spent for Alex cannot be less than £0' });
  });

  it('refuses a missing, malformed, over-precise or absurd amount with a message naming the person', () => {
    assert.deepEqual(parseReturnAmount('spent', '', 'Alex Smith'), { ok: false, message: 'Enter the amount spent for Alex Smith in the quarter, or 0' });
    assert.deepEqual(parseReturnAmount('balance', '  ', 'Alex Smith'), { ok: false, message: 'Enter the balance held for Alex Smith at the end of the quarter' });
    assert.deepEqual(parseReturnAmount('spent', 'twelve', 'Alex Smith'), { ok: false, message: 'The amount spent for Alex Smith must be an amount of money, like 1250.50' });
    assert.deepEqual(parseReturnAmount('balance', '10.505', 'Alex Smith'), {
      ok: false,
      message: 'The balance for Alex Smith must be in pounds and pence, with no more than 2 numbers after the decimal point',
    });
    assert.deepEqual(parseReturnAmount('spent', '1000000.01', 'Alex Smith'), { ok: false, message: 'The amount spent for Alex Smith must be £1,000,000 or less' });
    assert.deepEqual(parseReturnAmount('balance', '-2000000', 'Alex Smith'), { ok: false, message: 'The balance for Alex Smith must be between −£1,000,000 and £1,000,000' });
    assert.deepEqual(parseReturnAmount('spent', '99999999999999', 'Alex Smith'), { ok: false, message: 'The amount spent for Alex Smith must be £1,000,000 or less' });
    assert.deepEqual(parseReturnAmount('spent', '1000000', 'A'), { ok: true, pence: MAX_RETURN_PENCE });
  });

  it('reads back exactly any amount it allows, written as pounds and pence', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_RETURN_PENCE, max: MAX_RETURN_PENCE }), (pence) => {
        assert.deepEqual(parseReturnAmount('balance', penceToDecimal(pence), 'A'), { ok: true, pence });
        const spent = parseReturnAmount('spent', penceToDecimal(pence), 'A');
        assert.equal(spent.ok, pence >= 0n);
      }),
    );
  });
});

describe('comparing a return with the ledger', () => {
  it('flags any difference, to the penny, in words', () => {
    assert.deepEqual(compareLine({ spentPence: 0n, balancePence: 112_000n, ledgerBalancePence: 100_000n }), { differencePence: 12_000n, flagged: true, words: '£120.00 more than the ledger' });
    assert.deepEqual(compareLine({ spentPence: 0n, balancePence: 99_999n, ledgerBalancePence: 100_000n }), { differencePence: -1n, flagged: true, words: '£0.01 less than the ledger' });
    assert.deepEqual(compareLine({ spentPence: 5n, balancePence: 100_000n, ledgerBalancePence: 100_000n }), { differencePence: 0n, flagged: false, words: 'Matches the ledger' });
    assert.equal(differenceWords(-123_456n), '£1,234.56 less than the ledger');
    assert.equal(compareSpent(10_000n, 10_000n).flagged, false);
    assert.equal(compareSpent(10_000n, 15_000n).words, '£50.00 less than the ledger records');
  });

  it('the difference is exactly the returned balance less the ledger balance, flagged whenever not zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_RETURN_PENCE, max: MAX_RETURN_PENCE }), fc.bigInt({ min: -MAX_RETURN_PENCE, max: MAX_RETURN_PENCE }), (balance, ledger) => {
        const c = compareLine({ spentPence: 0n, balancePence: balance, ledgerBalancePence: ledger });
        assert.equal(ledger + c.differencePence, balance);
        assert.equal(c.flagged, balance !== ledger);
        assert.ok(c.words.length > 0);
      }),
    );
  });

  it('counts the lines that differ', () => {
    assert.equal(
      countDifferences([
        { spentPence: 0n, balancePence: 1n, ledgerBalancePence: 1n },
        { spentPence: 0n, balancePence: 2n, ledgerBalancePence: 1n },
        { spentPence: 0n, balancePence: 0n, ledgerBalancePence: 1n },
      ]),
      2,
    );
  });
});

describe('posting returned spending to the ledger', () => {
  const base = {
    returnId: '11111111-1111-4111-8111-111111111111',
    personId: '22222222-2222-4222-8222-222222222222',
    quarter: quarterOf('2026-08-01'),
    providerAccountId: '33333333-3333-4333-8333-333333333333',
    paymentsOutAccountId: '44444444-4444-4444-8444-444444444444',
  };

  it('moves the spending from the provider account to payments out on the quarter’s last day, under a key per return and person', () => {
    const tx = spendTransaction({ ...base, spentPence: 45_000n });
    assert.ok(tx);
    assert.equal(tx.idempotencyKey, `isf-spend:${base.returnId}:${base.personId}`);
    assert.equal(tx.kind, 'spend');
    assert.equal(tx.effectiveOn, '2026-09-30');
    assert.deepEqual(tx.entries, [
      { accountId: base.providerAccountId, amountPence: -45_000n },
      { accountId: base.paymentsOutAccountId, amountPence: 45_000n },
    ]);
    assert.deepEqual(validateTransaction(tx), []);
  });

  it('posts nothing when nothing was spent, and refuses negative spending', () => {
    assert.equal(spendTransaction({ ...base, spentPence: 0n }), null);
    assert.throws(() => spendTransaction({ ...base, spentPence: -1n }), RangeError);
  });
});
