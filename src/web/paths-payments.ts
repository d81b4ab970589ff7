/** Typed paths of payment runs and payees' bank details (issue 6). Spread into `paths.payments`. */
const enc = encodeURIComponent;

export const paymentPaths = {
  /** Every payment run of the council, newest first. */
  runs: () => '/payment-runs',
  /** Choose a run date (GET), and see what it would pay (POST: the preview). */
  newRun: () => '/payment-runs/new',
  /** POST: create the run previewed. */
  create: () => '/payment-runs',
  run: ({ runId }: { runId: string }) => `/payment-runs/${enc(runId)}`,
  /** The run's progress as JSON: { status, paymentCount, postedCount, postedPence, skippedCount }. */
  progress: ({ runId }: { runId: string }) => `/payment-runs/${enc(runId)}/progress`,
  authorise: ({ runId }: { runId: string }) => `/payment-runs/${enc(runId)}/authorise`,
  cancel: ({ runId }: { runId: string }) => `/payment-runs/${enc(runId)}/cancel`,
  /** POST: queue a failed run again. */
  retry: ({ runId }: { runId: string }) => `/payment-runs/${enc(runId)}/retry`,
  /** The bank file (CSV, docs/payment-file.md) of a completed run. */
  paymentFile: ({ runId }: { runId: string }) => `/payment-runs/${enc(runId)}/payment-file.csv`,
  remittance: ({ runId }: { runId: string }) => `/payment-runs/${enc(runId)}/remittance`,
  /** The bank account a person's direct payment is paid into. */
  bankDetails: ({ personId }: { personId: string }) => `/people/${enc(personId)}/bank-details`,
};
