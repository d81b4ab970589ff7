import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { PersonRecord, PersonSummary } from '../db/repositories/people.ts';
import type { CaseRecord } from '../db/repositories/cases.ts';
import type { LinkedPerson } from '../db/repositories/person-access.ts';
import type { RecordAccess } from '../db/repositories/audit.ts';
import type { JourneyStage } from '../db/schema.ts';
import { mayDo, type Action, type Actor, type PersonAccessFacts } from '../domain/access/policy.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { pageWindow } from './paging.ts';
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

export interface AccessLog {
  readonly person: { readonly id: string; readonly givenName: string; readonly familyName: string };
  readonly accesses: readonly RecordAccess[];
  /** True when there were more than the page shows. */
  readonly truncated: boolean;
}

/** The family's page shows the latest accesses; the full history is in a subject access export. */
const ACCESS_LOG_LIMIT = 500;

const FORBIDDEN_REASON: Readonly<Record<Actor['kind'], string>> = {
  staff: 'This record is restricted to the workers named on it',
  family: 'Your account is not linked to this person',
  provider: 'Your organisation does not hold this person’s support',
  client: 'This API token may not read this record',
};

/**
 * Looks a person up and asks the policy, inside the caller's transaction. An unknown id and a
 * record the actor may not open are different answers (404 and 403) only for staff of this
 * council; family and provider users get "not found" for both, so that ids cannot be probed.
 */
export async function requirePerson(
  repos: Repositories,
  actor: Actor,
  action: Action,
  personId: string,
  today: string,
): Promise<PersonAccessFacts> {
  return allowPerson(actor, action, personId, isUuid(personId) ? await repos.personAccess.facts(personId, today) : undefined);
}

/**
 * The policy's answer for facts already read (undefined: no such person), as `requirePerson`
 * gives it: the facts when the actor may, else NotFound or Forbidden.
 */
export function allowPerson(actor: Actor, action: Action, personId: string, facts: PersonAccessFacts | undefined): PersonAccessFacts {
  if (facts === undefined) {
    // The same words as a record they may not open, so that not even the detail tells the two apart.
    throw new NotFoundError(actor.kind === 'staff' ? `No person with id ${personId} in this council` : `No person with id ${personId} that you can see`);
  }
  if (!mayDo(actor, action, facts)) {
    if (actor.kind !== 'staff') throw new NotFoundError(`No person with id ${personId} that you can see`);
    throw new ForbiddenError(FORBIDDEN_REASON[actor.kind]);
  }
  return facts;
}

/** A person's name and reference, for the heading of a page about them. */
export interface PersonHeader {
  readonly id: string;
  readonly name: string;
  readonly reference: string;
}

/** The person's heading, inside the caller's transaction (after `requirePerson` has let the actor in). */
export async function personHeader(repos: Repositories, personId: string): Promise<PersonHeader> {
  const person = await repos.people.findById(personId);
  if (person === undefined) throw new NotFoundError(`No person with id ${personId}`);
  return { id: person.id, name: `${person.givenName} ${person.familyName}`, reference: person.reference };
}

export function peopleServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  /** A person's record, once the actor may see it; the read is audited in the same transaction. */
  const readPerson = async (repos: Repositories, actor: Actor, personId: string, context: RequestContext): Promise<PersonRecord> => {
    await requirePerson(repos, actor, 'person:view', personId, deps.clock.today());
    const person = await repos.people.findById(personId);
    if (person === undefined) throw new NotFoundError(`No person with id ${personId} in this council`);
    // Sent with the COMMIT (decision 0022): the council's audit chain is not held while the page is built.
    repos.audit.recordAtCommit({
      ...auditedBy(actor, context, deps.clock.now()),
      action: 'person.viewed',
      subjectType: 'person',
      subjectId: person.id,
    });
    return person;
  };

  return {
    async search(actor: Actor, search: PeopleSearch): Promise<PeoplePage> {
      if (!mayDo(actor, 'people:list')) throw new ForbiddenError('Your role cannot list people');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const filter = {
          stage: search.stage,
          text: search.text,
          leadWorkerId: search.mine === true ? actor.accountId : undefined,
          // A restricted record is not even listed to those who may not open it.
          restrictedVisibleTo: actor.kind === 'staff' ? actor.accountId : null,
        };
        const total = await repos.people.count(filter);
        const { page, pageCount, offset } = pageWindow(search.page, total, search.pageSize);
        const people = await repos.people.search({ ...filter, offset, limit: search.pageSize });
        const stageCounts = await repos.people.countByStage({ restrictedVisibleTo: filter.restrictedVisibleTo });
        return { people, total, page, pageCount, stageCounts };
      });
    },

    /** The people a family account is linked to, or whose support a provider holds. */
    async mine(actor: Actor): Promise<LinkedPerson[]> {
      if (!mayDo(actor, 'my-people:list')) throw new ForbiddenError('Staff find people through the people search');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        if (actor.kind === 'family') return repos.personAccess.linkedToFamily(actor.accountId);
        if (actor.kind === 'provider') return repos.personAccess.supportedBy(actor.providerId, deps.clock.today());
        return [];
      });
    },

    /** Reads one person's record; the read itself is written to the audit log in the same transaction. */
    async view(actor: Actor, personId: string, context: RequestContext): Promise<PersonRecord> {
      return deps.withCouncil(actor.councilId, (tx) => readPerson(repositories(tx), actor, personId, context));
    },

    /** The person's page: their record and their cases, read (and the read audited) in one transaction. */
    async page(actor: Actor, personId: string, context: RequestContext): Promise<{ person: PersonRecord; cases: CaseRecord[] }> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const person = await readPerson(repos, actor, personId, context);
        return { person, cases: await repos.cases.ofPerson(person.id) };
      });
    },

    /**
     * "Who has looked at my record": every recorded look at or change to the person's record, by
     * role, organisation and date. Looking at this list is itself recorded (it names the person),
     * but those looks are left out of the list so that it shows what others did.
     */
    async accessLog(actor: Actor, personId: string, context: RequestContext): Promise<AccessLog> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:access-log', personId, deps.clock.today());
        const person = await repos.people.findById(personId);
        if (person === undefined) throw new NotFoundError(`No person with id ${personId} in this council`);
        const accesses = await repos.audit.accessesTo(personId, { excludeActions: ['person.access_log_viewed'], limit: ACCESS_LOG_LIMIT + 1 });
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'person.access_log_viewed',
          subjectType: 'person',
          subjectId: person.id,
        });
        return {
          person: { id: person.id, givenName: person.givenName, familyName: person.familyName },
          accesses: accesses.slice(0, ACCESS_LOG_LIMIT),
          truncated: accesses.length > ACCESS_LOG_LIMIT,
        };
      });
    },
  };
}
