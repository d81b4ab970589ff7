/** The JSON API for reports (issue 5): the EHC plan timeliness figures. Thin: the same service as the page. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../services/index.ts';
import type { TimelinessFigures } from '../../domain/pathway/timeliness.ts';
import { actorOf } from '../../web/request.ts';
import { Refused, refused } from './refused.ts';

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('Problem')]));
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Percent = Type.Union([Type.Number(), Type.Null()], { description: 'To one decimal place; null when no plans were issued' });

const Figures = Type.Object({
  issued: Type.Integer({ description: 'Final EHC plans issued' }),
  withinTwentyWeeks: Type.Integer(),
  percentWithin: Percent,
  excludingExceptions: Type.Object(
    { issued: Type.Integer(), withinTwentyWeeks: Type.Integer(), percentWithin: Percent },
    { description: 'Leaving out plans a reg 10(4) exception applies to: the national (SEN2) figure' },
  ),
  withExceptions: Type.Object({ issued: Type.Integer(), withinTwentyWeeks: Type.Integer() }),
});

const TimelinessAnswer = Type.Object({
  from: IsoDate,
  to: IsoDate,
  today: IsoDate,
  scope: Type.Union([Type.Literal('council'), Type.Literal('team')]),
  figures: Figures,
  byMonth: Type.Array(Type.Object({ month: Type.String({ description: 'YYYY-MM' }), figures: Figures })),
  openPastTwentyWeeks: Type.Object({ total: Type.Integer(), withException: Type.Integer() }),
  late: Type.Union(
    [
      Type.Array(
        Type.Object({
          caseId: Type.String(),
          personId: Type.String(),
          reference: Type.String(),
          givenName: Type.String(),
          familyName: Type.String(),
          requestDate: IsoDate,
          dueOn: IsoDate,
          issuedOn: IsoDate,
          daysTaken: Type.Integer(),
          withException: Type.Boolean(),
          exceptionReasons: Type.Array(Type.String()),
        }),
      ),
      Type.Null(),
    ],
    { description: 'Plans issued late, named; null for a commissioner (figures only). Restricted records the caller may not open are counted, not listed.' },
  ),
  lateNotListed: Type.Integer(),
});

const figuresJson = (f: TimelinessFigures) => ({
  issued: f.issued,
  withinTwentyWeeks: f.withinTwentyWeeks,
  percentWithin: f.percentWithin,
  excludingExceptions: { ...f.excludingExceptions },
  withExceptions: { ...f.withExceptions },
});

export function registerReportApi(parent: FastifyInstance, services: Services): void {
  const api = parent.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/reports/timeliness',
    {
      config: { access: 'cases:report', audit: null },
      schema: {
        tags: ['Cases'],
        summary: 'EHC plan timeliness: final plans issued within 20 weeks, with and without reg 10(4) exceptions',
        description:
          'Final EHC plans issued from `from` to `to` (default: the 12 months to today). Administrators, approvers and commissioners get the whole council, a caseworker their team; commissioners get no names. A date that is not YYYY-MM-DD is refused with 400, an impossible date or a period that ends before it starts with 422.',
        security: [{ session: [] }, { bearer: [] }],
        querystring: Type.Object({
          // Empty is the same as left out: the default.
          from: Type.Optional(Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$', description: 'YYYY-MM-DD; default 12 months before `to`' })),
          to: Type.Optional(Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$', description: 'YYYY-MM-DD; default today' })),
        }),
        response: { 200: TimelinessAnswer, 422: Refused, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const result = await services.timeliness.report(actorOf(request), { from: request.query.from, to: request.query.to });
      if (!result.ok) return refused(request, reply, result.errors);
      const r = result.value;
      return {
        from: r.period.from,
        to: r.period.to,
        today: r.today,
        scope: r.scope,
        figures: figuresJson(r.figures),
        byMonth: r.byMonth.map((m) => ({ month: m.month, figures: figuresJson(m.figures) })),
        openPastTwentyWeeks: { ...r.openPastWeekTwenty },
        late: r.showsNames
          ? r.late.map((p) => ({
              caseId: p.caseId,
              personId: p.personId,
              reference: p.person.reference,
              givenName: p.person.givenName,
              familyName: p.person.familyName,
              requestDate: p.requestDate,
              dueOn: p.dueOn,
              issuedOn: p.issuedOn,
              daysTaken: p.daysTaken,
              withException: p.withException,
              exceptionReasons: [...p.exceptionReasons],
            }))
          : null,
        lateNotListed: r.lateNotListed,
      };
    },
  );
}
