/**
 * Direct payment schedules (src/domain/payments/schedule.ts): paid in advance, first and last
 * payments pro rata, one payment stream showing each funding stream's share, exact to the penny;
 * and rescheduling after a mid-year plan change.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { apportion } from '../../src/domain/money/split.ts';
import { addDays, addMonths, compareDates, daysBetween, earlierOf, laterOf } from '../../src/domain/pathway/dates.ts';
import { periodEnd as endOfBudgetYear } from '../../src/domain/sign-off/sign-off.ts';
import {
  amountForPart,
  daysInBudgetYear,
  paymentSchedule,
  periodAmountPence,
  rescheduleFrom,
  type Frequency,
  type Instalment,
  type StreamShare,
} from '../../src/domain/payments/schedule.ts';

const sum = (values: readonly bigint[]): bigint => values.reduce((a, b) => a + b, 0n);
const amounts = (instalments: readonly Instalment[]): bigint[] => instalments.map((i) => i.amountPence);
const shareOf = (instalment: Instalment, streamId: string): bigint => instalment.byStream.find((p) => p.streamId === streamId)?.pence ?? 0n;
const streamTotal = (instalments: readonly Instalment[], streamId: string): bigint => sum(instalments.map((i) => shareOf(i, streamId)));
const days = (from: string, to: string): number => daysBetween(from, to) + 1;

const socialCare = (annualPence: bigint): StreamShare => ({ streamId: 'social-care', annualPence });
const health = (annualPence: bigint): StreamShare => ({ streamId: 'health', annualPence });

describe('payment schedule: worked examples', () => {
  it('pays a 1 April to 31 March year monthly in 12 payments, in advance, that add up to the year exactly', () => {
    const schedule = paymentSchedule({
      periodStart: '2026-04-01',
      periodEnd: '2027-03-31',
      frequency: 'monthly',
      streams: [socialCare(1_200_000n), health(100_005n)],
    });
    assert.deepEqual(
      schedule.map((i) => i.dueOn),
      ['2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01', '2026-11-01', '2026-12-01', '2027-01-01', '2027-02-01', '2027-03-01'],
    );
    assert.deepEqual(schedule.map((i) => [i.periodFrom, i.periodTo]).at(-1), ['2027-03-01', '2027-03-31']);
    // £13,000.05 ÷ 12 = £1,083.3375: nine payments of £1,083.34 and three of £1,083.33. February
    // (28 days) is paid the same as March (31): a month is a month.
    assert.deepEqual(amounts(schedule), [...Array.from({ length: 9 }, () => 108_334n), 108_333n, 108_333n, 108_333n]);
    assert.equal(sum(amounts(schedule)), 1_300_005n);
    assert.equal(streamTotal(schedule, 'social-care'), 1_200_000n);
    assert.equal(streamTotal(schedule, 'health'), 100_005n);
    assert.ok(schedule.every((i) => i.kind === 'regular' && i.adjustments.length === 0));
  });

  it('shows each funding stream’s share of every payment of one direct payment', () => {
    const schedule = paymentSchedule({
      periodStart: '2026-04-01',
      periodEnd: '2027-03-31',
      frequency: 'monthly',
      streams: [socialCare(900_000n), health(300_000n)],
    });
    for (const instalment of schedule) {
      assert.deepEqual(instalment.byStream, [
        { streamId: 'social-care', pence: 75_000n },
        { streamId: 'health', pence: 25_000n },
      ]);
      assert.equal(instalment.amountPence, 100_000n);
    }
  });

  it('pays a budget starting on 15 June on a four-weekly Monday cycle a pro-rata first payment', () => {
    // The council pays every fourth Monday from Monday 1 June 2026; the budget starts mid-cycle.
    const schedule = paymentSchedule({
      periodStart: '2026-06-15',
      periodEnd: endOfBudgetYear('2026-06-15'),
      frequency: 'four_weekly',
      cycleAnchor: '2026-06-01',
      streams: [socialCare(1_300_000n)],
    });
    const first = schedule[0];
    const last = schedule.at(-1);
    assert.ok(first !== undefined && last !== undefined);
    // 15–28 June is 14 of the cycle's 28 days: half a payment, due on the first day, in advance.
    assert.deepEqual([first.dueOn, first.periodFrom, first.periodTo, first.amountPence], ['2026-06-15', '2026-06-15', '2026-06-28', 49_863n]);
    // Then every fourth Monday from 29 June, £13,000 × 28 ÷ 365 = £997.26.
    const regular = schedule.slice(1, -1);
    assert.equal(regular.length, 12);
    assert.ok(regular.every((i) => i.amountPence === 99_726n && days(i.periodFrom, i.periodTo) === 28 && new Date(i.dueOn).getUTCDay() === 1));
    // The last runs only to the end of the budget, 31 May to 14 June 2027 (15 days).
    assert.deepEqual([last.periodFrom, last.periodTo, last.amountPence], ['2027-05-31', '2027-06-14', 53_425n]);
    assert.equal(sum(amounts(schedule)), 1_300_000n);
  });

  it('pays a budget starting mid-month on a 1st-of-the-month cycle a pro-rata first month', () => {
    const schedule = paymentSchedule({
      periodStart: '2026-06-15',
      periodEnd: '2027-06-14',
      frequency: 'monthly',
      cycleAnchor: '2026-01-01',
      streams: [socialCare(1_200_000n)],
    });
    // 16 of June's 30 days, eleven whole months of £1,000, then 14 of June's 30 days.
    assert.deepEqual(amounts(schedule), [53_333n, ...Array.from({ length: 11 }, () => 100_000n), 46_667n]);
    assert.deepEqual(schedule.map((i) => i.dueOn).slice(0, 3), ['2026-06-15', '2026-07-01', '2026-08-01']);
  });

  it('pays a budget starting on 31 January on the last day of shorter months, then the 31st again', () => {
    const common = { frequency: 'monthly' as const, streams: [socialCare(1_200_000n)] };
    const plain = paymentSchedule({ ...common, periodStart: '2027-01-31', periodEnd: endOfBudgetYear('2027-01-31') });
    assert.deepEqual(
      plain.map((i) => i.dueOn),
      ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30', '2027-07-31', '2027-08-31', '2027-09-30', '2027-10-31', '2027-11-30', '2027-12-31'],
    );
    assert.deepEqual(plain.map((i) => [i.periodFrom, i.periodTo]).slice(0, 2), [['2027-01-31', '2027-02-27'], ['2027-02-28', '2027-03-30']]);
    assert.ok(plain.every((i) => i.amountPence === 100_000n));
    const leap = paymentSchedule({ ...common, periodStart: '2028-01-31', periodEnd: endOfBudgetYear('2028-01-31') });
    assert.deepEqual(leap.map((i) => i.dueOn).slice(0, 3), ['2028-01-31', '2028-02-29', '2028-03-31']);
  });

  it('counts a budget year as 366 days when it contains 29 February, so a full year is still the annual amount', () => {
    assert.equal(daysInBudgetYear('2026-04-01'), 365);
    assert.equal(daysInBudgetYear('2027-04-01'), 366);
    // A year from 29 February runs to 28 February (as sign-off sets ends_on): 366 days.
    assert.equal(daysInBudgetYear('2028-02-29'), 366);
    const leapYear = paymentSchedule({ periodStart: '2027-04-01', periodEnd: '2028-03-31', frequency: 'four_weekly', streams: [socialCare(1_000_000n)] });
    assert.equal(sum(amounts(leapYear)), 1_000_000n);
    // 366 days = 13 four-weekly spans and 2 days: the last payment is for 30 and 31 March only.
    assert.equal(leapYear.length, 14);
    assert.deepEqual([leapYear.at(-1)?.periodFrom, leapYear.at(-1)?.amountPence], ['2028-03-30', 5_464n]); // £10,000 × 2 ÷ 366
  });

  it('pays part of a year by its days out of the 365 or 366 in the budget year', () => {
    // 1 January to 30 June: 182 days in 2028 (a leap year), 181 in 2027.
    assert.equal(periodAmountPence(366_000n, '2028-01-01', '2028-06-30'), 182_000n);
    assert.equal(periodAmountPence(365_000n, '2027-01-01', '2027-06-30'), 181_000n);
    const halfYear = paymentSchedule({ periodStart: '2028-01-01', periodEnd: '2028-06-30', frequency: 'monthly', streams: [socialCare(366_000n)] });
    assert.equal(sum(amounts(halfYear)), 182_000n);
  });

  it('keeps zero-amount streams visible with a share of nothing', () => {
    const schedule = paymentSchedule({ periodStart: '2026-04-01', periodEnd: '2027-03-31', frequency: 'monthly', streams: [socialCare(0n), health(12n)] });
    assert.ok(schedule.every((i) => i.byStream.length === 2 && shareOf(i, 'social-care') === 0n));
    assert.equal(sum(amounts(schedule)), 12n);
  });
});

describe('payment schedule: refuses what it cannot pay', () => {
  const good = { periodStart: '2026-04-01', periodEnd: '2027-03-31', frequency: 'monthly' as Frequency, streams: [socialCare(100n)] };
  const cases: [string, Parameters<typeof paymentSchedule>[0]][] = [
    ['a period that ends on the day it starts', { ...good, periodEnd: '2026-04-01' }],
    ['a period that ends before it starts', { ...good, periodEnd: '2026-03-01' }],
    ['a date that is not a date', { ...good, periodStart: '2027-02-29' }],
    ['an unknown frequency', { ...good, frequency: 'weekly' as Frequency }],
    ['a bad cycle date', { ...good, cycleAnchor: '1 June' }],
    ['no funding streams', { ...good, streams: [] }],
    ['a stream listed twice', { ...good, streams: [socialCare(1n), socialCare(2n)] }],
    ['a negative annual amount', { ...good, streams: [socialCare(-1n)] }],
    ['a stream without an id', { ...good, streams: [{ streamId: '', annualPence: 1n }] }],
  ];
  for (const [what, input] of cases) {
    it(`refuses ${what} with a RangeError`, () => {
      assert.throws(() => paymentSchedule(input), RangeError);
    });
  }
});

/* ------------------------------------------------------------------------------------------------
 * Properties
 * ---------------------------------------------------------------------------------------------- */

const dateArb = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const streamsArb = fc
  .uniqueArray(fc.constantFrom('education', 'health', 'social-care', 'chc'), { minLength: 1, maxLength: 4 })
  .chain((ids) => fc.tuple(...ids.map((streamId) => fc.bigInt({ min: 0n, max: 100_000_000n }).map((annualPence) => ({ streamId, annualPence })))));
const scheduleInputArb = fc.record({
  periodStart: dateArb,
  length: fc.oneof(fc.integer({ min: 1, max: 800 }), fc.constant(-1)), // -1: exactly one budget year
  frequency: fc.constantFrom<Frequency>('four_weekly', 'monthly'),
  anchorOffset: fc.option(fc.integer({ min: -400, max: 400 }), { nil: undefined }),
  streams: streamsArb,
}).map(({ periodStart, length, frequency, anchorOffset, streams }) => ({
  periodStart,
  periodEnd: length === -1 ? endOfBudgetYear(periodStart) : addDays(periodStart, length),
  frequency,
  ...(anchorOffset === undefined ? {} : { cycleAnchor: addDays(periodStart, anchorOffset) }),
  streams,
}));

/** The regular spans run day after day from `from` to `to` with nothing missed or paid twice. */
function assertContiguous(instalments: readonly Instalment[], from: string, to: string): void {
  const regular = instalments.filter((i) => i.kind === 'regular');
  assert.equal(regular[0]?.periodFrom, from);
  assert.equal(regular.at(-1)?.periodTo, to);
  regular.forEach((instalment, index) => {
    assert.ok(compareDates(instalment.periodFrom, instalment.periodTo) <= 0);
    assert.equal(instalment.dueOn, instalment.periodFrom, 'paid in advance, on the first day');
    const previous = regular[index - 1];
    if (previous !== undefined) assert.equal(instalment.periodFrom, addDays(previous.periodTo, 1));
  });
}

function assertSharesAddUp(instalments: readonly Instalment[]): void {
  instalments.forEach((instalment, index) => {
    assert.equal(instalment.number, index + 1);
    assert.equal(sum(instalment.byStream.map((p) => p.pence)), instalment.amountPence);
    for (const a of instalment.adjustments) assert.equal(sum(a.byStream.map((p) => p.pence)), a.pence);
  });
}

describe('payment schedule: properties', () => {
  it('covers the whole period exactly, span after span, each due on its first day', () => {
    fc.assert(
      fc.property(scheduleInputArb, (input) => {
        assertContiguous(paymentSchedule(input), input.periodStart, input.periodEnd);
      }),
    );
  });

  it('cuts spans only at cycle dates: 28 days apart, or the anchor’s day of the month (or the month’s last day)', () => {
    fc.assert(
      fc.property(scheduleInputArb, (input) => {
        const anchor = input.cycleAnchor ?? input.periodStart;
        const schedule = paymentSchedule(input);
        for (const instalment of schedule.slice(1)) {
          if (input.frequency === 'four_weekly') assert.equal(((daysBetween(anchor, instalment.dueOn) % 28) + 28) % 28, 0);
          else {
            const day = Number(instalment.dueOn.slice(8));
            const lastDay = addDays(addMonths(`${instalment.dueOn.slice(0, 7)}-01`, 1), -1) === instalment.dueOn;
            assert.ok(day === Number(anchor.slice(8)) || (lastDay && day < Number(anchor.slice(8))), instalment.dueOn);
          }
        }
        for (const instalment of schedule.slice(1, -1)) {
          const length = days(instalment.periodFrom, instalment.periodTo);
          assert.ok(input.frequency === 'four_weekly' ? length === 28 : length >= 28 && length <= 31);
        }
      }),
    );
  });

  it('pays exactly each stream’s amount for the period, and every payment’s shares add up to it', () => {
    fc.assert(
      fc.property(scheduleInputArb, (input) => {
        const schedule = paymentSchedule(input);
        assertSharesAddUp(schedule);
        let expected = 0n;
        for (const stream of input.streams) {
          const due = periodAmountPence(stream.annualPence, input.periodStart, input.periodEnd);
          assert.equal(streamTotal(schedule, stream.streamId), due);
          expected += due;
        }
        assert.equal(sum(amounts(schedule)), expected);
      }),
    );
  });

  it('pays exactly the annual amount for a budget year, whatever the start day', () => {
    fc.assert(
      fc.property(dateArb, fc.bigInt({ min: 0n, max: 10n ** 10n }), (start, annual) => periodAmountPence(annual, start, endOfBudgetYear(start)) === annual),
    );
  });

  it('never pays a negative amount or share', () => {
    fc.assert(
      fc.property(scheduleInputArb, (input) => paymentSchedule(input).every((i) => i.amountPence >= 0n && i.byStream.every((p) => p.pence >= 0n))),
    );
  });

  it('pays each four-weekly instalment within a penny of its days’ share of the total', () => {
    fc.assert(
      fc.property(scheduleInputArb, (input) => {
        const schedule = paymentSchedule({ ...input, frequency: 'four_weekly' });
        const total = sum(amounts(schedule));
        const periodDays = BigInt(days(input.periodStart, input.periodEnd));
        for (const instalment of schedule) {
          const gap = instalment.amountPence * periodDays - total * BigInt(days(instalment.periodFrom, instalment.periodTo));
          assert.ok(gap > -periodDays && gap < periodDays);
        }
      }),
    );
  });
});

/* ------------------------------------------------------------------------------------------------
 * Rescheduling
 * ---------------------------------------------------------------------------------------------- */

const yearMonthly = (streams: readonly StreamShare[]): Instalment[] =>
  paymentSchedule({ periodStart: '2026-04-01', periodEnd: '2027-03-31', frequency: 'monthly', streams });

describe('rescheduling after a plan change: worked examples', () => {
  it('pays the new amount from a payment date with no adjustment', () => {
    const existing = yearMonthly([socialCare(1_200_000n)]);
    const changed = rescheduleFrom({ existing, changeOn: '2026-10-01', streams: [socialCare(2_400_000n)], periodEnd: '2027-03-31', frequency: 'monthly' });
    assert.deepEqual(changed.slice(0, 6), existing.slice(0, 6));
    assert.deepEqual(amounts(changed.slice(6)), Array.from({ length: 6 }, () => 200_000n));
    assert.ok(changed.every((i) => i.adjustments.length === 0));
  });

  it('adds the difference for days already paid at the old amount to the next payment', () => {
    // £12,000 a year becomes £24,000 from 16 October. October was paid in advance on 1 October.
    const existing = yearMonthly([socialCare(1_200_000n)]);
    const changed = rescheduleFrom({ existing, changeOn: '2026-10-16', streams: [socialCare(2_400_000n)], periodEnd: '2027-03-31', frequency: 'monthly' });
    assert.deepEqual(changed.slice(0, 7), existing.slice(0, 7));
    const november = changed[7];
    assert.ok(november !== undefined);
    // 16–31 October is 16 of October's 31 days: paid £516.13 at the old amount, due £1,032.26 at the new.
    assert.deepEqual(november.adjustments, [{ from: '2026-10-16', to: '2026-10-31', pence: 51_613n, byStream: [{ streamId: 'social-care', pence: 51_613n }] }]);
    assert.deepEqual([november.dueOn, november.periodFrom, november.periodTo, november.amountPence], ['2026-11-01', '2026-11-01', '2026-11-30', 251_613n]);
    // The whole months left are paid at the new £2,000 a month.
    assert.deepEqual(amounts(changed.slice(8)), [200_000n, 200_000n, 200_000n, 200_000n]);
    // Old amount for 1 April–15 October, new for 16 October–31 March.
    assert.equal(sum(amounts(changed)), 600_000n + 48_387n + 1_103_226n);
  });

  it('shows a cut to nothing in the last month as a one-off amount to recover, due on the change date', () => {
    const existing = yearMonthly([socialCare(1_200_000n)]);
    const changed = rescheduleFrom({ existing, changeOn: '2027-03-10', streams: [socialCare(0n)], periodEnd: '2027-03-31', frequency: 'monthly' });
    assert.equal(changed.length, 13);
    assert.deepEqual(changed.slice(0, 12), existing);
    const oneOff = changed[12];
    assert.ok(oneOff !== undefined);
    // 10–31 March is 22 of March's 31 days of £1,000: £709.68 paid in advance and not funded.
    assert.deepEqual(
      [oneOff.kind, oneOff.dueOn, oneOff.periodFrom, oneOff.periodTo, oneOff.amountPence],
      ['adjustment', '2027-03-10', '2027-03-10', '2027-03-31', -70_968n],
    );
  });

  it('credits days already paid after a budget that ends early', () => {
    const existing = yearMonthly([socialCare(1_200_000n)]);
    const changed = rescheduleFrom({ existing, changeOn: '2026-10-16', streams: [socialCare(1_200_000n)], periodEnd: '2026-10-15', frequency: 'monthly' });
    assert.deepEqual(changed.slice(0, 7), existing.slice(0, 7));
    assert.equal(changed.length, 8);
    assert.deepEqual([changed[7]?.kind, changed[7]?.amountPence], ['adjustment', -51_613n]);
    assert.equal(sum(amounts(changed)), 600_000n + 48_387n);
  });

  it('moves money between streams visibly when one stream takes over from another', () => {
    const existing = yearMonthly([socialCare(1_200_000n)]);
    const changed = rescheduleFrom({ existing, changeOn: '2026-10-16', streams: [health(1_200_000n)], periodEnd: '2027-03-31', frequency: 'monthly' });
    const november = changed[7];
    assert.ok(november !== undefined);
    // Social care gets back what it paid for 16–31 October; health pays for those days instead.
    assert.deepEqual(november.byStream, [
      { streamId: 'health', pence: 100_000n + 51_613n },
      { streamId: 'social-care', pence: -51_613n },
    ]);
    assert.equal(november.amountPence, 100_000n);
    assert.equal(streamTotal(changed, 'social-care'), 600_000n + 48_387n);
  });

  it('keeps an earlier change’s adjustment when a second change replaces the payment carrying it', () => {
    const existing = yearMonthly([socialCare(1_200_000n)]);
    const first = rescheduleFrom({ existing, changeOn: '2026-10-16', streams: [socialCare(2_400_000n)], periodEnd: '2027-03-31', frequency: 'monthly' });
    // Before November is paid, the plan changes back from 1 November.
    const second = rescheduleFrom({ existing: first, changeOn: '2026-11-01', streams: [socialCare(1_200_000n)], periodEnd: '2027-03-31', frequency: 'monthly' });
    assert.deepEqual(second[7]?.adjustments, first[7]?.adjustments);
    assert.equal(second[7]?.amountPence, 100_000n + 51_613n);
    assert.equal(sum(amounts(second)), 600_000n + 48_387n + 103_226n + 500_000n);
  });

  it('makes the same schedule as a new one when the change takes effect from the first day', () => {
    const existing = paymentSchedule({ periodStart: '2026-06-15', periodEnd: '2027-06-14', frequency: 'four_weekly', cycleAnchor: '2026-06-01', streams: [socialCare(1_300_000n)] });
    const streams = [health(700_000n), socialCare(650_001n)];
    const changed = rescheduleFrom({ existing, changeOn: '2026-06-15', streams, periodEnd: '2027-06-14', frequency: 'four_weekly', cycleAnchor: '2026-06-01' });
    assert.deepEqual(changed, paymentSchedule({ periodStart: '2026-06-15', periodEnd: '2027-06-14', frequency: 'four_weekly', cycleAnchor: '2026-06-01', streams }));
  });

  it('refuses a change outside the period, or a cycle the schedule was not made with', () => {
    const existing = yearMonthly([socialCare(1_200_000n)]);
    const base = { existing, streams: [socialCare(1n)], periodEnd: '2027-03-31', frequency: 'monthly' as Frequency };
    assert.throws(() => rescheduleFrom({ ...base, changeOn: '2026-03-31' }), RangeError);
    assert.throws(() => rescheduleFrom({ ...base, changeOn: '2027-04-02' }), RangeError);
    assert.throws(() => rescheduleFrom({ ...base, changeOn: '2026-10-16', periodEnd: '2026-10-14' }), RangeError);
    assert.throws(() => rescheduleFrom({ ...base, changeOn: '2026-10-16', frequency: 'four_weekly' }), RangeError);
    assert.throws(() => rescheduleFrom({ ...base, changeOn: '2026-10-16', cycleAnchor: '2026-01-15' }), RangeError);
    assert.throws(() => rescheduleFrom({ ...base, existing: [], changeOn: '2026-10-16' }), RangeError);
    const tampered = existing.map((i, index) => (index === 3 ? { ...i, amountPence: i.amountPence + 1n } : i));
    assert.throws(() => rescheduleFrom({ ...base, existing: tampered, changeOn: '2026-10-16' }), RangeError);
  });
});

/** A schedule, a change date within it, new streams and a (mostly unchanged) period end. */
const changeArb = scheduleInputArb.chain((input) => {
  const periodDays = days(input.periodStart, input.periodEnd);
  return fc.record({
    input: fc.constant(input),
    changeOffset: fc.integer({ min: 0, max: periodDays }),
    newStreams: streamsArb,
    endShift: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -400, max: 400 }) }),
  }).map(({ changeOffset, newStreams, endShift }) => {
    const changeOn = addDays(input.periodStart, changeOffset);
    // The end may move, but not before the day before the change, nor to the start.
    const lowest = laterOf(addDays(changeOn, -1), addDays(input.periodStart, 1));
    return { input, changeOn, newStreams, periodEnd: laterOf(addDays(input.periodEnd, endShift), lowest) };
  });
});

/** What the schedule made from `input` pays for the days before `changeOn`, stream by stream (shared by days within a span). */
function paidBefore(input: { periodStart: string; periodEnd: string; frequency: Frequency; cycleAnchor?: string; streams: readonly StreamShare[] }, changeOn: string): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const instalment of paymentSchedule(input)) {
    const before = BigInt(Math.max(0, days(instalment.periodFrom, earlierOf(instalment.periodTo, addDays(changeOn, -1)))));
    const after = BigInt(days(instalment.periodFrom, instalment.periodTo)) - before;
    for (const part of instalment.byStream) {
      const [kept = 0n] = apportion(part.pence, [before, after]);
      totals.set(part.streamId, (totals.get(part.streamId) ?? 0n) + kept);
    }
  }
  return totals;
}

describe('rescheduling: properties', () => {
  it('never changes an instalment due before the change', () => {
    fc.assert(
      fc.property(changeArb, ({ input, changeOn, newStreams, periodEnd }) => {
        const existing = paymentSchedule(input);
        const changed = rescheduleFrom({ existing, changeOn, streams: newStreams, periodEnd, frequency: input.frequency, cycleAnchor: input.cycleAnchor });
        const kept = existing.filter((i) => compareDates(i.dueOn, changeOn) < 0);
        assert.deepEqual(changed.slice(0, kept.length), kept);
        assert.ok(changed.slice(kept.length).every((i) => compareDates(i.dueOn, changeOn) >= 0));
      }),
    );
  });

  it('pays exactly the old amounts for the days before the change and the new amounts from it, stream by stream', () => {
    fc.assert(
      fc.property(changeArb, ({ input, changeOn, newStreams, periodEnd }) => {
        const existing = paymentSchedule(input);
        const changed = rescheduleFrom({ existing, changeOn, streams: newStreams, periodEnd, frequency: input.frequency, cycleAnchor: input.cycleAnchor });
        assertSharesAddUp(changed);
        const expected = paidBefore(input, changeOn);
        const newPeriod = { periodStart: input.periodStart, periodEnd, frequency: input.frequency, cycleAnchor: input.cycleAnchor };
        for (const stream of newStreams) {
          expected.set(stream.streamId, (expected.get(stream.streamId) ?? 0n) + amountForPart(stream.annualPence, newPeriod, changeOn, periodEnd));
        }
        for (const [streamId, pence] of expected) assert.equal(streamTotal(changed, streamId), pence, streamId);
        assert.equal(sum(amounts(changed)), sum([...expected.values()]));
      }),
    );
  });

  it('still pays every day once: regular spans run on from the start, on the same cycle, to the end', () => {
    fc.assert(
      fc.property(changeArb, ({ input, changeOn, newStreams, periodEnd }) => {
        const existing = paymentSchedule(input);
        const changed = rescheduleFrom({ existing, changeOn, streams: newStreams, periodEnd, frequency: input.frequency, cycleAnchor: input.cycleAnchor });
        const paidTo = existing.filter((i) => compareDates(i.dueOn, changeOn) < 0).reduce((to, i) => laterOf(to, i.periodTo), input.periodStart);
        assertContiguous(changed, input.periodStart, laterOf(paidTo, periodEnd));
        // Payments fall on the cycle's dates, or (when the period grew) the day after the old end.
        const cycleDates = new Set(paymentSchedule({ ...input, periodEnd: laterOf(periodEnd, input.periodEnd) }).map((i) => i.dueOn));
        cycleDates.add(addDays(input.periodEnd, 1));
        assert.ok(changed.filter((i) => i.kind === 'regular').every((i) => cycleDates.has(i.dueOn)));
        assert.ok(changed.filter((i) => i.kind === 'adjustment').every((i) => i.dueOn === changeOn));
      }),
    );
  });

  it('never asks for money back when no stream’s amount goes down', () => {
    fc.assert(
      fc.property(changeArb, fc.bigInt({ min: 10_000n, max: 10_000_000n }), ({ input, changeOn }, rise) => {
        const existing = paymentSchedule(input);
        const raised = input.streams.map((s) => ({ ...s, annualPence: s.annualPence + rise }));
        const changed = rescheduleFrom({ existing, changeOn, streams: raised, periodEnd: input.periodEnd, frequency: input.frequency, cycleAnchor: input.cycleAnchor });
        assert.ok(changed.every((i) => i.amountPence >= 0n && i.byStream.every((p) => p.pence >= 0n)));
      }),
    );
  });

  it('moves no more than a penny an instalment when the change keeps the same amounts', () => {
    // The old and new amounts are rounded separately, so an unchanged plan can move a few pence.
    fc.assert(
      fc.property(changeArb, ({ input, changeOn }) => {
        const existing = paymentSchedule(input);
        const changed = rescheduleFrom({ existing, changeOn, streams: input.streams, periodEnd: input.periodEnd, frequency: input.frequency, cycleAnchor: input.cycleAnchor });
        const limit = BigInt(existing.length);
        for (const stream of input.streams) {
          const gap = streamTotal(changed, stream.streamId) - streamTotal(existing, stream.streamId);
          assert.ok(gap >= -limit && gap <= limit, `${stream.streamId}: ${gap}`);
        }
      }),
    );
  });

  it('keeps every penny through two changes in a row', () => {
    fc.assert(
      fc.property(changeArb, streamsArb, fc.integer({ min: 0, max: 400 }), ({ input, changeOn, newStreams, periodEnd }, thirdStreams, gapDays) => {
        const existing = paymentSchedule(input);
        const cycle = { frequency: input.frequency, cycleAnchor: input.cycleAnchor };
        const first = rescheduleFrom({ existing, changeOn, streams: newStreams, periodEnd, ...cycle });
        const coveredTo = first.filter((i) => i.kind === 'regular').at(-1)?.periodTo ?? periodEnd;
        const secondOn = earlierOf(addDays(changeOn, gapDays), addDays(coveredTo, 1));
        const secondEnd = laterOf(periodEnd, addDays(secondOn, -1));
        const second = rescheduleFrom({ existing: first, changeOn: secondOn, streams: thirdStreams, periodEnd: secondEnd, ...cycle });
        assertSharesAddUp(second);
        assert.deepEqual(second.slice(0, first.filter((i) => compareDates(i.dueOn, secondOn) < 0).length), first.filter((i) => compareDates(i.dueOn, secondOn) < 0));
        // Each stream's total is close to its old, first-change and second-change amounts for
        // their days (a penny or so of rounding per instalment), and the shares always add up exactly.
        const newPeriod = { periodStart: input.periodStart, periodEnd: secondEnd, ...cycle };
        const firstPeriod = { periodStart: input.periodStart, periodEnd, ...cycle };
        const ids = new Set([...input.streams, ...newStreams, ...thirdStreams].map((s) => s.streamId));
        for (const id of ids) {
          const annual = (streams: readonly StreamShare[]): bigint => streams.find((s) => s.streamId === id)?.annualPence ?? 0n;
          const expected =
            amountForPart(annual(input.streams), input, input.periodStart, addDays(changeOn, -1)) +
            amountForPart(annual(newStreams), firstPeriod, changeOn, earlierOf(addDays(secondOn, -1), periodEnd)) +
            amountForPart(annual(thirdStreams), newPeriod, secondOn, secondEnd);
          const gap = streamTotal(second, id) - expected;
          const limit = BigInt(second.length) + 3n;
          assert.ok(gap >= -limit && gap <= limit, `${id}: ${gap}`);
        }
      }),
    );
  });
});
