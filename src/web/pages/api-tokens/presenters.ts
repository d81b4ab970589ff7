import type { ApiTokenRecord } from '../../../db/repositories/api-tokens.ts';
import { CLIENT_SCOPES, type ClientScope } from '../../../domain/access/policy.ts';
import { API_TOKEN_MAX_DAYS, API_TOKEN_SCOPE_LABELS, apiTokenStatus } from '../../../domain/identity/api-token.ts';
import type { IssuedToken } from '../../../services/api-tokens.ts';
import { escapeHtml, formatDayOf, formatWhen } from '../../format.ts';
import { paths } from '../../paths.ts';
import type { FieldError, IssueFormValues } from './form.ts';


export function scopeWords(scope: ClientScope): string {
  return API_TOKEN_SCOPE_LABELS[scope].text;
}

function scopesHtml(scopes: readonly ClientScope[]): string {
  return `<ul class="govuk-list">${scopes.map((s) => `<li>${escapeHtml(scopeWords(s))}</li>`).join('')}</ul>`;
}

function statusTag(token: ApiTokenRecord, now: Date): { text: string; classes: string } {
  switch (apiTokenStatus(token, now)) {
    case 'active':
      return { text: 'Active', classes: 'govuk-tag--green' };
    case 'expired':
      return { text: 'Expired', classes: 'govuk-tag--grey' };
    case 'revoked':
      return { text: 'Revoked', classes: 'govuk-tag--red' };
  }
}

export function listModel(tokens: readonly ApiTokenRecord[], now: Date, revokedId: string | undefined) {
  const revoked = revokedId === undefined ? undefined : tokens.find((t) => t.id === revokedId && t.revokedAt !== null);
  return {
    title: 'API tokens',
    newHref: paths.apiTokens.new(),
    revokedName: revoked?.name,
    rows: tokens.map((t) => {
      const tag = statusTag(t, now);
      const status =
        `<strong class="govuk-tag ${tag.classes}">${tag.text}</strong>` +
        (t.revokedAt === null ? '' : `<br><span class="govuk-body-s">${escapeHtml(formatDayOf(t.revokedAt))}${t.revokedByName ? ` by ${escapeHtml(t.revokedByName)}` : ''}</span>`);
      const active = apiTokenStatus(t, now) !== 'revoked';
      return [
        { text: t.name },
        { html: scopesHtml(t.scopes) },
        { html: `<code>${escapeHtml(t.prefix)}…</code>` },
        { text: `${formatDayOf(t.createdAt)}${t.createdByName ? ` by ${t.createdByName}` : ''}` },
        { text: formatDayOf(t.expiresAt) },
        { text: t.lastUsedAt === null ? 'Never' : formatWhen(t.lastUsedAt) },
        { html: status },
        {
          html: active
            ? `<a class="govuk-link" href="${escapeHtml(paths.apiTokens.revoke({ tokenId: t.id }))}">Revoke<span class="govuk-visually-hidden"> ${escapeHtml(t.name)}</span></a>`
            : '',
        },
      ];
    }),
  };
}

export function formModel(values: IssueFormValues, errors: readonly FieldError[]) {
  return {
    title: 'Issue an API token',
    action: paths.apiTokens.new(),
    backHref: paths.apiTokens.index(),
    values,
    errors,
    maxDays: API_TOKEN_MAX_DAYS,
    scopeItems: CLIENT_SCOPES.map((s) => ({
      value: s,
      text: API_TOKEN_SCOPE_LABELS[s].text,
      hint: { text: API_TOKEN_SCOPE_LABELS[s].hint },
      checked: values.scopes.includes(s),
    })),
  };
}

export function issuedModel(issued: IssuedToken) {
  const { record } = issued;
  return {
    title: 'API token issued',
    token: issued.token,
    listHref: paths.apiTokens.index(),
    rows: [
      { key: { text: 'Name' }, value: { text: record.name } },
      { key: { text: 'It may' }, value: { html: scopesHtml(record.scopes) } },
      { key: { text: 'Starts with' }, value: { html: `<code>${escapeHtml(record.prefix)}</code>` } },
      { key: { text: 'Expires' }, value: { text: formatWhen(record.expiresAt) } },
    ],
  };
}

export function revokeModel(token: ApiTokenRecord, now: Date) {
  const status = apiTokenStatus(token, now);
  return {
    title: 'Revoke an API token',
    name: token.name,
    action: paths.apiTokens.revoke({ tokenId: token.id }),
    backHref: paths.apiTokens.index(),
    alreadyRevoked: status === 'revoked',
    rows: [
      { key: { text: 'Name' }, value: { text: token.name } },
      { key: { text: 'It may' }, value: { html: scopesHtml(token.scopes) } },
      { key: { text: 'Starts with' }, value: { html: `<code>${escapeHtml(token.prefix)}</code>` } },
      { key: { text: 'Expires' }, value: { text: formatDayOf(token.expiresAt) } },
      { key: { text: 'Last used' }, value: { text: token.lastUsedAt === null ? 'Never' : formatWhen(token.lastUsedAt) } },
    ],
  };
}
