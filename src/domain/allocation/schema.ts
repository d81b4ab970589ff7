/**
 * The shape of an allocation model as JSON (what an administrator uploads and what is stored), as a
 * JSON Schema (draft 2020-12) built with TypeBox. docs/ras-model.schema.json is this object written
 * out (a unit test keeps the two equal). validate.ts checks JSON against it with plain-English
 * messages, then adds the checks a schema cannot express (bands contiguous, ids unique, ...).
 *
 * Money is whole pence as a JSON integer (parsed into a bigint); points and percentages are whole numbers.
 */
import { Type, type Static } from '@sinclair/typebox';

/** £100 billion, as in money.ts: far above any budget and well inside a JSON-safe integer. */
export const MAX_PENCE = 10_000_000_000_000;
export const MAX_POINTS = 10_000;
export const MAX_AGE = 130;

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$', description });
const Text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description });
const Pence = (description: string, minimum = 0) => Type.Integer({ minimum, maximum: MAX_PENCE, description });
const Percent = (description: string) => Type.Integer({ minimum: 0, maximum: 100, description });
const Age = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_AGE, description });
const Points = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_POINTS, description });

const StreamPoints = Type.Object(
  {
    education_high_needs: Type.Optional(Points('Points in the education (high needs) stream.')),
    social_care: Type.Optional(Points('Points in the social care stream.')),
    health_continuing_care: Type.Optional(Points('Points in the NHS continuing care stream.')),
  },
  {
    additionalProperties: false,
    description: 'Points per funding stream: one entry for each stream the model converts, and no others.',
  },
);

const Level = Type.Object(
  {
    id: Id('Unique within its question; what an answer names.'),
    label: Text(200, 'What the family sees, for example "Lots of support".'),
    guidance: Text(2000, 'What this level means, so that everyone answering chooses the same way.'),
    points: Type.Union([Points('The same points in every stream.'), StreamPoints], {
      description: 'A whole number of points for every stream, or an object of points per stream.',
    }),
  },
  { additionalProperties: false, description: 'One possible answer to a question.' },
);

const Question = Type.Object(
  {
    id: Id('Unique in the whole questionnaire; answers are keyed by it.'),
    title: Text(200, 'Short name used in explanations, for example "Getting out and about".'),
    text: Text(1000, 'The question as asked.'),
    help: Type.Optional(Text(4000, 'Extra help shown under the question.')),
    appliesFromAge: Type.Optional(Age('Asked only from this age in whole years (inclusive).')),
    appliesToAge: Type.Optional(Age('Asked only up to this age in whole years (inclusive).')),
    levels: Type.Array(Level, { minItems: 1, maxItems: 20, description: 'The possible answers, usually from least to most support.' }),
  },
  { additionalProperties: false },
);

const Domain = Type.Object(
  {
    id: Id('Unique in the questionnaire.'),
    title: Text(200, 'For example "Staying safe".'),
    questions: Type.Array(Question, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false, description: 'A group of questions about one area of life.' },
);

const AgeReduction = Type.Object(
  {
    fromAge: Age('First age this reduction applies to (inclusive).'),
    toAge: Age('Last age this reduction applies to (inclusive).'),
    percent: Percent('Reduction as a whole percentage of the amount from points.'),
    reason: Text(1000, 'Why, in plain English; shown in the explanation.'),
  },
  { additionalProperties: false, description: 'A reduction for an age band, for example for the care any parent gives a young child.' },
);

const InformalSupport = Type.Object(
  {
    questionId: Id('The question that records unpaid help from family and friends.'),
    deductions: Type.Array(
      Type.Object(
        {
          levelId: Id('A level of that question.'),
          percent: Percent('Deduction as a whole percentage, applied after any age reduction.'),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20, description: 'A level not listed deducts nothing.' },
    ),
  },
  { additionalProperties: false, description: 'A deduction for unpaid help, by the answer to one question.' },
);

const Rounding = Type.Object(
  {
    unitPence: Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Round to a multiple of this many pence, for example 100 for whole pounds.' }),
    mode: Type.Union([Type.Literal('nearest'), Type.Literal('up'), Type.Literal('down')], {
      description: '"nearest" (halves go up), "up" or "down".',
    }),
  },
  { additionalProperties: false, description: 'Applied after the age reduction and informal-support deduction, before the minimum and the cap.' },
);

const Transition = Type.Object(
  {
    maxChangePercentFirstYear: Percent('The largest change from the current package in the first year, as a percentage of the current package.'),
    appliesTo: Type.Union([Type.Literal('decreases'), Type.Literal('increases-and-decreases')], {
      description: 'Limit only reductions, or changes either way.',
    }),
  },
  { additionalProperties: false, description: 'Transitional protection for a person who already has a package.' },
);

const commonConversion = {
  ageReductions: Type.Optional(Type.Array(AgeReduction, { maxItems: 20, description: 'Age bands must not overlap.' })),
  informalSupport: Type.Optional(InformalSupport),
  minimumPence: Type.Optional(Pence('A budget above £0 is raised to at least this.')),
  capPence: Type.Optional(Pence('A budget above this is capped at it and referred to the exceptional cases panel.')),
  rounding: Type.Optional(Rounding),
  rangePercent: Percent('The indicative range is the figure plus or minus this percentage of it.'),
  transition: Type.Optional(Transition),
};

const PricePerPoint = Type.Object(
  {
    kind: Type.Literal('price-per-point'),
    pricePerPointPence: Pence('Price of one point, in pence.'),
    ...commonConversion,
  },
  { additionalProperties: false, description: 'Points multiplied by a price per point.' },
);

const BandSchema = Type.Object(
  {
    name: Text(200, 'For example "Some support".'),
    fromPoints: Points('First points total in the band (inclusive). The first band starts at 0; each next band starts one above where the last ended.'),
    toPoints: Type.Union([Points('Last points total in the band (inclusive).'), Type.Null()], {
      description: 'Last points total in the band (inclusive), or null for the last band.',
    }),
    annualPence: Pence('Annual amount for this band, in pence; never less than the band before.'),
  },
  { additionalProperties: false },
);

const Bands = Type.Object(
  {
    kind: Type.Literal('bands'),
    bands: Type.Array(BandSchema, { minItems: 1, maxItems: 50, description: 'Contiguous from 0 points, in order, the last open-ended.' }),
    ...commonConversion,
  },
  { additionalProperties: false, description: 'A band table: a points range to an annual amount.' },
);

const ConversionSchema = Type.Union([PricePerPoint, Bands], { description: 'How points become money in one stream.' });

export const RAS_MODEL_SCHEMA = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Optional link to this schema.' })),
    name: Text(200, 'The model\'s name, for example "Children\'s social care RAS 2026".'),
    description: Type.Optional(Text(4000, 'What the model is for and who it applies to.')),
    questionnaire: Type.Object(
      {
        domains: Type.Array(Domain, { minItems: 1, maxItems: 30 }),
      },
      { additionalProperties: false },
    ),
    conversions: Type.Object(
      {
        education_high_needs: Type.Optional(ConversionSchema),
        social_care: Type.Optional(ConversionSchema),
        health_continuing_care: Type.Optional(ConversionSchema),
      },
      { additionalProperties: false, minProperties: 1, description: 'One conversion per funding stream the model allocates.' },
    ),
  },
  {
    additionalProperties: false,
    title: 'OneBudget resource allocation model',
    description: 'A council\'s published resource allocation questionnaire and the conversion of its points into an indicative budget per funding stream.',
  },
);

export type ModelJson = Static<typeof RAS_MODEL_SCHEMA>;

/** The schema as the JSON document in docs/ras-model.schema.json. */
export function rasModelJsonSchema(): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(RAS_MODEL_SCHEMA)) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...plain,
  };
}
