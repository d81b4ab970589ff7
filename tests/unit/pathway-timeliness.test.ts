/**
 * The EHC plan timeliness report's counting (src/domain/pathway/timeliness.ts): one plan judged by
 * hand against request + 140 days, exceptions that do and do not overlap the clock, the SEN2
 * figure "within 20 weeks excluding exceptions", months of issue, the default period and the
 * date from which an open case is past week 20; and a property: the figures always add up.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../src/domain/pathway/dates.ts';
import {
  countTimeliness,
  defaultReportPeriod,
  monthsOf,
  pastWeekTwentyIfRequestedBy,
  percentOf,
  planTimeliness,
  timelinessByMonth,
} from '../../src/domain/pathway/timeliness.ts';
import type { CaseFacts, CaseStep } from '../../src/domain/pathway/steps.ts';

const facts = (requestDate: string, caseType: CaseFacts['caseType'] = 'ehc'): CaseFacts => ({ caseType, requestDate, dateOfBirth: '2015-06-01', phaseTransferYear: null });
let n = 0;
const step = (kind: CaseStep['kind'], occurredOn: string, details: Record<string, unknown> = {}): CaseStep => {
  n += 1;
  return { id: `s${n}`, kind, occurredOn, details, recordedAt: `2026-12-01T10:00:${String(n % 60).padStart(2, '0')}.000Z` };
};
const exception = (fromDate: string, toDate: string, reason = 'setting_closed') => step('exception_recorded', toDate, { reason, fromDate, toDate });

describe('one final plan against the 20-week limit', () => {
  it('is on time on request + 140 days and late the day after, with the days taken', () => {
    // 5 January 2026 + 140 days = 25 May 2026.
    const onTheDay = planTimeliness(facts('2026-01-05'), [step('final_issued', '2026-05-25')]);
    assert.deepEqual(onTheDay, {
      requestDate: '2026-01-05',
      dueOn: '2026-05-25',
      issuedOn: '2026-05-25',
      daysTaken: 140,
      onTime: true,
      withException: false,
      exceptionReasons: [],
    });
    const dayAfter = planTimeliness(facts('2026-01-05'), [step('final_issued', '2026-05-26')]);
    assert.equal(dayAfter?.onTime, false);
    assert.equal(dayAfter?.daysTaken, 141);
  });

  it('names the reasons of only the exceptions that overlap the clock, each once', () => {
    const plan = planTimeliness(facts('2026-01-05'), [
      exception('2026-02-01', '2026-03-15', 'setting_closed'),
      exception('2026-06-01', '2026-07-15', 'family_absent'), // after the due date: excuses nothing
      exception('2026-04-01', '2026-05-01', 'setting_closed'),
      exception('2026-04-10', '2026-05-10', 'exceptional_personal_circumstances'),
      step('final_issued', '2026-07-01'),
    ]);
    assert.equal(plan?.onTime, false);
    assert.equal(plan?.withException, true);
    assert.deepEqual(plan?.exceptionReasons, ['setting_closed', 'exceptional_personal_circumstances']);
  });

  it('has no exception when the only one ends before the request', () => {
    const plan = planTimeliness(facts('2026-01-05'), [exception('2025-11-01', '2026-01-04'), step('final_issued', '2026-06-30')]);
    assert.equal(plan?.withException, false);
    assert.deepEqual(plan?.exceptionReasons, []);
  });

  it('counts the first final plan, and nothing for a case without one or a social care case', () => {
    const plan = planTimeliness(facts('2026-01-05'), [step('final_issued', '2026-07-01'), step('final_issued', '2026-05-01')]);
    assert.equal(plan?.issuedOn, '2026-05-01');
    assert.equal(planTimeliness(facts('2026-01-05'), [exception('2026-02-01', '2026-03-01')]), null);
    assert.equal(planTimeliness(facts('2026-01-05', 'social_care_child'), [step('final_issued', '2026-05-01')]), null);
  });
});

describe('the figures', () => {
  it('gives the national figure without the plans an exception applies to', () => {
    const figures = countTimeliness([
      { onTime: true, withException: false },
      { onTime: true, withException: false },
      { onTime: false, withException: false },
      { onTime: false, withException: true },
      { onTime: true, withException: true },
    ]);
    assert.deepEqual(figures, {
      issued: 5,
      withinTwentyWeeks: 3,
      percentWithin: 60,
      excludingExceptions: { issued: 3, withinTwentyWeeks: 2, percentWithin: 66.7 },
      withExceptions: { issued: 2, withinTwentyWeeks: 1 },
    });
  });

  it('has no percentage when no plans were issued, and rounds to one decimal place', () => {
    assert.deepEqual(countTimeliness([]).percentWithin, null);
    assert.equal(countTimeliness([{ onTime: false, withException: true }]).excludingExceptions.percentWithin, null);
    assert.equal(percentOf(1, 3), 33.3);
    assert.equal(percentOf(2, 3), 66.7);
    assert.equal(percentOf(1, 8), 12.5);
    assert.equal(percentOf(0, 4), 0);
  });

  it('always adds up: within ≤ issued, with and without exceptions summing to all', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ onTime: fc.boolean(), withException: fc.boolean() }), { maxLength: 60 }), (plans) => {
        const f = countTimeliness(plans);
        assert.equal(f.excludingExceptions.issued + f.withExceptions.issued, f.issued);
        assert.equal(f.excludingExceptions.withinTwentyWeeks + f.withExceptions.withinTwentyWeeks, f.withinTwentyWeeks);
        assert.ok(f.withinTwentyWeeks <= f.issued);
        if (f.percentWithin !== null) assert.ok(f.percentWithin >= 0 && f.percentWithin <= 100);
      }),
    );
  });
});

describe('the period and its months', () => {
  it('defaults to the 12 months to today, today included, with 29 February handled', () => {
    assert.deepEqual(defaultReportPeriod('2026-11-20'), { from: '2025-11-21', to: '2026-11-20' });
    assert.deepEqual(defaultReportPeriod('2029-02-28'), { from: '2028-02-29', to: '2029-02-28' });
    assert.deepEqual(defaultReportPeriod('2028-02-29'), { from: '2027-03-01', to: '2028-02-29' });
  });

  it('lists every month the period touches, across a year end', () => {
    assert.deepEqual(monthsOf({ from: '2025-11-21', to: '2026-02-03' }), ['2025-11', '2025-12', '2026-01', '2026-02']);
    assert.deepEqual(monthsOf({ from: '2026-03-31', to: '2026-03-31' }), ['2026-03']);
  });

  it('counts plans by month of issue, months without plans as zeros', () => {
    const byMonth = timelinessByMonth(
      [
        { issuedOn: '2026-01-31', onTime: true, withException: false },
        { issuedOn: '2026-03-01', onTime: false, withException: true },
        { issuedOn: '2026-03-31', onTime: false, withException: false },
      ],
      { from: '2026-01-01', to: '2026-03-31' },
    );
    assert.deepEqual(
      byMonth.map((m) => [m.month, m.figures.issued, m.figures.withinTwentyWeeks, m.figures.excludingExceptions.issued]),
      [
        ['2026-01', 1, 1, 1],
        ['2026-02', 0, 0, 0],
        ['2026-03', 2, 0, 1],
      ],
    );
  });

  it('finds an open case past week 20 from the day after its due date', () => {
    const today = '2026-11-20';
    const last = pastWeekTwentyIfRequestedBy(today);
    assert.equal(last, '2026-07-02');
    // Requested on 2 July 2026: due 19 November, so overdue today; requested on 3 July: due today, not yet past.
    assert.equal(addDays(last, 140), '2026-11-19');
    assert.equal(addDays(addDays(last, 1), 140), today);
  });
});
