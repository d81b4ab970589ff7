import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JOURNEY_STAGES, ageOn, stageLabel } from '../../src/domain/people/people.ts';

describe('age on a date', () => {
  it('counts whole years, turning over on the birthday itself', () => {
    assert.equal(ageOn('2010-05-20', '2026-05-19'), 15);
    assert.equal(ageOn('2010-05-20', '2026-05-20'), 16);
    assert.equal(ageOn('2008-02-29', '2026-02-28'), 17);
    assert.equal(ageOn('2008-02-29', '2026-03-01'), 18);
  });

  it('never decreases as time passes', () => {
    const day = fc.date({ min: new Date('1930-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, day, (dob, x, y) => {
        const [first, second] = x <= y ? [x, y] : [y, x];
        assert.ok(ageOn(dob, first) <= ageOn(dob, second));
      }),
    );
  });
});

describe('journey stages', () => {
  it('has a plain-English label for every stage, in journey order', () => {
    assert.deepEqual(
      JOURNEY_STAGES.map((s) => s.stage),
      ['request', 'assessment', 'allocation', 'planning', 'approval', 'agreed', 'review'],
    );
    assert.equal(stageLabel('allocation'), 'Indicative budget');
  });
});
