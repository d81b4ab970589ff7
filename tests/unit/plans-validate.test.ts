/** Plan content rules, each as the GOV.UK message a worker sees next to the field. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanContent, SupportItem, PlanOutcome } from '../../src/domain/plans/content.ts';
import { EMPTY_CONTENT } from '../../src/domain/plans/json.ts';
import { isReasonableDate, validatePlanContent } from '../../src/domain/plans/validate.ts';

const outcome: PlanOutcome = { id: 'o1', area: 'care', description: 'Go swimming on my own', byWhen: '2027-07-31', measure: 'I swim a length' };
function item(over: Partial<SupportItem> = {}): SupportItem {
  return {
    id: 'i1',
    description: 'Personal assistant',
    provider: 'Jo',
    unitCostPence: 1550n,
    quantity: 6,
    frequency: 'weekly',
    stream: 'social_care',
    management: 'direct_payment',
    outcomeIds: ['o1'],
    paysPersonalAssistant: true,
    ...over,
  };
}
function content(over: Partial<PlanContent> = {}): PlanContent {
  return { ...EMPTY_CONTENT, outcomes: [outcome], items: [item()], moneyManager: { kind: 'person', name: '' }, ...over };
}
function paths(c: PlanContent, indicative = {}, fundedStreams?: ('social_care' | 'education_high_needs')[]): string[] {
  return validatePlanContent(c, indicative, fundedStreams === undefined ? {} : { fundedStreams }).map((p) => p.path);
}

describe('validating plan content', () => {
  it('accepts an empty plan and a complete one', () => {
    assert.deepEqual(validatePlanContent(EMPTY_CONTENT, {}), []);
    assert.deepEqual(validatePlanContent(content(), { social_care: 500000n }), []);
  });
  it('refuses a negative cost and a quantity of 0, below 0 or with more than 2 decimal places', () => {
    assert.deepEqual(paths(content({ items: [item({ unitCostPence: -1n })] })), ['items.0.unitCost']);
    assert.deepEqual(paths(content({ items: [item({ quantity: 0 })] })), ['items.0.quantity']);
    assert.deepEqual(paths(content({ items: [item({ quantity: -2 })] })), ['items.0.quantity']);
    assert.deepEqual(paths(content({ items: [item({ quantity: 1.005 })] })), ['items.0.quantity']);
    assert.deepEqual(paths(content({ items: [item({ quantity: Number.NaN })] })), ['items.0.quantity']);
    assert.deepEqual(paths(content({ items: [item({ quantity: 1.25 })] })), []);
  });
  it('needs a stream the council funds and a way of managing the money', () => {
    assert.deepEqual(paths(content({ items: [item({ stream: '' as never })] })), ['items.0.stream']);
    assert.deepEqual(paths(content({ items: [item({ stream: 'health_continuing_care', paysPersonalAssistant: false })] }), {}, ['social_care']), ['items.0.stream']);
    assert.deepEqual(paths(content({ items: [item({ management: '' as never, paysPersonalAssistant: false })] })), ['items.0.management']);
  });
  it('refuses an outcome date that is not a real date', () => {
    assert.deepEqual(paths(content({ outcomes: [{ ...outcome, byWhen: '2027-02-30' }] })), ['outcomes.0.byWhen']);
    assert.deepEqual(paths(content({ outcomes: [{ ...outcome, byWhen: '' }] })), ['outcomes.0.byWhen']);
    assert.equal(isReasonableDate('2028-02-29'), true);
    assert.equal(isReasonableDate('2027-02-29'), false);
    assert.equal(isReasonableDate('1027-01-01'), false);
    assert.equal(isReasonableDate('2027-13-01'), false);
  });
  it('refuses an item serving an outcome that is not in the plan', () => {
    assert.deepEqual(paths(content({ items: [item({ outcomeIds: ['nope'] })] })), ['items.0.outcomeIds']);
  });
  it('pays a personal assistant only by direct payment, and a direct payment needs someone to manage it', () => {
    assert.deepEqual(paths(content({ items: [item({ management: 'council_managed' })] })), ['items.0.paysPersonalAssistant']);
    assert.deepEqual(paths(content({ moneyManager: { kind: 'not_applicable', name: '' } })), ['moneyManager.kind']);
    assert.deepEqual(paths(content({ moneyManager: { kind: 'nominee', name: ' ' } })), ['moneyManager.name']);
  });
  it('asks why a plan costs more than the indicative budget in some stream', () => {
    const problems = validatePlanContent(content(), { social_care: 100n });
    assert.deepEqual(problems, [{ path: 'overBudgetReason', message: 'Explain why the plan costs more than the indicative budget' }]);
    assert.deepEqual(paths(content({ overBudgetReason: 'Two carers are needed for moving and handling' }), { social_care: 100n }), []);
  });
  it('limits text lengths and needs the parts of an outcome', () => {
    assert.deepEqual(paths(content({ risks: 'x'.repeat(4001) })), ['risks']);
    assert.deepEqual(paths(content({ outcomes: [{ ...outcome, description: '', measure: '' }] })), ['outcomes.0.description', 'outcomes.0.measure']);
    assert.deepEqual(paths(content({ items: [item({ description: 'x'.repeat(501) })] })), ['items.0.description']);
  });
  it('needs a purpose for a contingency and refuses a negative one', () => {
    assert.deepEqual(paths(content({ contingency: { amountPence: 1000n, purpose: '' } })), ['contingency.purpose']);
    assert.deepEqual(paths(content({ contingency: { amountPence: -1n, purpose: 'x' } })), ['contingency.amount']);
  });
});
