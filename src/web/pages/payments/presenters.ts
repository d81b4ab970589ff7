/** Page models of payment runs and bank details: plain text and GOV.UK component arguments. */
import { formatPence } from '../../../domain/money/money.ts';
import type { PaymentRunRecord, BankDetailsRecord, PersonName } from '../../../db/repositories/payment-runs.ts';
import type { RemittanceView, RunPreviewView, RunView, StreamTotal } from '../../../services/payment-runs.ts';
import { escapeHtml, formatDate, formatWhen } from '../../format.ts';
import { paths } from '../../paths.ts';

export interface FieldError {
  readonly field: string;
  readonly text: string;
}

const STATUS: Readonly<Record<PaymentRunRecord['status'], { text: string; colour: string }>> = {
  awaiting_authorisation: { text: 'Waiting for authorisation', colour: 'govuk-tag--yellow' },
  queued: { text: 'Queued', colour: 'govuk-tag--grey' },
  running: { text: 'Paying', colour: 'govuk-tag--blue' },
  completed: { text: 'Completed', colour: 'govuk-tag--green' },
  failed: { text: 'Failed', colour: 'govuk-tag--red' },
  cancelled: { text: 'Cancelled', colour: 'govuk-tag--grey' },
};

/** The status as a tag: its words carry the meaning, the colour only repeats it. */
export const statusTag = (status: PaymentRunRecord['status']) => ({ text: STATUS[status].text, classes: STATUS[status].colour });

const money = (pence: bigint) => ({ text: formatPence(pence), format: 'numeric', classes: 'app-nowrap' });
const personText = (person: PersonName | undefined) => (person === undefined ? 'Unknown person' : `${person.name} (${person.reference})`);

function streamRows(streams: readonly StreamTotal[]) {
  return streams.map((s) => [{ text: s.name }, money(s.pence)]);
}

export function runsModel(runs: readonly PaymentRunRecord[]) {
  return {
    title: 'Payment runs',
    newRun: paths.payments.newRun(),
    rows: runs.map((r) => [
      { html: `<a class="govuk-link" href="${escapeHtml(paths.payments.run({ runId: r.id }))}">${escapeHtml(r.reference)}</a>` },
      { text: formatDate(r.runDate) },
      { html: `<strong class="govuk-tag ${STATUS[r.status].colour}">${escapeHtml(STATUS[r.status].text)}</strong>` },
      { text: r.paymentCount.toLocaleString('en-GB'), format: 'numeric' },
      money(r.totalPence),
    ]),
  };
}

export function newRunModel(form: { errors: readonly FieldError[]; dateItems: unknown }) {
  return { title: 'New payment run', action: paths.payments.newRun(), back: paths.payments.runs(), ...form };
}

export function previewModel(preview: RunPreviewView) {
  return {
    title: `Payment run for ${formatDate(preview.runDate)}`,
    runDate: preview.runDate,
    create: paths.payments.create(),
    back: paths.payments.newRun(),
    count: preview.count,
    summary: [
      { key: { text: 'Run date' }, value: { text: formatDate(preview.runDate) } },
      { key: { text: 'Payments' }, value: { text: preview.count.toLocaleString('en-GB') } },
      { key: { text: 'People paid' }, value: { text: preview.payees.toLocaleString('en-GB') } },
      { key: { text: 'Total' }, value: { text: formatPence(preview.totalPence) } },
      {
        key: { text: 'Authorisation' },
        value: {
          text: preview.needsSecondAuthoriser
            ? `Another finance officer must authorise it: the total is above ${formatPence(preview.thresholdPence)}`
            : `Paid as soon as you create it: the total is not above ${formatPence(preview.thresholdPence)}`,
        },
      },
    ],
    streams: streamRows(preview.byStream),
    held: preview.held.map((h) => [{ text: personText(h.person) }, { text: String(h.number), format: 'numeric' }, { text: formatDate(h.dueOn) }, money(h.amountPence), { text: h.reason }]),
    missing: preview.missingBankDetails.map((m) => [
      { html: `<a class="govuk-link" href="${escapeHtml(paths.payments.bankDetails({ personId: m.person.id }))}">${escapeHtml(personText(m.person))}</a>` },
      { text: String(m.count), format: 'numeric' },
      money(m.amountPence),
    ]),
  };
}

export function runModel(view: RunView, form: { cancelErrors: readonly FieldError[]; reason: string; notice?: string | undefined }) {
  const r = view.run;
  const summary = [
    { key: { text: 'Run date' }, value: { text: formatDate(r.runDate) } },
    { key: { text: 'Payments' }, value: { text: r.paymentCount.toLocaleString('en-GB') } },
    { key: { text: 'Total' }, value: { text: formatPence(r.totalPence) } },
    { key: { text: 'Made by' }, value: { text: `${r.createdByName}, ${formatWhen(r.createdAt)}` } },
    {
      key: { text: 'Authorised by' },
      value: { text: r.authorisedByName === null || r.authorisedAt === null ? (r.needsSecondAuthoriser ? 'Not yet authorised' : 'Not needed: the total is not above the threshold') : `${r.authorisedByName}, ${formatWhen(r.authorisedAt)}` },
    },
    ...(r.status === 'cancelled' ? [{ key: { text: 'Cancelled' }, value: { text: `By ${r.cancelledByName ?? 'someone'}${r.cancelledAt === null ? '' : `, ${formatWhen(r.cancelledAt)}`}: ${r.cancelReason ?? ''}` } }] : []),
    ...(r.completedAt === null ? [] : [{ key: { text: 'Completed' }, value: { text: formatWhen(r.completedAt) } }]),
    ...(r.failure === null ? [] : [{ key: { text: 'What went wrong' }, value: { text: r.failure } }]),
  ];
  const working = r.status === 'queued' || r.status === 'running';
  return {
    title: `Payment run ${r.reference}`,
    reference: r.reference,
    tag: statusTag(r.status),
    summary,
    streams: streamRows(view.byStream),
    progressText: `${r.postedCount.toLocaleString('en-GB')} of ${r.paymentCount.toLocaleString('en-GB')} payments posted (${formatPence(r.postedPence)})${r.skippedCount > 0 ? `; ${r.skippedCount.toLocaleString('en-GB')} not paid` : ''}`,
    working,
    checkProgress: paths.payments.run({ runId: r.id }),
    authorise: r.status === 'awaiting_authorisation' ? { action: paths.payments.authorise({ runId: r.id }), allowed: view.mayAuthorise.ok, reason: view.mayAuthorise.ok ? '' : view.mayAuthorise.reason } : undefined,
    cancel: r.status === 'awaiting_authorisation' ? { action: paths.payments.cancel({ runId: r.id }) } : undefined,
    retry: r.status === 'failed' ? { action: paths.payments.retry({ runId: r.id }) } : undefined,
    completed: r.status === 'completed' ? { file: paths.payments.paymentFile({ runId: r.id }), remittance: paths.payments.remittance({ runId: r.id }) } : undefined,
    skipped: view.skipped.map((s) => [{ text: personText(s.person) }, { text: String(s.number), format: 'numeric' }, money(s.amountPence), { text: s.reason }]),
    back: paths.payments.runs(),
    errors: form.cancelErrors,
    reason: form.reason,
    notice: form.notice,
  };
}

export function fileProblemsModel(runId: string, reference: string, problems: readonly { person: PersonName | undefined; personId: string; message: string }[]) {
  return {
    title: `The payment file for run ${reference} cannot be made`,
    back: paths.payments.run({ runId }),
    problems: problems.map((p) => ({
      html: `<a class="govuk-link" href="${escapeHtml(paths.payments.bankDetails({ personId: p.personId }))}">${escapeHtml(personText(p.person))}</a>: ${escapeHtml(p.message)}`,
    })),
  };
}

export function remittanceModel(view: RemittanceView) {
  return {
    title: `Remittance notices for payment run ${view.run.reference}`,
    back: paths.payments.run({ runId: view.run.id }),
    notices: view.notices.map((n) => ({ heading: personText(n.person), text: n.text })),
  };
}

export interface BankValues {
  readonly payeeReference: string;
  readonly accountName: string;
  readonly sortCode: string;
  readonly accountNumber: string;
}

export function bankDetailsModel(person: PersonName, details: BankDetailsRecord | undefined, form: { values?: BankValues; errors: readonly FieldError[]; saved: boolean }) {
  const values: BankValues = form.values ?? {
    payeeReference: details?.payeeReference ?? '',
    accountName: details?.accountName ?? '',
    sortCode: details?.sortCode ?? '',
    accountNumber: details?.accountNumber ?? '',
  };
  return {
    title: `Bank details for ${person.name}`,
    name: person.name,
    reference: person.reference,
    action: paths.payments.bankDetails({ personId: person.id }),
    back: paths.people.show({ personId: person.id }),
    lastChanged: details === undefined ? 'No bank details are recorded yet: direct payments to this person are left out of payment runs.' : `Last changed ${formatWhen(details.updatedAt)}.`,
    values,
    errors: form.errors,
    saved: form.saved,
  };
}
