import type { FastifyInstance } from 'fastify';
import { paths } from '../../paths.ts';

export function infoPages(app: FastifyInstance): void {
  app.get(paths.accessibility(), { config: { access: 'public', audit: null } }, async (_request, reply) =>
    reply.page('pages/info/accessibility.njk', { title: 'Accessibility statement' }),
  );
  app.get(paths.privacy(), { config: { access: 'public', audit: null } }, async (_request, reply) =>
    reply.page('pages/info/privacy.njk', { title: 'Privacy notice' }),
  );
}
