/** Audit actions of direct payment monitoring and recovery (issue 6), in the words a family reads on "Who has looked at my record". */
export const MONITORING_ACTION_LABELS: Readonly<Record<string, string>> = {
  'person.spending_viewed': 'Looked at direct payment spending',
  'person.spending_return_uploaded': 'Uploaded a direct payment statement',
  'person.spending_line_entered': 'Recorded direct payment spending',
  'person.spending_receipt_downloaded': 'Downloaded a receipt for direct payment spending',
  'person.recovery_proposed': 'Proposed recovering money from a direct payment',
  'person.recovery_approved': 'Approved recovering money from a direct payment',
  'person.recovery_cancelled': 'Cancelled a proposal to recover money from a direct payment',
  'person.recovery_challenge_recorded': 'Recorded a challenge to recovering money from a direct payment',
  'person.recovery_challenge_decided': 'Decided a challenge to recovering money from a direct payment',
  'person.recovery_notice_viewed': 'Looked at a notice about recovering money',
  'person.rollover_viewed': 'Looked at the year-end rollover of a direct payment',
  'money_settings.changed': 'Changed the council’s money settings',
};
