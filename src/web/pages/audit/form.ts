/** The audit search form: what an administrator typed, checked, as a filter or as errors. */
import type { AuditFilter } from '../../../db/repositories/audit.ts';
import { parseDateInput, readDateParts, type DateParts } from '../../forms/date-input.ts';

export interface AuditSearchForm {
  readonly values: {
    readonly action: string;
    readonly actor: string;
    readonly person: string;
    readonly from: DateParts;
    readonly to: DateParts;
  };
  readonly filter: AuditFilter;
  readonly errors: readonly { field: string; text: string; parts?: readonly string[] }[];
  readonly page: number;
}

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.trim().slice(0, max) : '');

export function readAuditSearch(query: Readonly<Record<string, unknown>>): AuditSearchForm {
  const values = {
    action: text(query.action, 100),
    actor: text(query.actor, 100),
    person: text(query.person, 40),
    from: readDateParts(query, 'from'),
    to: readDateParts(query, 'to'),
  };
  const errors: { field: string; text: string; parts?: readonly string[] }[] = [];
  const from = parseDateInput(values.from, 'The start date');
  const to = parseDateInput(values.to, 'The end date');
  if (!from.ok) errors.push({ field: `from-${from.fields[0] ?? 'day'}`, text: from.message, parts: from.fields });
  if (!to.ok) errors.push({ field: `to-${to.fields[0] ?? 'day'}`, text: to.message, parts: to.fields });
  if (from.ok && to.ok && from.date !== undefined && to.date !== undefined && from.date > to.date) {
    errors.push({ field: 'to-day', text: 'The end date must be the same as or after the start date' });
  }
  const pageText = text(query.page, 6);
  const page = /^\d+$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  return {
    values,
    errors,
    page,
    filter: {
      action: values.action || undefined,
      actor: values.actor || undefined,
      personReference: values.person || undefined,
      from: from.ok ? from.date : undefined,
      to: to.ok ? to.date : undefined,
    },
  };
}

/** The query string that reproduces a search (for pagination and the CSV link). */
export function auditQuery(values: AuditSearchForm['values'], page?: number): string {
  const params = new URLSearchParams();
  if (values.action) params.set('action', values.action);
  if (values.actor) params.set('actor', values.actor);
  if (values.person) params.set('person', values.person);
  for (const [name, parts] of [['from', values.from], ['to', values.to]] as const) {
    if (parts.day || parts.month || parts.year) {
      params.set(`${name}-day`, parts.day);
      params.set(`${name}-month`, parts.month);
      params.set(`${name}-year`, parts.year);
    }
  }
  if (page !== undefined && page > 1) params.set('page', String(page));
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}
