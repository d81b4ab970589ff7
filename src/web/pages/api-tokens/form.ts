/** The "Issue an API token" form: what an administrator typed, checked, as a request or as errors. */
import { CLIENT_SCOPES, type ClientScope } from '../../../domain/access/policy.ts';
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS, API_TOKEN_NAME_MAX } from '../../../domain/identity/api-token.ts';
import type { IssueRequest } from '../../../services/api-tokens.ts';

export interface IssueFormValues {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly days: string;
}

export interface FieldError {
  readonly field: string;
  readonly text: string;
}

export type IssueForm =
  | { readonly ok: true; readonly values: IssueFormValues; readonly request: IssueRequest }
  | { readonly ok: false; readonly values: IssueFormValues; readonly errors: readonly FieldError[] };

export const EMPTY_ISSUE_FORM: IssueFormValues = { name: '', scopes: [], days: String(API_TOKEN_DEFAULT_DAYS) };

/** A checkbox group arrives as nothing, one string, or an array of strings. */
function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export function readIssueForm(body: Readonly<Record<string, unknown>>): IssueForm {
  const values: IssueFormValues = {
    name: typeof body.name === 'string' ? body.name.trim().slice(0, API_TOKEN_NAME_MAX + 100) : '',
    // Checkboxes share the name scopes[] (one control name repeated, as HTML allows with brackets).
    scopes: list(body['scopes[]'] ?? body.scopes).slice(0, 10),
    days: typeof body.days === 'string' ? body.days.trim().slice(0, 20) : '',
  };
  const errors: FieldError[] = [];
  if (values.name === '') errors.push({ field: 'name', text: 'Enter a name for the API token' });
  else if (values.name.length > API_TOKEN_NAME_MAX) errors.push({ field: 'name', text: `The name must be ${API_TOKEN_NAME_MAX} characters or fewer` });
  else if (/[\p{Cc}\p{Cf}]/u.test(values.name)) errors.push({ field: 'name', text: 'The name must only include letters, numbers, spaces and punctuation' });

  const scopes = CLIENT_SCOPES.filter((s) => values.scopes.includes(s));
  if (scopes.length === 0 || values.scopes.some((s) => !(CLIENT_SCOPES as readonly string[]).includes(s))) {
    errors.push({ field: 'scopes', text: 'Select what the API token may do' });
  }

  const days = /^\d+$/.test(values.days) ? Number(values.days) : undefined;
  if (values.days === '') errors.push({ field: 'days', text: 'Enter how many days the API token lasts' });
  else if (days === undefined) errors.push({ field: 'days', text: 'The number of days must be a whole number, like 90' });
  else if (days < 1 || days > API_TOKEN_MAX_DAYS) errors.push({ field: 'days', text: `The number of days must be between 1 and ${API_TOKEN_MAX_DAYS}` });

  if (errors.length > 0 || days === undefined) return { ok: false, values, errors };
  return { ok: true, values, request: { name: values.name, scopes: scopes as readonly ClientScope[], days } };
}
