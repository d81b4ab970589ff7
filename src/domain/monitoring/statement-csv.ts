/**
 * Reading a direct payment statement CSV (the layout is documented for families and finance
 * officers in docs/statement-csv.md).
 *
 * The rules a newcomer may ask about:
 * - All or nothing: if any row has a problem, nothing is imported, and every problem in the file is
 *   reported with its spreadsheet row (header = row 1) and column, so the person can fix the file in
 *   one go rather than upload it again and again.
 * - Money is whole pence in a bigint, read with `parsePounds` (never a float). An amount is always
 *   positive; money coming back (a refund) is said so in the optional `type` column, so a stray
 *   minus sign can never turn spending into income.
 * - Unknown columns are refused, not ignored: a misspelt column ("ammount") or a column the person
 *   expects us to keep ("notes") would otherwise be dropped without a word.
 * - The fingerprint lets the service spot the same statement uploaded twice, whatever the line
 *   endings, column order, spacing, date style or row order.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { formatPence, parsePounds, penceToDecimal, type Pence } from '../money/money.ts';
import { compareDates, isIsoDate, longDate } from '../pathway/dates.ts';

/** One line of spending or refund on a direct payment account, as read from a statement. */
export interface StatementLine {
  /** The spreadsheet row it came from (header = row 1), for messages and audit. */
  readonly row: number;
  /** 'YYYY-MM-DD'. */
  readonly date: string;
  /** Trimmed, runs of spaces made one. */
  readonly payee: string;
  /** The council's category code (a label in the file is turned into its code). */
  readonly category: string;
  /** Always more than zero; `type` says which way the money went. */
  readonly amountPence: Pence;
  readonly type: StatementLineType;
  /** '' when not given. */
  readonly reference: string;
}

export type StatementLineType = 'spend' | 'refund';

export interface StatementCategory {
  readonly code: string;
  readonly label: string;
}

export interface StatementCsvOptions {
  readonly categories: readonly StatementCategory[];
  /** When given, lines dated before it are refused (they belong to an earlier statement). */
  readonly periodStart?: string;
  /** 'YYYY-MM-DD': lines dated after it are refused. */
  readonly today: string;
}

/**
 * `row` is the spreadsheet row (header = 1, first line of spending = 2); 0 means the whole file.
 * `column` is the column's name as documented ('' when the problem is the whole row or file).
 */
export interface StatementCsvError {
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

export type StatementCsvResult =
  | { readonly ok: true; readonly lines: readonly StatementLine[]; readonly fingerprint: string }
  | { readonly ok: false; readonly errors: readonly StatementCsvError[] };

/** Far above one purchase a family makes; a bigger figure is almost always a typing slip. */
export const MAX_LINE_PENCE: Pence = 2_500_000n; // £25,000
/** A year of daily spending several times over; bigger files should be split. */
export const MAX_STATEMENT_ROWS = 5_000;
/** 2 MB: room for 5,000 full rows, small enough to read in one go. */
export const MAX_STATEMENT_BYTES = 2_000_000;
export const MAX_PAYEE_CHARS = 200;
export const MAX_REFERENCE_CHARS = 100;

export const REQUIRED_COLUMNS = ['date', 'payee', 'category', 'amount'] as const;
export const OPTIONAL_COLUMNS = ['reference', 'type'] as const;
type ColumnName = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
const ALL_COLUMNS: readonly ColumnName[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

const FILE = 0;
const HEADER_ROW = 1;

export function parseStatementCsv(text: string, options: StatementCsvOptions): StatementCsvResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_STATEMENT_BYTES) {
    return fail([{ row: FILE, column: '', message: 'The file must be smaller than 2 MB. Split the statement into smaller files' }]);
  }
  const records = readRecords(text);
  if (!records.ok) return fail([records.error]);
  const [header, ...rest] = records.value;
  if (header === undefined || isBlank(header)) {
    return fail([{ row: HEADER_ROW, column: '', message: 'The file is empty. The first row must name the columns: date, payee, category, amount' }]);
  }
  const columns = readHeader(header);
  if (!columns.ok) return fail(columns.errors);
  // Blank rows (empty, or only commas) are skipped, but keep their place in the row numbering.
  const dataRows = rest.map((values, index) => ({ values, row: index + 2 })).filter((r) => !isBlank(r.values));
  if (dataRows.length === 0) {
    return fail([{ row: FILE, column: '', message: 'The file has no spending lines. Add one line for each payment under the header row' }]);
  }
  if (dataRows.length > MAX_STATEMENT_ROWS) {
    const first = dataRows[MAX_STATEMENT_ROWS]?.row ?? FILE;
    return fail([{ row: first, column: '', message: `A file can have up to ${MAX_STATEMENT_ROWS.toLocaleString('en-GB')} lines. Split the statement into smaller files` }]);
  }
  const errors: StatementCsvError[] = [];
  const lines: StatementLine[] = [];
  for (const { values, row } of dataRows) {
    const line = readLine(values, row, columns.value, options);
    if (line.ok) lines.push(line.value);
    else errors.push(...line.errors);
  }
  if (errors.length > 0) return fail(errors);
  return { ok: true, lines, fingerprint: statementFingerprint(lines) };
}

function fail(errors: readonly StatementCsvError[]): StatementCsvResult {
  return { ok: false, errors };
}

// --- Reading the file --------------------------------------------------------------------------

type Records = { ok: true; value: string[][] } | { ok: false; error: StatementCsvError };

/**
 * csv-parse does the CSV itself: quotes, commas inside quotes, line breaks inside quotes, CRLF or
 * LF, a byte order mark from Excel. Rows of the wrong length are kept (relax_column_count) so that
 * we can say which row is wrong rather than fail the whole file with a parser message.
 */
function readRecords(text: string): Records {
  try {
    const value = parse(text, {
      bom: true,
      relax_column_count: true,
      relax_quotes: true, // a stray quote inside a value (5" screen) is kept as written
      skip_empty_lines: false, // blank rows are skipped later, so row numbers match the spreadsheet
      max_record_size: 10_000, // one row this long means a missing closing quote or a wrong separator
    });
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: csvParseError(error) };
  }
}

function csvParseError(error: unknown): StatementCsvError {
  const details = typeof error === 'object' && error !== null ? (error as { code?: unknown; records?: unknown }) : {};
  // `records` counts the rows read before the problem, so the problem is on the next one.
  const row = typeof details.records === 'number' ? details.records + 1 : FILE;
  if (details.code === 'CSV_QUOTE_NOT_CLOSED' || details.code === 'CSV_MAX_RECORD_SIZE') {
    return { row, column: '', message: 'A value starting with a quotation mark (") is not closed. Close the quotation marks, or remove them' };
  }
  return { row, column: '', message: 'The file could not be read as CSV. Save it from your spreadsheet as "CSV (comma delimited)"' };
}

function isBlank(values: readonly string[]): boolean {
  return values.every((value) => value.trim() === '');
}

type ColumnIndex = Readonly<Partial<Record<ColumnName, number>>>;
type HeaderResult = { ok: true; value: ColumnIndex } | { ok: false; errors: StatementCsvError[] };

/** Column names in any case and order, with spaces around them ignored. */
function readHeader(header: readonly string[]): HeaderResult {
  const names = header.map((name) => name.trim().toLowerCase());
  if (names.length === 1 && /[;\t|]/.test(names[0] ?? '')) {
    return {
      ok: false,
      errors: [{ row: HEADER_ROW, column: '', message: 'Separate the columns with commas. Save the file from your spreadsheet as "CSV (comma delimited)"' }],
    };
  }
  const errors: StatementCsvError[] = [];
  const index: Partial<Record<ColumnName, number>> = {};
  names.forEach((name, position) => {
    if (name === '') return; // an unnamed, empty trailing column from a spreadsheet is harmless
    if (!isColumnName(name)) {
      errors.push({ row: HEADER_ROW, column: header[position]?.trim() ?? name, message: `Remove the column "${header[position]?.trim() ?? name}". The columns can be: ${ALL_COLUMNS.join(', ')}` });
    } else if (index[name] !== undefined) {
      errors.push({ row: HEADER_ROW, column: name, message: `The column "${name}" appears twice. Keep only one` });
    } else {
      index[name] = position;
    }
  });
  for (const name of REQUIRED_COLUMNS) {
    if (index[name] === undefined) {
      errors.push({ row: HEADER_ROW, column: name, message: `Add a column named "${name}". The first row must name the columns: ${REQUIRED_COLUMNS.join(', ')}` });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: index };
}

function isColumnName(name: string): name is ColumnName {
  return (ALL_COLUMNS as readonly string[]).includes(name);
}

// --- Reading one row ---------------------------------------------------------------------------

type LineResult = { ok: true; value: StatementLine } | { ok: false; errors: StatementCsvError[] };

function readLine(values: readonly string[], row: number, columns: ColumnIndex, options: StatementCsvOptions): LineResult {
  // A value under no named column would be lost without a word: usually a comma inside a value.
  const named = new Set(Object.values(columns));
  const stray = values.some((value, position) => !named.has(position) && value.trim() !== '');
  if (stray) {
    return {
      ok: false,
      errors: [{ row, column: '', message: 'This row has more values than there are named columns. Put quotation marks around any value that contains a comma' }],
    };
  }
  const cell = (name: ColumnName): string => {
    const position = columns[name];
    return position === undefined ? '' : (values[position] ?? '').trim();
  };
  const date = readDate(cell('date'), options);
  const payee = readText(cell('payee'), { required: true, max: MAX_PAYEE_CHARS, what: 'who was paid' });
  const category = readCategory(cell('category'), options.categories);
  const amount = readAmount(cell('amount'));
  const reference = readText(cell('reference'), { required: false, max: MAX_REFERENCE_CHARS, what: 'the reference' });
  const type = readType(cell('type'));
  const results = { date, payee, category, amount, reference, type };
  const errors = Object.entries(results).flatMap(([column, result]) => (result.ok ? [] : [{ row, column, message: result.message }]));
  if (!date.ok || !payee.ok || !category.ok || !amount.ok || !reference.ok || !type.ok) return { ok: false, errors };
  return {
    ok: true,
    value: { row, date: date.value, payee: payee.value, category: category.value, amountPence: amount.value, type: type.value, reference: reference.value },
  };
}

const SLASH_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** 'YYYY-MM-DD' or the UK spreadsheet style 'DD/MM/YYYY' (day first, four-figure year). */
export function readStatementDate(text: string): string | null {
  if (isIsoDate(text)) return text;
  const match = SLASH_DATE.exec(text);
  if (!match) return null;
  const iso = `${match[3]}-${(match[2] ?? '').padStart(2, '0')}-${(match[1] ?? '').padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null; // 31/02/2026 is not a date
}

function readDate(text: string, options: StatementCsvOptions): FieldResult<string> {
  if (text === '') return { ok: false, message: 'Enter the date of the payment, like 27/03/2026' };
  const date = readStatementDate(text);
  if (date === null) {
    return SLASH_DATE.test(text) || /^\d{4}-\d{2}-\d{2}$/.test(text)
      ? { ok: false, message: 'The date must be a real date, like 27/03/2026' }
      : { ok: false, message: 'Enter the date as day/month/year, like 27/03/2026' };
  }
  if (compareDates(date, options.today) > 0) return { ok: false, message: 'The date must be today or in the past' };
  if (options.periodStart !== undefined && compareDates(date, options.periodStart) < 0) {
    return { ok: false, message: `The date must be on or after ${longDate(options.periodStart)}, when this statement starts` };
  }
  return { ok: true, value: date };
}

function normaliseSpaces(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

function readText(text: string, rule: { required: boolean; max: number; what: string }): FieldResult<string> {
  const value = normaliseSpaces(text);
  if (rule.required && value === '') return { ok: false, message: `Enter ${rule.what}` };
  // Characters as a person counts them, not UTF-16 units (an emoji is one).
  if ([...value].length > rule.max) return { ok: false, message: `${capitalise(rule.what)} must be ${rule.max} characters or fewer` };
  return { ok: true, value };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A code or a label from the council's list, in any case: 'respite' or 'Short breaks and respite'. */
function readCategory(text: string, categories: readonly StatementCategory[]): FieldResult<string> {
  const wanted = normaliseSpaces(text).toLowerCase();
  const found = categories.find((c) => c.code.toLowerCase() === wanted || normaliseSpaces(c.label).toLowerCase() === wanted);
  if (found) return { ok: true, value: found.code };
  const allowed = categories.map((c) => c.label).join(', ');
  return wanted === ''
    ? { ok: false, message: `Enter a category. The categories are: ${allowed}` }
    : { ok: false, message: `"${text}" is not a category. Enter one of: ${allowed}` };
}

function readAmount(text: string): FieldResult<Pence> {
  if (text === '') return { ok: false, message: 'Enter the amount in pounds and pence, like 12.50' };
  if (/^[-−(]|^£\s*[-−]/.test(text)) {
    return { ok: false, message: 'Enter the amount without a minus sign. For money paid back to you, enter refund in the type column' };
  }
  if (/\.\d{3,}$/.test(text)) return { ok: false, message: 'The amount must have no more than 2 decimal places, like 12.50' };
  const parsed = parsePounds(text);
  if (!parsed.ok) {
    return parsed.error === 'too_large'
      ? { ok: false, message: `The amount must be ${formatPence(MAX_LINE_PENCE)} or less` }
      : { ok: false, message: 'Enter the amount in pounds and pence, like 12.50' };
  }
  if (parsed.pence === 0n) return { ok: false, message: 'The amount must be more than £0.00' };
  if (parsed.pence > MAX_LINE_PENCE) return { ok: false, message: `The amount must be ${formatPence(MAX_LINE_PENCE)} or less` };
  return { ok: true, value: parsed.pence };
}

/** Blank means spending; the column itself is optional. */
function readType(text: string): FieldResult<StatementLineType> {
  const value = text.toLowerCase();
  if (value === '' || value === 'spend') return { ok: true, value: 'spend' };
  if (value === 'refund') return { ok: true, value: 'refund' };
  return { ok: false, message: 'Enter spend or refund as the type, or leave it blank for spending' };
}

// --- Fingerprint and writing -------------------------------------------------------------------

/**
 * sha256 of the lines in a normal form (ISO date, payee in lower case with single spaces, category
 * code, pence, type, reference), sorted, so the same spending gives the same fingerprint whatever
 * the file looked like. Row numbers are left out: reordering rows changes them.
 */
export function statementFingerprint(lines: readonly StatementLine[]): string {
  const normal = lines
    .map((l) => JSON.stringify([l.date, l.payee.toLowerCase(), l.category, l.amountPence.toString(), l.type, l.reference.toLowerCase()]))
    .sort();
  return createHash('sha256').update(normal.join('\n')).digest('hex');
}

/** Writes lines in the documented layout (ISO dates, category codes), e.g. for a template or a download. */
export function formatStatementCsv(lines: readonly StatementLine[]): string {
  const rows = lines.map((l) => [l.date, l.payee, l.category, penceToDecimal(l.amountPence), l.reference, l.type]);
  return stringify([['date', 'payee', 'category', 'amount', 'reference', 'type'], ...rows], { record_delimiter: 'unix' });
}

