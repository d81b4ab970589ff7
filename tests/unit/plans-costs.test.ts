/** What a plan costs a year: exact pence, 52 weeks, rounding once; totals against the indicative budget. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PlanContent, SupportItem, Frequency } from '../../src/domain/plans/content.ts';
import { itemAnnualPence, planTotals, timesPerYear } from '../../src/domain/plans/costs.ts';
import { EMPTY_CONTENT, FREQUENCIES } from '../../src/domain/plans/json.ts';

function item(over: Partial<SupportItem> = {}): SupportItem {
  return {
    id: 'i1',
    description: 'Personal assistant',
    provider: '',
    unitCostPence: 1550n,
    quantity: 6,
    frequency: 'weekly',
    stream: 'social_care',
    management: 'direct_payment',
    outcomeIds: [],
    paysPersonalAssistant: false,
    ...over,
  };
}

function plan(items: SupportItem[], contingency = 0n): PlanContent {
  return { ...EMPTY_CONTENT, items, contingency: { amountPence: contingency, purpose: '' } };
}

describe('times a year', () => {
  it('counts 52 weeks, 26 fortnights, 13 four-weekly periods, 12 months, 3 terms', () => {
    const expected: Record<Frequency, number> = { once: 1, weekly: 52, fortnightly: 26, four_weekly: 13, monthly: 12, termly: 3, yearly: 1 };
    for (const f of FREQUENCIES) assert.equal(timesPerYear(f), expected[f]);
  });
});

describe('an item cost a year', () => {
  it('is unit cost × quantity × times a year: 6 hours a week at £15.50 is £4,836', () => {
    assert.equal(itemAnnualPence(item()), 483600n);
  });
  it('takes quantities with two decimal places exactly (2.5 hours at £15.55 every 2 weeks)', () => {
    // 1555 × 2.50 × 26 = 101075
    assert.equal(itemAnnualPence(item({ unitCostPence: 1555n, quantity: 2.5, frequency: 'fortnightly' })), 101075n);
  });
  it('rounds half up to whole pence once, at the end', () => {
    // 1p × 0.5 × 1 = 0.5p → 1p; 3p × 0.25 = 0.75p → 1p; 1p × 0.49 = 0.49p → 0p
    assert.equal(itemAnnualPence(item({ unitCostPence: 1n, quantity: 0.5, frequency: 'once' })), 1n);
    assert.equal(itemAnnualPence(item({ unitCostPence: 3n, quantity: 0.25, frequency: 'yearly' })), 1n);
    assert.equal(itemAnnualPence(item({ unitCostPence: 1n, quantity: 0.49, frequency: 'once' })), 0n);
  });
  it('is not thrown off by floating point quantities like 2.675 or 0.29', () => {
    assert.equal(itemAnnualPence(item({ unitCostPence: 100n, quantity: 0.29, frequency: 'once' })), 29n);
    assert.equal(itemAnnualPence(item({ unitCostPence: 100n, quantity: 2.67, frequency: 'once' })), 267n);
  });
});

describe('plan totals', () => {
  it('adds items by stream, by stream and way of managing, with the contingency in the total', () => {
    const totals = planTotals(
      plan(
        [
          item({ id: 'a' }),
          item({ id: 'b', unitCostPence: 10000n, quantity: 1, frequency: 'monthly', management: 'council_managed' }),
          item({ id: 'c', unitCostPence: 50000n, quantity: 1, frequency: 'termly', stream: 'education_high_needs', management: 'council_managed' }),
        ],
        20000n,
      ),
      { social_care: 500000n, education_high_needs: 100000n },
    );
    assert.deepEqual(totals.items, [
      { id: 'a', annualPence: 483600n },
      { id: 'b', annualPence: 120000n },
      { id: 'c', annualPence: 150000n },
    ]);
    assert.deepEqual(totals.byStream, [
      { stream: 'education_high_needs', planPence: 150000n, indicativePence: 100000n, overBy: 50000n },
      { stream: 'social_care', planPence: 603600n, indicativePence: 500000n, overBy: 103600n },
    ]);
    assert.deepEqual(totals.byStreamAndManagement, [
      { stream: 'education_high_needs', management: 'council_managed', annualPence: 150000n },
      { stream: 'social_care', management: 'direct_payment', annualPence: 483600n },
      { stream: 'social_care', management: 'council_managed', annualPence: 120000n },
    ]);
    assert.equal(totals.contingencyPence, 20000n);
    assert.equal(totals.totalPence, 483600n + 120000n + 150000n + 20000n);
    assert.equal(totals.overBudget, true);
  });
  it('is within budget when every stream is at or under its indicative amount, and shows streams with no items', () => {
    const totals = planTotals(plan([item()]), { social_care: 483600n, health_continuing_care: 1000n });
    assert.equal(totals.overBudget, false);
    assert.deepEqual(totals.byStream, [
      { stream: 'social_care', planPence: 483600n, indicativePence: 483600n, overBy: 0n },
      { stream: 'health_continuing_care', planPence: 0n, indicativePence: 1000n, overBy: 0n },
    ]);
  });
  it('has no indicative amount and is never over budget in a stream with no allocation', () => {
    const totals = planTotals(plan([item()]), {});
    assert.deepEqual(totals.byStream, [{ stream: 'social_care', planPence: 483600n, indicativePence: null, overBy: 0n }]);
    assert.equal(totals.overBudget, false);
  });
});

const arbItem = fc.record({
  id: fc.uuid(),
  description: fc.string(),
  provider: fc.string(),
  unitCostPence: fc.bigInt({ min: 0n, max: 10_000_000n }),
  quantity: fc.integer({ min: 1, max: 100_000 }).map((h) => h / 100),
  frequency: fc.constantFrom(...FREQUENCIES),
  stream: fc.constantFrom('education_high_needs' as const, 'social_care' as const, 'health_continuing_care' as const),
  management: fc.constantFrom('direct_payment' as const, 'individual_service_fund' as const, 'council_managed' as const),
  outcomeIds: fc.constant([] as string[]),
  paysPersonalAssistant: fc.boolean(),
});

describe('plan cost properties', () => {
  it('the total is the exact sum of the items and the contingency, by stream and by way of managing too', () => {
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 20 }), fc.bigInt({ min: 0n, max: 1_000_000n }), (items, contingency) => {
        const totals = planTotals(plan(items, contingency), {});
        const sum = items.reduce((s, i) => s + itemAnnualPence(i), 0n);
        assert.equal(totals.totalPence, sum + contingency);
        assert.equal(totals.byStream.reduce((s, x) => s + x.planPence, 0n), sum);
        assert.equal(totals.byStreamAndManagement.reduce((s, x) => s + x.annualPence, 0n), sum);
      }),
    );
  });
  it('an item never costs less when its quantity or unit cost goes up', () => {
    fc.assert(
      fc.property(arbItem, fc.integer({ min: 0, max: 10_000 }), fc.bigInt({ min: 0n, max: 1_000_000n }), (base, moreHundredths, moreCost) => {
        const more = { ...base, quantity: (Math.round(base.quantity * 100) + moreHundredths) / 100 };
        assert.ok(itemAnnualPence(more) >= itemAnnualPence(base));
        assert.ok(itemAnnualPence({ ...base, unitCostPence: base.unitCostPence + moreCost }) >= itemAnnualPence(base));
      }),
    );
  });
  it('a valid item never costs a negative amount, nor does the plan', () => {
    fc.assert(
      fc.property(fc.array(arbItem, { maxLength: 10 }), (items) => {
        for (const i of items) assert.ok(itemAnnualPence(i) >= 0n);
        assert.ok(planTotals(plan(items), {}).totalPence >= 0n);
      }),
    );
  });
});
