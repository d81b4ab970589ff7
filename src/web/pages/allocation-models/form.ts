/**
 * The forms of the allocation model pages: what an administrator sent, checked, as what to do next
 * or as errors to show beside the fields (GOV.UK pattern). Nothing here touches the database.
 */
import { modelToJson, type ValidationError } from '../../../domain/allocation/validate.ts';
import {
  allQuestions,
  modelStreams,
  questionApplies,
  STREAM_LABELS,
  type AllocationModel,
  type Answers,
  type Conversion,
  type StreamCode,
} from '../../../domain/allocation/model.ts';
import { MAX_AGE } from '../../../domain/allocation/schema.ts';
import { parsePounds, penceToDecimal, type ParseMoneyResult, type Pence } from '../../../domain/money/money.ts';
import type { ModelJson } from '../../../domain/allocation/schema.ts';

export interface FieldError {
  readonly field: string;
  readonly text: string;
}

type Body = Readonly<Record<string, unknown>>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The largest model text accepted from the textarea (the upload has its own 5 MB limit). */
export const MODEL_TEXT_MAX = 1_000_000;

// ---- JSON text ----------------------------------------------------------------------------------

/** "line 12, column 5" for a character offset in `source`. */
function lineAndColumn(source: string, offset: number): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Parses JSON text, or says in plain English where it stops being JSON. */
export function readJsonText(source: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(source) as unknown };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(detail);
    const where = position?.[1] === undefined ? '' : ` at ${lineAndColumn(source, Number(position[1]))}`;
    return { ok: false, message: `This is not valid JSON${where}: ${detail.replace(/ in JSON at position \d+.*$/s, '')}.` };
  }
}

/** The model's errors as form errors, each naming its path, all pointing at one field. */
export function modelErrors(errors: readonly ValidationError[], field: string): FieldError[] {
  return errors.map((e) => ({ field, text: e.path === '' ? e.message : `${e.path}: ${e.message}` }));
}

// ---- Start a new draft (copy of a version, or an uploaded file) ---------------------------------

export type NewDraftForm =
  | { readonly ok: true; readonly from: { readonly copyOf: number } | { readonly json: unknown } }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export function readNewDraft(body: Body): NewDraftForm {
  if (body.copyOf !== undefined) {
    const copyOf = text(body.copyOf);
    if (!/^\d{1,9}$/.test(copyOf)) return { ok: false, errors: [{ field: 'copyOf', text: 'Choose a version to copy' }] };
    return { ok: true, from: { copyOf: Number(copyOf) } };
  }
  const file = body.modelFile;
  if (!Buffer.isBuffer(file) || file.length === 0) return { ok: false, errors: [{ field: 'modelFile', text: 'Choose a JSON file of an allocation model' }] };
  const parsed = readJsonText(file.toString('utf8'));
  if (!parsed.ok) return { ok: false, errors: [{ field: 'modelFile', text: `The file is not valid: ${parsed.message}` }] };
  return { ok: true, from: { json: parsed.value } };
}

// ---- Change a draft: its JSON, typed or uploaded ------------------------------------------------

export type ModelTextForm =
  | { readonly ok: true; readonly source: string; readonly json: unknown }
  | { readonly ok: false; readonly source: string; readonly errors: readonly FieldError[] };

/**
 * The model JSON from the textarea (`json`) or an uploaded file (`modelFile`). The text is kept
 * exactly as sent, so the page can show it again with the errors.
 */
export function readModelText(body: Body): ModelTextForm {
  const file = body.modelFile;
  const uploaded = Buffer.isBuffer(file);
  if (uploaded && file.length === 0) return { ok: false, source: '', errors: [{ field: 'modelFile', text: 'Choose a JSON file of an allocation model' }] };
  const source = uploaded ? file.toString('utf8') : text(body.json);
  // Errors in an upload point at the textarea, where the file's text is shown for correcting.
  const field = 'json';
  if (source.trim() === '') return { ok: false, source, errors: [{ field, text: 'Enter the allocation model as JSON' }] };
  if (source.length > MODEL_TEXT_MAX) return { ok: false, source: '', errors: [{ field, text: `The model must be ${MODEL_TEXT_MAX.toLocaleString('en-GB')} characters or fewer` }] };
  const parsed = readJsonText(source);
  if (!parsed.ok) return { ok: false, source, errors: [{ field, text: parsed.message }] };
  return { ok: true, source, json: parsed.value };
}

// ---- Change a draft: price per point, minimum and cap per stream --------------------------------

export interface PricesFormValues {
  /** Field name (price-social_care, minimum-social_care, cap-social_care) to what was typed. */
  readonly [field: string]: string;
}

export const priceField = (stream: StreamCode) => `price-${stream}`;
export const minimumField = (stream: StreamCode) => `minimum-${stream}`;
export const capField = (stream: StreamCode) => `cap-${stream}`;

/** The pounds shown in the fields for a model as it is: "42.50", and "" for no minimum or cap. */
export function pricesValues(model: AllocationModel): PricesFormValues {
  const values: Record<string, string> = {};
  for (const stream of modelStreams(model)) {
    const c = model.conversions[stream] as Conversion;
    if (c.kind === 'price-per-point') values[priceField(stream)] = penceToDecimal(c.pricePerPointPence);
    values[minimumField(stream)] = c.minimumPence === null ? '' : penceToDecimal(c.minimumPence);
    values[capField(stream)] = c.capPence === null ? '' : penceToDecimal(c.capPence);
  }
  return values;
}

function moneyError(result: Exclude<ParseMoneyResult, { ok: true }>, what: string, example: string): string {
  if (result.error === 'empty') return `Enter ${what}`;
  if (result.error === 'too_large') return `${what.charAt(0).toUpperCase()}${what.slice(1)} is too large`;
  return `Enter ${what} in pounds and pence, like ${example}`;
}

export type PricesForm =
  | { readonly ok: true; readonly values: PricesFormValues; readonly json: ModelJson }
  | { readonly ok: false; readonly values: PricesFormValues; readonly errors: readonly FieldError[] };

/**
 * The numbers typed, applied to `model`: a new model (as JSON, for saveDraft) with each
 * price-per-point stream's price, and every stream's minimum and cap (empty: none).
 */
export function readPrices(model: AllocationModel, body: Body): PricesForm {
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  const conversions: Partial<Record<StreamCode, Conversion>> = {};
  for (const stream of modelStreams(model)) {
    const c = model.conversions[stream] as Conversion;
    const label = STREAM_LABELS[stream].toLowerCase();
    let next: Conversion = c;
    if (c.kind === 'price-per-point') {
      const field = priceField(stream);
      values[field] = text(body[field]).trim().slice(0, 40);
      const price = parsePounds(values[field]);
      if (!price.ok) errors.push({ field, text: moneyError(price, `the price per point for ${label}`, '42.50') });
      else if (price.pence === 0n) errors.push({ field, text: `The price per point for ${label} must be more than £0` });
      else next = { ...c, pricePerPointPence: price.pence };
    }
    const optional = (field: string, what: string): Pence | null | undefined => {
      values[field] = text(body[field]).trim().slice(0, 40);
      if (values[field] === '') return null;
      const parsed = parsePounds(values[field]);
      if (parsed.ok) return parsed.pence;
      errors.push({ field, text: moneyError(parsed, what, '1000.00') });
      return undefined;
    };
    const minimum = optional(minimumField(stream), `the minimum budget for ${label}`);
    const cap = optional(capField(stream), `the cap for ${label}`);
    if (minimum !== undefined && cap !== undefined && minimum !== null && cap !== null && minimum > cap) {
      errors.push({ field: minimumField(stream), text: `The minimum budget for ${label} must not be more than its cap` });
    }
    conversions[stream] = { ...next, minimumPence: minimum ?? null, capPence: cap ?? null };
  }
  if (errors.length > 0) return { ok: false, values, errors };
  return { ok: true, values, json: modelToJson({ ...model, conversions }) };
}

/** Maps the model's own errors about a price, minimum or cap back to the field it came from. */
export function priceErrors(errors: readonly ValidationError[]): FieldError[] {
  return errors.map((e) => {
    const match = /^conversions\.(\w+)\.(pricePerPointPence|minimumPence|capPence)$/.exec(e.path);
    if (match === null) return { field: 'prices', text: e.path === '' ? e.message : `${e.path}: ${e.message}` };
    const stream = match[1] as StreamCode;
    const field = match[2] === 'pricePerPointPence' ? priceField(stream) : match[2] === 'minimumPence' ? minimumField(stream) : capField(stream);
    return { field, text: e.message };
  });
}

// ---- Preview with sample answers ----------------------------------------------------------------

export const questionField = (questionId: string) => `q-${questionId}`;
export const currentField = (stream: StreamCode) => `current-${stream}`;

export interface PreviewValues {
  readonly age: string;
  readonly answers: Readonly<Record<string, string>>;
  readonly current: Readonly<Partial<Record<StreamCode, string>>>;
}

export const EMPTY_PREVIEW: PreviewValues = { age: '', answers: {}, current: {} };

export type PreviewForm =
  | {
      readonly ok: true;
      readonly values: PreviewValues;
      readonly input: { readonly answers: Answers; readonly age: number; readonly currentPackagePence?: Partial<Record<StreamCode, Pence>> };
    }
  | { readonly ok: false; readonly values: PreviewValues; readonly errors: readonly FieldError[] };

/** Sample answers for the preview: an answer to every question asked at the age given, the age, and optional current packages. */
export function readPreview(model: AllocationModel, body: Body): PreviewForm {
  const errors: FieldError[] = [];
  const age = text(body.age).trim().slice(0, 10);
  const answers: Record<string, string> = {};
  const current: Partial<Record<StreamCode, string>> = {};

  let ageYears: number | undefined;
  if (age === '') errors.push({ field: 'age', text: 'Enter the age, in whole years' });
  else if (!/^\d+$/.test(age)) errors.push({ field: 'age', text: 'The age must be a whole number of years, like 8' });
  else if (Number(age) > MAX_AGE) errors.push({ field: 'age', text: `The age must be ${MAX_AGE} or less` });
  else ageYears = Number(age);

  for (const question of allQuestions(model)) {
    const chosen = text(body[questionField(question.id)]);
    if (chosen !== '') answers[question.id] = chosen;
    // Without a usable age, only the questions asked at every age can be known to apply.
    const applies = ageYears === undefined ? question.appliesFromAge === undefined && question.appliesToAge === undefined : questionApplies(question, ageYears);
    if (!applies) continue;
    if (chosen === '') errors.push({ field: questionField(question.id), text: `Select an answer for "${question.title}"` });
    else if (!question.levels.some((l) => l.id === chosen)) errors.push({ field: questionField(question.id), text: `Select one of the answers for "${question.title}"` });
  }

  const currentPackagePence: Partial<Record<StreamCode, Pence>> = {};
  for (const stream of modelStreams(model)) {
    const field = currentField(stream);
    const typed = text(body[field]).trim().slice(0, 40);
    current[stream] = typed;
    if (typed === '') continue;
    const parsed = parsePounds(typed);
    if (parsed.ok) currentPackagePence[stream] = parsed.pence;
    else errors.push({ field, text: moneyError(parsed, `the current ${STREAM_LABELS[stream].toLowerCase()} package`, '2720.00') });
  }

  const values: PreviewValues = { age, answers, current };
  if (errors.length > 0 || ageYears === undefined) return { ok: false, values, errors };
  // Only the answers to the questions asked at this age are scored; the others are left out.
  const inScope = Object.fromEntries(
    allQuestions(model)
      .filter((q) => questionApplies(q, ageYears) && answers[q.id] !== undefined)
      .map((q) => [q.id, answers[q.id] as string]),
  );
  return {
    ok: true,
    values,
    input: { answers: inScope, age: ageYears, ...(Object.keys(currentPackagePence).length > 0 ? { currentPackagePence } : {}) },
  };
}

/** The scoring's own refusals (should the form's checks miss one) mapped to the preview's fields. */
export function previewErrors(errors: readonly ValidationError[]): FieldError[] {
  return errors.map((e) => {
    const answer = /^answers(?:\.([\w-]+)|\["(.+)"\])$/.exec(e.path);
    const questionId = answer?.[1] ?? answer?.[2];
    if (questionId !== undefined) return { field: questionField(questionId), text: e.message };
    if (e.path === 'age') return { field: 'age', text: e.message };
    const stream = /^currentPackagePence\.(\w+)$/.exec(e.path)?.[1];
    if (stream !== undefined) return { field: currentField(stream as StreamCode), text: e.message };
    return { field: 'age', text: e.path === '' ? e.message : `${e.path}: ${e.message}` };
  });
}

