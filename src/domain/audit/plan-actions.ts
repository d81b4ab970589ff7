/** Audit actions of support plans and co-production (issue 5), in the words a family reads on "Who has looked at my record". */
export const PLAN_ACTION_LABELS: Readonly<Record<string, string>> = {
};
