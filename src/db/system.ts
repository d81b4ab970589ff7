/**
 * The only look-ups that run outside a council's scope, before we know which council a request
 * belongs to: the list of councils (public), and finding an account or session at sign-in.
 * Everything else goes through `withCouncil` in tenancy.ts.
 */
import type { Kysely } from 'kysely';
import type { Schema, StaffRole } from './schema.ts';

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
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
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
  };
}

export type SystemRepository = ReturnType<typeof systemRepository>;
export type { StaffRole };
