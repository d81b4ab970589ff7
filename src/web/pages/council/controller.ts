import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { allocationModel, councilModel, localOfferModel } from './presenters.ts';

export function councilPages(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { slug: string } }>(
    '/c/:slug',
    { config: { access: 'public', audit: null } },
    async (request, reply) => reply.page('pages/council/home.njk', councilModel(await services.councils.overview(request.params.slug))),
  );

  // The allocation model in force, for anyone: no personal data, so no audit event.
  app.get<{ Params: { slug: string } }>(
    '/c/:slug/allocation',
    { config: { access: 'public', audit: null } },
    async (request, reply) => reply.page('pages/council/allocation.njk', allocationModel(await services.allocation.published(request.params.slug))),
  );

  app.get<{ Params: { slug: string }; Querystring: { category?: string } }>(
    '/c/:slug/local-offer',
    { config: { access: 'public', audit: null } },
    async (request, reply) => {
      const all = await services.councils.localOffer(request.params.slug);
      const category = request.query.category;
      return reply.page('pages/council/local-offer.njk', localOfferModel(all.council, all.services, category));
    },
  );
}
