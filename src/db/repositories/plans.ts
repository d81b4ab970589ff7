/** Support plans, their versions, comments and personal budget requests (migration 0010). */
import type { TenantTx } from '../tenancy.ts';

export function plansRepository(tx: TenantTx) {
  void tx;
  return {};
}

export type PlansRepository = ReturnType<typeof plansRepository>;
