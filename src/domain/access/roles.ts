/** Staff roles in the words the service shows people. */
import type { FamilyRelationship, StaffRole } from '../../db/schema.ts';
import type { Actor } from './policy.ts';

export const ROLE_LABELS: Readonly<Record<StaffRole, string>> = {
  caseworker: 'Caseworker',
  approver: 'Approver',
  finance_officer: 'Finance officer',
  commissioner: 'Commissioner',
  administrator: 'Administrator',
};

/** What the audit log keeps for family and provider users, who have no staff role. */
const ACCOUNT_KIND_LABELS: Readonly<Record<string, string>> = {
  family: 'Family member',
  provider: 'Provider',
  api_client: 'API client',
};

/** A label for a role as stored (audit events keep the role as text). */
export function roleLabel(role: string): string {
  return (ROLE_LABELS as Readonly<Record<string, string>>)[role] ?? ACCOUNT_KIND_LABELS[role] ?? role;
}

export const RELATIONSHIP_LABELS: Readonly<Record<FamilyRelationship, string>> = {
  parent_carer: 'Parent carer',
  young_person: 'Young person',
  nominee: 'Nominee',
  suitable_person: 'Suitable person',
};

/** What an account is, in words: "Caseworker", "Family member", "Provider (Brightside Care)". */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'staff':
      return ROLE_LABELS[actor.role];
    case 'family':
      return 'Family member';
    case 'provider':
      return `Provider (${actor.providerName})`;
    case 'client':
      return `API client (${actor.displayName})`;
  }
}
