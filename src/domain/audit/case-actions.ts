/** Audit actions of cases and the statutory pathway (issue 5), in the words a family reads on "Who has looked at my record". */
export const CASE_ACTION_LABELS: Readonly<Record<string, string>> = {
};
