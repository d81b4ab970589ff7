/**
 * Money is whole pence in a bigint, end to end. User input is parsed from a string with a strict
 * pattern, never through a float; display writes en-GB pounds ("£1,234.56") from the digits.
 */
export type Pence = bigint;

/** Commas between each group of three digits, as en-GB writes whole pounds ("1,234,567"). */
const THOUSANDS = /\B(?=(\d{3})+$)/g;

/** "£1,234.56" — exact for any bigint, however large (no float on the way). */
export function formatPence(pence: Pence): string {
  const negative = pence < 0n;
  const abs = negative ? -pence : pence;
  const pounds = abs / 100n;
  const rest = abs % 100n;
  const poundsText = pounds.toString().replace(THOUSANDS, ',');
  return `${negative ? '−' : ''}£${poundsText}.${rest.toString().padStart(2, '0')}`;
}

/** "£15.50", "£95", "£1,450": whole pounds without pence, for prices in running text. */
export function formatPenceShort(pence: Pence): string {
  const full = formatPence(pence);
  return pence % 100n === 0n ? full.slice(0, -3) : full;
}

/**
 * "1234.56", "-0.05": pounds and pence as plain digits, no £ or commas, exact for any bigint — for
 * form fields and files a spreadsheet or a bank reads as a number. `parsePounds` reads it back.
 */
export function penceToDecimal(pence: Pence): string {
  const abs = pence < 0n ? -pence : pence;
  return `${pence < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export type ParseMoneyResult = { ok: true; pence: Pence } | { ok: false; error: 'empty' | 'format' | 'too_large' };

const MONEY_PATTERN = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;
const MAX_PENCE = 10n ** 13n; // £100 billion: far above any budget, well inside bigint columns

/** Parses "1234.5", "£1,234.50" or "12" into pence. Rejects anything else rather than guessing. */
export function parsePounds(input: string): ParseMoneyResult {
  const text = input.trim();
  if (text === '') return { ok: false, error: 'empty' };
  const match = MONEY_PATTERN.exec(text);
  if (match === null) return { ok: false, error: 'format' };
  const pounds = BigInt((match[1] ?? '0').replaceAll(',', ''));
  const pence = BigInt((match[2] ?? '').padEnd(2, '0'));
  const total = pounds * 100n + pence;
  if (total > MAX_PENCE) return { ok: false, error: 'too_large' };
  return { ok: true, pence: total };
}

export function sumPence(values: Iterable<Pence>): Pence {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}
