/**
 * Bearer tokens on the JSON API (RFC 6750; docs/decisions/0008-api-tokens.md). Only requests under
 * /api/v1 read the Authorization header: pages never accept a token, only the session cookie.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_SCOPES } from '../domain/access/policy.ts';
import type { TokenRefusal } from '../services/api-tokens.ts';
import { sendProblem } from './problem.ts';

const REALM = 'OneBudget API';

/** The `bearer` security scheme of the OpenAPI document. */
export const API_TOKEN_SCHEME_DESCRIPTION =
  'An API token an administrator issued at /api-tokens, sent as `Authorization: Bearer obt_…`. A token may do only what its ' +
  `scopes allow (${CLIENT_SCOPES.join(', ')}) in the council that issued it, and never reads a restricted record. An unknown, ` +
  'expired or revoked token gets 401 with `WWW-Authenticate: Bearer error="invalid_token"`; a route outside its scopes gets 403.';

/**
 * The token of an `Authorization: Bearer <token>` header (the scheme in any letter case), or
 * undefined when there is no such header. A Bearer header with nothing usable after it gives the
 * empty string, which no token matches, so it is refused rather than ignored.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bearer(?:\s+(.*))?$/i.exec(header);
  if (match === null) return undefined;
  return (match[1] ?? '').trim();
}

/** 401 with the challenge a client needs: no credentials at all (no `error`), or a bad token. */
export function sendUnauthorised(request: FastifyRequest, reply: FastifyReply, detail: string, error?: 'invalid_token'): FastifyReply {
  reply.header('www-authenticate', error === undefined ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="${error}"`);
  return sendProblem(request, reply, 401, detail);
}

/** 401 for a bearer token that is malformed, unknown, expired or revoked: the client is told no more than that. */
export function refuseToken(request: FastifyRequest, reply: FastifyReply, reason: TokenRefusal): FastifyReply {
  request.log.info({ reason }, 'API token refused');
  return sendUnauthorised(request, reply, 'The API token is not valid: it is unknown, has expired or has been revoked.', 'invalid_token');
}

/** 403 for a token whose scopes do not cover the route's action (or a route only people may use). */
export function refuseScope(request: FastifyRequest, reply: FastifyReply, access: string): FastifyReply {
  const scope = (CLIENT_SCOPES as readonly string[]).includes(access) ? access : undefined;
  reply.header('www-authenticate', `Bearer realm="${REALM}", error="insufficient_scope"${scope === undefined ? '' : `, scope="${scope}"`}`);
  return sendProblem(
    request,
    reply,
    403,
    scope === undefined ? 'API tokens cannot be used here: this endpoint is for people who sign in.' : `This API token may not do this: it needs the scope ${scope}.`,
  );
}
