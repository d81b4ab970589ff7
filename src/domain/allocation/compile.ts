/**
 * A compiled allocation model: the figures of score.ts (points, band, allocation, first-year figure,
 * cap) without the explanation, for scoring many stored assessments at once (the impact of a draft
 * model on everyone already assessed). Same arithmetic as score.ts, step for step, so the figures are
 * identical whenever score() accepts the answers; unlike score() it never refuses:
 *
 * - an applicable question with no answer, or with an answer that is not one of its level ids, counts
 *   0 points and is counted in `missingAnswers` (a draft that adds questions has them unanswered);
 * - answers to questions not asked at the person's age, and to questions the model does not have, are
 *   ignored;
 * - a current package is used as score() uses it (a stream without one gets no transition), but not
 *   checked: that is score()'s job.
 *
 * What compiling precomputes, so that a call does as little as possible:
 * - per question, its age range and a Map of level id → points per stream (an Int32Array);
 * - per stream, the band for every points total up to the last band's edges, the age-reduction
 *   percentage for every age up to MAX_AGE, and the informal-support question and deduction per level;
 * - steps 2–7 depend only on (points, age-reduction percentage, informal-support percentage), so for a
 *   model whose reachable points are few enough their result is remembered the first time it is worked
 *   out (the figures are the same either way; a test runs both paths).
 * Step 8 (transitional protection) depends on the current package, so it is done on every call.
 * The range (step 9) and the explanation are not computed: use score() for one person's result.
 */
import type { Pence } from '../money/money.ts';
import { percentOf, roundToUnit } from './arithmetic.ts';
import { allQuestions, levelPoints, modelStreams, type AllocationModel, type Answers, type Band, type Conversion, type StreamCode } from './model.ts';
import { MAX_AGE } from './schema.ts';

export interface CompiledStreamFigures {
  readonly stream: StreamCode;
  readonly points: number;
  /** The index of the band the points fall in, or -1 for a price-per-point stream. */
  readonly bandIndex: number;
  /** Step 2: the amount from points, before any adjustment. */
  readonly beforeAdjustmentsPence: Pence;
  /** Steps 3–7: the allocation. */
  readonly afterAdjustmentsPence: Pence;
  /** After transitional protection (step 8): the first-year figure. */
  readonly indicativePence: Pence;
  /** Above the cap, so capped and referred to the exceptional cases panel. */
  readonly capped: boolean;
}

export interface CompiledTotals {
  readonly beforeAdjustmentsPence: Pence;
  readonly afterAdjustmentsPence: Pence;
  readonly indicativePence: Pence;
  /** Only when a current package is given for every stream of the model (as in score()). */
  readonly currentPence: Pence | null;
  /** afterAdjustmentsPence − currentPence, when currentPence is given. */
  readonly differencePence: Pence | null;
}

export interface CompiledFigures {
  /** One for each stream of the model, in STREAM_CODES order. */
  readonly streams: readonly CompiledStreamFigures[];
  /** Questions that apply at this age with no answer, or an answer that is not one of their level ids. */
  readonly missingAnswers: number;
  readonly totals: CompiledTotals;
  /** Some stream was capped. */
  readonly exceptionalCaseRequired: boolean;
}

export interface CompiledModel {
  readonly modelName: string;
  /** The streams of the model, in STREAM_CODES order. */
  readonly streams: readonly StreamCode[];
  figures(answers: Answers, age: number, current?: Readonly<Partial<Record<StreamCode, Pence>>>): CompiledFigures;
}

export interface CompileOptions {
  /**
   * The most remembered results of steps 2–7 per stream (points totals × age-reduction percentages ×
   * deduction percentages); a stream with more possible combinations works each one out every time.
   * 0 turns remembering off. Default 262,144.
   */
  readonly memoEntries?: number;
}

const DEFAULT_MEMO_ENTRIES = 1 << 18;
const MEMO_UNKNOWN = 0;
const MEMO_NOT_CAPPED = 1;
const MEMO_CAPPED = 2;

interface CompiledStream {
  readonly stream: StreamCode;
  /** Index into a question's points row. */
  readonly slot: number;
  readonly conversion: Conversion;
  /** Price per point, or null for bands. */
  readonly pricePence: Pence | null;
  readonly bands: readonly Band[];
  /** Band index for 0 ≤ points < length; bandBeyond for anything above. */
  readonly bandByPoints: Int32Array;
  readonly bandBeyond: number;
  /** Distinct age-reduction percentages, the first 0 (no reduction). */
  readonly agePercents: readonly number[];
  /** Index into agePercents for every age 0 to MAX_AGE. */
  readonly ageSlotByAge: Int32Array;
  /** Distinct informal-support percentages, the first 0 (no deduction). */
  readonly deductionPercents: readonly number[];
  /** The informal-support question, as an index into the compiled questions, or -1. */
  readonly informalQuestion: number;
  /** Level id → index into deductionPercents; a level not here deducts nothing. */
  readonly deductionSlotByLevel: ReadonlyMap<string, number>;
  /** Remembered steps 2–7 at ((points − minPoints) × ages + ageSlot) × deductions + deductionSlot, or null. */
  readonly memo: Memo | null;
}

interface Memo {
  readonly minPoints: number;
  readonly maxPoints: number;
  readonly state: Uint8Array;
  readonly before: Pence[];
  readonly after: Pence[];
}

interface CompiledQuestion {
  readonly id: string;
  readonly fromAge: number;
  readonly toAge: number;
  /** Level id → points per stream, indexed by CompiledStream.slot. */
  readonly rows: ReadonlyMap<string, Int32Array>;
}

/** Compiles a model checked by parseModel (validate.ts). */
export function compileModel(model: AllocationModel, options: CompileOptions = {}): CompiledModel {
  const streamCodes = modelStreams(model);
  const questionList = allQuestions(model);
  const questions: CompiledQuestion[] = questionList.map((q) => {
    const rows = new Map<string, Int32Array>();
    for (const level of q.levels) {
      // score() takes the first level with the id.
      if (!rows.has(level.id)) rows.set(level.id, Int32Array.from(streamCodes, (stream) => levelPoints(level, stream)));
    }
    return { id: q.id, fromAge: q.appliesFromAge ?? -Infinity, toAge: q.appliesToAge ?? Infinity, rows };
  });
  const memoEntries = options.memoEntries ?? DEFAULT_MEMO_ENTRIES;
  const streams = streamCodes.map((stream, slot) => compileStream(model, stream, slot, questions, memoEntries));

  const streamCount = streams.length;
  const questionCount = questions.length;
  const points = new Float64Array(streamCount);

  function figures(answers: Answers, age: number, current?: Readonly<Partial<Record<StreamCode, Pence>>>): CompiledFigures {
    // 1. Points.
    points.fill(0);
    let missingAnswers = 0;
    for (let q = 0; q < questionCount; q++) {
      const question = questions[q] as CompiledQuestion;
      if (age < question.fromAge || age > question.toAge) continue;
      const answer = answers[question.id];
      const row = typeof answer === 'string' ? question.rows.get(answer) : undefined;
      if (row === undefined) {
        missingAnswers++;
        continue;
      }
      for (let s = 0; s < streamCount; s++) points[s] = (points[s] as number) + (row[s] as number);
    }

    // 2–8, per stream.
    const out: CompiledStreamFigures[] = new Array<CompiledStreamFigures>(streamCount);
    let totalBefore = 0n;
    let totalAfter = 0n;
    let totalIndicative = 0n;
    let totalCurrent = 0n;
    let everyCurrent = true;
    let anyCapped = false;
    for (let s = 0; s < streamCount; s++) {
      const c = streams[s] as CompiledStream;
      const p = points[s] as number;
      const bandIndex = c.pricePence === null ? bandFor(c, p) : -1;
      const ageSlot = ageSlotFor(c, age);
      const deductionSlot = deductionSlotFor(c, questions[c.informalQuestion], answers, age);

      let before: Pence;
      let after: Pence;
      let capped: boolean;
      const memo = c.memo;
      const index = memo === null || p < memo.minPoints || p > memo.maxPoints ? -1 : ((p - memo.minPoints) * c.agePercents.length + ageSlot) * c.deductionPercents.length + deductionSlot;
      if (memo !== null && index >= 0 && memo.state[index] !== MEMO_UNKNOWN) {
        before = memo.before[index] as Pence;
        after = memo.after[index] as Pence;
        capped = memo.state[index] === MEMO_CAPPED;
      } else {
        before = c.pricePence === null ? (c.bands[bandIndex] as Band).annualPence : BigInt(p) * c.pricePence;
        after = adjust(c.conversion, before, c.agePercents[ageSlot] as number, c.deductionPercents[deductionSlot] as number);
        capped = lastAdjustCapped;
        if (memo !== null && index >= 0) {
          memo.before[index] = before;
          memo.after[index] = after;
          memo.state[index] = capped ? MEMO_CAPPED : MEMO_NOT_CAPPED;
        }
      }

      // 8. Transitional protection, exactly as score() does it.
      let indicative = after;
      const currentPence = current?.[c.stream];
      if (currentPence === undefined) {
        everyCurrent = false;
      } else {
        totalCurrent += currentPence;
        const rule = currentPence > 0n ? c.conversion.transition : null;
        if (rule !== null) {
          const limit = percentOf(currentPence, rule.maxChangePercentFirstYear);
          if (after < currentPence - limit) indicative = currentPence - limit;
          if (rule.appliesTo === 'increases-and-decreases' && after > currentPence + limit) indicative = currentPence + limit;
        }
      }

      totalBefore += before;
      totalAfter += after;
      totalIndicative += indicative;
      if (capped) anyCapped = true;
      out[s] = { stream: c.stream, points: p, bandIndex, beforeAdjustmentsPence: before, afterAdjustmentsPence: after, indicativePence: indicative, capped };
    }

    const currentPence = everyCurrent ? totalCurrent : null;
    return {
      streams: out,
      missingAnswers,
      totals: {
        beforeAdjustmentsPence: totalBefore,
        afterAdjustmentsPence: totalAfter,
        indicativePence: totalIndicative,
        currentPence,
        differencePence: currentPence === null ? null : totalAfter - currentPence,
      },
      exceptionalCaseRequired: anyCapped,
    };
  }

  return { modelName: model.name, streams: streamCodes, figures };
}

function compileStream(model: AllocationModel, stream: StreamCode, slot: number, questions: readonly CompiledQuestion[], memoEntries: number): CompiledStream {
  const conversion = model.conversions[stream] as Conversion;
  const bands = conversion.kind === 'bands' ? conversion.bands : [];

  // Bands: the first band holding each points total from 0 to the highest edge; above every edge,
  // only an open-ended band can hold the total, so it is the same for all of them.
  let highestEdge = -1;
  for (const b of bands) highestEdge = Math.max(highestEdge, b.fromPoints, b.toPoints ?? b.fromPoints);
  const bandByPoints = new Int32Array(highestEdge + 1);
  for (let p = 0; p <= highestEdge; p++) bandByPoints[p] = findBand(bands, p);
  const bandBeyond = bands.findIndex((b) => b.toPoints === null);

  // Ages: score() takes the first reduction whose range holds the age.
  const agePercents = [0];
  const ageSlotByAge = new Int32Array(MAX_AGE + 1);
  for (const r of conversion.ageReductions) if (!agePercents.includes(r.percent)) agePercents.push(r.percent);
  for (let age = 0; age <= MAX_AGE; age++) ageSlotByAge[age] = agePercents.indexOf(agePercentAt(conversion, age));

  // Informal support: the first question with the id; a deduction counts only for one of its levels.
  const deductionPercents = [0];
  const deductionSlotByLevel = new Map<string, number>();
  let informalQuestion = -1;
  const informal = conversion.informalSupport;
  if (informal !== null) {
    informalQuestion = questions.findIndex((q) => q.id === informal.questionId);
    const question = questions[informalQuestion];
    for (const d of informal.deductions) {
      if (question === undefined || !question.rows.has(d.levelId) || deductionSlotByLevel.has(d.levelId)) continue;
      if (!deductionPercents.includes(d.percent)) deductionPercents.push(d.percent);
      deductionSlotByLevel.set(d.levelId, deductionPercents.indexOf(d.percent));
    }
  }

  // The points totals that answers can reach: each applicable question adds one level's points or 0.
  let minPoints = 0;
  let maxPoints = 0;
  for (const q of questions) {
    let low = 0;
    let high = 0;
    for (const row of q.rows.values()) {
      low = Math.min(low, row[slot] as number);
      high = Math.max(high, row[slot] as number);
    }
    minPoints += low;
    maxPoints += high;
  }
  const entries = (maxPoints - minPoints + 1) * agePercents.length * deductionPercents.length;
  const memo: Memo | null =
    entries <= memoEntries
      ? { minPoints, maxPoints, state: new Uint8Array(entries), before: new Array<Pence>(entries).fill(0n), after: new Array<Pence>(entries).fill(0n) }
      : null;

  return {
    stream,
    slot,
    conversion,
    pricePence: conversion.kind === 'price-per-point' ? conversion.pricePerPointPence : null,
    bands,
    bandByPoints,
    bandBeyond,
    agePercents,
    ageSlotByAge,
    deductionPercents,
    informalQuestion,
    deductionSlotByLevel,
    memo,
  };
}

/** score()'s band search. */
function findBand(bands: readonly Band[], points: number): number {
  return bands.findIndex((b) => points >= b.fromPoints && (b.toPoints === null || points <= b.toPoints));
}

function bandFor(c: CompiledStream, points: number): number {
  const index = points >= 0 && points < c.bandByPoints.length ? (c.bandByPoints[points] as number) : points >= 0 ? c.bandBeyond : findBand(c.bands, points);
  if (index < 0) throw new Error(`no band for ${points} points in ${c.stream}: the model was not validated`);
  return index;
}

/** The percentage of the first age reduction holding `age`; 0 if none does. */
function agePercentAt(conversion: Conversion, age: number): number {
  return conversion.ageReductions.find((r) => age >= r.fromAge && age <= r.toAge)?.percent ?? 0;
}

function ageSlotFor(c: CompiledStream, age: number): number {
  if (Number.isInteger(age) && age >= 0 && age <= MAX_AGE) return c.ageSlotByAge[age] as number;
  return c.agePercents.indexOf(agePercentAt(c.conversion, age));
}

function deductionSlotFor(c: CompiledStream, question: CompiledQuestion | undefined, answers: Answers, age: number): number {
  if (question === undefined || age < question.fromAge || age > question.toAge) return 0;
  const answer = answers[question.id];
  return typeof answer === 'string' ? (c.deductionSlotByLevel.get(answer) ?? 0) : 0;
}

/** Whether the last call of adjust() capped (a second result without allocating an object for it). */
let lastAdjustCapped = false;

/** Steps 3–7 of score.ts, in its order and with its arithmetic, without the lines; sets lastAdjustCapped. */
function adjust(conversion: Conversion, from: Pence, agePercent: number, deductionPercent: number): Pence {
  let amount = from;
  // 3. Age reduction.
  if (agePercent > 0) amount -= percentOf(amount, agePercent);
  // 4. Informal support, on what (3) left.
  if (deductionPercent > 0) amount -= percentOf(amount, deductionPercent);
  // 5. Rounding.
  if (conversion.rounding !== null) amount = roundToUnit(amount, conversion.rounding.unitPence, conversion.rounding.mode);
  // 6. Minimum: only above £0.
  if (conversion.minimumPence !== null && amount > 0n && amount < conversion.minimumPence) amount = conversion.minimumPence;
  // 7. Cap.
  const capped = conversion.capPence !== null && amount > conversion.capPence;
  if (conversion.capPence !== null && capped) amount = conversion.capPence;
  lastAdjustCapped = capped;
  return amount;
}

/**
 * The benchmark's floor: Σ points[i] × price, a plain loop with no model at all, the least work any
 * scoring of price-per-point figures can do.
 */
export function pointsTimesPriceFloor(points: Int32Array, pricePence: Pence): Pence {
  let total = 0n;
  for (let i = 0; i < points.length; i++) total += BigInt(points[i] as number) * pricePence;
  return total;
}
