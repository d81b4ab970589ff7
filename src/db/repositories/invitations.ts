/** Invitations for family and provider users (migration 0005). Only the SHA-256 of a token is stored. */
import type { TenantTx } from '../tenancy.ts';
import type { FamilyRelationship } from '../schema.ts';
import { emailMatches } from '../email.ts';

export interface Invitation {
  readonly id: string;
  readonly councilId: string;
  readonly email: string;
  readonly displayName: string;
  readonly kind: 'family' | 'provider';
  readonly personId: string | null;
  readonly relationship: FamilyRelationship | null;
  readonly providerId: string | null;
  readonly invitedBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly acceptedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** An invitation with what its page says: who sent it, for whom, from which council. */
export interface InvitationDetails extends Invitation {
  readonly councilName: string;
  readonly inviterName: string;
  readonly inviterJobTitle: string | null;
  /** Family invitations: the person's names. */
  readonly personGivenName: string | null;
  readonly personFamilyName: string | null;
  /** Provider invitations: the organisation's name. */
  readonly providerName: string | null;
}

export interface PendingInvitation {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly relationship: FamilyRelationship | null;
  readonly expiresAt: Date;
  readonly invitedByName: string;
}

type Row = {
  id: string;
  council_id: string;
  email: string;
  display_name: string;
  kind: 'family' | 'provider';
  person_id: string | null;
  relationship: FamilyRelationship | null;
  provider_id: string | null;
  invited_by: string;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
};

const toInvitation = (row: Row): Invitation => ({
  id: row.id,
  councilId: row.council_id,
  email: row.email,
  displayName: row.display_name,
  kind: row.kind,
  personId: row.person_id,
  relationship: row.relationship,
  providerId: row.provider_id,
  invitedBy: row.invited_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  acceptedAt: row.accepted_at,
  revokedAt: row.revoked_at,
});

export function invitationsRepository(tx: TenantTx) {
  return {
    async create(invitation: {
      id: string;
      councilId: string;
      tokenHash: string;
      email: string;
      displayName: string;
      kind: 'family' | 'provider';
      personId?: string;
      relationship?: FamilyRelationship;
      providerId?: string;
      invitedBy: string;
      now: Date;
      expiresAt: Date;
    }): Promise<void> {
      await tx
        .insertInto('invitations')
        .values({
          id: invitation.id,
          council_id: invitation.councilId,
          token_hash: invitation.tokenHash,
          email: invitation.email,
          display_name: invitation.displayName,
          kind: invitation.kind,
          person_id: invitation.personId ?? null,
          relationship: invitation.relationship ?? null,
          provider_id: invitation.providerId ?? null,
          invited_by: invitation.invitedBy,
          created_at: invitation.now,
          expires_at: invitation.expiresAt,
        })
        .execute();
    },

    async details(id: string): Promise<InvitationDetails | undefined> {
      const row = await tx
        .selectFrom('invitations as i')
        .innerJoin('councils as c', 'c.id', 'i.council_id')
        .innerJoin('accounts as a', 'a.id', 'i.invited_by')
        .leftJoin('people as p', 'p.id', 'i.person_id')
        .leftJoin('providers as pr', 'pr.id', 'i.provider_id')
        .select([
          'i.id',
          'i.council_id',
          'i.email',
          'i.display_name',
          'i.kind',
          'i.person_id',
          'i.relationship',
          'i.provider_id',
          'i.invited_by',
          'i.created_at',
          'i.expires_at',
          'i.accepted_at',
          'i.revoked_at',
          'c.name as council_name',
          'a.display_name as inviter_name',
          'a.job_title as inviter_job_title',
          'p.given_name',
          'p.family_name',
          'pr.name as provider_name',
        ])
        .where('i.id', '=', id)
        .executeTakeFirst();
      return (
        row && {
          ...toInvitation(row),
          councilName: row.council_name,
          inviterName: row.inviter_name,
          inviterJobTitle: row.inviter_job_title,
          personGivenName: row.given_name,
          personFamilyName: row.family_name,
          providerName: row.provider_name,
        }
      );
    },

    /**
     * Marks the invitation accepted, if it still may be: not accepted, not revoked, not expired.
     * Conditional, so that of two requests with one link only one can accept it.
     */
    async claim(id: string, acceptedBy: string, now: Date): Promise<boolean> {
      const result = await tx
        .updateTable('invitations')
        .set({ accepted_at: now, accepted_by: acceptedBy })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Withdraws one invitation (its email could not be sent), unless it was accepted. */
    async revoke(id: string, now: Date): Promise<void> {
      await tx.updateTable('invitations').set({ revoked_at: now }).where('id', '=', id).where('accepted_at', 'is', null).execute();
    },

    /** Withdraws the open invitations of one email for one person or provider: a new one replaces them. */
    async revokeOpen(target: { email: string; personId?: string; providerId?: string }, now: Date): Promise<void> {
      let q = tx
        .updateTable('invitations')
        .set({ revoked_at: now })
        .where(emailMatches(target.email))
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null);
      if (target.personId !== undefined) q = q.where('person_id', '=', target.personId);
      if (target.providerId !== undefined) q = q.where('provider_id', '=', target.providerId);
      await q.execute();
    },

    /** Invitations to see this person that can still be accepted, newest first. */
    async openForPerson(personId: string, now: Date): Promise<PendingInvitation[]> {
      const rows = await tx
        .selectFrom('invitations as i')
        .innerJoin('accounts as a', 'a.id', 'i.invited_by')
        .select(['i.id', 'i.email', 'i.display_name', 'i.relationship', 'i.expires_at', 'a.display_name as invited_by_name'])
        .where('i.person_id', '=', personId)
        .where('i.accepted_at', 'is', null)
        .where('i.revoked_at', 'is', null)
        .where('i.expires_at', '>', now)
        .orderBy('i.created_at', 'desc')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        email: r.email,
        displayName: r.display_name,
        relationship: r.relationship,
        expiresAt: r.expires_at,
        invitedByName: r.invited_by_name,
      }));
    },

    /** The council's provider organisations, for choosing which one to invite a user of. */
    async providers(): Promise<{ id: string; name: string; town: string }[]> {
      return tx.selectFrom('providers').select(['id', 'name', 'town']).orderBy('name').execute();
    },
  };
}
