/** The JSON API. Thin: parse, call the same services as the pages, shape the answer. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Services } from '../../services/index.ts';
import { actorOf, requestContext } from '../../web/request.ts';
import { modelToJson } from '../../domain/allocation/validate.ts';
import { NotFoundError } from '../../services/errors.ts';
import { registerCaseApi } from './cases.ts';
import { registerPlanApi } from './plans.ts';
import { registerReportApi } from './reports.ts';
import { registerSignOffApi } from './sign-off.ts';
import { AllocationModelPublished, Council, CouncilDetail, LocalOfferService, PeopleList, PeopleQuery, Person, Problem } from './schemas.ts';

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref('Problem')]));

export async function registerApi(parent: FastifyInstance, services: Services, options: { rateLimitPerMinute: number }): Promise<void> {
  parent.addSchema(Problem);
  // Applies to every API route (this plugin's scope), per source address; answers 429 problem details.
  await parent.register(fastifyRateLimit, {
    max: options.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`Too many requests: at most ${context.max} a minute from one address. Try again in ${context.after}.`), {
        statusCode: 429,
      }),
  });
  const api = parent.withTypeProvider<TypeBoxTypeProvider>();

  api.get('/openapi.json', { config: { access: 'public', audit: null } }, async () => parent.swagger());

  api.get(
    '/councils',
    {
      config: { access: 'public', audit: null },
      schema: { tags: ['Councils'], summary: 'The councils on this service', response: { 200: Type.Array(Council) } },
    },
    async () => (await services.councils.list()).map((c) => ({ slug: c.slug, name: c.name })),
  );

  api.get(
    '/councils/:slug',
    {
      config: { access: 'public', audit: null },
      schema: {
        tags: ['Councils'],
        summary: 'A council, its funding streams and the size of its Local Offer',
        params: Type.Object({ slug: Type.String() }),
        response: { 200: CouncilDetail, ...errors(404) },
      },
    },
    async (request) => {
      const o = await services.councils.overview(request.params.slug);
      return {
        slug: o.council.slug,
        name: o.council.name,
        serviceCount: o.serviceCount,
        providerCount: o.providerCount,
        fundingStreams: o.fundingStreams.map((s) => ({ code: s.code, name: s.name, funder: s.funder })),
      };
    },
  );

  api.get(
    '/councils/:slug/allocation-model',
    {
      config: { access: 'public', audit: null },
      schema: {
        tags: ['Resource allocation'],
        summary: "The council's published resource allocation model: questionnaire, points and conversion",
        description: 'The model is in the form of docs/ras-model.schema.json; money in it is integer pence. 404 when the council has published none.',
        params: Type.Object({ slug: Type.String() }),
        response: { 200: AllocationModelPublished, ...errors(404) },
      },
    },
    async (request) => {
      const { council, version } = await services.allocation.published(request.params.slug);
      if (version === null || version.publishedOn === null) throw new NotFoundError(`${council.name} has not published an allocation model`);
      return { council: council.slug, version: version.version, publishedOn: version.publishedOn, model: modelToJson(version.model) };
    },
  );

  api.get(
    '/councils/:slug/services',
    {
      config: { access: 'public', audit: null },
      schema: {
        tags: ['Local Offer'],
        summary: "The council's Local Offer: services that can be bought with a personal budget",
        params: Type.Object({ slug: Type.String() }),
        querystring: Type.Object({ category: Type.Optional(Type.String({ maxLength: 100 })) }),
        response: { 200: Type.Array(LocalOfferService), ...errors(400, 404) },
      },
    },
    async (request) => {
      const { services: list } = await services.councils.localOffer(request.params.slug, request.query.category);
      return list.map((s) => ({
        id: s.id,
        name: s.name,
        description: s.description,
        category: s.category,
        minAge: s.minAge,
        maxAge: s.maxAge,
        unit: s.unit,
        unitCostPence: Number(s.unitCostPence),
        provider: { name: s.providerName, kind: s.providerKind, email: s.providerEmail, phone: s.providerPhone, town: s.providerTown },
      }));
    },
  );

  api.get(
    '/people',
    {
      config: { access: 'people:list', audit: null },
      schema: {
        tags: ['People'],
        summary: "People in the caller's council",
        description: 'With an API token, needs the scope `people:list`.',
        security: [{ session: [] }, { bearer: [] }],
        querystring: PeopleQuery,
        response: { 200: PeopleList, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await services.people.search(actorOf(request), {
        text: request.query.q,
        stage: request.query.stage,
        mine: request.query.mine,
        page: request.query.page ?? 1,
        pageSize: request.query.pageSize ?? 50,
      });
      return { total: page.total, page: page.page, pageCount: page.pageCount, people: [...page.people] };
    },
  );

  api.get(
    '/people/:personId',
    {
      config: { access: 'person:view', audit: 'person.viewed' },
      schema: {
        tags: ['People'],
        summary: "One person's record (the read is audited)",
        description: 'With an API token, needs the scope `person:view`.',
        security: [{ session: [] }, { bearer: [] }],
        params: Type.Object({ personId: Type.String({ format: 'uuid' }) }),
        response: { 200: Person, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const p = await services.people.view(actorOf(request), request.params.personId, requestContext(request));
      return {
        ...p,
        indicativeBudgetPence: p.indicativeBudgetPence === null ? null : Number(p.indicativeBudgetPence),
        currentPackagePence: p.currentPackagePence === null ? null : Number(p.currentPackagePence),
        budgetLines: p.budgetLines.map((l) => ({ ...l, annualPence: Number(l.annualPence) })),
      };
    },
  );

  registerCaseApi(parent, services);
  registerPlanApi(parent, services);
  registerReportApi(parent, services);
  registerSignOffApi(parent, services);
}
