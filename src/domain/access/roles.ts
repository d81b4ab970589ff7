/** Staff roles in the words the service shows people. */
import type { StaffRole } from '../../db/schema.ts';

export const ROLE_LABELS: Readonly<Record<StaffRole, string>> = {
  caseworker: 'Caseworker',
  approver: 'Approver',
  finance_officer: 'Finance officer',
  commissioner: 'Commissioner',
  administrator: 'Administrator',
};

/** A label for a role as stored (audit events keep the role as text). */
export function roleLabel(role: string): string {
  return (ROLE_LABELS as Readonly<Record<string, string>>)[role] ?? role;
}
