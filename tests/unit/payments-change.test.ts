/** A mid-year plan change (issue 6): the old budget closed out from the change, to the penny. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { closeOut, netFirstInstalment } from '../../src/domain/payments/change.ts';
import { paymentSchedule, periodAmountPence } from '../../src/domain/payments/schedule.ts';
import { addDays } from '../../src/domain/pathway/dates.ts';

const sum = (values: readonly bigint[]) => values.reduce((a, b) => a + b, 0n);

describe('closing out a budget when a new plan is agreed mid-year', () => {
  const budget = { startsOn: '2026-04-01', endsOn: '2027-03-31', lines: [{ streamId: 's', management: 'direct_payment' as const, annualPence: 520_000n }] };
  const instalments = paymentSchedule({ periodStart: budget.startsOn, periodEnd: budget.endsOn, frequency: 'four_weekly', streams: [{ streamId: 's', annualPence: 520_000n }] });

  it('keeps what fell due before the change, drops the rest, and returns the rest of the year to the pot', () => {
    const result = closeOut(budget, '2026-11-15', instalments, new Set());
    const kept = instalments.filter((i) => i.dueOn < '2026-11-15');
    assert.deepEqual(result.drop, instalments.filter((i) => i.dueOn >= '2026-11-15').map((i) => i.number));
    assert.deepEqual(result.release, [{ streamId: 's', management: 'direct_payment', pence: 520_000n - sum(kept.map((i) => i.amountPence)) }]);
  });

  it('counts the days already paid for in advance from the change as overlap, pro rata', () => {
    // Instalment 9 pays 11 November to 8 December in advance: 24 of its 28 days fall from 15 November.
    const ninth = instalments[8];
    assert.deepEqual([ninth?.periodFrom, ninth?.periodTo], ['2026-11-11', '2026-12-08']);
    const result = closeOut(budget, '2026-11-15', instalments, new Set());
    assert.deepEqual(result.overlap, [{ streamId: 's', pence: ((ninth?.amountPence ?? 0n) * 24n * 2n + 28n) / 56n }]);
  });

  it('keeps an instalment already paid or in a run, whatever its date', () => {
    const later = instalments.find((i) => i.dueOn >= '2026-11-15');
    const result = closeOut(budget, '2026-11-15', instalments, new Set([later?.number ?? 0]));
    assert.ok(!result.drop.includes(later?.number ?? 0));
  });

  it('never loses a penny: for any change date, kept + released = the period amount, and netting takes off exactly the overlap', () => {
    fc.assert(
      // A new budget must last at least two days (personal_budgets: ends_on > starts_on).
      fc.property(fc.integer({ min: 0, max: 363 }), fc.bigInt({ min: 1n, max: 10_000_000n }), (offset, annual) => {
        const b = { ...budget, lines: [{ streamId: 's', management: 'direct_payment' as const, annualPence: annual }] };
        const plan = paymentSchedule({ periodStart: b.startsOn, periodEnd: b.endsOn, frequency: 'monthly', streams: [{ streamId: 's', annualPence: annual }] });
        const changeOn = addDays(b.startsOn, offset);
        const result = closeOut(b, changeOn, plan, new Set());
        const kept = plan.filter((i) => !result.drop.includes(i.number));
        const released = sum(result.release.map((r) => r.pence));
        assert.equal(sum(kept.map((i) => i.amountPence)) + released, periodAmountPence(annual, b.startsOn, b.endsOn));
        const fresh = paymentSchedule({ periodStart: changeOn, periodEnd: b.endsOn, frequency: 'monthly', streams: [{ streamId: 's', annualPence: annual }] });
        const netted = netFirstInstalment(fresh, result.overlap);
        assert.equal(sum(netted.map((i) => i.amountPence)), sum(fresh.map((i) => i.amountPence)) - sum(result.overlap.map((o) => o.pence)));
      }),
    );
  });

  it('returns the unused share of an individual service fund or council-managed line by days', () => {
    const b = { startsOn: '2026-04-01', endsOn: '2027-03-31', lines: [{ streamId: 's', management: 'council_managed' as const, annualPence: 365_000n }] };
    // 365 days at £10 a day: from 1 January there are 90 days left.
    assert.deepEqual(closeOut(b, '2027-01-01', [], new Set()).release, [{ streamId: 's', management: 'council_managed', pence: 90_000n }]);
  });
});
