/** View models of the plan pages: everything the dumb templates show, worked out here. */
import { mayDo, type Actor } from '../../../domain/access/policy.ts';
import { STREAM_CODES, STREAM_LABELS } from '../../../domain/allocation/model.ts';
import { formatPence } from '../../../domain/money/money.ts';
import { MANAGEMENT_LABELS } from '../../../domain/people/people.ts';
import type { PlanContent } from '../../../domain/plans/content.ts';
import { SECTION_LABELS, type PlanChange } from '../../../domain/plans/diff.ts';
import { FREQUENCIES, MANAGEMENTS, MONEY_MANAGER_KINDS, OUTCOME_AREAS } from '../../../domain/plans/json.ts';
import { FREQUENCY_LABELS, MONEY_MANAGER_LABELS, OUTCOME_AREA_LABELS, formatQuantity } from '../../../domain/plans/labels.ts';
import type { PlanRecord, PlanVersionRecord } from '../../../db/repositories/plans.ts';
import type { PlanView } from '../../../services/plans.ts';
import { formatDate, formatWhen } from '../../format.ts';
import { paths } from '../../paths.ts';
import { decisionRows, noticeLinks } from '../sign-off/presenters.ts';
import type { FieldError, Values } from './form.ts';

export const STATUS_LABELS: Readonly<Record<string, string>> = {
  draft: 'Draft',
  submitted: 'Submitted for sign-off',
  returned: 'Returned for changes',
  approved: 'Approved',
  agreed: 'Agreed',
  superseded: 'Replaced by a later plan',
};

const COMMENT_STATUS: Readonly<Record<string, string>> = { open: 'Waiting for an answer', accepted: 'Accepted', declined: 'Declined' };

export const COMMENT_SECTIONS: readonly { value: string; text: string }[] = [
  { value: 'profile', text: 'About me' },
  { value: 'outcomes', text: 'Outcomes' },
  { value: 'support', text: 'Support' },
  { value: 'contingency', text: 'Contingency' },
  { value: 'risks', text: 'Risks and how I keep safe' },
  { value: 'money', text: 'Who manages the money' },
];

const row = (key: string, value: string, action?: { href: string; text: string; hidden: string }) => ({
  key: { text: key },
  value: { text: value === '' ? 'Not given yet' : value, classes: 'app-preserve-lines' },
  ...(action === undefined ? {} : { actions: { items: [{ href: action.href, text: action.text, visuallyHiddenText: action.hidden }] } }),
});

function header(plan: PlanRecord) {
  return { personName: plan.person.name, reference: plan.person.reference };
}

export function listModel(personId: string, plans: readonly PlanRecord[], openCases: readonly { id: string; requestDate: string }[], mayPlan: boolean) {
  const first = plans[0];
  const openPlanCases = new Set(plans.filter((p) => ['draft', 'submitted', 'returned', 'approved'].includes(p.status)).map((p) => p.caseId));
  return {
    title: 'Support plans',
    personName: first?.person.name ?? 'this person',
    reference: first?.person.reference ?? '',
    backHref: `/people/${encodeURIComponent(personId)}`,
    head: [{ text: 'Plan' }, { text: 'Status' }, { text: 'Version' }, { text: 'Last changed' }],
    rows: plans.map((p) => [
      { html: `<a class="govuk-link" href="${paths.plans.show({ planId: p.id })}">${p.kind === 'review' ? 'Review plan' : 'Plan'} started ${formatDate(p.createdAt.toISOString().slice(0, 10))}</a>` },
      { text: STATUS_LABELS[p.status] ?? p.status },
      { text: String(p.currentVersion) },
      { text: formatWhen(p.updatedAt) },
    ]),
    startForms: mayPlan
      ? openCases
          .filter((c) => !openPlanCases.has(c.id))
          .map((c) => ({ action: paths.plans.person({ personId }), caseId: c.id, text: `Start a plan for the case requested on ${formatDate(c.requestDate)}` }))
      : [],
  };
}

function itemOutcomes(content: PlanContent, ids: readonly string[]): string {
  return ids.map((id) => content.outcomes.find((o) => o.id === id)?.description ?? '').filter((d) => d !== '').join('; ');
}

const DONE_TEXT = {
  submitted: 'Plan submitted for sign-off. An approver whose limit covers it will approve it or send it back with reasons.',
  agreed: 'Plan agreed. Its personal budget is now in place for the plan period.',
} as const;

export function showModel(view: PlanView, actor: Actor, done?: keyof typeof DONE_TEXT) {
  const { plan, shown, totals } = view;
  const content = shown.content;
  const current = shown.version === plan.currentVersion;
  const canEdit = view.mayEdit && view.editable && current;
  const planId = plan.id;
  const edit = (section: string, hidden: string) => (canEdit ? { href: paths.plans.section({ planId, section }), text: 'Change', hidden } : undefined);
  const actions: { href: string; text: string }[] = [];
  if (view.mayComment && view.editable) {
    actions.push({ href: paths.plans.comment({ planId }), text: 'Comment on this plan' });
    actions.push({ href: paths.plans.budgetRequest({ planId }), text: 'Ask for a personal budget' });
  } else if (canEdit) {
    actions.push({ href: paths.plans.budgetRequest({ planId }), text: 'Record the family’s request for a personal budget' });
  }
  // Sign-off (src/web/pages/sign-off): what this actor may do next with the plan as it stands.
  if (current) {
    if (canEdit && plan.status === 'draft') actions.push({ href: paths.signOff.submit({ planId }), text: 'Check the plan and submit it for sign-off' });
    if (plan.status === 'submitted' && mayDo(actor, 'plan:approve')) actions.push({ href: paths.signOff.plan({ planId }), text: 'Approve or return this plan' });
    if (plan.status === 'approved' && mayDo(actor, 'plan:agree')) {
      actions.push({ href: paths.signOff.agree({ planId }), text: actor.kind === 'family' ? 'Agree to this plan and its personal budget' : 'Record the family’s agreement' });
    }
    const directPayment = shown.content.items.some((i) => i.management === 'direct_payment');
    if (directPayment && plan.status !== 'agreed' && plan.status !== 'superseded' && mayDo(actor, 'plan:refuse-direct-payment')) {
      actions.push({ href: paths.signOff.refuse({ planId }), text: 'Refuse or withhold a direct payment' });
    }
    if (mayDo(actor, 'plan:record-dbs') && plan.status !== 'agreed' && plan.status !== 'superseded') {
      for (const item of shown.content.items.filter((i) => i.paysPersonalAssistant && i.management === 'direct_payment')) {
        actions.push({ href: paths.signOff.dbs({ planId, itemId: item.id }), text: `DBS check for “${item.description}”` });
      }
    }
  }
  actions.push({ href: paths.plans.versions({ planId }), text: `See all ${view.versions.length} versions and compare them` });
  actions.push({ href: paths.plans.pdf({ planId }, current ? undefined : shown.version), text: 'Download the plan (PDF)' });
  const over = totals.byStream.filter((s) => s.overBy > 0n);
  return {
    title: `Support plan: ${plan.person.name}`,
    done: done === undefined ? undefined : DONE_TEXT[done],
    decisions: decisionRows(view.decisions),
    notices: noticeLinks(view.refusals),
    ...header(plan),
    backHref: paths.plans.person({ personId: plan.personId }),
    headerRows: [
      row('Status', STATUS_LABELS[plan.status] ?? plan.status),
      row('Version', `${shown.version} of ${plan.currentVersion}, saved ${formatWhen(shown.createdAt)} by ${shown.createdByName}`),
      row('Written by', plan.authorName),
      row('Total a year', formatPence(totals.totalPence)),
    ],
    oldVersionText: current ? '' : 'old',
    oldVersionHtml: current ? '' : `You are looking at version ${shown.version}. <a class="govuk-link" href="${paths.plans.show({ planId })}">See the current version</a>.`,
    overBudgetWarning:
      over.length === 0
        ? ''
        : `The plan costs more than the indicative budget for ${over.map((s) => `${STREAM_LABELS[s.stream]} (by ${formatPence(s.overBy)})`).join(' and ')}.${content.overBudgetReason.trim() === '' ? ' Explain why before submitting it.' : ''}`,
    problems: view.problems.filter(() => actor.kind === 'staff').map((p) => p.message),
    actions,
    profileRows: [
      row('What people like and admire about me', content.profile.likeAndAdmire, edit('profile', 'about me')),
      row('What is important to me', content.profile.importantToMe),
      row('How best to support me', content.profile.howToSupportMe),
      row('I statements', content.profile.iStatements.join('\n')),
    ],
    outcomes: content.outcomes.map((o) =>
      row(
        `${OUTCOME_AREA_LABELS[o.area]}: ${o.description}`,
        `By ${o.byWhen === '' ? 'no date' : formatDate(o.byWhen)}. How we will know: ${o.measure}`,
        canEdit ? { href: paths.plans.outcome({ planId, outcomeId: o.id }), text: 'Change', hidden: `outcome ${o.description}` } : undefined,
      ),
    ),
    newOutcomeHref: canEdit ? paths.plans.newOutcome({ planId }) : '',
    itemHead: [{ text: 'Support' }, { text: 'Cost' }, { text: 'Funding and managing' }, { text: 'Cost a year', format: 'numeric' }],
    itemRows: content.items.map((item, index) => [
      {
        html:
          `${canEdit ? `<a class="govuk-link" href="${paths.plans.item({ planId, itemId: item.id })}">` : ''}${escape(item.description)}${canEdit ? '</a>' : ''}` +
          (item.provider === '' ? '' : `<br><span class="govuk-body-s">${escape(item.provider)}</span>`) +
          (item.outcomeIds.length === 0 ? '' : `<br><span class="govuk-body-s">For: ${escape(itemOutcomes(content, item.outcomeIds))}</span>`),
      },
      { text: `${formatPence(item.unitCostPence)} × ${formatQuantity(item.quantity)}, ${FREQUENCY_LABELS[item.frequency].toLowerCase()}` },
      { text: `${STREAM_LABELS[item.stream]}. ${MANAGEMENT_LABELS[item.management]}${item.paysPersonalAssistant ? ', pays a personal assistant' : ''}` },
      { text: formatPence(totals.items[index]?.annualPence ?? 0n), format: 'numeric' },
    ]),
    newItemHref: canEdit ? paths.plans.newItem({ planId }) : '',
    streamHead: [{ text: 'Funding stream' }, { text: 'Plan', format: 'numeric' }, { text: 'Indicative budget', format: 'numeric' }, { text: 'Over by', format: 'numeric' }],
    streamRows: [
      ...totals.byStream.map((s) => [
        { text: STREAM_LABELS[s.stream] },
        { text: formatPence(s.planPence), format: 'numeric' },
        { text: s.indicativePence === null ? 'None' : formatPence(s.indicativePence), format: 'numeric' },
        { text: s.overBy > 0n ? formatPence(s.overBy) : '–', format: 'numeric' },
      ]),
      [{ text: 'Contingency' }, { text: formatPence(totals.contingencyPence), format: 'numeric' }, { text: '' }, { text: '' }],
      [{ text: 'Total' }, { text: formatPence(totals.totalPence), format: 'numeric' }, { text: '' }, { text: '' }],
    ],
    otherRows: [
      row('Contingency', content.contingency.amountPence === 0n ? 'None' : `${formatPence(content.contingency.amountPence)}: ${content.contingency.purpose}`, edit('contingency', 'contingency')),
      row('Risks and how I keep safe', content.risks, edit('risks', 'risks')),
      row('Who manages a direct payment', `${MONEY_MANAGER_LABELS[content.moneyManager.kind]}${content.moneyManager.name === '' ? '' : `: ${content.moneyManager.name}`}`, edit('money', 'who manages the money')),
      row('Why the plan costs more than the indicative budget', content.overBudgetReason, edit('over-budget', 'why the plan costs more')),
    ],
    comments: view.comments.map((c) =>
      row(
        `${c.authorName} on ${COMMENT_SECTIONS.find((s) => s.value === c.section)?.text ?? c.section}, ${formatWhen(c.createdAt)}`,
        [c.body, c.proposedChange === null ? '' : `Proposed change: ${c.proposedChange}`, `${COMMENT_STATUS[c.status] ?? c.status}${c.responseNote ? `: ${c.responseNote}` : ''}`].filter((s) => s !== '').join('\n'),
        c.status === 'open' && view.mayEdit && view.editable ? { href: paths.plans.respond({ planId, commentId: c.id }), text: 'Answer', hidden: `comment by ${c.authorName}` } : undefined,
      ),
    ),
    requests: view.budgetRequests.map(
      (r) =>
        `${formatDate(r.requestedOn)}: ${r.requestedByName} asked for a personal budget for ${
          r.scope === 'all' ? 'all the support' : r.itemIds.map((id) => content.items.find((i) => i.id === id)?.description ?? 'support no longer in the plan').join(', ')
        }${r.note === null ? '' : ` (${r.note})`}`,
    ),
  };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// ---- Forms ---------------------------------------------------------------------------------------
type Field = Record<string, unknown>;
function errorOf(errors: readonly FieldError[], name: string): string | undefined {
  return errors.find((e) => e.field === name || e.field.startsWith(`${name}-`))?.text;
}
const choice = (values: Values, name: string, options: readonly { value: string; text: string }[]) =>
  options.map((o) => ({ value: o.value, text: o.text, checked: Array.isArray(values[name]) ? (values[name] as string[]).includes(o.value) : values[name] === o.value }));

export function formModel(
  plan: PlanRecord,
  page: { heading: string; action: string; fields: Field[]; errors: readonly FieldError[]; submitText?: string; intro?: string; remove?: { action: string; text: string } },
) {
  return {
    title: page.errors.length > 0 ? `Error: ${page.heading}` : page.heading,
    ...header(plan),
    backHref: paths.plans.show({ planId: plan.id }),
    heading: page.heading,
    intro: page.intro,
    action: page.action,
    submitText: page.submitText,
    removeAction: page.remove?.action ?? '',
    removeText: page.remove?.text ?? '',
    errors: page.errors,
    fields: page.fields.map((f) => ({ ...f, error: errorOf(page.errors, f['name'] as string) })),
  };
}

export function outcomeFields(values: Values): Field[] {
  const v = (n: string) => values[n] as string;
  return [
    { kind: 'radios', name: 'area', label: 'Area', items: choice(values, 'area', OUTCOME_AREAS.map((a) => ({ value: a, text: OUTCOME_AREA_LABELS[a] }))) },
    { kind: 'textarea', name: 'description', label: 'What is the outcome?', hint: 'In the person’s words, for example “I can go swimming on my own”', value: v('description'), rows: 3 },
    {
      kind: 'date',
      name: 'byWhen',
      label: 'By when?',
      hint: 'For example, 31 7 2027',
      items: [
        { name: 'day', label: 'Day', classes: 'govuk-input--width-2', value: v('byWhen-day') },
        { name: 'month', label: 'Month', classes: 'govuk-input--width-2', value: v('byWhen-month') },
        { name: 'year', label: 'Year', classes: 'govuk-input--width-4', value: v('byWhen-year') },
      ],
    },
    { kind: 'textarea', name: 'measure', label: 'How will we know?', value: v('measure'), rows: 3 },
  ];
}

export function itemFields(values: Values, content: PlanContent, funded: readonly string[]): Field[] {
  const v = (n: string) => values[n] as string;
  const fields: Field[] = [
    { kind: 'input', name: 'description', label: 'What is the support?', hint: 'For example, Personal assistant', value: v('description') },
    { kind: 'input', name: 'provider', label: 'Who provides it? (optional)', value: v('provider') },
    { kind: 'input', name: 'unitCost', label: 'Cost of each unit', hint: 'In pounds, for example 15.50 for an hour', value: v('unitCost'), prefix: '£', classes: 'govuk-input--width-10', inputmode: 'decimal' },
    { kind: 'input', name: 'quantity', label: 'How many units each time', hint: 'For example, 6 hours. Up to 2 decimal places', value: v('quantity'), classes: 'govuk-input--width-5', inputmode: 'decimal' },
    { kind: 'radios', name: 'frequency', label: 'How often', items: choice(values, 'frequency', FREQUENCIES.map((f) => ({ value: f, text: FREQUENCY_LABELS[f] }))) },
    { kind: 'radios', name: 'stream', label: 'Which funding stream pays for it', items: choice(values, 'stream', STREAM_CODES.filter((s) => funded.includes(s)).map((s) => ({ value: s, text: STREAM_LABELS[s] }))) },
    { kind: 'radios', name: 'management', label: 'How the money is managed', items: choice(values, 'management', MANAGEMENTS.map((m) => ({ value: m, text: MANAGEMENT_LABELS[m] }))) },
  ];
  if (content.outcomes.length > 0) {
    fields.push({ kind: 'checkboxes', name: 'outcomeIds', label: 'Which outcomes does it serve?', hint: 'Select all that apply', items: choice(values, 'outcomeIds', content.outcomes.map((o) => ({ value: o.id, text: o.description }))) });
  }
  fields.push({ kind: 'checkboxes', name: 'paysPersonalAssistant', label: 'Personal assistant', items: choice(values, 'paysPersonalAssistant', [{ value: 'yes', text: 'This pays a personal assistant (by direct payment)' }]) });
  return fields;
}

export function sectionFields(section: string, values: Values): { heading: string; fields: Field[] } | undefined {
  const v = (n: string) => (values[n] as string | undefined) ?? '';
  switch (section) {
    case 'profile':
      return {
        heading: 'About me',
        fields: [
          { kind: 'textarea', name: 'likeAndAdmire', label: 'What people like and admire about me', value: v('likeAndAdmire') },
          { kind: 'textarea', name: 'importantToMe', label: 'What is important to me', value: v('importantToMe') },
          { kind: 'textarea', name: 'howToSupportMe', label: 'How best to support me', value: v('howToSupportMe') },
          { kind: 'textarea', name: 'iStatements', label: 'I statements', hint: 'One on each line, for example “I like to be told what is happening next”', value: v('iStatements'), rows: 8 },
        ],
      };
    case 'contingency':
      return {
        heading: 'Contingency',
        fields: [
          { kind: 'input', name: 'amount', label: 'Amount set aside a year', hint: 'In pounds. Leave empty for none', value: v('amount'), prefix: '£', classes: 'govuk-input--width-10', inputmode: 'decimal' },
          { kind: 'textarea', name: 'purpose', label: 'What it is for', value: v('purpose'), rows: 3 },
        ],
      };
    case 'risks':
      return { heading: 'Risks and how I keep safe', fields: [{ kind: 'textarea', name: 'risks', label: 'Risks and how I keep safe', value: v('risks'), rows: 8 }] };
    case 'money':
      return {
        heading: 'Who manages the money',
        fields: [
          { kind: 'radios', name: 'kind', label: 'Who will manage a direct payment?', items: choice(values, 'kind', MONEY_MANAGER_KINDS.map((k) => ({ value: k, text: MONEY_MANAGER_LABELS[k] }))) },
          { kind: 'input', name: 'name', label: 'Their name (for a parent carer, nominee or suitable person)', value: v('name') },
        ],
      };
    case 'over-budget':
      return {
        heading: 'Why the plan costs more than the indicative budget',
        fields: [{ kind: 'textarea', name: 'overBudgetReason', label: 'Explain why the plan costs more than the indicative budget', value: v('overBudgetReason'), rows: 8 }],
      };
    default:
      return undefined;
  }
}

export function sectionValues(section: string, content: PlanContent): Values {
  switch (section) {
    case 'profile':
      return { ...content.profile, iStatements: content.profile.iStatements.join('\n') };
    case 'contingency':
      return { amount: content.contingency.amountPence === 0n ? '' : (Number(content.contingency.amountPence) / 100).toFixed(2), purpose: content.contingency.purpose };
    case 'risks':
      return { risks: content.risks };
    case 'money':
      return { kind: content.moneyManager.kind, name: content.moneyManager.name };
    default:
      return { overBudgetReason: content.overBudgetReason };
  }
}

export function commentFields(values: Values): Field[] {
  return [
    { kind: 'radios', name: 'section', label: 'Which part of the plan is your comment about?', items: choice(values, 'section', COMMENT_SECTIONS) },
    { kind: 'textarea', name: 'body', label: 'Your comment', value: values['body'] ?? '' },
    { kind: 'textarea', name: 'proposedChange', label: 'What would you change? (optional)', hint: 'Write the words you would like the plan to say', value: values['proposedChange'] ?? '' },
  ];
}

export function respondFields(values: Values): Field[] {
  return [
    { kind: 'radios', name: 'decision', label: 'Do you accept the comment?', items: choice(values, 'decision', [{ value: 'accept', text: 'Accept it' }, { value: 'decline', text: 'Decline it' }]) },
    { kind: 'textarea', name: 'note', label: 'Note for the family', hint: 'Say what you changed, or why you are declining it. Needed when you decline', value: values['note'] ?? '' },
  ];
}

export function budgetRequestFields(values: Values, content: PlanContent): Field[] {
  return [
    { kind: 'radios', name: 'scope', label: 'What should the personal budget cover?', items: choice(values, 'scope', [{ value: 'all', text: 'All the support' }, { value: 'some', text: 'Some of the support' }]) },
    { kind: 'checkboxes', name: 'itemIds', label: 'Which support? (when some)', items: choice(values, 'itemIds', content.items.map((i) => ({ value: i.id, text: i.description }))) },
    { kind: 'textarea', name: 'note', label: 'Anything else (optional)', value: values['note'] ?? '' },
  ];
}

// ---- Versions and differences ----------------------------------------------------------------------
export function versionsModel(plan: PlanRecord, versions: readonly Omit<PlanVersionRecord, 'content'>[], compared?: { from: number; to: number; changes: readonly PlanChange[] }) {
  const numbers = versions.map((v) => v.version);
  const from = compared?.from ?? Math.min(...numbers);
  const to = compared?.to ?? Math.max(...numbers);
  const items = (selected: number) => numbers.map((n) => ({ value: String(n), text: `Version ${n}`, selected: n === selected }));
  return {
    title: compared === undefined ? 'Versions of the plan' : `Changes from version ${compared.from} to version ${compared.to}`,
    ...header(plan),
    heading: compared === undefined ? 'Versions of the plan' : `Changes from version ${compared.from} to version ${compared.to}`,
    backHref: compared === undefined ? paths.plans.show({ planId: plan.id }) : paths.plans.versions({ planId: plan.id }),
    versionHead: [{ text: 'Version' }, { text: 'Saved' }, { text: 'By' }, { text: 'What changed' }, { text: 'Total a year', format: 'numeric' }],
    versionRows: versions.map((v) => [
      { html: `<a class="govuk-link" href="${paths.plans.show({ planId: plan.id }, v.version)}">Version ${v.version}</a>` },
      { text: formatWhen(v.createdAt) },
      { text: v.createdByName },
      { text: v.changeNote },
      { text: formatPence(v.totalPence), format: 'numeric' },
    ]),
    changes:
      compared === undefined
        ? null
        : compared.changes.map((c) => [
            { text: `${SECTION_LABELS[c.section]}: ${c.label}` },
            { text: c.kind === 'added' ? 'Added' : c.kind === 'removed' ? 'Removed' : 'Changed' },
            { text: c.before ?? '–' },
            { text: c.after ?? '–' },
          ]),
    changeHead: [{ text: 'What' }, { text: 'Change' }, { text: 'Before' }, { text: 'After' }],
    versionItems: numbers,
    fromItems: items(from),
    toItems: items(to),
    compareAction: paths.plans.compare({ planId: plan.id }),
  };
}
