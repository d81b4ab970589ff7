/**
 * The payment file a run sends to the bank, and the remittance notice each family gets (issue 6).
 * Pure: no I/O, no clock. The layout is documented for finance officers in docs/payment-file.md.
 *
 * - One row per payee per run: a late run can pay a family two instalments at once, and the family
 *   receives one payment for both (the remittance says what it covers). Rows are ordered by payee
 *   reference so the same run always gives the same file.
 * - Amounts are exact from pence ("1234.56": no £, no commas, no float on the way).
 * - Spreadsheet formulas are defused: a cell beginning with =, +, -, @ (or a tab or carriage
 *   return, which some spreadsheets also treat as the start of a formula) is prefixed with ', so a
 *   name such as "=HYPERLINK(…)" is shown as text, not run, when someone opens the file (OWASP, CSV
 *   injection).
 * - Nothing is written when any payee lacks usable bank details: the problems are returned instead,
 *   so a file never pays some families and silently skips others.
 */
import { stringify } from 'csv-stringify/sync';
import { formatPence, penceToDecimal, type Pence } from '../money/money.ts';
import { compareDates, earlierOf, isIsoDate, laterOf, longDate } from '../pathway/dates.ts';
import type { DueInstalment } from './run.ts';

export const PAYMENT_FILE_COLUMNS = ['payee_reference', 'payee_name', 'sort_code', 'account_number', 'amount', 'payment_date', 'reference'] as const;

/** A direct payment holder's bank details (the account the direct payment is paid into). */
export interface PayeeBankDetails {
  /** The council's reference for the payee (for example their finance system supplier number). */
  readonly reference: string;
  readonly name: string;
  /** Six digits; spaces and hyphens are ignored ("12-34-56"). */
  readonly sortCode: string;
  /** Eight digits. */
  readonly accountNumber: string;
}

export interface PaymentFileInput {
  /** A short run reference (letters and digits), used in each payment's bank reference. */
  readonly runReference: string;
  readonly paymentDate: string;
  readonly dues: readonly DueInstalment[];
  /** Bank details by person id (the direct payment holder). */
  readonly payees: ReadonlyMap<string, PayeeBankDetails>;
}

export interface PaymentFileRow {
  readonly personId: string;
  readonly payeeReference: string;
  readonly payeeName: string;
  readonly sortCode: string;
  readonly accountNumber: string;
  readonly amountPence: Pence;
  /** `amountPence` as "1234.56". */
  readonly amount: string;
  readonly paymentDate: string;
  /** `OB-<run>-<n>`, n = the row's number in the file from 1. */
  readonly reference: string;
}

export interface PaymentFileProblem {
  readonly personId: string;
  readonly message: string;
}

export type PaymentFileResult =
  | { readonly ok: true; readonly csv: string; readonly rows: readonly PaymentFileRow[]; readonly totalPence: Pence }
  | { readonly ok: false; readonly problems: readonly PaymentFileProblem[] };

/** Bacs (the UK bulk payment scheme) carries at most 18 characters of payment reference. */
export const MAX_BANK_REFERENCE = 18;

/** A cell a spreadsheet would read as a formula, made plain text by a leading '. */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function digitsOnly(value: string): string {
  return value.replace(/[\s-]/g, '');
}

function detailProblems(personId: string, payee: PayeeBankDetails | undefined): PaymentFileProblem[] {
  if (payee === undefined) return [{ personId, message: 'No bank details are recorded for this direct payment holder' }];
  const problems: PaymentFileProblem[] = [];
  if (payee.reference.trim() === '') problems.push({ personId, message: 'The payee has no reference' });
  if (payee.name.trim() === '') problems.push({ personId, message: 'The payee has no name' });
  if (!/^\d{6}$/.test(digitsOnly(payee.sortCode))) problems.push({ personId, message: 'The sort code must be 6 digits' });
  if (!/^\d{8}$/.test(digitsOnly(payee.accountNumber))) problems.push({ personId, message: 'The account number must be 8 digits' });
  return problems;
}

/** The dues of a run grouped by person, in order of first appearance. */
function byPerson(dues: readonly DueInstalment[]): Map<string, DueInstalment[]> {
  const groups = new Map<string, DueInstalment[]>();
  for (const due of dues) {
    const group = groups.get(due.personId);
    if (group === undefined) groups.set(due.personId, [due]);
    else group.push(due);
  }
  return groups;
}

function requireFileInput(input: PaymentFileInput): void {
  if (!isIsoDate(input.paymentDate)) throw new RangeError(`The payment date must be a real date written YYYY-MM-DD (got "${input.paymentDate}")`);
  if (!/^[A-Za-z0-9]+$/.test(input.runReference)) throw new RangeError('The run reference must be letters and digits only');
  // The longest reference this file will carry: OB-<run>-<number of rows>.
  const longest = `OB-${input.runReference}-${byPerson(input.dues).size}`;
  if (longest.length > MAX_BANK_REFERENCE) throw new RangeError(`Bank references are at most ${MAX_BANK_REFERENCE} characters: shorten the run reference`);
}

/** The payment file for a run: one row per payee, or the problems that stop it being written. */
export function paymentFile(input: PaymentFileInput): PaymentFileResult {
  requireFileInput(input);
  const groups = byPerson(input.dues);
  const problems = [...groups.keys()].flatMap((personId) => detailProblems(personId, input.payees.get(personId)));
  if (problems.length > 0) return { ok: false, problems };

  const unnumbered = [...groups].flatMap(([personId, dues]) => {
    const payee = input.payees.get(personId);
    const amountPence = dues.reduce((sum, d) => sum + d.instalment.amountPence, 0n);
    return payee === undefined ? [] : [{ personId, payee, amountPence }]; // none is missing: checked above
  });
  unnumbered.sort((a, b) => compareText(a.payee.reference, b.payee.reference) || compareText(a.personId, b.personId));
  const rows = unnumbered.map(({ personId, payee, amountPence }, i): PaymentFileRow => ({
    personId,
    payeeReference: payee.reference.trim(),
    payeeName: payee.name.trim(),
    sortCode: digitsOnly(payee.sortCode),
    accountNumber: digitsOnly(payee.accountNumber),
    amountPence,
    amount: penceToDecimal(amountPence),
    paymentDate: input.paymentDate,
    reference: `OB-${input.runReference}-${i + 1}`,
  }));
  const records = rows.map((r) => [r.payeeReference, r.payeeName, r.sortCode, r.accountNumber, r.amount, r.paymentDate, r.reference].map(guardFormula));
  const csv = stringify([[...PAYMENT_FILE_COLUMNS], ...records], { record_delimiter: 'windows' });
  return { ok: true, csv, rows, totalPence: rows.reduce((sum, r) => sum + r.amountPence, 0n) };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/* ---- Remittance notices ------------------------------------------------------------------------ */

export interface RemittanceNotice {
  readonly personId: string;
  readonly amountPence: Pence;
  readonly paidOn: string;
  /** The first and last day the payment covers. */
  readonly coversFrom: string;
  readonly coversTo: string;
  /** What the payment is made up of, by funding stream, in the order first met. */
  readonly parts: readonly { readonly label: string; readonly pence: Pence }[];
}

/** One notice per person paid in the run; `streamName` gives each stream's plain name ("education"). */
export function remittanceNotices(dues: readonly DueInstalment[], paidOn: string, streamName: (streamId: string) => string): RemittanceNotice[] {
  return [...byPerson(dues)].map(([personId, own]) => {
    const parts = new Map<string, Pence>();
    for (const due of own) for (const p of due.instalment.byStream) parts.set(p.streamId, (parts.get(p.streamId) ?? 0n) + p.pence);
    return {
      personId,
      amountPence: own.reduce((sum, d) => sum + d.instalment.amountPence, 0n),
      paidOn,
      coversFrom: own.map((d) => d.instalment.periodFrom).reduce(earlierOf),
      coversTo: own.map((d) => d.instalment.periodTo).reduce(laterOf),
      parts: [...parts].filter(([, pence]) => pence !== 0n).map(([streamId, pence]) => ({ label: streamName(streamId), pence })),
    };
  });
}

/**
 * The notice in plain English, for example: "We have paid £1,000.00 into your direct payment
 * account on 1 May 2026. It covers 1 May 2026 to 31 May 2026. It is made up of: education £600.00,
 * social care £400.00."
 */
export function remittanceText(notice: RemittanceNotice): string {
  if (compareDates(notice.coversTo, notice.coversFrom) < 0) throw new RangeError('A remittance cannot end before it starts');
  const sentences = [
    `We have paid ${formatPence(notice.amountPence)} into your direct payment account on ${longDate(notice.paidOn)}.`,
    `It covers ${longDate(notice.coversFrom)} to ${longDate(notice.coversTo)}.`,
  ];
  if (notice.parts.length > 0) sentences.push(`It is made up of: ${notice.parts.map((p) => `${p.label} ${formatPence(p.pence)}`).join(', ')}.`);
  return sentences.join(' ');
}
