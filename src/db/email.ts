/**
 * Accounts and invitations are found by email without regard to case or surrounding spaces: the
 * unique index on accounts is on lower(email), and the domain's normaliseEmail says what counts.
 * For queries on one table with an `email` column.
 */
import { sql, type RawBuilder } from 'kysely';
import { normaliseEmail } from '../domain/identity/sign-in.ts';

export function emailMatches(email: string): RawBuilder<boolean> {
  return sql<boolean>`lower(email) = ${normaliseEmail(email)}`;
}
