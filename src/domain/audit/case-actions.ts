/** Audit actions of cases and the statutory pathway (issue 5), in the words a family reads on "Who has looked at my record". */
export const CASE_ACTION_LABELS: Readonly<Record<string, string>> = {
  'person.case_opened': 'Opened a case',
  'person.case_viewed': 'Looked at a case and its deadlines',
  'person.case_step_recorded': 'Recorded a step on a case',
};
