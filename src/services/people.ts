import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import type { PersonRecord, PersonSummary } from '../db/repositories/people.ts';
import type { JourneyStage } from '../db/schema.ts';
import { mayDo, type Actor } from '../domain/access/policy.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { isUuid } from '../domain/ids.ts';

export interface PeopleSearch {
  readonly stage?: JourneyStage | undefined;
  readonly text?: string | undefined;
  readonly mine?: boolean | undefined;
  readonly page: number;
  readonly pageSize: number;
}

export interface PeoplePage {
  readonly people: readonly PersonSummary[];
  readonly total: number;
  readonly page: number;
  readonly pageCount: number;
  readonly stageCounts: ReadonlyMap<JourneyStage, number>;
}

export function peopleServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  return {
    async search(actor: Actor, search: PeopleSearch): Promise<PeoplePage> {
      if (!mayDo(actor, 'people:list')) throw new ForbiddenError('Your role cannot list people');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const filter = { stage: search.stage, text: search.text, leadWorkerId: search.mine === true ? actor.staffId : undefined };
        const total = await repos.people.count(filter);
        const pageCount = Math.max(1, Math.ceil(total / search.pageSize));
        // A page past the end (an old link, a typed address) shows the last page rather than nothing.
        const page = Math.min(search.page, pageCount);
        const people = await repos.people.search({ ...filter, offset: (page - 1) * search.pageSize, limit: search.pageSize });
        const stageCounts = await repos.people.countByStage();
        return { people, total, page, pageCount, stageCounts };
      });
    },

    /** Reads one person's record; the read itself is written to the audit log in the same transaction. */
    async view(actor: Actor, personId: string, context: RequestContext): Promise<PersonRecord> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const person = isUuid(personId) ? await repos.people.findById(personId) : undefined;
        if (person === undefined) throw new NotFoundError(`No person with id ${personId} in this council`);
        if (!mayDo(actor, 'person:view', { councilId: actor.councilId, restricted: person.restricted, leadWorkerId: person.leadWorkerId })) {
          throw new ForbiddenError('This record is restricted to the workers named on it');
        }
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'person.viewed',
          subjectType: 'person',
          subjectId: person.id,
        });
        return person;
      });
    },
  };
}
