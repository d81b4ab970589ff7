/**
 * Direct payment schedules (issue 6): when and how much a direct payment holder is paid, and which
 * funding streams pay each penny. Pure rules: no I/O, no clock; dates 'YYYY-MM-DD', money bigint pence.
 *
 * The rules, from DOMAIN.md ("Money rules", "The journey" step 5):
 * - Annual budgets are paid four-weekly or monthly IN ADVANCE: each instalment is due on the first
 *   day of the span of days it pays for.
 * - The first payment is pro rata when the budget starts part-way through the council's payment
 *   cycle; the last is pro rata when the budget ends part-way through one.
 * - One payment stream per person even when several funding streams (education, health, social care)
 *   fund it: each instalment shows every stream's share, and the shares add up to the instalment.
 * - Whole pence, and no penny lost or invented: totals are exact (see ../money/split.ts).
 *
 * Definitions a newcomer will ask about:
 * - Period: `periodStart` to `periodEnd`, both days INCLUDED, as `personal_budgets.starts_on` and
 *   `ends_on` (sign-off sets ends_on to "a year later less a day", src/domain/sign-off/sign-off.ts).
 * - Budget year: the days from `periodStart` to that same "year later less a day" — 365 days, or 366
 *   when it contains 29 February. A period that is exactly one budget year gets exactly the annual
 *   amount; any other period gets annual × days in the period ÷ days in the budget year, rounded to
 *   the nearest penny, stream by stream.
 * - Payment cycle: cycle dates are `cycleAnchor` plus whole multiples of 28 days (four-weekly), or
 *   `cycleAnchor` plus whole calendar months by `addMonths` (monthly). addMonths counts from the
 *   anchor each time and clamps to the month's end, so an anchor of 31 January gives 28 February (29
 *   in a leap year), then 31 March, 30 April…: the day never drifts. Without an anchor the cycle
 *   starts on `periodStart`, so there is no pro-rata first payment.
 * - Sharing the period amount among instalments: each instalment weighs its share of a regular
 *   payment — days paid ÷ days in the cycle span it falls in. A whole 28-day span or a whole month
 *   weighs 1, so in a full year monthly payments are equal (to within a penny) whatever the month's
 *   length; a 14-day first span of a four-weekly cycle weighs ½. Part of a period (after a plan
 *   change) is paid by the same weights: `amountForPart`.
 *
 * Errors: invalid input throws a RangeError with a plain-English message. The callers pass budget
 * lines that are already validated and stored, so a bad value here is a programming error, not
 * something to show a family.
 */
import { sumPence, type Pence } from '../money/money.ts';
import { apportion, prorate } from '../money/split.ts';
import { addDays, addMonths, compareDates, daysBetween, earlierOf, isIsoDate, laterOf } from '../pathway/dates.ts';
import { periodEnd as endOfBudgetYear } from '../sign-off/sign-off.ts';

export type Frequency = 'four_weekly' | 'monthly';
export const FREQUENCIES: readonly Frequency[] = ['four_weekly', 'monthly'];

/** One funding stream's direct payment line: its amount for a whole year. */
export type StreamShare = { readonly streamId: string; readonly annualPence: Pence };

export type StreamPart = { readonly streamId: string; readonly pence: Pence };

/**
 * A correction carried by an instalment for days it does not itself pay for (days `from`–`to`,
 * inclusive), after a plan change. Negative when the days were paid in advance at a higher amount.
 */
export type Adjustment = {
  readonly from: string;
  readonly to: string;
  readonly pence: Pence;
  readonly byStream: readonly StreamPart[];
};

export type Instalment = {
  /** 1, 2, 3… in the order they fall due. */
  readonly number: number;
  /**
   * 'regular' pays the span periodFrom–periodTo in advance (and may carry adjustments);
   * 'adjustment' is a one-off made when a plan changes in the last span, when there is no later
   * payment to carry the difference: its periodFrom–periodTo is the days the adjustments cover.
   */
  readonly kind: 'regular' | 'adjustment';
  readonly dueOn: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  /** What is paid on dueOn: the span's amount plus any adjustments. Negative only after a cut. */
  readonly amountPence: Pence;
  /** Each funding stream's share; the shares sum exactly to amountPence. */
  readonly byStream: readonly StreamPart[];
  readonly adjustments: readonly Adjustment[];
};

/** A span's weight is (days paid ÷ days in its cycle span) × this: 28, 29, 30 and 31 all divide it. */
const WEIGHT_SCALE = 377_580n; // lcm(28, 29, 30, 31)

type Span = { readonly from: string; readonly to: string; readonly weight: bigint };
type Segment = { readonly from: string; readonly to: string; readonly parts: ReadonlyMap<string, Pence> };

/* ------------------------------------------------------------------------------------------------
 * Days, budget years and cycles
 * ---------------------------------------------------------------------------------------------- */

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
function daysIncluded(from: string, to: string): number {
  return Math.max(0, daysBetween(from, to) + 1);
}

/** 365, or 366 when the year beginning on `periodStart` contains 29 February. */
export function daysInBudgetYear(periodStart: string): number {
  return daysIncluded(periodStart, endOfBudgetYear(periodStart));
}

/** The amount for the whole period `periodStart`–`periodEnd`: exactly `annualPence` for one budget year. */
export function periodAmountPence(annualPence: Pence, periodStart: string, periodEnd: string): Pence {
  return prorate(annualPence, BigInt(daysIncluded(periodStart, periodEnd)), BigInt(daysInBudgetYear(periodStart)));
}

/** The cycle span containing `date`: from its cycle date up to (not including) the next one. */
function cycleAround(date: string, frequency: Frequency, anchor: string): { start: string; next: string } {
  if (frequency === 'four_weekly') {
    const start = addDays(anchor, Math.floor(daysBetween(anchor, date) / 28) * 28);
    return { start, next: addDays(start, 28) };
  }
  const monthsApart =
    (Number(date.slice(0, 4)) - Number(anchor.slice(0, 4))) * 12 + Number(date.slice(5, 7)) - Number(anchor.slice(5, 7));
  let k = monthsApart;
  while (compareDates(addMonths(anchor, k), date) > 0) k -= 1;
  while (compareDates(addMonths(anchor, k + 1), date) <= 0) k += 1;
  return { start: addMonths(anchor, k), next: addMonths(anchor, k + 1) };
}

/** The weight of paying the days `from`–`to`, which lie within the cycle span around `from`. */
function weightOf(from: string, to: string, frequency: Frequency, anchor: string): bigint {
  const cycle = cycleAround(from, frequency, anchor);
  return BigInt(daysIncluded(from, to)) * (WEIGHT_SCALE / BigInt(daysBetween(cycle.start, cycle.next)));
}

/** The spans paid for: from the period start, cut at every cycle date, ending on the period end. */
function spansOf(periodStart: string, periodEnd: string, frequency: Frequency, anchor: string): Span[] {
  const spans: Span[] = [];
  let from = periodStart;
  while (compareDates(from, periodEnd) <= 0) {
    const { next } = cycleAround(from, frequency, anchor);
    const to = earlierOf(addDays(next, -1), periodEnd);
    spans.push({ from, to, weight: weightOf(from, to, frequency, anchor) });
    from = next;
  }
  return spans;
}

/** The weight of the days `from`–`to` within a period cut into `spans` (0 when they miss it). */
function weightWithin(spans: readonly Span[], from: string, to: string, frequency: Frequency, anchor: string): bigint {
  let weight = 0n;
  for (const span of spans) {
    const overlapFrom = laterOf(span.from, from);
    const overlapTo = earlierOf(span.to, to);
    if (compareDates(overlapFrom, overlapTo) <= 0) weight += weightOf(overlapFrom, overlapTo, frequency, anchor);
  }
  return weight;
}

export type PeriodAndCycle = {
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly frequency: Frequency;
  /** Any date on the council's payment cycle (for example the Monday of a four-weekly pay run). */
  readonly cycleAnchor?: string;
};

/**
 * The money for the days `from`–`to` of a period at `annualPence` a year: the period amount shared
 * by weight (see the top of this file). So in a budget year on a monthly cycle a whole month is a
 * twelfth of the annual amount whatever its length, and part of a span is paid pro rata by its days. This is the
 * amount a plan change pays at the new rate for the days from the change.
 */
export function amountForPart(annualPence: Pence, schedule: PeriodAndCycle, from: string, to: string): Pence {
  requirePeriod(schedule.periodStart, schedule.periodEnd);
  requireFrequency(schedule.frequency);
  requireDate(from, 'The first day');
  requireDate(to, 'The last day');
  const anchor = schedule.cycleAnchor ?? schedule.periodStart;
  const spans = spansOf(schedule.periodStart, schedule.periodEnd, schedule.frequency, anchor);
  const whole = spans.reduce((sum, span) => sum + span.weight, 0n);
  const part = weightWithin(spans, from, to, schedule.frequency, anchor);
  return prorate(periodAmountPence(annualPence, schedule.periodStart, schedule.periodEnd), part, whole);
}

/* ------------------------------------------------------------------------------------------------
 * Sharing money among instalments and streams
 * ---------------------------------------------------------------------------------------------- */

/**
 * Shares the streams' totals among rows (instalments) by weight, as a rows × streams table whose
 * rows sum to each instalment's amount and whose columns sum exactly to each stream's total.
 *
 * Each row's total is apportioned first, so instalments are within a penny of their exact share (a
 * family sees steady payments); then each row is shared among the streams by what each stream still
 * has to pay. The last row takes exactly what is left, so no stream gains or loses a penny, and no
 * share goes below zero (a row never exceeds what is left in total).
 */
function shareAmongRows(streamTotals: readonly Pence[], weights: readonly bigint[]): Pence[][] {
  if (weights.length === 0) return [];
  const rowTotals = apportion(streamTotals.reduce((sum, p) => sum + p, 0n), weights);
  let remaining = [...streamTotals];
  return rowTotals.map((rowTotal) => {
    const parts = apportion(rowTotal, remaining);
    remaining = remaining.map((left, i) => left - (parts[i] ?? 0n));
    return parts;
  });
}

/* ------------------------------------------------------------------------------------------------
 * Validation (RangeError with a plain message)
 * ---------------------------------------------------------------------------------------------- */

function requireDate(value: string, what: string): void {
  if (!isIsoDate(value)) throw new RangeError(`${what} must be a real date written YYYY-MM-DD (got "${value}")`);
}

function requireFrequency(value: string): asserts value is Frequency {
  if (!(FREQUENCIES as readonly string[]).includes(value)) throw new RangeError(`Payment frequency must be four_weekly or monthly (got "${value}")`);
}

function requireStreams(streams: readonly StreamShare[]): void {
  if (streams.length === 0) throw new RangeError('A payment schedule needs at least one funding stream');
  const seen = new Set<string>();
  for (const stream of streams) {
    if (stream.streamId === '') throw new RangeError('A funding stream needs an id');
    if (seen.has(stream.streamId)) throw new RangeError(`Funding stream ${stream.streamId} is listed twice`);
    if (stream.annualPence < 0n) throw new RangeError(`Funding stream ${stream.streamId} has a negative annual amount`);
    seen.add(stream.streamId);
  }
}

function requirePeriod(periodStart: string, periodEnd: string): void {
  requireDate(periodStart, 'The period start');
  requireDate(periodEnd, 'The period end');
  // As the personal_budgets CHECK (ends_on > starts_on).
  if (compareDates(periodEnd, periodStart) <= 0) throw new RangeError('The period must end after it starts');
}

/* ------------------------------------------------------------------------------------------------
 * Building instalments
 * ---------------------------------------------------------------------------------------------- */

function total(parts: readonly StreamPart[]): Pence {
  return sumPence(parts.map((part) => part.pence));
}

function toAdjustment(segment: Segment): Adjustment {
  const byStream = [...segment.parts].map(([streamId, pence]) => ({ streamId, pence }));
  return { from: segment.from, to: segment.to, pence: total(byStream), byStream };
}

/** A stream list for an instalment: the schedule's streams in order, then any others its adjustments name. */
function streamIdsFor(baseIds: readonly string[], adjustments: readonly Adjustment[]): string[] {
  const ids = [...baseIds];
  for (const adjustment of adjustments) {
    for (const part of adjustment.byStream) if (!ids.includes(part.streamId)) ids.push(part.streamId);
  }
  return ids;
}

function regularInstalment(
  number: number,
  span: { from: string; to: string },
  ids: readonly string[],
  amounts: readonly Pence[],
  adjustments: readonly Adjustment[],
): Instalment {
  const allIds = streamIdsFor(ids, adjustments);
  const byStream = allIds.map((streamId) => {
    const regular = amounts[ids.indexOf(streamId)] ?? 0n;
    const adjusted = adjustments.reduce((sum, a) => sum + (a.byStream.find((p) => p.streamId === streamId)?.pence ?? 0n), 0n);
    return { streamId, pence: regular + adjusted };
  });
  return { number, kind: 'regular', dueOn: span.from, periodFrom: span.from, periodTo: span.to, amountPence: total(byStream), byStream, adjustments };
}

/**
 * The payment schedule for a direct payment: one instalment per span, due on the span's first day.
 *
 * Each stream's amount for the period (see `periodAmountPence`) is shared among the instalments by
 * their weights, so: every instalment's shares sum to its amount; every stream's shares over the
 * schedule sum to its period amount; and the instalments together pay exactly the period amount.
 */
export function paymentSchedule(input: PeriodAndCycle & { readonly streams: readonly StreamShare[] }): Instalment[] {
  requirePeriod(input.periodStart, input.periodEnd);
  requireFrequency(input.frequency);
  if (input.cycleAnchor !== undefined) requireDate(input.cycleAnchor, 'The payment cycle date');
  requireStreams(input.streams);

  const spans = spansOf(input.periodStart, input.periodEnd, input.frequency, input.cycleAnchor ?? input.periodStart);
  const ids = input.streams.map((s) => s.streamId);
  const periodAmounts = input.streams.map((s) => periodAmountPence(s.annualPence, input.periodStart, input.periodEnd));
  const table = shareAmongRows(periodAmounts, spans.map((s) => s.weight));
  return spans.map((span, i) => regularInstalment(i + 1, span, ids, table[i] ?? [], []));
}

/* ------------------------------------------------------------------------------------------------
 * Rescheduling after a plan change
 * ---------------------------------------------------------------------------------------------- */

function toMap(parts: readonly StreamPart[]): Map<string, Pence> {
  const map = new Map<string, Pence>();
  for (const part of parts) map.set(part.streamId, (map.get(part.streamId) ?? 0n) + part.pence);
  return map;
}

/**
 * What an instalment pays for, as segments of days each paid at one even daily rate: its own span
 * (the amount less its adjustments) and each adjustment's days.
 */
function segmentsOf(instalment: Instalment): Segment[] {
  const adjustments = instalment.adjustments.map((a) => ({ from: a.from, to: a.to, parts: toMap(a.byStream) }));
  if (instalment.kind === 'adjustment') return adjustments;
  const own = toMap(instalment.byStream);
  for (const adjustment of adjustments) {
    for (const [id, pence] of adjustment.parts) own.set(id, (own.get(id) ?? 0n) - pence);
  }
  return [{ from: instalment.periodFrom, to: instalment.periodTo, parts: own }, ...adjustments];
}

/** Cuts a segment into the days before `day` and the days from it, sharing each stream's money by days. */
function splitAt(segment: Segment, day: string): [Segment, Segment] {
  const before = { from: segment.from, to: earlierOf(segment.to, addDays(day, -1)), parts: new Map<string, Pence>() };
  const from = { from: laterOf(segment.from, day), to: segment.to, parts: new Map<string, Pence>() };
  const weights = [BigInt(daysIncluded(before.from, before.to)), BigInt(daysIncluded(from.from, from.to))];
  for (const [id, pence] of segment.parts) {
    const [b = 0n, f = 0n] = apportion(pence, weights);
    before.parts.set(id, b);
    from.parts.set(id, f);
  }
  return [before, from];
}

/**
 * Cuts a segment into the days before `changeOn`, the days from `changeOn` to `periodEnd`, and the
 * days after `periodEnd`. The cut at the change comes first, so what counts as paid before the
 * change never depends on where the period now ends.
 */
function cutSegment(segment: Segment, changeOn: string, periodEnd: string): { before: Segment; during: Segment; after: Segment } {
  const [before, fromChange] = splitAt(segment, changeOn);
  const [during, after] = splitAt(fromChange, addDays(periodEnd, 1));
  return { before, during, after };
}

function negated(segment: Segment): Segment {
  return { ...segment, parts: new Map([...segment.parts].map(([id, pence]) => [id, -pence])) };
}

/** Adds up segments over the same days; drops those that come to nothing; earliest first. */
function mergeSegments(segments: readonly Segment[]): Segment[] {
  const byDays = new Map<string, { from: string; to: string; parts: Map<string, Pence> }>();
  for (const segment of segments) {
    if (daysIncluded(segment.from, segment.to) === 0) continue;
    const key = `${segment.from}/${segment.to}`;
    const merged = byDays.get(key) ?? { from: segment.from, to: segment.to, parts: new Map<string, Pence>() };
    for (const [id, pence] of segment.parts) merged.parts.set(id, (merged.parts.get(id) ?? 0n) + pence);
    byDays.set(key, merged);
  }
  return [...byDays.values()]
    .map((s) => ({ ...s, parts: new Map([...s.parts].filter(([, pence]) => pence !== 0n)) }))
    .filter((s) => s.parts.size > 0)
    .sort((a, b) => compareDates(a.from, b.from) || compareDates(a.to, b.to));
}

export type PlanChange = {
  readonly existing: readonly Instalment[];
  readonly changeOn: string;
  readonly streams: readonly StreamShare[];
  readonly periodEnd: string;
  readonly frequency: Frequency;
  /** The same cycle date the schedule was made with (its period start when none was given). */
  readonly cycleAnchor?: string;
};

/** Checks a plan change against the schedule it changes; gives the period start and cycle anchor. */
function requireChange(input: PlanChange): { periodStart: string; anchor: string } {
  const regular = requireSchedule(input.existing);
  const periodStart = regular[0]?.periodFrom ?? '';
  const coveredTo = regular[regular.length - 1]?.periodTo ?? '';
  const { changeOn, periodEnd, frequency } = input;
  requireDate(changeOn, 'The date of the change');
  requirePeriod(periodStart, periodEnd);
  requireFrequency(frequency);
  if (input.cycleAnchor !== undefined) requireDate(input.cycleAnchor, 'The payment cycle date');
  requireStreams(input.streams);
  const anchor = input.cycleAnchor ?? periodStart;
  // Every span the schedule pays lies within one cycle span of this cycle (else it was made on another).
  if (regular.some((i) => compareDates(i.periodTo, cycleAround(i.periodFrom, frequency, anchor).next) >= 0)) {
    throw new RangeError('The schedule does not follow this payment cycle: give the frequency and cycle date it was made with');
  }
  if (compareDates(changeOn, periodStart) < 0 || compareDates(changeOn, addDays(coveredTo, 1)) > 0) {
    throw new RangeError('The change must take effect within the period the schedule covers');
  }
  if (compareDates(periodEnd, addDays(changeOn, -1)) < 0) throw new RangeError('The period cannot end before the day before the change');
  return { periodStart, anchor };
}

function requireSchedule(existing: readonly Instalment[]): Instalment[] {
  const regular = existing.filter((i) => i.kind === 'regular');
  if (regular.length === 0) throw new RangeError('There is no schedule to change');
  existing.forEach((instalment, index) => {
    if (instalment.number !== index + 1) throw new RangeError('The instalments must be numbered 1, 2, 3… in order');
    if (total(instalment.byStream) !== instalment.amountPence) throw new RangeError(`Instalment ${instalment.number}: its stream shares do not add up to its amount`);
    for (const a of instalment.adjustments) {
      if (total(a.byStream) !== a.pence) throw new RangeError(`Instalment ${instalment.number}: an adjustment's stream shares do not add up`);
    }
    const previous = existing[index - 1];
    if (previous !== undefined && compareDates(previous.dueOn, instalment.dueOn) > 0) throw new RangeError('The instalments must be in the order they fall due');
  });
  regular.forEach((instalment, index) => {
    const previous = regular[index - 1];
    if (previous !== undefined && addDays(previous.periodTo, 1) !== instalment.periodFrom) {
      throw new RangeError(`Instalment ${instalment.number} does not start the day after the one before it ends`);
    }
  });
  return regular;
}

/**
 * A mid-year plan change from `changeOn`: the days before it keep the amounts already scheduled,
 * the days from it are paid at the new streams' amounts, to the (possibly changed) `periodEnd`.
 *
 * - Instalments due before `changeOn` are kept exactly as they are: they are paid or due.
 * - The instalment whose span contains `changeOn` was paid in advance at the old amount for days on
 *   or after `changeOn`. As councils usually do, the NEXT payment carries the difference: an
 *   adjustment for those days of (new amount − old amount already paid), which is negative after a
 *   cut. When the change falls in the last span there is no next payment, so a one-off 'adjustment'
 *   instalment due on `changeOn` carries it instead.
 * - Later instalments are recalculated from the new amounts on the same payment cycle; an
 *   adjustment they carried for days before `changeOn` is carried forward, not lost.
 * - A shorter `periodEnd` (the budget ends early) is allowed down to the day before `changeOn`:
 *   days already paid beyond it are credited back in the adjustment.
 *
 * A negative amount (after a sharp cut) is money paid in advance that the new plan does not fund; it
 * is for finance to net off or recover, with reasons — DOMAIN.md: no blanket clawback.
 *
 * Totals: the new schedule pays exactly what the old one scheduled for the days before `changeOn`
 * (a span cut by the change is shared by its days), plus each new stream's
 * `amountForPart(annual, period, changeOn, periodEnd)`: so after a change to £24,000 a year on a
 * monthly cycle the whole months left are paid £2,000 each.
 *
 * A change that keeps the same amounts can still move a few pence (at most about a penny an
 * instalment): the old and new amounts are rounded separately.
 */
export function rescheduleFrom(input: PlanChange): Instalment[] {
  const { periodStart, anchor } = requireChange(input);
  const { changeOn, periodEnd, frequency } = input;
  const kept = input.existing.filter((i) => compareDates(i.dueOn, changeOn) < 0);
  const replaced = input.existing.filter((i) => compareDates(i.dueOn, changeOn) >= 0);
  // The last day already paid for by a regular instalment (the day before the start when none is).
  const paidTo = kept.filter((i) => i.kind === 'regular').reduce((to, i) => laterOf(to, i.periodTo), addDays(periodStart, -1));

  // What changes for days already paid: credit the kept money for days from the change on, and
  // carry forward what replaced instalments owed for days before it.
  const corrections: Segment[] = [];
  for (const instalment of kept) {
    for (const segment of segmentsOf(instalment)) {
      const { during, after } = cutSegment(segment, changeOn, periodEnd);
      corrections.push(negated(during), negated(after));
    }
  }
  for (const instalment of replaced) {
    for (const segment of segmentsOf(instalment)) corrections.push(cutSegment(segment, changeOn, periodEnd).before);
  }

  // The new amounts for the days from the change to the period end, shared between the days
  // already paid for (if any: they go into the adjustment) and the spans still to pay.
  // From the day after the last day paid; when the period is longer than before, that day may be
  // part-way through a cycle, and the first new span is pro rata.
  const newSpans = spansOf(addDays(paidTo, 1), periodEnd, frequency, anchor);
  const paidNewTo = earlierOf(paidTo, periodEnd);
  const paidDaysWeight = compareDates(changeOn, paidNewTo) <= 0 ? [weightOf(changeOn, paidNewTo, frequency, anchor)] : [];
  const ids = input.streams.map((s) => s.streamId);
  const newPeriod = { periodStart, periodEnd, frequency, cycleAnchor: anchor };
  const newAmounts = input.streams.map((s) => amountForPart(s.annualPence, newPeriod, changeOn, periodEnd));
  const table = shareAmongRows(newAmounts, [...paidDaysWeight, ...newSpans.map((s) => s.weight)]);
  if (paidDaysWeight.length > 0) {
    corrections.push({ from: changeOn, to: paidNewTo, parts: new Map(ids.map((id, i) => [id, table[0]?.[i] ?? 0n])) });
  }
  const adjustments = mergeSegments(corrections).map(toAdjustment);
  const spanRows = table.slice(paidDaysWeight.length);

  const rescheduled = newSpans.map((span, i) =>
    regularInstalment(kept.length + i + 1, span, ids, spanRows[i] ?? [], i === 0 ? adjustments : []),
  );
  if (rescheduled.length === 0 && adjustments.length > 0) rescheduled.push(oneOffAdjustment(kept.length + 1, changeOn, ids, adjustments));
  return [...kept, ...rescheduled];
}

/** When the change falls in the last span: the difference, paid (or to recover) on the change date. */
function oneOffAdjustment(number: number, changeOn: string, ids: readonly string[], adjustments: readonly Adjustment[]): Instalment {
  const byStream = streamIdsFor(ids, adjustments).map((streamId) => ({
    streamId,
    pence: adjustments.reduce((sum, a) => sum + (a.byStream.find((p) => p.streamId === streamId)?.pence ?? 0n), 0n),
  }));
  const periodFrom = adjustments.map((a) => a.from).reduce(earlierOf);
  const periodTo = adjustments.map((a) => a.to).reduce(laterOf);
  return { number, kind: 'adjustment', dueOn: changeOn, periodFrom, periodTo, amountPence: total(byStream), byStream, adjustments };
}
