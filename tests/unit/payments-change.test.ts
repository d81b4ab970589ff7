/** A mid-year plan change (issue 6): the old budget closed out from the change, to the penny. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { closeOut, netOverlap } from '../../src/domain/payments/change.ts';
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

  it('never loses a penny: for any change date, kept + released = the period amount, and netting takes off the overlap (or all the new schedule pays)', () => {
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
        const netted = netOverlap(fresh, result.overlap);
        const overlap = sum(result.overlap.map((o) => o.pence));
        const freshTotal = sum(fresh.map((i) => i.amountPence));
        assert.equal(sum(netted.map((i) => i.amountPence)), freshTotal - (overlap < freshTotal ? overlap : freshTotal));
      }),
    );
  });

  it('keeps nothing on the line for a kept instalment below zero (held for review, never paid), so a change after it still balances', () => {
    const b = { startsOn: '2026-04-02', endsOn: '2027-04-01', lines: [{ streamId: 's', management: 'direct_payment' as const, annualPence: 0n }] };
    const [first, ...rest] = paymentSchedule({ periodStart: b.startsOn, periodEnd: b.endsOn, frequency: 'four_weekly', streams: [{ streamId: 's', annualPence: 0n }] });
    assert.ok(first !== undefined);
    const schedule = [{ ...first, amountPence: -1n, byStream: [{ streamId: 's', pence: -1n }] }, ...rest];
    const result = closeOut(b, '2026-04-03', schedule, new Set());
    assert.ok(!result.drop.includes(first.number), 'it stays on the schedule for finance to review');
    assert.deepEqual(result.release, [], 'the line holds nothing, and nothing is released from it');
    assert.deepEqual(result.overlap, [], 'it paid no days in advance');
  });

  it('nets the overlap off the new schedule stream by stream, from the first payment on, never below zero', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 50_000n }), { minLength: 1, maxLength: 6 }), fc.array(fc.bigInt({ min: 0n, max: 50_000n }), { minLength: 1, maxLength: 6 }), fc.bigInt({ min: 0n, max: 200_000n }), fc.bigInt({ min: 0n, max: 200_000n }), (aParts, bParts, aOverlap, bOverlap) => {
        const n = Math.max(aParts.length, bParts.length);
        const plan = Array.from({ length: n }, (_, i) => {
          const byStream = [{ streamId: 'a', pence: aParts[i] ?? 0n }, { streamId: 'b', pence: bParts[i] ?? 0n }];
          return { number: i + 1, dueOn: addDays('2026-04-01', 28 * i), periodFrom: addDays('2026-04-01', 28 * i), periodTo: addDays('2026-04-01', 28 * i + 27), amountPence: sum(byStream.map((p) => p.pence)), byStream };
        });
        const netted = netOverlap(plan, [{ streamId: 'a', pence: aOverlap }, { streamId: 'b', pence: bOverlap }]);
        for (const [stream, overlap, parts] of [['a', aOverlap, aParts], ['b', bOverlap, bParts]] as const) {
          const before = sum(parts);
          const after = sum(netted.map((i) => i.byStream.find((p) => p.streamId === stream)?.pence ?? 0n));
          assert.equal(before - after, overlap < before ? overlap : before, `stream ${stream}: the overlap, or all the schedule pays`);
        }
        for (const i of netted) {
          assert.ok(i.byStream.every((p) => p.pence >= 0n), 'no share goes below zero');
          assert.equal(i.amountPence, sum(i.byStream.map((p) => p.pence)));
        }
      }),
    );
  });

  it('returns the unused share of an individual service fund or council-managed line by days', () => {
    const b = { startsOn: '2026-04-01', endsOn: '2027-03-31', lines: [{ streamId: 's', management: 'council_managed' as const, annualPence: 365_000n }] };
    // 365 days at £10 a day: from 1 January there are 90 days left.
    assert.deepEqual(closeOut(b, '2027-01-01', [], new Set()).release, [{ streamId: 's', management: 'council_managed', pence: 90_000n }]);
  });
});
