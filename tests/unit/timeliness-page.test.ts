/**
 * The timeliness page's model (src/web/pages/cases/timeliness.ts): a council with more late plans
 * than the page lists shows the first ones, oldest issue first, and says how many there are.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countTimeliness, defaultReportPeriod } from '../../src/domain/pathway/timeliness.ts';
import { LATE_LISTED, timelinessModel } from '../../src/web/pages/cases/timeliness.ts';
import type { LatePlan, TimelinessReport } from '../../src/services/timeliness.ts';

const EMPTY_DATE = { day: '', month: '', year: '' };

function reportWith(lateCount: number): TimelinessReport {
  const late: LatePlan[] = Array.from({ length: lateCount }, (_, i) => ({
    caseId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    personId: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    person: { reference: `LP-${i}`, givenName: 'Late', familyName: `Person ${i}` },
    requestDate: '2026-01-05',
    dueOn: '2026-05-25',
    issuedOn: '2026-06-30',
    daysTaken: 176,
    withException: false,
    exceptionReasons: [],
  }));
  return {
    period: defaultReportPeriod('2026-12-03'),
    today: '2026-12-03',
    scope: 'council',
    showsNames: true,
    figures: countTimeliness(late.map(() => ({ onTime: false, withException: false }))),
    byMonth: [],
    late,
    lateNotListed: 0,
    openPastWeekTwenty: { total: 0, withException: 0 },
  };
}

const form = { values: { from: EMPTY_DATE, to: EMPTY_DATE }, from: '', to: '', errors: [] };

describe('the timeliness page', () => {
  it('lists every late plan when there are no more than it shows', () => {
    const model = timelinessModel(form, reportWith(3));
    assert.ok('lateRows' in model, 'the report is shown');
    assert.equal(model.lateRows.length, 3);
    assert.equal(model.moreText, undefined);
  });

  it('lists the first plans, oldest issue first, and says how many there are when a council has more', () => {
    const model = timelinessModel(form, reportWith(LATE_LISTED + 41));
    assert.ok('lateRows' in model, 'the report is shown');
    assert.equal(model.lateRows.length, LATE_LISTED);
    assert.match(JSON.stringify(model.lateRows[0]), /LP-0</);
    assert.equal(model.moreText, `Showing the first 200 of 241, oldest issue first. Choose a shorter period to see the rest.`);
  });
});
