/**
 * Recovery codes: ten single-use codes given once at enrolment, for when the authenticator app is
 * not to hand. Each is 16 characters from an alphabet without look-alikes (no 0, 1, i, l or o),
 * about 79 bits of chance, shown as four groups of four: "abcd-efgh-jkmn-pqrs".
 */
export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const LENGTH = 16;

/** A uniform random whole number from 0 up to (not including) `max`. */
export type RandomInt = (max: number) => number;

export function generateRecoveryCodes(randomInt: RandomInt): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: LENGTH }, () => RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)] ?? '');
    return formatRecoveryCode(chars.join(''));
  });
}

export function formatRecoveryCode(code: string): string {
  return (code.match(/.{1,4}/g) ?? []).join('-');
}

/** What a person typed, reduced to the 16 characters that are compared; undefined if it cannot be a code. */
export function normaliseRecoveryCode(input: string): string | undefined {
  const code = input.toLowerCase().replace(/[\s-]+/g, '');
  if (code.length !== LENGTH || [...code].some((c) => !RECOVERY_CODE_ALPHABET.includes(c))) return undefined;
  return code;
}
