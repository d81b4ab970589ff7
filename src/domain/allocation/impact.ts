/**
 * The "what if" impact of a draft allocation model: every current assessment scored under the
 * published model and under the draft, compared. Pure; the caller scores and feeds the rows.
 *
 * Built as an accumulator so the caller can feed rows in chunks and report progress:
 *
 *     const acc = impactAccumulator({ topN: 20 });
 *     for (const chunk of chunks) { for (const row of chunk) acc.add(row); progress(acc.people); }
 *     const report = acc.report();
 *
 * `add` is O(log N) for the N largest changes and O(1) otherwise, so the whole run is O(n log N) with
 * N fixed (20 by default): the rows are never sorted or kept. `report` can be called at any time and
 * does not change the accumulator.
 *
 * A person's change compares totals over all streams: draft − published (the full draft, before
 * transitional protection). The percentage buckets are decided exactly on bigint pence; a boundary
 * belongs to the bucket further from zero (exactly −25% is in "−50% to −25%", exactly +10% in
 * "+10% to +25%").
 */
import type { Pence } from '../money/money.ts';
import { STREAM_CODES, STREAM_LABELS, type Answers, type StreamCode } from './model.ts';
import type { CompiledModel } from './compile.ts';

/** One assessment scored under both models. Amounts are annual, whole pence, never negative. */
export interface ImpactRow {
  readonly reference: string;
  readonly personId: string;
  readonly publishedPence: Readonly<Partial<Record<StreamCode, Pence>>>;
  readonly draftPence: Readonly<Partial<Record<StreamCode, Pence>>>;
  /** The draft after transitional protection: what the person would get in the first year (a stream left out means no protection: the draft). */
  readonly draftFirstYearPence: Readonly<Partial<Record<StreamCode, Pence>>>;
  /** Questions new in the draft that this assessment has no answer to. */
  readonly missingAnswers: number;
}

export interface StreamImpact {
  readonly stream: StreamCode;
  readonly label: string;
  readonly publishedPence: Pence;
  readonly draftPence: Pence;
  readonly draftFirstYearPence: Pence;
  /** draft − published. */
  readonly differencePence: Pence;
  /** draft after transitional protection − published. */
  readonly firstYearDifferencePence: Pence;
}

export type ImpactBucketKey =
  | 'down-50-or-more'
  | 'down-25-to-50'
  | 'down-10-to-25'
  | 'down-under-10'
  | 'unchanged'
  | 'up-under-10'
  | 'up-10-to-25'
  | 'up-25-to-50'
  | 'up-50-or-more'
  | 'new-budget';

/** The histogram's buckets, in the order a chart shows them. */
export const IMPACT_BUCKETS: readonly { readonly key: ImpactBucketKey; readonly label: string }[] = [
  { key: 'down-50-or-more', label: 'Down 50% or more' },
  { key: 'down-25-to-50', label: 'Down 25% to 50%' },
  { key: 'down-10-to-25', label: 'Down 10% to 25%' },
  { key: 'down-under-10', label: 'Down less than 10%' },
  { key: 'unchanged', label: 'No change' },
  { key: 'up-under-10', label: 'Up less than 10%' },
  { key: 'up-10-to-25', label: 'Up 10% to 25%' },
  { key: 'up-25-to-50', label: 'Up 25% to 50%' },
  { key: 'up-50-or-more', label: 'Up 50% or more' },
  { key: 'new-budget', label: 'New budget (was £0)' },
];

export interface PersonChange {
  readonly reference: string;
  readonly personId: string;
  readonly publishedPence: Pence;
  readonly draftPence: Pence;
  readonly draftFirstYearPence: Pence;
  /** draft − published. */
  readonly differencePence: Pence;
  /** The difference as a percentage of published (a float); null when published is £0. */
  readonly percent: number | null;
  readonly bucket: ImpactBucketKey;
}

export interface ImpactReport {
  readonly people: number;
  /** Streams that appear in any row, in the standard order. */
  readonly streams: readonly StreamImpact[];
  readonly totals: Omit<StreamImpact, 'stream' | 'label'>;
  /** By the person's total, draft against published. */
  readonly increases: number;
  readonly decreases: number;
  readonly unchanged: number;
  /** Every bucket of IMPACT_BUCKETS, in order, even when empty; the counts add up to `people`. */
  readonly histogram: readonly { readonly key: ImpactBucketKey; readonly label: string; readonly count: number }[];
  /** The largest changes by absolute difference, largest first, ties by reference (then person id). */
  readonly largestChanges: readonly PersonChange[];
  readonly transitionalProtection: {
    /** People whose first-year figure differs from the draft in some stream. */
    readonly peopleLimited: number;
    /** Σ (first year − draft): what protection adds in year one, net. */
    readonly addedPence: Pence;
    /** The part that raises reduced budgets (≥ 0). */
    readonly raisedPence: Pence;
    /** The part that holds back increases, as a negative amount (≤ 0), when a rule limits increases. */
    readonly heldBackPence: Pence;
  };
  readonly missingAnswers: {
    /** Assessments with at least one question new in the draft unanswered. */
    readonly assessments: number;
    /** Unanswered questions across all assessments. */
    readonly questions: number;
  };
}

export interface ImpactAccumulator {
  /** Adds one scored assessment. Throws RangeError on a negative amount or a bad missingAnswers count. */
  add(row: ImpactRow): void;
  /** The number of assessments added so far. */
  readonly people: number;
  /** The report so far; calling it does not change the accumulator. */
  report(): ImpactReport;
}

/** The bucket of a person's change, decided exactly (see the module comment for the boundaries). */
export function impactBucket(publishedPence: Pence, draftPence: Pence): ImpactBucketKey {
  const diff = draftPence - publishedPence;
  if (diff === 0n) return 'unchanged';
  if (publishedPence === 0n) return 'new-budget';
  const scaled = diff * 100n; // compare diff / published with k% as diff × 100 with k × published
  const p = publishedPence;
  if (diff < 0n) {
    if (scaled <= -50n * p) return 'down-50-or-more';
    if (scaled <= -25n * p) return 'down-25-to-50';
    if (scaled <= -10n * p) return 'down-10-to-25';
    return 'down-under-10';
  }
  if (scaled >= 50n * p) return 'up-50-or-more';
  if (scaled >= 25n * p) return 'up-25-to-50';
  if (scaled >= 10n * p) return 'up-10-to-25';
  return 'up-under-10';
}

/** Orders changes for the top-N: larger absolute difference first, then reference, then person id. */
export function compareChanges(a: PersonChange, b: PersonChange): number {
  const absA = a.differencePence < 0n ? -a.differencePence : a.differencePence;
  const absB = b.differencePence < 0n ? -b.differencePence : b.differencePence;
  if (absA !== absB) return absA > absB ? -1 : 1;
  if (a.reference !== b.reference) return a.reference < b.reference ? -1 : 1;
  if (a.personId !== b.personId) return a.personId < b.personId ? -1 : 1;
  return 0;
}

interface StreamSums {
  published: Pence;
  draft: Pence;
  firstYear: Pence;
}

/** A new, empty impact accumulator keeping the `topN` (default 20) largest changes. */
export function impactAccumulator(options: { readonly topN?: number } = {}): ImpactAccumulator {
  const topN = options.topN ?? 20;
  if (!Number.isSafeInteger(topN) || topN < 0) throw new RangeError(`topN must be a whole number ≥ 0, got ${topN}`);

  const sums = new Map<StreamCode, StreamSums>();
  const buckets = new Map<ImpactBucketKey, number>(IMPACT_BUCKETS.map((b) => [b.key, 0]));
  let people = 0;
  let increases = 0;
  let decreases = 0;
  let peopleLimited = 0;
  let raised = 0n;
  let heldBack = 0n;
  let missingAssessments = 0;
  let missingQuestions = 0;
  // A binary heap whose root is the smallest of the kept changes (the first to drop out).
  const heap: PersonChange[] = [];
  const lower = (i: number, j: number) => compareChanges(heap[i] as PersonChange, heap[j] as PersonChange) > 0;
  const swap = (i: number, j: number) => {
    const t = heap[i] as PersonChange;
    heap[i] = heap[j] as PersonChange;
    heap[j] = t;
  };
  const siftUp = (start: number) => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!lower(i, parent)) break;
      swap(i, parent);
      i = parent;
    }
  };
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < heap.length && lower(l, least)) least = l;
      if (r < heap.length && lower(r, least)) least = r;
      if (least === i) return;
      swap(i, least);
      i = least;
    }
  };

  const sumsFor = (stream: StreamCode) => {
    let s = sums.get(stream);
    if (s === undefined) {
      s = { published: 0n, draft: 0n, firstYear: 0n };
      sums.set(stream, s);
    }
    return s;
  };

  function add(row: ImpactRow): void {
    if (!Number.isSafeInteger(row.missingAnswers) || row.missingAnswers < 0) {
      throw new RangeError(`${row.reference}: missingAnswers must be a whole number ≥ 0, got ${row.missingAnswers}`);
    }
    let published = 0n;
    let draft = 0n;
    let firstYear = 0n;
    let limited = false;
    for (const stream of STREAM_CODES) {
      const p = row.publishedPence[stream];
      const d = row.draftPence[stream];
      const f = row.draftFirstYearPence[stream];
      if (p === undefined && d === undefined && f === undefined) continue;
      const pv = p ?? 0n;
      const dv = d ?? 0n;
      const fv = f ?? dv; // no first-year figure: no protection applied
      if (pv < 0n || dv < 0n || fv < 0n) throw new RangeError(`${row.reference}: ${stream} has a negative amount`);
      const s = sumsFor(stream);
      s.published += pv;
      s.draft += dv;
      s.firstYear += fv;
      published += pv;
      draft += dv;
      firstYear += fv;
      if (fv !== dv) {
        limited = true;
        if (fv > dv) raised += fv - dv;
        else heldBack += fv - dv;
      }
    }
    people++;
    if (limited) peopleLimited++;
    if (row.missingAnswers > 0) {
      missingAssessments++;
      missingQuestions += row.missingAnswers;
    }
    if (draft > published) increases++;
    else if (draft < published) decreases++;
    const bucket = impactBucket(published, draft);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);

    if (topN === 0) return;
    const difference = draft - published;
    const change: PersonChange = {
      reference: row.reference,
      personId: row.personId,
      publishedPence: published,
      draftPence: draft,
      draftFirstYearPence: firstYear,
      differencePence: difference,
      percent: published === 0n ? null : (Number(difference) / Number(published)) * 100,
      bucket,
    };
    if (heap.length < topN) {
      heap.push(change);
      siftUp(heap.length - 1);
    } else if (compareChanges(change, heap[0] as PersonChange) < 0) {
      heap[0] = change;
      siftDown(0);
    }
  }

  function report(): ImpactReport {
    const streams: StreamImpact[] = [];
    for (const stream of STREAM_CODES) {
      const s = sums.get(stream);
      if (s === undefined) continue;
      streams.push({
        stream,
        label: STREAM_LABELS[stream],
        publishedPence: s.published,
        draftPence: s.draft,
        draftFirstYearPence: s.firstYear,
        differencePence: s.draft - s.published,
        firstYearDifferencePence: s.firstYear - s.published,
      });
    }
    const total = (pick: (s: StreamImpact) => Pence) => streams.reduce((acc, s) => acc + pick(s), 0n);
    return {
      people,
      streams,
      totals: {
        publishedPence: total((s) => s.publishedPence),
        draftPence: total((s) => s.draftPence),
        draftFirstYearPence: total((s) => s.draftFirstYearPence),
        differencePence: total((s) => s.differencePence),
        firstYearDifferencePence: total((s) => s.firstYearDifferencePence),
      },
      increases,
      decreases,
      unchanged: people - increases - decreases,
      histogram: IMPACT_BUCKETS.map((b) => ({ key: b.key, label: b.label, count: buckets.get(b.key) ?? 0 })),
      largestChanges: [...heap].sort(compareChanges),
      transitionalProtection: { peopleLimited, addedPence: raised + heldBack, raisedPence: raised, heldBackPence: heldBack },
      missingAnswers: { assessments: missingAssessments, questions: missingQuestions },
    };
  }

  return {
    add,
    get people() {
      return people;
    },
    report,
  };
}

/**
 * One person's row of the report: their answers scored under the draft (with their current package,
 * so that transitional protection applies) and under the published model, if there is one. The
 * reference may be left empty and filled in for the largest changes only.
 */
export function impactRowOf(
  person: { readonly personId: string; readonly reference: string; readonly answers: Answers; readonly age: number; readonly current: Readonly<Partial<Record<StreamCode, Pence>>> },
  draft: CompiledModel,
  published: CompiledModel | null,
): ImpactRow {
  const figures = draft.figures(person.answers, person.age, person.current);
  const publishedPence: Partial<Record<StreamCode, Pence>> = {};
  if (published !== null) for (const s of published.figures(person.answers, person.age).streams) publishedPence[s.stream] = s.afterAdjustmentsPence;
  const draftPence: Partial<Record<StreamCode, Pence>> = {};
  const draftFirstYearPence: Partial<Record<StreamCode, Pence>> = {};
  for (const s of figures.streams) {
    draftPence[s.stream] = s.afterAdjustmentsPence;
    draftFirstYearPence[s.stream] = s.indicativePence;
  }
  return { reference: person.reference, personId: person.personId, publishedPence, draftPence, draftFirstYearPence, missingAnswers: figures.missingAnswers };
}
