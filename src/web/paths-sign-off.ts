/** Typed paths of sign-off, agreement and the personal budget (issue 5). Spread into `paths.signOff`. */
const enc = encodeURIComponent;

export const signOffPaths = {
  /** Plans waiting for the signed-in approver. */
  /** `decided` names the decision just recorded, for its success banner. */
  queue: (query?: { decided?: 'approve' | 'return' }) => (query?.decided === undefined ? '/sign-off' : `/sign-off?decided=${query.decided}`),
  /** One plan's sign-off: approve or return, or a panel decision. */
  plan: ({ planId }: { planId: string }) => `/sign-off/${enc(planId)}`,
  /** The worker's "check before you submit" page. */
  submit: ({ planId }: { planId: string }) => `/plans/${enc(planId)}/submit`,
  /** The family's agreement (or a worker recording it). */
  agree: ({ planId }: { planId: string }) => `/plans/${enc(planId)}/agree`,
  /** Refuse or withhold a direct payment. */
  refuse: ({ planId }: { planId: string }) => `/plans/${enc(planId)}/direct-payment-refusal`,
  /** The written notice of a refused or withheld direct payment. */
  notice: ({ refusalId }: { refusalId: string }) => `/direct-payment-notices/${enc(refusalId)}`,
  /** A DBS check or exception for one personal assistant item. */
  dbs: ({ planId, itemId }: { planId: string; itemId: string }) => `/plans/${enc(planId)}/dbs/${enc(itemId)}`,
  /** The council's approval tiers (administrators). */
  tiers: () => '/sign-off/tiers',
};
