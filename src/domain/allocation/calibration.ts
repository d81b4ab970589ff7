/**
 * Calibration: checking a council's allocation model against a test group of people whose current
 * package costs are known. Three pure steps, no I/O:
 *
 *   1. `parseTestGroupCsv` reads the test group from a CSV file (all or nothing, errors name the row
 *      and column as a spreadsheet shows them: the header is row 1, the first person row 2);
 *   2. `fitPricePerPoint` fits the price per point that best turns points into current costs, both
 *      through the origin and with an intercept;
 *   3. `calibrationReport` puts the fits, the people whose allocation is far from their current cost,
 *      and the totals against current spend and the budget envelope side by side.
 *
 * Money: every amount is whole pence in a bigint. The fitted prices are exact: the least-squares
 * price is a ratio of integer sums, computed and rounded (to whole pence, halves away from zero) in
 * bigint arithmetic, so no float ever decides a penny. Floating point is used only for the
 * statistics that describe a fit (R², median absolute percentage error, the unrounded price shown on
 * a chart); from the rounded price on, all money is bigint again.
 */
import { parse } from 'csv-parse/sync';
import { parsePounds, sumPence, type Pence } from '../money/money.ts';
import { STREAM_CODES, STREAM_LABELS, type Answers, type StreamCode } from './model.ts';
import type { ValidationError, Validated } from './validate.ts';

// ---------------------------------------------------------------------------------------------
// 1. The test group CSV.

/**
 * The columns of a test group CSV file, for the upload page to show. A header row is required; the
 * order of columns does not matter; names are matched ignoring case and surrounding spaces.
 *
 * - `reference` (required): the person's reference in the test group, 1 to 40 characters, unique
 *   (ignoring case).
 * - `points_<stream>` for each stream being calibrated (for example `points_social_care`): the
 *   person's points in that stream, a whole number from 0 to 1,000,000. Required unless the file
 *   has an `answers` column instead.
 * - `answers`: instead of points, the person's answers as `questionId=levelId` pairs separated by
 *   semicolons (`mobility=lots;personal-care=some`). They are scored under a model by the caller.
 *   A file gives either points columns or an answers column, not both.
 * - `age`: the person's age in whole years, 0 to 130. Required when the file has an `answers` column
 *   (questions apply by age range, and a model may reduce a budget by age); optional with points,
 *   where it is checked but not used.
 * - `current_<stream>` for each stream being calibrated (required column): the current annual cost in
 *   pounds, like `2720.00`, `2,720.50` or `£2,720`, at most 2 decimal places. Leave the cell empty
 *   when the person has no current package in that stream.
 */
export const TEST_GROUP_CSV_COLUMNS: readonly { readonly name: string; readonly required: string; readonly description: string }[] = [
  { name: 'reference', required: 'Yes', description: 'The person’s reference in the test group, 1 to 40 characters, different on every row.' },
  {
    name: 'points_<stream>',
    required: 'Yes, for each stream, unless the file has an answers column',
    description: 'The person’s points in the stream, a whole number (0 or more). For example points_social_care.',
  },
  {
    name: 'answers',
    required: 'Instead of the points columns',
    description: 'The person’s answers as questionId=levelId pairs separated by semicolons, for example mobility=lots;personal-care=some.',
  },
  {
    name: 'age',
    required: 'Yes, with an answers column (optional with points)',
    description: 'The person’s age in whole years, from 0 to 130. Answers are scored at this age: some questions are only asked at some ages, and a model may reduce a budget by age.',
  },
  {
    name: 'current_<stream>',
    required: 'Yes, for each stream (the cell may be empty)',
    description: 'The current annual cost of the person’s package in the stream, in pounds, for example 2720.00 or 2,720.50. Leave empty when there is no current package.',
  },
];

/** The most people a test group file may hold. */
export const MAX_TEST_GROUP_ROWS = 50_000;
/** The most errors a refused file reports (the first ones, in file order). */
export const MAX_TEST_GROUP_ERRORS = 100;
/** The most points a person may have in one stream. */
export const MAX_TEST_GROUP_POINTS = 1_000_000;
/** The oldest age, in whole years, a test group file may give. */
export const MAX_TEST_GROUP_AGE = 130;
const MAX_REFERENCE_LENGTH = 40;

/** One person of a test group, as read from the CSV. */
export interface TestGroupRow {
  /** The row in the file as a spreadsheet numbers it (the header is row 1). */
  readonly row: number;
  readonly reference: string;
  /** Points per stream, when the file has points columns (empty when it has answers). */
  readonly points: Readonly<Partial<Record<StreamCode, number>>>;
  /** Question id to level id, when the file has an answers column; not checked against any model. */
  readonly answers: Answers | null;
  /** Age in whole years, when the file has an age column (always, when it has answers); null otherwise. */
  readonly age: number | null;
  /** Current annual cost per stream; a stream is absent when the person has no package in it. */
  readonly currentPence: Readonly<Partial<Record<StreamCode, Pence>>>;
}

/** The header of a blank test group file, for a template download (a file of answers gives ages too). */
export function testGroupCsvHeader(streams: readonly StreamCode[], input: 'points' | 'answers'): string[] {
  const ordered = orderStreams(streams);
  return ['reference', ...(input === 'points' ? ordered.map((s) => `points_${s}`) : ['age', 'answers']), ...ordered.map((s) => `current_${s}`)];
}

class ErrorList {
  readonly errors: ValidationError[] = [];
  get full(): boolean {
    return this.errors.length >= MAX_TEST_GROUP_ERRORS;
  }
  add(path: string, message: string): void {
    if (!this.full) this.errors.push({ path, message });
  }
}

const cellPath = (row: number, column: string) => `row ${row}, column "${column}"`;

/**
 * Reads a test group CSV (see TEST_GROUP_CSV_COLUMNS) for the given streams. All or nothing: any
 * problem gives ok:false with every problem found (up to MAX_TEST_GROUP_ERRORS), each naming the row
 * and column, e.g. `row 3, column "current_social_care"`. Rows whose cells are all empty are skipped
 * (spreadsheets export them) but still counted in the row numbers.
 */
export function parseTestGroupCsv(text: string, streams: readonly StreamCode[]): Validated<TestGroupRow[]> {
  if (streams.length === 0) throw new RangeError('calibrate at least one stream');
  const ordered = orderStreams(streams);
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    const line = typeof error === 'object' && error !== null && 'lines' in error && typeof error.lines === 'number' ? error.lines : null;
    const reason = error instanceof Error && 'code' in error && error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted cell is never closed' : 'it is not a valid CSV file';
    return fail('', `The file cannot be read: ${reason}${line === null ? '' : ` (near line ${line} of the file)`}. Save it from your spreadsheet as “CSV (comma delimited)” and try again.`);
  }

  const isBlank = (record: readonly string[]) => record.every((cell) => cell.trim() === '');
  const header = records[0];
  if (header === undefined || isBlank(header)) return fail('', 'The file is empty. It needs a header row and one row for each person.');
  const dataCount = records.slice(1).filter((r) => !isBlank(r)).length;
  if (dataCount === 0) return fail('row 2', 'The file has a header row but no people. Add one row for each person in the test group.');
  if (dataCount > MAX_TEST_GROUP_ROWS) {
    return fail('', `The file has ${dataCount.toLocaleString('en-GB')} people. A test group can have at most ${MAX_TEST_GROUP_ROWS.toLocaleString('en-GB')}.`);
  }

  // The header.
  const errors = new ErrorList();
  const names = header.map((cell) => cell.trim().toLowerCase());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    const shown = header[i]?.trim() ?? '';
    if (name === '') errors.add(`row 1, column ${i + 1}`, 'The column has no name. Remove the column, or name it.');
    else if (index.has(name)) errors.add(cellPath(1, shown), `The column "${shown}" appears more than once.`);
    else index.set(name, i);
  });
  const known = new Set(['reference', 'answers', 'age', ...ordered.flatMap((s) => [`points_${s}`, `current_${s}`])]);
  for (const [name, i] of index) {
    if (!known.has(name)) {
      const shown = header[i]?.trim() ?? name;
      const otherStream = STREAM_CODES.find((s) => name === `points_${s}` || name === `current_${s}`);
      errors.add(
        cellPath(1, shown),
        otherStream === undefined
          ? `"${shown}" is not a column of a test group file. The columns are: ${testGroupCsvHeader(ordered, 'points').join(', ')} (or age and answers instead of the points columns).`
          : `"${shown}" is for ${STREAM_LABELS[otherStream].toLowerCase()}, which is not being calibrated. Remove the column.`,
      );
    }
  }
  const hasAnswers = index.has('answers');
  const hasAge = index.has('age');
  const pointsColumns = ordered.filter((s) => index.has(`points_${s}`));
  if (!index.has('reference')) errors.add(cellPath(1, 'reference'), 'The column "reference" is missing.');
  if (hasAnswers && pointsColumns.length > 0) {
    for (const s of pointsColumns) errors.add(cellPath(1, `points_${s}`), 'The file has an "answers" column, so it must not have points columns as well. Give either points or answers.');
  }
  if (hasAnswers && !hasAge) errors.add(cellPath(1, 'age'), 'The column "age" is missing. A file of answers needs each person’s age, because answers are scored at that age.');
  if (!hasAnswers) {
    for (const s of ordered) {
      if (!index.has(`points_${s}`)) errors.add(cellPath(1, `points_${s}`), `The column "points_${s}" is missing (or give an "answers" column instead of points).`);
    }
  }
  for (const s of ordered) {
    if (!index.has(`current_${s}`)) errors.add(cellPath(1, `current_${s}`), `The column "current_${s}" is missing. Leave its cells empty for people without a current package.`);
  }
  if (errors.errors.length > 0) return { ok: false, errors: errors.errors };

  // The rows.
  const rows: TestGroupRow[] = [];
  const seen = new Map<string, number>();
  const cellOf = (record: readonly string[], column: string) => (record[index.get(column) ?? -1] ?? '').trim();
  for (let r = 1; r < records.length && !errors.full; r++) {
    const record = records[r] ?? [];
    if (isBlank(record)) continue;
    const row = r + 1;
    if (record.length > header.length) errors.add(`row ${row}`, `The row has ${record.length} cells but the header has ${header.length} columns. Remove the extra cells.`);
    if (record.length < header.length) errors.add(`row ${row}`, `The row has ${record.length} cells but the header has ${header.length} columns. Add the missing cells (they may be empty).`);

    const reference = cellOf(record, 'reference');
    if (reference === '') errors.add(cellPath(row, 'reference'), 'Enter the person’s reference.');
    else if ([...reference].length > MAX_REFERENCE_LENGTH) errors.add(cellPath(row, 'reference'), `The reference must be ${MAX_REFERENCE_LENGTH} characters or fewer.`);
    else {
      const key = reference.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) errors.add(cellPath(row, 'reference'), `The reference "${reference}" is already used on row ${first}. Each person needs a different reference.`);
      else seen.set(key, row);
    }

    const points: Partial<Record<StreamCode, number>> = {};
    for (const s of pointsColumns) {
      const column = `points_${s}`;
      const parsed = parsePoints(cellOf(record, column));
      if (typeof parsed === 'string') errors.add(cellPath(row, column), parsed);
      else points[s] = parsed;
    }

    let answers: Answers | null = null;
    if (hasAnswers) {
      const parsed = parseAnswersCell(cellOf(record, 'answers'));
      if (typeof parsed === 'string') errors.add(cellPath(row, 'answers'), parsed);
      else answers = parsed;
    }

    let age: number | null = null;
    if (hasAge) {
      const cell = cellOf(record, 'age');
      if (cell === '' && hasAnswers) errors.add(cellPath(row, 'age'), 'Enter the person’s age in whole years, from 0 to 130.');
      else if (cell !== '') {
        const parsed = parseAge(cell);
        if (typeof parsed === 'string') errors.add(cellPath(row, 'age'), parsed);
        else age = parsed;
      }
    }

    const currentPence: Partial<Record<StreamCode, Pence>> = {};
    for (const s of ordered) {
      const column = `current_${s}`;
      const cell = cellOf(record, column);
      if (cell === '') continue;
      const parsed = parseCost(cell);
      if (typeof parsed === 'string') errors.add(cellPath(row, column), parsed);
      else currentPence[s] = parsed;
    }
    rows.push({ row, reference, points, answers, age, currentPence });
  }
  return errors.errors.length > 0 ? { ok: false, errors: errors.errors } : { ok: true, value: rows };
}

function fail(path: string, message: string): Validated<never> {
  return { ok: false, errors: [{ path, message }] };
}

function orderStreams(streams: readonly StreamCode[]): StreamCode[] {
  return STREAM_CODES.filter((s) => streams.includes(s));
}

function parsePoints(cell: string): number | string {
  if (cell === '') return 'Enter the points, a whole number (0 or more).';
  if (/^[-−]/.test(cell)) return `The points must not be negative: "${cell}".`;
  if (/^\d+\.\d*$/.test(cell) && !/^\d+\.0*$/.test(cell)) return `The points must be a whole number: "${cell}".`;
  if (!/^\d+(?:\.0*)?$/.test(cell)) return `The points must be a whole number (0 or more): "${cell}" is not a number.`;
  const value = Number(cell);
  if (value > MAX_TEST_GROUP_POINTS) return `The points must be ${MAX_TEST_GROUP_POINTS.toLocaleString('en-GB')} or fewer: "${cell}".`;
  return value;
}

function parseAge(cell: string): number | string {
  if (/^[-−]/.test(cell)) return `The age must not be negative: "${cell}".`;
  if (/^\d+\.\d*$/.test(cell) && !/^\d+\.0*$/.test(cell)) return `The age must be in whole years: "${cell}".`;
  if (!/^\d+(?:\.0*)?$/.test(cell)) return `The age must be a whole number of years, from 0 to ${MAX_TEST_GROUP_AGE}: "${cell}" is not a number.`;
  const value = Number(cell);
  if (value > MAX_TEST_GROUP_AGE) return `The age must be ${MAX_TEST_GROUP_AGE} or under: "${cell}".`;
  return value;
}

function parseCost(cell: string): Pence | string {
  if (/^[-−]/.test(cell) || /^£\s*[-−]/.test(cell) || /^\(.*\)$/.test(cell)) return `The current cost must not be negative: "${cell}". Leave the cell empty if there is no current package.`;
  if (/^£?\s*[\d,]+\.\d{3,}$/.test(cell)) return `The current cost must have at most 2 decimal places (pence): "${cell}".`;
  const parsed = parsePounds(cell);
  if (parsed.ok) return parsed.pence;
  if (parsed.error === 'too_large') return `The current cost is too large: "${cell}".`;
  return `The current cost must be an amount in pounds, like 2720.00 or 2,720.50: "${cell}" is not.`;
}

/** "q1=lots;q2=some" → { q1: 'lots', q2: 'some' }, or the problem in words. */
function parseAnswersCell(cell: string): Answers | string {
  if (cell === '') return 'Enter the person’s answers, as questionId=levelId pairs separated by semicolons.';
  const answers: Record<string, string> = {};
  for (const rawPair of cell.split(';')) {
    const pair = rawPair.trim();
    if (pair === '') continue; // a trailing semicolon
    const eq = pair.indexOf('=');
    const questionId = eq < 0 ? '' : pair.slice(0, eq).trim();
    const levelId = eq < 0 ? '' : pair.slice(eq + 1).trim();
    if (questionId === '' || levelId === '' || levelId.includes('=')) return `"${pair}" is not a questionId=levelId pair.`;
    if (Object.hasOwn(answers, questionId)) return `The question "${questionId}" is answered more than once.`;
    answers[questionId] = levelId;
  }
  return answers;
}

// ---------------------------------------------------------------------------------------------
// 2. Fitting a price per point.

/** A fitted conversion: allocation = points × price + intercept, all in whole pence. */
export interface PriceFit {
  readonly ok: true;
  /** The rows the fit used. */
  readonly rows: number;
  /** The least-squares price rounded to whole pence (halves away from zero). */
  readonly pricePerPointPence: Pence;
  /** 0 for the fit through the origin; for the other fit, the best intercept for the rounded price, rounded to whole pence. */
  readonly interceptPence: Pence;
  /** The unrounded least-squares price in pence, a float, for charts and for showing how much rounding moved it. */
  readonly exactPricePerPointPence: number;
  /**
   * R² = 1 − SSres / SStot of the rounded fit, with SStot centred (Σ(cost − mean cost)²) for both
   * fits, so the two are comparable; for the fit through the origin it can be below 0 (the origin
   * line fits worse than a flat line at the mean). Null when every cost is the same (SStot = 0).
   */
  readonly rSquared: number | null;
  /** The median over rows with a cost above £0 of |fitted − cost| / cost, in percent; null when no row has a cost above £0. */
  readonly medianAbsolutePercentError: number | null;
  /** Σ(cost − fitted)², exact, in pence². */
  readonly sumSquaredResidualsPence2: bigint;
}

/** Why a fit was not possible, in words for the page. */
export interface NoFit {
  readonly ok: false;
  readonly rows: number;
  readonly reason: string;
}

export type FitResult = PriceFit | NoFit;

export interface PriceFits {
  /** cost ≈ points × price (price = Σxy / Σx²): what a price-per-point conversion can publish. */
  readonly throughOrigin: FitResult;
  /** cost ≈ points × price + intercept (ordinary least squares). */
  readonly withIntercept: FitResult;
}

/**
 * Fits the price per point to a test group's points (whole numbers ≥ 0) and current costs (pence),
 * through the origin and with an intercept. Fewer than 2 rows, all points 0, or (for the intercept
 * fit) all points equal give a NoFit with the reason rather than NaN.
 */
export function fitPricePerPoint(points: readonly number[], costsPence: readonly bigint[]): PriceFits {
  if (points.length !== costsPence.length) throw new RangeError(`${points.length} points but ${costsPence.length} costs`);
  for (const p of points) if (!Number.isSafeInteger(p) || p < 0) throw new RangeError(`points must be whole numbers ≥ 0, got ${p}`);
  const n = BigInt(points.length);
  const rows = points.length;
  const xs = points.map((p) => BigInt(p));
  let sx = 0n;
  let sy = 0n;
  let sxx = 0n;
  let sxy = 0n;
  let syy = 0n;
  for (let i = 0; i < rows; i++) {
    const x = xs[i] as bigint;
    const y = costsPence[i] as bigint;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    syy += y * y;
  }
  if (rows < 2) {
    const reason = `A price cannot be fitted to ${rows === 0 ? 'no people' : 'one person'}: the test group needs at least 2 people with a current package.`;
    return { throughOrigin: { ok: false, rows, reason }, withIntercept: { ok: false, rows, reason } };
  }
  // n × SStot, exact: nΣy² − (Σy)².
  const nSsTot = n * syy - sy * sy;
  const describe = (price: Pence, intercept: Pence, exact: number): PriceFit => {
    let ssRes = 0n;
    const percentErrors: number[] = [];
    for (let i = 0; i < rows; i++) {
      const y = costsPence[i] as bigint;
      const residual = y - ((xs[i] as bigint) * price + intercept);
      ssRes += residual * residual;
      if (y > 0n) percentErrors.push((Number(residual < 0n ? -residual : residual) / Number(y)) * 100);
    }
    return {
      ok: true,
      rows,
      pricePerPointPence: price,
      interceptPence: intercept,
      exactPricePerPointPence: exact,
      rSquared: nSsTot === 0n ? null : 1 - Number(n * ssRes) / Number(nSsTot),
      medianAbsolutePercentError: median(percentErrors),
      sumSquaredResidualsPence2: ssRes,
    };
  };

  const throughOrigin: FitResult =
    sxx === 0n
      ? { ok: false, rows, reason: 'A price cannot be fitted when everyone has 0 points: points do not explain any of the cost.' }
      : describe(divideRounded(sxy, sxx), 0n, Number(sxy) / Number(sxx));

  // Slope = (nΣxy − ΣxΣy) / (nΣx² − (Σx)²); the intercept is then the best one for the rounded slope.
  const slopeNumerator = n * sxy - sx * sy;
  const slopeDenominator = n * sxx - sx * sx;
  let withIntercept: FitResult;
  if (slopeDenominator === 0n) {
    withIntercept = {
      ok: false,
      rows,
      reason: sxx === 0n ? 'A price cannot be fitted when everyone has 0 points.' : 'A price with an intercept cannot be fitted when everyone has the same points.',
    };
  } else {
    const price = divideRounded(slopeNumerator, slopeDenominator);
    withIntercept = describe(price, divideRounded(sy - price * sx, n), Number(slopeNumerator) / Number(slopeDenominator));
  }
  return { throughOrigin, withIntercept };
}

/** a / b to the nearest whole number, halves away from zero, exact. */
function divideRounded(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  const negative = a < 0n !== b < 0n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const q = (2n * absA + absB) / (2n * absB);
  return negative ? -q : q;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

// ---------------------------------------------------------------------------------------------
// 3. The calibration report.

/** One person for the report: points and current cost per stream, and optionally the allocation. */
export interface CalibrationRow {
  readonly reference: string;
  /** Points per stream; a person is in a stream's report when they have points in it. */
  readonly points: Readonly<Partial<Record<StreamCode, number>>>;
  /** Current annual cost per stream; absent means no current package (compared as £0, left out of the fits). */
  readonly currentPence: Readonly<Partial<Record<StreamCode, Pence>>>;
  /**
   * The allocation per stream under the model, when the caller scored the person. In a stream, give
   * it for everyone or for no one: when no one has it, the allocation is points × the price fitted
   * through the origin.
   */
  readonly allocationPence?: Readonly<Partial<Record<StreamCode, Pence>>>;
}

export interface CalibrationOptions {
  readonly streams: readonly StreamCode[];
  readonly rows: readonly CalibrationRow[];
  /** A person is listed when the allocation differs from the current cost by more than this percentage of it. Whole number, default 25. */
  readonly tolerancePercent?: number;
  /** The budget available per stream, to compare the total allocation with. */
  readonly envelopePence?: Readonly<Partial<Record<StreamCode, Pence>>>;
}

/** A person whose allocation is outside the tolerance. */
export interface CalibrationOutlier {
  readonly reference: string;
  readonly points: number;
  /** £0 when the person has no current package. */
  readonly currentPence: Pence;
  readonly hasCurrentPackage: boolean;
  readonly allocationPence: Pence;
  /** allocation − current. */
  readonly differencePence: Pence;
  /** The difference as a percentage of the current cost (a float); null when the current cost is £0. */
  readonly percent: number | null;
}

export interface StreamCalibration {
  readonly stream: StreamCode;
  readonly label: string;
  /** People with points in the stream. */
  readonly people: number;
  /** Fitted over the people with points and a current package in the stream. */
  readonly fits: PriceFits;
  /** Where the allocations came from: the caller's model, points × the origin-fitted price, or nowhere (no model and no fit). */
  readonly allocationBasis: 'model' | 'fitted-price' | 'none';
  /** Outside the tolerance, largest absolute difference first (then by reference). Empty when the basis is 'none'. */
  readonly outliers: readonly CalibrationOutlier[];
  readonly currentPence: Pence;
  /** Null when the basis is 'none'. */
  readonly allocationPence: Pence | null;
  readonly envelopePence: Pence | null;
  /** allocation − current. */
  readonly allocationMinusCurrentPence: Pence | null;
  /** envelope − allocation: what is left (negative when the allocations overspend). */
  readonly headroomPence: Pence | null;
}

export interface CalibrationReport {
  readonly tolerancePercent: number;
  readonly streams: readonly StreamCalibration[];
  readonly totals: {
    readonly currentPence: Pence;
    /** Null when some stream has no allocations. */
    readonly allocationPence: Pence | null;
    /** Null unless every stream has an envelope. */
    readonly envelopePence: Pence | null;
    readonly headroomPence: Pence | null;
  };
}

/** The calibration report: per stream the fits, the people outside the tolerance, and totals against current spend and the envelope. */
export function calibrationReport(options: CalibrationOptions): CalibrationReport {
  const tolerancePercent = options.tolerancePercent ?? 25;
  if (!Number.isSafeInteger(tolerancePercent) || tolerancePercent < 0) throw new RangeError(`tolerance must be a whole percentage ≥ 0, got ${tolerancePercent}`);
  const streams = orderStreams(options.streams).map((stream) => calibrateStream(stream, options.rows, tolerancePercent, options.envelopePence?.[stream]));
  const allocations = streams.map((s) => s.allocationPence);
  const envelopes = streams.map((s) => s.envelopePence);
  const allocationPence = allocations.every((a): a is Pence => a !== null) ? sumPence(allocations) : null;
  const envelopePence = envelopes.every((e): e is Pence => e !== null) ? sumPence(envelopes) : null;
  return {
    tolerancePercent,
    streams,
    totals: {
      currentPence: sumPence(streams.map((s) => s.currentPence)),
      allocationPence,
      envelopePence,
      headroomPence: allocationPence === null || envelopePence === null ? null : envelopePence - allocationPence,
    },
  };
}

function calibrateStream(stream: StreamCode, allRows: readonly CalibrationRow[], tolerancePercent: number, envelope: Pence | undefined): StreamCalibration {
  const rows = allRows.filter((r) => r.points[stream] !== undefined);
  const fitted = rows.filter((r) => r.currentPence[stream] !== undefined);
  const fits = fitPricePerPoint(
    fitted.map((r) => r.points[stream] as number),
    fitted.map((r) => r.currentPence[stream] as Pence),
  );
  const given = rows.filter((r) => r.allocationPence?.[stream] !== undefined).length;
  if (given > 0 && given < rows.length) {
    throw new RangeError(`${STREAM_LABELS[stream]}: give an allocation for every person with points, or for none (${given} of ${rows.length} have one)`);
  }
  const price = fits.throughOrigin.ok ? fits.throughOrigin.pricePerPointPence : null;
  const allocationBasis = rows.length > 0 && given === rows.length ? 'model' : price !== null ? 'fitted-price' : 'none';
  const allocationOf = (r: CalibrationRow): Pence | null =>
    allocationBasis === 'model' ? (r.allocationPence?.[stream] as Pence) : price === null ? null : BigInt(r.points[stream] as number) * price;

  const outliers: CalibrationOutlier[] = [];
  let currentTotal = 0n;
  let allocationTotal = 0n;
  for (const r of rows) {
    const current = r.currentPence[stream] ?? 0n;
    currentTotal += current;
    const allocation = allocationOf(r);
    if (allocation === null) continue;
    allocationTotal += allocation;
    const difference = allocation - current;
    const absDifference = difference < 0n ? -difference : difference;
    // Outside the tolerance: |difference| > tolerance% of current, exactly (so any change from £0 is).
    if (absDifference * 100n > BigInt(tolerancePercent) * current) {
      outliers.push({
        reference: r.reference,
        points: r.points[stream] as number,
        currentPence: current,
        hasCurrentPackage: r.currentPence[stream] !== undefined,
        allocationPence: allocation,
        differencePence: difference,
        percent: current === 0n ? null : (Number(difference) / Number(current)) * 100,
      });
    }
  }
  outliers.sort((a, b) => {
    const absA = a.differencePence < 0n ? -a.differencePence : a.differencePence;
    const absB = b.differencePence < 0n ? -b.differencePence : b.differencePence;
    return absA !== absB ? (absA > absB ? -1 : 1) : a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0;
  });
  const allocationPence = allocationBasis === 'none' ? null : allocationTotal;
  const envelopePence = envelope ?? null;
  return {
    stream,
    label: STREAM_LABELS[stream],
    people: rows.length,
    fits,
    allocationBasis,
    outliers,
    currentPence: currentTotal,
    allocationPence,
    envelopePence,
    allocationMinusCurrentPence: allocationPence === null ? null : allocationPence - currentTotal,
    headroomPence: allocationPence === null || envelopePence === null ? null : envelopePence - allocationPence,
  };
}
