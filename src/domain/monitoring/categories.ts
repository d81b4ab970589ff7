/**
 * What a direct payment is spent on (issue 6): the council's spending categories, as codes the
 * statement CSV, the spending lines and the monitoring flags share. Pure data and rules.
 *
 * A council decides which categories a direct payment may NOT buy (council_money_settings
 * .not_permitted_categories); `permittedByDefault` is the starting point for a new council. A school
 * place is the example DOMAIN.md gives: education a school must provide is not bought with a
 * personal budget. The codes are stable (stored on every spending line); labels may change.
 */
import type { MonitoringCategory } from './flags.ts';
import type { StatementCategory } from './statement-csv.ts';

export interface SpendingCategory {
  readonly code: string;
  readonly label: string;
  readonly permittedByDefault: boolean;
}

export const SPENDING_CATEGORIES: readonly SpendingCategory[] = [
  { code: 'personal_assistant', label: 'Personal assistant wages', permittedByDefault: true },
  { code: 'employer_costs', label: 'Employer costs (payroll, tax, pension, insurance)', permittedByDefault: true },
  { code: 'care_agency', label: 'Care or support agency', permittedByDefault: true },
  { code: 'short_breaks', label: 'Short breaks and respite', permittedByDefault: true },
  { code: 'activities', label: 'Activities, clubs and leisure', permittedByDefault: true },
  { code: 'therapy', label: 'Therapy', permittedByDefault: true },
  { code: 'equipment', label: 'Equipment', permittedByDefault: true },
  { code: 'transport', label: 'Transport', permittedByDefault: true },
  { code: 'training', label: 'Training and learning', permittedByDefault: true },
  { code: 'tuition', label: 'Tuition', permittedByDefault: true },
  { code: 'other_agreed', label: 'Other support agreed in the plan', permittedByDefault: true },
  { code: 'school_place', label: 'A school or college place', permittedByDefault: false },
  { code: 'household_bills', label: 'Household bills', permittedByDefault: false },
  { code: 'alcohol_tobacco_gambling', label: 'Alcohol, tobacco or gambling', permittedByDefault: false },
];

export const CATEGORY_CODES: ReadonlySet<string> = new Set(SPENDING_CATEGORIES.map((c) => c.code));

/** The codes a council starts with as not permitted. */
export const DEFAULT_NOT_PERMITTED: readonly string[] = SPENDING_CATEGORIES.filter((c) => !c.permittedByDefault).map((c) => c.code);

/** The label of a code; an unknown code is shown as itself (it can only come from old data). */
export function categoryLabel(code: string): string {
  return SPENDING_CATEGORIES.find((c) => c.code === code)?.label ?? code;
}

/** The categories for the statement CSV parser (codes and labels both accepted in a file). */
export function statementCategories(): StatementCategory[] {
  return SPENDING_CATEGORIES.map(({ code, label }) => ({ code, label }));
}

/** The categories for the monitoring flags, with the council's choice of what is not permitted. */
export function monitoringCategories(notPermitted: readonly string[]): MonitoringCategory[] {
  const refused = new Set(notPermitted);
  return SPENDING_CATEGORIES.map(({ code, label }) => ({ code, label, permitted: !refused.has(code) }));
}
