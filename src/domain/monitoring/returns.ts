/**
 * When a direct payment holder's returns fall due, and the regular payment the surplus threshold is
 * counted in (issue 6; decision 0019). Pure rules: dates 'YYYY-MM-DD', money bigint pence.
 */
import type { Pence } from '../money/money.ts';
import { addDays, addMonths, compareDates } from '../pathway/dates.ts';

/** The most common positive instalment (the larger on a tie): the regular payment the threshold counts in weeks of. */
export function typicalInstalment(amounts: readonly Pence[]): Pence | null {
  const counts = new Map<Pence, number>();
  for (const a of amounts) if (a > 0n) counts.set(a, (counts.get(a) ?? 0) + 1);
  let best: Pence | null = null;
  let bestCount = 0;
  for (const [amount, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && amount > best)) [best, bestCount] = [amount, count];
  }
  return best;
}

/** Returns are due quarterly from the budget's start: the last day of each 3-month quarter, the last one capped at the budget's end. */
export function quarterEnds(startsOn: string, endsOn: string): string[] {
  const out: string[] = [];
  if (compareDates(endsOn, startsOn) < 0) return out;
  for (let k = 1; k <= 40; k++) {
    const end = addDays(addMonths(startsOn, 3 * k), -1);
    if (compareDates(end, endsOn) >= 0) {
      out.push(endsOn);
      break;
    }
    out.push(end);
  }
  return out;
}
