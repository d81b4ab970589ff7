/**
 * Every check of a password or code is a sign-in attempt, counted and throttled the same way
 * (src/domain/identity/sign-in.ts): at most 10 failures per account key and per source address
 * in 5 minutes. The caller marks the attempt succeeded when the check passes.
 */
import type { AttemptReservation, SystemRepository } from '../db/system.ts';
import { attemptRetentionStart, attemptWindowStart, isThrottled } from '../domain/identity/sign-in.ts';

export function reserveSignInAttempt(system: SystemRepository, now: Date, emailKey: string, sourceAddress: string): Promise<AttemptReservation> {
  return system.reserveSignInAttempt({
    emailKey,
    sourceAddress,
    now,
    windowStart: attemptWindowStart(now),
    retentionStart: attemptRetentionStart(now),
    isThrottled,
  });
}
