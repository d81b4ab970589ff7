/** Administrators' account pages: find an account; disable, re-enable or reset its authenticator app. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { AccountChange } from '../../../services/account-admin.ts';
import type { AccountKind } from '../../../db/schema.ts';
import { paths } from '../../paths.ts';
import { readReason } from '../../forms/reason.ts';
import { parsePage } from '../../forms/page-number.ts';
import { actorOf, requestContext } from '../../request.ts';
import { accountListModel, accountModel, type FieldError } from './presenters.ts';

const PAGE_SIZE = 50;
const KINDS: readonly AccountKind[] = ['staff', 'family', 'provider'];
const CHANGES: readonly AccountChange[] = ['disable', 'enable', 'reset-authenticator'];


export function accountAdminPages(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.accountAdmin.index(),
    { config: { access: 'accounts:manage', audit: null } },
    async (request, reply) => {
      const q = (request.query.q ?? '').trim().slice(0, 100);
      const kind = KINDS.find((k) => k === request.query.kind);
      const page = await services.accountAdmin.list(actorOf(request), { text: q, kind }, parsePage(request.query.page), PAGE_SIZE);
      return reply.page('pages/account-admin/index.njk', accountListModel(page, { q, kind: kind ?? '' }));
    },
  );

  app.get<{ Params: { accountId: string }; Querystring: { done?: string } }>(
    '/accounts/:accountId',
    { config: { access: 'accounts:manage', audit: null } },
    async (request, reply) => {
      const actor = actorOf(request);
      const detail = await services.accountAdmin.show(actor, request.params.accountId);
      const steppedUp = await services.auth.isSteppedUp(actor, requestContext(request));
      const done = CHANGES.find((c) => c === request.query.done);
      return reply.page('pages/account-admin/show.njk', accountModel(detail, { steppedUp, done, errors: [] }));
    },
  );

  for (const change of CHANGES) {
    app.post<{ Params: { accountId: string }; Body: Record<string, unknown> }>(
      `/accounts/:accountId/${change}`,
      {
        config: {
          access: 'accounts:manage',
          audit: change === 'disable' ? 'account.disabled' : change === 'enable' ? 'account.enabled' : 'account.mfa_reset',
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const { reason, error } = readReason(request.body.reason, `${change}-reason`, 'Enter the reason for this change');
        const errors: FieldError[] = error === undefined ? [] : [error];
        if (errors.length > 0) {
          const detail = await services.accountAdmin.show(actor, request.params.accountId);
          const steppedUp = await services.auth.isSteppedUp(actor, requestContext(request));
          reply.code(400);
          return reply.page('pages/account-admin/show.njk', accountModel(detail, { steppedUp, errors }));
        }
        await services.accountAdmin.change(actor, request.params.accountId, change, reason, requestContext(request));
        return reply.redirect(`${paths.accountAdmin.show({ accountId: request.params.accountId })}?done=${change}`, 303);
      },
    );
  }
}
