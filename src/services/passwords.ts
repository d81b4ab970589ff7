/**
 * Setting a password: the policy (src/domain/identity/password-policy.ts) first, then argon2id.
 * Every place that sets an account's password goes through here. (There is no page to change a
 * password yet: today the demo seed sets them.)
 */
import { hash } from '@node-rs/argon2';
import { checkPassword, type PasswordContext, type PasswordProblem } from '../domain/identity/password-policy.ts';

export class PasswordNotAllowedError extends Error {
  constructor(
    readonly problem: PasswordProblem,
    /** Plain English, for the person choosing the password. */
    readonly detail: string,
  ) {
    super(`The password is not allowed: ${detail}`);
    this.name = 'PasswordNotAllowedError';
  }
}

/** The argon2id hash of a new password, or PasswordNotAllowedError when the policy refuses it. */
export async function hashNewPassword(password: string, context: PasswordContext): Promise<string> {
  const check = checkPassword(password, context);
  if (!check.ok) throw new PasswordNotAllowedError(check.problem, check.message);
  return hash(password);
}
