/** What the case pages show, worked out from the services' answers; the templates only lay it out. */
import type { Actor } from '../../../domain/access/policy.ts';
import type { CaseStepKind, CaseType } from '../../../db/schema.ts';
import type { CaseloadRow, CaseloadState, StepRecord } from '../../../db/repositories/cases.ts';
import { ageOn, CASE_TYPE_LABELS } from '../../../domain/people/people.ts';
import { daysBetween } from '../../../domain/pathway/dates.ts';
import {
  CASE_STAGE_LABELS,
  EXCEPTION_REASON_LABELS,
  EXCEPTION_REASONS,
  REVIEW_DECISION_LABELS,
  REVIEW_DECISIONS,
  STEP_LABELS,
  type CaseStage,
} from '../../../domain/pathway/steps.ts';
import { DEADLINE_LABELS, DUE_SOON_DAYS, type Deadline } from '../../../domain/pathway/deadlines.ts';
import type { CaseloadPage, CaseloadScope, CaseView, StepFormContext } from '../../../services/cases.ts';
import { CASE_TYPES, CASELOAD_STATES } from '../../../services/cases.ts';
import { escapeHtml, formatDate, formatWhen } from '../../format.ts';
import { paths } from '../../paths.ts';
import { paginationOf } from '../../pagination.ts';
import { STEP_DATE_FIELDS, type FieldError, type OpenCaseValues, type StepValues } from './form.ts';

export const STATE_LABELS: Readonly<Record<CaseloadState, string>> = {
  overdue: 'Overdue',
  due_soon: 'Due in the next 7 days',
  on_track: 'On track',
  no_deadline: 'No deadline',
};

const ROLE_LABELS: Readonly<Record<string, string>> = {
  caseworker: 'caseworker',
  approver: 'approver',
  administrator: 'administrator',
  finance_officer: 'finance officer',
  commissioner: 'commissioner',
};

/** The GOV.UK tag for a next deadline: red overdue, yellow due soon, green on track. */
export function dueTag(dueOn: string | null, today: string): { text: string; classes: string } {
  if (dueOn === null) return { text: 'No deadline', classes: 'govuk-tag--grey' };
  const days = daysBetween(today, dueOn);
  if (days < 0) return { text: `Overdue by ${-days} ${-days === 1 ? 'day' : 'days'}`, classes: 'govuk-tag--red' };
  if (days === 0) return { text: 'Due today', classes: 'govuk-tag--orange' };
  if (days <= DUE_SOON_DAYS) return { text: `Due in ${days} ${days === 1 ? 'day' : 'days'}`, classes: days <= 2 ? 'govuk-tag--orange' : 'govuk-tag--yellow' };
  return { text: 'On track', classes: 'govuk-tag--green' };
}

const tagHtml = (tag: { text: string; classes: string }) => `<strong class="govuk-tag ${tag.classes}">${escapeHtml(tag.text)}</strong>`;

/** A deadline's state in words, with its tag. */
export function deadlineTag(d: Deadline, today: string): { text: string; classes: string } {
  switch (d.state) {
    case 'met_on_time':
      return { text: 'Met on time', classes: 'govuk-tag--green' };
    case 'met_late':
      return { text: 'Met late', classes: 'govuk-tag--grey' };
    default:
      return dueTag(d.dueOn, today);
  }
}

function deadlineLabel(kind: string | null): string {
  if (kind === null) return '';
  return (DEADLINE_LABELS as Readonly<Record<string, string>>)[kind] ?? kind;
}

function stageText(stage: string): string {
  return (CASE_STAGE_LABELS as Readonly<Record<string, string>>)[stage] ?? stage;
}

export interface CaseloadFilters {
  readonly scope: CaseloadScope;
  readonly state: string;
  readonly caseType: string;
  readonly stage: string;
  readonly q: string;
  readonly sort: string;
}

/** A drop-down's options after an "Any" that clears the filter, with the chosen one selected. */
const anyOr = (options: { value: string; text: string }[], chosen: string) =>
  [{ value: '', text: 'Any' }, ...options].map((o) => ({ ...o, selected: o.value === chosen }));

export function caseloadModel(page: CaseloadPage, filters: CaseloadFilters) {
  const link = (over: Partial<CaseloadFilters> & { page?: number }) => paths.cases.caseload({ ...filters, ...over });
  const scopes: { scope: CaseloadScope; text: string }[] = [
    { scope: 'mine', text: 'My cases' },
    { scope: 'team', text: 'My team’s cases' },
    ...(page.mayListAll ? [{ scope: 'all' as const, text: 'All cases' }] : []),
  ];
  const showLead = page.scope !== 'mine';
  const sortItems = [
    { value: 'due', text: 'Next deadline, soonest first' },
    { value: 'name', text: 'Name' },
    { value: 'request_date', text: 'Date of request, oldest first' },
  ].map((i) => ({ ...i, selected: i.value === filters.sort }));
  const scopeTitle = scopes.find((s) => s.scope === page.scope)?.text ?? 'Cases';
  return {
    title: `Caseload: ${scopeTitle}`,
    scopeTitle,
    scopeLinks: scopes.map((s) => ({ text: s.text, href: link({ scope: s.scope, state: '', page: 1 }), current: s.scope === page.scope })),
    scope: page.scope,
    counts: CASELOAD_STATES.map((state) => ({
      state,
      label: STATE_LABELS[state],
      count: page.counts[state],
      href: link({ state, page: 1 }),
      current: filters.state === state,
    })),
    filters,
    // The four drop-downs of the filter form, in the order they are laid out (two to a row after the search box).
    selects: [
      { id: 'state', label: 'Deadline', items: anyOr(CASELOAD_STATES.map((s) => ({ value: s, text: STATE_LABELS[s] })), filters.state) },
      { id: 'caseType', label: 'Type of case', items: anyOr(CASE_TYPES.map((t) => ({ value: t, text: CASE_TYPE_LABELS[t] })), filters.caseType) },
      {
        id: 'stage',
        label: 'Stage',
        items: anyOr((Object.keys(CASE_STAGE_LABELS) as CaseStage[]).filter((s) => s !== 'closed').map((s) => ({ value: s, text: CASE_STAGE_LABELS[s] })), filters.stage),
      },
      { id: 'sort', label: 'Sort by', items: sortItems },
    ],
    resultText: page.total === 1 ? '1 open case' : `${page.total.toLocaleString('en-GB')} open cases`,
    showLead,
    rows: page.rows.map((r: CaseloadRow) => ({
      href: paths.cases.show({ caseId: r.caseId }),
      name: `${r.givenName} ${r.familyName}`,
      reference: r.reference,
      caseType: CASE_TYPE_LABELS[r.caseType],
      stage: stageText(r.stage),
      dueHtml:
        r.nextDueOn === null
          ? tagHtml(dueTag(null, page.today))
          : `${escapeHtml(deadlineLabel(r.nextDueKind))}<br>${escapeHtml(formatDate(r.nextDueOn))}<br>${tagHtml(dueTag(r.nextDueOn, page.today))}${r.hasException ? '<br><span class="govuk-body-s">Exception recorded</span>' : ''}`,
      leadWorker: r.leadWorkerName,
    })),
    pagination: paginationOf(page.page, page.pageCount, (n) => link({ page: n })),
  };
}

/** The words of a step's details, for the timeline. */
function stepDetailLines(step: StepRecord, names: ReadonlyMap<string, string>, steps: readonly StepRecord[]): string[] {
  const d = step.details;
  const lines: string[] = [];
  const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  if (s('reasons')) lines.push(`Reasons: ${s('reasons')}`);
  if (d['appealInformationGiven'] === true) lines.push('The family were told of their right to appeal and to mediation.');
  if (s('adviceFrom')) lines.push(`Advice asked of: ${s('adviceFrom')}`);
  if (s('adviceRequestId')) {
    const request = steps.find((x) => x.id === s('adviceRequestId'));
    const from = request?.details['adviceFrom'];
    if (typeof from === 'string') lines.push(`Advice from: ${from}`);
  }
  if (s('comments')) lines.push(`Comments: ${s('comments')}`);
  if (s('preferredSetting')) lines.push(`School or setting the family would like: ${s('preferredSetting')}`);
  if (d['personalBudgetRequested'] === true) lines.push('The family asked for a personal budget.');
  if (s('reason')) lines.push(`Reason: ${(EXCEPTION_REASON_LABELS as Readonly<Record<string, string>>)[s('reason') ?? ''] ?? s('reason')}`);
  if (s('fromDate') && s('toDate')) lines.push(`From ${formatDate(s('fromDate') ?? '')} to ${formatDate(s('toDate') ?? '')}`);
  if (s('note')) lines.push(`Note: ${s('note')}`);
  if (s('meetingOn')) lines.push(`Meeting on ${formatDate(s('meetingOn') ?? '')}`);
  if (s('decision')) lines.push(`Decision: ${(REVIEW_DECISION_LABELS as Readonly<Record<string, string>>)[s('decision') ?? ''] ?? s('decision')}`);
  if (s('proposedAmendments')) lines.push(`Proposed amendments: ${s('proposedAmendments')}`);
  if (s('toAccountId')) lines.push(`New lead worker: ${names.get(s('toAccountId') ?? '') ?? 'another caseworker'}`);
  return lines;
}

export function caseModel(view: CaseView, actor: Actor, caseworkers: readonly { id: string; displayName: string }[] = []) {
  const { person, case: c, today } = view;
  const names = new Map([...caseworkers.map((w) => [w.id, w.displayName] as const), ...view.steps.map((s) => [s.recordedById, s.recordedByName] as const)]);
  const name = `${person.givenName} ${person.familyName}`;
  const t = view.timeliness;
  return {
    title: `${name}: ${CASE_TYPE_LABELS[c.caseType]} case`,
    name,
    reference: person.reference,
    backHref: actor.kind === 'staff' ? paths.cases.caseload() : paths.myPeople(),
    personHref: paths.people.show({ personId: person.id }),
    summaryRows: [
      { key: { text: 'Reference' }, value: { text: person.reference } },
      { key: { text: 'Date of birth' }, value: { text: `${formatDate(person.dateOfBirth)} (age ${ageOn(person.dateOfBirth, today)})` } },
      { key: { text: 'Type of case' }, value: { text: CASE_TYPE_LABELS[c.caseType] } },
      { key: { text: 'Stage' }, value: { text: CASE_STAGE_LABELS[view.stage] } },
      { key: { text: 'Request received' }, value: { text: formatDate(c.requestDate) } },
      { key: { text: 'Lead worker' }, value: { text: c.leadWorkerTeam === null ? c.leadWorkerName : `${c.leadWorkerName} (${c.leadWorkerTeam})` } },
      ...(c.phaseTransferYear === null ? [] : [{ key: { text: 'Phase transfer' }, value: { text: `Final amended plan by 15 February ${c.phaseTransferYear}` } }]),
      ...(c.status === 'closed' && c.closedOn !== null
        ? [{ key: { text: 'Closed' }, value: { text: `${formatDate(c.closedOn)}${c.closedReason === null ? '' : `: ${c.closedReason}`}` } }]
        : []),
      ...(c.caseType === 'ehc'
        ? [
            {
              key: { text: 'Final plan' },
              value: {
                text:
                  t.finalPlan === 'not_issued'
                    ? 'Not issued yet'
                    : `Issued ${t.finalPlan === 'on_time' ? 'within' : 'after'} 20 weeks${t.withException ? ' (an exception applies)' : ''}`,
              },
            },
          ]
        : []),
    ],
    deadlineRows: view.deadlines.map((d) => [
      { text: d.label },
      { text: formatDate(d.dueOn) },
      { text: d.metOn === null ? 'Not yet' : formatDate(d.metOn) },
      { html: `${tagHtml(deadlineTag(d, today))}${d.exceptionApplies ? '<br><span class="govuk-body-s">Exception applies</span>' : ''}` },
    ]),
    steps: [...view.steps].reverse().map((s) => ({
      label: STEP_LABELS[s.kind],
      date: formatDate(s.occurredOn),
      by: `${s.recordedByName}${s.recordedByRole === null ? '' : `, ${ROLE_LABELS[s.recordedByRole] ?? s.recordedByRole}`}`,
      recordedAt: formatWhen(s.recordedAt),
      lines: stepDetailLines(s, names, view.steps),
    })),
    nextSteps: view.mayManage ? view.allowedNextSteps.map((kind) => ({ text: STEP_LABELS[kind], href: paths.cases.step({ caseId: c.id, kind }) })) : [],
    closed: c.status === 'closed',
  };
}

const APPEAL_RIGHTS =
  'The family can appeal this decision to the First-tier Tribunal (Special Educational Needs and Disability) within 2 months of the date of the decision letter, or 1 month from the date of a mediation certificate, whichever is later. Before appealing they must contact a mediation adviser, within 2 months, unless the appeal is only about the school or setting named. Mediation and information, advice and support services are free.';

export function stepFormModel(ctx: StepFormContext, kind: CaseStepKind, values: StepValues, errors: readonly FieldError[], csrfAction: string) {
  const { view } = ctx;
  const name = `${view.person.givenName} ${view.person.familyName}`;
  const errorFor = (field: string) => errors.find((e) => e.field === field);
  const dateItems = (field: string, parts: { day: string; month: string; year: string }) => {
    const error = errorFor(field);
    const bad = (part: 'day' | 'month' | 'year') => (error !== undefined && (error.parts ?? ['day', 'month', 'year']).includes(part) ? ' govuk-input--error' : '');
    return [
      { name: 'day', classes: `govuk-input--width-2${bad('day')}`, value: parts.day },
      { name: 'month', classes: `govuk-input--width-2${bad('month')}`, value: parts.month },
      { name: 'year', classes: `govuk-input--width-4${bad('year')}`, value: parts.year },
    ];
  };
  // Advice requested and not yet received, for "which advice was received".
  const received = new Set(view.steps.filter((s) => s.kind === 'advice_received').map((s) => s.details['adviceRequestId']));
  const pendingAdvice = view.steps.filter((s) => s.kind === 'advice_requested' && !received.has(s.id));
  const text = (field: string) => values.text[field] ?? '';
  return {
    title: `${STEP_LABELS[kind]}: ${name}`,
    heading: STEP_LABELS[kind],
    name,
    reference: view.person.reference,
    kind,
    action: csrfAction,
    backHref: paths.cases.show({ caseId: view.case.id }),
    errors: errors.map((e) => ({ field: e.field === 'occurredOn' || (STEP_DATE_FIELDS[kind] ?? []).some((f) => f.name === e.field) ? `${e.field}-day` : e.field, text: e.text })),
    occurredOnItems: dateItems('occurredOn', values.occurredOn),
    occurredOnError: errorFor('occurredOn')?.text,
    dateFields: (STEP_DATE_FIELDS[kind] ?? []).map((f) => ({
      name: f.name,
      legend: f.label.replace(/^The /, 'The ').replace(/^./, (c) => c.toUpperCase()),
      items: dateItems(f.name, values.dates[f.name] ?? { day: '', month: '', year: '' }),
      error: errorFor(f.name)?.text,
    })),
    hasReasons: kind === 'decided_not_to_assess' || kind === 'decided_not_to_issue' || kind === 'case_closed',
    reasons: { value: text('reasons'), error: errorFor('reasons')?.text },
    hasAppeal: kind === 'decided_not_to_assess' || kind === 'decided_not_to_issue',
    appealRights: APPEAL_RIGHTS,
    appealChecked: values.checked['appealInformationGiven'] === true,
    appealError: errorFor('appealInformationGiven')?.text,
    hasAdviceFrom: kind === 'advice_requested',
    adviceFrom: { value: text('adviceFrom'), error: errorFor('adviceFrom')?.text },
    hasAdviceRequest: kind === 'advice_received',
    adviceRequestItems: pendingAdvice.map((s) => ({
      value: s.id,
      text: `${typeof s.details['adviceFrom'] === 'string' ? s.details['adviceFrom'] : 'Advice'} (asked for on ${formatDate(s.occurredOn)})`,
      checked: text('adviceRequestId') === s.id,
    })),
    adviceRequestError: errorFor('adviceRequestId')?.text,
    hasFamilyResponse: kind === 'family_responded',
    comments: { value: text('comments'), error: errorFor('comments')?.text },
    preferredSetting: { value: text('preferredSetting'), error: errorFor('preferredSetting')?.text },
    personalBudgetRequested: values.checked['personalBudgetRequested'] === true,
    hasException: kind === 'exception_recorded',
    exceptionReasonItems: EXCEPTION_REASONS.map((r) => ({ value: r, text: EXCEPTION_REASON_LABELS[r], checked: text('reason') === r })),
    exceptionReasonError: errorFor('reason')?.text,
    note: { value: text('note'), error: errorFor('note')?.text },
    hasReviewDecision: kind === 'review_decision',
    decisionItems: REVIEW_DECISIONS.map((d) => ({ value: d, text: REVIEW_DECISION_LABELS[d], checked: text('decision') === d })),
    decisionError: errorFor('decision')?.text,
    proposedAmendments: { value: text('proposedAmendments'), error: errorFor('proposedAmendments')?.text },
    hasLeadWorker: kind === 'lead_worker_changed',
    leadWorkerItems: [
      { value: '', text: 'Select a caseworker' },
      ...ctx.caseworkers.filter((w) => w.id !== view.case.leadWorkerId).map((w) => ({ value: w.id, text: w.team === null ? w.displayName : `${w.displayName} (${w.team})`, selected: text('toAccountId') === w.id })),
    ],
    leadWorkerError: errorFor('toAccountId')?.text,
  };
}

export function openCaseModel(
  data: { person: { id: string; givenName: string; familyName: string; reference: string }; caseworkers: readonly { id: string; displayName: string; team: string | null }[] },
  values: OpenCaseValues,
  errors: readonly FieldError[],
) {
  const errorFor = (field: string) => errors.find((e) => e.field === field);
  const dateError = errorFor('requestDate');
  const bad = (part: 'day' | 'month' | 'year') => (dateError !== undefined && (dateError.parts ?? ['day', 'month', 'year']).includes(part) ? ' govuk-input--error' : '');
  const name = `${data.person.givenName} ${data.person.familyName}`;
  return {
    title: `Open a case: ${name}`,
    name,
    reference: data.person.reference,
    action: paths.cases.open({ personId: data.person.id }),
    backHref: paths.people.show({ personId: data.person.id }),
    errors: errors.map((e) => ({ field: e.field === 'requestDate' ? 'requestDate-day' : e.field, text: e.text })),
    caseTypeItems: CASE_TYPES.map((t: CaseType) => ({ value: t, text: CASE_TYPE_LABELS[t], checked: values.caseType === t })),
    caseTypeError: errorFor('caseType')?.text,
    requestDateItems: [
      { name: 'day', classes: `govuk-input--width-2${bad('day')}`, value: values.requestDate.day },
      { name: 'month', classes: `govuk-input--width-2${bad('month')}`, value: values.requestDate.month },
      { name: 'year', classes: `govuk-input--width-4${bad('year')}`, value: values.requestDate.year },
    ],
    requestDateError: dateError?.text,
    leadWorkerItems: [
      { value: '', text: 'Select a caseworker' },
      ...data.caseworkers.map((w) => ({ value: w.id, text: w.team === null ? w.displayName : `${w.displayName} (${w.team})`, selected: values.leadWorkerId === w.id })),
    ],
    leadWorkerError: errorFor('leadWorkerId')?.text,
    phaseTransferYear: values.phaseTransferYear,
    phaseTransferYearError: errorFor('phaseTransferYear')?.text,
  };
}
