/**
 * A mid-year plan change (issue 6): a new plan is agreed while the person's budget still has time to
 * run. The new budget starts on the day of the change (`changeOn`, its first day); the old budget
 * stops the day before. Pure rules: no I/O, no clock; dates 'YYYY-MM-DD', money bigint pence.
 *
 * What happens to the old budget (`closeOut`):
 * - Direct payment instalments due BEFORE the change are kept: they are paid or owed (a late run
 *   still pays them). Instalments due on or after it are dropped: the new schedule pays those days.
 * - A kept instalment paid in advance for days on or after the change has paid the family for days
 *   the new budget also pays for. That money (`overlap`, per stream, pro rata by days) is taken off
 *   the new schedule's first payment (`netFirstInstalment`), as councils usually do: the family is
 *   never paid twice for a day, and nothing is clawed back. A stream the new plan no longer pays by
 *   direct payment cannot be netted; its overlap is left with the family and shows in monitoring.
 * - What the old budget no longer needs goes back to its stream pot (`release`): for a direct
 *   payment line, its period amount less the kept instalments; for an individual service fund or a
 *   council-managed line, the share of the period amount for the days from the change (pro rata by
 *   days), from the provider or the commitment that holds it.
 *
 * Every figure is whole pence; per-stream parts are computed with `prorate`, so each is within half
 * a penny of the exact share, and the sums are what the ledger posts.
 */
import type { Pence } from '../money/money.ts';
import { prorate } from '../money/split.ts';
import { compareDates, daysBetween, laterOf } from '../pathway/dates.ts';
import type { StreamPart } from './schedule.ts';
import { periodAmountPence } from './schedule.ts';
import type { Management } from './set-up.ts';

export interface PlannedInstalment {
  readonly number: number;
  readonly dueOn: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly amountPence: Pence;
  readonly byStream: readonly StreamPart[];
}

export interface OldBudget {
  readonly startsOn: string;
  readonly endsOn: string;
  readonly lines: readonly { readonly streamId: string; readonly management: Management; readonly annualPence: Pence }[];
}

export interface LineRelease {
  readonly streamId: string;
  readonly management: Management;
  /** More than 0: what goes back to the stream pot from this line (or from the provider / commitment holding it). */
  readonly pence: Pence;
}

export interface CloseOut {
  /** Instalments due on or after the change, not yet paid or taken by a run: to remove. */
  readonly drop: readonly number[];
  /** Money already scheduled by kept instalments for days on or after the change, per stream (more than 0). */
  readonly overlap: readonly StreamPart[];
  readonly release: readonly LineRelease[];
}

const daysIncluded = (from: string, to: string): number => Math.max(0, daysBetween(from, to) + 1);

/**
 * `taken`: numbers of instalments that must stay whatever their date (paid, or in a payment run):
 * they are kept like the instalments due before the change.
 */
export function closeOut(budget: OldBudget, changeOn: string, instalments: readonly PlannedInstalment[], taken: ReadonlySet<number>): CloseOut {
  if (compareDates(changeOn, budget.startsOn) < 0 || compareDates(changeOn, budget.endsOn) > 0) {
    throw new RangeError('A change must fall within the old budget’s period');
  }
  const kept = instalments.filter((i) => compareDates(i.dueOn, changeOn) < 0 || taken.has(i.number));
  const drop = instalments.filter((i) => !kept.includes(i)).map((i) => i.number);

  const overlapByStream = new Map<string, Pence>();
  for (const instalment of kept) {
    if (compareDates(instalment.periodTo, changeOn) < 0) continue;
    const from = laterOf(changeOn, instalment.periodFrom);
    const overlapDays = BigInt(daysIncluded(from, instalment.periodTo));
    const spanDays = BigInt(daysIncluded(instalment.periodFrom, instalment.periodTo));
    for (const part of instalment.byStream) {
      overlapByStream.set(part.streamId, (overlapByStream.get(part.streamId) ?? 0n) + prorate(part.pence, overlapDays, spanDays));
    }
  }

  const keptByStream = new Map<string, Pence>();
  for (const instalment of kept) for (const part of instalment.byStream) keptByStream.set(part.streamId, (keptByStream.get(part.streamId) ?? 0n) + part.pence);
  const periodDays = BigInt(daysIncluded(budget.startsOn, budget.endsOn));
  const remainingDays = BigInt(daysIncluded(changeOn, budget.endsOn));
  const release = budget.lines
    .map((line): LineRelease => {
      const period = periodAmountPence(line.annualPence, budget.startsOn, budget.endsOn);
      const pence = line.management === 'direct_payment' ? period - (keptByStream.get(line.streamId) ?? 0n) : prorate(period, remainingDays, periodDays);
      return { streamId: line.streamId, management: line.management, pence };
    })
    .filter((r) => r.pence > 0n);

  return {
    drop,
    overlap: [...overlapByStream].filter(([, pence]) => pence > 0n).map(([streamId, pence]) => ({ streamId, pence })),
    release,
  };
}

/**
 * The new schedule's first instalment less the overlap, for the streams it pays (see the file
 * comment); its amount may become negative, which a payment run holds for finance to review.
 */
export function netFirstInstalment<T extends PlannedInstalment>(instalments: readonly T[], overlap: readonly StreamPart[]): T[] {
  const [first, ...rest] = instalments;
  if (first === undefined || overlap.length === 0) return [...instalments];
  const less = new Map(overlap.map((p) => [p.streamId, p.pence]));
  const byStream = first.byStream.map((p) => ({ streamId: p.streamId, pence: p.pence - (less.get(p.streamId) ?? 0n) }));
  const amountPence = byStream.reduce((sum, p) => sum + p.pence, 0n);
  return [{ ...first, byStream, amountPence }, ...rest];
}
