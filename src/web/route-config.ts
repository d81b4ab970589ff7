/**
 * Every route declares who may call it and which audit event it writes, in its Fastify `config`.
 * `buildApp` refuses to start if a route forgets (see the onRoute hook in app.ts).
 */
import type { Action } from '../domain/access/policy.ts';

export type RouteAccess = 'public' | 'signed-in' | Action;

export interface RouteDeclaration {
  readonly access: RouteAccess;
  /** The audit event the route's service writes, or null when it neither reads a person nor changes anything. */
  readonly audit: string | null;
}

declare module 'fastify' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- augmenting Fastify's own interface
  interface FastifyContextConfig extends Partial<RouteDeclaration> {}
}
