/** Sign-off decisions, tiers, agreements, direct payment refusals, DBS checks and personal budgets (migration 0010). */
import type { TenantTx } from '../tenancy.ts';

export function signOffRepository(tx: TenantTx) {
  void tx;
  return {};
}

export type SignOffRepository = ReturnType<typeof signOffRepository>;
