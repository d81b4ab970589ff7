import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { mayDo } from '../../../domain/access/policy.ts';
import { requestContext } from '../../request.ts';
import { validateSignIn, safeReturnTo } from './form.ts';

export interface SessionCookieOptions {
  readonly cookieName: string;
  readonly secure: boolean;
}

export function signInPages(app: FastifyInstance, services: Services, cookie: SessionCookieOptions): void {
  app.get<{ Querystring: { returnTo?: string } }>(
    paths.signIn(),
    { config: { access: 'public', audit: null } },
    async (request, reply) =>
      reply.page('pages/sign-in/sign-in.njk', {
        title: 'Sign in',
        values: {},
        errors: [],
        returnTo: safeReturnTo(request.query.returnTo),
      }),
  );

  app.post<{ Body: Record<string, unknown> }>(
    paths.signIn(),
    { config: { access: 'public', audit: 'staff.signed_in' } },
    async (request, reply) => {
      const form = validateSignIn(request.body);
      const returnTo = safeReturnTo(typeof request.body.returnTo === 'string' ? request.body.returnTo : undefined);
      const rerender = (errors: readonly { field: string; text: string }[]) => {
        reply.code(400);
        return reply.page('pages/sign-in/sign-in.njk', { title: 'Sign in', values: { email: form.email }, errors, returnTo });
      };
      if (form.errors.length > 0) return rerender(form.errors);
      const token = await services.auth.signIn(form.email, form.password, requestContext(request));
      if (token === undefined) {
        return rerender([{ field: 'email', text: 'Enter a correct email address and password' }]);
      }
      reply.setCookie(cookie.cookieName, token, {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        secure: cookie.secure,
        path: '/',
      });
      const actor = await services.auth.resolve(token);
      // Straight to their work: the caseload for those who hold one, otherwise the home page.
      const landing = actor !== undefined && mayDo(actor, 'people:list') ? paths.people.index() : paths.home();
      return reply.redirect(returnTo ?? landing, 303);
    },
  );

  app.post(paths.signOut(), { config: { access: 'signed-in', audit: 'staff.signed_out' } }, async (request, reply) => {
    if (request.actor !== undefined && request.sessionToken !== undefined) {
      await services.auth.signOut(request.sessionToken, request.actor, requestContext(request));
    }
    reply.clearCookie(cookie.cookieName, { path: '/' });
    return reply.redirect(paths.home(), 303);
  });
}
