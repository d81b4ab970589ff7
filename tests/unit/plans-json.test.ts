/** Stored plan content: money as whole-pence strings, read back exactly, malformed documents refused. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PlanContent } from '../../src/domain/plans/content.ts';
import { EMPTY_CONTENT, FREQUENCIES, MANAGEMENTS, MONEY_MANAGER_KINDS, OUTCOME_AREAS, contentFromJson, contentToJson } from '../../src/domain/plans/json.ts';

const arbContent: fc.Arbitrary<PlanContent> = fc.record({
  profile: fc.record({ likeAndAdmire: fc.string(), importantToMe: fc.string(), howToSupportMe: fc.string(), iStatements: fc.array(fc.string()) }),
  outcomes: fc.array(fc.record({ id: fc.string(), area: fc.constantFrom(...OUTCOME_AREAS), description: fc.string(), byWhen: fc.string(), measure: fc.string() })),
  items: fc.array(
    fc.record({
      id: fc.string(),
      description: fc.string(),
      provider: fc.string(),
      unitCostPence: fc.bigInt({ min: 0n, max: 10n ** 15n }),
      quantity: fc.integer({ min: 1, max: 100000 }).map((h) => h / 100),
      frequency: fc.constantFrom(...FREQUENCIES),
      stream: fc.constantFrom('education_high_needs' as const, 'social_care' as const, 'health_continuing_care' as const),
      management: fc.constantFrom(...MANAGEMENTS),
      outcomeIds: fc.array(fc.string()),
      paysPersonalAssistant: fc.boolean(),
    }),
  ),
  contingency: fc.record({ amountPence: fc.bigInt({ min: 0n, max: 10n ** 15n }), purpose: fc.string() }),
  risks: fc.string(),
  moneyManager: fc.record({ kind: fc.constantFrom(...MONEY_MANAGER_KINDS), name: fc.string() }),
  overBudgetReason: fc.string(),
});

describe('stored plan content', () => {
  it('reads back exactly what was written, bigints included', () => {
    fc.assert(
      fc.property(arbContent, (content) => {
        const back = contentFromJson(JSON.parse(contentToJson(content)));
        // fast-check may make null-prototype records, so compare the stored forms and the money itself.
        assert.equal(contentToJson(back), contentToJson(content));
        assert.equal(back.contingency.amountPence, content.contingency.amountPence);
        assert.deepEqual(back.items.map((i) => i.unitCostPence), content.items.map((i) => i.unitCostPence));
        assert.deepEqual(back.items.map((i) => i.quantity), content.items.map((i) => i.quantity));
      }),
    );
  });
  it('stores money as whole pence in strings', () => {
    const json = JSON.parse(contentToJson({ ...EMPTY_CONTENT, contingency: { amountPence: 123456789012345678n, purpose: '' } })) as { contingency: { amountPence: unknown } };
    assert.equal(json.contingency.amountPence, '123456789012345678');
  });
  it('refuses a malformed stored document, naming where', () => {
    assert.throws(() => contentFromJson(null), /content/);
    assert.throws(() => contentFromJson({ ...JSON.parse(contentToJson(EMPTY_CONTENT)), risks: 4 }), /risks/);
    const bad = JSON.parse(contentToJson({ ...EMPTY_CONTENT, contingency: { amountPence: 1n, purpose: '' } })) as Record<string, unknown>;
    bad['contingency'] = { amountPence: '1.5', purpose: '' };
    assert.throws(() => contentFromJson(bad), /contingency.amountPence/);
    const withItem = JSON.parse(contentToJson(EMPTY_CONTENT)) as Record<string, unknown>;
    withItem['items'] = [{ id: 'a', description: '', provider: '', unitCostPence: '1', quantity: 1, frequency: 'hourly', stream: 'social_care', management: 'direct_payment', outcomeIds: [], paysPersonalAssistant: false }];
    assert.throws(() => contentFromJson(withItem), /items.0.frequency/);
  });
});
