/** Audit actions of sign-off, agreement and the personal budget (issue 5), in the words a family reads on "Who has looked at my record". */
export const SIGN_OFF_ACTION_LABELS: Readonly<Record<string, string>> = {
  'person.plan_submitted': 'Sent a plan for sign-off',
  'person.plan_sign_off_viewed': 'Looked at a plan to sign it off',
  'person.plan_approved': 'Signed off a plan',
  'person.plan_returned': 'Sent a plan back with reasons',
  'person.plan_panel_decided': 'Recorded the panel’s decision on a plan',
  'person.plan_agreed': 'Agreed a plan and its personal budget',
  'person.direct_payment_refused': 'Refused or withheld a direct payment',
  'person.direct_payment_notice_viewed': 'Looked at a direct payment notice',
  'person.dbs_check_recorded': 'Recorded a DBS check for a personal assistant',
  'person.personal_budget_viewed': 'Looked at the personal budget',
  'approval_tiers.changed': 'Changed the approval tiers',
};
