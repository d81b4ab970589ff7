/**
 * Staff single sign-on through the council's OpenID Connect provider (Microsoft Entra ID, or any
 * certified provider), with openid-client: the authorization code flow with PKCE, state and nonce
 * (docs/decisions/0009-staff-single-sign-on.md).
 *
 *  1. `start` makes a state, a nonce and a PKCE verifier for this one sign-in and the address of the
 *     provider's sign-in page. The web layer keeps them in a short-lived signed cookie.
 *  2. `complete` takes the provider's answer back: the state must be this browser's, the code is
 *     exchanged with the PKCE verifier, and openid-client checks the ID token (signature, issuer,
 *     audience, expiry, nonce). The email claim then names an ACTIVE STAFF account in OIDC_COUNCIL,
 *     never anyone else: no account is ever created, family and provider accounts never sign in
 *     this way, and a disabled account is refused. The first sign-in pins the account to the
 *     provider's subject (`sub`); after that another subject with the same email is refused.
 *  3. If the provider proved a second factor (`amr` includes "mfa"), or OIDC_REQUIRE_MFA is off,
 *     that is the session. Otherwise the person still gives their OneBudget authenticator code
 *     (auth.startVerifiedSignIn opens the same pending sign-in a correct password does).
 *
 * Every failed answer counts as a failed sign-in attempt from its source address, under the same
 * throttle as passwords (src/db/system.ts).
 */
import crypto from 'node:crypto';
import * as client from 'openid-client';
import type { Clock } from '../clock.ts';
import type { OidcConfig } from '../config.ts';
import type { SystemRepository } from '../db/system.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import { normaliseEmail } from '../domain/identity/sign-in.ts';
import { reserveSignInAttempt } from './attempts.ts';
import type { AuthServices, PasswordResult } from './auth.ts';
import type { RequestContext } from './context.ts';

/** How long the browser has to come back from the provider. */
export const OIDC_TRANSACTION_MINUTES = 10;
const SCOPE = 'openid email profile';
/** Seconds to wait for the provider's discovery document. */
const DISCOVERY_TIMEOUT_SECONDS = 10;

/** What one sign-in through the provider must find again when the browser comes back. */
export interface OidcTransaction {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** The page the person asked for before signing in, if any (already checked to be on this site). */
  readonly returnTo: string | undefined;
  /** Milliseconds since the epoch, on the service's clock. */
  readonly startedAt: number;
}

export type OidcRefusalReason =
  /** Single sign-on is not set up (the pages answer 404). */
  | 'not-configured'
  /** Too many failed sign-in attempts from this address. */
  | 'throttled'
  /** No transaction cookie, or it is older than OIDC_TRANSACTION_MINUTES. */
  | 'expired'
  /** The state in the answer is not this browser's. */
  | 'state'
  /** The provider said no: the person cancelled, or is not allowed to use the application. */
  | 'cancelled'
  /** The provider answered with another error. */
  | 'provider-error'
  /** The provider could not be reached. */
  | 'unavailable'
  /** The code exchange failed, or the ID token did not pass its checks. */
  | 'invalid-answer'
  /** The ID token has no usable email in the configured claim. */
  | 'no-email'
  /** The provider says it has not verified the email. */
  | 'unverified-email'
  /** No account has that email in OIDC_COUNCIL. */
  | 'unknown-account'
  /** A family or provider account: they sign in with their password. */
  | 'not-staff'
  | 'disabled'
  /** The account is pinned to another identity (another subject, or another issuer). */
  | 'other-identity'
  /** The identity is already pinned to another account. */
  | 'identity-in-use'
  /** OIDC_COUNCIL names no council. */
  | 'misconfigured';

export interface OidcRefused {
  readonly outcome: 'refused';
  readonly reason: OidcRefusalReason;
  /** For the log only, never for the page: what exactly went wrong. */
  readonly technical: string;
  /** The email the provider gave, when the refusal is about the account it names. */
  readonly email?: string | undefined;
  /** The council OIDC_COUNCIL names, when it exists. */
  readonly councilName?: string | undefined;
}

export type OidcStart = { readonly outcome: 'redirect'; readonly url: string; readonly transaction: OidcTransaction } | OidcRefused;
export type OidcResult = OidcRefused | Extract<PasswordResult, { outcome: 'second-factor' | 'signed-in' }>;

function sameSecret(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function describe(error: unknown): string {
  if (error instanceof client.AuthorizationResponseError) return `authorization error ${error.error}: ${error.error_description ?? ''}`;
  if (error instanceof client.ResponseBodyError) return `token endpoint ${error.status} ${error.error}: ${error.error_description ?? ''}`;
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}${cause}`;
  }
  return String(error);
}

/** fetch's own failure (no answer at all), as opposed to an answer that did not pass the checks. */
function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}

export function oidcServices(deps: {
  config: OidcConfig | undefined;
  system: SystemRepository;
  withCouncil: WithCouncil;
  clock: Clock;
  auth: AuthServices;
}) {
  const settings = deps.config;
  let discovered: Promise<client.Configuration> | undefined;

  /** The provider's metadata, discovered once (again after a failure) and kept. */
  const providerConfiguration = (cfg: OidcConfig): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(new URL(cfg.issuer), cfg.clientId, cfg.clientSecret, undefined, {
        // Plain http only outside production for a provider on this machine (src/config.ts).
        execute: cfg.allowInsecureRequests ? [client.allowInsecureRequests] : [],
        timeout: DISCOVERY_TIMEOUT_SECONDS,
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };

  const refused = (reason: OidcRefusalReason, technical: string, extra: { email?: string; councilName?: string } = {}): OidcRefused => ({
    outcome: 'refused',
    reason,
    technical,
    ...extra,
  });

  /** The ID token's claims, or why there are none. */
  const exchange = async (cfg: OidcConfig, query: URLSearchParams, transaction: OidcTransaction): Promise<{ readonly outcome: 'verified'; readonly claims: client.IDToken } | OidcRefused> => {
    let configuration: client.Configuration;
    try {
      configuration = await providerConfiguration(cfg);
    } catch (error) {
      return refused('unavailable', `discovery of ${cfg.issuer} failed: ${describe(error)}`);
    }
    // The redirect URI as registered, with the provider's answer: behind a proxy the request's own URL may differ.
    const currentUrl = new URL(cfg.redirectUri);
    currentUrl.search = query.toString();
    try {
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      return claims === undefined ? refused('invalid-answer', 'the token endpoint returned no ID token') : { outcome: 'verified', claims };
    } catch (error) {
      if (error instanceof client.AuthorizationResponseError) {
        return refused(error.error === 'access_denied' ? 'cancelled' : 'provider-error', describe(error));
      }
      if (isNetworkFailure(error)) return refused('unavailable', describe(error));
      return refused('invalid-answer', describe(error));
    }
  };

  return {
    /** What the sign-in page offers, or undefined when single sign-on is not set up. */
    button: settings === undefined ? undefined : { text: settings.displayName },

    /** A new sign-in through the provider: where to send the browser, and what it must bring back. */
    async start(options: { returnTo?: string | undefined } = {}): Promise<OidcStart> {
      if (settings === undefined) return refused('not-configured', 'single sign-on is not set up');
      let configuration: client.Configuration;
      try {
        configuration = await providerConfiguration(settings);
      } catch (error) {
        return refused('unavailable', `discovery of ${settings.issuer} failed: ${describe(error)}`);
      }
      const codeVerifier = client.randomPKCECodeVerifier();
      const transaction: OidcTransaction = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier,
        returnTo: options.returnTo,
        startedAt: deps.clock.now().getTime(),
      };
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: settings.redirectUri,
        scope: SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: transaction.state,
        nonce: transaction.nonce,
      });
      return { outcome: 'redirect', url: url.href, transaction };
    },

    /**
     * The provider's answer (the callback's query string) and the transaction this browser kept.
     * A session, a pending sign-in waiting for the OneBudget authenticator code, or a refusal.
     */
    async complete(query: URLSearchParams, transaction: OidcTransaction | undefined, context: RequestContext): Promise<OidcResult> {
      if (settings === undefined) return refused('not-configured', 'single sign-on is not set up');
      const now = deps.clock.now();
      // Failed answers are counted per source address (the email may be unknown or absent).
      const reservation = await reserveSignInAttempt(deps.system, now, `oidc-callback@${context.sourceAddress}`, context.sourceAddress);
      if (reservation.throttled) return refused('throttled', `too many failed sign-ins from ${context.sourceAddress}`);

      if (transaction === undefined) return refused('expired', 'no single sign-on transaction cookie (expired, or another browser)');
      if (now.getTime() - transaction.startedAt > OIDC_TRANSACTION_MINUTES * 60_000 || now.getTime() < transaction.startedAt) {
        return refused('expired', `the transaction started at ${new Date(transaction.startedAt).toISOString()}`);
      }
      const returnedState = query.get('state');
      if (returnedState === null || !sameSecret(returnedState, transaction.state)) {
        return refused('state', returnedState === null ? 'the answer has no state' : 'the state in the answer is not the one this browser was given');
      }

      const verified = await exchange(settings, query, transaction);
      if (verified.outcome === 'refused') return verified;
      const claims = verified.claims;
      const claimed = claims[settings.emailClaim];
      if (typeof claimed !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(claimed.trim())) {
        return refused('no-email', `the ID token's ${settings.emailClaim} claim is ${typeof claimed === 'string' ? `"${claimed}"` : 'missing'}`);
      }
      const email = normaliseEmail(claimed);
      if (settings.emailClaim === 'email' && claims.email_verified === false) {
        return refused('unverified-email', `the provider has not verified ${email} (email_verified is false)`, { email });
      }
      const identity = { issuer: claims.iss, subject: claims.sub };
      const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [];
      const providerMfa = amr.includes('mfa');
      const secondFactorDone = providerMfa || !settings.requireMfa;

      const council = await deps.system.findCouncilBySlug(settings.councilSlug);
      if (council === undefined) return refused('misconfigured', `OIDC_COUNCIL "${settings.councilSlug}" names no council`);
      const about = { email, councilName: council.name };

      let match: { accountId: string } | OidcRefused;
      try {
        match = await deps.withCouncil(council.id, async (tx): Promise<{ accountId: string } | OidcRefused> => {
          const repos = repositories(tx);
          const account = await repos.oidcLinks.findByEmail(email);
          if (account === undefined) return refused('unknown-account', `no account for ${email} in ${council.slug}`, about);
          if (account.kind !== 'staff') return refused('not-staff', `${email} is a ${account.kind} account`, about);
          if (account.disabledAt !== null) return refused('disabled', `${email} was disabled at ${account.disabledAt.toISOString()}`, about);
          const audited = { councilId: council.id, occurredAt: now, actorId: account.id, actorRole: null, subjectType: 'account', subjectId: account.id, sourceAddress: context.sourceAddress, requestId: context.requestId };
          if (account.oidcSubject === null) {
            const holder = await repos.oidcLinks.findByIdentity(identity);
            if (holder !== undefined) return refused('identity-in-use', `${identity.issuer} subject ${identity.subject} is pinned to account ${holder}`, about);
            if (!(await repos.oidcLinks.pin(account.id, identity))) return refused('other-identity', `${email} was pinned by another request at the same time`, about);
            await repos.audit.record({ ...audited, action: 'account.oidc_linked', detail: { issuer: identity.issuer, subject: identity.subject } });
          } else if (account.oidcIssuer !== identity.issuer || account.oidcSubject !== identity.subject) {
            return refused(
              'other-identity',
              `${email} is pinned to ${account.oidcIssuer ?? '?'} subject ${account.oidcSubject}, not ${identity.issuer} subject ${identity.subject}`,
              about,
            );
          }
          // The provider vouched for the person but the OneBudget code is still to come: on record, so
          // that the sign-in that follows is not mistaken for one with a password.
          if (!secondFactorDone) await repos.audit.record({ ...audited, action: 'account.oidc_verified', detail: { issuer: identity.issuer, providerMfa } });
          return { accountId: account.id };
        });
      } catch (error) {
        // The identity is pinned to an account of another council (the unique index spans councils).
        if ((error as { code?: unknown }).code === '23505') return refused('identity-in-use', describe(error), about);
        throw error;
      }
      if ('outcome' in match) return match;

      await deps.system.markAttemptSucceeded(reservation.attemptId);
      return deps.auth.startVerifiedSignIn({ id: match.accountId, councilId: council.id }, context, {
        secondFactorDone,
        detail: { method: 'oidc', issuer: identity.issuer, providerMfa },
        returnTo: transaction.returnTo,
      });
    },
  };
}

export type OidcServices = ReturnType<typeof oidcServices>;
