import { stringify } from 'csv-stringify/sync';
import { roleLabel } from '../../../domain/access/roles.ts';
import type { AuditEntry } from '../../../db/repositories/audit.ts';
import type { AuditPage } from '../../../services/audit.ts';
import { paths } from '../../paths.ts';
import { paginationOf } from '../../pagination.ts';
import { auditQuery, type AuditSearchForm } from './form.ts';

const WHEN = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function who(e: AuditEntry): string {
  if (e.actorName === null) return 'System';
  return `${e.actorName}${e.actorRole ? ` (${roleLabel(e.actorRole)})` : ''}`;
}

function what(e: AuditEntry): string {
  return e.subjectLabel ?? (e.subjectType ? `${e.subjectType} ${e.subjectId ?? ''}`.trim() : '');
}

export function auditPageModel(form: AuditSearchForm, result: AuditPage | undefined) {
  const query = auditQuery(form.values);
  const fieldError = (prefix: string) => form.errors.find((e) => e.field.startsWith(prefix));
  const dateItems = (name: 'from' | 'to') => {
    const error = fieldError(name);
    const bad = (part: string) => (error && (error.parts ?? ['day', 'month', 'year']).includes(part) ? ' govuk-input--error' : '');
    return [
      { name: 'day', classes: `govuk-input--width-2${bad('day')}`, value: form.values[name].day },
      { name: 'month', classes: `govuk-input--width-2${bad('month')}`, value: form.values[name].month },
      { name: 'year', classes: `govuk-input--width-4${bad('year')}`, value: form.values[name].year },
    ];
  };
  return {
    title: 'Audit log',
    errors: form.errors.map((e) => ({ field: e.field, text: e.text })),
    values: form.values,
    fromError: fieldError('from')?.text,
    toError: fieldError('to')?.text,
    fromItems: dateItems('from'),
    toItems: dateItems('to'),
    actionItems: [
      { value: '', text: 'Any action', selected: form.values.action === '' },
      ...(result?.actions ?? []).map((a) => ({ value: a, text: a, selected: a === form.values.action })),
    ],
    resultText: result ? `${result.total} ${result.total === 1 ? 'event' : 'events'}` : undefined,
    exportHref: paths.audit.export(query),
    rows: (result?.entries ?? []).map((e) => [
      { text: String(e.seq), format: 'numeric' },
      { text: WHEN.format(e.occurredAt), classes: 'app-nowrap' },
      { text: who(e) },
      { text: e.action },
      { text: what(e) },
      { text: e.sourceAddress ?? '' },
    ]),
    pagination: result === undefined ? undefined : paginationOf(result.page, result.pageCount, (n) => paths.audit.index(auditQuery(form.values, n))),
  };
}

/** Spreadsheet programs run cells that start with these as formulas: make them plain text. */
function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function auditCsv(entries: readonly AuditEntry[]): string {
  return stringify(
    entries.map((e) =>
      [
        String(e.seq),
        e.occurredAt.toISOString(),
        e.actorName ?? '',
        e.actorEmail ?? '',
        e.actorRole ?? '',
        e.action,
        e.subjectType ?? '',
        e.subjectId ?? '',
        e.subjectLabel ?? '',
        e.sourceAddress ?? '',
        e.requestId ?? '',
        e.reason ?? '',
        e.detail === null || e.detail === undefined ? '' : JSON.stringify(e.detail),
        e.hash,
      ].map(safeCell),
    ),
    {
      header: true,
      columns: [
        'sequence',
        'occurred_at_utc',
        'actor_name',
        'actor_email',
        'actor_role',
        'action',
        'subject_type',
        'subject_id',
        'subject',
        'source_address',
        'request_id',
        'reason',
        'detail_json',
        'hash',
      ],
    },
  );
}
