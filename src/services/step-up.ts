/** Enforcing step-up inside a use case's transaction (see src/domain/identity/step-up.ts). */
import type { Repositories } from '../db/repositories/index.ts';
import type { Actor } from '../domain/access/policy.ts';
import { isSteppedUp } from '../domain/identity/step-up.ts';
import { hashToken } from './auth.ts';
import type { RequestContext } from './context.ts';
import { StepUpRequiredError } from './errors.ts';

/** Throws StepUpRequiredError unless this request's session re-entered its second factor recently. */
export async function assertSteppedUp(repos: Repositories, actor: Actor, context: RequestContext, now: Date): Promise<void> {
  // Only a person signed in with a session can step up; an API token never can.
  if (actor.kind === 'client' || context.sessionToken === undefined) {
    throw new StepUpRequiredError('This action needs a person signed in with an authenticator app, not an API token');
  }
  const steppedUpAt = await repos.sessions.steppedUpAt(hashToken(context.sessionToken));
  if (steppedUpAt === undefined || !isSteppedUp(steppedUpAt, now)) throw new StepUpRequiredError();
}
