/** Typed paths of support plans and co-production (issue 5). Spread into `paths.plans`. */
const enc = encodeURIComponent;

export const planPaths = {
  /** A person's plans. */
  person: ({ personId }: { personId: string }) => `/people/${enc(personId)}/plans`,
  /** One plan, at its current version. */
  show: ({ planId }: { planId: string }) => `/plans/${enc(planId)}`,
};
