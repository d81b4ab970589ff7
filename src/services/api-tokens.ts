/**
 * API tokens for machine clients (docs/decisions/0008-api-tokens.md): administrators issue, list and
 * revoke them; the JSON API resolves a bearer token to a `client` actor.
 *
 * The whole token is returned once, by `issue`, and never stored: the database keeps the SHA-256 of
 * its secret. Issuing and revoking are audited (`api_token.issued`, `api_token.revoked`) with the
 * token's name, scopes and expiry, never its secret. What a token then reads is audited as any
 * read is, with the token as the actor (role `api_client`).
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { SystemRepository } from '../db/system.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import { knownScopes, type ApiTokenRecord } from '../db/repositories/api-tokens.ts';
import { CLIENT_SCOPES, mayDo, type Actor, type ClientActor, type ClientScope } from '../domain/access/policy.ts';
import {
  API_TOKEN_MAX_DAYS,
  API_TOKEN_NAME_MAX,
  apiTokenExpiry,
  apiTokenSecretHash,
  newApiToken,
  parseApiToken,
  shouldRecordUse,
  type RandomBytes,
} from '../domain/identity/api-token.ts';
import { isUuid } from '../domain/ids.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { assertSteppedUp } from './step-up.ts';

export interface IssueRequest {
  readonly name: string;
  readonly scopes: readonly ClientScope[];
  /** How many days the token lasts, 1 to 365. */
  readonly days: number;
}

export interface IssuedToken {
  /** The whole token: show it once, never store or log it. */
  readonly token: string;
  readonly record: ApiTokenRecord;
}

/** Why a bearer token was refused: for the log only, the client always hears "invalid_token". */
export type TokenRefusal = 'malformed' | 'unknown' | 'expired' | 'revoked';

export type TokenResolution = { readonly ok: true; readonly actor: ClientActor } | { readonly ok: false; readonly reason: TokenRefusal };

export function apiTokenServices(deps: { system: SystemRepository; withCouncil: WithCouncil; clock: Clock; randomBytes?: RandomBytes }) {
  const randomBytes = deps.randomBytes ?? ((size: number) => crypto.randomBytes(size));
  const allow = (actor: Actor) => {
    if (!mayDo(actor, 'api-tokens:manage')) throw new ForbiddenError('Only administrators can manage API tokens');
  };
  const notFound = (tokenId: string) => new NotFoundError(`No API token with id ${tokenId} in this council`);

  return {
    /** Every token of the actor's council, newest first, revoked and expired ones included. */
    async list(actor: Actor): Promise<ApiTokenRecord[]> {
      allow(actor);
      return deps.withCouncil(actor.councilId, (tx) => repositories(tx).apiTokens.list());
    },

    async find(actor: Actor, tokenId: string): Promise<ApiTokenRecord> {
      allow(actor);
      if (!isUuid(tokenId)) throw notFound(tokenId);
      const record = await deps.withCouncil(actor.councilId, (tx) => repositories(tx).apiTokens.find(tokenId));
      if (record === undefined) throw notFound(tokenId);
      return record;
    },

    /** Issues a token for the actor's council. The form checks the request first; this refuses anything out of bounds. */
    async issue(actor: Actor, request: IssueRequest, context: RequestContext): Promise<IssuedToken> {
      allow(actor);
      const name = request.name.trim();
      const scopes = knownScopes(request.scopes);
      if (name === '' || name.length > API_TOKEN_NAME_MAX) throw new Error('An API token needs a name of 1 to 100 characters');
      if (scopes.length === 0 || scopes.length !== new Set(request.scopes).size) throw new Error(`API token scopes must be some of ${CLIENT_SCOPES.join(', ')}`);
      if (!Number.isInteger(request.days) || request.days < 1 || request.days > API_TOKEN_MAX_DAYS) throw new Error('An API token lasts 1 to 365 days');
      const now = deps.clock.now();
      const expiresAt = apiTokenExpiry(now, request.days);
      const fresh = newApiToken(randomBytes);
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        // A token opens the council's records to a machine: a high-value action, so step-up first.
        await assertSteppedUp(repos, actor, context, now);
        await repos.apiTokens.create({
          id: fresh.id,
          councilId: actor.councilId,
          name,
          scopes,
          tokenHash: fresh.secretHash,
          prefix: fresh.prefix,
          createdBy: actor.accountId,
          createdAt: now,
          expiresAt,
        });
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'api_token.issued',
          subjectType: 'api_token',
          subjectId: fresh.id,
          detail: { name, scopes, expiresAt: expiresAt.toISOString(), prefix: fresh.prefix },
        });
        const record = await repos.apiTokens.find(fresh.id);
        if (record === undefined) throw new Error('an API token just issued cannot be found');
        return { token: fresh.token, record };
      });
    },

    /** Revokes a token: it stops working at once. Revoking one already revoked changes nothing. */
    async revoke(actor: Actor, tokenId: string, context: RequestContext): Promise<{ record: ApiTokenRecord; alreadyRevoked: boolean }> {
      allow(actor);
      if (!isUuid(tokenId)) throw notFound(tokenId);
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const before = await repos.apiTokens.find(tokenId);
        if (before === undefined) throw notFound(tokenId);
        const now = deps.clock.now();
        const revoked = await repos.apiTokens.revoke(tokenId, actor.accountId, now);
        if (revoked) {
          await repos.audit.record({
            ...auditedBy(actor, context, now),
            action: 'api_token.revoked',
            subjectType: 'api_token',
            subjectId: tokenId,
            detail: { name: before.name, scopes: before.scopes, expiresAt: before.expiresAt.toISOString(), prefix: before.prefix },
          });
        }
        const record = await repos.apiTokens.find(tokenId);
        if (record === undefined) throw notFound(tokenId);
        return { record, alreadyRevoked: !revoked };
      });
    },

    /**
     * The client actor a bearer token speaks for, or why it is refused. Looks the token up by the
     * hash of its secret (no secret is ever compared), checks that the id in the token is that
     * row's, that it is neither revoked nor expired, and records its use at most once a minute.
     */
    async resolve(token: string): Promise<TokenResolution> {
      const parsed = parseApiToken(token);
      if (parsed === undefined) return { ok: false, reason: 'malformed' };
      const found = await deps.system.findApiToken(apiTokenSecretHash(parsed.secret));
      if (found === undefined || found.tokenId !== parsed.id) return { ok: false, reason: 'unknown' };
      if (found.revokedAt !== null) return { ok: false, reason: 'revoked' };
      const now = deps.clock.now();
      if (found.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
      if (shouldRecordUse(found.lastUsedAt, now)) {
        await deps.withCouncil(found.councilId, (tx) => repositories(tx).apiTokens.recordUse(found.tokenId, now));
      }
      return {
        ok: true,
        actor: {
          kind: 'client',
          accountId: found.tokenId,
          displayName: found.name,
          councilId: found.councilId,
          councilSlug: found.councilSlug,
          councilName: found.councilName,
          scopes: knownScopes(found.scopes),
        },
      };
    },
  };
}

export type ApiTokenServices = ReturnType<typeof apiTokenServices>;
