/**
 * The forms of a person's allocation pages: one answer to a question, a worker's request for an
 * exceptional case decision, and an approver's decision. Each reads what was typed as strings,
 * checks it, and gives either what the service needs or the errors to show next to the fields.
 */
import { parsePounds, type Pence } from '../../../domain/money/money.ts';

export interface FieldError {
  readonly field: string;
  readonly text: string;
}

/** The longest reasons kept (a request or a decision sets out a case, so more than a one-line reason). */
export const LONG_REASON_MAX = 4000;

const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');

// ---- One answer -------------------------------------------------------------------------------

export interface AnswerForm {
  /** The level chosen, '' when none was. */
  readonly levelId: string;
  /** "Save and come back later" rather than "Save and continue". */
  readonly later: boolean;
  /** Came from check your answers: go back there after saving. */
  readonly returnToCheck: boolean;
}

export function readAnswerForm(body: Readonly<Record<string, unknown>>): AnswerForm {
  return {
    levelId: text(body.levelId, 200),
    later: body.action === 'later',
    returnToCheck: body.returnTo === 'check',
  };
}

/** The error for a question left unanswered (the same words the service uses for a level that does not exist). */
export function selectLevelText(questionTitle: string): string {
  return `Select how much support is needed with ${questionTitle.toLowerCase()}`;
}

// ---- A worker's request for an exceptional case decision -------------------------------------------

export interface ExceptionRequestValues {
  readonly reason: string;
  readonly amount: string;
}

export const EMPTY_EXCEPTION_REQUEST: ExceptionRequestValues = { reason: '', amount: '' };

export type ExceptionRequestForm =
  | { readonly ok: true; readonly values: ExceptionRequestValues; readonly request: { reason: string; requestedPence: Pence | null } }
  | { readonly ok: false; readonly values: ExceptionRequestValues; readonly errors: readonly FieldError[] };

function reasonError(reason: string, field: string, emptyText: string): FieldError | undefined {
  if (reason === '') return { field, text: emptyText };
  if (reason.length > LONG_REASON_MAX) return { field, text: `The reasons must be ${LONG_REASON_MAX.toLocaleString('en-GB')} characters or fewer` };
  // Control characters other than line breaks and tabs (\p{Cc} less \t, \n, \r).
  if ([...reason].some((c) => /\p{Cc}/u.test(c) && c !== '\n' && c !== '\r' && c !== '\t')) return { field, text: 'The reasons must only include letters, numbers, spaces and punctuation' };
  return undefined;
}

/** An amount of money a year: '' is allowed when `required` is false. */
function amountError(amount: string, field: string, required: boolean, emptyText: string): { pence: Pence | null; error?: FieldError } {
  if (amount === '') return required ? { pence: null, error: { field, text: emptyText } } : { pence: null };
  const parsed = parsePounds(amount);
  if (!parsed.ok) {
    const words = parsed.error === 'too_large' ? 'The amount is too large' : 'Enter the amount in pounds, like 12500 or £12,500.00';
    return { pence: null, error: { field, text: words } };
  }
  if (parsed.pence === 0n) return { pence: null, error: { field, text: 'The amount must be more than £0' } };
  return { pence: parsed.pence };
}

export function readExceptionRequestForm(body: Readonly<Record<string, unknown>>): ExceptionRequestForm {
  // One character past the limit is kept so that "too long" can be said, not silently cut.
  const values: ExceptionRequestValues = { reason: text(body.reason, LONG_REASON_MAX + 1), amount: text(body.amount, 40) };
  const errors: FieldError[] = [];
  const reason = reasonError(values.reason, 'reason', 'Enter why the indicative budget is not enough');
  if (reason !== undefined) errors.push(reason);
  const amount = amountError(values.amount, 'amount', false, '');
  if (amount.error !== undefined) errors.push(amount.error);
  if (errors.length > 0) return { ok: false, values, errors };
  return { ok: true, values, request: { reason: values.reason, requestedPence: amount.pence } };
}

// ---- An approver's decision -----------------------------------------------------------------------

export interface DecisionValues {
  readonly decision: string;
  readonly amount: string;
  readonly reason: string;
}

export const EMPTY_DECISION: DecisionValues = { decision: '', amount: '', reason: '' };

export type DecisionForm =
  | {
      readonly ok: true;
      readonly values: DecisionValues;
      readonly decision: { decision: 'agreed' | 'refused'; reason: string; agreedPence: Pence | null };
    }
  | { readonly ok: false; readonly values: DecisionValues; readonly errors: readonly FieldError[] };

export function readDecisionForm(body: Readonly<Record<string, unknown>>): DecisionForm {
  const values: DecisionValues = { decision: text(body.decision, 20), amount: text(body.amount, 40), reason: text(body.reason, LONG_REASON_MAX + 1) };
  const errors: FieldError[] = [];
  const decision = values.decision === 'agreed' || values.decision === 'refused' ? values.decision : undefined;
  if (decision === undefined) errors.push({ field: 'decision', text: 'Select whether you agree an amount or refuse the request' });
  // The amount belongs to "Agree" only: an amount typed with a refusal is a contradiction to point out, not to ignore.
  const amount =
    decision === 'agreed'
      ? amountError(values.amount, 'amount', true, 'Enter the annual amount agreed')
      : decision === 'refused' && values.amount !== ''
        ? { pence: null, error: { field: 'amount', text: 'Leave the amount empty when you refuse the request, or choose "Agree an amount"' } }
        : { pence: null };
  if (amount.error !== undefined) errors.push(amount.error);
  const reason = reasonError(values.reason, 'reason', 'Enter the reasons for the decision');
  if (reason !== undefined) errors.push(reason);
  if (errors.length > 0 || decision === undefined) return { ok: false, values, errors };
  return { ok: true, values, decision: { decision, reason: values.reason, agreedPence: amount.pence } };
}
