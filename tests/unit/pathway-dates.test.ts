/**
 * Calendar arithmetic for the statutory clocks (src/domain/pathway/dates.ts): month ends, leap years
 * and the Europe/London clock changes, worked by hand; and properties over any dates.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { londonDate } from '../../src/clock.ts';
import { addDays, addMonths, addWeeks, compareDates, daysBetween, isIsoDate, longDate } from '../../src/domain/pathway/dates.ts';

const dateArb = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2150-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('pathway dates', () => {
  it('knows a real calendar date from one that is not', () => {
    assert.equal(isIsoDate('2026-12-03'), true);
    assert.equal(isIsoDate('2028-02-29'), true);
    assert.equal(isIsoDate('2027-02-29'), false);
    assert.equal(isIsoDate('2026-04-31'), false);
    assert.equal(isIsoDate('2026-13-01'), false);
    assert.equal(isIsoDate('2026-00-10'), false);
    assert.equal(isIsoDate('2026-1-5'), false);
    assert.equal(isIsoDate('3 December 2026'), false);
    assert.equal(isIsoDate(''), false);
  });

  it('knows every day of every month as the calendar does, 29 February only in leap years', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 28, max: 31 }), (y, m, d) => {
        // The calendar's own answer: day 0 of the next month is this month's last day (setUTCFullYear, because Date.UTC reads years 0–99 as 1900–1999).
        const last = new Date(0);
        last.setUTCFullYear(y, m, 0);
        const date = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        assert.equal(isIsoDate(date), d <= last.getUTCDate(), date);
      }),
      { numRuns: 5000 },
    );
    assert.equal(isIsoDate('2000-02-29'), true);
    assert.equal(isIsoDate('2100-02-29'), false);
    assert.equal(isIsoDate('2400-02-29'), true);
  });

  it('adds months clamped to the end of the month', () => {
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonths('2028-01-31', 1), '2028-02-29');
    assert.equal(addMonths('2026-08-31', 6), '2027-02-28');
    assert.equal(addMonths('2026-03-31', 1), '2026-04-30');
    assert.equal(addMonths('2028-02-29', 12), '2029-02-28');
    assert.equal(addMonths('2026-11-15', 3), '2027-02-15');
    assert.equal(addMonths('2026-03-15', -3), '2025-12-15');
  });

  it('adds days and weeks across month and year ends and 29 February', () => {
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addDays('2027-02-28', 1), '2027-03-01');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
    assert.equal(addWeeks('2028-01-15', 20), '2028-06-03');
    assert.equal(addWeeks('2027-12-20', 20), '2028-05-08');
    assert.equal(addWeeks('2027-03-01', 20), '2027-07-19');
  });

  it('is not moved by the Europe/London clock changes', () => {
    // 29 March 2026 the clocks go forward; 25 October 2026 they go back.
    assert.equal(addWeeks('2026-03-20', 6), '2026-05-01');
    assert.equal(addDays('2026-03-28', 1), '2026-03-29');
    assert.equal(addDays('2026-03-29', 1), '2026-03-30');
    assert.equal(addWeeks('2026-10-01', 6), '2026-11-12');
    assert.equal(addDays('2026-10-25', 1), '2026-10-26');
    assert.equal(daysBetween('2026-03-28', '2026-03-30'), 2);
    assert.equal(daysBetween('2026-10-24', '2026-10-26'), 2);
  });

  it('takes today in London from an instant either side of midnight on the clock-change days', () => {
    assert.equal(londonDate(new Date('2026-03-28T23:30:00Z')), '2026-03-28');
    assert.equal(londonDate(new Date('2026-03-29T00:30:00Z')), '2026-03-29');
    assert.equal(londonDate(new Date('2026-03-29T22:59:59Z')), '2026-03-29');
    assert.equal(londonDate(new Date('2026-03-29T23:30:00Z')), '2026-03-30');
    assert.equal(londonDate(new Date('2026-10-24T22:30:00Z')), '2026-10-24');
    assert.equal(londonDate(new Date('2026-10-24T23:30:00Z')), '2026-10-25');
    assert.equal(londonDate(new Date('2026-10-25T23:30:00Z')), '2026-10-25');
    assert.equal(londonDate(new Date('2026-10-26T00:30:00Z')), '2026-10-26');
  });

  it('counts and compares days', () => {
    assert.equal(daysBetween('2026-01-05', '2026-05-25'), 140);
    assert.equal(daysBetween('2026-05-25', '2026-01-05'), -140);
    assert.equal(daysBetween('2028-01-01', '2029-01-01'), 366);
    assert.equal(compareDates('2026-12-03', '2026-12-04'), -1);
    assert.equal(compareDates('2026-12-03', '2026-12-03'), 0);
    assert.equal(compareDates('2027-01-01', '2026-12-31'), 1);
  });

  it('writes a date in plain English for messages', () => {
    assert.equal(longDate('2026-12-03'), '3 December 2026');
    assert.equal(longDate('2028-02-29'), '29 February 2028');
  });

  it('refuses to do arithmetic on something that is not a date', () => {
    assert.throws(() => addDays('2027-02-29', 1), RangeError);
    assert.throws(() => addMonths('not a date', 1), RangeError);
    assert.throws(() => compareDates('2027-02-29', '2027-03-01'), RangeError);
    assert.throws(() => compareDates('2027-03-01', '2027-3-1'), RangeError);
  });

  it('round-trips addDays and daysBetween for any date and any number of days', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -20_000, max: 20_000 }), (date, n) => {
        const later = addDays(date, n);
        assert.equal(isIsoDate(later), true);
        assert.equal(daysBetween(date, later), n);
        assert.equal(addDays(later, -n), date);
        assert.equal(compareDates(later, date), Math.sign(n));
      }),
      { numRuns: 500 },
    );
  });

  it('adds months to a real date and never more than the month has', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -240, max: 240 }), (date, n) => {
        const moved = addMonths(date, n);
        assert.equal(isIsoDate(moved), true);
        assert.ok(Number(moved.slice(8)) <= Number(date.slice(8)));
        const months = (Number(moved.slice(0, 4)) - Number(date.slice(0, 4))) * 12 + Number(moved.slice(5, 7)) - Number(date.slice(5, 7));
        assert.equal(months, n);
      }),
      { numRuns: 500 },
    );
  });
});
