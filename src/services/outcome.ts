/**
 * What a use case answers when input is refused: the errors by field path, for the page to show
 * beside each field (and the API as 422). One shape for every service that validates a form.
 */
import { mayDo, type Action, type Actor } from '../domain/access/policy.ts';
import { ForbiddenError } from './errors.ts';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type Outcome<T = undefined> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldError[] };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = <T>(errors: readonly FieldError[]): Outcome<T> => ({ ok: false, errors });

/** Refuses (403) an actor whose role may not do `action` at all, before anything is read. */
export function requireAction(actor: Actor, action: Action, why = 'Your role does not allow this'): void {
  if (!mayDo(actor, action)) throw new ForbiddenError(why);
}
