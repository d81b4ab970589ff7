/** Typed paths of sign-off, agreement and the personal budget (issue 5). Spread into `paths.signOff`. */
const enc = encodeURIComponent;

export const signOffPaths = {
  /** Plans waiting for the signed-in approver. */
  queue: () => '/sign-off',
  /** One plan's sign-off: approve or return, or a panel decision. */
  plan: ({ planId }: { planId: string }) => `/sign-off/${enc(planId)}`,
};
