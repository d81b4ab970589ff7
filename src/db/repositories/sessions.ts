import type { TenantTx } from '../tenancy.ts';

export function sessionsRepository(tx: TenantTx) {
  return {
    async create(session: { idHash: string; councilId: string; staffId: string; now: Date }): Promise<void> {
      await tx
        .insertInto('sessions')
        .values({
          id_hash: session.idHash,
          council_id: session.councilId,
          staff_id: session.staffId,
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
    /** Ends every session of one member of staff; returns how many there were. */
    async removeAllFor(staffId: string): Promise<number> {
      const result = await tx.deleteFrom('sessions').where('staff_id', '=', staffId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
