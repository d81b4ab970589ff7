/** Typed paths of support plans and co-production (issue 5). Spread into `paths.plans`. */
const enc = encodeURIComponent;
type Plan = { planId: string };

export const planPaths = {
  /** A person's plans. */
  person: ({ personId }: { personId: string }) => `/people/${enc(personId)}/plans`,
  /** One plan, at its current version (or the version given). */
  show: ({ planId }: Plan, version?: number) => `/plans/${enc(planId)}${version === undefined ? '' : `?version=${version}`}`,
  /** The plan after a sign-off step, with its success banner: just submitted, or just agreed. */
  done: ({ planId }: Plan, done: 'submitted' | 'agreed') => `/plans/${enc(planId)}?done=${done}`,
  newOutcome: ({ planId }: Plan) => `/plans/${enc(planId)}/outcomes/new`,
  outcome: ({ planId, outcomeId }: Plan & { outcomeId: string }) => `/plans/${enc(planId)}/outcomes/${enc(outcomeId)}`,
  removeOutcome: ({ planId, outcomeId }: Plan & { outcomeId: string }) => `/plans/${enc(planId)}/outcomes/${enc(outcomeId)}/remove`,
  newItem: ({ planId }: Plan) => `/plans/${enc(planId)}/support/new`,
  item: ({ planId, itemId }: Plan & { itemId: string }) => `/plans/${enc(planId)}/support/${enc(itemId)}`,
  removeItem: ({ planId, itemId }: Plan & { itemId: string }) => `/plans/${enc(planId)}/support/${enc(itemId)}/remove`,
  /** profile, contingency, risks, money, over-budget. */
  section: ({ planId, section }: Plan & { section: string }) => `/plans/${enc(planId)}/sections/${enc(section)}`,
  comment: ({ planId }: Plan) => `/plans/${enc(planId)}/comments/new`,
  respond: ({ planId, commentId }: Plan & { commentId: string }) => `/plans/${enc(planId)}/comments/${enc(commentId)}`,
  budgetRequest: ({ planId }: Plan) => `/plans/${enc(planId)}/personal-budget-request`,
  versions: ({ planId }: Plan) => `/plans/${enc(planId)}/versions`,
  compare: ({ planId }: Plan, from?: number, to?: number) =>
    `/plans/${enc(planId)}/compare${from === undefined || to === undefined ? '' : `?from=${from}&to=${to}`}`,
  pdf: ({ planId }: Plan, version?: number) => `/plans/${enc(planId)}/plan.pdf${version === undefined ? '' : `?version=${version}`}`,
};
