import type { TenantTx } from '../tenancy.ts';

export interface PendingSignIn {
  readonly idHash: string;
  readonly accountId: string;
  readonly expiresAt: Date;
  readonly returnTo: string | null;
  /** Sealed by src/services/secret-box.ts; only while the account sets up its authenticator app. */
  readonly sealedEnrolmentSecret: string | null;
}

/** Correct passwords waiting for their second factor (at most 5 minutes). */
export function pendingSignInsRepository(tx: TenantTx) {
  const columns = ['id_hash', 'account_id', 'expires_at', 'return_to', 'enrolment_secret'] as const;
  const toPending = (row: { id_hash: string; account_id: string; expires_at: Date; return_to: string | null; enrolment_secret: string | null }) => ({
    idHash: row.id_hash,
    accountId: row.account_id,
    expiresAt: row.expires_at,
    returnTo: row.return_to,
    sealedEnrolmentSecret: row.enrolment_secret,
  });
  return {
    async create(pending: {
      idHash: string;
      councilId: string;
      accountId: string;
      now: Date;
      expiresAt: Date;
      returnTo: string | undefined;
      sealedEnrolmentSecret: string | undefined;
    }): Promise<void> {
      await tx
        .insertInto('pending_sign_ins')
        .values({
          id_hash: pending.idHash,
          council_id: pending.councilId,
          account_id: pending.accountId,
          created_at: pending.now,
          expires_at: pending.expiresAt,
          return_to: pending.returnTo ?? null,
          enrolment_secret: pending.sealedEnrolmentSecret ?? null,
        })
        .execute();
    },
    async find(idHash: string): Promise<PendingSignIn | undefined> {
      const row = await tx.selectFrom('pending_sign_ins').select(columns).where('id_hash', '=', idHash).executeTakeFirst();
      return row && toPending(row);
    },
    /** Removes the pending sign-in and returns it: only one request can complete it. */
    async claim(idHash: string): Promise<PendingSignIn | undefined> {
      const row = await tx.deleteFrom('pending_sign_ins').where('id_hash', '=', idHash).returning(columns).executeTakeFirst();
      return row && toPending(row);
    },
    async remove(idHash: string): Promise<void> {
      await tx.deleteFrom('pending_sign_ins').where('id_hash', '=', idHash).execute();
    },
    /** Sign-ins of the account waiting for their second factor; returns how many there were. */
    async removeAllFor(accountId: string): Promise<number> {
      const result = await tx.deleteFrom('pending_sign_ins').where('account_id', '=', accountId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
