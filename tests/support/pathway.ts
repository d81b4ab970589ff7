/** Issue 5 records for one fixture person, so that every route about them is reached: a case, a plan, a comment, an agreed budget and a notice. */
import crypto from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import { contentToJson } from '../../src/domain/plans/json.ts';
import { planTotals } from '../../src/domain/plans/costs.ts';
import type { CouncilFixture } from './fixtures.ts';
import { addPlanCase } from './plans.ts';
import { planContent, supportItem } from './sign-off.ts';

/** The person's case, plan, one comment and one direct payment notice, so that every route of issue 5 is reached. */
export interface PathwayFixture {
  readonly caseId: string;
  readonly planId: string;
  readonly commentId: string;
  readonly refusalId: string;
}

export async function addPathwayFixtures(database: Database, a: CouncilFixture, familyAccountId: string): Promise<PathwayFixture> {
  const caseId = await addPlanCase(database, a.councilId, { personId: a.personId, leadWorkerId: a.accountId });
  await database.db
    .insertInto('case_steps')
    .values({ id: crypto.randomUUID(), council_id: a.councilId, case_id: caseId, kind: 'request_received', occurred_on: '2026-06-01', details: '{}', recorded_by: a.accountId, recorded_at: new Date('2026-06-01T10:00:00Z') })
    .execute();
  const content = planContent([supportItem('i1', 40, { management: 'direct_payment', paysPersonalAssistant: true }), supportItem('i2', 10)], {
    outcomes: [
      { id: 'o1', area: 'care', description: 'Go swimming every week', byWhen: '2027-06-30', measure: 'Goes swimming 4 times a month' },
      { id: 'o2', area: 'education', description: 'Read a book a month', byWhen: '2027-06-30', measure: 'Tells us about it' },
    ],
  });
  const planId = crypto.randomUUID();
  const at = new Date('2026-11-20T10:00:00Z');
  await database.db
    .insertInto('plans')
    .values({ id: planId, council_id: a.councilId, person_id: a.personId, case_id: caseId, kind: 'initial', status: 'draft', current_version: 1, author_id: a.accountId, indicative_budget: '{}', created_at: at, updated_at: at })
    .execute();
  await database.db
    .insertInto('plan_versions')
    .values({ council_id: a.councilId, plan_id: planId, version: 1, content: contentToJson(content), total_pence: planTotals(content, {}).totalPence, change_note: 'First draft', created_by: a.accountId, created_at: at })
    .execute();
  const commentId = crypto.randomUUID();
  await database.db
    .insertInto('plan_comments')
    .values({ id: commentId, council_id: a.councilId, plan_id: planId, version: 1, section: 'profile', author_id: familyAccountId, body: 'He loves trains too.', status: 'open', created_at: at })
    .execute();
  // An agreed budget from an earlier plan (the API answers 404 for a person without one).
  await database.db
    .insertInto('personal_budgets')
    .values({ id: crypto.randomUUID(), council_id: a.councilId, person_id: a.personId, plan_id: planId, version: 1, starts_on: '2026-04-01', ends_on: '2027-03-31', total_pence: 260_000n, status: 'active', created_at: at })
    .execute();
  const refusalId = crypto.randomUUID();
  await database.db
    .insertInto('direct_payment_refusals')
    .values({ id: refusalId, council_id: a.councilId, plan_id: planId, version: 1, item_ids: '["i1"]', outcome: 'withheld', category: 'capacity', reasons: 'Needs a suitable person to manage it.', decided_by: a.accountId, decided_on: '2026-11-20', recorded_at: at })
    .execute();
  return { caseId, planId, commentId, refusalId };
}
