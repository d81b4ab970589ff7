/** View models for the password pages: forgotten password (by a link sent by email) and change password. */
import { PASSWORD_RESET_MINUTES } from '../../../domain/identity/invitations.ts';
import { paths } from '../../paths.ts';
import { PASSWORD_HINT } from '../invitations/presenters.ts';
import type { FieldError } from '../invitations/form.ts';

/** The one answer to every request for a link, whatever the email. */
export const RESET_SENT_MESSAGE = `If an account uses that email, we have sent a link. It works for ${PASSWORD_RESET_MINUTES / 60} hour.`;

export function resetRequestModel(options: { email?: string; errors?: readonly FieldError[] } = {}) {
  return {
    title: 'Reset your password',
    action: paths.passwordReset.request(),
    backHref: paths.signIn(),
    values: { email: options.email },
    errors: options.errors ?? [],
  };
}

export function resetSentModel(email: string) {
  return {
    title: 'Check your email',
    email,
    message: RESET_SENT_MESSAGE,
    againHref: paths.passwordReset.request(),
    signInHref: paths.signIn(),
  };
}

export function resetModel(token: string, errors: readonly FieldError[] = []) {
  return {
    title: 'Choose a new password',
    action: paths.passwordReset.withLink({ token }),
    errors,
    passwordHint: PASSWORD_HINT,
  };
}

export function resetGoneModel() {
  return {
    title: 'This link has expired or has already been used',
    minutes: PASSWORD_RESET_MINUTES,
    againHref: paths.passwordReset.request(),
    signInHref: paths.signIn(),
  };
}

export function changePasswordModel(errors: readonly FieldError[] = []) {
  return {
    title: 'Change your password',
    action: paths.account.changePassword(),
    backHref: paths.account.show(),
    errors,
    passwordHint: PASSWORD_HINT,
    forgottenHref: paths.passwordReset.request(),
  };
}
