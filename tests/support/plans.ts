/** Support plan fixtures (issue 5): a case for a fixture person, inserted directly. */
import crypto from 'node:crypto';
import type { Database } from '../../src/db/database.ts';

/** An open EHC case of the person, led by the worker given. */
export async function addPlanCase(database: Database, councilId: string, options: { personId: string; leadWorkerId: string }): Promise<string> {
  const id = crypto.randomUUID();
  const now = new Date('2026-11-01T09:00:00Z');
  await database.db
    .insertInto('cases')
    .values({
      id,
      council_id: councilId,
      person_id: options.personId,
      case_type: 'ehc',
      lead_worker_id: options.leadWorkerId,
      status: 'open',
      stage: 'plan',
      request_date: '2026-06-01',
      next_due_on: null,
      next_due_kind: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
