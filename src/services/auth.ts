/**
 * Sign-in: a password (or the council's identity provider, src/services/oidc.ts), then a second
 * factor, then a server-side session. Staff always give a second factor; family and provider
 * users only if they have set up an authenticator app.
 *
 *  1. `startSignIn` checks the email and password. It is throttled first (src/domain/identity/
 *     sign-in.ts): past the limit the attempt is refused without checking anything. A correct
 *     password opens a *pending* sign-in, not a session: a random token for its own cookie, held
 *     here as a SHA-256 for 5 minutes. An account without an authenticator app gets a new TOTP
 *     secret to set one up with.
 *  2. `finishWithAuthenticatorCode`, `finishWithRecoveryCode` or, the first time,
 *     `finishEnrolment` take the second factor. Wrong codes are failed attempts, throttled like
 *     passwords. Success removes the pending sign-in and creates the session: a new random
 *     256-bit token whose SHA-256 is all the database holds, so a copy of the sessions table
 *     cannot be replayed.
 *
 * Unknown and known emails get the same answer: an unknown email is verified against a dummy hash,
 * so it costs the same time, and is throttled under its own normalised email in the same way.
 */
import crypto from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { Clock } from '../clock.ts';
import type { SessionOwner, SystemRepository } from '../db/system.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { Actor } from '../domain/access/policy.ts';
import {
  normaliseEmail,
  pendingSignInExpiry,
} from '../domain/identity/sign-in.ts';
import { checkTotp, groupInFours, nextUsableStep, otpauthUri, secondsLeftInStep, totpCode, totpStep, TOTP_SECRET_BYTES } from '../domain/identity/totp.ts';
import { generateRecoveryCodes, normaliseRecoveryCode } from '../domain/identity/recovery-codes.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { reserveSignInAttempt } from './attempts.ts';
import { isSteppedUp } from '../domain/identity/step-up.ts';
import { sealedFor, type SecretBox } from './secret-box.ts';

const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
// Verified when no account matches, so that a wrong email costs the same time as a wrong password.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Sv9Gv+fY5kbn3VJpYQ1aMWRr/VM2kTkS0GQp3yDchM';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url');
}

/** Recovery codes carry about 79 random bits, so a plain SHA-256 is enough to store them. */
export function hashRecoveryCode(normalisedCode: string): string {
  return crypto.createHash('sha256').update(normalisedCode).digest('hex');
}

function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/**
 * Opens a session for a family or provider account inside the caller's transaction, audited as a
 * sign-in with `detail`: for a use case that has itself proven who the person is (accepting an
 * invitation, which sets or checks their password). Returns the token for the session cookie;
 * `resolve` it once the transaction has committed.
 */
export async function startSessionFor(
  repos: Repositories,
  /** `role`: what the audit event keeps as the actor's role (null where it has not been looked up). */
  account: { readonly councilId: string; readonly accountId: string; readonly role: string | null },
  context: RequestContext,
  now: Date,
  detail: Readonly<Record<string, unknown>>,
): Promise<string> {
  const sessionToken = newToken();
  await repos.sessions.create({ idHash: hashToken(sessionToken), councilId: account.councilId, accountId: account.accountId, now });
  await repos.audit.record({
    councilId: account.councilId,
    occurredAt: now,
    actorId: account.accountId,
    actorRole: account.role,
    action: 'account.signed_in',
    subjectType: 'account',
    subjectId: account.accountId,
    sourceAddress: context.sourceAddress,
    requestId: context.requestId,
    detail,
  });
  return sessionToken;
}

function newTotpSecret(): string {
  const bytes = crypto.randomBytes(TOTP_SECRET_BYTES);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out; // 20 bytes = 160 bits = exactly 32 characters
}

/** The second step to show after a correct password. */
export type SecondStep = 'set-up-authenticator' | 'authenticator-code';

export type PasswordResult =
  | { readonly outcome: 'throttled' }
  | { readonly outcome: 'refused' }
  | { readonly outcome: 'second-factor'; readonly pendingToken: string; readonly next: SecondStep }
  /** A family or provider account that has not chosen to add an authenticator app. */
  | SignedIn;

export type CodeRefusal = 'format' | 'wrong' | 'reused';

export interface SignedIn {
  readonly outcome: 'signed-in';
  readonly sessionToken: string;
  readonly actor: Actor;
  /** The page the person asked for before signing in, if any (a path on this site). */
  readonly returnTo: string | undefined;
}

export type SecondFactorResult =
  /** No such pending sign-in, or its 5 minutes are over: start again with the password. */
  | { readonly outcome: 'expired' }
  | { readonly outcome: 'throttled' }
  | { readonly outcome: 'refused'; readonly reason: CodeRefusal }
  | SignedIn;

export type EnrolmentResult =
  | Exclude<SecondFactorResult, SignedIn>
  | (SignedIn & { readonly recoveryCodes: readonly string[] });

/** Shown in demo mode only: a code from the published demo secret, so the demo needs no app. */
export interface DemoCode {
  /** The published demo secret the code comes from (for the authenticator-code page). */
  readonly publishedSecret: string;
  /** The code to type now, or undefined when this account has used every code of this moment. */
  readonly code: string | undefined;
  readonly secondsLeft: number;
}

export type SecondFactorPage =
  | { readonly step: 'authenticator-code'; readonly demo: DemoCode | undefined }
  | {
      readonly step: 'set-up-authenticator';
      /** Grouped in fours, for typing. */
      readonly secretForTyping: string;
      /** What the QR code carries. */
      readonly otpauthUri: string;
      readonly demo: DemoCode | undefined;
    };

/** The actor a live session speaks for. */
function actorFromSession(session: SessionOwner): Actor {
  const base = {
    accountId: session.accountId,
    councilId: session.councilId,
    councilSlug: session.councilSlug,
    councilName: session.councilName,
    displayName: session.displayName,
  };
  switch (session.kind) {
    case 'staff':
      if (session.role === null) throw new Error(`staff account ${session.accountId} has no role`);
      return { ...base, kind: 'staff', role: session.role };
    case 'family':
      return { ...base, kind: 'family' };
    case 'provider':
      if (session.providerId === null || session.providerName === null) throw new Error(`provider account ${session.accountId} has no provider`);
      return { ...base, kind: 'provider', providerId: session.providerId, providerName: session.providerName };
  }
}

export type StepUpResult =
  | { readonly outcome: 'stepped-up' }
  | { readonly outcome: 'throttled' }
  | { readonly outcome: 'refused'; readonly reason: CodeRefusal }
  /** The account has no authenticator app (a family or provider account that never set one up). */
  | { readonly outcome: 'no-authenticator' };

/** Thrown inside a transaction to undo it: the pending sign-in was completed by another request, or expired. */
class PendingSignInGone extends Error {}

/** Thrown inside a transaction to undo it: the code was refused, so the pending sign-in stays. */
class CodeRefused extends Error {
  constructor(readonly reason: CodeRefusal) {
    super(`code refused: ${reason}`);
  }
}

/** A pending sign-in claimed inside the second factor's transaction. */
interface ClaimedPending {
  readonly idHash: string;
  readonly councilId: string;
  readonly accountId: string;
  readonly returnTo: string | undefined;
  readonly sealedEnrolmentSecret: string | null;
}

export function authServices(deps: {
  system: SystemRepository;
  withCouncil: WithCouncil;
  clock: Clock;
  idleMinutes: number;
  secrets: SecretBox;
  /** The name authenticator apps show for OneBudget accounts. */
  issuer: string;
  /** Demo mode only: the published demo TOTP secret, whose codes the sign-in pages may show. */
  demoTotpSecret: string | undefined;
}) {
  const openStaffSecret = (sealed: string, accountId: string): string => {
    const secret = deps.secrets.open(sealed, sealedFor.staffTotp(accountId));
    // Never fall back to "not enrolled": that would let a password alone set up a new app.
    if (secret === undefined) {
      throw new Error(`The authenticator secret of staff ${accountId} cannot be decrypted: was SESSION_SECRET changed?`);
    }
    return secret;
  };

  const demoCode = (secret: string, lastUsedStep: number | null, now: Date): DemoCode | undefined => {
    if (deps.demoTotpSecret === undefined || secret !== deps.demoTotpSecret) return undefined;
    const step = nextUsableStep(now, lastUsedStep);
    const secondsLeft = secondsLeftInStep(now) + (step !== undefined && step > totpStep(now) ? 30 : 0);
    return { publishedSecret: deps.demoTotpSecret, code: step === undefined ? undefined : totpCode(secret, step), secondsLeft };
  };

  /** The actor behind a session token, or undefined if it is unknown or has expired. */
  const resolve = async (token: string): Promise<Actor | undefined> => {
    const idHash = hashToken(token);
    const session = await deps.system.findSession(idHash);
    if (session === undefined) return undefined;
    const now = deps.clock.now();
    const idleExpired = now.getTime() - session.lastSeenAt.getTime() > deps.idleMinutes * 60_000;
    const absoluteExpired = now.getTime() - session.createdAt.getTime() > ABSOLUTE_LIFETIME_MS;
    // Activity is recorded at most once a minute (or a quarter of the idle timeout, if shorter).
    const stale = now.getTime() - session.lastSeenAt.getTime() > Math.min(60_000, (deps.idleMinutes * 60_000) / 4);
    if (idleExpired || absoluteExpired || stale) {
      await deps.withCouncil(session.councilId, async (tx) => {
        const repos = repositories(tx);
        // An expired session is deleted; a live one records activity at most once a minute.
        if (idleExpired || absoluteExpired) await repos.sessions.remove(idHash);
        else await repos.sessions.touch(idHash, now);
      });
      if (idleExpired || absoluteExpired) return undefined;
    }
    return actorFromSession(session);
  };

  /** A live pending sign-in, or undefined. */
  const livePending = async (pendingToken: string) => {
    const pending = await deps.system.findPendingSignIn(hashToken(pendingToken));
    if (pending === undefined || pending.expiresAt.getTime() <= deps.clock.now().getTime()) return undefined;
    return pending;
  };

  const reserveAttempt = (emailKey: string, context: RequestContext) =>
    reserveSignInAttempt(deps.system, deps.clock.now(), emailKey, context.sourceAddress);

  /** In the second factor's transaction, once the factor is proven: the session, and its audit event. */
  const createSession = async (
    repos: Repositories,
    pending: ClaimedPending,
    context: RequestContext,
    detail: Readonly<Record<string, unknown>>,
  ): Promise<{ sessionToken: string; returnTo: string | undefined }> => {
    const account = { councilId: pending.councilId, accountId: pending.accountId, role: null };
    const sessionToken = await startSessionFor(repos, account, context, deps.clock.now(), detail);
    return { sessionToken, returnTo: pending.returnTo };
  };

  /**
   * Runs a second factor: expiry, then the throttle, then one transaction that claims (deletes) the
   * pending sign-in first, so that two requests cannot both complete it, checks the factor and
   * creates the session. A refused code undoes the transaction, so the pending sign-in stays.
   */
  const secondFactor = async <T extends { sessionToken: string; returnTo: string | undefined }>(
    pendingToken: string,
    context: RequestContext,
    options: { enrolled: boolean },
    work: (repos: Repositories, pending: ClaimedPending) => Promise<T>,
  ): Promise<Exclude<SecondFactorResult, SignedIn> | { outcome: 'signed-in'; result: T; actor: Actor }> => {
    const pending = await livePending(pendingToken);
    if (pending === undefined || pending.enrolled !== options.enrolled) return { outcome: 'expired' };
    const reservation = await reserveAttempt(pending.emailKey, context);
    if (reservation.throttled) return { outcome: 'throttled' };
    let result: T;
    try {
      result = await deps.withCouncil(pending.councilId, async (tx) => {
        const repos = repositories(tx);
        const claimed = await repos.pendingSignIns.claim(hashToken(pendingToken));
        if (claimed === undefined || claimed.expiresAt.getTime() <= deps.clock.now().getTime()) throw new PendingSignInGone();
        return work(repos, {
          idHash: claimed.idHash,
          councilId: pending.councilId,
          accountId: claimed.accountId,
          returnTo: claimed.returnTo ?? undefined,
          sealedEnrolmentSecret: claimed.sealedEnrolmentSecret,
        });
      });
    } catch (error) {
      if (error instanceof PendingSignInGone) return { outcome: 'expired' };
      if (error instanceof CodeRefused) return { outcome: 'refused', reason: error.reason };
      throw error;
    }
    await deps.system.markAttemptSucceeded(reservation.attemptId);
    const actor = await resolve(result.sessionToken);
    if (actor === undefined) throw new Error('a session just created did not resolve');
    return { outcome: 'signed-in', result, actor };
  };

  /**
   * After the first factor (a correct password, or the council's identity provider): either a
   * session at once, when `skipSecondFactor` says so for an account with or without an app, or a
   * pending sign-in that waits for the authenticator code (or for setting up the app).
   */
  const afterFirstFactor = async (
    account: { readonly id: string; readonly councilId: string },
    context: RequestContext,
    options: { skipSecondFactor: (hasApp: boolean) => boolean; detail: Readonly<Record<string, unknown>>; returnTo: string | undefined },
  ): Promise<Extract<PasswordResult, { outcome: 'second-factor' | 'signed-in' }>> => {
    const now = deps.clock.now();
    await deps.system.removeExpiredPendingSignIns(now);
    const pendingToken = newToken();
    const idHash = hashToken(pendingToken);
    const next = await deps.withCouncil(account.councilId, async (tx) => {
      const repos = repositories(tx);
      const mfa = await repos.mfa.find(account.id);
      if (options.skipSecondFactor(mfa !== undefined)) {
        const pending = { idHash, councilId: account.councilId, accountId: account.id, returnTo: options.returnTo, sealedEnrolmentSecret: null };
        return createSession(repos, pending, context, options.detail);
      }
      await repos.pendingSignIns.create({
        idHash,
        councilId: account.councilId,
        accountId: account.id,
        now,
        expiresAt: pendingSignInExpiry(now),
        returnTo: options.returnTo,
        sealedEnrolmentSecret: mfa === undefined ? deps.secrets.seal(newTotpSecret(), sealedFor.pendingEnrolment(idHash)) : undefined,
      });
      return mfa === undefined ? 'set-up-authenticator' : 'authenticator-code';
    });
    if (typeof next === 'object') {
      const actor = await resolve(next.sessionToken);
      if (actor === undefined) throw new Error('a session just created did not resolve');
      return { outcome: 'signed-in', sessionToken: next.sessionToken, actor, returnTo: next.returnTo };
    }
    return { outcome: 'second-factor', pendingToken, next };
  };

  return {
    /**
     * The first step: email and password. For staff, and for anyone who has set up an app, a
     * correct password opens a pending sign-in that waits for the second factor; it is never a
     * session by itself. A family or provider account without an app is signed in by it.
     */
    async startSignIn(email: string, password: string, context: RequestContext, options: { returnTo?: string } = {}): Promise<PasswordResult> {
      const reservation = await reserveAttempt(normaliseEmail(email), context);
      if (reservation.throttled) return { outcome: 'throttled' };
      const candidate = await deps.system.findAccountForSignIn(email);
      const ok = await verify(candidate?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
      if (candidate === undefined || !ok) return { outcome: 'refused' };
      await deps.system.markAttemptSucceeded(reservation.attemptId);
      // Staff must use a second factor; for family and provider users it is their choice.
      return afterFirstFactor(candidate, context, {
        skipSecondFactor: (hasApp) => candidate.kind !== 'staff' && !hasApp,
        detail: { secondFactor: 'none' },
        returnTo: options.returnTo,
      });
    },

    /** What the second-factor page shows, or undefined when the pending sign-in has expired. */
    async secondFactorPage(pendingToken: string): Promise<SecondFactorPage | undefined> {
      const pending = await livePending(pendingToken);
      if (pending === undefined) return undefined;
      const now = deps.clock.now();
      const idHash = hashToken(pendingToken);
      return deps.withCouncil(pending.councilId, async (tx): Promise<SecondFactorPage | undefined> => {
        const repos = repositories(tx);
        if (pending.enrolled) {
          const mfa = await repos.mfa.find(pending.accountId);
          if (mfa === undefined) return undefined;
          return { step: 'authenticator-code', demo: demoCode(openStaffSecret(mfa.sealedSecret, pending.accountId), mfa.lastUsedStep, now) };
        }
        const [row, staff] = [await repos.pendingSignIns.find(idHash), await repos.accounts.findById(pending.accountId)];
        const secret = row?.sealedEnrolmentSecret ? deps.secrets.open(row.sealedEnrolmentSecret, sealedFor.pendingEnrolment(idHash)) : undefined;
        if (secret === undefined || staff === undefined) return undefined;
        return {
          step: 'set-up-authenticator',
          secretForTyping: groupInFours(secret),
          otpauthUri: otpauthUri(secret, { issuer: deps.issuer, account: staff.email }),
          // The demo shows the code of a new secret too, so that the set-up can be tried without an app.
          demo:
            deps.demoTotpSecret === undefined
              ? undefined
              : { publishedSecret: deps.demoTotpSecret, code: totpCode(secret, totpStep(now)), secondsLeft: secondsLeftInStep(now) },
        };
      });
    },

    /** Second step, for an account with an authenticator app: the code it shows now. */
    async finishWithAuthenticatorCode(pendingToken: string, code: string, context: RequestContext): Promise<SecondFactorResult> {
      const result = await secondFactor(pendingToken, context, { enrolled: true }, async (repos, pending) => {
        const mfa = await repos.mfa.find(pending.accountId);
        if (mfa === undefined) throw new PendingSignInGone();
        const check = checkTotp(openStaffSecret(mfa.sealedSecret, pending.accountId), code, deps.clock.now(), mfa.lastUsedStep);
        if (!check.ok) throw new CodeRefused(check.reason);
        // Conditional on the step still being unused, so that two requests cannot both use one code.
        if (!(await repos.mfa.useStep(pending.accountId, check.step))) throw new CodeRefused('reused');
        return createSession(repos, pending, context, { secondFactor: 'authenticator' });
      });
      return result.outcome === 'signed-in' ? { ...result.result, outcome: 'signed-in', actor: result.actor } : result;
    },

    /** Second step, when the authenticator app is not to hand: one of the recovery codes, once. */
    async finishWithRecoveryCode(pendingToken: string, code: string, context: RequestContext): Promise<SecondFactorResult> {
      const result = await secondFactor(pendingToken, context, { enrolled: true }, async (repos, pending) => {
        const normalised = normaliseRecoveryCode(code);
        if (normalised === undefined) throw new CodeRefused('format');
        if (!(await repos.mfa.useRecoveryCode(pending.accountId, hashRecoveryCode(normalised), deps.clock.now()))) {
          throw new CodeRefused('wrong');
        }
        const left = await repos.mfa.countUnusedRecoveryCodes(pending.accountId);
        return createSession(repos, pending, context, { secondFactor: 'recovery_code', recoveryCodesLeft: left });
      });
      return result.outcome === 'signed-in' ? { ...result.result, outcome: 'signed-in', actor: result.actor } : result;
    },

    /**
     * Second step, the first time: the code from the newly set-up app proves it works. The secret
     * is kept (encrypted) and ten recovery codes are made, returned this once and stored hashed.
     */
    async finishEnrolment(pendingToken: string, code: string, context: RequestContext): Promise<EnrolmentResult> {
      const result = await secondFactor(pendingToken, context, { enrolled: false }, async (repos, pending) => {
        const sealed = pending.sealedEnrolmentSecret;
        const secret = sealed === null ? undefined : deps.secrets.open(sealed, sealedFor.pendingEnrolment(pending.idHash));
        if (secret === undefined) throw new PendingSignInGone();
        const now = deps.clock.now();
        const check = checkTotp(secret, code, now, null);
        if (!check.ok) throw new CodeRefused(check.reason);
        await repos.mfa.enrol({
          councilId: pending.councilId,
          accountId: pending.accountId,
          sealedSecret: deps.secrets.seal(secret, sealedFor.staffTotp(pending.accountId)),
          step: check.step,
          now,
        });
        const recoveryCodes = generateRecoveryCodes((max) => crypto.randomInt(max));
        await repos.mfa.addRecoveryCodes({
          councilId: pending.councilId,
          accountId: pending.accountId,
          codeHashes: recoveryCodes.map((c) => hashRecoveryCode(normaliseRecoveryCode(c) ?? c)),
          now,
        });
        await repos.audit.record({
          councilId: pending.councilId,
          occurredAt: now,
          actorId: pending.accountId,
          actorRole: null,
          action: 'account.mfa_enrolled',
          subjectType: 'account',
          subjectId: pending.accountId,
          sourceAddress: context.sourceAddress,
          requestId: context.requestId,
        });
        const signedIn = await createSession(repos, pending, context, { secondFactor: 'authenticator', enrolled: true });
        return { ...signedIn, recoveryCodes };
      });
      return result.outcome === 'signed-in' ? { ...result.result, outcome: 'signed-in', actor: result.actor } : result;
    },

    /**
     * The first step for a member of staff whom the council's identity provider has vouched for,
     * instead of a password (single sign-on, src/services/oidc.ts, which has already matched the
     * active staff account). When the provider also proved a second factor this creates the
     * session, audited with `detail`; otherwise it opens a pending sign-in for the OneBudget
     * authenticator code (or setting up the app), exactly as a correct password does.
     */
    async startVerifiedSignIn(
      account: { readonly id: string; readonly councilId: string },
      context: RequestContext,
      options: { secondFactorDone: boolean; detail: Readonly<Record<string, unknown>>; returnTo?: string | undefined },
    ): Promise<Extract<PasswordResult, { outcome: 'second-factor' | 'signed-in' }>> {
      return afterFirstFactor(account, context, { skipSecondFactor: () => options.secondFactorDone, detail: options.detail, returnTo: options.returnTo });
    },

    /** Forgets a pending sign-in (a new sign-in replaces it). */
    async abandonPendingSignIn(pendingToken: string): Promise<void> {
      const pending = await deps.system.findPendingSignIn(hashToken(pendingToken));
      if (pending === undefined) return;
      await deps.withCouncil(pending.councilId, (tx) => repositories(tx).pendingSignIns.remove(hashToken(pendingToken)));
    },

    resolve,

    async signOut(token: string, actor: Actor, context: RequestContext): Promise<void> {
      await deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await repos.sessions.remove(hashToken(token));
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'account.signed_out',
          subjectType: 'account',
          subjectId: actor.accountId,
        });
      });
    },

    /** Whether this request's session has stepped up recently (for pages to say so). */
    async isSteppedUp(actor: Actor, context: RequestContext): Promise<boolean> {
      if (context.sessionToken === undefined || actor.kind === 'client') return false;
      const token = context.sessionToken;
      const steppedUpAt = await deps.withCouncil(actor.councilId, (tx) => repositories(tx).sessions.steppedUpAt(hashToken(token)));
      return steppedUpAt !== undefined && isSteppedUp(steppedUpAt, deps.clock.now());
    },

    /**
     * Step-up: the signed-in person gives a code from their authenticator app again. Throttled
     * like sign-in (a wrong code is a failed attempt for the account and the address); a code is
     * never accepted twice. Marks this session only.
     */
    async stepUp(actor: Actor, code: string, context: RequestContext): Promise<StepUpResult> {
      const token = context.sessionToken;
      if (token === undefined || actor.kind === 'client') return { outcome: 'no-authenticator' };
      const account = await deps.withCouncil(actor.councilId, (tx) => repositories(tx).accounts.findById(actor.accountId));
      if (account === undefined) return { outcome: 'no-authenticator' };
      const reservation = await reserveAttempt(normaliseEmail(account.email), context);
      if (reservation.throttled) return { outcome: 'throttled' };
      const result = await deps.withCouncil(actor.councilId, async (tx): Promise<StepUpResult> => {
        const repos = repositories(tx);
        const mfa = await repos.mfa.find(actor.accountId);
        if (mfa === undefined) return { outcome: 'no-authenticator' };
        const now = deps.clock.now();
        const check = checkTotp(openStaffSecret(mfa.sealedSecret, actor.accountId), code, now, mfa.lastUsedStep);
        if (!check.ok) return { outcome: 'refused', reason: check.reason };
        if (!(await repos.mfa.useStep(actor.accountId, check.step))) return { outcome: 'refused', reason: 'reused' };
        await repos.sessions.markSteppedUp(hashToken(token), now);
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'account.stepped_up',
          subjectType: 'account',
          subjectId: actor.accountId,
        });
        return { outcome: 'stepped-up' };
      });
      if (result.outcome === 'stepped-up') await deps.system.markAttemptSucceeded(reservation.attemptId);
      return result;
    },

    /** The step-up page in demo mode shows the code of the moment, as the sign-in page does. */
    async stepUpDemoCode(actor: Actor): Promise<DemoCode | undefined> {
      if (deps.demoTotpSecret === undefined || actor.kind === 'client') return undefined;
      return deps.withCouncil(actor.councilId, async (tx) => {
        const mfa = await repositories(tx).mfa.find(actor.accountId);
        return mfa === undefined ? undefined : demoCode(openStaffSecret(mfa.sealedSecret, actor.accountId), mfa.lastUsedStep, deps.clock.now());
      });
    },

    /** "Sign out everywhere": ends every session of the actor, on every device, this one included. */
    async signOutEverywhere(actor: Actor, context: RequestContext): Promise<number> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const ended = await repos.sessions.removeAllFor(actor.accountId);
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'account.signed_out_everywhere',
          subjectType: 'account',
          subjectId: actor.accountId,
          detail: { sessionsEnded: ended },
        });
        return ended;
      });
    },
  };
}

export type AuthServices = ReturnType<typeof authServices>;
