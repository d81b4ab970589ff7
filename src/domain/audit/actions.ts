import { CASE_ACTION_LABELS } from './case-actions.ts';
import { PLAN_ACTION_LABELS } from './plan-actions.ts';
import { SIGN_OFF_ACTION_LABELS } from './sign-off-actions.ts';
import { PAYMENT_RUN_ACTION_LABELS } from './payment-run-actions.ts';
import { MONITORING_ACTION_LABELS } from './monitoring-actions.ts';

/**
 * What each audited action means, in the words a family reads on "Who has looked at my record".
 * An action not listed here is shown by its name, so that nothing is hidden.
 */
const RECORD_ACTION_LABELS: Readonly<Record<string, string>> = {
  ...CASE_ACTION_LABELS,
  ...PLAN_ACTION_LABELS,
  ...SIGN_OFF_ACTION_LABELS,
  ...PAYMENT_RUN_ACTION_LABELS,
  ...MONITORING_ACTION_LABELS,
  'person.isf_return_viewed': 'Looked at an individual service fund return from a provider',
  'person.isf_return_submitted': 'Sent an individual service fund return (spending and balance)',
  'person.statement_viewed': 'Looked at or downloaded the money statement',
  'person.viewed': 'Looked at the record',
  'person.exported': 'Exported everything held (a subject access request)',
  'person.access_log_viewed': 'Looked at who has seen the record',
  'person.family_access_viewed': 'Looked at which family members can see the record',
  'person.named_workers_viewed': 'Looked at which workers can open the restricted record',
  'invitation.sent': 'Invited a family member to see the record',
  'invitation.accepted': 'Accepted an invitation to see the record',
  'person.named_worker_added': 'Named a worker who may open the restricted record',
  'person.named_worker_removed': 'Removed a worker from the restricted record',
  'person.allocation_viewed': 'Looked at the indicative budget',
  'person.allocation_pdf_downloaded': 'Downloaded the indicative budget as a PDF',
  'person.allocation_started': 'Started the allocation questionnaire',
  'person.allocation_questionnaire_viewed': 'Looked at the allocation questionnaire',
  'person.allocation_answered': 'Answered a question of the allocation questionnaire',
  'person.allocation_submitted': 'Submitted the allocation questionnaire',
  'person.exceptional_case_requested': 'Asked for an exceptional case decision on the indicative budget',
  'person.exceptional_case_viewed': 'Looked at an exceptional case request',
  'person.exceptional_case_decided': 'Decided an exceptional case request',
};

export function recordActionLabel(action: string): string {
  return RECORD_ACTION_LABELS[action] ?? action;
}
