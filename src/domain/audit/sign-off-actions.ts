/** Audit actions of sign-off, agreement and the personal budget (issue 5), in the words a family reads on "Who has looked at my record". */
export const SIGN_OFF_ACTION_LABELS: Readonly<Record<string, string>> = {
};
