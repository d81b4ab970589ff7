/**
 * Step-up: a signed-in person re-enters a code from their authenticator app before a high-value
 * action, and goes back to the page they came from.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { STEP_UP_MINUTES } from '../../../domain/identity/step-up.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import { safeReturnTo, validateAuthenticatorCode, type FieldError } from '../sign-in/form.ts';
import { CODE_MESSAGES, demoBanner, THROTTLED_MESSAGE } from '../sign-in/presenters.ts';
import type { DemoCode } from '../../../services/auth.ts';

function model(returnTo: string | undefined, errors: readonly FieldError[], demo: DemoCode | undefined, noAuthenticator = false) {
  return {
    title: 'Confirm it’s you',
    action: paths.stepUp({ returnTo }),
    cancelHref: returnTo ?? paths.home(),
    minutes: STEP_UP_MINUTES,
    errors,
    noAuthenticator,
    demo: demoBanner(demo),
  };
}

export function stepUpPages(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: { returnTo?: string } }>(paths.stepUp(), { config: { access: 'signed-in', audit: null } }, async (request, reply) => {
    const actor = actorOf(request);
    const returnTo = safeReturnTo(request.query.returnTo);
    reply.header('cache-control', 'no-store');
    return reply.page('pages/step-up/step-up.njk', model(returnTo, [], await services.auth.stepUpDemoCode(actor)));
  });

  app.post<{ Querystring: { returnTo?: string }; Body: Record<string, unknown> }>(
    paths.stepUp(),
    { config: { access: 'signed-in', audit: 'account.stepped_up' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const returnTo = safeReturnTo(request.query.returnTo);
      const form = validateAuthenticatorCode(request.body, 'Enter the code from your authenticator app');
      const again = async (status: number, errors: readonly FieldError[], noAuthenticator = false) => {
        reply.code(status);
        return reply.page('pages/step-up/step-up.njk', model(returnTo, errors, await services.auth.stepUpDemoCode(actor), noAuthenticator));
      };
      if (form.errors.length > 0) return again(400, form.errors);
      const result = await services.auth.stepUp(actor, form.code, requestContext(request));
      switch (result.outcome) {
        case 'stepped-up':
          return reply.redirect(returnTo ?? paths.home(), 303);
        case 'throttled':
          return again(429, [{ field: 'code', text: THROTTLED_MESSAGE }]);
        case 'no-authenticator':
          return again(400, [], true);
        case 'refused': {
          const text = result.reason === 'reused' ? CODE_MESSAGES.reused : result.reason === 'format' ? CODE_MESSAGES.format : CODE_MESSAGES.wrong;
          return again(400, [{ field: 'code', text }]);
        }
      }
    },
  );
}
