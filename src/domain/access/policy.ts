/**
 * One policy answers "may this actor do this action on this record?". Every route declares its
 * action (see src/web/routes.ts) and the services ask here before they read or change a record.
 */
import type { StaffRole } from '../../db/schema.ts';

export interface Actor {
  readonly staffId: string;
  readonly councilId: string;
  readonly councilSlug: string;
  readonly councilName: string;
  readonly role: StaffRole;
  readonly displayName: string;
}

export type Action = 'people:list' | 'person:view' | 'person:export' | 'audit:search';

export interface PersonAccessFacts {
  readonly councilId: string;
  readonly restricted: boolean;
  readonly leadWorkerId: string | null;
}

const ROLES_FOR: Readonly<Record<Action, readonly StaffRole[]>> = {
  'people:list': ['caseworker', 'approver', 'finance_officer', 'administrator'],
  'person:view': ['caseworker', 'approver', 'finance_officer', 'administrator'],
  'person:export': ['administrator'],
  'audit:search': ['administrator'],
};

/**
 * Answering a subject access request is a legal duty (UK GDPR Article 15) that falls to the council
 * as a whole, so an administrator may export even a restricted record, giving the request's
 * reference as the reason, which the audit log keeps.
 */
const IGNORES_RESTRICTION: ReadonlySet<Action> = new Set(['person:export']);

export function mayDo(actor: Actor, action: Action, record?: PersonAccessFacts): boolean {
  if (!ROLES_FOR[action].includes(actor.role)) return false;
  if (record === undefined) return true;
  if (record.councilId !== actor.councilId) return false;
  // A restricted record is open only to the workers named on it (for now: its lead worker).
  if (record.restricted && !IGNORES_RESTRICTION.has(action) && record.leadWorkerId !== actor.staffId) return false;
  return true;
}
