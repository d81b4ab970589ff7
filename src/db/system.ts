/**
 * The only look-ups that run outside a council's scope, before we know which council a request
 * belongs to: the list of councils (public), finding an account, a pending sign-in or a session at
 * sign-in, and the sign-in attempts that throttle it. Everything else goes through `withCouncil`
 * in tenancy.ts.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema, StaffRole } from './schema.ts';
import { normaliseEmail } from '../domain/identity/sign-in.ts';

export interface CouncilRow {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

export interface SignInCandidate {
  readonly id: string;
  readonly councilId: string;
  readonly passwordHash: string;
}

export interface SessionOwner {
  readonly councilId: string;
  readonly councilSlug: string;
  readonly councilName: string;
  readonly staffId: string;
  readonly staffRole: StaffRole;
  readonly staffName: string;
  readonly lastSeenAt: Date;
  readonly createdAt: Date;
}

/** A correct password waiting for its second factor (migration 0003). */
export interface PendingSignInOwner {
  readonly councilId: string;
  readonly staffId: string;
  /** The account's email, normalised: the key its sign-in attempts are counted under. */
  readonly emailKey: string;
  readonly enrolled: boolean;
  readonly expiresAt: Date;
}

export type AttemptReservation =
  | { readonly throttled: true }
  | { readonly throttled: false; readonly attemptId: bigint };

export function systemRepository(db: Kysely<Schema>) {
  return {
    async listCouncils(): Promise<CouncilRow[]> {
      return db.selectFrom('councils').select(['id', 'slug', 'name']).orderBy('name').execute();
    },
    async findCouncilBySlug(slug: string): Promise<CouncilRow | undefined> {
      return db.selectFrom('councils').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
    },
    async findStaffForSignIn(email: string): Promise<SignInCandidate | undefined> {
      const row = await db
        .selectFrom('staff')
        .select(['id', 'council_id', 'password_hash'])
        .where((eb) => eb(eb.fn('lower', ['email']), '=', normaliseEmail(email)))
        .executeTakeFirst();
      return row && { id: row.id, councilId: row.council_id, passwordHash: row.password_hash };
    },
    async findSession(idHash: string): Promise<SessionOwner | undefined> {
      const row = await db
        .selectFrom('sessions as s')
        .innerJoin('councils as c', 'c.id', 's.council_id')
        .innerJoin('staff as st', (join) => join.onRef('st.id', '=', 's.staff_id').onRef('st.council_id', '=', 's.council_id'))
        .select(['s.council_id', 'c.slug', 'c.name', 's.staff_id', 'st.role', 'st.display_name', 's.last_seen_at', 's.created_at'])
        .where('s.id_hash', '=', idHash)
        .executeTakeFirst();
      return (
        row && {
          councilId: row.council_id,
          councilSlug: row.slug,
          councilName: row.name,
          staffId: row.staff_id,
          staffRole: row.role,
          staffName: row.display_name,
          lastSeenAt: row.last_seen_at,
          createdAt: row.created_at,
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
        .innerJoin('staff as st', (join) => join.onRef('st.id', '=', 'p.staff_id').onRef('st.council_id', '=', 'p.council_id'))
        .leftJoin('staff_mfa as m', (join) => join.onRef('m.staff_id', '=', 'p.staff_id').onRef('m.council_id', '=', 'p.council_id'))
        .select(['p.council_id', 'p.staff_id', 'st.email', 'p.expires_at', 'm.staff_id as enrolled_staff_id'])
        .where('p.id_hash', '=', idHash)
        .executeTakeFirst();
      return (
        row && {
          councilId: row.council_id,
          staffId: row.staff_id,
          emailKey: normaliseEmail(row.email),
          enrolled: row.enrolled_staff_id !== null,
          expiresAt: row.expires_at,
        }
      );
    },
    /** Pending sign-ins whose 5 minutes have passed, in every council: nothing can use them any more. */
    async removeExpiredPendingSignIns(now: Date): Promise<void> {
      await db.deleteFrom('pending_sign_ins').where('expires_at', '<', now).execute();
    },
  };
}

export type SystemRepository = ReturnType<typeof systemRepository>;
export type { StaffRole };
