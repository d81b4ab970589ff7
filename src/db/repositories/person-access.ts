/**
 * Who is connected to a person's record: the family accounts linked to them, the providers holding
 * their support, the workers named on a restricted record. The access policy reads these facts.
 */
import { sql, type CompiledQuery } from 'kysely';
import { reusableNamed } from '../reusable.ts';
import type { TenantTx } from '../tenancy.ts';
import type { FamilyRelationship, JourneyStage } from '../schema.ts';
import type { PersonAccessFacts } from '../../domain/access/policy.ts';

export interface LinkedPerson {
  readonly id: string;
  readonly reference: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly stage: JourneyStage;
  /** For a family account: how they are linked. For a provider: what support they hold. */
  readonly connection: string;
}

export interface FamilyLink {
  readonly accountId: string;
  readonly displayName: string;
  readonly email: string;
  readonly relationship: FamilyRelationship;
  readonly disabled: boolean;
}

export interface NamedWorker {
  readonly accountId: string;
  readonly displayName: string;
  readonly team: string | null;
}

function linkedPerson(
  row: { id: string; reference: string; given_name: string; family_name: string; date_of_birth: string; stage: JourneyStage },
  connection: string,
): LinkedPerson {
  return {
    id: row.id,
    reference: row.reference,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    stage: row.stage,
    connection,
  };
}

export interface FactsRow {
  readonly council_id: string;
  readonly restricted: boolean;
  readonly lead_worker_id: string | null;
  readonly named_worker_ids: string[];
  readonly family_account_ids: string[];
  readonly provider_ids: string[];
}

/** The facts of the person row aliased `alias`, as the columns of FactsRow (arrays as text[]: both drivers parse it). */
function factsColumnsSql(alias: string, today: unknown) {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql`${column('council_id')} AS council_id, ${column('restricted')} AS restricted, ${column('lead_worker_id')} AS lead_worker_id,
           ARRAY(SELECT n.account_id::text FROM named_workers n WHERE n.person_id = ${column('id')}) AS named_worker_ids,
           ARRAY(SELECT f.account_id::text FROM family_links f WHERE f.person_id = ${column('id')}) AS family_account_ids,
           ARRAY(SELECT s.provider_id::text FROM support_arrangements s
                  WHERE s.person_id = ${column('id')} AND s.starts_on <= ${today}::date AND (s.ends_on IS NULL OR s.ends_on >= ${today}::date)) AS provider_ids`;
}

/** The person and who is connected to them. */
export function factsSql(values: { readonly personId: unknown; readonly today: unknown }) {
  return sql<FactsRow>`SELECT ${factsColumnsSql('p', values.today)} FROM people p WHERE p.id = ${values.personId}::uuid`;
}

/**
 * The same facts for each person of a list, as one jsonb column of the query that reads the people
 * aliased `alias`: a list asks the policy about each row exactly as the person's own page does.
 */
export function factsColumnSql(alias: string, today: unknown) {
  return sql<FactsRow>`(SELECT to_jsonb(facts) FROM (SELECT ${factsColumnsSql(alias, today)}) facts)`;
}

/** The policy's facts from a row of `factsSql` (also read as part of a larger query, as the statement's). */
export function factsOf(row: FactsRow): PersonAccessFacts {
  return {
    councilId: row.council_id,
    restricted: row.restricted,
    leadWorkerId: row.lead_worker_id,
    namedWorkerIds: row.named_worker_ids,
    familyAccountIds: row.family_account_ids,
    providerIds: row.provider_ids,
  };
}

const FACTS_PLACEHOLDERS = { personId: '\u0000facts person', today: '\u0000facts today' } as const;
let factsQuery: ((values: { personId: string; today: string }) => CompiledQuery<FactsRow>) | undefined;

export function personAccessRepository(tx: TenantTx) {
  return {
    /**
     * The facts the policy needs about one person, or undefined when there is no such person: one
     * round trip (every page about a person asks this first), built once (src/db/reusable.ts).
     */
    async facts(personId: string, today: string): Promise<PersonAccessFacts | undefined> {
      factsQuery ??= reusableNamed(factsSql(FACTS_PLACEHOLDERS).compile(tx), FACTS_PLACEHOLDERS);
      const { rows } = await tx.executeQuery(factsQuery({ personId, today }));
      const person = rows[0];
      return person === undefined ? undefined : factsOf(person);
    },

    /** The people a family account is linked to. */
    async linkedToFamily(accountId: string): Promise<LinkedPerson[]> {
      const rows = await tx
        .selectFrom('family_links as l')
        .innerJoin('people as p', 'p.id', 'l.person_id')
        .select(['p.id', 'p.reference', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.stage', 'l.relationship'])
        .where('l.account_id', '=', accountId)
        .orderBy('p.date_of_birth')
        .execute();
      return rows.map((r) => linkedPerson(r, r.relationship));
    },

    /** The people whose support a provider currently holds. */
    async supportedBy(providerId: string, today: string): Promise<LinkedPerson[]> {
      const rows = await tx
        .selectFrom('support_arrangements as s')
        .innerJoin('people as p', 'p.id', 's.person_id')
        .select(['p.id', 'p.reference', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.stage', 's.description'])
        .where('s.provider_id', '=', providerId)
        .where('s.starts_on', '<=', today)
        .where((eb) => eb.or([eb('s.ends_on', 'is', null), eb('s.ends_on', '>=', today)]))
        .orderBy('p.family_name')
        .orderBy('p.given_name')
        .execute();
      return rows.map((r) => linkedPerson(r, r.description));
    },

    /** The family accounts linked to a person. */
    async familyOf(personId: string): Promise<FamilyLink[]> {
      const rows = await tx
        .selectFrom('family_links as l')
        .innerJoin('accounts as a', 'a.id', 'l.account_id')
        .select(['a.id', 'a.display_name', 'a.email', 'l.relationship', 'a.disabled_at'])
        .where('l.person_id', '=', personId)
        .orderBy('a.display_name')
        .execute();
      return rows.map((r) => ({
        accountId: r.id,
        displayName: r.display_name,
        email: r.email,
        relationship: r.relationship,
        disabled: r.disabled_at !== null,
      }));
    },

    /** Every provider arrangement for a person, current and past, newest first. */
    async providersOf(personId: string): Promise<{ name: string; description: string; startsOn: string; endsOn: string | null }[]> {
      const rows = await tx
        .selectFrom('support_arrangements as s')
        .innerJoin('providers as pr', 'pr.id', 's.provider_id')
        .select(['pr.name', 's.description', 's.starts_on', 's.ends_on'])
        .where('s.person_id', '=', personId)
        .orderBy('s.starts_on', 'desc')
        .execute();
      return rows.map((r) => ({ name: r.name, description: r.description, startsOn: r.starts_on, endsOn: r.ends_on }));
    },

    async link(link: { councilId: string; accountId: string; personId: string; relationship: FamilyRelationship; now: Date }): Promise<void> {
      await tx
        .insertInto('family_links')
        .values({
          council_id: link.councilId,
          account_id: link.accountId,
          person_id: link.personId,
          relationship: link.relationship,
          created_at: link.now,
        })
        .onConflict((oc) => oc.columns(['account_id', 'person_id']).doUpdateSet({ relationship: link.relationship }))
        .execute();
    },

    async namedWorkers(personId: string): Promise<NamedWorker[]> {
      const rows = await tx
        .selectFrom('named_workers as n')
        .innerJoin('accounts as a', 'a.id', 'n.account_id')
        .select(['a.id', 'a.display_name', 'a.team'])
        .where('n.person_id', '=', personId)
        .orderBy('a.display_name')
        .execute();
      return rows.map((r) => ({ accountId: r.id, displayName: r.display_name, team: r.team }));
    },

    async nameWorker(named: { councilId: string; personId: string; accountId: string; now: Date }): Promise<boolean> {
      const result = await tx
        .insertInto('named_workers')
        .values({ council_id: named.councilId, person_id: named.personId, account_id: named.accountId, added_at: named.now })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    async removeNamedWorker(personId: string, accountId: string): Promise<boolean> {
      const result = await tx.deleteFrom('named_workers').where('person_id', '=', personId).where('account_id', '=', accountId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
