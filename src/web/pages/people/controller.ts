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
import { CASE_TYPE_LABELS } from '../../../domain/people/people.ts';
import { CASE_STAGE_LABELS, type CaseStage } from '../../../domain/pathway/steps.ts';
import { DEADLINE_LABELS, type DeadlineKind } from '../../../domain/pathway/deadlines.ts';
import { longDate } from '../../../domain/pathway/dates.ts';
import type { CaseRecord } from '../../../db/repositories/cases.ts';

/** One case on the person's page: what it is, where it has got to, and what is due next. */
function caseLine(c: CaseRecord): { href: string; title: string; text: string } {
  const stage = CASE_STAGE_LABELS[c.stage as CaseStage] ?? c.stage;
  const next =
    c.status === 'closed'
      ? `Closed${c.closedOn === null ? '' : ` on ${longDate(c.closedOn)}`}.`
      : c.nextDueOn === null || c.nextDueKind === null
        ? 'Nothing due.'
        : `Next: ${DEADLINE_LABELS[c.nextDueKind as DeadlineKind] ?? c.nextDueKind}, due ${longDate(c.nextDueOn)}.`;
  return { href: paths.cases.show({ caseId: c.id }), title: CASE_TYPE_LABELS[c.caseType], text: `${stage}. Lead worker: ${c.leadWorkerName}. ${next}` };
}

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
      const { person, cases } = await services.people.page(actor, request.params.personId, requestContext(request));
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
        statementHref: mayDo(actor, 'person:statement') ? paths.statements.person({ personId: person.id }) : undefined,
        cases: cases.map((c) => caseLine(c)),
        openCaseHref: mayDo(actor, 'person:manage-case') ? paths.cases.open({ personId: person.id }) : undefined,
        plansHref: paths.plans.person({ personId: person.id }),
        spendingHref: mayDo(actor, 'person:spending') ? paths.monitoring.spending({ personId: person.id }) : undefined,
        bankDetailsHref: mayDo(actor, 'payments:bank-details') ? paths.payments.bankDetails({ personId: person.id }) : undefined,
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
