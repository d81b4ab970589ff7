import type { FastifyInstance } from 'fastify';
import { actorLabel } from '../../../domain/access/roles.ts';
import { mayDo } from '../../../domain/access/policy.ts';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import type { SessionCookieOptions } from '../sign-in/controller.ts';

export function accountPages(app: FastifyInstance, services: Services, cookie: SessionCookieOptions): void {
  app.get(paths.account.show(), { config: { access: 'signed-in', audit: null } }, async (request, reply) => {
    const actor = actorOf(request);
    return reply.page('pages/account/show.njk', {
      title: 'Your account',
      rows: [
        { key: { text: 'Name' }, value: { text: actor.displayName } },
        { key: { text: actor.kind === 'staff' ? 'Role' : 'Account' }, value: { text: actorLabel(actor) } },
        { key: { text: 'Council' }, value: { text: actor.councilName } },
      ],
      signOutEverywhereAction: paths.account.signOutEverywhere(),
      changePasswordHref: paths.account.changePassword(),
      apiTokensHref: mayDo(actor, 'api-tokens:manage') ? paths.apiTokens.index() : undefined,
    });
  });

  app.post(
    paths.account.signOutEverywhere(),
    { config: { access: 'signed-in', audit: 'account.signed_out_everywhere' } },
    async (request, reply) => {
      await services.auth.signOutEverywhere(actorOf(request), requestContext(request));
      // A __Host- cookie is only replaced (here: expired) by one that is Secure too.
      reply.clearCookie(cookie.cookieName, { path: '/', secure: cookie.secure });
      return reply.redirect(paths.signIn({ signedOutEverywhere: true }), 303);
    },
  );
}
