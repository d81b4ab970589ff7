/** View models of the monitoring pages: the templates only lay these out. */
import type { Actor } from '../../../domain/access/policy.ts';
import { mayDo } from '../../../domain/access/policy.ts';
import { categoryLabel } from '../../../domain/monitoring/categories.ts';
import { isLate, type ChallengeOutcome } from '../../../domain/monitoring/challenge.ts';
import type { MonitoringFlag } from '../../../domain/monitoring/flags.ts';
import type { StatementCsvError } from '../../../domain/monitoring/statement-csv.ts';
import { formatPence } from '../../../domain/money/money.ts';
import type { RecoveryRecord } from '../../../db/repositories/monitoring.ts';
import type { FinanceList, FlagKind, PersonHeader, RolloverView, SpendingView } from '../../../services/monitoring.ts';
import type { RecoveryView, WaitingRecovery } from '../../../services/recoveries.ts';
import { escapeHtml, formatDate, formatDayOf, formatWhen } from '../../format.ts';
import { paths } from '../../paths.ts';
import { paginationOf, showingText } from '../../pagination.ts';
import type { DateParts } from '../../forms/date-input.ts';
import { dateItems, EMPTY_DATE } from '../sign-off/form.ts';

export interface FieldError {
  readonly field: string;
  readonly text: string;
}

const DONE: Readonly<Record<string, string>> = {
  uploaded: 'The statement was uploaded and its spending recorded.',
  entered: 'The spending was recorded.',
  proposed: 'The recovery was proposed. Another finance officer or an approver must decide it.',
  decided: 'The decision was recorded.',
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A flag in words, as the page and the finance list show it. */
export function flagText(flag: MonitoringFlag): string {
  switch (flag.kind) {
    case 'not_permitted_category':
      return `${plural(flag.lineIds.length, 'line is', 'lines are')} in a category the council does not allow: ${flag.categoryLabel} (${formatPence(flag.spentPence)})`;
    case 'missing_return':
      return `No return received for the quarter ending ${formatDate(flag.dueDate)}`;
    case 'surplus':
      return `${formatPence(flag.surplusPence)} above the surplus threshold`;
  }
}

export const FLAG_LABELS: Readonly<Record<FlagKind, string>> = {
  not_permitted_category: 'Spending not allowed',
  missing_return: 'Missing returns',
  surplus: 'Surplus',
};

const STATUS_LABELS: Readonly<Record<RecoveryRecord['status'], string>> = { proposed: 'Waiting for a decision', approved: 'Approved', cancelled: 'Cancelled' };
const KIND_LABELS: Readonly<Record<RecoveryRecord['kind'], string>> = { surplus: 'Surplus', year_end: 'Year end' };

export function spendingModel(view: SpendingView, actor: Actor, done: string | undefined) {
  const personId = view.person.id;
  const account = view.account;
  const notAllowed = new Set(view.categories.filter((c) => !c.permitted).map((c) => c.code));
  const r = account?.result.reconciliation;
  const summary =
    account === undefined || r === undefined
      ? []
      : [
          { key: { text: 'Period' }, value: { text: `${formatDate(account.period.start)} to ${formatDate(account.period.end)}` } },
          { key: { text: 'Balance at the start' }, value: { text: formatPence(account.openingPence) } },
          { key: { text: 'Paid in' }, value: { text: formatPence(r.paidInPence) } },
          { key: { text: 'Spent (less refunds)' }, value: { text: formatPence(r.spentPence) } },
          ...(account.otherMovementsPence !== 0n ? [{ key: { text: 'Recovered or corrected' }, value: { text: formatPence(account.otherMovementsPence) } }] : []),
          { key: { text: 'Balance' }, value: { text: formatPence(r.balancePence) } },
          { key: { text: 'Agreed contingency' }, value: { text: formatPence(account.contingencyPence) } },
          { key: { text: `Threshold (${account.settings.surplusThresholdWeeks} weeks of payments)` }, value: { text: formatPence(r.thresholdPence) } },
          { key: { text: 'Surplus above the threshold' }, value: { text: formatPence(r.surplusPence) } },
        ];
  const lines = view.returns.flatMap((ret) => ret.lines);
  lines.sort((a, b) => (a.spentOn < b.spentOn ? -1 : a.spentOn > b.spentOn ? 1 : 0));
  return {
    title: `Direct payment spending: ${view.person.name}`,
    name: view.person.name,
    reference: view.person.reference,
    done: done === undefined ? undefined : DONE[done],
    backHref: paths.people.show({ personId }),
    hasAccount: account !== undefined,
    flags: (account?.result.flags ?? []).map(flagText),
    summary,
    returns: view.returns.map((ret) => [
      { text: formatWhen(ret.submittedAt) },
      { text: ret.source === 'upload' ? `Statement file ${ret.fileName ?? ''}`.trim() : 'Entered by hand' },
      { text: ret.submittedByName },
      { text: String(ret.lineCount), format: 'numeric' },
    ]),
    lines: lines.map((l) => [
      { text: formatDate(l.spentOn), classes: 'app-nowrap' },
      { text: l.payee + (l.reference === '' ? '' : ` (${l.reference})`) },
      { html: `${escapeHtml(categoryLabel(l.category))}${notAllowed.has(l.category) && l.type === 'spend' ? ' <strong class="govuk-tag govuk-tag--red">Not allowed</strong>' : ''}` },
      { text: l.type === 'refund' ? 'Refund' : 'Spending' },
      { text: formatPence(l.amountPence), format: 'numeric', classes: 'app-nowrap' },
      l.receiptType === null
        ? { text: 'None' }
        : { html: `<a class="govuk-link" href="${escapeHtml(paths.monitoring.receipt({ lineId: l.id }))}">Download<span class="govuk-visually-hidden"> the receipt for ${escapeHtml(l.payee)} on ${escapeHtml(formatDate(l.spentOn))}</span></a>` },
    ]),
    recoveries: view.recoveries.map((rec) => [
      { text: formatDayOf(rec.proposedAt) },
      { text: KIND_LABELS[rec.kind] },
      { text: formatPence(rec.amountPence), format: 'numeric' },
      { text: STATUS_LABELS[rec.status] },
      rec.status === 'approved'
        ? { html: `<a class="govuk-link" href="${escapeHtml(paths.monitoring.notice({ recoveryId: rec.id }))}">Read the notice</a>` }
        : rec.status === 'proposed' && mayDo(actor, 'recovery:decide')
          ? { html: `<a class="govuk-link" href="${escapeHtml(paths.monitoring.recovery({ recoveryId: rec.id }))}">Decide</a>` }
          : { text: '' },
    ]),
    uploadHref: paths.monitoring.upload({ personId }),
    enterLineHref: paths.monitoring.enterLine({ personId }),
    proposeHref: mayDo(actor, 'recovery:propose') && r !== undefined && r.surplusPence > 0n ? paths.monitoring.proposeRecovery({ personId }) : undefined,
    yearEndHref: mayDo(actor, 'recovery:propose') && account !== undefined ? paths.monitoring.yearEnd({ personId }) : undefined,
  };
}

/** "Row 4, column amount: …" for each problem in a statement (row 0 is the whole file). */
export function csvErrorList(errors: readonly StatementCsvError[]): FieldError[] {
  return errors.map((e) => ({
    field: 'statement',
    text: e.row === 0 ? e.message : e.column === '' ? `Row ${e.row}: ${e.message}` : `Row ${e.row}, column ${e.column}: ${e.message}`,
  }));
}

export function uploadModel(view: SpendingView, errors: readonly FieldError[]) {
  return {
    title: 'Upload a statement',
    name: view.person.name,
    backHref: paths.monitoring.spending({ personId: view.person.id }),
    action: paths.monitoring.upload({ personId: view.person.id }),
    errors,
    categories: view.categories.map((c) => [{ text: c.label }, { text: c.code }, { text: c.permitted ? 'Yes' : 'No' }]),
  };
}

export interface LineValues {
  readonly day: string;
  readonly month: string;
  readonly year: string;
  readonly payee: string;
  readonly category: string;
  readonly amount: string;
  readonly type: string;
  readonly reference: string;
}

export const EMPTY_LINE: LineValues = { day: '', month: '', year: '', payee: '', category: '', amount: '', type: 'spend', reference: '' };

export function lineModel(view: SpendingView, values: LineValues, errors: readonly FieldError[]) {
  const dateError = errors.some((e) => e.field === 'date');
  const cls = (width: string) => `govuk-input--width-${width}${dateError ? ' govuk-input--error' : ''}`;
  return {
    title: 'Record spending',
    name: view.person.name,
    backHref: paths.monitoring.spending({ personId: view.person.id }),
    action: paths.monitoring.enterLine({ personId: view.person.id }),
    errors,
    values,
    dateItems: [
      { name: 'day', label: 'Day', value: values.day, classes: cls('2') },
      { name: 'month', label: 'Month', value: values.month, classes: cls('2') },
      { name: 'year', label: 'Year', value: values.year, classes: cls('4') },
    ],
    categoryItems: [
      { value: '', text: 'Select a category', selected: values.category === '' },
      ...view.categories.map((c) => ({ value: c.code, text: c.permitted ? c.label : `${c.label} (not allowed)`, selected: values.category === c.code })),
    ],
    typeItems: [
      { value: 'spend', text: 'Spending', checked: values.type !== 'refund' },
      { value: 'refund', text: 'A refund: money paid back', checked: values.type === 'refund' },
    ],
  };
}

export function proposeModel(view: SpendingView, values: { amount: string; reasons: string }, errors: readonly FieldError[]) {
  const r = view.account?.result.reconciliation;
  return {
    title: 'Propose recovering surplus',
    name: view.person.name,
    backHref: paths.monitoring.spending({ personId: view.person.id }),
    action: paths.monitoring.proposeRecovery({ personId: view.person.id }),
    surplusText: r === undefined ? '£0.00' : formatPence(r.surplusPence),
    errors,
    values,
  };
}

/**
 * The year-end page. `typed` is what was typed in the date fields when it was not a date (shown
 * again with its error); otherwise the fields show the day the working is for.
 */
export function yearEndModel(
  found: { person: PersonHeader; rollover: Omit<RolloverView, 'person'> | undefined },
  errors: readonly FieldError[],
  reasons: string,
  typed?: DateParts,
) {
  const view = found.rollover;
  const base = {
    title: 'Year-end rollover',
    name: found.person.name,
    backHref: paths.monitoring.spending({ personId: found.person.id }),
    formAction: paths.monitoring.yearEnd({ personId: found.person.id }),
    errors,
    reasons,
  };
  if (view === undefined) return { ...base, noDirectPayment: true };
  return {
    ...base,
    noDirectPayment: false,
    asOf: view.asOf,
    asOfText: formatDate(view.asOf),
    asOfItems: dateItems('asOf', typed ?? partsOf(view.asOf), typed !== undefined),
    asOfError: errors.find((e) => e.field === 'asOf-day')?.text,
    budgetText: `${formatDate(view.budget.startsOn)} to ${formatDate(view.budget.endsOn)}`,
    policyText: `Up to ${view.carryPercent}% of the year’s direct payment may be carried forward. The agreed contingency always stays on the account.`,
    explanation: view.rollover.explanation,
    recoveryText: formatPence(view.rollover.proposedRecoveryPence),
    canPropose: view.rollover.proposedRecoveryPence > 0n,
  };
}

/** What was entered in the challenge forms, kept when a form comes back with errors. */
export interface ChallengeValues {
  readonly receivedOn: DateParts;
  readonly summary: string;
  readonly outcome: string;
  readonly repay: string;
  readonly challengeNote: string;
}

export const EMPTY_CHALLENGE: ChallengeValues = { receivedOn: EMPTY_DATE, summary: '', outcome: '', repay: '', challengeNote: '' };

const OUTCOME_WORDS: Readonly<Record<ChallengeOutcome, string>> = {
  upheld: 'Upheld: all the money recovered was paid back',
  partly_upheld: 'Partly upheld: some of the money recovered was paid back',
  not_upheld: 'Not upheld: the recovery stands',
};

/** The challenge's history on the recovery page: received (late or not), then the outcome. */
function challengeRows(r: RecoveryRecord) {
  const c = r.challenge;
  if (c === null) return [];
  const late = isLate(c.receivedOn, r.challengeBy);
  return [
    { key: { text: 'Challenge received' }, value: { text: `${formatDate(c.receivedOn)}${late ? ` (late: the date to challenge by was ${formatDate(r.challengeBy ?? '')})` : ''}` } },
    { key: { text: 'Recorded by' }, value: { text: `${c.recordedByName}, ${formatWhen(c.recordedAt)}` } },
    { key: { text: 'What the family said' }, value: { text: c.summary } },
    ...(c.decision === null
      ? [{ key: { text: 'Outcome' }, value: { text: 'Waiting for someone who was not part of the decision to decide' } }]
      : [
          { key: { text: 'Outcome' }, value: { text: OUTCOME_WORDS[c.decision.outcome] } },
          { key: { text: 'Paid back' }, value: { text: formatPence(c.decision.repaidPence) } },
          { key: { text: 'Decided by' }, value: { text: `${c.decision.decidedByName}, ${formatWhen(c.decision.decidedAt)}` } },
          { key: { text: 'Note' }, value: { text: c.decision.note } },
        ]),
  ];
}

export function recoveryModel(view: RecoveryView, values: { decision: string; note: string }, errors: readonly FieldError[], challenge: ChallengeValues = EMPTY_CHALLENGE) {
  const r = view.recovery;
  return {
    title: 'Decide a recovery',
    name: view.person.name,
    reference: view.person.reference,
    backHref: paths.monitoring.waiting(),
    spendingHref: paths.monitoring.spending({ personId: r.personId }),
    action: paths.monitoring.recovery({ recoveryId: r.id }),
    rows: [
      { key: { text: 'Amount' }, value: { text: formatPence(r.amountPence) } },
      { key: { text: 'Kind' }, value: { text: KIND_LABELS[r.kind] } },
      { key: { text: 'Proposed by' }, value: { text: `${r.proposedByName}, ${formatWhen(r.proposedAt)}` } },
      { key: { text: 'Status' }, value: { text: STATUS_LABELS[r.status] } },
      ...(r.decidedByName !== null && r.decidedAt !== null ? [{ key: { text: 'Decided by' }, value: { text: `${r.decidedByName}, ${formatWhen(r.decidedAt)}` } }] : []),
      ...(r.decisionNote !== null ? [{ key: { text: 'Note' }, value: { text: r.decisionNote } }] : []),
    ],
    reasons: view.reasons.split('\n').filter((l) => l.trim() !== ''),
    working: view.working,
    mayDecide: view.mayDecide.ok,
    whyNot: view.mayDecide.ok ? undefined : view.mayDecide.reason,
    noticeHref: r.status === 'approved' && view.mayReadNotice ? paths.monitoring.notice({ recoveryId: r.id }) : undefined,
    values,
    errors,
    decisionItems: [
      { value: 'approve', text: `Approve: recover ${formatPence(r.amountPence)} and send the family the notice`, checked: values.decision === 'approve' },
      { value: 'cancel', text: 'Cancel: do not recover this money', checked: values.decision === 'cancel' },
    ],
    challengeRows: challengeRows(r),
    challenge,
    mayRecordChallenge: view.mayRecordChallenge,
    recordChallengeAction: paths.monitoring.recordChallenge({ recoveryId: r.id }),
    receivedOnItems: dateItems('receivedOn', challenge.receivedOn, errors.some((e) => e.field === 'receivedOn')),
    mayDecideChallenge: view.mayDecideChallenge.ok,
    whyNotChallenge: view.mayDecideChallenge.ok || r.challenge === null || r.challenge.decision !== null ? undefined : view.mayDecideChallenge.reason,
    decideChallengeAction: paths.monitoring.decideChallenge({ recoveryId: r.id }),
    outcomeItems: [
      { value: 'upheld', text: `Upheld: pay back all ${formatPence(r.amountPence)}`, checked: challenge.outcome === 'upheld' },
      { value: 'partly_upheld', text: 'Partly upheld: pay back part of it', checked: challenge.outcome === 'partly_upheld' },
      { value: 'not_upheld', text: 'Not upheld: the recovery stands', checked: challenge.outcome === 'not_upheld' },
    ],
  };
}

/** How many restricted records a list leaves out, in words; empty when none. */
function restrictedNote(count: number, one: string, many: string): string {
  if (count === 0) return '';
  const which = count === 1 ? `1 ${one} on a restricted record you are not named on is` : `${count.toLocaleString('en-GB')} ${many} on restricted records you are not named on are`;
  return `${which} not shown here. An administrator can name you on a record.`;
}

export function waitingModel({ rows, restrictedNotShown }: { rows: readonly WaitingRecovery[]; restrictedNotShown: number }) {
  return {
    title: 'Recoveries waiting for a decision',
    restrictedNote: restrictedNote(restrictedNotShown, 'recovery', 'recoveries'),
    rows: rows.map((r) => [
      { text: r.personReference },
      { html: `<a class="govuk-link" href="${escapeHtml(paths.monitoring.recovery({ recoveryId: r.id }))}">${escapeHtml(r.personName)}</a>` },
      { text: r.waitingFor === 'challenge' ? `Challenge by the family (${KIND_LABELS[r.kind].toLowerCase()})` : KIND_LABELS[r.kind] },
      { text: formatPence(r.amountPence), format: 'numeric' },
      { text: `${r.proposedByName}, ${formatDayOf(r.proposedAt)}` },
      { text: r.mayDecide.ok ? 'You can decide it' : r.mayDecide.reason },
    ]),
  };
}

/**
 * The family's notice: plain English, printable. The family may challenge it from here until a
 * challenge is received (`form` keeps what they wrote when it comes back with a problem); staff
 * print it for a family without an account.
 */
export function noticeModel(view: RecoveryView, councilName: string, staff: boolean, form: { summary: string; errors: readonly FieldError[] } = { summary: '', errors: [] }) {
  const r = view.recovery;
  const amount = formatPence(r.amountPence);
  const challengeBy = r.challengeBy === null ? '' : formatDate(r.challengeBy);
  const decidedOn = r.decidedAt === null ? '' : formatDayOf(r.decidedAt);
  return {
    title: `We are recovering ${amount} from a direct payment`,
    name: view.person.name,
    reference: view.person.reference,
    intro: [
      `${councilName} has decided to recover ${amount} from the direct payment for ${view.person.name}.`,
      `The decision was made on ${decidedOn}. ${r.kind === 'surplus' ? 'The money was not needed for the support in the plan: it is more than the account should hold.' : 'The year has ended and this money was not carried forward under the council’s rollover policy.'}`,
    ],
    reasons: view.reasons.split('\n').filter((l) => l.trim() !== ''),
    working: view.working,
    challenge: [
      `If you think this decision is wrong, you can challenge it. Tell us by ${challengeBy}.`,
      'Tell us why you think it is wrong: for example, money you have already promised to pay for support in the plan, bills still to come, or needs that have changed. Send any invoices or receipts that help show this.',
      staff
        ? `Contact the direct payments finance team at ${councilName}, or ask your lead worker to pass your challenge on. Quote the reference ${view.person.reference}.`
        : `You can send your challenge below, contact the direct payments finance team at ${councilName}, or ask your lead worker to pass it on. Quote the reference ${view.person.reference}.`,
      'Someone who was not part of this decision will look at your challenge. If we agree with you, we will pay the money back into the direct payment account.',
    ],
    challengeStatus: noticeChallenge(r),
    mayChallenge: view.mayChallenge,
    challengeAction: paths.monitoring.challenge({ recoveryId: r.id }),
    summary: form.summary,
    errors: form.errors,
    printable: staff,
    backHref: staff ? paths.monitoring.spending({ personId: r.personId }) : paths.people.show({ personId: r.personId }),
  };
}

/** What happened to the family's challenge, in the words the notice uses; empty when there was none. */
export function noticeChallenge(r: RecoveryRecord): string[] {
  const c = r.challenge;
  if (c === null) return [];
  const lines = [`We received your challenge on ${formatDate(c.receivedOn)}.`];
  if (c.decision === null) return [...lines, 'Someone who was not part of the decision is looking at it. We will write to you when they have decided.'];
  const on = formatDayOf(c.decision.decidedAt);
  const d = c.decision;
  if (d.outcome === 'upheld') lines.push(`We looked again and decided on ${on} that you were right: we should not have recovered this money.`);
  else if (d.outcome === 'partly_upheld') lines.push(`We looked again and decided on ${on} that you were partly right: we should not have recovered some of this money.`);
  else lines.push(`We looked again and decided on ${on} that the recovery stands.`);
  lines.push(d.note);
  if (d.repaidPence > 0n) lines.push(`${formatPence(d.repaidPence)} has been paid back into your direct payment account on ${on}.`);
  else lines.push('If you are still unhappy, you can complain to the Local Government and Social Care Ombudsman.');
  return lines;
}

export function financeListModel({ rows, restrictedNotShown, total, page, pageCount, pageSize }: FinanceList, flag: FlagKind | undefined) {
  return {
    title: 'Direct payment monitoring',
    restrictedNote: restrictedNote(restrictedNotShown, 'direct payment', 'direct payments'),
    flag: flag ?? '',
    filterAction: paths.monitoring.financeList(),
    filterItems: [
      { value: '', text: 'Everyone with a direct payment', selected: flag === undefined },
      ...(Object.entries(FLAG_LABELS) as [FlagKind, string][]).map(([value, text]) => ({ value, text: `Only: ${text.toLowerCase()}`, selected: flag === value })),
    ],
    waitingHref: paths.monitoring.waiting(),
    rows: rows.map((r) => [
      { text: r.person.reference },
      { html: `<a class="govuk-link" href="${escapeHtml(paths.monitoring.spending({ personId: r.person.id }))}">${escapeHtml(r.person.name)}</a>` },
      { text: String(r.counts.not_permitted_category), format: 'numeric' },
      { text: String(r.counts.missing_return), format: 'numeric' },
      { text: r.counts.surplus > 0 ? formatPence(r.surplusPence) : 'None', format: 'numeric' },
      { text: formatPence(r.balancePence), format: 'numeric' },
    ]),
    resultText: showingText(page, pageSize, total, 'person', 'people'),
    pagination: paginationOf(page, pageCount, (n) => paths.monitoring.financeList({ flag: flag ?? '', page: n })),
  };
}

/** 'YYYY-MM-DD' as the date fields show it: 2026-11-21 → 21 11 2026. */
function partsOf(date: string): DateParts {
  const [year = '', month = '', day = ''] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}
