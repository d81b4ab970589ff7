/** Reading the case forms (open a case, record a step) into what the services take, keeping what was typed. */
import { parseDateInput, readDateParts, type DateParts } from '../../forms/date-input.ts';
import type { CaseStepKind } from '../../../db/schema.ts';

export interface FieldError {
  readonly field: string;
  readonly text: string;
  /** For a date input: which of its boxes to mark. */
  readonly parts?: readonly ('day' | 'month' | 'year')[] | undefined;
}

type Fields = Readonly<Record<string, unknown>>;
const str = (body: Fields, name: string): string => (typeof body[name] === 'string' ? (body[name] as string) : '');

// ---- Open a case ---------------------------------------------------------------------------------

export interface OpenCaseValues {
  readonly caseType: string;
  readonly requestDate: DateParts;
  readonly leadWorkerId: string;
  readonly phaseTransferYear: string;
}

export const EMPTY_OPEN_CASE = (leadWorkerId: string): OpenCaseValues => ({
  caseType: '',
  requestDate: { day: '', month: '', year: '' },
  leadWorkerId,
  phaseTransferYear: '',
});

export function readOpenCaseForm(body: Fields): {
  values: OpenCaseValues;
  errors: FieldError[];
  input: { caseType: string; requestDate: string; leadWorkerId: string; phaseTransferYear: number | null };
} {
  const values: OpenCaseValues = {
    caseType: str(body, 'caseType'),
    requestDate: readDateParts(body, 'requestDate'),
    leadWorkerId: str(body, 'leadWorkerId'),
    phaseTransferYear: str(body, 'phaseTransferYear').trim(),
  };
  const errors: FieldError[] = [];
  const date = parseDateInput(values.requestDate, 'Date the request was received');
  let requestDate = '';
  if (!date.ok) errors.push({ field: 'requestDate', text: date.message, parts: date.fields });
  else requestDate = date.date ?? '';
  let phaseTransferYear: number | null = null;
  if (values.phaseTransferYear !== '') {
    if (/^\d{4}$/.test(values.phaseTransferYear)) phaseTransferYear = Number(values.phaseTransferYear);
    else errors.push({ field: 'phaseTransferYear', text: 'Phase transfer year must be a year, like 2027' });
  }
  return { values, errors, input: { caseType: values.caseType, requestDate, leadWorkerId: values.leadWorkerId, phaseTransferYear } };
}

// ---- Record a step -------------------------------------------------------------------------------

/** The date inputs a kind of step has, besides the date it happened. */
export const STEP_DATE_FIELDS: Partial<Record<CaseStepKind, readonly { name: string; label: string }[]>> = {
  exception_recorded: [
    { name: 'fromDate', label: 'The date the exception started' },
    { name: 'toDate', label: 'The date the exception ended' },
  ],
  review_meeting_planned: [{ name: 'meetingOn', label: 'The date of the meeting' }],
};

/** The text, choice and checkbox fields a kind of step has. */
export const STEP_TEXT_FIELDS: Partial<Record<CaseStepKind, readonly string[]>> = {
  decided_not_to_assess: ['reasons'],
  decided_not_to_issue: ['reasons'],
  case_closed: ['reasons'],
  advice_requested: ['adviceFrom'],
  advice_received: ['adviceRequestId'],
  family_responded: ['comments', 'preferredSetting'],
  exception_recorded: ['reason', 'note'],
  review_decision: ['decision', 'proposedAmendments'],
  lead_worker_changed: ['toAccountId'],
};

const STEP_CHECKBOXES: Partial<Record<CaseStepKind, readonly string[]>> = {
  decided_not_to_assess: ['appealInformationGiven'],
  decided_not_to_issue: ['appealInformationGiven'],
  family_responded: ['personalBudgetRequested'],
};

export interface StepValues {
  readonly occurredOn: DateParts;
  readonly dates: Readonly<Record<string, DateParts>>;
  readonly text: Readonly<Record<string, string>>;
  readonly checked: Readonly<Record<string, boolean>>;
}

export function emptyStepValues(kind: CaseStepKind): StepValues {
  const blank = { day: '', month: '', year: '' };
  return {
    occurredOn: blank,
    dates: Object.fromEntries((STEP_DATE_FIELDS[kind] ?? []).map((f) => [f.name, blank])),
    text: Object.fromEntries((STEP_TEXT_FIELDS[kind] ?? []).map((f) => [f, ''])),
    checked: Object.fromEntries((STEP_CHECKBOXES[kind] ?? []).map((f) => [f, false])),
  };
}

/**
 * Reads a step form. Dates that cannot be dates are errors here (with the boxes to mark); an empty
 * date is passed on as '' so that the domain names it in its own words.
 */
export function readStepForm(kind: CaseStepKind, body: Fields): { values: StepValues; errors: FieldError[]; occurredOn: string; details: Record<string, unknown> } {
  const errors: FieldError[] = [];
  const details: Record<string, unknown> = {};
  const occurredParts = readDateParts(body, 'occurredOn');
  const occurred = parseDateInput(occurredParts, 'The date it happened');
  let occurredOn = '';
  if (!occurred.ok) errors.push({ field: 'occurredOn', text: occurred.message, parts: occurred.fields });
  else occurredOn = occurred.date ?? '';
  const dates: Record<string, DateParts> = {};
  for (const field of STEP_DATE_FIELDS[kind] ?? []) {
    const parts = readDateParts(body, field.name);
    dates[field.name] = parts;
    const parsed = parseDateInput(parts, field.label);
    if (!parsed.ok) errors.push({ field: field.name, text: parsed.message, parts: parsed.fields });
    else details[field.name] = parsed.date ?? '';
  }
  const text: Record<string, string> = {};
  for (const field of STEP_TEXT_FIELDS[kind] ?? []) {
    text[field] = str(body, field);
    details[field] = text[field];
  }
  const checked: Record<string, boolean> = {};
  for (const field of STEP_CHECKBOXES[kind] ?? []) {
    checked[field] = str(body, field) === 'yes';
    details[field] = checked[field];
  }
  return { values: { occurredOn: occurredParts, dates, text, checked }, errors, occurredOn, details };
}

/** Where a service error goes on the step page: 'details.reasons' → 'reasons'; the date it happened → its day box. */
export function stepFieldOf(path: string): string {
  if (path === 'occurredOn' || path === 'kind') return 'occurredOn';
  return path.startsWith('details.') ? path.slice('details.'.length) : path;
}
