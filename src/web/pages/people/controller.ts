import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { JOURNEY_STAGES, type JourneyStage } from '../../../domain/people/people.ts';
import { paths } from '../../paths.ts';
import { parsePage } from '../../forms/page-number.ts';
import { actorOf, requestContext } from '../../request.ts';
import { peopleListModel, personModel, whoHasLookedModel } from './presenters.ts';
import { subjectAccessPages } from './subject-access.ts';
import { myPeopleTitle } from '../my-people/presenters.ts';
import { lowerFirst } from '../../format.ts';
import { namedWorkerPages } from './named-workers.ts';
import { mayDo } from '../../../domain/access/policy.ts';

const PAGE_SIZE = 25;

function parseStage(value: unknown): JourneyStage | undefined {
  return JOURNEY_STAGES.find((s) => s.stage === value)?.stage;
}


export function peoplePages(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.people.index(),
    { config: { access: 'people:list', audit: null } },
    async (request, reply) => {
      const actor = actorOf(request);
      const q = (request.query.q ?? '').trim().slice(0, 100);
      const stage = parseStage(request.query.stage);
      const mine = request.query.mine === 'yes';
      const page = await services.people.search(actor, { text: q, stage, mine, page: parsePage(request.query.page), pageSize: PAGE_SIZE });
      return reply.page('pages/people/index.njk', peopleListModel(page, { q, stage: stage ?? '', mine }, services.clock.today()));
    },
  );

  app.get<{ Params: { personId: string } }>(
    '/people/:personId',
    { config: { access: 'person:view', audit: 'person.viewed' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const person = await services.people.view(actor, request.params.personId, requestContext(request));
      const staff = actor.kind === 'staff';
      return reply.page('pages/people/show.njk', {
        ...personModel(person, services.clock.today()),
        backHref: staff ? paths.people.index() : paths.myPeople(),
        backText: staff ? 'Back to people' : `Back to ${lowerFirst(myPeopleTitle(actor))}`,
        showRestriction: staff && person.restricted,
        subjectAccessHref: mayDo(actor, 'person:export') ? paths.people.subjectAccess({ personId: person.id }) : undefined,
        whoHasLookedHref: mayDo(actor, 'person:access-log') ? paths.people.whoHasLooked({ personId: person.id }) : undefined,
        inviteFamilyHref: mayDo(actor, 'person:invite-family') ? paths.invitations.inviteFamily({ personId: person.id }) : undefined,
        namedWorkersHref: staff && person.restricted && mayDo(actor, 'person:name-workers') ? paths.people.namedWorkers({ personId: person.id }) : undefined,
        allocationHref: paths.allocation.person({ personId: person.id }),
      });
    },
  );

  app.get<{ Params: { personId: string } }>(
    '/people/:personId/who-has-looked',
    { config: { access: 'person:access-log', audit: 'person.access_log_viewed' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const log = await services.people.accessLog(actor, request.params.personId, requestContext(request));
      return reply.page('pages/people/who-has-looked.njk', whoHasLookedModel(log, actor, paths.people.show({ personId: log.person.id })));
    },
  );

  subjectAccessPages(app, services);
  namedWorkerPages(app, services);
}
