/** Cases and the statutory pathway (issue 5). */
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';

export function caseServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  void deps;
  return {};
}
