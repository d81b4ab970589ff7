/**
 * The EHC plan timeliness report (issue 5): the page and its spreadsheet (CSV) of the figures by
 * month. Thin: read the period from the GET form, call the service, lay out its answer. The form
 * works without JavaScript; an impossible date is shown next to its field.
 */
import type { FastifyInstance } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import type { Services } from '../../../services/index.ts';
import type { TimelinessReport } from '../../../services/timeliness.ts';
import type { TimelinessFigures } from '../../../domain/pathway/timeliness.ts';
import { EXCEPTION_REASON_LABELS } from '../../../domain/pathway/steps.ts';
import { parseDateInput, readDateParts, type DateParts } from '../../forms/date-input.ts';
import { escapeHtml, formatDate } from '../../format.ts';
import { paths } from '../../paths.ts';
import { actorOf } from '../../request.ts';
import type { FieldError } from './form.ts';

type Query = { Querystring: Record<string, unknown> };


/** The most late plans the page lists at once. */
export const LATE_LISTED = 200;
export interface PeriodForm {
  readonly values: { readonly from: DateParts; readonly to: DateParts };
  /** 'YYYY-MM-DD', or '' when left empty (the service fills in the default). */
  readonly from: string;
  readonly to: string;
  readonly errors: FieldError[];
}

/** Reads the report's from and to date inputs. */
export function readPeriodForm(query: Readonly<Record<string, unknown>>): PeriodForm {
  const values = { from: readDateParts(query, 'from'), to: readDateParts(query, 'to') };
  const errors: FieldError[] = [];
  const from = parseDateInput(values.from, 'The start date');
  const to = parseDateInput(values.to, 'The end date');
  if (!from.ok) errors.push({ field: `from-${from.fields[0] ?? 'day'}`, text: from.message, parts: from.fields });
  if (!to.ok) errors.push({ field: `to-${to.fields[0] ?? 'day'}`, text: to.message, parts: to.fields });
  return { values, from: from.ok ? (from.date ?? '') : '', to: to.ok ? (to.date ?? '') : '', errors };
}

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
/** '2026-03' → 'March 2026'. */
export function monthName(month: string): string {
  return MONTH.format(new Date(`${month}-01T00:00:00Z`));
}

export function percentText(percent: number | null): string {
  return percent === null ? 'No plans issued' : `${percent.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;
}

/** 157 days → '22 weeks 3 days'. */
export function weeksText(days: number): string {
  const weeks = Math.floor(days / 7);
  const rest = days - weeks * 7;
  const w = `${weeks} ${weeks === 1 ? 'week' : 'weeks'}`;
  return rest === 0 ? w : `${w} ${rest} ${rest === 1 ? 'day' : 'days'}`;
}

const partsOf = (iso: string): DateParts => {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
};

export function timelinessModel(form: PeriodForm, report: TimelinessReport | undefined) {
  const values = report !== undefined && form.errors.length === 0 ? { from: partsOf(report.period.from), to: partsOf(report.period.to) } : form.values;
  const fieldError = (name: 'from' | 'to') => form.errors.find((e) => e.field.startsWith(`${name}-`));
  const dateItems = (name: 'from' | 'to') => {
    const error = fieldError(name);
    const bad = (part: 'day' | 'month' | 'year') => (error !== undefined && (error.parts ?? ['day', 'month', 'year']).includes(part) ? ' govuk-input--error' : '');
    return [
      { name: 'day', classes: `govuk-input--width-2${bad('day')}`, value: values[name].day },
      { name: 'month', classes: `govuk-input--width-2${bad('month')}`, value: values[name].month },
      { name: 'year', classes: `govuk-input--width-4${bad('year')}`, value: values[name].year },
    ];
  };
  const count = (n: number) => n.toLocaleString('en-GB');
  const figureRows = (f: { issued: number; withinTwentyWeeks: number; percentWithin: number | null }, issuedLabel: string) => [
    { key: { text: issuedLabel }, value: { text: count(f.issued) } },
    { key: { text: 'Issued within 20 weeks of the request' }, value: { text: count(f.withinTwentyWeeks) } },
    { key: { text: 'Percentage within 20 weeks' }, value: { text: percentText(f.percentWithin) } },
  ];
  const base = {
    title: 'EHC plan timeliness',
    errors: form.errors.map((e) => ({ field: e.field, text: e.text })),
    fromError: fieldError('from')?.text,
    toError: fieldError('to')?.text,
    fromItems: dateItems('from'),
    toItems: dateItems('to'),
    action: paths.cases.timeliness(),
  };
  if (report === undefined) return base;
  const f = report.figures;
  const open = report.openPastWeekTwenty;
  return {
    ...base,
    report: true,
    periodText: `${formatDate(report.period.from)} to ${formatDate(report.period.to)}`,
    scopeText: report.scope === 'team' ? 'Cases led by you and your team.' : 'Every case in the council.',
    csvHref: paths.cases.timelinessCsv(report.period),
    nationalCard: { title: { text: 'Within 20 weeks, excluding exceptions: the national figure' }, rows: figureRows(f.excludingExceptions, 'Final EHC plans issued, excluding exceptions') },
    allCard: {
      title: { text: 'Within 20 weeks, all plans' },
      rows: [
        ...figureRows(f, 'Final EHC plans issued'),
        { key: { text: 'Plans with a reg 10(4) exception' }, value: { text: `${count(f.withExceptions.issued)} (${count(f.withExceptions.withinTwentyWeeks)} of them within 20 weeks)` } },
      ],
    },
    openCard: {
      title: { text: 'Open cases past 20 weeks' },
      rows: [
        { key: { text: 'Open EHC cases past 20 weeks without a final plan, today' }, value: { text: count(open.total) } },
        { key: { text: 'Of them, with a reg 10(4) exception recorded' }, value: { text: count(open.withException) } },
      ],
    },
    monthHead: [
      { text: 'Month of issue' },
      { text: 'Plans issued', format: 'numeric' },
      { text: 'Within 20 weeks', format: 'numeric' },
      { text: 'Percentage', format: 'numeric' },
      { text: 'Issued, excluding exceptions', format: 'numeric' },
      { text: 'Within 20 weeks, excluding exceptions', format: 'numeric' },
      { text: 'Percentage, excluding exceptions', format: 'numeric' },
    ],
    monthRows: report.byMonth.map((m) => [
      { text: monthName(m.month) },
      { text: count(m.figures.issued), format: 'numeric' },
      { text: count(m.figures.withinTwentyWeeks), format: 'numeric' },
      { text: m.figures.issued === 0 ? '–' : percentText(m.figures.percentWithin), format: 'numeric' },
      { text: count(m.figures.excludingExceptions.issued), format: 'numeric' },
      { text: count(m.figures.excludingExceptions.withinTwentyWeeks), format: 'numeric' },
      { text: m.figures.excludingExceptions.issued === 0 ? '–' : percentText(m.figures.excludingExceptions.percentWithin), format: 'numeric' },
    ]),
    showsNames: report.showsNames,
    lateText: f.issued - f.withinTwentyWeeks === 1 ? '1 final plan was issued after 20 weeks.' : `${count(f.issued - f.withinTwentyWeeks)} final plans were issued after 20 weeks.`,
    lateHead: [{ text: 'Person' }, { text: 'Request' }, { text: 'Due by' }, { text: 'Issued' }, { text: 'Time taken' }, { text: 'Exception' }],
    // A large council can have thousands: the page lists the first LATE_LISTED (oldest issue first).
    lateRows: report.late.slice(0, LATE_LISTED).map((p) => [
      {
        html: `<a class="govuk-link" href="${escapeHtml(paths.cases.show({ caseId: p.caseId }))}">${escapeHtml(`${p.person.givenName} ${p.person.familyName}`)}</a><br><span class="govuk-body-s">${escapeHtml(p.person.reference)}</span>`,
      },
      { text: formatDate(p.requestDate) },
      { text: formatDate(p.dueOn) },
      { text: formatDate(p.issuedOn) },
      { text: weeksText(p.daysTaken) },
      { text: p.withException ? `Yes: ${p.exceptionReasons.map((r) => EXCEPTION_REASON_LABELS[r]).join('; ')}` : 'No' },
    ]),
    moreText:
      report.late.length > LATE_LISTED
        ? `Showing the first ${count(LATE_LISTED)} of ${count(report.late.length)}, oldest issue first. Choose a shorter period to see the rest.`
        : undefined,
    notListedText:
      report.showsNames && report.lateNotListed > 0
        ? `${count(report.lateNotListed)} ${report.lateNotListed === 1 ? 'plan' : 'plans'} issued late for restricted records ${report.lateNotListed === 1 ? 'is' : 'are'} counted above but not listed.`
        : undefined,
  };
}

const csvPercent = (p: number | null) => (p === null ? '' : p.toFixed(1));
const csvRow = (label: string, f: TimelinessFigures) => [
  label,
  f.issued,
  f.withinTwentyWeeks,
  csvPercent(f.percentWithin),
  f.excludingExceptions.issued,
  f.excludingExceptions.withinTwentyWeeks,
  csvPercent(f.excludingExceptions.percentWithin),
  f.withExceptions.issued,
  f.withExceptions.withinTwentyWeeks,
];

/** The figures by month of issue, then the whole period, one row each. */
export function timelinessCsv(report: TimelinessReport): string {
  return stringify([...report.byMonth.map((m) => csvRow(m.month, m.figures)), csvRow('total', report.figures)], {
    header: true,
    columns: [
      'month_of_issue',
      'plans_issued',
      'within_20_weeks',
      'percent_within_20_weeks',
      'plans_issued_excluding_exceptions',
      'within_20_weeks_excluding_exceptions',
      'percent_within_20_weeks_excluding_exceptions',
      'plans_with_exceptions',
      'within_20_weeks_with_exceptions',
    ],
  });
}

export function timelinessPages(app: FastifyInstance, services: Services): void {
  /** The report for the form's period, or the form's errors (the period's own and the service's). */
  const answer = async (actor: ReturnType<typeof actorOf>, form: PeriodForm): Promise<{ form: PeriodForm; report?: TimelinessReport }> => {
    if (form.errors.length > 0) return { form };
    const result = await services.timeliness.report(actor, { from: form.from, to: form.to });
    if (result.ok) return { form, report: result.value };
    const errors: FieldError[] = result.errors.map((e) => ({ field: `${e.path}-day`, text: e.message }));
    return { form: { ...form, errors } };
  };

  app.get<Query>('/cases/timeliness', { config: { access: 'cases:report', audit: null } }, async (request, reply) => {
    const { form, report } = await answer(actorOf(request), readPeriodForm(request.query));
    if (report === undefined) reply.code(400);
    return reply.page('pages/cases/timeliness.njk', timelinessModel(form, report));
  });

  app.get<Query>('/cases/timeliness.csv', { config: { access: 'cases:report', audit: null } }, async (request, reply) => {
    const actor = actorOf(request);
    const { form, report } = await answer(actor, readPeriodForm(request.query));
    if (report === undefined) {
      reply.code(400);
      return reply.page('pages/cases/timeliness.njk', timelinessModel(form, undefined));
    }
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="onebudget-ehc-timeliness-${actor.councilSlug}-${report.period.from}-to-${report.period.to}.csv"`)
      .header('cache-control', 'no-store')
      .send(timelinessCsv(report));
  });
}
