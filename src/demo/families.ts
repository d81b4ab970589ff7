/**
 * Demo family and provider accounts: in each council, a parent carer of two siblings, a young
 * person over 16 with their own account, a nominee who manages an adult's direct payment, and a
 * manager at the care agency that holds individual service funds. All sign in with DEMO_PASSWORD
 * and, like most families, have no authenticator app. Chosen deterministically from the generated
 * people (by reference), so the README can describe what each sees.
 */
import { randomUUID } from 'node:crypto';
import type { FamilyLinksTable, FamilyRelationship, SupportArrangementsTable } from '../db/schema.ts';
import { ageOn } from '../domain/people/people.ts';
import type { DemoCouncilSlug } from './accounts.ts';
import type { GeneratedCouncil, PersonRow } from './generate.ts';

export interface FamilyOrProviderRow {
  readonly id: string;
  readonly council_id: string;
  readonly kind: 'family' | 'provider';
  readonly email: string;
  readonly display_name: string;
  readonly provider_id: string | null;
}

export interface DemoAccessHistory {
  readonly accountId: string;
  readonly role: string;
  readonly personId: string;
  readonly occurredAt: Date;
}

export interface DemoFamiliesAndProviders {
  readonly accounts: FamilyOrProviderRow[];
  readonly links: Omit<FamilyLinksTable, 'created_at'>[];
  readonly arrangements: SupportArrangementsTable[];
  /** Earlier looks at the parent's first child's record, so "Who has looked" has a history. */
  readonly history: DemoAccessHistory[];
}

/** The documented demo family and provider accounts, for the README and the tests. */
export const DEMO_FAMILY_ACCOUNTS: Readonly<Record<DemoCouncilSlug, { parent: string; youngPerson: string; nominee: string; provider: string }>> = {
  northam: { parent: 'parent@northam.example', youngPerson: 'youngperson@northam.example', nominee: 'nominee@northam.example', provider: 'manager@brightpathcare.example' },
  southby: { parent: 'parent@southby.example', youngPerson: 'youngperson@southby.example', nominee: 'nominee@southby.example', provider: 'manager@coastlinecare.example' },
};

const NAMES: Readonly<Record<DemoCouncilSlug, { parent: string; nominee: string; provider: string }>> = {
  northam: { parent: 'Sarah', nominee: 'David', provider: 'Lorna Patel' },
  southby: { parent: 'Michelle', nominee: 'Graham', provider: 'Craig Dobson' },
};

const DAY_MS = 86_400_000;

/**
 * Picks the demo families' people, makes the parent's two children siblings (same family name and
 * postcode), links the accounts, and gives the care agency the people whose individual service
 * fund it holds. Changes `generated.people` in place for the siblings.
 */
export function demoFamiliesAndProviders(generated: GeneratedCouncil, slug: DemoCouncilSlug, today: string): DemoFamiliesAndProviders {
  const councilId = generated.council.id;
  const emails = DEMO_FAMILY_ACCOUNTS[slug];
  const names = NAMES[slug];
  const people = [...generated.people].sort((a, b) => a.reference.localeCompare(b.reference));
  const hasLine = (person: PersonRow, management: string) =>
    generated.budgetLines.some((l) => l.person_id === person.id && l.management === management);
  const open = (p: PersonRow) => !p.restricted && p.lead_worker_id !== null;
  const find = (what: string, test: (p: PersonRow) => boolean, except: readonly PersonRow[] = []): PersonRow => {
    const found = people.find((p) => open(p) && !except.includes(p) && test(p));
    if (found === undefined) throw new Error(`The ${slug} demo data has no ${what}`);
    return found;
  };
  const age = (p: PersonRow) => ageOn(p.date_of_birth, today);
  const agreed = (p: PersonRow) => p.stage === 'agreed' || p.stage === 'review';

  const older = find('child with an agreed budget for the parent carer', (p) => p.case_type === 'ehc' && age(p) >= 8 && age(p) <= 15 && agreed(p) && hasLine(p, 'direct_payment'));
  const younger = find('younger sibling', (p) => p.case_type === 'ehc' && age(p) >= 4 && age(p) < age(older) && !agreed(p), [older]);
  younger.family_name = older.family_name;
  younger.postcode = older.postcode;
  const youngPerson = find('young person over 16', (p) => p.case_type === 'ehc' && age(p) >= 17 && age(p) <= 24 && agreed(p), [older, younger]);
  const adult = find('adult with a direct payment', (p) => p.case_type === 'social_care_adult' && agreed(p) && hasLine(p, 'direct_payment'), [older, younger, youngPerson]);

  const careAgency = generated.providers.find((p) => p.kind === 'care_agency');
  if (careAgency === undefined) throw new Error(`The ${slug} demo data has no care agency`);

  const account = (kind: 'family' | 'provider', email: string, displayName: string, providerId: string | null = null): FamilyOrProviderRow => ({
    id: randomUUID(),
    council_id: councilId,
    kind,
    email,
    display_name: displayName,
    provider_id: providerId,
  });
  const parent = account('family', emails.parent, `${names.parent} ${older.family_name}`);
  const ownAccount = account('family', emails.youngPerson, `${youngPerson.given_name} ${youngPerson.family_name}`);
  const nominee = account('family', emails.nominee, `${names.nominee} ${adult.family_name}`);
  const manager = account('provider', emails.provider, names.provider, careAgency.id);
  const link = (a: FamilyOrProviderRow, p: PersonRow, relationship: FamilyRelationship) => ({
    council_id: councilId,
    account_id: a.id,
    person_id: p.id,
    relationship,
  });

  // A provider holds a person's support when an individual service fund or council-managed line
  // names it; the care agency also supports the parent's older child.
  const startOf = (p: PersonRow) => p.stage_since;
  const arrangements: SupportArrangementsTable[] = [];
  const held = new Set<string>();
  for (const person of people.filter(agreed)) {
    for (const line of generated.budgetLines.filter((l) => l.person_id === person.id && l.management !== 'direct_payment')) {
      const provider = generated.providers.find((p) => line.description.includes(p.name));
      if (provider === undefined || held.has(`${person.id}:${provider.id}`)) continue;
      held.add(`${person.id}:${provider.id}`);
      arrangements.push({ council_id: councilId, person_id: person.id, provider_id: provider.id, description: line.description, starts_on: startOf(person), ends_on: null });
    }
  }
  if (!held.has(`${older.id}:${careAgency.id}`)) {
    arrangements.push({
      council_id: councilId,
      person_id: older.id,
      provider_id: careAgency.id,
      description: 'Personal assistant support after school, paid from the direct payment',
      starts_on: startOf(older),
      ends_on: null,
    });
  }

  const todayMs = Date.parse(`${today}T12:00:00Z`);
  const at = (daysAgo: number, hour: number) => new Date(todayMs - daysAgo * DAY_MS + (hour - 12) * 3_600_000);
  const leadWorker = older.lead_worker_id ?? '';
  const history: DemoAccessHistory[] = [
    { accountId: leadWorker, role: 'caseworker', personId: older.id, occurredAt: at(63, 10) },
    { accountId: manager.id, role: 'provider', personId: older.id, occurredAt: at(41, 15) },
    { accountId: leadWorker, role: 'caseworker', personId: older.id, occurredAt: at(12, 9) },
    { accountId: leadWorker, role: 'caseworker', personId: older.id, occurredAt: at(2, 14) },
  ];

  return {
    accounts: [parent, ownAccount, nominee, manager],
    links: [link(parent, older, 'parent_carer'), link(parent, younger, 'parent_carer'), link(ownAccount, youngPerson, 'young_person'), link(nominee, adult, 'nominee')],
    arrangements,
    history,
  };
}
