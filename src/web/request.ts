/** What routes take from a request to hand to the services. */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../domain/access/policy.ts';
import type { RequestContext } from '../services/context.ts';

export function requestContext(request: FastifyRequest): RequestContext {
  return { requestId: String(request.id), sourceAddress: request.ip, sessionToken: request.sessionToken };
}

/** The signed-in actor of a route whose access the preHandler has already checked. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === undefined) throw new Error(`${request.routeOptions.url ?? request.url} needs a signed-in actor but has none`);
  return request.actor;
}
