/**
 * An account's password, and the accounts that invitations create: the SQL behind accepting an
 * invitation, resetting a password and changing it. A password changes only through
 * src/services/passwords.ts (the policy, then argon2id).
 */
import type { TenantTx } from '../tenancy.ts';
import type { AccountKind } from '../schema.ts';
import { emailMatches } from '../email.ts';

export interface Credentials {
  readonly accountId: string;
  readonly kind: AccountKind;
  readonly email: string;
  readonly displayName: string;
  readonly passwordHash: string;
  readonly disabled: boolean;
}

export function credentialsRepository(tx: TenantTx) {
  const select = () =>
    tx.selectFrom('accounts').select(['id', 'kind', 'email', 'display_name', 'password_hash', 'disabled_at']);
  const toCredentials = (row: { id: string; kind: AccountKind; email: string; display_name: string; password_hash: string; disabled_at: Date | null }) => ({
    accountId: row.id,
    kind: row.kind,
    email: row.email,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    disabled: row.disabled_at !== null,
  });
  return {
    async ofAccount(accountId: string): Promise<Credentials | undefined> {
      const row = await select().where('id', '=', accountId).executeTakeFirst();
      return row && toCredentials(row);
    },

    /** The account in this council that uses an email (compared without regard to case). */
    async byEmail(email: string): Promise<Credentials | undefined> {
      const row = await select()
        .where(emailMatches(email))
        .executeTakeFirst();
      return row && toCredentials(row);
    },

    async setPassword(accountId: string, passwordHash: string, now: Date): Promise<void> {
      await tx.updateTable('accounts').set({ password_hash: passwordHash, password_changed_at: now }).where('id', '=', accountId).execute();
    },

    /** A family or provider account made by accepting an invitation. */
    async createInvited(account: {
      id: string;
      councilId: string;
      kind: 'family' | 'provider';
      email: string;
      displayName: string;
      providerId: string | null;
      passwordHash: string;
      now: Date;
    }): Promise<void> {
      await tx
        .insertInto('accounts')
        .values({
          id: account.id,
          council_id: account.councilId,
          kind: account.kind,
          email: account.email,
          display_name: account.displayName,
          provider_id: account.providerId,
          password_hash: account.passwordHash,
          password_changed_at: account.now,
          created_at: account.now,
        })
        .execute();
    },

  };
}
