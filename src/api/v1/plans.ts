/** The JSON API for Support plans and sign-off (issue 5). Thin: parse, call the same services as the pages, shape the answer. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services/index.ts';
import { contentToJson } from '../../domain/plans/json.ts';
import { isUuid } from '../../domain/ids.ts';
import { actorOf, requestContext } from '../../web/request.ts';
import { NotFoundError } from '../../services/errors.ts';

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('Problem')]));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const PenceString = Type.String({ pattern: '^-?[0-9]+$', description: 'Whole pence' });

export function registerPlanApi(api: FastifyInstance, services: Services): void {
  // ==== Reading a plan (support plans helper) ======================================================
  const PlanAnswer = Type.Object({
    id: Type.String(),
    personId: Type.String(),
    caseId: Type.String(),
    kind: Type.String(),
    status: Type.String(),
    currentVersion: Type.Integer(),
    version: Type.Object({
      number: Type.Integer(),
      changeNote: Type.String(),
      createdAt: Type.String({ format: 'date-time' }),
      createdBy: Type.Object({ id: Type.String(), name: Type.String() }),
      content: Type.Record(Type.String(), Type.Unknown(), { description: 'The plan content, money as whole pence in strings' }),
    }),
    indicativeBudget: Type.Record(Type.String(), PenceString),
    totals: Type.Object({
      items: Type.Array(Type.Object({ id: Type.String(), annualPence: PenceString })),
      byStream: Type.Array(Type.Object({ stream: Type.String(), planPence: PenceString, indicativePence: Nullable(PenceString), overByPence: PenceString })),
      byStreamAndManagement: Type.Array(Type.Object({ stream: Type.String(), management: Type.String(), annualPence: PenceString })),
      contingencyPence: PenceString,
      totalPence: PenceString,
      overBudget: Type.Boolean(),
    }),
    problems: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
  });

  api.get<{ Params: { planId: string }; Querystring: { version?: number } }>(
    '/plans/:planId',
    {
      config: { access: 'person:view', audit: 'person.plan_viewed' },
      schema: {
        tags: ['Support plans'],
        summary: 'A support plan at its current version (or the version asked for), with its totals',
        security: [{ session: [] }, { bearer: [] }],
        params: Type.Object({ planId: Type.String() }),
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) }),
        response: { 200: PlanAnswer, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { planId } = request.params;
      if (!isUuid(planId)) throw new NotFoundError(`No plan with id ${planId}`);
      const view = await services.plans.view(actorOf(request), planId, { version: request.query.version }, requestContext(request));
      const { plan, shown, totals } = view;
      return {
        id: plan.id,
        personId: plan.personId,
        caseId: plan.caseId,
        kind: plan.kind,
        status: plan.status,
        currentVersion: plan.currentVersion,
        version: {
          number: shown.version,
          changeNote: shown.changeNote,
          createdAt: shown.createdAt.toISOString(),
          createdBy: { id: shown.createdBy, name: shown.createdByName },
          content: JSON.parse(contentToJson(shown.content)) as Record<string, unknown>,
        },
        indicativeBudget: Object.fromEntries(Object.entries(plan.indicativeBudget).map(([k, v]) => [k, v.toString()])),
        totals: {
          items: totals.items.map((i) => ({ id: i.id, annualPence: i.annualPence.toString() })),
          byStream: totals.byStream.map((s) => ({ stream: s.stream, planPence: s.planPence.toString(), indicativePence: s.indicativePence?.toString() ?? null, overByPence: s.overBy.toString() })),
          byStreamAndManagement: totals.byStreamAndManagement.map((m) => ({ stream: m.stream, management: m.management, annualPence: m.annualPence.toString() })),
          contingencyPence: totals.contingencyPence.toString(),
          totalPence: totals.totalPence.toString(),
          overBudget: totals.overBudget,
        },
        problems: [...view.problems],
      };
    },
  );
  // ==== End of reading a plan =====================================================================
}
