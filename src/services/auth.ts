/**
 * Staff sign-in with a server-side session. The cookie holds a random 256-bit token; the database
 * holds only its SHA-256, so a copy of the sessions table cannot be replayed.
 * (Multi-factor authentication, throttling and family accounts come with the access issue.)
 */
import crypto from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { Clock } from '../clock.ts';
import type { SystemRepository } from '../db/system.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import type { Actor } from '../domain/access/policy.ts';
import type { RequestContext } from './context.ts';

const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
// Verified when no account matches, so that a wrong email costs the same time as a wrong password.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Sv9Gv+fY5kbn3VJpYQ1aMWRr/VM2kTkS0GQp3yDchM';

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url');
}

export function authServices(deps: {
  system: SystemRepository;
  withCouncil: WithCouncil;
  clock: Clock;
  idleMinutes: number;
}) {
  return {
    /** Returns a new session token, or undefined when the email and password do not match an account. */
    async signIn(email: string, password: string, context: RequestContext): Promise<string | undefined> {
      const candidate = await deps.system.findStaffForSignIn(email);
      const ok = await verify(candidate?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
      if (candidate === undefined || !ok) return undefined;
      const token = crypto.randomBytes(32).toString('base64url');
      await deps.withCouncil(candidate.councilId, async (tx) => {
        const repos = repositories(tx);
        const now = deps.clock.now();
        await repos.sessions.create({ idHash: hashToken(token), councilId: candidate.councilId, staffId: candidate.id, now });
        await repos.audit.record({
          councilId: candidate.councilId,
          occurredAt: now,
          actorId: candidate.id,
          actorRole: null,
          action: 'staff.signed_in',
          subjectType: 'staff',
          subjectId: candidate.id,
          sourceAddress: context.sourceAddress,
          requestId: context.requestId,
        });
      });
      return token;
    },

    /** The actor behind a session token, or undefined if it is unknown or has expired. */
    async resolve(token: string): Promise<Actor | undefined> {
      const idHash = hashToken(token);
      const session = await deps.system.findSession(idHash);
      if (session === undefined) return undefined;
      const now = deps.clock.now();
      const idleExpired = now.getTime() - session.lastSeenAt.getTime() > deps.idleMinutes * 60_000;
      const absoluteExpired = now.getTime() - session.createdAt.getTime() > ABSOLUTE_LIFETIME_MS;
      const stale = now.getTime() - session.lastSeenAt.getTime() > 60_000;
      if (idleExpired || absoluteExpired || stale) {
        await deps.withCouncil(session.councilId, async (tx) => {
          const repos = repositories(tx);
          // An expired session is deleted; a live one records activity at most once a minute.
          if (idleExpired || absoluteExpired) await repos.sessions.remove(idHash);
          else await repos.sessions.touch(idHash, now);
        });
        if (idleExpired || absoluteExpired) return undefined;
      }
      return {
        staffId: session.staffId,
        councilId: session.councilId,
        councilSlug: session.councilSlug,
        councilName: session.councilName,
        role: session.staffRole,
        displayName: session.staffName,
      };
    },

    async signOut(token: string, actor: Actor, context: RequestContext): Promise<void> {
      await deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await repos.sessions.remove(hashToken(token));
        await repos.audit.record({
          councilId: actor.councilId,
          occurredAt: deps.clock.now(),
          actorId: actor.staffId,
          actorRole: actor.role,
          action: 'staff.signed_out',
          subjectType: 'staff',
          subjectId: actor.staffId,
          sourceAddress: context.sourceAddress,
          requestId: context.requestId,
        });
      });
    },
  };
}
