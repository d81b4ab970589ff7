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
 *   the new schedule's first payments (`netOverlap`: each stream's share of the first, then the next,
 *   never below zero), as councils usually do: the family is never paid twice for a day, and nothing
 *   is clawed back. What the new schedule cannot absorb (a stream it pays less than the overlap, or
 *   no longer by direct payment) is left with the family and shows in monitoring.
 * - What the old budget no longer needs goes back to its stream pot (`release`): for a direct
 *   payment line, its period amount less the kept instalments that will be paid (above zero: one
 *   netted below zero by an earlier change is held for review, never paid, and keeps nothing on the
 *   line); for an individual service fund or a
 *   council-managed line, the share of the period amount for the days from the change (pro rata by
 *   days), from the provider or the commitment that holds it.
 *
 * Every figure is whole pence; per-stream parts are computed with `prorate`, so each is within half
 * a penny of the exact share, and the sums are what the ledger posts.
 */
import type { TransactionInput } from '../ledger/ledger.ts';
import type { Pence } from '../money/money.ts';
import { prorate } from '../money/split.ts';
import { compareDates, daysBetween, laterOf, longDate } from '../pathway/dates.ts';
import type { StreamPart } from './schedule.ts';
import { periodAmountPence } from './schedule.ts';
import { refs, type Management } from './set-up.ts';

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
  // Only a kept instalment above zero is ever paid (a run holds one at or below zero for finance to
  // review): only those pay days in advance, and only those keep money on the line.
  const payable = kept.filter((i) => i.amountPence > 0n);

  const overlapByStream = new Map<string, Pence>();
  for (const instalment of payable) {
    if (compareDates(instalment.periodTo, changeOn) < 0) continue;
    const from = laterOf(changeOn, instalment.periodFrom);
    const overlapDays = BigInt(daysIncluded(from, instalment.periodTo));
    const spanDays = BigInt(daysIncluded(instalment.periodFrom, instalment.periodTo));
    for (const part of instalment.byStream) {
      overlapByStream.set(part.streamId, (overlapByStream.get(part.streamId) ?? 0n) + prorate(part.pence, overlapDays, spanDays));
    }
  }

  const keptByStream = new Map<string, Pence>();
  for (const instalment of payable) for (const part of instalment.byStream) keptByStream.set(part.streamId, (keptByStream.get(part.streamId) ?? 0n) + part.pence);
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
 * The new schedule less the overlap (see the file comment): each stream's overlap is taken off that
 * stream's share of the first instalment, then the next, and so on, never below zero, so an
 * instalment never goes negative. What the new schedule cannot absorb (it pays that stream less than
 * the overlap, or not at all) stays with the family and shows in monitoring; nothing is clawed back.
 */
export function netOverlap<T extends PlannedInstalment>(instalments: readonly T[], overlap: readonly StreamPart[]): T[] {
  const left = new Map(overlap.filter((p) => p.pence > 0n).map((p) => [p.streamId, p.pence]));
  return instalments.map((instalment) => {
    if (left.size === 0) return instalment;
    const byStream = instalment.byStream.map((part) => {
      const owed = left.get(part.streamId) ?? 0n;
      const take = owed < part.pence ? owed : part.pence;
      if (take <= 0n) return part;
      if (owed - take === 0n) left.delete(part.streamId);
      else left.set(part.streamId, owed - take);
      return { streamId: part.streamId, pence: part.pence - take };
    });
    return { ...instalment, byStream, amountPence: byStream.reduce((sum, p) => sum + p.pence, 0n) };
  });
}

/**
 * The ledger transaction that returns what the old budget no longer needs to its stream pots, under
 * `budget:<old id>:release`, on the day of the change; null when nothing moves. Each released line's
 * money comes from where it is held now: the line itself (a direct payment), the provider it was
 * passed to (an individual service fund with a provider), or the commitment (council-managed).
 * `idOf` gives the ledger account of a set-up ref (refs in set-up.ts) of the OLD budget.
 */
export function releaseTransaction(
  old: { readonly id: string; readonly lines: readonly { readonly streamId: string; readonly management: Management; readonly providerId?: string | null }[] },
  changeOn: string,
  release: readonly LineRelease[],
  idOf: (ref: string) => string,
): TransactionInput | null {
  const amounts = new Map<string, Pence>();
  const move = (ref: string, pence: Pence) => amounts.set(ref, (amounts.get(ref) ?? 0n) + pence);
  for (const r of release) {
    const providerId = old.lines.find((l) => l.streamId === r.streamId && l.management === r.management)?.providerId;
    const heldBy =
      r.management === 'individual_service_fund' && providerId
        ? refs.provider(providerId)
        : r.management === 'council_managed'
          ? refs.commitment(r.streamId)
          : refs.line(r.streamId, r.management);
    move(heldBy, -r.pence);
    move(refs.pot(r.streamId), r.pence);
  }
  const entries = [...amounts].filter(([, pence]) => pence !== 0n).map(([ref, amountPence]) => ({ accountId: idOf(ref), amountPence }));
  if (entries.length < 2) return null;
  return {
    idempotencyKey: `budget:${old.id}:release`,
    kind: 'adjustment',
    effectiveOn: changeOn,
    description: `Personal budget replaced by a new plan from ${longDate(changeOn)}: money it no longer needs returned to the pot`,
    entries,
  };
}
