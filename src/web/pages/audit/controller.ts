import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { actorOf, requestContext } from '../../request.ts';
import { readAuditSearch } from './form.ts';
import { auditCsv, auditPageModel } from './presenters.ts';

const PAGE_SIZE = 50;

export function auditPages(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: Record<string, unknown> }>(
    '/audit',
    { config: { access: 'audit:search', audit: null } },
    async (request, reply) => {
      const form = readAuditSearch(request.query);
      if (form.errors.length > 0) {
        reply.code(400);
        return reply.page('pages/audit/index.njk', auditPageModel(form, undefined));
      }
      const result = await services.audit.search(actorOf(request), form.filter, form.page, PAGE_SIZE);
      return reply.page('pages/audit/index.njk', auditPageModel(form, result));
    },
  );

  app.get<{ Querystring: Record<string, unknown> }>(
    '/audit/export.csv',
    { config: { access: 'audit:search', audit: 'audit.exported' } },
    async (request, reply) => {
      const form = readAuditSearch(request.query);
      if (form.errors.length > 0) {
        reply.code(400);
        return reply.page('pages/audit/index.njk', auditPageModel(form, undefined));
      }
      const { entries } = await services.audit.export(actorOf(request), form.filter, requestContext(request));
      const day = services.clock.today();
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="onebudget-audit-${actorOf(request).councilSlug}-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(auditCsv(entries));
    },
  );
}
