import type { TenantTx } from '../tenancy.ts';
import type { AccountKind } from '../schema.ts';
import { emailMatches } from '../email.ts';

/** What single sign-on needs to know about the account an email names (migration 0007). */
export interface OidcCandidate {
  readonly id: string;
  readonly kind: AccountKind;
  readonly email: string;
  readonly disabledAt: Date | null;
  readonly oidcIssuer: string | null;
  readonly oidcSubject: string | null;
}

/** Accounts as staff single sign-on finds them, and the identity each is pinned to. */
export function oidcLinksRepository(tx: TenantTx) {
  return {
    async findByEmail(email: string): Promise<OidcCandidate | undefined> {
      const row = await tx
        .selectFrom('accounts')
        .select(['id', 'kind', 'email', 'disabled_at', 'oidc_issuer', 'oidc_subject'])
        .where(emailMatches(email))
        .executeTakeFirst();
      return (
        row && {
          id: row.id,
          kind: row.kind,
          email: row.email,
          disabledAt: row.disabled_at,
          oidcIssuer: row.oidc_issuer,
          oidcSubject: row.oidc_subject,
        }
      );
    },
    /**
     * Pins a staff account to an identity, only if it has none yet: true when this call pinned it
     * (so that two first sign-ins at once cannot pin two different identities).
     */
    async pin(accountId: string, identity: { issuer: string; subject: string }): Promise<boolean> {
      const result = await tx
        .updateTable('accounts')
        .set({ oidc_issuer: identity.issuer, oidc_subject: identity.subject })
        .where('id', '=', accountId)
        .where('kind', '=', 'staff')
        .where('oidc_subject', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
    /** The account pinned to this identity in this council, if any. */
    async findByIdentity(identity: { issuer: string; subject: string }): Promise<string | undefined> {
      const row = await tx
        .selectFrom('accounts')
        .select('id')
        .where('oidc_issuer', '=', identity.issuer)
        .where('oidc_subject', '=', identity.subject)
        .executeTakeFirst();
      return row?.id;
    },
  };
}
