/**
 * The resource allocation system (RAS): a council's published questionnaire and the rules that turn
 * its answers into an indicative budget per funding stream. These are the parsed, checked types
 * (see validate.ts for the JSON form and its checks, score.ts for the arithmetic).
 *
 * Units, everywhere: points are whole numbers; money is whole pence in a bigint (as in money.ts);
 * percentages are whole numbers from 0 to 100; ages are whole years, both ends of a range included.
 */
import type { CaseType, FundingStreamsTable } from '../../db/schema.ts';
import type { Pence } from '../money/money.ts';

export type StreamCode = FundingStreamsTable['code'];

/** Every funding stream, in the order results list them. */
export const STREAM_CODES = ['education_high_needs', 'social_care', 'health_continuing_care'] as const satisfies readonly StreamCode[];

/** The stream a kind of case is funded from, where a current package is known only as a total. */
export const CASE_TYPE_STREAM: Readonly<Record<CaseType, StreamCode>> = {
  ehc: 'education_high_needs',
  social_care_child: 'social_care',
  social_care_adult: 'social_care',
  continuing_care: 'health_continuing_care',
};

/** Plain-English names used in explanations. */
export const STREAM_LABELS: Readonly<Record<StreamCode, string>> = {
  education_high_needs: 'Education',
  social_care: 'Social care',
  health_continuing_care: 'Health',
};

export interface AnswerLevel {
  readonly id: string;
  /** What the family sees next to the radio button, for example "Lots of support". */
  readonly label: string;
  /** What this level means, so the family and worker choose the same way. */
  readonly guidance: string;
  /** The same points for every stream, or points per stream (then one entry for each converted stream). */
  readonly points: number | Readonly<Partial<Record<StreamCode, number>>>;
}

export interface Question {
  readonly id: string;
  /** Short name used in explanations, for example "Getting out and about". */
  readonly title: string;
  /** The question as asked. */
  readonly text: string;
  readonly help?: string;
  /** Asked only from this age (inclusive). */
  readonly appliesFromAge?: number;
  /** Asked only up to this age (inclusive). */
  readonly appliesToAge?: number;
  readonly levels: readonly AnswerLevel[];
}

export interface QuestionDomain {
  readonly id: string;
  readonly title: string;
  readonly questions: readonly Question[];
}

export interface Band {
  readonly name: string;
  readonly fromPoints: number;
  /** Inclusive; null for the last band, which is open-ended. */
  readonly toPoints: number | null;
  readonly annualPence: Pence;
}

export interface AgeReduction {
  readonly fromAge: number;
  readonly toAge: number;
  readonly percent: number;
  readonly reason: string;
}

export interface InformalSupportRule {
  /** The question that records unpaid help from family and friends. */
  readonly questionId: string;
  /** The deduction for each level of that question; a level not listed deducts nothing. */
  readonly deductions: readonly { readonly levelId: string; readonly percent: number }[];
}

export type RoundingMode = 'nearest' | 'up' | 'down';

export interface RoundingRule {
  /** Round to a multiple of this, for example 100 (whole pounds) or 1000 (£10). */
  readonly unitPence: Pence;
  /** 'nearest' takes halves up. */
  readonly mode: RoundingMode;
}

export type TransitionAppliesTo = 'decreases' | 'increases-and-decreases';

export interface TransitionRule {
  /** The largest change from the current package in the first year, as a percentage of the current package. */
  readonly maxChangePercentFirstYear: number;
  /** Limit only reductions (the usual protection) or changes either way. */
  readonly appliesTo: TransitionAppliesTo;
}

interface ConversionCommon {
  readonly ageReductions: readonly AgeReduction[];
  readonly informalSupport: InformalSupportRule | null;
  /** A budget above £0 is raised to at least this. */
  readonly minimumPence: Pence | null;
  /** A budget above this is capped at it and referred to the exceptional cases panel. */
  readonly capPence: Pence | null;
  readonly rounding: RoundingRule | null;
  /** The indicative range is the figure plus or minus this percentage of it. */
  readonly rangePercent: number;
  readonly transition: TransitionRule | null;
}

export interface PricePerPointConversion extends ConversionCommon {
  readonly kind: 'price-per-point';
  readonly pricePerPointPence: Pence;
}

export interface BandsConversion extends ConversionCommon {
  readonly kind: 'bands';
  /** Contiguous from 0 points, in order, the last open-ended, amounts never falling from one band to the next. */
  readonly bands: readonly Band[];
}

export type Conversion = PricePerPointConversion | BandsConversion;

export interface AllocationModel {
  readonly name: string;
  readonly description?: string;
  readonly questionnaire: { readonly domains: readonly QuestionDomain[] };
  /** At least one stream. */
  readonly conversions: Readonly<Partial<Record<StreamCode, Conversion>>>;
}

/** Answers: question id to level id, one for every question that applies at the person's age. */
export type Answers = Readonly<Record<string, string>>;

/** The streams a model converts, in the standard order. */
export function modelStreams(model: AllocationModel): StreamCode[] {
  return STREAM_CODES.filter((code) => model.conversions[code] !== undefined);
}

export function allQuestions(model: AllocationModel): Question[] {
  return model.questionnaire.domains.flatMap((d) => d.questions);
}

export function questionApplies(question: Question, age: number): boolean {
  return (question.appliesFromAge === undefined || age >= question.appliesFromAge) && (question.appliesToAge === undefined || age <= question.appliesToAge);
}

/** The points a level is worth in a stream (0 if a per-stream level does not mention the stream). */
export function levelPoints(level: AnswerLevel, stream: StreamCode): number {
  return typeof level.points === 'number' ? level.points : (level.points[stream] ?? 0);
}
