/**
 * The forms of the calibration and what-if pages: the test group upload (a name and a CSV file) and
 * the calibration options (model version, tolerance, budget envelope per stream), checked, as what
 * the services take or as errors next to the fields. A bad value is an error, never a default.
 */
import { STREAM_CODES, STREAM_LABELS, type StreamCode } from '../../../domain/allocation/model.ts';
import type { ValidationError } from '../../../domain/allocation/validate.ts';
import { parsePounds, type Pence } from '../../../domain/money/money.ts';

export interface FieldError {
  readonly field: string;
  readonly text: string;
}

// ---- Uploading a test group ---------------------------------------------------------------------

export const TEST_GROUP_NAME_MAX = 100;

export interface UploadValues {
  readonly name: string;
}

export type UploadForm =
  | { readonly ok: true; readonly values: UploadValues; readonly name: string; readonly csv: string }
  | { readonly ok: false; readonly values: UploadValues; readonly errors: readonly FieldError[] };

export const EMPTY_UPLOAD: UploadValues = { name: '' };

/**
 * A CSV file's text. Spreadsheets save "CSV UTF-8" or, on Windows, "CSV (comma delimited)" in
 * Windows-1252 (where £ is one byte that is not UTF-8): read UTF-8 when the bytes are UTF-8, else
 * Windows-1252, so that "£2,720" reads the same either way.
 */
export function csvText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export function readUploadForm(body: Readonly<Record<string, unknown>>): UploadForm {
  const values: UploadValues = { name: typeof body.name === 'string' ? body.name.trim().slice(0, TEST_GROUP_NAME_MAX + 100) : '' };
  const errors: FieldError[] = [];
  if (values.name === '') errors.push({ field: 'name', text: 'Enter a name for the test group' });
  else if (values.name.length > TEST_GROUP_NAME_MAX) errors.push({ field: 'name', text: `The name must be ${TEST_GROUP_NAME_MAX} characters or fewer` });
  else if (/[\p{Cc}\p{Cf}]/u.test(values.name)) errors.push({ field: 'name', text: 'The name must only include letters, numbers, spaces and punctuation' });
  const file = body.testGroupFile;
  if (!Buffer.isBuffer(file) || file.length === 0) errors.push({ field: 'testGroupFile', text: 'Choose a CSV file of the test group' });
  if (errors.length > 0 || !Buffer.isBuffer(file)) return { ok: false, values, errors };
  return { ok: true, values, name: values.name, csv: csvText(file) };
}

/** "row 3, column "x"" → "Row 3, column "x"": the service's places, as the start of a sentence. */
const capitalise = (text: string) => (text === '' ? text : `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`);

/** The file's problems as errors on the file field, each naming its row and column. */
export function fileErrors(errors: readonly ValidationError[]): FieldError[] {
  return errors.map((e) => ({ field: 'testGroupFile', text: e.path === '' || e.path === 'file' ? e.message : `${capitalise(e.path)}: ${e.message}` }));
}

// ---- Calibration options ------------------------------------------------------------------------

export const DEFAULT_TOLERANCE_PERCENT = 25;
export const MAX_TOLERANCE_PERCENT = 1000;

export interface CalibrationValues {
  readonly version: string;
  readonly tolerance: string;
  /** What was typed for each stream's envelope, in pounds. */
  readonly envelopes: Readonly<Partial<Record<StreamCode, string>>>;
}

export interface CalibrationQuery {
  readonly values: CalibrationValues;
  readonly errors: readonly FieldError[];
  /** What the service takes; a value with an error is left out (the page then shows no report). */
  readonly options: {
    readonly version: number | undefined;
    readonly tolerancePercent: number;
    readonly envelopePence: Partial<Record<StreamCode, Pence>>;
  };
}

export const envelopeField = (stream: StreamCode) => `envelope_${stream}`;

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.trim().slice(0, max) : '');

export function readCalibrationQuery(query: Readonly<Record<string, unknown>>): CalibrationQuery {
  const envelopes: Partial<Record<StreamCode, string>> = {};
  for (const stream of STREAM_CODES) {
    const typed = text(query[envelopeField(stream)], 40);
    if (typed !== '') envelopes[stream] = typed;
  }
  const values: CalibrationValues = { version: text(query.version, 12), tolerance: text(query.tolerance, 12), envelopes };
  const errors: FieldError[] = [];

  let version: number | undefined;
  if (values.version !== '') {
    if (/^\d{1,9}$/.test(values.version) && Number(values.version) >= 1) version = Number(values.version);
    else errors.push({ field: 'version', text: 'Select a model version from the list' });
  }

  let tolerancePercent = DEFAULT_TOLERANCE_PERCENT;
  if (values.tolerance !== '') {
    const typed = values.tolerance.replace(/%$/, '').trim();
    if (!/^\d+$/.test(typed)) errors.push({ field: 'tolerance', text: 'The tolerance must be a whole number of per cent, like 25' });
    else if (Number(typed) > MAX_TOLERANCE_PERCENT) errors.push({ field: 'tolerance', text: `The tolerance must be ${MAX_TOLERANCE_PERCENT}% or less` });
    else tolerancePercent = Number(typed);
  }

  const envelopePence: Partial<Record<StreamCode, Pence>> = {};
  for (const stream of STREAM_CODES) {
    const typed = envelopes[stream];
    if (typed === undefined) continue;
    const parsed = parsePounds(typed);
    const label = STREAM_LABELS[stream].toLowerCase();
    if (parsed.ok) envelopePence[stream] = parsed.pence;
    else if (parsed.error === 'too_large') errors.push({ field: envelopeField(stream), text: `The budget envelope for ${label} is too large` });
    else errors.push({ field: envelopeField(stream), text: `Enter the budget envelope for ${label} in pounds, like 250000 or 250,000.00` });
  }
  return { values, errors, options: { version, tolerancePercent, envelopePence } };
}
