/**
 * What makes a password acceptable (NCSC and NIST SP 800-63B, as issue 3 sets out): long enough,
 * not too long, and not easy to guess. No composition rules (no "one capital and one symbol"),
 * no expiry, paste allowed. Length counts characters (Unicode code points), not bytes.
 *
 * "Easy to guess" means, compared without regard to letter case:
 *  - one of the 10,000 most common passwords (common-passwords.txt beside this file), or one of them
 *    with only digits, spaces or symbols added before or after ("Monkey2026!"), letters swapped for
 *    look-alike digits or symbols allowed ("p@ssw0rd");
 *  - the name of this service or a word such as "password", decorated the same way ("OneBudget2026!");
 *  - the person's own email address or name, decorated the same way, when the caller passes them;
 *  - one character or a short group repeated ("aaaaaaaaaaaa", "abcabcabcabc"), or a run along the
 *    alphabet, the digits or a keyboard row ("123456789012", "qwertyuiopas").
 *
 * The list is data shipped with the code, read once on first use.
 */
import fs from 'node:fs';

export const MIN_LENGTH = 12;
export const MIN_LENGTH_WITH_MFA = 8;
export const MAX_LENGTH = 128;

export interface PasswordContext {
  /** The account has multi-factor authentication: a shorter password is then enough. */
  readonly hasMfa: boolean;
  /** The person's own words (email address, name): a password made of them is easy to guess. */
  readonly personalWords?: readonly string[];
}

export type DenyReason = 'common' | 'service' | 'personal' | 'pattern';

export type PasswordProblem = 'missing' | 'too-short' | 'too-long' | DenyReason;

export type PasswordCheck = { readonly ok: true } | { readonly ok: false; readonly problem: PasswordProblem; readonly message: string };

/** Words about this service that no password may be built on. */
export const SERVICE_WORDS: readonly string[] = [
  'onebudget',
  'budget',
  'budgets',
  'personalbudget',
  'personalbudgets',
  'password',
  'passwords',
  'council',
  'changeme',
  'welcome',
  'letmein',
  'admin',
  'administrator',
];

/** Runs that a password may not simply follow: along the alphabet, the digits, keyboard rows. */
const SEQUENCES: readonly string[] = [
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertyuiopasdfghjklzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'qazwsxedcrfvtgbyhnujmikolp',
];

/** Look-alike characters read back as the letters they stand for. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '+': 't',
};

let commonPasswords: ReadonlySet<string> | undefined;

/** The deny-list, in lower case. */
export function commonPasswordList(): ReadonlySet<string> {
  commonPasswords ??= new Set(
    fs
      .readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && line !== '#' && !line.startsWith('# ')),
  );
  return commonPasswords;
}

function characters(text: string): number {
  return [...text].length;
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** How much decoration before or after a password's core is tried away, at most, at each end. */
const MAX_DECORATION = 12;

/**
 * The letters at the heart of a password: digits, spaces and symbols before and after taken away
 * (each amount of them, since some stand for letters: "4dmin2026"), look-alikes inside read back
 * as letters, and spaces, dots, dashes and underscores inside removed.
 */
function cores(folded: string): string[] {
  const chars = [...folded];
  const isLetter = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);
  let lead = 0;
  while (lead < chars.length && !isLetter(chars[lead])) lead++;
  let trail = 0;
  while (trail < chars.length - lead && !isLetter(chars[chars.length - 1 - trail])) trail++;
  const found = new Set<string>();
  for (let start = Math.max(0, lead - MAX_DECORATION); start <= lead; start++) {
    for (let cut = Math.max(0, trail - MAX_DECORATION); cut <= trail; cut++) {
      const middle = chars.slice(start, chars.length - cut);
      const plain = middle.join('').replace(/[\s._-]+/g, '');
      const readBack = middle.map((c) => LOOK_ALIKES[c] ?? c).join('').replace(/[\s._-]+/g, '');
      if (plain !== '') found.add(plain);
      if (readBack !== '') found.add(readBack);
    }
  }
  return [...found];
}

function isRepeated(folded: string): boolean {
  const chars = [...folded];
  for (let size = 1; size <= 4 && size * 2 <= chars.length; size++) {
    if (chars.every((c, i) => c === chars[i % size])) return true;
  }
  return false;
}

function isSequence(folded: string): boolean {
  const plain = folded.replace(/\s+/g, '');
  if (plain.length < 3) return false;
  return SEQUENCES.some((sequence) => {
    const forwards = sequence.repeat(Math.ceil(plain.length / sequence.length) + 2);
    const backwards = [...forwards].reverse().join('');
    return forwards.includes(plain) || backwards.includes(plain);
  });
}

/** Why this password is easy to guess, or undefined when it is not. */
export function deniedBecause(password: string, personalWords: readonly string[] = []): DenyReason | undefined {
  const folded = fold(password);
  const list = commonPasswordList();
  if (list.has(folded)) return 'common';
  if (isRepeated(folded) || isSequence(folded)) return 'pattern';
  const candidates = cores(folded);
  if (candidates.some((core) => SERVICE_WORDS.includes(core))) return 'service';
  const personal = personalWords
    .flatMap((word) => {
      const w = fold(word);
      // An email address counts as a whole and by its local part; a name as a whole and by each part.
      return [w, w.split('@')[0] ?? '', ...w.split(/[\s@._-]+/), w.replace(/[\s._-]+/g, '')];
    })
    .filter((w) => characters(w) >= 3);
  if (candidates.some((core) => personal.includes(core))) return 'personal';
  if (candidates.some((core) => list.has(core))) return 'common';
  if (candidates.some((core) => characters(core) >= 3 && (isRepeated(core) || isSequence(core)))) return 'pattern';
  return undefined;
}

const DENIED_MESSAGES: Readonly<Record<DenyReason, string>> = {
  common: 'Choose a password that is harder to guess: this one is too common. A good password is 3 or more random words',
  service: 'Choose a password that is harder to guess: do not base it on the name of this service or the word "password"',
  personal: 'Choose a password that is harder to guess: do not base it on your name or email address',
  pattern: 'Choose a password that is harder to guess: repeated characters and sequences like "abcd" or "1234" are easy to guess',
};

export function checkPassword(password: string, context: PasswordContext): PasswordCheck {
  const length = characters(password);
  const minimum = context.hasMfa ? MIN_LENGTH_WITH_MFA : MIN_LENGTH;
  if (length === 0) return { ok: false, problem: 'missing', message: 'Enter a password' };
  if (length < minimum) return { ok: false, problem: 'too-short', message: `Password must be ${minimum} characters or more` };
  if (length > MAX_LENGTH) return { ok: false, problem: 'too-long', message: `Password must be ${MAX_LENGTH} characters or fewer` };
  const denied = deniedBecause(password, context.personalWords);
  if (denied !== undefined) return { ok: false, problem: denied, message: DENIED_MESSAGES[denied] };
  return { ok: true };
}
