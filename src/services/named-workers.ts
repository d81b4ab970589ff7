/**
 * The workers named on a restricted record. A restricted record (a looked-after child, a member of
 * staff's relative, a safeguarding case) opens only to its lead worker and the workers named here;
 * an administrator names them, with a reason the audit log keeps, but does not thereby see the
 * record.
 */
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import type { NamedWorker } from '../db/repositories/person-access.ts';
import { mayDo, type Actor } from '../domain/access/policy.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { requirePerson } from './people.ts';
import { NotFoundError } from './errors.ts';
import { isUuid } from '../domain/ids.ts';

export interface NamedWorkersView {
  readonly person: { readonly id: string; readonly reference: string; readonly name: string; readonly restricted: boolean };
  readonly leadWorker: string | null;
  readonly namedWorkers: readonly NamedWorker[];
}

/** Why a worker could not be named, for the field error. */
export type NameWorkerRefusal = 'no-such-staff' | 'cannot-see-people' | 'already-named' | 'not-restricted';

export function namedWorkerServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  return {
    async view(actor: Actor, personId: string, context: RequestContext): Promise<NamedWorkersView> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:name-workers', personId, deps.clock.today());
        const person = await repos.people.findById(personId);
        if (person === undefined) throw new NotFoundError(`No person with id ${personId}`);
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'person.named_workers_viewed',
          subjectType: 'person',
          subjectId: person.id,
        });
        return {
          person: { id: person.id, reference: person.reference, name: `${person.givenName} ${person.familyName}`, restricted: person.restricted },
          leadWorker: person.leadWorkerName,
          namedWorkers: await repos.personAccess.namedWorkers(person.id),
        };
      });
    },

    async add(
      actor: Actor,
      personId: string,
      input: { email: string; reason: string },
      context: RequestContext,
    ): Promise<{ ok: true; name: string } | { ok: false; refusal: NameWorkerRefusal }> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const facts = await requirePerson(repos, actor, 'person:name-workers', personId, deps.clock.today());
        if (!facts.restricted) return { ok: false, refusal: 'not-restricted' } as const;
        const worker = await repos.accounts.findByEmail(input.email);
        if (worker === undefined || worker.kind !== 'staff' || worker.role === null || worker.disabledAt !== null) {
          return { ok: false, refusal: 'no-such-staff' } as const;
        }
        const workerActor: Actor = { ...actor, kind: 'staff', role: worker.role, accountId: worker.id };
        if (!mayDo(workerActor, 'person:view')) return { ok: false, refusal: 'cannot-see-people' } as const;
        const now = deps.clock.now();
        if (!(await repos.personAccess.nameWorker({ councilId: actor.councilId, personId, accountId: worker.id, now }))) {
          return { ok: false, refusal: 'already-named' } as const;
        }
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.named_worker_added',
          subjectType: 'person',
          subjectId: personId,
          reason: input.reason,
          detail: { workerId: worker.id, workerName: worker.displayName },
        });
        return { ok: true, name: worker.displayName } as const;
      });
    },

    async remove(actor: Actor, personId: string, workerId: string, context: RequestContext): Promise<boolean> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:name-workers', personId, deps.clock.today());
        if (!isUuid(workerId)) return false;
        const removed = await repos.personAccess.removeNamedWorker(personId, workerId);
        if (removed) {
          await repos.audit.record({
            ...auditedBy(actor, context, deps.clock.now()),
            action: 'person.named_worker_removed',
            subjectType: 'person',
            subjectId: personId,
            detail: { workerId },
          });
        }
        return removed;
      });
    },
  };
}
