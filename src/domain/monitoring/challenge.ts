/**
 * A family's challenge to a recovery (decision 0019): what each outcome pays back. Upheld pays back
 * everything recovered; partly upheld the amount the decider enters (more than £0, less than the
 * whole, in whole pence); not upheld nothing.
 */
import { formatPence, parsePounds, type Pence } from '../money/money.ts';

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
