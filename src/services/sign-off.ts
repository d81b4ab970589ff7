/** Sign-off, agreement and the personal budget (issue 5). */
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';

export function signOffServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  void deps;
  return {};
}
