/**
 * Staff sign-in pages: email and password, then the second factor (the code from an authenticator
 * app, a recovery code, or setting up the app the first time), then sign-out. Between the two
 * steps the browser holds only a pending sign-in cookie; the session cookie is set after the second
 * factor, with a new token, and the pending cookie is cleared.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { SecondFactorResult, SignedIn } from '../../../services/auth.ts';
import { PENDING_SIGN_IN_MINUTES } from '../../../domain/identity/sign-in.ts';
import { paths } from '../../paths.ts';
import { mayDo } from '../../../domain/access/policy.ts';
import { requestContext } from '../../request.ts';
import { safeReturnTo, validateAuthenticatorCode, validateRecoveryCode, validateSignIn, type FieldError } from './form.ts';
import {
  authenticatorCodeModel,
  CODE_MESSAGES,
  recoveryCodeModel,
  recoveryCodesModel,
  setUpAuthenticatorModel,
  signInModel,
  THROTTLED_MESSAGE,
} from './presenters.ts';
import { oidcSignInPages } from './oidc.ts';
import { ssoButton } from './oidc-presenters.ts';

export interface SessionCookieOptions {
  readonly cookieName: string;
  /** The cookie that holds a pending sign-in between the password and the second factor. */
  readonly pendingCookieName: string;
  readonly secure: boolean;
}

type Body = { Body: Record<string, unknown> };

export function signInPages(app: FastifyInstance, services: Services, cookie: SessionCookieOptions): void {
  const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax', secure: cookie.secure, path: '/' } as const;

  const pendingToken = (request: FastifyRequest): string | undefined => {
    const signed = request.cookies[cookie.pendingCookieName];
    const unsigned = signed === undefined ? undefined : request.unsignCookie(signed);
    return unsigned?.valid ? (unsigned.value ?? undefined) : undefined;
  };

  const clearPending = (reply: FastifyReply) => reply.clearCookie(cookie.pendingCookieName, { path: '/', secure: cookie.secure });

  /** Back to the password, saying why: the pending sign-in is gone or its time is up. */
  const startAgain = (request: FastifyRequest, reply: FastifyReply) => {
    const hadOne = request.cookies[cookie.pendingCookieName] !== undefined;
    clearPending(reply);
    return reply.redirect(paths.signIn({ timedOut: hadOne }), 303);
  };

  /** The second factor was given: end any session this browser had, set the new one, clear the pending cookie. */
  const beginSession = async (request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn): Promise<string> => {
    if (request.actor !== undefined && request.sessionToken !== undefined) {
      await services.auth.signOut(request.sessionToken, request.actor, requestContext(request));
    }
    clearPending(reply);
    reply.setCookie(cookie.cookieName, signedIn.sessionToken, cookieOptions);
    reply.header('cache-control', 'no-store');
    request.actor = signedIn.actor;
    request.sessionToken = signedIn.sessionToken;
    // Straight to their work: the caseload for those who hold one, their people for families and
    // providers, otherwise the home page.
    const landing = mayDo(signedIn.actor, 'people:list')
      ? paths.people.index()
      : mayDo(signedIn.actor, 'my-people:list')
        ? paths.myPeople()
        : paths.home();
    return signedIn.returnTo ?? landing;
  };

  /** The field error for a refused second factor, and its status. */
  const refusal = (result: Exclude<SecondFactorResult, SignedIn | { outcome: 'expired' }>, recovery: boolean): [number, FieldError] => {
    if (result.outcome === 'throttled') return [429, { field: 'code', text: THROTTLED_MESSAGE }];
    if (recovery) return [400, { field: 'code', text: result.reason === 'format' ? CODE_MESSAGES.recoveryFormat : CODE_MESSAGES.recoveryWrong }];
    const text = result.reason === 'reused' ? CODE_MESSAGES.reused : result.reason === 'format' ? CODE_MESSAGES.format : CODE_MESSAGES.wrong;
    return [400, { field: 'code', text }];
  };

  app.get<{ Querystring: { returnTo?: string; timedOut?: string; signedOutEverywhere?: string; passwordChanged?: string; sessionEnded?: string } }>(
    paths.signIn(),
    { config: { access: 'public', audit: null } },
    async (request, reply) =>
      reply.page(
        'pages/sign-in/sign-in.njk',
        signInModel({
          returnTo: safeReturnTo(request.query.returnTo),
          timedOut: request.query.timedOut === 'yes',
          signedOutEverywhere: request.query.signedOutEverywhere === 'yes',
          passwordChanged: request.query.passwordChanged === 'yes',
          sessionEnded: request.query.sessionEnded === 'yes',
          sso: ssoButton(services.oidc.button, safeReturnTo(request.query.returnTo)),
        }),
      ),
  );

  // For staff the sign-in is audited when the second factor completes it; a family or provider
  // account without an authenticator app is signed in (and audited) here.
  app.post<Body>(paths.signIn(), { config: { access: 'public', audit: 'account.signed_in' } }, async (request, reply) => {
    const form = validateSignIn(request.body);
    const returnTo = safeReturnTo(typeof request.body.returnTo === 'string' ? request.body.returnTo : undefined);
    const rerender = (status: number, errors: readonly FieldError[]) => {
      reply.code(status);
      return reply.page('pages/sign-in/sign-in.njk', signInModel({ email: form.email, errors, returnTo, sso: ssoButton(services.oidc.button, returnTo) }));
    };
    if (form.errors.length > 0) return rerender(400, form.errors);
    const previous = pendingToken(request);
    if (previous !== undefined) await services.auth.abandonPendingSignIn(previous);
    const result = await services.auth.startSignIn(form.email, form.password, requestContext(request), { returnTo });
    if (result.outcome === 'throttled') return rerender(429, [{ field: 'email', text: THROTTLED_MESSAGE }]);
    if (result.outcome === 'refused') return rerender(400, [{ field: 'email', text: 'Enter a correct email address and password' }]);
    if (result.outcome === 'signed-in') return reply.redirect(await beginSession(request, reply, result), 303);
    reply.setCookie(cookie.pendingCookieName, result.pendingToken, { ...cookieOptions, maxAge: PENDING_SIGN_IN_MINUTES * 60 });
    const next = result.next === 'set-up-authenticator' ? paths.signInSetUpAuthenticator() : paths.signInAuthenticatorCode();
    return reply.redirect(next, 303);
  });

  // The code from an authenticator app.
  app.get(paths.signInAuthenticatorCode(), { config: { access: 'public', audit: null } }, async (request, reply) => {
    const token = pendingToken(request);
    const page = token === undefined ? undefined : await services.auth.secondFactorPage(token);
    if (page === undefined) return startAgain(request, reply);
    if (page.step !== 'authenticator-code') return reply.redirect(paths.signInSetUpAuthenticator(), 303);
    reply.header('cache-control', 'no-store');
    return reply.page('pages/sign-in/authenticator-code.njk', authenticatorCodeModel(page));
  });

  app.post<Body>(paths.signInAuthenticatorCode(), { config: { access: 'public', audit: 'account.signed_in' } }, async (request, reply) => {
    const token = pendingToken(request);
    if (token === undefined) return startAgain(request, reply);
    const rerender = async (status: number, errors: readonly FieldError[]) => {
      const page = await services.auth.secondFactorPage(token);
      if (page === undefined || page.step !== 'authenticator-code') return startAgain(request, reply);
      reply.code(status).header('cache-control', 'no-store');
      return reply.page('pages/sign-in/authenticator-code.njk', authenticatorCodeModel(page, errors));
    };
    const form = validateAuthenticatorCode(request.body, CODE_MESSAGES.empty);
    if (form.errors.length > 0) return rerender(400, form.errors);
    const result = await services.auth.finishWithAuthenticatorCode(token, form.code, requestContext(request));
    if (result.outcome === 'expired') return startAgain(request, reply);
    if (result.outcome !== 'signed-in') {
      const [status, error] = refusal(result, false);
      return rerender(status, [error]);
    }
    return reply.redirect(await beginSession(request, reply, result), 303);
  });

  // A recovery code, when the app is not to hand.
  app.get(paths.signInRecoveryCode(), { config: { access: 'public', audit: null } }, async (request, reply) => {
    const token = pendingToken(request);
    const page = token === undefined ? undefined : await services.auth.secondFactorPage(token);
    if (page === undefined) return startAgain(request, reply);
    if (page.step !== 'authenticator-code') return reply.redirect(paths.signInSetUpAuthenticator(), 303);
    reply.header('cache-control', 'no-store');
    return reply.page('pages/sign-in/recovery-code.njk', recoveryCodeModel());
  });

  app.post<Body>(paths.signInRecoveryCode(), { config: { access: 'public', audit: 'account.signed_in' } }, async (request, reply) => {
    const token = pendingToken(request);
    if (token === undefined) return startAgain(request, reply);
    const rerender = (status: number, errors: readonly FieldError[]) => {
      reply.code(status).header('cache-control', 'no-store');
      return reply.page('pages/sign-in/recovery-code.njk', recoveryCodeModel(errors));
    };
    const form = validateRecoveryCode(request.body);
    if (form.errors.length > 0) return rerender(400, form.errors);
    const result = await services.auth.finishWithRecoveryCode(token, form.code, requestContext(request));
    if (result.outcome === 'expired') return startAgain(request, reply);
    if (result.outcome !== 'signed-in') {
      const [status, error] = refusal(result, true);
      return rerender(status, [error]);
    }
    return reply.redirect(await beginSession(request, reply, result), 303);
  });

  // The first sign-in: set up an authenticator app, then see the recovery codes once.
  app.get(paths.signInSetUpAuthenticator(), { config: { access: 'public', audit: null } }, async (request, reply) => {
    const token = pendingToken(request);
    const page = token === undefined ? undefined : await services.auth.secondFactorPage(token);
    if (page === undefined) return startAgain(request, reply);
    if (page.step !== 'set-up-authenticator') return reply.redirect(paths.signInAuthenticatorCode(), 303);
    reply.header('cache-control', 'no-store');
    return reply.page('pages/sign-in/set-up-authenticator.njk', await setUpAuthenticatorModel(page));
  });

  app.post<Body>(paths.signInSetUpAuthenticator(), { config: { access: 'public', audit: 'account.mfa_enrolled' } }, async (request, reply) => {
    const token = pendingToken(request);
    if (token === undefined) return startAgain(request, reply);
    const rerender = async (status: number, errors: readonly FieldError[]) => {
      const page = await services.auth.secondFactorPage(token);
      if (page === undefined || page.step !== 'set-up-authenticator') return startAgain(request, reply);
      reply.code(status).header('cache-control', 'no-store');
      return reply.page('pages/sign-in/set-up-authenticator.njk', await setUpAuthenticatorModel(page, errors));
    };
    const form = validateAuthenticatorCode(request.body, CODE_MESSAGES.emptyAtSetUp);
    if (form.errors.length > 0) return rerender(400, form.errors);
    const result = await services.auth.finishEnrolment(token, form.code, requestContext(request));
    if (result.outcome === 'expired') return startAgain(request, reply);
    if (result.outcome !== 'signed-in') {
      const [status, error] = refusal(result, false);
      return rerender(status, [error]);
    }
    // The codes exist only in this response: they are stored hashed and never shown again.
    const next = await beginSession(request, reply, result);
    return reply.page('pages/sign-in/recovery-codes.njk', recoveryCodesModel(result.recoveryCodes, next));
  });

  app.post(paths.signOut(), { config: { access: 'signed-in', audit: 'account.signed_out' } }, async (request, reply) => {
    if (request.actor !== undefined && request.sessionToken !== undefined) {
      await services.auth.signOut(request.sessionToken, request.actor, requestContext(request));
    }
    // A __Host- cookie is only replaced (here: expired) by one that is Secure too.
    reply.clearCookie(cookie.cookieName, { path: '/', secure: cookie.secure });
    return reply.redirect(paths.home(), 303);
  });

  // Staff single sign-on through the council's identity provider (404 when not set up).
  oidcSignInPages(app, services, cookie, beginSession);
}
