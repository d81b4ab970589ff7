/** Audit actions of support plans and co-production (issue 5), in the words a family reads on "Who has looked at my record". */
export const PLAN_ACTION_LABELS: Readonly<Record<string, string>> = {
  'person.plan_started': 'Started a support plan',
  'person.plan_viewed': 'Looked at the support plan',
  'person.plan_changed': 'Changed the support plan',
  'person.plan_commented': 'Commented on the support plan',
  'person.plan_comment_answered': 'Answered a comment on the support plan',
  'person.personal_budget_requested': 'Asked for a personal budget',
  'person.plan_pdf_downloaded': 'Downloaded the support plan',
};
