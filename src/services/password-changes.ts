/**
 * Changing a password: by a link sent by email when it is forgotten, or on "Your account" with the
 * current one. Either way the new password meets the policy (12 characters or more, not easy to
 * guess), is stored as argon2id, and every session of the account ends, on every device, as do
 * sign-ins waiting for their second factor and any other reset links. Staff still need their
 * authenticator app at the next sign-in: a password alone never signs a member of staff in.
 *
 * Asking for a reset link always gets the same answer, whether or not an account uses the email,
 * and is throttled per email and per address (src/domain/identity/invitations.ts), so that it can
 * neither tell which emails have accounts nor be used to flood someone's inbox.
 */
import crypto from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { Clock } from '../clock.ts';
import type { SystemRepository } from '../db/system.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import type { Actor } from '../domain/access/policy.ts';
import {
  isResetThrottled,
  LINK_TOKEN_PATTERN,
  PASSWORD_RESET_MINUTES,
  passwordResetExpiry,
  resetWindowStart,
} from '../domain/identity/invitations.ts';
import { attemptRetentionStart, normaliseEmail } from '../domain/identity/sign-in.ts';
import { hashToken } from './auth.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { reserveSignInAttempt } from './attempts.ts';
import type { MailLinks } from './invitations.ts';
import type { Mailer } from './mail/mailer.ts';
import { londonDateTime } from './mail/wording.ts';
import { hashNewPassword, PasswordNotAllowedError } from './passwords.ts';

export type ResetResult =
  | { readonly outcome: 'gone' }
  | { readonly outcome: 'password-not-allowed'; readonly text: string }
  | { readonly outcome: 'done'; readonly sessionsEnded: number };

export type ChangeResult =
  | { readonly outcome: 'wrong-password' }
  | { readonly outcome: 'throttled' }
  | { readonly outcome: 'password-not-allowed'; readonly text: string }
  | { readonly outcome: 'done'; readonly sessionsEnded: number };

/** Thrown inside the reset transaction to undo it. */
class LinkGone extends Error {}

export function passwordChangeServices(deps: {
  system: SystemRepository;
  withCouncil: WithCouncil;
  clock: Clock;
  mailer: Mailer;
  links: MailLinks;
}) {
  return {
    /**
     * "Forgotten your password?": when an active account uses the email (and the throttle allows),
     * makes a link for 1 hour and returns the sending of its email, for the caller to run without
     * making the answer wait on it (so that its time does not tell whether the email is known).
     * Returns undefined otherwise. The page says the same in every case.
     */
    async requestReset(email: string, context: RequestContext): Promise<(() => Promise<void>) | undefined> {
      const now = deps.clock.now();
      // Counted apart from sign-in attempts (own keys), and never marked succeeded: every request counts.
      const reservation = await deps.system.reserveSignInAttempt({
        emailKey: `password-reset:${normaliseEmail(email)}`,
        sourceAddress: `password-reset:${context.sourceAddress}`,
        now,
        windowStart: resetWindowStart(now),
        retentionStart: attemptRetentionStart(now),
        isThrottled: isResetThrottled,
      });
      if (reservation.throttled) return undefined;
      const candidate = await deps.system.findAccountForSignIn(email);
      if (candidate === undefined) return undefined;
      const token = crypto.randomBytes(32).toString('base64url');
      const expiresAt = passwordResetExpiry(now);
      const account = await deps.withCouncil(candidate.councilId, async (tx) => {
        const repos = repositories(tx);
        const credentials = await repos.credentials.ofAccount(candidate.id);
        if (credentials === undefined || credentials.disabled) return undefined;
        await repos.passwordResets.create({ tokenHash: hashToken(token), councilId: candidate.councilId, accountId: candidate.id, now, expiresAt });
        await repos.audit.record({
          councilId: candidate.councilId,
          occurredAt: now,
          actorId: null,
          actorRole: null,
          action: 'account.password_reset_requested',
          subjectType: 'account',
          subjectId: candidate.id,
          sourceAddress: context.sourceAddress,
          requestId: context.requestId,
          detail: { expiresAt: expiresAt.toISOString() },
        });
        return credentials;
      });
      if (account === undefined) return undefined;
      const body = [
        `Hello ${account.displayName},`,
        '',
        'Someone asked to reset the password of your OneBudget account. If it was you, open this link to choose a new password:',
        '',
        deps.links.passwordReset(token),
        '',
        `The link works once, for ${PASSWORD_RESET_MINUTES / 60} hour (until ${londonDateTime(expiresAt)}).`,
        '',
        'Choosing a new password signs you out of OneBudget on every device.' +
          (account.kind === 'staff' ? ' You will still need the code from your authenticator app to sign in.' : ''),
        '',
        'If you did not ask for this, you can ignore this email: your password has not changed.',
        '',
        'OneBudget',
      ].join('\n');
      return () => deps.mailer.send({ to: account.email, subject: 'Reset your OneBudget password', body, kind: 'password-reset' });
    },

    /** Whether a reset link can still be used: unknown, used or expired ('gone'), or usable. */
    async resetLinkState(token: string): Promise<'unknown' | 'gone' | 'usable'> {
      if (!LINK_TOKEN_PATTERN.test(token)) return 'unknown';
      const found = await deps.system.findPasswordReset(hashToken(token));
      if (found === undefined) return 'unknown';
      const usable = await deps.withCouncil(found.councilId, (tx) => repositories(tx).passwordResets.isUsable(hashToken(token), deps.clock.now()));
      return usable ? 'usable' : 'gone';
    },

    /** Sets a new password with a reset link: once, within the hour. Ends every session of the account. */
    async reset(token: string, password: string, context: RequestContext): Promise<ResetResult> {
      if (!LINK_TOKEN_PATTERN.test(token)) return { outcome: 'gone' };
      const tokenHash = hashToken(token);
      const found = await deps.system.findPasswordReset(tokenHash);
      if (found === undefined) return { outcome: 'gone' };
      const before = await deps.withCouncil(found.councilId, (tx) => repositories(tx).credentials.ofAccount(found.accountId));
      if (before === undefined || before.disabled) return { outcome: 'gone' };
      let passwordHash: string;
      try {
        passwordHash = await hashNewPassword(password, { hasMfa: false, personalWords: [before.email, before.displayName] });
      } catch (error) {
        if (error instanceof PasswordNotAllowedError) return { outcome: 'password-not-allowed', text: error.detail };
        throw error;
      }
      try {
        return await deps.withCouncil(found.councilId, async (tx): Promise<ResetResult> => {
          const repos = repositories(tx);
          const now = deps.clock.now();
          const accountId = await repos.passwordResets.claim(tokenHash, now);
          if (accountId === undefined) throw new LinkGone();
          await repos.credentials.setPassword(accountId, passwordHash, now);
          await repos.passwordResets.voidAllFor(accountId, now);
          const sessionsEnded = await repos.sessions.removeAllFor(accountId);
          const pendingEnded = await repos.pendingSignIns.removeAllFor(accountId);
          await repos.audit.record({
            councilId: found.councilId,
            occurredAt: now,
            actorId: accountId,
            actorRole: before.kind === 'staff' ? null : before.kind,
            action: 'account.password_reset',
            subjectType: 'account',
            subjectId: accountId,
            sourceAddress: context.sourceAddress,
            requestId: context.requestId,
            detail: { sessionsEnded, pendingSignInsEnded: pendingEnded },
          });
          return { outcome: 'done', sessionsEnded };
        });
      } catch (error) {
        if (error instanceof LinkGone) return { outcome: 'gone' };
        throw error;
      }
    },

    /**
     * "Change your password" on Your account: the current password (throttled like signing in, so
     * that a borrowed session cannot guess it), then the new one. Ends every session, this one too.
     */
    async change(actor: Actor, current: string, password: string, context: RequestContext): Promise<ChangeResult> {
      const account = await deps.withCouncil(actor.councilId, (tx) => repositories(tx).credentials.ofAccount(actor.accountId));
      if (account === undefined) throw new Error(`account ${actor.accountId} of a live session is missing`);
      const now = deps.clock.now();
      const reservation = await reserveSignInAttempt(deps.system, now, normaliseEmail(account.email), context.sourceAddress);
      if (reservation.throttled) return { outcome: 'throttled' };
      if (!(await verify(account.passwordHash, current).catch(() => false))) return { outcome: 'wrong-password' };
      await deps.system.markAttemptSucceeded(reservation.attemptId);
      let passwordHash: string;
      try {
        passwordHash = await hashNewPassword(password, { hasMfa: false, personalWords: [account.email, account.displayName] });
      } catch (error) {
        if (error instanceof PasswordNotAllowedError) return { outcome: 'password-not-allowed', text: error.detail };
        throw error;
      }
      return deps.withCouncil(actor.councilId, async (tx): Promise<ChangeResult> => {
        const repos = repositories(tx);
        const at = deps.clock.now();
        await repos.credentials.setPassword(actor.accountId, passwordHash, at);
        await repos.passwordResets.voidAllFor(actor.accountId, at);
        const sessionsEnded = await repos.sessions.removeAllFor(actor.accountId);
        await repos.pendingSignIns.removeAllFor(actor.accountId);
        await repos.audit.record({
          ...auditedBy(actor, context, at),
          action: 'account.password_changed',
          subjectType: 'account',
          subjectId: actor.accountId,
          detail: { sessionsEnded },
        });
        return { outcome: 'done', sessionsEnded };
      });
    },
  };
}

export type PasswordChangeServices = ReturnType<typeof passwordChangeServices>;
