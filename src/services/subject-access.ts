/**
 * Subject access (UK GDPR Article 15): everything OneBudget holds about one person, for an
 * administrator answering a request. The export itself is audited with the request's reference.
 */
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import type { PersonRecord } from '../db/repositories/people.ts';
import type { AuditEntry } from '../db/repositories/audit.ts';
import type { FamilyLink, NamedWorker } from '../db/repositories/person-access.ts';
import { mayDo, type Actor } from '../domain/access/policy.ts';
import { isUuid } from '../domain/ids.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';

export interface SubjectAccessBundle {
  readonly generatedAt: Date;
  readonly generatedBy: string;
  readonly councilName: string;
  readonly reason: string;
  readonly person: PersonRecord;
  /** Every recorded look at or change to the record, oldest first. */
  readonly accessLog: readonly AuditEntry[];
  /** Family accounts linked to the person, and how. */
  readonly family: readonly FamilyLink[];
  /** Providers holding (or that held) the person's support. */
  readonly providers: readonly { readonly name: string; readonly description: string; readonly startsOn: string; readonly endsOn: string | null }[];
  /** Staff named on the record besides the lead worker, if it is restricted. */
  readonly namedWorkers: readonly NamedWorker[];
}

export function subjectAccessServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  return {
    async export(actor: Actor, personId: string, reason: string, context: RequestContext): Promise<SubjectAccessBundle> {
      if (!mayDo(actor, 'person:export')) throw new ForbiddenError('Only administrators can export a person’s record');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const person = isUuid(personId) ? await repos.people.findById(personId) : undefined;
        if (person === undefined) throw new NotFoundError(`No person with id ${personId} in this council`);
        // Read the log before this export is added to it: the bundle shows what was held when asked.
        const accessLog = await repos.audit.search({ personId: person.id }, { offset: 0, limit: 1_000_000, order: 'oldest first' });
        const generatedAt = deps.clock.now();
        await repos.audit.record({
          ...auditedBy(actor, context, generatedAt),
          action: 'person.exported',
          subjectType: 'person',
          subjectId: person.id,
          reason,
        });
        return {
          generatedAt,
          generatedBy: actor.displayName,
          councilName: actor.councilName,
          reason,
          person,
          accessLog,
          family: await repos.personAccess.familyOf(person.id),
          providers: await repos.personAccess.providersOf(person.id),
          namedWorkers: await repos.personAccess.namedWorkers(person.id),
        };
      });
    },
  };
}
