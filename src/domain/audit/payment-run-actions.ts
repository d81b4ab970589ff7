/** Audit actions of payment runs and payees' bank details (issue 6), in the words a family reads on "Who has looked at my record". */
export const PAYMENT_RUN_ACTION_LABELS: Readonly<Record<string, string>> = {
  'person.bank_details_viewed': 'Looked at the bank account the direct payment is paid into',
  'person.bank_details_changed': 'Changed the bank account the direct payment is paid into',
  'payment_run.previewed': 'Looked at what a payment run would pay',
  'payment_run.created': 'Made a payment run',
  'payment_run.viewed': 'Looked at a payment run',
  'payment_run.authorised': 'Authorised a payment run',
  'payment_run.cancelled': 'Cancelled a payment run',
  'payment_run.retried': 'Tried a failed payment run again',
  'payment_run.file_downloaded': 'Downloaded the payment file of a payment run',
  'payment_run.remittances_viewed': 'Looked at the remittance notices of a payment run',
};
