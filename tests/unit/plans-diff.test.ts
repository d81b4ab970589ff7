/** The difference between two versions, in plain English by section, matched by id. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PlanContent, SupportItem } from '../../src/domain/plans/content.ts';
import { diffContents } from '../../src/domain/plans/diff.ts';
import { EMPTY_CONTENT } from '../../src/domain/plans/json.ts';

const pa: SupportItem = {
  id: 'i1',
  description: 'Personal assistant',
  provider: 'Jo',
  unitCostPence: 1550n,
  quantity: 6,
  frequency: 'weekly',
  stream: 'social_care',
  management: 'direct_payment',
  outcomeIds: [],
  paysPersonalAssistant: true,
};
const base: PlanContent = { ...EMPTY_CONTENT, items: [pa], outcomes: [{ id: 'o1', area: 'health', description: 'Sleep well', byWhen: '2027-06-01', measure: 'Diary' }] };

describe('the difference between versions', () => {
  it('is empty between a version and itself', () => {
    assert.deepEqual(diffContents(base, base), []);
  });
  it('names an added item in plain English with its cost', () => {
    const changes = diffContents(EMPTY_CONTENT, { ...EMPTY_CONTENT, items: [pa] });
    assert.deepEqual(changes, [
      {
        section: 'support',
        label: 'Support item "Personal assistant, 6 a week at £15.50 each"',
        kind: 'added',
        before: null,
        after: 'Personal assistant, 6 a week at £15.50 each: £4,836.00 a year',
      },
    ]);
  });
  it('shows a changed item field by field, matched by id, with money formatted', () => {
    const changes = diffContents(base, { ...base, items: [{ ...pa, quantity: 8 }] });
    assert.deepEqual(
      changes.map((c) => [c.section, c.kind, c.before, c.after]),
      [
        ['support', 'changed', '6', '8'],
        ['support', 'changed', '£4,836.00', '£6,448.00'],
      ],
    );
  });
  it('shows removed outcomes, changed profile text, contingency and money manager', () => {
    const after: PlanContent = {
      ...base,
      outcomes: [],
      profile: { ...base.profile, importantToMe: 'My dog' },
      contingency: { amountPence: 50000n, purpose: 'Cover' },
      moneyManager: { kind: 'nominee', name: 'Sam' },
    };
    const changes = diffContents(base, after);
    assert.deepEqual(
      changes.map((c) => `${c.section}|${c.kind}|${c.label}`),
      [
        'profile|added|What is important to me',
        'outcomes|removed|Outcome "Sleep well"',
        'contingency|changed|Contingency amount',
        'contingency|added|What the contingency is for',
        'money|changed|Who manages the direct payment',
        'money|added|Name of the person managing the direct payment',
      ],
    );
    assert.equal(changes.find((c) => c.label === 'Contingency amount')?.after, '£500.00');
  });
  it('finds a change whenever risks text differs, and none when it does not', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const changes = diffContents({ ...base, risks: a }, { ...base, risks: b });
        assert.equal(changes.length, a === b ? 0 : 1);
      }),
    );
  });
});
