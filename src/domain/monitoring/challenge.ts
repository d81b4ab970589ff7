/**
 * A family's challenge to a recovery (decision 0019): when it may be received, who may decide it, and
 * what each outcome pays back. Upheld pays back everything recovered; partly upheld the amount the
 * decider enters (more than £0, less than the whole, in whole pence); not upheld nothing.
 */
import { formatPence, parsePounds, type Pence } from '../money/money.ts';
import { compareDates, isIsoDate, longDate } from '../pathway/dates.ts';

export const CHALLENGE_OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld'] as const;
export type ChallengeOutcome = (typeof CHALLENGE_OUTCOMES)[number];

/** What a challenge's outcome pays back, in pence, or the error to show against the amount field. */
export function repaymentFor(outcome: ChallengeOutcome, recoveredPence: Pence, repayPounds: string): { ok: true; pence: Pence } | { ok: false; message: string } {
  if (outcome === 'upheld') return { ok: true, pence: recoveredPence };
  if (outcome === 'not_upheld') return { ok: true, pence: 0n };
  const amount = parsePounds(repayPounds);
  if (!amount.ok) return { ok: false, message: amount.error === 'empty' ? 'Enter the amount to pay back' : 'Enter the amount to pay back in pounds and pence, like 120.50' };
  if (amount.pence <= 0n) return { ok: false, message: 'The amount to pay back must be more than £0.00' };
  if (amount.pence >= recoveredPence) {
    return { ok: false, message: `The amount to pay back must be less than the amount recovered, ${formatPence(recoveredPence)}. If all of it is to be paid back, select upheld` };
  }
  return { ok: true, pence: amount.pence };
}

/**
 * The notice promises the family that someone who was not part of the decision looks at their
 * challenge: neither the person who proposed the recovery nor the one who approved it.
 */
export function wasPartOfDecision(accountId: string, recovery: { readonly proposedBy: string; readonly decidedBy: string | null }): boolean {
  return recovery.proposedBy === accountId || recovery.decidedBy === accountId;
}

/** A challenge received after the date to challenge by: still recorded and considered, and said to be late. */
export function isLate(receivedOn: string, challengeBy: string | null): boolean {
  return challengeBy !== null && compareDates(receivedOn, challengeBy) > 0;
}

/** What is wrong with the date a challenge was received ('YYYY-MM-DD' or ''), or null: a real date, not in the future, not before the approval. */
export function receivedOnProblem(receivedOn: string, dates: { readonly today: string; readonly approvedOn: string }): string | null {
  if (receivedOn === '') return 'Enter the date the challenge was received';
  if (!isIsoDate(receivedOn)) return 'The date the challenge was received must be a real date';
  if (compareDates(receivedOn, dates.today) > 0) return 'The date the challenge was received must be today or in the past';
  if (compareDates(receivedOn, dates.approvedOn) < 0) return `The date the challenge was received must be on or after the day the recovery was approved, ${longDate(dates.approvedOn)}`;
  return null;
}
