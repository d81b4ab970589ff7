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

type ConversionJson = NonNullable<ModelJson['conversions'][StreamCode]>;
type QuestionJson = ModelJson['questionnaire']['domains'][number]['questions'][number];
type ArbValue<A> = A extends fc.Arbitrary<infer T> ? T : never;

const RUNS = 1000;
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

// ---------------------------------------------------------------------------------------------
// Random valid models (the generator of allocation-properties.test.ts, copied).

const levelArb = fc.record({
  uniform: fc.boolean(),
  points: fc.integer({ min: 0, max: 40 }),
  perStream: fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })),
});
const questionArb = fc.record({
  levels: fc.array(levelArb, { minLength: 1, maxLength: 4 }),
  from: optional(fc.integer({ min: 0, max: 20 })),
  span: optional(fc.integer({ min: 0, max: 20 })),
});
const conversionArb = fc.record({
  kind: fc.constantFrom('price-per-point' as const, 'bands' as const),
  price: fc.integer({ min: 0, max: 10_000 }),
  bands: fc.array(fc.record({ width: fc.integer({ min: 1, max: 40 }), increment: fc.integer({ min: 0, max: 400_000 }) }), { minLength: 1, maxLength: 5 }),
  ages: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 5 }), width: fc.integer({ min: 0, max: 6 }), percent: fc.integer({ min: 0, max: 100 }) }), { maxLength: 3 }),
  informal: optional(fc.record({ question: fc.nat(), percents: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 4 }) })),
  minimum: optional(fc.integer({ min: 0, max: 500_000 })),
  capAbove: optional(fc.integer({ min: 0, max: 1_000_000 })),
  rounding: optional(fc.record({ unit: fc.integer({ min: 1, max: 10_000 }), mode: fc.constantFrom('nearest' as const, 'up' as const, 'down' as const) })),
  rangePercent: fc.integer({ min: 0, max: 100 }),
  transition: optional(fc.record({ percent: fc.integer({ min: 0, max: 100 }), appliesTo: fc.constantFrom('decreases' as const, 'increases-and-decreases' as const) })),
});
type ConversionShape = ArbValue<typeof conversionArb>;
type Shape = { streams: StreamCode[]; domains: ArbValue<typeof questionArb>[][]; conversions: ConversionShape[] };

/** The parts of a conversion every kind has, from a random shape; informal support on one of `questions`. */
function commonJson(c: ConversionShape, questions: readonly QuestionJson[]) {
  let age = 0;
  const ageReductions = c.ages.map((a) => {
    const reduction = { fromAge: age + a.gap, toAge: age + a.gap + a.width, percent: a.percent, reason: 'Parental responsibility.' };
    age = reduction.toAge + 1;
    return reduction;
  });
  const informalQuestion = c.informal === undefined ? undefined : questions[c.informal.question % questions.length];
  return {
    ageReductions,
    ...(c.informal === undefined || informalQuestion === undefined
      ? {}
      : {
          informalSupport: {
            questionId: informalQuestion.id,
            deductions: c.informal.percents.slice(0, informalQuestion.levels.length).map((percent, j) => ({ levelId: informalQuestion.levels[j]?.id as string, percent })),
          },
        }),
    ...(c.minimum === undefined ? {} : { minimumPence: c.minimum }),
    ...(c.capAbove === undefined ? {} : { capPence: (c.minimum ?? 0) + c.capAbove }),
    ...(c.rounding === undefined ? {} : { rounding: { unitPence: c.rounding.unit, mode: c.rounding.mode } }),
    rangePercent: c.rangePercent,
    ...(c.transition === undefined ? {} : { transition: { maxChangePercentFirstYear: c.transition.percent, appliesTo: c.transition.appliesTo } }),
  };
}

function buildJson(shape: Shape): ModelJson {
  const questions: QuestionJson[] = [];
  const domains = shape.domains.map((qs, d) => ({
    id: `d${d}`,
    title: `Domain ${d}`,
    questions: qs.map((q, i) => {
      const question: QuestionJson = {
        id: `q${d}-${i}`,
        title: `Question ${d}.${i}`,
        text: 'How much?',
        ...(q.from === undefined ? {} : { appliesFromAge: q.from }),
        ...(q.span === undefined ? {} : { appliesToAge: (q.from ?? 0) + q.span }),
        levels: q.levels.map((l, j) => ({
          id: `l${j}`,
          label: `Level ${j}`,
          guidance: 'Guidance.',
          points: l.uniform ? l.points : Object.fromEntries(shape.streams.map((s) => [s, l.perStream[STREAM_CODES.indexOf(s)] as number])),
        })),
      };
      questions.push(question);
      return question;
    }),
  }));
  const conversions: ModelJson['conversions'] = {};
  shape.streams.forEach((stream, s) => {
    const c = shape.conversions[s] as ConversionShape;
    let from = 0;
    let amount = 0;
    const bands = c.bands.map((b, i) => {
      amount += b.increment;
      const band = { name: `Band ${i}`, fromPoints: from, toPoints: i === c.bands.length - 1 ? null : from + b.width - 1, annualPence: amount };
      from += b.width;
      return band;
    });
    const common = commonJson(c, questions);
    const conversion: ConversionJson = c.kind === 'bands' ? { kind: 'bands', bands, ...common } : { kind: 'price-per-point', pricePerPointPence: c.price, ...common };
    conversions[stream] = conversion;
  });
  return { name: 'Random model', questionnaire: { domains }, conversions };
}

const modelJsonArb: fc.Arbitrary<ModelJson> = fc
  .record({
    streams: fc.subarray([...STREAM_CODES], { minLength: 1 }),
    domains: fc.array(fc.array(questionArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    conversions: fc.array(conversionArb, { minLength: 3, maxLength: 3 }),
  })
  .map(buildJson);

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
