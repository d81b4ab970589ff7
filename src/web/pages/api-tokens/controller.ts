/**
 * Administrators issue, list and revoke API tokens for machine clients
 * (docs/decisions/0008-api-tokens.md). A new token is shown once, on the answer to the form, and
 * never again: nothing keeps it but the administrator's copy.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUuid } from '../../../domain/ids.ts';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import { EMPTY_ISSUE_FORM, readIssueForm } from './form.ts';
import { formModel, issuedModel, listModel, revokeModel } from './presenters.ts';

type TokenParams = { Params: { tokenId: string } };

/** The token id in the address; anything that is not an id is a bad request. */
function tokenIdOf(request: FastifyRequest<TokenParams>): string {
  const { tokenId } = request.params;
  if (!isUuid(tokenId)) throw Object.assign(new Error('This address does not name an API token.'), { statusCode: 400 });
  return tokenId;
}

export function apiTokenPages(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: Record<string, unknown> }>(
    '/api-tokens',
    { config: { access: 'api-tokens:manage', audit: null } },
    async (request, reply) => {
      const tokens = await services.apiTokens.list(actorOf(request));
      const revoked = typeof request.query.revoked === 'string' && isUuid(request.query.revoked) ? request.query.revoked : undefined;
      return reply.page('pages/api-tokens/index.njk', listModel(tokens, services.clock.now(), revoked));
    },
  );

  // Issuing a token needs step-up: confirm it is you before the form, so that nothing typed is lost.
  app.get('/api-tokens/new', { config: { access: 'api-tokens:manage', audit: null } }, async (request, reply) => {
    if (!(await services.auth.isSteppedUp(actorOf(request), requestContext(request)))) {
      return reply.redirect(paths.stepUp({ returnTo: request.url }), 303);
    }
    return reply.page('pages/api-tokens/new.njk', formModel(EMPTY_ISSUE_FORM, []));
  });

  app.post<{ Body: Record<string, unknown> }>(
    '/api-tokens/new',
    { config: { access: 'api-tokens:manage', audit: 'api_token.issued' } },
    async (request, reply) => {
      const form = readIssueForm(request.body ?? {});
      if (!form.ok) {
        reply.code(400);
        return reply.page('pages/api-tokens/new.njk', formModel(form.values, form.errors));
      }
      const issued = await services.apiTokens.issue(actorOf(request), form.request, requestContext(request));
      // The only time the token is ever shown: no cache may keep the page.
      reply.header('cache-control', 'no-store');
      return reply.page('pages/api-tokens/issued.njk', issuedModel(issued));
    },
  );

  app.get<TokenParams>(
    '/api-tokens/:tokenId/revoke',
    { config: { access: 'api-tokens:manage', audit: null } },
    async (request, reply) => {
      const token = await services.apiTokens.find(actorOf(request), tokenIdOf(request));
      return reply.page('pages/api-tokens/revoke.njk', revokeModel(token, services.clock.now()));
    },
  );

  app.post<TokenParams>(
    '/api-tokens/:tokenId/revoke',
    { config: { access: 'api-tokens:manage', audit: 'api_token.revoked' } },
    async (request, reply) => {
      const { record } = await services.apiTokens.revoke(actorOf(request), tokenIdOf(request), requestContext(request));
      return reply.redirect(paths.apiTokens.index({ revoked: record.id }), 303);
    },
  );
}
