/**
 * Administrators look after their council's accounts: find one, disable or re-enable it, and reset
 * a colleague's authenticator app when a phone is lost. Disabling an account or resetting its app
 * ends all its sessions at once; both are high-value actions that need a fresh second factor
 * (step-up) and a reason, which the audit log keeps.
 */
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import type { AccountFilter, AccountListing } from '../db/repositories/accounts.ts';
import { mayDo, type Actor } from '../domain/access/policy.ts';
import { isUuid } from '../domain/ids.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { pageWindow } from './paging.ts';
import { assertSteppedUp } from './step-up.ts';

export interface AccountPage {
  readonly accounts: readonly AccountListing[];
  readonly total: number;
  readonly page: number;
  readonly pageCount: number;
}

export interface AccountDetail {
  readonly account: AccountListing;
  readonly isSelf: boolean;
}

export type AccountChange = 'disable' | 'enable' | 'reset-authenticator';

export function accountAdminServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  const allowed = (actor: Actor) => {
    if (!mayDo(actor, 'accounts:manage')) throw new ForbiddenError('Only administrators manage accounts');
  };

  return {
    async list(actor: Actor, filter: AccountFilter, page: number, pageSize: number): Promise<AccountPage> {
      allowed(actor);
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const first = await repos.accounts.list(filter, { offset: (page - 1) * pageSize, limit: pageSize });
        const shown = pageWindow(page, first.total, pageSize);
        if (shown.page === page) return { ...first, page, pageCount: shown.pageCount };
        const last = await repos.accounts.list(filter, { offset: shown.offset, limit: pageSize });
        return { ...last, page: shown.page, pageCount: shown.pageCount };
      });
    },

    async show(actor: Actor, accountId: string): Promise<AccountDetail> {
      allowed(actor);
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const listing = isUuid(accountId) ? await repos.accounts.listing(accountId) : undefined;
        if (listing === undefined) throw new NotFoundError(`No account with id ${accountId} in this council`);
        return { account: listing, isSelf: listing.id === actor.accountId };
      });
    },

    /**
     * Disables or re-enables an account, or resets its authenticator app. Needs step-up and a
     * reason. Disabling and resetting end every session of the account and any sign-in half done.
     * An administrator cannot disable or reset their own account (another administrator must).
     */
    async change(actor: Actor, accountId: string, change: AccountChange, reason: string, context: RequestContext): Promise<{ sessionsEnded: number }> {
      allowed(actor);
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const now = deps.clock.now();
        const account = isUuid(accountId) ? await repos.accounts.findById(accountId) : undefined;
        if (account === undefined) throw new NotFoundError(`No account with id ${accountId} in this council`);
        if (account.id === actor.accountId) throw new ForbiddenError('Ask another administrator to change your own account');
        await assertSteppedUp(repos, actor, context, now);
        let sessionsEnded = 0;
        const before = { disabled: account.disabledAt !== null, hasAuthenticator: (await repos.mfa.find(account.id)) !== undefined };
        if (change === 'enable') {
          await repos.accounts.setDisabled(account.id, null);
        } else {
          if (change === 'disable') await repos.accounts.setDisabled(account.id, now);
          else await repos.mfa.remove(account.id);
          sessionsEnded = await repos.sessions.removeAllFor(account.id);
          await repos.pendingSignIns.removeAllFor(account.id);
        }
        const after = change === 'reset-authenticator' ? { ...before, hasAuthenticator: false } : { ...before, disabled: change === 'disable' };
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: change === 'disable' ? 'account.disabled' : change === 'enable' ? 'account.enabled' : 'account.mfa_reset',
          subjectType: 'account',
          subjectId: account.id,
          reason,
          detail: { before, after, sessionsEnded },
        });
        return { sessionsEnded };
      });
    },
  };
}
