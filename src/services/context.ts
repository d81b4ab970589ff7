import { auditRole, type Actor } from '../domain/access/policy.ts';

/** What a use case knows about the request that asked for it: for the audit log. */
export interface RequestContext {
  readonly requestId: string;
  readonly sourceAddress: string;
  /** The session the request came with, if any: step-up is proven per session. */
  readonly sessionToken?: string | undefined;
}

/** The who, when and from where of an audit event recorded for a signed-in actor. */
export function auditedBy(actor: Actor, context: RequestContext, occurredAt: Date) {
  return {
    councilId: actor.councilId,
    occurredAt,
    actorId: actor.accountId,
    actorRole: auditRole(actor),
    sourceAddress: context.sourceAddress,
    requestId: context.requestId,
  };
}
