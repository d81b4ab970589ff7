/**
 * Step-up: before a high-value action (disabling an account, resetting a colleague's authenticator
 * app; later, approving money and payment runs) the person re-enters a code from their
 * authenticator app, even though they are signed in. The proof lasts STEP_UP_MINUTES for that
 * session only (OWASP ASVS 5.0, re-authentication before sensitive operations).
 */
export const STEP_UP_MINUTES = 10;

export function isSteppedUp(steppedUpAt: Date | null, now: Date): boolean {
  if (steppedUpAt === null) return false;
  const age = now.getTime() - steppedUpAt.getTime();
  return age >= 0 && age <= STEP_UP_MINUTES * 60_000;
}
