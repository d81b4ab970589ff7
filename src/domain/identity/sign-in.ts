/**
 * The rules of signing in, as numbers: how many failed attempts are allowed and for how long the
 * step between the password and the second factor may last.
 *
 * Throttling (OWASP ASVS 6.3.x, issue 3): at most MAX_FAILED_ATTEMPTS failed attempts per account
 * and per source address within ATTEMPT_WINDOW_MINUTES. The next attempt is refused without
 * checking anything. An account is known by its normalised email, whether or not it exists, so that
 * the answer never tells which emails are accounts. A wrong authenticator or recovery code is a
 * failed attempt too.
 */
export const MAX_FAILED_ATTEMPTS = 10;
export const ATTEMPT_WINDOW_MINUTES = 5;
/** Attempts are kept this long, so that a recent attack can be looked into, then deleted. */
export const ATTEMPT_RETENTION_HOURS = 24;
/** Between a correct password and the second factor. */
export const PENDING_SIGN_IN_MINUTES = 5;

const MINUTE_MS = 60_000;

export interface FailedAttempts {
  /** Failed attempts for this normalised email within the window. */
  readonly forAccount: number;
  /** Failed attempts from this source address within the window. */
  readonly fromAddress: number;
}

/** The email as accounts are matched: trimmed, lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Attempts at or after this instant count. */
export function attemptWindowStart(now: Date): Date {
  return new Date(now.getTime() - ATTEMPT_WINDOW_MINUTES * MINUTE_MS);
}

export function attemptRetentionStart(now: Date): Date {
  return new Date(now.getTime() - ATTEMPT_RETENTION_HOURS * 60 * MINUTE_MS);
}

/** True when one more attempt must be refused unchecked. */
export function isThrottled(failed: FailedAttempts): boolean {
  return failed.forAccount >= MAX_FAILED_ATTEMPTS || failed.fromAddress >= MAX_FAILED_ATTEMPTS;
}

export function pendingSignInExpiry(now: Date): Date {
  return new Date(now.getTime() + PENDING_SIGN_IN_MINUTES * MINUTE_MS);
}
