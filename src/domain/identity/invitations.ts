/**
 * Rules for the links OneBudget sends by email: invitations for family and provider users, and
 * password resets. Pure: no I/O.
 */
import type { FamilyRelationship } from '../../db/schema.ts';
import { ageOn } from '../people/people.ts';

/** An invitation works for 7 days, once. */
export const INVITATION_DAYS = 7;
/** A password reset link works for 1 hour, once. */
export const PASSWORD_RESET_MINUTES = 60;

/** Password reset requests: at most this many per email, and per address, in the window. */
export const RESET_WINDOW_MINUTES = 15;
export const RESET_LIMIT_PER_EMAIL = 3;
export const RESET_LIMIT_PER_ADDRESS = 10;

/** The young person may hold an account of their own from this age. */
export const YOUNG_PERSON_MIN_AGE = 16;

export const FAMILY_RELATIONSHIPS: readonly FamilyRelationship[] = ['parent_carer', 'young_person', 'nominee', 'suitable_person'];

/** Links carry 256 random bits, written as 43 base64url characters. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function invitationExpiry(now: Date): Date {
  return new Date(now.getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000);
}

export function passwordResetExpiry(now: Date): Date {
  return new Date(now.getTime() + PASSWORD_RESET_MINUTES * 60 * 1000);
}

export function resetWindowStart(now: Date): Date {
  return new Date(now.getTime() - RESET_WINDOW_MINUTES * 60 * 1000);
}

export function isResetThrottled(requests: { forAccount: number; fromAddress: number }): boolean {
  return requests.forAccount >= RESET_LIMIT_PER_EMAIL || requests.fromAddress >= RESET_LIMIT_PER_ADDRESS;
}

/**
 * Why a person may not be linked in this relationship, or undefined when they may. Only the young
 * person themself is limited: they hold their own account from 16 (on the day of the invitation).
 */
export function relationshipRefusal(relationship: FamilyRelationship, dateOfBirth: string, today: string): string | undefined {
  if (relationship === 'young_person' && ageOn(dateOfBirth, today) < YOUNG_PERSON_MIN_AGE) {
    return `A young person can have their own account from the age of ${YOUNG_PERSON_MIN_AGE}`;
  }
  return undefined;
}

export type InvitationState = 'open' | 'accepted' | 'revoked' | 'expired';

export function invitationState(invitation: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): InvitationState {
  if (invitation.acceptedAt !== null) return 'accepted';
  if (invitation.revokedAt !== null) return 'revoked';
  if (invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'open';
}
