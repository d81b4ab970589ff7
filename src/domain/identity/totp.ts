/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps make them: SHA-1, 6 digits, a new
 * code every 30 seconds. A code is accepted one step either side of now (clocks drift), and never
 * twice: the caller keeps the last step used and passes it back.
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ALGORITHM = 'SHA1';
/** Steps accepted either side of the current one. */
export const TOTP_WINDOW = 1;
/** 20 bytes (160 bits), the size RFC 4226 recommends for HMAC-SHA-1: 32 base32 characters. */
export const TOTP_SECRET_BYTES = 20;

const PERIOD_MS = TOTP_PERIOD_SECONDS * 1000;

export type TotpCheck =
  | { readonly ok: true; readonly step: number }
  | { readonly ok: false; readonly reason: 'format' | 'wrong' | 'reused' };

/** A base32 secret of the right size (upper case, no padding, no spaces). */
export function isTotpSecret(secret: string): boolean {
  return /^[A-Z2-7]{32}$/.test(secret);
}

/** The number of 30-second steps since 1970 at this instant. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / PERIOD_MS);
}

/** Seconds until the code for this instant's step is replaced by the next. */
export function secondsLeftInStep(at: Date): number {
  return Math.ceil((PERIOD_MS - (at.getTime() % PERIOD_MS)) / 1000);
}

function totp(secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: TOTP_ALGORITHM, digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS });
}

/** The code an authenticator app shows for this secret during this step. */
export function totpCode(secret: string, step: number): string {
  return totp(secret).generate({ timestamp: step * PERIOD_MS });
}

/** What a person typed, without the spaces or dashes some apps show in the middle. */
export function normaliseCode(input: string): string {
  return input.replace(/[\s-]+/g, '');
}

/** Whether `input` is a code for this secret now, and not one already used (step at most `lastUsedStep`). */
export function checkTotp(secret: string, input: string, at: Date, lastUsedStep: number | null): TotpCheck {
  const code = normaliseCode(input);
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code)) return { ok: false, reason: 'format' };
  const delta = totp(secret).validate({ token: code, timestamp: at.getTime(), window: TOTP_WINDOW });
  if (delta === null) return { ok: false, reason: 'wrong' };
  const step = totpStep(at) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return { ok: false, reason: 'reused' };
  return { ok: true, step };
}

/**
 * The step whose code would be accepted next, or undefined when every step in the window has been
 * used (then the next one comes with the next step). Used only to show the demo code.
 */
export function nextUsableStep(at: Date, lastUsedStep: number | null): number | undefined {
  const now = totpStep(at);
  const step = lastUsedStep === null ? now : Math.max(now, lastUsedStep + 1);
  return step <= now + TOTP_WINDOW ? step : undefined;
}

/** The otpauth:// address a QR code carries, which authenticator apps read. */
export function otpauthUri(secret: string, details: { issuer: string; account: string }): string {
  return new TOTP({
    issuer: details.issuer,
    label: details.account,
    secret: Secret.fromBase32(secret),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** "ABCDEFGH…" as "ABCD EFGH …", easier to read and type. */
export function groupInFours(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}
