/** Plans ready for sign-off (issue 5), inserted directly: a person, a case, a plan and its version, and approvers with limits. */
import crypto from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import type { PlanStatus } from '../../src/db/schema.ts';
import type { PlanContent, SupportItem } from '../../src/domain/plans/content.ts';
import { contentToJson, EMPTY_CONTENT } from '../../src/domain/plans/json.ts';
import { planTotals } from '../../src/domain/plans/costs.ts';
import { addCase, addPerson } from './cases.ts';
import { enrolStaff, FIXTURE_TOTP_SECRET } from './fixtures.ts';

/** A support item: £`weeklyPounds` a week for a year (52 weeks). */
export function supportItem(id: string, weeklyPounds: number, overrides: Partial<SupportItem> = {}): SupportItem {
  return {
    id,
    description: `Support ${id}`,
    provider: 'Local provider',
    unitCostPence: BigInt(weeklyPounds * 100),
    quantity: 1,
    frequency: 'weekly',
    stream: 'social_care',
    management: 'council_managed',
    outcomeIds: ['o1'],
    paysPersonalAssistant: false,
    ...overrides,
  };
}

/** Plan content that passes the plan checks, with the items given. */
export function planContent(items: readonly SupportItem[], extra: Partial<PlanContent> = {}): PlanContent {
  const dp = items.some((i) => i.management === 'direct_payment');
  return {
    ...EMPTY_CONTENT,
    profile: { likeAndAdmire: 'Funny and kind', importantToMe: 'My friends', howToSupportMe: 'Be patient', iStatements: ['I like swimming'] },
    outcomes: [{ id: 'o1', area: 'care', description: 'Go swimming every week', byWhen: '2027-06-30', measure: 'Goes swimming 4 times a month' }],
    items,
    risks: 'None known',
    moneyManager: dp ? { kind: 'parent_carer', name: 'Jo Parent' } : { kind: 'not_applicable', name: '' },
    ...extra,
  };
}

export async function addApprover(database: Database, councilId: string, options: { email: string; passwordHash: string; limitPence: bigint | null; name?: string }): Promise<string> {
  const id = crypto.randomUUID();
  await database.db
    .insertInto('accounts')
    .values({
      id,
      council_id: councilId,
      kind: 'staff',
      email: options.email,
      display_name: options.name ?? `Approver ${options.email}`,
      role: 'approver',
      job_title: 'Team manager',
      team: 'SEND',
      approval_limit_pence: options.limitPence,
      password_hash: options.passwordHash,
    })
    .execute();
  await enrolStaff(database, councilId, id, FIXTURE_TOTP_SECRET);
  return id;
}

/** A person with an open case and a plan at the status given, its content as version 1. */
export async function addPlan(
  database: Database,
  councilId: string,
  options: { reference: string; authorId: string; content: PlanContent; status?: PlanStatus; indicative?: Record<string, bigint>; personId?: string },
): Promise<{ personId: string; caseId: string; planId: string }> {
  const personId = options.personId ?? (await addPerson(database, councilId, { reference: options.reference, givenName: 'Sam', familyName: options.reference }));
  const caseId = await addCase(database, councilId, { personId, leadWorkerId: options.authorId, requestDate: '2026-06-01', nextDueOn: null, stage: 'planning' });
  const planId = crypto.randomUUID();
  const at = new Date('2026-11-20T10:00:00Z');
  const indicative = Object.fromEntries(Object.entries(options.indicative ?? {}).map(([k, v]) => [k, v.toString()]));
  await database.db
    .insertInto('plans')
    .values({
      id: planId,
      council_id: councilId,
      person_id: personId,
      case_id: caseId,
      kind: 'initial',
      status: options.status ?? 'draft',
      current_version: 1,
      author_id: options.authorId,
      indicative_budget: JSON.stringify(indicative),
      created_at: at,
      updated_at: at,
    })
    .execute();
  await database.db
    .insertInto('plan_versions')
    .values({
      council_id: councilId,
      plan_id: planId,
      version: 1,
      content: contentToJson(options.content),
      total_pence: planTotals(options.content, {}).totalPence,
      change_note: 'First draft',
      created_by: options.authorId,
      created_at: at,
    })
    .execute();
  return { personId, caseId, planId };
}
