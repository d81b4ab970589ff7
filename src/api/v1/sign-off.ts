/**
 * The JSON API for sign-off, agreement and the personal budget (issue 5), and for what goes with it:
 * refusing a direct payment, DBS checks, the approval tiers. Thin: parse, call the same services as
 * the pages, shape the answer. Refusals are problem details: 403 for the plan's author, an approver
 * above their limit or a role that may not, 409 for a step out of order, 422 for bad input. Fields
 * the service checks are optional in the body schemas, so that leaving one out is a 422 naming it.
 * Registered in src/api/v1/index.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services/index.ts';
import { OutOfOrderError } from '../../services/sign-off.ts';
import { actorOf, requestContext } from '../../web/request.ts';
import { sendProblem } from '../../web/problem.ts';
import { REFUSAL_CATEGORIES } from '../../domain/sign-off/sign-off.ts';
import { paths } from '../../web/paths.ts';
import { Refused, refused } from './refused.ts';

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('Problem')]));


/** Runs a use case, answering 409 problem details when the plan is not at the step it needs. */
async function inOrder<T>(request: FastifyRequest, reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OutOfOrderError) return sendProblem(request, reply, 409, error.detail);
    throw error;
  }
}

const PlanParams = Type.Object({ planId: Type.String({ format: 'uuid' }) });
const PenceString = Type.String({ pattern: '^[0-9]{1,15}$', description: 'Whole pence, as a string' });
const Done = Type.Object({ planId: Type.String(), status: Type.String() });

const PersonalBudget = Type.Object({
  id: Type.String(),
  planId: Type.String(),
  version: Type.Integer(),
  startsOn: Type.String({ format: 'date' }),
  endsOn: Type.String({ format: 'date' }),
  totalPence: Type.String({ description: 'Whole pence a year, as a string' }),
  lines: Type.Array(Type.Object({ stream: Type.String(), management: Type.String(), annualPence: Type.String() })),
});

export function registerSignOffApi(parent: FastifyInstance, services: Services): void {
  const api = parent.withTypeProvider<TypeBoxTypeProvider>();
  const signOff = services.signOff;

  api.post(
    '/plans/:planId/submit',
    {
      config: { access: 'person:plan', audit: 'person.plan_submitted' },
      schema: {
        tags: ['Sign-off'],
        summary: 'Submit a draft plan for sign-off; refused with 422 naming what to fix (plan checks, DBS checks)',
        security: [{ session: [] }, { bearer: [] }],
        params: PlanParams,
        body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false }),
        response: { 200: Done, 422: Refused, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      inOrder(request, reply, async () => {
        const outcome = await signOff.submit(actorOf(request), request.params.planId, { note: request.body.note ?? '' }, requestContext(request));
        if (!outcome.ok) return refused(request, reply, outcome.errors);
        return reply.send({ planId: request.params.planId, status: 'submitted' });
      }),
  );

  api.post(
    '/plans/:planId/decisions',
    {
      config: { access: 'plan:approve', audit: 'person.plan_approved' },
      schema: {
        tags: ['Sign-off'],
        summary: 'Approve or return a submitted plan within your delegated limit, with reasons',
        description: '403 for the plan’s author or an approver whose limit is below the plan’s total; 409 when the plan is no longer waiting for sign-off.',
        security: [{ session: [] }, { bearer: [] }],
        params: PlanParams,
        body: Type.Object({ decision: Type.Union([Type.Literal('approve'), Type.Literal('return')]), reasons: Type.String({ maxLength: 4000 }) }, { additionalProperties: false }),
        response: { 200: Done, 422: Refused, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      inOrder(request, reply, async () => {
        const outcome = await signOff.decide(actorOf(request), request.params.planId, request.body, requestContext(request));
        if (!outcome.ok) return refused(request, reply, outcome.errors);
        return reply.send({ planId: request.params.planId, status: request.body.decision === 'approve' ? 'approved' : 'returned' });
      }),
  );

  api.post(
    '/plans/:planId/agreement',
    {
      config: { access: 'plan:agree', audit: 'person.plan_agreed' },
      schema: {
        tags: ['Sign-off'],
        summary: 'Agree an approved plan: it becomes the person’s personal budget',
        description: '409 when the plan has not been approved (or is already agreed).',
        security: [{ session: [] }, { bearer: [] }],
        params: PlanParams,
        body: Type.Object(
          { typedName: Type.String({ maxLength: 200 }), agreedOn: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }), confirmed: Type.Boolean() },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ planId: Type.String(), status: Type.String(), personalBudgetId: Type.String() }), 422: Refused, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      inOrder(request, reply, async () => {
        const outcome = await signOff.agree(actorOf(request), request.params.planId, request.body, requestContext(request));
        if (!outcome.ok) return refused(request, reply, outcome.errors);
        return reply.send({ planId: request.params.planId, status: 'agreed', personalBudgetId: outcome.value.personalBudgetId });
      }),
  );

  api.post(
    '/plans/:planId/direct-payment-refusals',
    {
      config: { access: 'plan:refuse-direct-payment', audit: 'person.direct_payment_refused' },
      schema: {
        tags: ['Sign-off'],
        summary: 'Refuse or withhold a direct payment with a category and reasons; makes the written notice for the family',
        description: `422 naming each field when the outcome, category or reasons are missing. Categories: ${REFUSAL_CATEGORIES.join(', ')}.`,
        security: [{ session: [] }, { bearer: [] }],
        params: PlanParams,
        // Optional here so that a missing field is a 422 naming it, as on the page, not a bare 400.
        body: Type.Object(
          {
            outcome: Type.Optional(Type.String({ maxLength: 20, description: 'refused or withheld' })),
            category: Type.Optional(Type.String({ maxLength: 100 })),
            reasons: Type.Optional(Type.String({ maxLength: 4000 })),
            itemIds: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 500, description: 'The direct payment items it covers; none: all of them' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ refusalId: Type.String(), noticeUrl: Type.String() }), 422: Refused, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const input = { outcome: b.outcome ?? '', category: b.category ?? '', reasons: b.reasons ?? '', itemIds: b.itemIds ?? [] };
      const outcome = await signOff.refuseDirectPayment(actorOf(request), request.params.planId, input, requestContext(request));
      if (!outcome.ok) return refused(request, reply, outcome.errors);
      return reply.code(201).send({ refusalId: outcome.value.refusalId, noticeUrl: paths.signOff.notice({ refusalId: outcome.value.refusalId }) });
    },
  );

  api.post(
    '/plans/:planId/dbs/:itemId',
    {
      config: { access: 'plan:record-dbs', audit: 'person.dbs_check_recorded' },
      schema: {
        tags: ['Sign-off'],
        summary: 'Record a DBS check (caseworker) or an agreed exception (approver) for a personal assistant paid by direct payment',
        description: '422 naming each field for a missing or impossible date, a date in the future or a certificate number that is not 12 digits.',
        security: [{ session: [] }, { bearer: [] }],
        params: Type.Object({ planId: Type.String({ format: 'uuid' }), itemId: Type.String({ maxLength: 100 }) }),
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('check'), Type.Literal('exception')]),
            checkedOn: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, for a check' })),
            certificateNumber: Type.Optional(Type.String({ maxLength: 40, description: '12 digits, for a check' })),
            reason: Type.Optional(Type.String({ maxLength: 4000, description: 'Why no check is needed, for an exception' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ planId: Type.String(), itemId: Type.String(), kind: Type.String() }), 422: Refused, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const input = b.kind === 'check' ? { kind: 'check' as const, checkedOn: b.checkedOn ?? '', certificateNumber: b.certificateNumber ?? '' } : { kind: 'exception' as const, reason: b.reason ?? '' };
      const outcome = await signOff.recordDbs(actorOf(request), request.params.planId, request.params.itemId, input, requestContext(request));
      if (!outcome.ok) return refused(request, reply, outcome.errors);
      return reply.code(201).send({ planId: request.params.planId, itemId: request.params.itemId, kind: b.kind });
    },
  );

  const Tiers = Type.Array(Type.Object({ name: Type.String({ maxLength: 200 }), upToPence: PenceString }), { maxItems: 50 });

  api.post(
    '/approval-tiers',
    {
      config: { access: 'approval-tiers:manage', audit: 'approval_tiers.changed' },
      schema: {
        tags: ['Sign-off'],
        summary: 'Replace the council’s approval tiers (administrators): names and limits in pence, strictly increasing',
        description: '403 for anyone but an administrator; 422 naming each tier field that is wrong.',
        security: [{ session: [] }, { bearer: [] }],
        body: Type.Object({ tiers: Tiers }, { additionalProperties: false }),
        response: { 200: Type.Object({ tiers: Tiers }), 422: Refused, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const tiers = request.body.tiers.map((t) => ({ name: t.name, upToPence: BigInt(t.upToPence) }));
      const outcome = await signOff.saveTiers(actor, tiers, requestContext(request));
      if (!outcome.ok) return refused(request, reply, outcome.errors);
      const saved = await signOff.tiers(actor);
      return reply.send({ tiers: saved.map((t) => ({ name: t.name, upToPence: t.upToPence.toString() })) });
    },
  );

  api.get(
    '/people/:personId/personal-budget',
    {
      config: { access: 'person:view', audit: 'person.personal_budget_viewed' },
      schema: {
        tags: ['Sign-off'],
        summary: 'The person’s active personal budget with its lines by stream and way of managing; 404 before any plan is agreed',
        security: [{ session: [] }, { bearer: [] }],
        params: Type.Object({ personId: Type.String({ format: 'uuid' }) }),
        response: { 200: PersonalBudget, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const budget = await signOff.activeBudget(actorOf(request), request.params.personId, requestContext(request));
      if (budget === undefined) return sendProblem(request, reply, 404, 'This person has no personal budget yet: it is made when their plan is agreed');
      return reply.send({
        id: budget.id,
        planId: budget.planId,
        version: budget.version,
        startsOn: budget.startsOn,
        endsOn: budget.endsOn,
        totalPence: budget.totalPence.toString(),
        lines: budget.lines.map((l) => ({ stream: l.stream, management: l.management, annualPence: l.annualPence.toString() })),
      });
    },
  );
}
