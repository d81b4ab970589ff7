/**
 * Properties of scoring over random valid models, answers, ages and current packages (fast-check):
 * more points never mean less money; nothing is negative; rounding moves a figure by less than one
 * unit; the explanation adds up exactly; the result is deterministic. And the validator's shape check
 * agrees with TypeBox's reading of the same schema on random damage to a valid model.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import { percentOf, roundToUnit } from '../../src/domain/allocation/arithmetic.ts';
import { STREAM_CODES, allQuestions, questionApplies, type AllocationModel, type Answers, type StreamCode } from '../../src/domain/allocation/model.ts';
import { RAS_MODEL_SCHEMA } from '../../src/domain/allocation/schema.ts';
import { lineAmount, score, type AllocationResult } from '../../src/domain/allocation/score.ts';
import { checkModelShape, modelToJson, parseModel } from '../../src/domain/allocation/validate.ts';
import { sumPence, type Pence } from '../../src/domain/money/money.ts';
import { modelJsonArb, optional, type ArbValue } from '../support/allocation-arbitraries.ts';


const scenarioArb = fc.record({
  json: modelJsonArb,
  age: fc.integer({ min: 0, max: 30 }),
  picks: fc.array(fc.nat(), { minLength: 9, maxLength: 9 }),
  current: fc.tuple(optional(fc.bigInt({ min: 0n, max: 2_000_000n })), optional(fc.bigInt({ min: 0n, max: 2_000_000n })), optional(fc.bigInt({ min: 0n, max: 2_000_000n }))),
});
type Scenario = ArbValue<typeof scenarioArb>;

function parse(json: unknown): AllocationModel {
  const parsed = parseModel(json);
  if (!parsed.ok) assert.fail(JSON.stringify(parsed.errors));
  return parsed.value;
}

function answersFor(model: AllocationModel, age: number, picks: readonly number[]): Answers {
  const out: Record<string, string> = {};
  allQuestions(model).forEach((q, i) => {
    if (questionApplies(q, age)) out[q.id] = q.levels[(picks[i] ?? 0) % q.levels.length]?.id as string;
  });
  return out;
}

function currentFor(model: AllocationModel, current: Scenario['current']): Partial<Record<StreamCode, Pence>> {
  const out: Partial<Record<StreamCode, Pence>> = {};
  STREAM_CODES.forEach((s, i) => {
    const value = current[i];
    if (model.conversions[s] !== undefined && value !== undefined) out[s] = value;
  });
  return out;
}

function run(json: unknown, scenario: Scenario): AllocationResult {
  const model = parse(json);
  const result = score(model, answersFor(model, scenario.age, scenario.picks), { age: scenario.age, currentPackagePence: currentFor(model, scenario.current) });
  if (!result.ok) assert.fail(JSON.stringify(result.errors));
  return result.value;
}

describe('scoring any valid model', () => {
  it('never gives less money when an answer is worth more points and nothing else changes', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), fc.integer({ min: 1, max: 60 }), fc.option(fc.constantFrom(...STREAM_CODES), { nil: null }), (scenario, which, extra, onlyStream) => {
        const before = run(scenario.json, scenario);
        const model = parse(scenario.json);
        const questions = allQuestions(model);
        const index = which % questions.length;
        const question = questions[index];
        if (question === undefined) return;
        const chosen = answersFor(model, scenario.age, scenario.picks)[question.id];
        // Raise the points of the chosen level, in one stream or in all.
        const bumped = structuredClone(scenario.json);
        const level = bumped.questionnaire.domains.flatMap((d) => d.questions)[index]?.levels.find((l) => l.id === chosen);
        if (level !== undefined) {
          if (typeof level.points === 'number') level.points += extra;
          else for (const s of STREAM_CODES) if (level.points[s] !== undefined && (onlyStream === null || onlyStream === s)) level.points[s] = (level.points[s] as number) + extra;
        }
        const after = run(bumped, scenario);
        after.streams.forEach((s, i) => {
          const was = before.streams[i];
          assert.ok(was !== undefined && s.points >= was.points);
          assert.ok(s.beforeAdjustmentsPence >= was.beforeAdjustmentsPence, `${s.stream}: amount from points fell`);
          assert.ok(s.afterAdjustmentsPence >= was.afterAdjustmentsPence, `${s.stream}: allocation fell`);
          assert.ok(s.indicativePence >= was.indicativePence, `${s.stream}: indicative budget fell`);
        });
        assert.ok(after.totals.indicativePence >= before.totals.indicativePence);
        assert.ok(after.totals.afterAdjustmentsPence >= before.totals.afterAdjustmentsPence);
      }),
      { numRuns: 500 },
    );
  });

  it('is never negative, and the range contains the figure', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const result = run(scenario.json, scenario);
        for (const s of [...result.streams, result.totals]) {
          assert.ok(s.beforeAdjustmentsPence >= 0n && s.afterAdjustmentsPence >= 0n && s.indicativePence >= 0n);
          assert.ok(s.rangeLowPence >= 0n && s.rangeLowPence <= s.indicativePence && s.indicativePence <= s.rangeHighPence);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('moves a figure by less than one rounding unit when it rounds (at most half a unit to the nearest)', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const model = parse(scenario.json);
        const result = run(scenario.json, scenario);
        for (const s of result.streams) {
          const rounding = model.conversions[s.stream]?.rounding ?? null;
          for (const line of s.lines) {
            if (line.kind !== 'rounding') continue;
            assert.ok(rounding !== null);
            const moved = line.amountPence < 0n ? -line.amountPence : line.amountPence;
            assert.ok(moved > 0n && moved < rounding.unitPence, `${moved} against a unit of ${rounding.unitPence}`);
            if (rounding.mode === 'nearest') assert.ok(moved * 2n <= rounding.unitPence);
            if (rounding.mode === 'up') assert.ok(line.amountPence > 0n);
            if (rounding.mode === 'down') assert.ok(line.amountPence < 0n);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('explains every penny: each stream’s lines add up to its figure, and all lines to the total', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const result = run(scenario.json, scenario);
        for (const s of result.streams) {
          assert.equal(sumPence(s.lines.map(lineAmount)), s.indicativePence);
          assert.equal(s.lines.filter((l) => l.kind === 'answer').reduce((n, l) => n + (l.kind === 'answer' ? l.points : 0), 0), s.points);
          assert.ok(s.lines.every((l) => l.text.length > 0));
        }
        assert.equal(sumPence(result.streams.flatMap((s) => s.lines.map(lineAmount))), result.totals.indicativePence);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps to the cap (then refers the case), the minimum and the transition limit', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const model = parse(scenario.json);
        const result = run(scenario.json, scenario);
        for (const s of result.streams) {
          const c = model.conversions[s.stream];
          assert.ok(c !== undefined);
          if (c.capPence !== null) assert.ok(s.afterAdjustmentsPence <= c.capPence);
          assert.equal(s.exceptionalCaseRequired, s.capped);
          assert.equal(s.capped, s.lines.some((l) => l.kind === 'cap'));
          if (c.minimumPence !== null && s.afterAdjustmentsPence > 0n) assert.ok(s.afterAdjustmentsPence >= c.minimumPence);
          if (s.transition !== null && c.transition !== null) {
            const limit = percentOf(s.transition.currentPence, c.transition.maxChangePercentFirstYear);
            assert.ok(s.indicativePence >= s.transition.currentPence - limit || s.indicativePence === s.afterAdjustmentsPence);
            if (c.transition.appliesTo === 'increases-and-decreases') assert.ok(s.indicativePence <= s.transition.currentPence + limit || s.indicativePence === s.afterAdjustmentsPence);
          }
          if (s.transition === null) assert.equal(s.indicativePence, s.afterAdjustmentsPence);
        }
        assert.equal(result.exceptionalCaseRequired, result.streams.some((s) => s.exceptionalCaseRequired));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same result every time, and reads back the model it writes', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        assert.deepEqual(run(scenario.json, scenario), run(structuredClone(scenario.json), scenario));
        const model = parse(scenario.json);
        assert.deepEqual(parse(JSON.parse(JSON.stringify(modelToJson(model)))), model);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the arithmetic', () => {
  it('takes a percentage to the nearest penny, halves away from zero', () => {
    assert.equal(percentOf(5n, 10), 1n); // 0.5 → 1
    assert.equal(percentOf(10n, 15), 2n); // 1.5 → 2
    assert.equal(percentOf(-10n, 15), -2n); // −1.5 → −2
    assert.equal(percentOf(89_250n, 5), 4_463n); // 4,462.5 → 4,463
    assert.equal(percentOf(14n, 10), 1n); // 1.4 → 1
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }), fc.integer({ min: 0, max: 100 }), (amount, percent) => {
        const exactTimes100 = amount * BigInt(percent);
        const error = percentOf(amount, percent) * 100n - exactTimes100;
        assert.ok(error >= -50n && error <= 50n);
        assert.equal(percentOf(-amount, percent), -percentOf(amount, percent));
      }),
    );
  });

  it('rounds to a unit: nearest (halves up), up and down', () => {
    assert.equal(roundToUnit(1_087_500n, 1_000n, 'nearest'), 1_088_000n);
    assert.equal(roundToUnit(1_087_499n, 1_000n, 'nearest'), 1_087_000n);
    assert.equal(roundToUnit(208_080n, 100n, 'up'), 208_100n);
    assert.equal(roundToUnit(78_600n, 1_000n, 'down'), 78_000n);
    assert.equal(roundToUnit(-150n, 100n, 'nearest'), -100n);
    assert.equal(roundToUnit(-150n, 100n, 'down'), -200n);
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }), fc.bigInt({ min: 1n, max: 10n ** 7n }), fc.constantFrom('nearest' as const, 'up' as const, 'down' as const), (amount, unit, mode) => {
        const rounded = roundToUnit(amount, unit, mode);
        assert.equal(((rounded % unit) + unit) % unit, 0n);
        const moved = rounded - amount;
        assert.ok(moved > -unit && moved < unit);
        if (mode === 'up') assert.ok(moved >= 0n);
        if (mode === 'down') assert.ok(moved <= 0n);
        if (mode === 'nearest') assert.ok(2n * moved <= unit && -2n * moved < unit); // halves go up
        assert.ok(roundToUnit(amount + 1n, unit, mode) >= rounded);
      }),
    );
  });
});

/** Every place in a JSON value, as a list of keys and indices. */
function places(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [path];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...places(v, [...path, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...places(v, [...path, k]));
  return out;
}

const damageArb = fc.oneof(
  fc.constantFrom<unknown>(-1, 0, 1.5, 10_001, 1e14, '', 'x', 'Not An Id', null, true, [], {}, 'price-per-point', 'bands', 'nearest'),
  fc.record({ x: fc.integer() }),
  fc.jsonValue({ maxDepth: 2 }),
);

describe('the shape check', () => {
  it('accepts exactly what TypeBox accepts against the same schema, on random damage to a valid model', () => {
    fc.assert(
      fc.property(modelJsonArb, fc.nat(), damageArb, fc.constantFrom('replace', 'delete', 'add') as fc.Arbitrary<'replace' | 'delete' | 'add'>, (json, which, damage, how) => {
        const broken = structuredClone(json) as unknown;
        const all = places(broken);
        const path = all[which % all.length] as (string | number)[];
        if (path.length === 0) {
          assert.equal(checkModelShape(damage).length === 0, Value.Check(RAS_MODEL_SCHEMA, damage));
          return;
        }
        let parent = broken as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        const last = path[path.length - 1] as string | number;
        if (how === 'replace') parent[last] = damage;
        else if (how === 'delete' && !Array.isArray(parent)) Reflect.deleteProperty(parent, last);
        else if (!Array.isArray(parent)) parent['unexpected'] = damage;
        const ours = checkModelShape(broken);
        assert.equal(ours.length === 0, Value.Check(RAS_MODEL_SCHEMA, broken), JSON.stringify(ours));
      }),
      { numRuns: 1000 },
    );
  });
});
