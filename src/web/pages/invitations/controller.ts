/**
 * Invitations: staff invite a family member from a person's record, administrators invite a
 * provider user, and the invitee accepts by the link in the email (docs/decisions/0007).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { InviteResult } from '../../../services/invitations.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import type { SessionCookieOptions } from '../sign-in/controller.ts';
import { THROTTLED_MESSAGE } from '../sign-in/presenters.ts';
import { validateCurrentPassword, validateFamilyInvite, validateNewAccount, validateProviderInvite, type FieldError } from './form.ts';
import { acceptModel, invitationGoneModel, invitationSentModel, inviteFamilyModel, inviteProviderModel } from './presenters.ts';

type PersonParams = { Params: { personId: string }; Body: Record<string, unknown> };
type TokenParams = { Params: { token: string }; Body: Record<string, unknown> };

const MAIL_FAILED: FieldError = { field: 'email', text: 'The invitation email could not be sent. Check the email address and try again' };

/** The session cookie after an accepted invitation: as signing in sets it. */
async function beginSession(request: FastifyRequest, reply: FastifyReply, services: Services, cookie: SessionCookieOptions, sessionToken: string) {
  // Whoever was signed in on this browser before is signed out first.
  if (request.actor !== undefined && request.sessionToken !== undefined) {
    await services.auth.signOut(request.sessionToken, request.actor, requestContext(request));
  }
  reply.setCookie(cookie.cookieName, sessionToken, { signed: true, httpOnly: true, sameSite: 'lax', secure: cookie.secure, path: '/' });
  reply.header('cache-control', 'no-store');
}

export function invitationPages(app: FastifyInstance, services: Services, cookie: SessionCookieOptions): void {
  /** The field error for an invitation that was not sent, or undefined when it was. */
  const notSent = (request: FastifyRequest, result: Exclude<InviteResult, { outcome: 'sent' }>): [number, FieldError] => {
    if (result.outcome === 'refused') return [400, { field: result.field, text: result.text }];
    request.log.error({ err: result.error }, 'the invitation email could not be sent');
    return [502, MAIL_FAILED];
  };

  // A family member, from a person's record.
  app.get<PersonParams>('/people/:personId/invite-family', { config: { access: 'person:invite-family', audit: 'person.family_access_viewed' } }, async (request, reply) => {
    const page = await services.invitations.familyInvitePage(actorOf(request), request.params.personId, requestContext(request));
    return reply.page('pages/invitations/invite-family.njk', inviteFamilyModel(page));
  });

  app.post<PersonParams>(
    '/people/:personId/invite-family',
    { config: { access: 'person:invite-family', audit: 'invitation.sent' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const { personId } = request.params;
      const form = validateFamilyInvite(request.body);
      const rerender = async (status: number, errors: readonly FieldError[]) => {
        const page = await services.invitations.familyInvitePage(actor, personId, requestContext(request));
        reply.code(status);
        return reply.page('pages/invitations/invite-family.njk', inviteFamilyModel(page, { values: form.values, errors }));
      };
      // Re-rendering reads the person first, so a person this actor may not invite for is refused whatever the form holds.
      if (form.errors.length > 0 || form.values.relationship === undefined) return rerender(400, form.errors);
      const result = await services.invitations.inviteFamily(
        actor,
        personId,
        { displayName: form.values.displayName, email: form.values.email, relationship: form.values.relationship },
        requestContext(request),
      );
      if (result.outcome !== 'sent') {
        const [status, error] = notSent(request, result);
        return rerender(status, [error]);
      }
      return reply.page(
        'pages/invitations/sent.njk',
        invitationSentModel({
          email: result.email,
          expiresAt: result.expiresAt,
          backHref: paths.people.show({ personId }),
          backText: 'Back to the person’s record',
          againHref: paths.invitations.inviteFamily({ personId }),
          againText: 'Invite someone else',
        }),
      );
    },
  );

  // A user of a provider organisation, by an administrator.
  app.get(paths.invitations.inviteProvider(), { config: { access: 'accounts:manage', audit: null } }, async (request, reply) => {
    const providers = await services.invitations.providerInvitePage(actorOf(request));
    return reply.page('pages/invitations/invite-provider.njk', inviteProviderModel(providers));
  });

  app.post<{ Body: Record<string, unknown> }>(
    paths.invitations.inviteProvider(),
    { config: { access: 'accounts:manage', audit: 'invitation.sent' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const form = validateProviderInvite(request.body);
      const rerender = async (status: number, errors: readonly FieldError[]) => {
        const providers = await services.invitations.providerInvitePage(actor);
        reply.code(status);
        return reply.page('pages/invitations/invite-provider.njk', inviteProviderModel(providers, { values: form.values, errors }));
      };
      if (form.errors.length > 0) return rerender(400, form.errors);
      const result = await services.invitations.inviteProvider(actor, form.values, requestContext(request));
      if (result.outcome !== 'sent') {
        const [status, error] = notSent(request, result);
        return rerender(status, [error]);
      }
      return reply.page(
        'pages/invitations/sent.njk',
        invitationSentModel({
          email: result.email,
          expiresAt: result.expiresAt,
          backHref: paths.accountAdmin.index(),
          backText: 'Back to accounts',
          againHref: paths.invitations.inviteProvider(),
          againText: 'Invite another provider user',
        }),
      );
    },
  );

  /** The page for a link that cannot be used: unknown (404), or used, expired or withdrawn (410). */
  const gone = (reply: FastifyReply, status: 404 | 410) => {
    reply.code(status).header('cache-control', 'no-store');
    return reply.page('pages/invitations/gone.njk', invitationGoneModel());
  };

  // Accepting, by the link in the email.
  app.get<TokenParams>('/invitations/:token', { config: { access: 'public', audit: null } }, async (request, reply) => {
    const { token } = request.params;
    const page = await services.invitations.acceptPage(token);
    if (page.state === 'unknown') return gone(reply, 404);
    if (page.state === 'gone') return gone(reply, 410);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    if (page.mode === 'refused') reply.code(409);
    return reply.page('pages/invitations/accept.njk', acceptModel(token, page.invitation, page));
  });

  app.post<TokenParams>('/invitations/:token', { config: { access: 'public', audit: 'invitation.accepted' } }, async (request, reply) => {
    const { token } = request.params;
    const page = await services.invitations.acceptPage(token);
    if (page.state === 'unknown') return gone(reply, 404);
    if (page.state === 'gone') return gone(reply, 410);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const rerender = (status: number, errors: readonly FieldError[], displayName?: string) => {
      reply.code(status);
      return reply.page('pages/invitations/accept.njk', acceptModel(token, page.invitation, page, { displayName, errors }));
    };
    if (page.mode === 'refused') return rerender(409, []);

    let displayName = page.invitation.displayName;
    let password: string;
    if (page.mode === 'new') {
      const form = validateNewAccount(request.body);
      if (form.errors.length > 0) return rerender(400, form.errors, form.displayName);
      ({ displayName, password } = form);
    } else {
      const form = validateCurrentPassword(request.body);
      if (form.errors.length > 0) return rerender(400, form.errors);
      password = form.password;
    }

    const result = await services.invitations.accept(token, { displayName, password }, requestContext(request));
    switch (result.outcome) {
      case 'unknown':
        return gone(reply, 404);
      case 'gone':
        return gone(reply, 410);
      case 'refused':
        return rerender(409, []);
      case 'password-not-allowed':
        return rerender(400, [{ field: 'password', text: result.text }], displayName);
      case 'wrong-password':
        return rerender(400, [{ field: 'password', text: 'The password is not correct. Enter the password of your OneBudget account' }]);
      case 'throttled':
        return rerender(429, [{ field: 'password', text: THROTTLED_MESSAGE }]);
      case 'signed-in':
        await beginSession(request, reply, services, cookie, result.sessionToken);
        return reply.redirect(paths.myPeople(), 303);
    }
  });
}
