/**
 * Allocation rows for a fixture council, written through the owner connection: a published model
 * (version 1, the children's bands example) and a draft (version 2); for one person a submitted
 * questionnaire with its result and a questionnaire in progress; a worker's exceptional-case request
 * waiting for a decision; a calibration test group; a finished impact run.
 */
import crypto from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import { CHILDREN_BANDS_JSON, CHILDREN_BANDS_MODEL } from '../../src/domain/allocation/examples.ts';
import { allQuestions, questionApplies } from '../../src/domain/allocation/model.ts';
import { score } from '../../src/domain/allocation/score.ts';
import { resultToJson, toPenceJson } from '../../src/domain/allocation/result-json.ts';
import { parseTestGroupCsv } from '../../src/domain/allocation/calibration.ts';
import { impactAccumulator } from '../../src/domain/allocation/impact.ts';

export interface AllocationFixture {
  readonly publishedModelId: string;
  readonly draftModelId: string;
  readonly resultId: string;
  readonly requestId: string;
  readonly groupId: string;
  readonly runId: string;
  /** The first question of the published model. */
  readonly questionId: string;
}

/** Every question asked at `age` answered with its second level ("some support"). */
export function someSupportAnswers(age: number): Record<string, string> {
  return Object.fromEntries(
    allQuestions(CHILDREN_BANDS_MODEL)
      .filter((q) => questionApplies(q, age))
      .map((q) => [q.id, q.levels[1]?.id ?? q.levels[0]?.id ?? '']),
  );
}

export async function addAllocationFixtures(
  database: Database,
  ids: { councilId: string; adminId: string; caseworkerId: string; personId: string },
): Promise<AllocationFixture> {
  const db = database.db;
  const now = new Date('2026-11-01T10:00:00Z');
  const f = {
    publishedModelId: crypto.randomUUID(),
    draftModelId: crypto.randomUUID(),
    resultId: crypto.randomUUID(),
    requestId: crypto.randomUUID(),
    groupId: crypto.randomUUID(),
    runId: crypto.randomUUID(),
    questionId: allQuestions(CHILDREN_BANDS_MODEL)[0]?.id ?? '',
  };
  const json = JSON.stringify(CHILDREN_BANDS_JSON);
  const base = { council_id: ids.councilId, model: json, created_by: ids.adminId, created_at: now, updated_by: ids.adminId, updated_at: now };
  await db
    .insertInto('allocation_models')
    .values([
      { ...base, id: f.publishedModelId, version: 1, status: 'published', published_on: '2026-10-01', published_by: ids.adminId },
      { ...base, id: f.draftModelId, version: 2, status: 'draft' },
    ])
    .execute();

  const answers = someSupportAnswers(10);
  const scored = score(CHILDREN_BANDS_MODEL, answers, { age: 10 });
  if (!scored.ok) throw new Error('fixture answers do not score');
  const submittedId = crypto.randomUUID();
  const assessment = {
    council_id: ids.councilId,
    person_id: ids.personId,
    model_id: f.publishedModelId,
    completed_with: 'worker_with_family' as const,
    age_years: 10,
    started_by: ids.caseworkerId,
    started_at: now,
    updated_at: now,
  };
  await db
    .insertInto('allocation_assessments')
    .values([
      { ...assessment, id: submittedId, status: 'submitted', answers: JSON.stringify(answers), submitted_by: ids.caseworkerId, submitted_at: now, is_current: true },
      { ...assessment, id: crypto.randomUUID(), status: 'in_progress', answers: JSON.stringify({ [f.questionId]: 'some' }) },
    ])
    .execute();
  await db
    .insertInto('allocation_results')
    .values({
      id: f.resultId,
      council_id: ids.councilId,
      assessment_id: submittedId,
      person_id: ids.personId,
      model_id: f.publishedModelId,
      scored_at: now,
      social_care_pence: scored.value.totals.indicativePence,
      total_pence: scored.value.totals.indicativePence,
      exceptional_case_required: scored.value.exceptionalCaseRequired,
      explanation: resultToJson(scored.value),
    })
    .execute();
  await db
    .insertInto('exceptional_case_requests')
    .values({
      id: f.requestId,
      council_id: ids.councilId,
      person_id: ids.personId,
      result_id: f.resultId,
      trigger: 'worker',
      reason: 'Two carers are needed for every outing, which the questionnaire does not capture.',
      requested_pence: 900_000n,
      requested_by: ids.caseworkerId,
      requested_at: now,
      status: 'pending',
    })
    .execute();

  const group = parseTestGroupCsv('reference,points_social_care,current_social_care\nT1,40,2000.00\nT2,80,4100.00\nT3,120,5900.00\n', ['social_care']);
  if (!group.ok) throw new Error('fixture test group does not parse');
  await db
    .insertInto('calibration_groups')
    .values({ id: f.groupId, council_id: ids.councilId, name: 'Fixture test group', row_count: group.value.length, rows: toPenceJson(group.value), uploaded_by: ids.adminId, uploaded_at: now })
    .execute();

  await db
    .insertInto('allocation_impact_runs')
    .values({
      id: f.runId,
      council_id: ids.councilId,
      draft_model_id: f.draftModelId,
      published_model_id: f.publishedModelId,
      status: 'finished',
      started_by: ids.adminId,
      started_at: now,
      finished_at: now,
      report: toPenceJson(impactAccumulator().report()),
    })
    .execute();
  return f;
}
