import type { AccountDetail, AccountPage, AccountChange } from '../../../services/account-admin.ts';
import type { AccountListing } from '../../../db/repositories/accounts.ts';
import { roleLabel } from '../../../domain/access/roles.ts';
import { paths } from '../../paths.ts';
import { paginationOf } from '../../pagination.ts';
import { escapeHtml } from '../../format.ts';

export interface FieldError {
  readonly field: string;
  readonly text: string;
}

function kindText(a: { kind: string; role: string | null; providerName?: string | null }): string {
  if (a.kind === 'staff') return a.role === null ? 'Staff' : roleLabel(a.role);
  if (a.kind === 'provider') return a.providerName ? `Provider (${a.providerName})` : 'Provider';
  return 'Family member';
}

const status = (a: { disabledAt: Date | null }) => (a.disabledAt === null ? { text: 'Active', classes: 'govuk-tag--green' } : { text: 'Disabled', classes: 'govuk-tag--grey' });

export function accountListModel(page: AccountPage, filters: { q: string; kind: string }) {
  return {
    title: 'Accounts',
    filters,
    inviteProviderHref: paths.invitations.inviteProvider(),
    kindItems: [
      { value: '', text: 'All accounts', selected: filters.kind === '' },
      { value: 'staff', text: 'Staff', selected: filters.kind === 'staff' },
      { value: 'family', text: 'Family members', selected: filters.kind === 'family' },
      { value: 'provider', text: 'Providers', selected: filters.kind === 'provider' },
    ],
    resultText: `${page.total} ${page.total === 1 ? 'account' : 'accounts'}`,
    rows: page.accounts.map((a: AccountListing) => [
      { html: `<a class="govuk-link" href="${paths.accountAdmin.show({ accountId: a.id })}">${escapeHtml(a.displayName)}</a>` },
      { text: a.email },
      { text: kindText(a) },
      { text: a.kind === 'staff' ? (a.hasAuthenticator ? 'Set up' : 'Not set up') : a.hasAuthenticator ? 'Set up' : 'Not used' },
      { html: `<strong class="govuk-tag ${status(a).classes}">${status(a).text}</strong>` },
    ]),
    pagination: paginationOf(page.page, page.pageCount, (n) => paths.accountAdmin.index({ ...filters, page: n })),
  };
}

const DONE: Readonly<Record<AccountChange, string>> = {
  disable: 'The account is disabled and every session it had has ended.',
  enable: 'The account is active again. They can sign in with their password.',
  'reset-authenticator': 'The authenticator app is reset and every session has ended. They will set up a new app the next time they sign in.',
};

export function accountModel(detail: AccountDetail, state: { steppedUp: boolean; done?: AccountChange | undefined; errors: readonly FieldError[] }) {
  const a = detail.account;
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  const action = (change: AccountChange) => paths.accountAdmin.change({ accountId: a.id, change });
  return {
    title: a.displayName,
    name: a.displayName,
    rows: [
      row('Email', a.email),
      row('Account', kindText(a)),
      ...(a.kind === 'staff' ? [row('Job title', a.jobTitle ?? ''), row('Team', a.team ?? '')] : []),
      row('Status', a.disabledAt === null ? 'Active' : 'Disabled'),
      row('Authenticator app', a.hasAuthenticator ? 'Set up' : 'Not set up'),
      row('Signed in now', a.sessions === 0 ? 'No' : `Yes, on ${a.sessions} ${a.sessions === 1 ? 'device' : 'devices'}`),
    ],
    isSelf: detail.isSelf,
    steppedUp: state.steppedUp,
    stepUpHref: paths.stepUp({ returnTo: paths.accountAdmin.show({ accountId: a.id }) }),
    done: state.done && DONE[state.done],
    errors: state.errors,
    disabled: a.disabledAt !== null,
    canReset: a.hasAuthenticator,
    disableAction: action('disable'),
    enableAction: action('enable'),
    resetAction: action('reset-authenticator'),
    backHref: paths.accountAdmin.index(),
  };
}
