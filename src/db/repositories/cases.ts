/** Cases, their steps and reminders (migration 0009). */
import type { TenantTx } from '../tenancy.ts';

export function casesRepository(tx: TenantTx) {
  void tx;
  return {};
}

export type CasesRepository = ReturnType<typeof casesRepository>;
