import type { Actor } from '../../../domain/access/policy.ts';
import { RELATIONSHIP_LABELS } from '../../../domain/access/roles.ts';
import type { LinkedPerson } from '../../../db/repositories/person-access.ts';
import type { FamilyRelationship } from '../../../db/schema.ts';
import { ageOn, stageLabel } from '../../../domain/people/people.ts';
import { formatDate } from '../../format.ts';
import { paths } from '../../paths.ts';

/** The name of a family's or provider's list of people, for its page, the navigation and links back. */
export function myPeopleTitle(actor: Actor): string {
  return actor.kind === 'family' ? 'Your family’s records' : 'People you support';
}

export function myPeopleModel(actor: Actor, people: readonly LinkedPerson[], today: string) {
  const family = actor.kind === 'family';
  return {
    title: myPeopleTitle(actor),
    family,
    organisation: actor.kind === 'provider' ? actor.providerName : undefined,
    isfReturnsHref: actor.kind === 'provider' ? paths.isfReturns.quarters() : undefined,
    councilName: actor.councilName,
    people: people.map((p) => ({
      name: `${p.givenName} ${p.familyName}`,
      href: paths.people.show({ personId: p.id }),
      whoHasLookedHref: family ? paths.people.whoHasLooked({ personId: p.id }) : undefined,
      allocationHref: family ? paths.allocation.person({ personId: p.id }) : undefined,
      rows: [
        { key: { text: 'Date of birth' }, value: { text: `${formatDate(p.dateOfBirth)} (age ${ageOn(p.dateOfBirth, today)})` } },
        { key: { text: 'Reference' }, value: { text: p.reference } },
        { key: { text: 'Stage' }, value: { text: stageLabel(p.stage) } },
        family
          ? { key: { text: 'How you are linked' }, value: { text: relationshipText(p.connection) } }
          : { key: { text: 'Support you provide' }, value: { text: p.connection } },
      ],
    })),
  };
}

function relationshipText(connection: string): string {
  if (connection === 'young_person') return 'This is your own record';
  return (RELATIONSHIP_LABELS as Readonly<Record<string, string>>)[connection as FamilyRelationship] ?? connection;
}
