/** Cases for tests (issue 5): people and cases with their steps at given dates, inserted directly. */
import crypto from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import type { CaseStepKind, CaseType } from '../../src/db/schema.ts';

/** Another person in a fixture council. */
export async function addPerson(
  database: Database,
  councilId: string,
  options: { reference: string; givenName: string; familyName: string; dateOfBirth?: string; restricted?: boolean; leadWorkerId?: string | null },
): Promise<string> {
  const id = crypto.randomUUID();
  await database.db
    .insertInto('people')
    .values({
      id,
      council_id: councilId,
      reference: options.reference,
      given_name: options.givenName,
      family_name: options.familyName,
      date_of_birth: options.dateOfBirth ?? '2016-05-10',
      postcode: 'NM1 2BB',
      case_type: 'ehc',
      primary_need: 'SLCN',
      needs_summary: 'Needs support with speech and language.',
      setting: 'Test Primary School',
      stage: 'request',
      stage_since: '2026-01-01',
      request_date: '2026-01-01',
      lead_worker_id: options.leadWorkerId ?? null,
      indicative_budget_pence: null,
      current_package_pence: null,
      restricted: options.restricted ?? false,
    })
    .execute();
  return id;
}

/**
 * An open case as the service would have left it: its steps, and the next deadline given (the
 * caseload lists from the case row, so tests name the date they mean).
 */
export async function addCase(
  database: Database,
  councilId: string,
  options: {
    personId: string;
    leadWorkerId: string;
    caseType?: CaseType;
    requestDate: string;
    stage?: string;
    nextDueOn: string | null;
    nextDueKind?: string | null;
    steps?: readonly { kind: CaseStepKind; occurredOn: string; details?: Record<string, unknown> }[];
  },
): Promise<string> {
  const id = crypto.randomUUID();
  const now = new Date('2026-11-01T09:00:00Z');
  await database.db
    .insertInto('cases')
    .values({
      id,
      council_id: councilId,
      person_id: options.personId,
      case_type: options.caseType ?? 'ehc',
      lead_worker_id: options.leadWorkerId,
      status: 'open',
      stage: options.stage ?? 'assessing',
      request_date: options.requestDate,
      phase_transfer_year: null,
      next_due_on: options.nextDueOn,
      next_due_kind: options.nextDueOn === null ? null : (options.nextDueKind ?? 'final_plan'),
      closed_on: null,
      closed_reason: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const steps = [{ kind: 'request_received' as const, occurredOn: options.requestDate }, ...(options.steps ?? [])];
  let minute = 0;
  for (const step of steps) {
    minute += 1;
    await database.db
      .insertInto('case_steps')
      .values({
        id: crypto.randomUUID(),
        council_id: councilId,
        case_id: id,
        kind: step.kind,
        occurred_on: step.occurredOn,
        details: JSON.stringify('details' in step ? (step.details ?? {}) : {}),
        recorded_by: options.leadWorkerId,
        recorded_at: new Date(now.getTime() + minute * 60_000),
      })
      .execute();
  }
  return id;
}
