/** Page models of sign-off, agreement, refusals and tiers: plain text and GOV.UK component arguments. */
import { STREAM_LABELS } from '../../../domain/allocation/model.ts';
import { formatPence } from '../../../domain/money/money.ts';
import { MANAGEMENT_LABELS } from '../../../domain/people/people.ts';
import { REFUSAL_CATEGORIES, REFUSAL_CATEGORY_LABELS } from '../../../domain/sign-off/sign-off.ts';
import type { DecisionRecord, RefusalRecord, TierRecord, WaitingPlanRecord } from '../../../db/repositories/sign-off.ts';
import type { NoticeView, Queue, SignOffView } from '../../../services/sign-off.ts';
import type { PlanTotals } from '../../../domain/plans/costs.ts';
import { escapeHtml, formatDate, formatWhen } from '../../format.ts';
import { paths } from '../../paths.ts';
import type { FieldError } from './form.ts';

const DECISION_TEXT: Readonly<Record<string, string>> = {
  submitted: 'Sent for sign-off',
  approved: 'Signed off',
  returned: 'Sent back',
  panel_approved: 'Signed off by the panel',
  panel_returned: 'Sent back by the panel',
};

/** Sign-off decisions as table rows: when, what, who, reasons (the approver's page and the plan's). */
export function decisionRows(decisions: readonly DecisionRecord[]) {
  return decisions.map((d) => [{ text: formatWhen(d.decidedAt) }, { text: DECISION_TEXT[d.decision] ?? d.decision }, { text: d.decidedByName }, { text: d.reasons }]);
}

/** A link to each direct payment refusal's written notice. */
export function noticeLinks(refusals: readonly RefusalRecord[]) {
  return refusals.map((r) => ({ href: paths.signOff.notice({ refusalId: r.id }), text: `${r.outcome === 'refused' ? 'Refused' : 'Withheld'} on ${formatDate(r.decidedOn)}: ${REFUSAL_CATEGORY_LABELS[r.category]}` }));
}

function queueRows(plans: readonly (WaitingPlanRecord & { why?: string })[], withWhy: boolean) {
  return plans.map((p) => [
    { text: p.reference, classes: 'app-nowrap' },
    { html: `<a class="govuk-link" href="${escapeHtml(paths.signOff.plan({ planId: p.planId }))}">${escapeHtml(p.personName)}</a>` },
    { text: formatPence(p.totalPence), format: 'numeric', classes: 'app-nowrap' },
    { text: p.authorName },
    { text: p.submittedAt === null ? 'Not known' : formatWhen(p.submittedAt) },
    ...(withWhy ? [{ text: p.why ?? '' }] : []),
  ]);
}

export function queueModel(queue: Queue, decided?: 'approve' | 'return') {
  return {
    title: 'Plans waiting for sign-off',
    done:
      decided === 'approve'
        ? 'Plan approved. The family can now agree to it in their account, or the worker can record their agreement.'
        : decided === 'return'
          ? 'Plan sent back to the worker with your reasons.'
          : undefined,
    limitText: queue.limitPence === null ? 'You do not have a delegated limit for signing off plans.' : `Your limit is ${formatPence(queue.limitPence)} a year.`,
    mine: queueRows(queue.mine, false),
    panel: queueRows(queue.panel, false),
    others: queueRows(queue.others, true),
  };
}

export function totalsRows(totals: PlanTotals) {
  return totals.byStream.map((s) => [
    { text: STREAM_LABELS[s.stream] },
    { text: formatPence(s.planPence), format: 'numeric', classes: 'app-nowrap' },
    { text: s.indicativePence === null ? 'None' : formatPence(s.indicativePence), format: 'numeric', classes: 'app-nowrap' },
    { text: s.overBy > 0n ? formatPence(s.overBy) : '—', format: 'numeric', classes: 'app-nowrap' },
  ]);
}

export interface DecisionValues {
  readonly decision: string;
  readonly reasons: string;
  readonly panelMembers: string;
  readonly panelDate: { day: string; month: string; year: string };
}

export function signOffModel(view: SignOffView, form: { values: DecisionValues; errors: readonly FieldError[]; dateItems: unknown }) {
  const open = view.plan.status === 'submitted';
  return {
    title: `Sign off ${view.person.name}’s plan`,
    name: view.person.name,
    reference: view.person.reference,
    action: paths.signOff.plan({ planId: view.plan.id }),
    backHref: paths.signOff.queue(),
    rows: [
      { key: { text: 'Status' }, value: { text: view.plan.status } },
      { key: { text: 'Total a year' }, value: { text: formatPence(view.plan.totalPence) } },
      { key: { text: 'Written by' }, value: { text: view.plan.authorName } },
      { key: { text: 'Version' }, value: { text: String(view.plan.version) } },
      { key: { text: 'Route' }, value: { text: view.route === 'panel' ? 'Panel' : `${view.route.name} (up to ${formatPence(view.route.upToPence)})` } },
    ],
    totals: totalsRows(view.totals),
    contingencyText: formatPence(view.totals.contingencyPence),
    overBudgetReason: view.totals.overBudget ? view.content.overBudgetReason : '',
    dbs: view.dbs.map((d) => [
      { text: d.description },
      {
        text:
          d.record === null
            ? 'No DBS check recorded'
            : d.record.kind === 'check'
              ? `Checked on ${formatDate(d.record.checkedOn ?? '')}, certificate ${d.record.certificateNumber ?? ''}`
              : `Exception agreed: ${d.record.exceptionReason ?? ''}`,
      },
      { html: `<a class="govuk-link" href="${escapeHtml(paths.signOff.dbs({ planId: view.plan.id, itemId: d.itemId }))}">Record<span class="govuk-visually-hidden"> a DBS check or exception for ${escapeHtml(d.description)}</span></a>` },
    ]),
    decisions: decisionRows(view.decisions),
    refusals: noticeLinks(view.refusals),
    refuseHref: paths.signOff.refuse({ planId: view.plan.id }),
    cannotText: open && !view.panel && !view.mayDecide.ok ? view.mayDecide.reason : '',
    showForm: open && !view.panel && view.mayDecide.ok,
    showPanelForm: open && view.panel,
    values: form.values,
    errors: form.errors,
    dateItems: form.dateItems,
  };
}

export function submitModel(check: { planId: string; name: string; status: string; totalPence: bigint; problems: readonly { path: string; message: string }[] }, errors: readonly FieldError[], note: string) {
  return {
    title: 'Check the plan before you submit it',
    name: check.name,
    action: paths.signOff.submit({ planId: check.planId }),
    totalText: formatPence(check.totalPence),
    problems: check.problems.map((p) => p.message),
    canSubmit: check.status === 'draft' && check.problems.length === 0,
    statusText: check.status === 'draft' ? '' : check.status === 'returned' ? 'This plan was sent back: change it before submitting it again.' : `This plan is ${check.status}: it cannot be submitted.`,
    note,
    errors,
  };
}

export function agreeModel(input: { planId: string; name: string; totalPence: bigint; status: string; totals: PlanTotals }, form: { typedName: string; confirmed: boolean; errors: readonly FieldError[]; dateItems: unknown }) {
  return {
    title: `Agree ${input.name}’s plan`,
    name: input.name,
    action: paths.signOff.agree({ planId: input.planId }),
    totalText: formatPence(input.totalPence),
    lines: input.totals.byStreamAndManagement.map((l) => [{ text: STREAM_LABELS[l.stream] }, { text: MANAGEMENT_LABELS[l.management] }, { text: formatPence(l.annualPence), format: 'numeric' }]),
    canAgree: input.status === 'approved',
    statusText: input.status === 'approved' ? '' : input.status === 'agreed' ? 'This plan has been agreed.' : 'This plan has not been signed off yet. You can agree it once it is approved.',
    typedName: form.typedName,
    confirmed: form.confirmed,
    dateItems: form.dateItems,
    errors: form.errors,
  };
}

export function refuseModel(input: { planId: string; name: string; items: readonly { id: string; description: string }[] }, form: { outcome: string; category: string; reasons: string; itemIds: readonly string[]; errors: readonly FieldError[] }) {
  return {
    title: 'Refuse or withhold a direct payment',
    name: input.name,
    action: paths.signOff.refuse({ planId: input.planId }),
    backHref: paths.signOff.plan({ planId: input.planId }),
    outcomes: [
      { value: 'refused', text: 'Refuse a direct payment', checked: form.outcome === 'refused' },
      { value: 'withheld', text: 'Withhold a direct payment', checked: form.outcome === 'withheld' },
    ],
    categories: REFUSAL_CATEGORIES.map((c) => ({ value: c, text: REFUSAL_CATEGORY_LABELS[c], checked: form.category === c })),
    items: input.items.map((i) => ({ value: i.id, text: i.description, checked: form.itemIds.includes(i.id) })),
    reasons: form.reasons,
    errors: form.errors,
  };
}

export function noticeModel(view: NoticeView, printable: boolean) {
  return {
    title: view.notice.title,
    name: view.person.name,
    reference: view.person.reference,
    notice: view.notice,
    printable,
  };
}

export function dbsModel(input: { planId: string; description: string; itemId: string; mayException: boolean; mayCheck: boolean }, form: { kind: string; certificateNumber: string; reason: string; errors: readonly FieldError[]; dateItems: unknown }) {
  return {
    title: `DBS check: ${input.description}`,
    action: paths.signOff.dbs({ planId: input.planId, itemId: input.itemId }),
    mayException: input.mayException,
    mayCheck: input.mayCheck,
    ...form,
  };
}

export function tiersModel(tiers: readonly TierRecord[], form: { rows: readonly { name: string; upTo: string }[]; errors: readonly FieldError[]; saved: boolean } | null) {
  const rows = form?.rows ?? [...tiers.map((t) => ({ name: t.name, upTo: (Number(t.upToPence) / 100).toString() })), { name: '', upTo: '' }];
  return {
    title: 'Approval tiers',
    setUp: tiers.length > 0,
    rows: rows.map((r, index) => ({ index, number: index + 1, ...r })),
    errors: form?.errors ?? [],
    saved: form?.saved ?? false,
    action: paths.signOff.tiers(),
  };
}
