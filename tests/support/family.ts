/** Family and provider accounts in a fixture council, and the links that decide what they see. */
import crypto from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import type { FamilyRelationship } from '../../src/db/schema.ts';

export async function addFamilyAccount(
  database: Database,
  councilId: string,
  options: { email: string; passwordHash: string; links: readonly { personId: string; relationship: FamilyRelationship }[] },
): Promise<string> {
  const accountId = crypto.randomUUID();
  await database.db
    .insertInto('accounts')
    .values({ id: accountId, council_id: councilId, kind: 'family', email: options.email, display_name: `Family ${options.email}`, password_hash: options.passwordHash })
    .execute();
  for (const link of options.links) {
    await database.db
      .insertInto('family_links')
      .values({ council_id: councilId, account_id: accountId, person_id: link.personId, relationship: link.relationship, created_at: new Date('2026-01-05T09:00:00Z') })
      .execute();
  }
  return accountId;
}

/** A provider organisation with one user, holding the support of the people given. */
export async function addProviderUser(
  database: Database,
  councilId: string,
  options: { email: string; passwordHash: string; supports: readonly string[]; providerName?: string },
): Promise<{ accountId: string; providerId: string }> {
  const providerId = crypto.randomUUID();
  const accountId = crypto.randomUUID();
  await database.db
    .insertInto('providers')
    .values({
      id: providerId,
      council_id: councilId,
      name: options.providerName ?? `Provider ${options.email}`,
      kind: 'care_agency',
      email: 'office@provider.test',
      phone: '01234 567890',
      town: 'Northam',
    })
    .execute();
  await database.db
    .insertInto('accounts')
    .values({
      id: accountId,
      council_id: councilId,
      kind: 'provider',
      email: options.email,
      display_name: `Provider user ${options.email}`,
      provider_id: providerId,
      password_hash: options.passwordHash,
    })
    .execute();
  for (const personId of options.supports) {
    await database.db
      .insertInto('support_arrangements')
      .values({ council_id: councilId, person_id: personId, provider_id: providerId, description: 'Personal assistant support', starts_on: '2026-01-01', ends_on: null })
      .execute();
  }
  return { accountId, providerId };
}
