/**
 * The compiled model (src/domain/allocation/compile.ts) against score(), the reference: over random
 * valid models and over the example models with random changes to their conversions, with random
 * answers, ages and current packages, every figure is the same, with the remembered results of steps
 * 2–7 and without. And where score() refuses: unanswered questions and unknown level ids count 0 points
 * and are counted; questions not asked at the person's age are ignored.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileModel, pointsTimesPriceFloor, type CompiledFigures, type CompiledModel } from '../../src/domain/allocation/compile.ts';
import { EXAMPLE_MODELS, THREE_STREAMS_MODEL } from '../../src/domain/allocation/examples.ts';
import { STREAM_CODES, allQuestions, questionApplies, type AllocationModel, type Answers, type StreamCode } from '../../src/domain/allocation/model.ts';
import { MAX_AGE, type ModelJson } from '../../src/domain/allocation/schema.ts';
import { score, type AllocationResult } from '../../src/domain/allocation/score.ts';
import { parseModel, parseModelOrThrow } from '../../src/domain/allocation/validate.ts';
import type { Pence } from '../../src/domain/money/money.ts';
import { commonJson, conversionArb, modelJsonArb, optional, type ArbValue, type QuestionJson } from '../support/allocation-arbitraries.ts';

const RUNS = 1000;

/** The example models, each conversion kept or replaced in its adjustments (and price) at random. */
const exampleJsonArb: fc.Arbitrary<ModelJson> = fc
  .record({
    example: fc.constantFrom(...EXAMPLE_MODELS),
    changes: fc.array(optional(conversionArb), { minLength: 3, maxLength: 3 }),
  })
  .map(({ example, changes }) => {
    const json = structuredClone(example.json);
    const questions = json.questionnaire.domains.flatMap((d) => d.questions);
    STREAM_CODES.forEach((stream, i) => {
      const conversion = json.conversions[stream];
      const change = changes[i];
      if (conversion === undefined || change === undefined) return;
      const common = commonJson(change, questions);
      json.conversions[stream] =
        conversion.kind === 'bands' ? { kind: 'bands', bands: conversion.bands, ...common } : { kind: 'price-per-point', pricePerPointPence: change.price, ...common };
    });
    return json;
  });

const ageArb = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 30 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: MAX_AGE }), weight: 1 });
const currentArb = fc.tuple(
  optional(fc.bigInt({ min: 0n, max: 2_000_000n })),
  optional(fc.bigInt({ min: 0n, max: 2_000_000n })),
  optional(fc.bigInt({ min: 0n, max: 2_000_000n })),
);
const personArb = fc.record({ age: ageArb, picks: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), current: currentArb });
type Person = ArbValue<typeof personArb>;

function parse(json: unknown): AllocationModel {
  const parsed = parseModel(json);
  if (!parsed.ok) assert.fail(JSON.stringify(parsed.errors));
  return parsed.value;
}

/** Every question that applies at `age` answered, as score() requires. */
function answersFor(model: AllocationModel, age: number, picks: readonly number[]): Record<string, string> {
  const out: Record<string, string> = {};
  allQuestions(model).forEach((q, i) => {
    if (questionApplies(q, age)) out[q.id] = q.levels[(picks[i % picks.length] ?? 0) % q.levels.length]?.id as string;
  });
  return out;
}

function currentFor(model: AllocationModel, current: Person['current']): Partial<Record<StreamCode, Pence>> {
  const out: Partial<Record<StreamCode, Pence>> = {};
  STREAM_CODES.forEach((s, i) => {
    const value = current[i];
    if (model.conversions[s] !== undefined && value !== undefined) out[s] = value;
  });
  return out;
}

function scored(model: AllocationModel, answers: Answers, age: number, current: Partial<Record<StreamCode, Pence>>): AllocationResult {
  const result = score(model, answers, { age, currentPackagePence: current });
  if (!result.ok) assert.fail(JSON.stringify(result.errors));
  return result.value;
}

/** The figures score() gives, in the compiled model's form (missingAnswers aside). */
function expected(result: AllocationResult): Omit<CompiledFigures, 'missingAnswers'> {
  return {
    streams: result.streams.map((s) => ({
      stream: s.stream,
      points: s.points,
      bandIndex: s.band === null ? -1 : s.band.index,
      beforeAdjustmentsPence: s.beforeAdjustmentsPence,
      afterAdjustmentsPence: s.afterAdjustmentsPence,
      indicativePence: s.indicativePence,
      capped: s.capped,
    })),
    totals: {
      beforeAdjustmentsPence: result.totals.beforeAdjustmentsPence,
      afterAdjustmentsPence: result.totals.afterAdjustmentsPence,
      indicativePence: result.totals.indicativePence,
      currentPence: result.totals.currentPence,
      differencePence: result.totals.differencePence,
    },
    exceptionalCaseRequired: result.exceptionalCaseRequired,
  };
}

function assertSameAsScore(compiled: CompiledModel, model: AllocationModel, answers: Answers, age: number, current: Partial<Record<StreamCode, Pence>>): void {
  const figures = compiled.figures(answers, age, current);
  const { missingAnswers, ...rest } = figures;
  assert.equal(missingAnswers, 0);
  assert.deepEqual(rest, expected(scored(model, answers, age, current)));
}

/** One model, compiled with and without remembering, against score() for several people in turn. */
function checkModel(json: ModelJson, people: readonly Person[]): void {
  const model = parse(json);
  const compiledModels = [compileModel(model), compileModel(model, { memoEntries: 0 })];
  for (const compiled of compiledModels) assert.deepEqual(compiled.streams, STREAM_CODES.filter((s) => model.conversions[s] !== undefined));
  for (const person of people) {
    const answers = answersFor(model, person.age, person.picks);
    const current = currentFor(model, person.current);
    for (const compiled of compiledModels) {
      assertSameAsScore(compiled, model, answers, person.age, current);
      assertSameAsScore(compiled, model, answers, person.age, {});
    }
  }
}

describe('a compiled model gives the figures of score()', () => {
  it('for random valid models, answers, ages and current packages', () => {
    fc.assert(
      fc.property(modelJsonArb, fc.array(personArb, { minLength: 1, maxLength: 4 }), (json, people) => checkModel(json, people)),
      { numRuns: RUNS },
    );
  });

  it('for the example models with random adjustments, prices, answers, ages and current packages', () => {
    fc.assert(
      fc.property(exampleJsonArb, fc.array(personArb, { minLength: 1, maxLength: 4 }), (json, people) => checkModel(json, people)),
      { numRuns: RUNS },
    );
  });

  it('for every answer of every example model at every age, in turn on one compiled model', () => {
    for (const { model } of EXAMPLE_MODELS) {
      const compiled = compileModel(model);
      const questions = allQuestions(model);
      for (let age = 0; age <= 26; age++) {
        for (const [i, question] of questions.entries()) {
          for (const level of question.levels) {
            const answers = { ...answersFor(model, age, questions.map((_, j) => (j === i ? 0 : j + age))) };
            if (!questionApplies(question, age)) continue;
            answers[question.id] = level.id;
            assertSameAsScore(compiled, model, answers, age, {});
          }
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Where score() refuses.

/** What a person might have answered to one question. */
const answerKindArb = fc.constantFrom('level' as const, 'level' as const, 'missing' as const, 'unknown' as const);
const unknownLevelArb = fc.constantFrom('nope', 'l7', 'zero', 'constructor', '');
const untidyArb = fc.record({
  kinds: fc.array(answerKindArb, { minLength: 12, maxLength: 12 }),
  unknown: fc.array(unknownLevelArb, { minLength: 12, maxLength: 12 }),
  answerInapplicable: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  strayQuestion: fc.boolean(),
});
type Untidy = ArbValue<typeof untidyArb>;

/** The model with a level "zero" worth 0 points in every stream added to every question. */
function withZeroLevels(json: ModelJson): ModelJson {
  const out = structuredClone(json);
  for (const question of out.questionnaire.domains.flatMap((d) => d.questions)) {
    question.levels.push({ id: 'zero', label: 'Not answered', guidance: 'Counts nothing.', points: 0 });
  }
  return out;
}

/**
 * Untidy answers, and the tidy answers score() takes for the same person on withZeroLevels(model):
 * an unanswered question or an unknown level becomes "zero", and answers to questions not asked at
 * this age (or not in the model) are left out.
 */
function untidyAnswers(model: AllocationModel, person: Person, untidy: Untidy): { untidy: Record<string, string>; tidy: Record<string, string>; missing: number } {
  const out: Record<string, string> = {};
  const tidy: Record<string, string> = {};
  let missing = 0;
  allQuestions(model).forEach((q, i) => {
    const level = q.levels[(person.picks[i % person.picks.length] ?? 0) % q.levels.length]?.id as string;
    if (!questionApplies(q, person.age)) {
      if (untidy.answerInapplicable[i % 12] === true) out[q.id] = level;
      return;
    }
    switch (untidy.kinds[i % 12]) {
      case 'missing':
        missing++;
        tidy[q.id] = 'zero';
        return;
      case 'unknown':
        missing++;
        out[q.id] = untidy.unknown[i % 12] ?? 'nope';
        tidy[q.id] = 'zero';
        return;
      default:
        out[q.id] = level;
        tidy[q.id] = level;
    }
  });
  if (untidy.strayQuestion) out['no-such-question'] = 'l0';
  return { untidy: out, tidy, missing };
}

describe('a compiled model never refuses answers', () => {
  it('counts an unanswered question or an unknown level as 0 points, and counts it as missing', () => {
    fc.assert(
      fc.property(fc.oneof(modelJsonArb, exampleJsonArb), personArb, untidyArb, fc.boolean(), (json, person, untidy, memo) => {
        const model = parse(json);
        const reference = parse(withZeroLevels(json));
        const { untidy: answers, tidy, missing } = untidyAnswers(model, person, untidy);
        const current = currentFor(model, person.current);
        const figures = compileModel(model, memo ? {} : { memoEntries: 0 }).figures(answers, person.age, current);
        const { missingAnswers, ...rest } = figures;
        assert.equal(missingAnswers, missing);
        assert.deepEqual(rest, expected(scored(reference, tidy, person.age, current)));
      }),
      { numRuns: RUNS },
    );
  });

  it('ignores answers to questions not asked at the person’s age, and to questions not in the model', () => {
    fc.assert(
      fc.property(fc.oneof(modelJsonArb, exampleJsonArb), personArb, fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), (json, person, otherPicks) => {
        const model = parse(json);
        const compiled = compileModel(model);
        const answers = answersFor(model, person.age, person.picks);
        const extra: Record<string, string> = { ...answers, 'no-such-question': 'l0' };
        allQuestions(model).forEach((q, i) => {
          if (!questionApplies(q, person.age)) extra[q.id] = q.levels[(otherPicks[i % 12] ?? 0) % q.levels.length]?.id as string;
        });
        const current = currentFor(model, person.current);
        assert.deepEqual(compiled.figures(extra, person.age, current), compiled.figures(answers, person.age, current));
        assertSameAsScore(compiled, model, answers, person.age, current);
      }),
      { numRuns: RUNS },
    );
  });

  it('worked example: three streams at age 1, learning not asked, personal care unanswered, health needs unknown', () => {
    const compiled = compileModel(THREE_STREAMS_MODEL);
    const answers = { 'getting-out': 'lots', 'health-needs': 'a-lot', communication: 'some', behaviour: 'none', 'unpaid-help': 'none', learning: 'exceptional' };
    const figures = compiled.figures(answers, 1);
    assert.equal(figures.missingAnswers, 2);
    // Education: communication 6 points (learning is asked from 2); social care 21 + 5; health 2 + 2.
    assert.deepEqual(
      figures.streams.map((s) => [s.stream, s.points]),
      [
        ['education_high_needs', 6],
        ['social_care', 26],
        ['health_continuing_care', 4],
      ],
    );
    // Social care: 26 × £42.50 = £1,105.00, less 20% at age 1 = £884.00, raised to the minimum £1,000.
    const social = figures.streams[1];
    assert.equal(social?.beforeAdjustmentsPence, 110_500n);
    assert.equal(social?.afterAdjustmentsPence, 100_000n);
    assert.equal(figures.totals.currentPence, null);
    assert.equal(figures.totals.differencePence, null);
  });

  it('is not fooled by a question id that names something every object has', () => {
    const json = structuredClone(EXAMPLE_MODELS[0]?.json) as ModelJson;
    const first = json.questionnaire.domains[0]?.questions[0] as QuestionJson;
    first.id = 'constructor';
    const model = parseModelOrThrow(json);
    const compiled = compileModel(model);
    assert.equal(compiled.figures({}, 12).missingAnswers, allQuestions(model).filter((q) => questionApplies(q, 12)).length);
    const answers = answersFor(model, 12, [3]);
    assertSameAsScore(compiled, model, answers, 12, {});
  });
});

describe('the benchmark floor', () => {
  it('is the sum of points × price', () => {
    assert.equal(pointsTimesPriceFloor(Int32Array.from([0, 3, 10]), 4_250n), 13n * 4_250n);
    assert.equal(pointsTimesPriceFloor(new Int32Array(0), 4_250n), 0n);
  });
});
