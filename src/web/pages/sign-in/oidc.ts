/**
 * Staff single sign-on pages (src/services/oidc.ts): GET /sign-in/oidc sends the browser to the
 * council's identity provider; GET /sign-in/oidc/callback takes its answer. Both answer 404 when
 * single sign-on is not set up.
 *
 * Between the two the browser holds the transaction (state, nonce, PKCE verifier, where to go
 * afterwards) in a cookie signed with SESSION_SECRET, HttpOnly, SameSite=Lax (sent on the
 * provider's top-level redirect back) and gone after 10 minutes or its one use. Nothing is stored
 * server-side before we know who is signing in (docs/decisions/0009-staff-single-sign-on.md).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { SignedIn } from '../../../services/auth.ts';
import { OIDC_TRANSACTION_MINUTES, type OidcRefused, type OidcTransaction } from '../../../services/oidc.ts';
import { PENDING_SIGN_IN_MINUTES } from '../../../domain/identity/sign-in.ts';
import { paths } from '../../paths.ts';
import { requestContext } from '../../request.ts';
import { safeReturnTo } from './form.ts';
import { oidcProblemModel } from './oidc-presenters.ts';
import type { SessionCookieOptions } from './controller.ts';

/** The cookie that carries one sign-in through the provider. */
export function oidcCookieName(secure: boolean): string {
  return secure ? '__Host-onebudget_oidc' : 'onebudget_oidc';
}

function encodeTransaction(transaction: OidcTransaction): string {
  return Buffer.from(JSON.stringify(transaction), 'utf8').toString('base64url');
}

function decodeTransaction(value: string): OidcTransaction | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const t = parsed as Record<string, unknown>;
    if (typeof t.state !== 'string' || typeof t.nonce !== 'string' || typeof t.codeVerifier !== 'string' || typeof t.startedAt !== 'number') return undefined;
    return { state: t.state, nonce: t.nonce, codeVerifier: t.codeVerifier, startedAt: t.startedAt, returnTo: safeReturnTo(typeof t.returnTo === 'string' ? t.returnTo : undefined) };
  } catch {
    return undefined;
  }
}

export function oidcSignInPages(
  app: FastifyInstance,
  services: Services,
  cookie: SessionCookieOptions,
  beginSession: (request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn) => Promise<string>,
): void {
  const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax', secure: cookie.secure, path: '/' } as const;
  const transactionCookie = oidcCookieName(cookie.secure);

  const signedCookie = (request: FastifyRequest, name: string): string | undefined => {
    const signed = request.cookies[name];
    const unsigned = signed === undefined ? undefined : request.unsignCookie(signed);
    return unsigned?.valid ? (unsigned.value ?? undefined) : undefined;
  };

  /** The page that says why, with the technical detail in the log only. */
  const refuse = (request: FastifyRequest, reply: FastifyReply, refusal: OidcRefused) => {
    const serious = refusal.reason === 'unavailable' || refusal.reason === 'misconfigured';
    request.log[serious ? 'error' : 'warn']({ oidcRefusal: refusal.reason, detail: refusal.technical }, 'single sign-on refused');
    const model = oidcProblemModel(refusal);
    reply.code(model.status).header('cache-control', 'no-store');
    return reply.page('pages/sign-in/oidc-problem.njk', model);
  };

  app.get<{ Querystring: { returnTo?: string } }>(paths.signInOidc(), { config: { access: 'public', audit: null } }, async (request, reply) => {
    if (services.oidc.button === undefined) return reply.callNotFound();
    const started = await services.oidc.start({ returnTo: safeReturnTo(request.query.returnTo) });
    if (started.outcome === 'refused') return refuse(request, reply, started);
    reply.setCookie(transactionCookie, encodeTransaction(started.transaction), { ...cookieOptions, maxAge: OIDC_TRANSACTION_MINUTES * 60 });
    reply.header('cache-control', 'no-store');
    return reply.redirect(started.url, 303);
  });

  // Audited as a sign-in when the provider proved a second factor; otherwise the OneBudget
  // authenticator code completes (and audits) it, as after a password.
  app.get(paths.signInOidcCallback(), { config: { access: 'public', audit: 'account.signed_in' } }, async (request, reply) => {
    if (services.oidc.button === undefined) return reply.callNotFound();
    const raw = signedCookie(request, transactionCookie);
    const transaction = raw === undefined ? undefined : decodeTransaction(raw);
    // One use only, whatever happens next.
    reply.clearCookie(transactionCookie, { path: '/', secure: cookie.secure });
    const query = new URLSearchParams(request.raw.url?.split('?')[1] ?? '');
    const result = await services.oidc.complete(query, transaction, requestContext(request));
    if (result.outcome === 'refused') return refuse(request, reply, result);
    if (result.outcome === 'signed-in') return reply.redirect(await beginSession(request, reply, result), 303);
    const previous = signedCookie(request, cookie.pendingCookieName);
    if (previous !== undefined) await services.auth.abandonPendingSignIn(previous);
    reply.setCookie(cookie.pendingCookieName, result.pendingToken, { ...cookieOptions, maxAge: PENDING_SIGN_IN_MINUTES * 60 });
    reply.header('cache-control', 'no-store');
    return reply.redirect(result.next === 'set-up-authenticator' ? paths.signInSetUpAuthenticator() : paths.signInAuthenticatorCode(), 303);
  });
}
