/** Links to set a new password (migration 0005): 1 hour, once. Only the SHA-256 of a token is stored. */
import type { TenantTx } from '../tenancy.ts';

export function passwordResetsRepository(tx: TenantTx) {
  return {
    async create(reset: { tokenHash: string; councilId: string; accountId: string; now: Date; expiresAt: Date }): Promise<void> {
      await tx
        .insertInto('password_reset_tokens')
        .values({
          token_hash: reset.tokenHash,
          council_id: reset.councilId,
          account_id: reset.accountId,
          created_at: reset.now,
          expires_at: reset.expiresAt,
        })
        .execute();
    },

    /** True when the link can still be used now (not used, not expired). */
    async isUsable(tokenHash: string, now: Date): Promise<boolean> {
      const row = await tx
        .selectFrom('password_reset_tokens')
        .select('account_id')
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Uses the link, if it still can be: returns its account. Conditional, so only one request can use it. */
    async claim(tokenHash: string, now: Date): Promise<string | undefined> {
      const row = await tx
        .updateTable('password_reset_tokens')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('account_id')
        .executeTakeFirst();
      return row?.account_id;
    },

    /** Every unused link of an account stops working (its password has just changed). */
    async voidAllFor(accountId: string, now: Date): Promise<void> {
      await tx.updateTable('password_reset_tokens').set({ used_at: now }).where('account_id', '=', accountId).where('used_at', 'is', null).execute();
    },
  };
}
