/** Support plans and co-production (issue 5). */
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';

export function planServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  void deps;
  return {};
}
