/**
 * Random valid allocation models for property tests (fast-check): the shape of a model is drawn
 * (streams, domains of questions with levels, conversions with their adjustments) and built into
 * model JSON that passes parseModel. Shared by the scoring and compiled-scorer properties.
 */
import fc from 'fast-check';
import { STREAM_CODES, type StreamCode } from '../../src/domain/allocation/model.ts';
import type { ModelJson } from '../../src/domain/allocation/schema.ts';

export type ConversionJson = NonNullable<ModelJson['conversions'][StreamCode]>;
export type QuestionJson = ModelJson['questionnaire']['domains'][number]['questions'][number];
export type ArbValue<A> = A extends fc.Arbitrary<infer T> ? T : never;

export const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

// ---------------------------------------------------------------------------------------------

export const levelArb = fc.record({
  uniform: fc.boolean(),
  points: fc.integer({ min: 0, max: 40 }),
  perStream: fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })),
});
export const questionArb = fc.record({
  levels: fc.array(levelArb, { minLength: 1, maxLength: 4 }),
  from: optional(fc.integer({ min: 0, max: 20 })),
  span: optional(fc.integer({ min: 0, max: 20 })),
});
export const conversionArb = fc.record({
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
export type ConversionShape = ArbValue<typeof conversionArb>;
export type Shape = { streams: StreamCode[]; domains: ArbValue<typeof questionArb>[][]; conversions: ConversionShape[] };

/** The parts of a conversion every kind has, from a random shape; informal support on one of `questions`. */
export function commonJson(c: ConversionShape, questions: readonly QuestionJson[]) {
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

export function buildJson(shape: Shape): ModelJson {
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

export const modelJsonArb: fc.Arbitrary<ModelJson> = fc
  .record({
    streams: fc.subarray([...STREAM_CODES], { minLength: 1 }),
    domains: fc.array(fc.array(questionArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    conversions: fc.array(conversionArb, { minLength: 3, maxLength: 3 }),
  })
  .map(buildJson);
