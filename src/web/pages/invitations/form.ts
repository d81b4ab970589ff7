/** Validation for the invitation forms: errors as content, in the order of the fields. */
import type { FamilyRelationship } from '../../../db/schema.ts';
import { FAMILY_RELATIONSHIPS } from '../../../domain/identity/invitations.ts';
import type { FieldError } from '../sign-in/form.ts';

export type { FieldError };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const NAME_MAX = 100;
export const EMAIL_MAX = 254;

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

function nameAndEmail(body: Record<string, unknown>, who: string, errors: FieldError[]) {
  const displayName = text(body, 'displayName').replace(/\s+/g, ' ');
  const email = text(body, 'email');
  if (displayName === '') errors.push({ field: 'displayName', text: `Enter ${who} full name` });
  else if (displayName.length > NAME_MAX) errors.push({ field: 'displayName', text: `Full name must be ${NAME_MAX} characters or fewer` });
  if (email === '') errors.push({ field: 'email', text: `Enter ${who} email address` });
  else if (email.length > EMAIL_MAX || !EMAIL.test(email)) {
    errors.push({ field: 'email', text: 'Enter an email address in the correct format, like name@example.com' });
  }
  return { displayName, email };
}

export interface FamilyInviteValues {
  readonly displayName: string;
  readonly email: string;
  readonly relationship: FamilyRelationship | undefined;
}

export function validateFamilyInvite(body: Record<string, unknown>): { values: FamilyInviteValues; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const { displayName, email } = nameAndEmail(body, 'their', errors);
  const relationship = FAMILY_RELATIONSHIPS.find((r) => r === body.relationship);
  if (relationship === undefined) errors.push({ field: 'relationship', text: 'Select how they are connected to the person' });
  return { values: { displayName, email, relationship }, errors };
}

export interface ProviderInviteValues {
  readonly providerId: string;
  readonly displayName: string;
  readonly email: string;
}

export function validateProviderInvite(body: Record<string, unknown>): { values: ProviderInviteValues; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const providerId = text(body, 'providerId');
  if (providerId === '') errors.push({ field: 'providerId', text: 'Select the provider organisation' });
  const { displayName, email } = nameAndEmail(body, 'their', errors);
  return { values: { providerId, displayName, email }, errors };
}

/** The form that makes a new account: name, password, and the password again. */
export function validateNewAccount(body: Record<string, unknown>): { displayName: string; password: string; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const displayName = text(body, 'displayName').replace(/\s+/g, ' ');
  if (displayName === '') errors.push({ field: 'displayName', text: 'Enter your full name' });
  else if (displayName.length > NAME_MAX) errors.push({ field: 'displayName', text: `Full name must be ${NAME_MAX} characters or fewer` });
  const { password, errors: passwordErrors } = validateNewPassword(body, 'password', 'confirmPassword');
  return { displayName, password, errors: [...errors, ...passwordErrors] };
}

/** A new password and its confirmation. The policy itself is the service's to check. */
export function validateNewPassword(body: Record<string, unknown>, field: string, confirmField: string): { password: string; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const password = typeof body[field] === 'string' ? (body[field] as string) : '';
  const confirm = typeof body[confirmField] === 'string' ? (body[confirmField] as string) : '';
  if (password === '') errors.push({ field, text: 'Enter a password' });
  if (confirm === '') errors.push({ field: confirmField, text: 'Enter the password again' });
  else if (password !== '' && confirm !== password) errors.push({ field: confirmField, text: 'The passwords do not match. Enter the same password twice' });
  return { password, errors };
}

/** The password of an account that already exists. */
export function validateCurrentPassword(body: Record<string, unknown>, field = 'password'): { password: string; errors: FieldError[] } {
  const password = typeof body[field] === 'string' ? (body[field] as string) : '';
  return { password, errors: password === '' ? [{ field, text: 'Enter your password' }] : [] };
}

/** The email address a password reset link is sent to. */
export function validateEmail(body: Record<string, unknown>): { email: string; errors: FieldError[] } {
  const email = text(body, 'email');
  const errors: FieldError[] = [];
  if (email === '') errors.push({ field: 'email', text: 'Enter your email address' });
  else if (email.length > EMAIL_MAX || !EMAIL.test(email)) errors.push({ field: 'email', text: 'Enter an email address in the correct format, like name@example.com' });
  return { email, errors };
}
