/** Reading the sign-off forms: strings as typed (kept for a re-render), GOV.UK date inputs. */
import { parseDateInput, readDateParts, type DateParts } from '../../forms/date-input.ts';

export interface FieldError {
  readonly field: string;
  readonly text: string;
}

export type Body = Readonly<Record<string, unknown>>;

export const text = (body: Body, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value : '';
};

export const list = (body: Body, name: string): string[] => {
  const value = body[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
};

/** A GOV.UK date input: the date, or an error for the field (with the parts kept to show again). */
export function readDate(body: Body, name: string, label: string): { parts: DateParts; date: string; error: FieldError | null } {
  const parts = readDateParts(body, name);
  const parsed = parseDateInput(parts, label);
  if (!parsed.ok) return { parts, date: '', error: { field: name, text: parsed.message } };
  return { parts, date: parsed.date ?? '', error: null };
}

export function dateItems(name: string, parts: DateParts, error: boolean) {
  const cls = (width: string) => `govuk-input--width-${width}${error ? ' govuk-input--error' : ''}`;
  return [
    { name: 'day', label: 'Day', value: parts.day, classes: cls('2') },
    { name: 'month', label: 'Month', value: parts.month, classes: cls('2') },
    { name: 'year', label: 'Year', value: parts.year, classes: cls('4') },
  ];
}

export const EMPTY_DATE: DateParts = { day: '', month: '', year: '' };

/** The service's refusals as errors next to the page's fields. */
export function fieldErrors(errors: readonly { path: string; message: string }[], fields: Readonly<Record<string, string>>, fallback: string): FieldError[] {
  return errors.map((e) => ({ field: fields[e.path] ?? fallback, text: e.message }));
}
