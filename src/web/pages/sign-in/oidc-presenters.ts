/** View models for staff single sign-on: the button on the sign-in page and the page that says why it failed. */
import type { OidcRefusalReason, OidcRefused } from '../../../services/oidc.ts';
import { paths } from '../../paths.ts';
import { THROTTLED_MESSAGE } from './presenters.ts';

export const OIDC_PROBLEM_TITLE = 'We could not sign you in with your council account';

const ASK_ADMIN = 'Ask your OneBudget administrator for help.';
const OR_PASSWORD = 'Try again, or sign in with your email address and password.';

/** Why, in plain English, and the status: 400 for an answer we cannot use, 403 for a person we will not sign in. */
function explain(refusal: OidcRefused): [number, string] {
  const email = refusal.email ?? 'your email address';
  const council = refusal.councilName ?? 'your council';
  const reasons: Record<OidcRefusalReason, [number, string]> = {
    'not-configured': [404, 'Signing in with a council account is not set up.'],
    throttled: [429, `${THROTTLED_MESSAGE}.`],
    expired: [400, 'Signing in took too long, or it was started in another browser or tab. Start again from the sign-in page.'],
    state: [400, 'The answer from your council’s sign-in service did not match the sign-in started in this browser, so we could not trust it. Start again from the sign-in page.'],
    cancelled: [403, 'Your council’s sign-in service did not sign you in. You may have cancelled, or your council account may not be allowed to use OneBudget.'],
    'provider-error': [400, `Your council’s sign-in service could not sign you in. ${OR_PASSWORD}`],
    unavailable: [502, 'Your council’s sign-in service is not answering at the moment. Try again later, or sign in with your email address and password.'],
    'invalid-answer': [400, `We could not check the answer from your council’s sign-in service. ${OR_PASSWORD}`],
    'no-email': [403, `Your council account did not give us your email address, so we could not find your OneBudget account. ${ASK_ADMIN}`],
    'unverified-email': [403, `Your council’s sign-in service has not confirmed ${email}, so we cannot use it to find your OneBudget account. ${ASK_ADMIN}`],
    'unknown-account': [403, `There is no OneBudget staff account for ${email} at ${council}. Ask your OneBudget administrator to add you.`],
    'not-staff': [403, 'Signing in with a council account is only for council staff. Sign in with your email address and password instead.'],
    disabled: [403, `Your OneBudget account (${email}) has been switched off. Ask your OneBudget administrator if you still need it.`],
    'other-identity': [403, `Your OneBudget account (${email}) is linked to a different council account. ${ASK_ADMIN}`],
    'identity-in-use': [403, `Your council account is already linked to another OneBudget account. ${ASK_ADMIN}`],
    misconfigured: [500, 'Signing in with a council account is not set up correctly. Sign in with your email address and password, and tell your OneBudget administrator.'],
  };
  return reasons[refusal.reason];
}

export function oidcProblemModel(refusal: OidcRefused) {
  const [status, reason] = explain(refusal);
  return { title: OIDC_PROBLEM_TITLE, status, reason, reasonCode: refusal.reason, signInHref: paths.signIn() };
}

/** The single sign-on button of the sign-in page, or undefined when it is not set up. */
export function ssoButton(button: { text: string } | undefined, returnTo: string | undefined) {
  return button === undefined ? undefined : { text: button.text, href: paths.signInOidc({ returnTo }) };
}
