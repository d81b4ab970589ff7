import type { TenantTx } from '../tenancy.ts';

export interface StaffMfa {
  readonly accountId: string;
  /** Sealed by src/services/secret-box.ts. */
  readonly sealedSecret: string;
  readonly lastUsedStep: number;
}

/** Staff members' authenticator apps and recovery codes. */
export function mfaRepository(tx: TenantTx) {
  return {
    async find(accountId: string): Promise<StaffMfa | undefined> {
      const row = await tx
        .selectFrom('account_mfa')
        .select(['account_id', 'totp_secret', 'last_used_step'])
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return row && { accountId: row.account_id, sealedSecret: row.totp_secret, lastUsedStep: Number(row.last_used_step) };
    },
    async enrol(enrolment: { councilId: string; accountId: string; sealedSecret: string; step: number; now: Date }): Promise<void> {
      await tx
        .insertInto('account_mfa')
        .values({
          account_id: enrolment.accountId,
          council_id: enrolment.councilId,
          totp_secret: enrolment.sealedSecret,
          enrolled_at: enrolment.now,
          last_used_step: BigInt(enrolment.step),
        })
        .execute();
    },
    /** Records that the code of `step` was used; false when that step or a later one was used already. */
    async useStep(accountId: string, step: number): Promise<boolean> {
      const result = await tx
        .updateTable('account_mfa')
        .set({ last_used_step: BigInt(step) })
        .where('account_id', '=', accountId)
        .where('last_used_step', '<', BigInt(step))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async addRecoveryCodes(codes: { councilId: string; accountId: string; codeHashes: readonly string[]; now: Date }): Promise<void> {
      await tx
        .insertInto('mfa_recovery_codes')
        .values(codes.codeHashes.map((hash) => ({ council_id: codes.councilId, account_id: codes.accountId, code_hash: hash, created_at: codes.now })))
        .execute();
    },
    /** Marks an unused recovery code used; false when there is no such unused code. */
    async useRecoveryCode(accountId: string, codeHash: string, now: Date): Promise<boolean> {
      const result = await tx
        .updateTable('mfa_recovery_codes')
        .set({ used_at: now })
        .where('account_id', '=', accountId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async countUnusedRecoveryCodes(accountId: string): Promise<number> {
      const row = await tx
        .selectFrom('mfa_recovery_codes')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('account_id', '=', accountId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    /** Forgets an account's authenticator app and recovery codes (an administrator's reset). */
    async remove(accountId: string): Promise<boolean> {
      await tx.deleteFrom('mfa_recovery_codes').where('account_id', '=', accountId).execute();
      const result = await tx.deleteFrom('account_mfa').where('account_id', '=', accountId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
