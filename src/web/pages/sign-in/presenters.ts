/** View models for the sign-in pages: the templates only lay these out. */
import QRCode from 'qrcode';
import type { DemoCode } from '../../../services/auth.ts';
import { ATTEMPT_WINDOW_MINUTES, PENDING_SIGN_IN_MINUTES } from '../../../domain/identity/sign-in.ts';
import { RECOVERY_CODE_COUNT } from '../../../domain/identity/recovery-codes.ts';
import { groupInFours } from '../../../domain/identity/totp.ts';
import { paths } from '../../paths.ts';
import type { FieldError } from './form.ts';

export const THROTTLED_MESSAGE = `Too many attempts to sign in. Wait ${ATTEMPT_WINDOW_MINUTES} minutes, then try again`;

export const CODE_MESSAGES = {
  empty: 'Enter the code from your authenticator app',
  emptyAtSetUp: 'Enter the 6-digit code from your authenticator app',
  format: 'The code must be 6 digits',
  wrong: 'The code is not correct. Enter the code your authenticator app shows now',
  reused: 'That code has already been used. Wait for your authenticator app to show a new code, then enter it',
  recoveryFormat: 'Enter the recovery code as it was given to you: 16 letters and numbers, like abcd-efgh-jkmn-pqrs',
  recoveryWrong: 'That recovery code is not correct, or it has already been used',
} as const;

/** Demo mode only: what the banner says. Undefined everywhere else, so nothing is shown. */
export function demoBanner(demo: DemoCode | undefined) {
  if (demo === undefined) return undefined;
  return {
    demoSecret: groupInFours(demo.publishedSecret),
    code: demo.code === undefined ? undefined : `${demo.code.slice(0, 3)} ${demo.code.slice(3)}`,
    codeDigits: demo.code,
    secondsLeft: demo.secondsLeft,
  };
}

export function signInModel(options: {
  email?: string;
  errors?: readonly FieldError[];
  returnTo?: string;
  timedOut?: boolean;
  signedOutEverywhere?: boolean;
  /** The password was just changed or reset: every session ended. */
  passwordChanged?: boolean;
  /** The browser's session had ended (idle, 12 hours old, or ended elsewhere). */
  sessionEnded?: boolean;
  /** The single sign-on button, when it is set up (oidc-presenters.ts). */
  sso?: { text: string; href: string } | undefined;
}) {
  return {
    title: 'Sign in',
    values: { email: options.email },
    errors: options.errors ?? [],
    returnTo: options.returnTo,
    timedOut: options.timedOut === true,
    signedOutEverywhere: options.signedOutEverywhere === true,
    passwordChanged: options.passwordChanged === true,
    sessionEnded: options.sessionEnded === true,
    forgottenPasswordHref: paths.passwordReset.request(),
    sso: options.sso,
    pendingMinutes: PENDING_SIGN_IN_MINUTES,
  };
}

export function authenticatorCodeModel(page: { demo: DemoCode | undefined }, errors: readonly FieldError[] = []) {
  return {
    title: 'Enter the code from your authenticator app',
    errors,
    action: paths.signInAuthenticatorCode(),
    recoveryHref: paths.signInRecoveryCode(),
    startAgainHref: paths.signIn(),
    demo: demoBanner(page.demo),
  };
}

export function recoveryCodeModel(errors: readonly FieldError[] = []) {
  return {
    title: 'Enter a recovery code',
    errors,
    action: paths.signInRecoveryCode(),
    authenticatorHref: paths.signInAuthenticatorCode(),
    recoveryCodeCount: RECOVERY_CODE_COUNT,
  };
}

export async function setUpAuthenticatorModel(
  page: { secretForTyping: string; otpauthUri: string; demo: DemoCode | undefined },
  errors: readonly FieldError[] = [],
) {
  // An SVG made on the server, shown as an image: no JavaScript, and the CSP allows data: images.
  const svg = await QRCode.toString(page.otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return {
    title: 'Set up your authenticator app',
    errors,
    action: paths.signInSetUpAuthenticator(),
    qrCodeSrc: `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`,
    secretForTyping: page.secretForTyping,
    demo: demoBanner(page.demo),
  };
}

export function recoveryCodesModel(codes: readonly string[], continueHref: string) {
  return {
    title: 'Save your recovery codes',
    codes,
    continueHref,
  };
}
