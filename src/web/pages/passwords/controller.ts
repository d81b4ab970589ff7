/**
 * Passwords: "Forgotten your password?" sends a link by email (the same answer whatever the email),
 * the link sets a new one; "Change your password" on Your account takes the current one first.
 * Either way every session of the account ends, so the browser is sent to sign in again.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import type { SessionCookieOptions } from '../sign-in/controller.ts';
import { THROTTLED_MESSAGE } from '../sign-in/presenters.ts';
import { validateCurrentPassword, validateEmail, validateNewPassword, type FieldError } from '../invitations/form.ts';
import { changePasswordModel, resetGoneModel, resetModel, resetRequestModel, resetSentModel } from './presenters.ts';

type Body = { Body: Record<string, unknown> };
type TokenParams = { Params: { token: string }; Body: Record<string, unknown> };

export function passwordPages(app: FastifyInstance, services: Services, cookie: SessionCookieOptions): void {
  /** The session cookie goes: every session of the account has just ended. */
  const toSignIn = (reply: FastifyReply) => {
    // A __Host- cookie is only replaced (here: expired) by one that is Secure too.
    reply.clearCookie(cookie.cookieName, { path: '/', secure: cookie.secure });
    return reply.redirect(paths.signIn({ passwordChanged: true }), 303);
  };

  app.get(paths.passwordReset.request(), { config: { access: 'public', audit: null } }, async (_request, reply) =>
    reply.page('pages/passwords/reset-request.njk', resetRequestModel()),
  );

  app.post<Body>(
    paths.passwordReset.request(),
    { config: { access: 'public', audit: 'account.password_reset_requested' } },
    async (request, reply) => {
      const { email, errors } = validateEmail(request.body);
      if (errors.length > 0) {
        reply.code(400);
        return reply.page('pages/passwords/reset-request.njk', resetRequestModel({ email, errors }));
      }
      const deliver = await services.passwords.requestReset(email, requestContext(request));
      // Sent without making the answer wait for it, so that its time does not tell whether the email is known.
      if (deliver !== undefined) {
        deliver().catch((error: unknown) => request.log.error({ err: error }, 'the password reset email could not be sent'));
      }
      reply.header('cache-control', 'no-store');
      return reply.page('pages/passwords/reset-sent.njk', resetSentModel(email));
    },
  );

  const gone = (reply: FastifyReply, status: 404 | 410) => {
    reply.code(status).header('cache-control', 'no-store');
    return reply.page('pages/passwords/reset-gone.njk', resetGoneModel());
  };

  app.get<TokenParams>('/password-reset/:token', { config: { access: 'public', audit: null } }, async (request, reply) => {
    const state = await services.passwords.resetLinkState(request.params.token);
    if (state !== 'usable') return gone(reply, state === 'unknown' ? 404 : 410);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    return reply.page('pages/passwords/reset.njk', resetModel(request.params.token));
  });

  app.post<TokenParams>('/password-reset/:token', { config: { access: 'public', audit: 'account.password_reset' } }, async (request, reply) => {
    const { token } = request.params;
    const state = await services.passwords.resetLinkState(token);
    if (state !== 'usable') return gone(reply, state === 'unknown' ? 404 : 410);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const rerender = (status: number, errors: readonly FieldError[]) => {
      reply.code(status);
      return reply.page('pages/passwords/reset.njk', resetModel(token, errors));
    };
    const form = validateNewPassword(request.body, 'password', 'confirmPassword');
    if (form.errors.length > 0) return rerender(400, form.errors);
    const result = await services.passwords.reset(token, form.password, requestContext(request));
    if (result.outcome === 'gone') return gone(reply, 410);
    if (result.outcome === 'password-not-allowed') return rerender(400, [{ field: 'password', text: result.text }]);
    return toSignIn(reply);
  });

  app.get(paths.account.changePassword(), { config: { access: 'signed-in', audit: null } }, async (_request, reply) =>
    reply.page('pages/passwords/change.njk', changePasswordModel()),
  );

  app.post<Body>(paths.account.changePassword(), { config: { access: 'signed-in', audit: 'account.password_changed' } }, async (request, reply) => {
    const rerender = (status: number, errors: readonly FieldError[]) => {
      reply.code(status);
      return reply.page('pages/passwords/change.njk', changePasswordModel(errors));
    };
    const current = validateCurrentPassword(request.body, 'currentPassword');
    const next = validateNewPassword(request.body, 'password', 'confirmPassword');
    const errors = [...current.errors.map((e) => ({ ...e, text: 'Enter your current password' })), ...next.errors];
    if (errors.length > 0) return rerender(400, errors);
    const result = await services.passwords.change(actorOf(request), current.password, next.password, requestContext(request));
    switch (result.outcome) {
      case 'wrong-password':
        return rerender(400, [{ field: 'currentPassword', text: 'Your current password is not correct' }]);
      case 'throttled':
        return rerender(429, [{ field: 'currentPassword', text: THROTTLED_MESSAGE }]);
      case 'password-not-allowed':
        return rerender(400, [{ field: 'password', text: result.text }]);
      case 'done':
        return toSignIn(reply);
    }
  });
}
