/**
 * The only look-ups that run outside a council's scope, before we know which council a request
 * belongs to: the list of councils (public), finding an account, a pending sign-in or a session at
 * sign-in, the sign-in attempts that throttle it, an API token by the hash of its secret, and an
 * invitation or password reset link by the hash of its token. Everything else goes through `withCouncil`
 * in tenancy.ts.
 */
import { sql, type Kysely } from 'kysely';
import type { AccountKind, Schema, StaffRole } from './schema.ts';
import { normaliseEmail } from '../domain/identity/sign-in.ts';
import { emailMatches } from './email.ts';
import { reusable } from './reusable.ts';

export interface CouncilRow {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

export interface SignInCandidate {
  readonly id: string;
  readonly councilId: string;
  readonly kind: AccountKind;
  readonly passwordHash: string;
}

export interface SessionOwner {
  readonly councilId: string;
  readonly councilSlug: string;
  readonly councilName: string;
  readonly accountId: string;
  readonly kind: AccountKind;
  readonly role: StaffRole | null;
  readonly providerId: string | null;
  readonly providerName: string | null;
  readonly displayName: string;
  readonly lastSeenAt: Date;
  readonly createdAt: Date;
  readonly steppedUpAt: Date | null;
}

/** A correct password waiting for its second factor (migration 0003). */
export interface PendingSignInOwner {
  readonly councilId: string;
  readonly accountId: string;
  /** The account's email, normalised: the key its sign-in attempts are counted under. */
  readonly emailKey: string;
  readonly enrolled: boolean;
  readonly expiresAt: Date;
}

/** An API token and the council that issued it (migration 0006). */
export interface ApiTokenOwner {
  readonly tokenId: string;
  readonly councilId: string;
  readonly councilSlug: string;
  readonly councilName: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly expiresAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export type AttemptReservation =
  | { readonly throttled: true }
  | { readonly throttled: false; readonly attemptId: bigint };

/** The session look-up, built once (src/db/reusable.ts): the value in place of the id hash is a placeholder. */
function sessionLookup(db: Kysely<Schema>, idHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('councils as c', 'c.id', 's.council_id')
    .innerJoin('accounts as a', (join) => join.onRef('a.id', '=', 's.account_id').onRef('a.council_id', '=', 's.council_id'))
    .leftJoin('providers as pr', (join) => join.onRef('pr.id', '=', 'a.provider_id').onRef('pr.council_id', '=', 'a.council_id'))
    .select([
      's.council_id',
      'c.slug',
      'c.name',
      's.account_id',
      'a.kind',
      'a.role',
      'a.provider_id',
      'pr.name as provider_name',
      'a.display_name',
      's.last_seen_at',
      's.created_at',
      's.stepped_up_at',
    ])
    .where('s.id_hash', '=', idHash)
    .where('a.disabled_at', 'is', null);
}
const SESSION_HASH = '\u0000session id hash';
const sessionQueryFor = (db: Kysely<Schema>) => reusable(sessionLookup(db, SESSION_HASH).compile(), [SESSION_HASH]);

export function systemRepository(db: Kysely<Schema>) {
  let sessionQuery: ReturnType<typeof sessionQueryFor> | undefined;
  return {
    async listCouncils(): Promise<CouncilRow[]> {
      return db.selectFrom('councils').select(['id', 'slug', 'name']).orderBy('name').execute();
    },
    async findCouncilBySlug(slug: string): Promise<CouncilRow | undefined> {
      return db.selectFrom('councils').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
    },
    /** The account an email signs in to; a disabled account signs in to nothing. */
    async findAccountForSignIn(email: string): Promise<SignInCandidate | undefined> {
      const row = await db
        .selectFrom('accounts')
        .select(['id', 'council_id', 'kind', 'password_hash'])
        .where(emailMatches(email))
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      return row && { id: row.id, councilId: row.council_id, kind: row.kind, passwordHash: row.password_hash };
    },
    /** A session and who holds it; a disabled account holds none. Asked on every signed-in request. */
    async findSession(idHash: string): Promise<SessionOwner | undefined> {
      sessionQuery ??= sessionQueryFor(db);
      const row = (await db.executeQuery(sessionQuery([idHash]))).rows[0];
      return (
        row && {
          councilId: row.council_id,
          councilSlug: row.slug,
          councilName: row.name,
          accountId: row.account_id,
          kind: row.kind,
          role: row.role,
          providerId: row.provider_id,
          providerName: row.provider_name,
          displayName: row.display_name,
          lastSeenAt: row.last_seen_at,
          createdAt: row.created_at,
          steppedUpAt: row.stepped_up_at,
        }
      );
    },

    /**
     * Throttling. Sign-in attempts are cross-council by nature: the email may match no account (and
     * must be throttled all the same, so that the answer never tells which emails exist), so no
     * council can own them and they cannot live behind row-level security. Only the normalised
     * email and the source address are kept, for a day.
     *
     * Counts the failed attempts within the window for this email and for this address and, unless
     * either has reached the limit, records this attempt as failed until `markAttemptSucceeded`
     * says otherwise. Per-email and per-address advisory locks make counting and recording one step,
     * so that attempts sent in parallel cannot all slip under the limit.
     */
    async reserveSignInAttempt(attempt: {
      emailKey: string;
      sourceAddress: string;
      now: Date;
      windowStart: Date;
      retentionStart: Date;
      isThrottled: (failed: { forAccount: number; fromAddress: number }) => boolean;
    }): Promise<AttemptReservation> {
      return db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`onebudget.sign-in.email:${attempt.emailKey}`}, 0))`.execute(trx);
        await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`onebudget.sign-in.address:${attempt.sourceAddress}`}, 0))`.execute(trx);
        const failures = (column: 'email_key' | 'source_address', value: string) =>
          trx
            .selectFrom('sign_in_attempts')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where(column, '=', value)
            .where('attempted_at', '>=', attempt.windowStart)
            .where('succeeded', '=', false)
            .executeTakeFirstOrThrow();
        const forAccount = await failures('email_key', attempt.emailKey);
        const fromAddress = await failures('source_address', attempt.sourceAddress);
        if (attempt.isThrottled({ forAccount: Number(forAccount.n), fromAddress: Number(fromAddress.n) })) return { throttled: true };
        await trx.deleteFrom('sign_in_attempts').where('attempted_at', '<', attempt.retentionStart).execute();
        const row = await trx
          .insertInto('sign_in_attempts')
          .values({ email_key: attempt.emailKey, source_address: attempt.sourceAddress, attempted_at: attempt.now })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { throttled: false, attemptId: row.id };
      });
    },
    async markAttemptSucceeded(attemptId: bigint): Promise<void> {
      await db.updateTable('sign_in_attempts').set({ succeeded: true }).where('id', '=', attemptId).execute();
    },

    /** A pending sign-in by the hash of its token, with what is needed to throttle it and enter its council. */
    async findPendingSignIn(idHash: string): Promise<PendingSignInOwner | undefined> {
      const row = await db
        .selectFrom('pending_sign_ins as p')
        .innerJoin('accounts as a', (join) => join.onRef('a.id', '=', 'p.account_id').onRef('a.council_id', '=', 'p.council_id'))
        .leftJoin('account_mfa as m', (join) => join.onRef('m.account_id', '=', 'p.account_id').onRef('m.council_id', '=', 'p.council_id'))
        .select(['p.council_id', 'p.account_id', 'a.email', 'p.expires_at', 'm.account_id as enrolled_account_id'])
        .where('p.id_hash', '=', idHash)
        .executeTakeFirst();
      return (
        row && {
          councilId: row.council_id,
          accountId: row.account_id,
          emailKey: normaliseEmail(row.email),
          enrolled: row.enrolled_account_id !== null,
          expiresAt: row.expires_at,
        }
      );
    },
    /** Pending sign-ins whose 5 minutes have passed, in every council: nothing can use them any more. */
    async removeExpiredPendingSignIns(now: Date): Promise<void> {
      await db.deleteFrom('pending_sign_ins').where('expires_at', '<', now).execute();
    },

    /**
     * Links sent by email (migration 0005): whoever opens one is in no council's scope until the
     * link names one. Only the council and the row's id come back; the rest is read inside it.
     */
    async findInvitation(tokenHash: string): Promise<{ councilId: string; invitationId: string } | undefined> {
      const row = await db.selectFrom('invitations').select(['id', 'council_id']).where('token_hash', '=', tokenHash).executeTakeFirst();
      return row && { councilId: row.council_id, invitationId: row.id };
    },
    async findPasswordReset(tokenHash: string): Promise<{ councilId: string; accountId: string } | undefined> {
      const row = await db.selectFrom('password_reset_tokens').select(['council_id', 'account_id']).where('token_hash', '=', tokenHash).executeTakeFirst();
      return row && { councilId: row.council_id, accountId: row.account_id };
    },
    /**
     * Whichever account an email already belongs to, in any council, disabled or not (one email is
     * one account): an invitation may not make a second one.
     */
    async findAccountByEmail(email: string): Promise<{ councilId: string; kind: AccountKind; disabled: boolean } | undefined> {
      const row = await db
        .selectFrom('accounts')
        .select(['council_id', 'kind', 'disabled_at'])
        .where(emailMatches(email))
        .executeTakeFirst();
      return row && { councilId: row.council_id, kind: row.kind, disabled: row.disabled_at !== null };
    },

    /**
     * An API token by the SHA-256 of its secret, in whichever council issued it (migration 0006):
     * the bearer of a token is not in any council's scope until the token names one.
     */
    async findApiToken(secretHash: string): Promise<ApiTokenOwner | undefined> {
      const row = await db
        .selectFrom('api_tokens as t')
        .innerJoin('councils as c', 'c.id', 't.council_id')
        .select(['t.id', 't.council_id', 'c.slug', 'c.name as council_name', 't.name', 't.scopes', 't.expires_at', 't.last_used_at', 't.revoked_at'])
        .where('t.token_hash', '=', secretHash)
        .executeTakeFirst();
      return (
        row && {
          tokenId: row.id,
          councilId: row.council_id,
          councilSlug: row.slug,
          councilName: row.council_name,
          name: row.name,
          scopes: row.scopes,
          expiresAt: row.expires_at,
          lastUsedAt: row.last_used_at,
          revokedAt: row.revoked_at,
        }
      );
    },
  };
}

export type SystemRepository = ReturnType<typeof systemRepository>;
export type { StaffRole };
