/** The JSON API for Cases and their steps (issue 5). Thin: parse, call the same services as the pages, shape the answer. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services/index.ts';
import { CASE_TYPES, CASELOAD_STATES, type CaseloadScope, type CaseloadSort, type CaseView } from '../../services/cases.ts';
import type { CaseloadState } from '../../db/repositories/cases.ts';
import type { CaseType } from '../../db/schema.ts';
import { STEP_KINDS } from '../../domain/pathway/steps.ts';
import { actorOf, requestContext } from '../../web/request.ts';
import { Refused, refused } from './refused.ts';

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('Problem')]));
const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const CaseloadQuery = Type.Object({
  scope: Type.Optional(literals(['mine', 'team', 'all'])),
  state: Type.Optional(literals(CASELOAD_STATES)),
  caseType: Type.Optional(literals(CASE_TYPES)),
  stage: Type.Optional(Type.String({ maxLength: 40 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  sort: Type.Optional(literals(['due', 'name', 'request_date'])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

const CaseloadEntry = Type.Object({
  caseId: Type.String(),
  personId: Type.String(),
  reference: Type.String(),
  givenName: Type.String(),
  familyName: Type.String(),
  caseType: Type.String(),
  stage: Type.String(),
  requestDate: IsoDate,
  nextDueOn: Nullable(IsoDate),
  nextDueKind: Nullable(Type.String()),
  hasException: Type.Boolean(),
  leadWorkerName: Type.String(),
});

const CaseloadList = Type.Object({
  scope: Type.String(),
  total: Type.Integer(),
  page: Type.Integer(),
  pageCount: Type.Integer(),
  counts: Type.Object({ overdue: Type.Integer(), due_soon: Type.Integer(), on_track: Type.Integer(), no_deadline: Type.Integer() }),
  cases: Type.Array(CaseloadEntry),
});

const Step = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  occurredOn: IsoDate,
  details: Type.Record(Type.String(), Type.Unknown()),
  recordedAt: Type.String({ format: 'date-time' }),
  recordedBy: Type.Object({ id: Type.String(), name: Type.String(), role: Nullable(Type.String()) }),
});

const DeadlineSchema = Type.Object({
  kind: Type.String(),
  label: Type.String(),
  dueOn: IsoDate,
  startedOn: Nullable(Type.String()),
  metOn: Nullable(IsoDate),
  state: Type.String(),
  exceptionApplies: Type.Boolean(),
});

const CaseDetail = Type.Object({
  id: Type.String(),
  personId: Type.String(),
  caseType: Type.String(),
  status: Type.String(),
  stage: Type.String(),
  requestDate: IsoDate,
  phaseTransferYear: Nullable(Type.Integer()),
  leadWorker: Type.Object({ id: Type.String(), name: Type.String(), team: Nullable(Type.String()) }),
  nextDueOn: Nullable(IsoDate),
  nextDueKind: Nullable(Type.String()),
  hasException: Type.Boolean(),
  closedOn: Nullable(IsoDate),
  closedReason: Nullable(Type.String()),
  allowedNextSteps: Type.Array(Type.String()),
  finalPlan: Type.Object({ state: Type.String(), withException: Type.Boolean() }),
  steps: Type.Array(Step),
  deadlines: Type.Array(DeadlineSchema),
});

const OpenCaseBody = Type.Object({
  caseType: literals(CASE_TYPES),
  requestDate: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
  leadWorkerId: Type.String({ maxLength: 40 }),
  phaseTransferYear: Type.Optional(Nullable(Type.Integer())),
});

const RecordStepBody = Type.Object({
  kind: literals(STEP_KINDS),
  occurredOn: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});


function caseJson(view: CaseView) {
  const c = view.case;
  return {
    id: c.id,
    personId: c.personId,
    caseType: c.caseType,
    status: c.status,
    stage: view.stage,
    requestDate: c.requestDate,
    phaseTransferYear: c.phaseTransferYear,
    leadWorker: { id: c.leadWorkerId, name: c.leadWorkerName, team: c.leadWorkerTeam },
    nextDueOn: c.nextDueOn,
    nextDueKind: c.nextDueKind,
    hasException: c.hasException,
    closedOn: c.closedOn,
    closedReason: c.closedReason,
    allowedNextSteps: view.mayManage ? [...view.allowedNextSteps] : [],
    finalPlan: { state: view.timeliness.finalPlan, withException: view.timeliness.withException },
    steps: view.steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      occurredOn: s.occurredOn,
      details: s.details,
      recordedAt: s.recordedAt.toISOString(),
      recordedBy: { id: s.recordedById, name: s.recordedByName, role: s.recordedByRole },
    })),
    deadlines: view.deadlines.map((d) => ({
      kind: d.kind,
      label: d.label,
      dueOn: d.dueOn,
      startedOn: d.startedOn,
      metOn: d.metOn,
      state: d.state,
      exceptionApplies: d.exceptionApplies,
    })),
  };
}

export function registerCaseApi(parent: FastifyInstance, services: Services): void {
  const api = parent.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/cases',
    {
      config: { access: 'cases:list', audit: null },
      schema: {
        tags: ['Cases'],
        summary: 'The caseload: open cases with their next deadline',
        description: 'Scope `mine` (default), `team` or `all` (administrators and approvers). Counts are per deadline state for the scope and filters.',
        security: [{ session: [] }, { bearer: [] }],
        querystring: CaseloadQuery,
        response: { 200: CaseloadList, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      // The schema lets only the listed values through, so these narrowings are safe.
      const q = request.query as { scope?: CaseloadScope; state?: CaseloadState; caseType?: CaseType; stage?: string; q?: string; sort?: CaseloadSort; page?: number; pageSize?: number };
      const page = await services.cases.caseload(actorOf(request), {
        scope: q.scope ?? 'mine',
        state: q.state,
        caseType: q.caseType,
        stage: q.stage,
        q: q.q,
        sort: q.sort ?? 'due',
        page: q.page ?? 1,
        pageSize: q.pageSize ?? 25,
      });
      return { scope: page.scope, total: page.total, page: page.page, pageCount: page.pageCount, counts: page.counts, cases: [...page.rows] };
    },
  );

  api.get(
    '/cases/:caseId',
    {
      config: { access: 'person:view', audit: 'person.case_viewed' },
      schema: {
        tags: ['Cases'],
        summary: 'One case: its steps and deadlines (the read is audited)',
        security: [{ session: [] }, { bearer: [] }],
        params: Type.Object({ caseId: Type.String({ format: 'uuid' }) }),
        response: { 200: CaseDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => caseJson(await services.cases.caseView(actorOf(request), request.params.caseId, requestContext(request))),
  );

  api.post(
    '/people/:personId/cases',
    {
      config: { access: 'person:manage-case', audit: 'person.case_opened' },
      schema: {
        tags: ['Cases'],
        summary: 'Open a case for a person, starting its statutory clock at the request date',
        security: [{ session: [] }, { bearer: [] }],
        params: Type.Object({ personId: Type.String({ format: 'uuid' }) }),
        body: OpenCaseBody,
        response: { 201: Type.Object({ caseId: Type.String() }), 422: Refused, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const opened = await services.cases.openCase(
        actorOf(request),
        request.params.personId,
        { caseType: b.caseType, requestDate: b.requestDate, leadWorkerId: b.leadWorkerId, phaseTransferYear: b.phaseTransferYear ?? null },
        requestContext(request),
      );
      if (!opened.ok) return refused(request, reply, opened.errors);
      return reply.code(201).send({ caseId: opened.value.caseId });
    },
  );

  api.post(
    '/cases/:caseId/steps',
    {
      config: { access: 'person:manage-case', audit: 'person.case_step_recorded' },
      schema: {
        tags: ['Cases'],
        summary: 'Record a step on a case; out-of-order steps are refused with 422',
        security: [{ session: [] }, { bearer: [] }],
        params: Type.Object({ caseId: Type.String({ format: 'uuid' }) }),
        body: RecordStepBody,
        response: { 201: Type.Object({ stepId: Type.String() }), 422: Refused, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const recorded = await services.cases.recordStep(
        actorOf(request),
        request.params.caseId,
        { kind: b.kind, occurredOn: b.occurredOn, details: b.details ?? {} },
        requestContext(request),
      );
      if (!recorded.ok) return refused(request, reply, recorded.errors);
      return reply.code(201).send({ stepId: recorded.value.stepId });
    },
  );
}
