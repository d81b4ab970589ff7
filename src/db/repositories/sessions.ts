import type { TenantTx } from '../tenancy.ts';

export function sessionsRepository(tx: TenantTx) {
  return {
    async create(session: { idHash: string; councilId: string; accountId: string; now: Date }): Promise<void> {
      await tx
        .insertInto('sessions')
        .values({
          id_hash: session.idHash,
          council_id: session.councilId,
          account_id: session.accountId,
          created_at: session.now,
          last_seen_at: session.now,
        })
        .execute();
    },
    async touch(idHash: string, now: Date): Promise<void> {
      await tx.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
    },
    async remove(idHash: string): Promise<void> {
      await tx.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },
    async steppedUpAt(idHash: string): Promise<Date | null | undefined> {
      const row = await tx.selectFrom('sessions').select('stepped_up_at').where('id_hash', '=', idHash).executeTakeFirst();
      return row === undefined ? undefined : row.stepped_up_at;
    },
    async markSteppedUp(idHash: string, now: Date): Promise<void> {
      await tx.updateTable('sessions').set({ stepped_up_at: now }).where('id_hash', '=', idHash).execute();
    },
    /** Ends every session of one account; returns how many there were. */
    async removeAllFor(accountId: string): Promise<number> {
      const result = await tx.deleteFrom('sessions').where('account_id', '=', accountId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
