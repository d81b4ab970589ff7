/**
 * Scoring: answers to an indicative budget per funding stream, with an explanation whose money lines
 * add up exactly to each stream's figure. Pure and deterministic: integer points, bigint pence.
 *
 * For each stream the model converts, in this order:
 *   1. points: the sum of the points of each answer (questions not asked at this age count nothing);
 *   2. the amount from points: points × price per point, or the amount of the band the points fall in;
 *   3. age reduction: minus its percentage of (2), if the age is in a reduction band;
 *   4. informal support: minus the answer's deduction percentage of what (3) left;
 *      (percentages are rounded to the nearest penny, halves away from zero: arithmetic.ts)
 *   5. rounding to the unit and mode of the model;
 *   6. minimum: an amount above £0 is raised to the minimum (£0 stays £0: no eligible need);
 *   7. cap: an amount above the cap is capped, and the case is referred to the exceptional cases panel;
 *      (1–7 give `afterAdjustmentsPence`, the allocation)
 *   8. transitional protection, only when a current package above £0 is given and the stream has a
 *      rule: the change from the current package is limited to its percentage of the current package
 *      (rounded like 3–4), giving `indicativePence`, the figure for the first year; with any current
 *      package the result shows the difference;
 *   9. range: `indicativePence` plus or minus `rangePercent` of it (same rounding).
 * Each step that changes the figure adds a line with the change; the points lines carry no money.
 */
import { formatPence, sumPence, type Pence } from '../money/money.ts';
import { percentOf, roundToUnit } from './arithmetic.ts';
import {
  ageReductionText,
  answerText,
  bandText,
  capText,
  informalSupportText,
  minimumText,
  pricePerPointText,
  rangeText,
  roundingText,
  transitionText,
} from './explain.ts';
import {
  STREAM_LABELS,
  allQuestions,
  levelPoints,
  modelStreams,
  questionApplies,
  type AllocationModel,
  type Answers,
  type Band,
  type Conversion,
  type StreamCode,
  type TransitionRule,
} from './model.ts';
import { checkCurrentPackages, validateAnswers, type Validated } from './validate.ts';

/** One answer's contribution in points. */
export interface PointsLine {
  readonly kind: 'answer';
  readonly text: string;
  readonly questionId: string;
  readonly levelId: string;
  readonly points: number;
}

/** One step of the arithmetic, with the signed change it makes in pence. */
export interface MoneyLine {
  readonly kind: 'conversion' | 'age-reduction' | 'informal-support' | 'rounding' | 'minimum' | 'cap' | 'transition';
  readonly text: string;
  readonly amountPence: Pence;
}

export type ExplanationLine = PointsLine | MoneyLine;

/** The money a line adds (0 for a points line). A stream's lines add up to its indicativePence. */
export function lineAmount(line: ExplanationLine): Pence {
  return line.kind === 'answer' ? 0n : line.amountPence;
}

export interface TransitionResult {
  readonly currentPence: Pence;
  /** afterAdjustmentsPence − currentPence. */
  readonly differencePence: Pence;
  /** The rule applied: null when the stream has none, or the current package is £0. */
  readonly rule: TransitionRule | null;
  /** The largest change allowed in the first year, or null without a rule. */
  readonly limitPence: Pence | null;
  readonly firstYearPence: Pence;
  readonly limited: boolean;
  readonly text: string;
}

export interface StreamResult {
  readonly stream: StreamCode;
  readonly points: number;
  readonly band: (Band & { readonly index: number }) | null;
  /** Step 2: the amount from points before any adjustment. */
  readonly beforeAdjustmentsPence: Pence;
  /** Steps 3–7: the allocation. */
  readonly afterAdjustmentsPence: Pence;
  /** After transitional protection: the indicative budget for the first year. The lines add up to it. */
  readonly indicativePence: Pence;
  readonly rangeLowPence: Pence;
  readonly rangeHighPence: Pence;
  readonly capped: boolean;
  readonly exceptionalCaseRequired: boolean;
  readonly transition: TransitionResult | null;
  readonly lines: readonly ExplanationLine[];
  /** One sentence: "Social care: £2,081.00 a year, between £1,872.90 and £2,289.10 (plus or minus 10%)." */
  readonly summary: string;
}

export interface AllocationTotals {
  readonly beforeAdjustmentsPence: Pence;
  readonly afterAdjustmentsPence: Pence;
  readonly indicativePence: Pence;
  readonly rangeLowPence: Pence;
  readonly rangeHighPence: Pence;
  /** Only when a current package is given for every stream of the model. */
  readonly currentPence: Pence | null;
  readonly differencePence: Pence | null;
}

export interface AllocationResult {
  readonly modelName: string;
  readonly age: number;
  readonly streams: readonly StreamResult[];
  readonly totals: AllocationTotals;
  readonly exceptionalCaseRequired: boolean;
}

export interface ScoreOptions {
  /** Whole years. */
  readonly age: number;
  /** Current package cost per stream, for the comparison and transitional protection. */
  readonly currentPackagePence?: Readonly<Partial<Record<StreamCode, Pence>>>;
}

/** Checks the answers, age and current packages, then scores. Never throws on bad input. */
export function score(model: AllocationModel, answers: Answers, options: ScoreOptions): Validated<AllocationResult> {
  const checked = validateAnswers(model, answers, options.age);
  if (!checked.ok) return checked;
  const packageErrors = checkCurrentPackages(model, options.currentPackagePence);
  if (packageErrors.length > 0) return { ok: false, errors: packageErrors };

  const streams = modelStreams(model).map((stream) =>
    scoreStream(model, stream, model.conversions[stream] as Conversion, checked.value, options.age, options.currentPackagePence?.[stream]),
  );
  const sum = (pick: (s: StreamResult) => Pence) => sumPence(streams.map(pick));
  const everyCurrent = streams.every((s) => s.transition !== null);
  const currentPence = everyCurrent ? sum((s) => (s.transition as TransitionResult).currentPence) : null;
  const afterAdjustmentsPence = sum((s) => s.afterAdjustmentsPence);
  return {
    ok: true,
    value: {
      modelName: model.name,
      age: options.age,
      streams,
      totals: {
        beforeAdjustmentsPence: sum((s) => s.beforeAdjustmentsPence),
        afterAdjustmentsPence,
        indicativePence: sum((s) => s.indicativePence),
        rangeLowPence: sum((s) => s.rangeLowPence),
        rangeHighPence: sum((s) => s.rangeHighPence),
        currentPence,
        differencePence: currentPence === null ? null : afterAdjustmentsPence - currentPence,
      },
      exceptionalCaseRequired: streams.some((s) => s.exceptionalCaseRequired),
    },
  };
}

function scoreStream(model: AllocationModel, stream: StreamCode, conversion: Conversion, answers: Answers, age: number, current: Pence | undefined): StreamResult {
  const lines: ExplanationLine[] = [];
  const money = (kind: MoneyLine['kind'], text: string, amountPence: Pence) => lines.push({ kind, text, amountPence });

  // 1. Points.
  let points = 0;
  for (const question of allQuestions(model)) {
    if (!questionApplies(question, age)) continue;
    const level = question.levels.find((l) => l.id === answers[question.id]);
    if (level === undefined) continue; // validateAnswers has made this impossible
    const p = levelPoints(level, stream);
    points += p;
    lines.push({ kind: 'answer', text: answerText(question.title, level.label, p), questionId: question.id, levelId: level.id, points: p });
  }

  // 2. The amount from points.
  let band: StreamResult['band'] = null;
  let amount: Pence;
  if (conversion.kind === 'price-per-point') {
    amount = BigInt(points) * conversion.pricePerPointPence;
    money('conversion', pricePerPointText(points, conversion.pricePerPointPence, amount), amount);
  } else {
    const index = conversion.bands.findIndex((b) => points >= b.fromPoints && (b.toPoints === null || points <= b.toPoints));
    const found = conversion.bands[index];
    if (found === undefined) throw new Error(`no band for ${points} points in ${stream}: the model was not validated`);
    band = { ...found, index };
    amount = found.annualPence;
    money('conversion', bandText(points, found), amount);
  }
  const beforeAdjustmentsPence = amount;

  // 3. Age reduction.
  const reduction = conversion.ageReductions.find((r) => age >= r.fromAge && age <= r.toAge);
  if (reduction !== undefined && reduction.percent > 0) {
    const change = -percentOf(amount, reduction.percent);
    if (change !== 0n) money('age-reduction', ageReductionText(age, reduction, amount, change), change);
    amount += change;
  }

  // 4. Informal support.
  const informal = conversion.informalSupport;
  if (informal !== null) {
    const question = allQuestions(model).find((q) => q.id === informal.questionId);
    const levelId = answers[informal.questionId];
    const deduction = informal.deductions.find((d) => d.levelId === levelId);
    const level = question?.levels.find((l) => l.id === levelId);
    if (question !== undefined && level !== undefined && questionApplies(question, age) && deduction !== undefined && deduction.percent > 0) {
      const change = -percentOf(amount, deduction.percent);
      if (change !== 0n) money('informal-support', informalSupportText(question.title, level.label, deduction.percent, amount, change), change);
      amount += change;
    }
  }

  // 5. Rounding.
  if (conversion.rounding !== null) {
    const rounded = roundToUnit(amount, conversion.rounding.unitPence, conversion.rounding.mode);
    if (rounded !== amount) money('rounding', roundingText(conversion.rounding.mode, conversion.rounding.unitPence, rounded - amount), rounded - amount);
    amount = rounded;
  }

  // 6. Minimum.
  if (conversion.minimumPence !== null && amount > 0n && amount < conversion.minimumPence) {
    money('minimum', minimumText(conversion.minimumPence, conversion.minimumPence - amount), conversion.minimumPence - amount);
    amount = conversion.minimumPence;
  }

  // 7. Cap.
  const capped = conversion.capPence !== null && amount > conversion.capPence;
  if (conversion.capPence !== null && capped) {
    money('cap', capText(conversion.capPence, conversion.capPence - amount), conversion.capPence - amount);
    amount = conversion.capPence;
  }
  const afterAdjustmentsPence = amount;

  // 8. Transitional protection.
  let transition: TransitionResult | null = null;
  if (current !== undefined) {
    // A current package of £0 is no package: there is nothing to protect, or to limit a change from.
    const rule = current > 0n ? conversion.transition : null;
    let firstYear = amount;
    let limit: Pence | null = null;
    if (rule !== null) {
      limit = percentOf(current, rule.maxChangePercentFirstYear);
      if (amount < current - limit) firstYear = current - limit;
      if (rule.appliesTo === 'increases-and-decreases' && amount > current + limit) firstYear = current + limit;
    }
    const text = transitionText(current, amount, rule, limit, firstYear);
    if (firstYear !== amount) money('transition', `Transitional protection. ${text}`, firstYear - amount);
    transition = { currentPence: current, differencePence: amount - current, rule, limitPence: limit, firstYearPence: firstYear, limited: firstYear !== amount, text };
    amount = firstYear;
  }

  // 9. Range.
  const spread = percentOf(amount, conversion.rangePercent);
  const rangeLowPence = amount - spread;
  const rangeHighPence = amount + spread;

  const indicativePence = sumPence(lines.map(lineAmount));
  if (indicativePence !== amount) throw new Error('explanation lines do not add up: a bug in scoreStream');
  return {
    stream,
    points,
    band,
    beforeAdjustmentsPence,
    afterAdjustmentsPence,
    indicativePence,
    rangeLowPence,
    rangeHighPence,
    capped,
    exceptionalCaseRequired: capped,
    transition,
    lines,
    summary: `${STREAM_LABELS[stream]}: ${formatPence(indicativePence)} a year, ${rangeText(rangeLowPence, rangeHighPence, conversion.rangePercent)}.`,
  };
}

