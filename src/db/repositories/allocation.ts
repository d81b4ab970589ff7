/**
 * Resource allocation rows of one council (migration 0008): model versions, questionnaires, results,
 * exceptional-case requests, calibration test groups and impact runs. Rows become read-only records
 * here; the JSON of a model is handed on as it is stored (the service parses and checks it).
 */
import { sql } from 'kysely';
import type { TenantTx } from '../tenancy.ts';
import type {
  AllocationModelStatus,
  AssessmentStatus,
  CompletedWith,
  ExceptionalCaseStatus,
  ImpactRunStatus,
} from '../schema.ts';
import { CASE_TYPE_STREAM, type StreamCode } from '../../domain/allocation/model.ts';

export interface ModelVersionRecord {
  readonly id: string;
  readonly version: number;
  readonly status: AllocationModelStatus;
  /** As stored: the JSON of docs/ras-model.schema.json. */
  readonly json: unknown;
  readonly publishedOn: string | null;
  readonly retiredOn: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly updatedByName: string | null;
  readonly publishedByName: string | null;
}

export interface AssessmentRecord {
  readonly id: string;
  readonly personId: string;
  readonly modelId: string;
  readonly modelVersion: number;
  readonly status: AssessmentStatus;
  readonly completedWith: CompletedWith;
  readonly answers: Readonly<Record<string, string>>;
  readonly ageYears: number;
  readonly currentPackage: Readonly<Partial<Record<StreamCode, bigint>>>;
  readonly startedAt: Date;
  readonly startedByName: string;
  readonly updatedAt: Date;
  readonly submittedAt: Date | null;
  readonly submittedByName: string | null;
}

export interface ResultRecord {
  readonly id: string;
  readonly assessmentId: string;
  readonly personId: string;
  readonly modelId: string;
  readonly modelVersion: number;
  readonly scoredAt: Date;
  readonly totalPence: bigint;
  readonly streamPence: Readonly<Partial<Record<StreamCode, bigint>>>;
  readonly exceptionalCaseRequired: boolean;
  /** The AllocationResult as stored (see src/domain/allocation/result-json.ts). */
  readonly explanation: unknown;
}

export interface ExceptionalCaseRecord {
  readonly id: string;
  readonly personId: string;
  readonly personReference: string;
  readonly personName: string;
  readonly resultId: string;
  readonly resultTotalPence: bigint;
  readonly trigger: 'cap' | 'worker';
  readonly reason: string;
  readonly requestedPence: bigint | null;
  readonly requestedById: string;
  readonly requestedByName: string;
  readonly requestedAt: Date;
  readonly status: ExceptionalCaseStatus;
  readonly decidedByName: string | null;
  readonly decidedAt: Date | null;
  readonly decisionReason: string | null;
  readonly agreedPence: bigint | null;
}

export interface CalibrationGroupRecord {
  readonly id: string;
  readonly name: string;
  readonly rowCount: number;
  readonly rows: unknown;
  readonly uploadedAt: Date;
  readonly uploadedByName: string | null;
}

export interface ImpactRunRecord {
  readonly id: string;
  readonly draftModelId: string;
  readonly draftVersion: number;
  readonly publishedModelId: string | null;
  readonly publishedVersion: number | null;
  readonly status: ImpactRunStatus;
  readonly total: number;
  readonly done: number;
  readonly startedAt: Date;
  readonly startedByName: string | null;
  readonly finishedAt: Date | null;
  readonly report: unknown;
  readonly error: string | null;
}

/** Where a read of current questionnaires got to: the last one read, in (submitted at, id) order. */
export interface AssessmentCursor {
  /** The database's own text of the time, to the microsecond (a Date would lose them). */
  readonly submittedAt: string;
  readonly id: string;
}

/** One person's current (latest submitted) questionnaire, as the impact run reads them. */
export interface CurrentAssessmentRow {
  readonly personId: string;
  readonly answers: Readonly<Record<string, string>>;
  readonly ageYears: number;
  readonly currentPackage: Readonly<Record<string, number>>;
}

const STREAM_COLUMNS = {
  education_high_needs: 'education_high_needs_pence',
  social_care: 'social_care_pence',
  health_continuing_care: 'health_continuing_care_pence',
} as const satisfies Record<StreamCode, string>;

/** Pence kept as JSON numbers (always whole and far below 2^53) back to bigint. */
export function packageFromJson(json: Readonly<Record<string, number>>): Partial<Record<StreamCode, bigint>> {
  const out: Partial<Record<StreamCode, bigint>> = {};
  for (const code of Object.keys(STREAM_COLUMNS) as StreamCode[]) {
    const value = json[code];
    if (typeof value === 'number' && Number.isSafeInteger(value)) out[code] = BigInt(value);
  }
  return out;
}

export function packageToJson(pkg: Readonly<Partial<Record<StreamCode, bigint>>>): string {
  const out: Record<string, number> = {};
  for (const [code, pence] of Object.entries(pkg)) if (pence !== undefined) out[code] = Number(pence);
  return JSON.stringify(out);
}

export function allocationRepository(tx: TenantTx) {
  const models = () =>
    tx
      .selectFrom('allocation_models as m')
      .leftJoin('accounts as u', 'u.id', 'm.updated_by')
      .leftJoin('accounts as p', 'p.id', 'm.published_by')
      .select([
        'm.id',
        'm.version',
        'm.status',
        'm.model',
        'm.published_on',
        'm.retired_on',
        'm.created_at',
        'm.updated_at',
        'u.display_name as updated_by_name',
        'p.display_name as published_by_name',
      ]);
  type ModelRow = Awaited<ReturnType<ReturnType<typeof models>['executeTakeFirstOrThrow']>>;
  const toModel = (r: ModelRow): ModelVersionRecord => ({
    id: r.id,
    version: r.version,
    status: r.status,
    json: r.model,
    publishedOn: r.published_on,
    retiredOn: r.retired_on,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    updatedByName: r.updated_by_name,
    publishedByName: r.published_by_name,
  });

  const assessments = () =>
    tx
      .selectFrom('allocation_assessments as a')
      .innerJoin('allocation_models as m', 'm.id', 'a.model_id')
      .innerJoin('accounts as s', 's.id', 'a.started_by')
      .leftJoin('accounts as b', 'b.id', 'a.submitted_by')
      .select([
        'a.id',
        'a.person_id',
        'a.model_id',
        'm.version as model_version',
        'a.status',
        'a.completed_with',
        'a.answers',
        'a.age_years',
        'a.current_package',
        'a.started_at',
        's.display_name as started_by_name',
        'a.updated_at',
        'a.submitted_at',
        'b.display_name as submitted_by_name',
      ]);
  type AssessmentRow = Awaited<ReturnType<ReturnType<typeof assessments>['executeTakeFirstOrThrow']>>;
  const toAssessment = (r: AssessmentRow): AssessmentRecord => ({
    id: r.id,
    personId: r.person_id,
    modelId: r.model_id,
    modelVersion: r.model_version,
    status: r.status,
    completedWith: r.completed_with,
    answers: r.answers,
    ageYears: r.age_years,
    currentPackage: packageFromJson(r.current_package),
    startedAt: r.started_at,
    startedByName: r.started_by_name,
    updatedAt: r.updated_at,
    submittedAt: r.submitted_at,
    submittedByName: r.submitted_by_name,
  });

  const results = () =>
    tx
      .selectFrom('allocation_results as r')
      .innerJoin('allocation_models as m', 'm.id', 'r.model_id')
      .select([
        'r.id',
        'r.assessment_id',
        'r.person_id',
        'r.model_id',
        'm.version as model_version',
        'r.scored_at',
        'r.total_pence',
        'r.education_high_needs_pence',
        'r.social_care_pence',
        'r.health_continuing_care_pence',
        'r.exceptional_case_required',
        'r.explanation',
      ]);
  type ResultRow = Awaited<ReturnType<ReturnType<typeof results>['executeTakeFirstOrThrow']>>;
  const toResult = (r: ResultRow): ResultRecord => {
    const streamPence: Partial<Record<StreamCode, bigint>> = {};
    for (const [code, column] of Object.entries(STREAM_COLUMNS) as [StreamCode, keyof ResultRow][]) {
      const value = r[column];
      if (typeof value === 'bigint') streamPence[code] = value;
    }
    return {
      id: r.id,
      assessmentId: r.assessment_id,
      personId: r.person_id,
      modelId: r.model_id,
      modelVersion: r.model_version,
      scoredAt: r.scored_at,
      totalPence: r.total_pence,
      streamPence,
      exceptionalCaseRequired: r.exceptional_case_required,
      explanation: r.explanation,
    };
  };

  const requests = () =>
    tx
      .selectFrom('exceptional_case_requests as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .innerJoin('allocation_results as r', 'r.id', 'e.result_id')
      .innerJoin('accounts as q', 'q.id', 'e.requested_by')
      .leftJoin('accounts as d', 'd.id', 'e.decided_by')
      .select([
        'e.id',
        'e.person_id',
        'p.reference',
        'p.given_name',
        'p.family_name',
        'e.result_id',
        'r.total_pence as result_total_pence',
        'e.trigger',
        'e.reason',
        'e.requested_pence',
        'e.requested_by',
        'q.display_name as requested_by_name',
        'e.requested_at',
        'e.status',
        'd.display_name as decided_by_name',
        'e.decided_at',
        'e.decision_reason',
        'e.agreed_pence',
      ]);
  type RequestRow = Awaited<ReturnType<ReturnType<typeof requests>['executeTakeFirstOrThrow']>>;
  const toRequest = (r: RequestRow): ExceptionalCaseRecord => ({
    id: r.id,
    personId: r.person_id,
    personReference: r.reference,
    personName: `${r.given_name} ${r.family_name}`,
    resultId: r.result_id,
    resultTotalPence: r.result_total_pence,
    trigger: r.trigger,
    reason: r.reason,
    requestedPence: r.requested_pence,
    requestedById: r.requested_by,
    requestedByName: r.requested_by_name,
    requestedAt: r.requested_at,
    status: r.status,
    decidedByName: r.decided_by_name,
    decidedAt: r.decided_at,
    decisionReason: r.decision_reason,
    agreedPence: r.agreed_pence,
  });

  const runs = () =>
    tx
      .selectFrom('allocation_impact_runs as i')
      .innerJoin('allocation_models as d', 'd.id', 'i.draft_model_id')
      .leftJoin('allocation_models as p', 'p.id', 'i.published_model_id')
      .leftJoin('accounts as s', 's.id', 'i.started_by')
      .select([
        'i.id',
        'i.draft_model_id',
        'd.version as draft_version',
        'i.published_model_id',
        'p.version as published_version',
        'i.status',
        'i.total',
        'i.done',
        'i.started_at',
        's.display_name as started_by_name',
        'i.finished_at',
        'i.report',
        'i.error',
      ]);
  type RunRow = Awaited<ReturnType<ReturnType<typeof runs>['executeTakeFirstOrThrow']>>;
  const toRun = (r: RunRow): ImpactRunRecord => ({
    id: r.id,
    draftModelId: r.draft_model_id,
    draftVersion: r.draft_version,
    publishedModelId: r.published_model_id,
    publishedVersion: r.published_version,
    status: r.status,
    total: r.total,
    done: r.done,
    startedAt: r.started_at,
    startedByName: r.started_by_name,
    finishedAt: r.finished_at,
    report: r.report,
    error: r.error,
  });

  return {
    // ---- Model versions --------------------------------------------------------------------
    /** Newest version first. */
    async listModels(): Promise<ModelVersionRecord[]> {
      return (await models().orderBy('m.version', 'desc').execute()).map(toModel);
    },
    async modelByVersion(version: number): Promise<ModelVersionRecord | undefined> {
      const row = await models().where('m.version', '=', version).executeTakeFirst();
      return row && toModel(row);
    },
    async modelById(id: string): Promise<ModelVersionRecord | undefined> {
      const row = await models().where('m.id', '=', id).executeTakeFirst();
      return row && toModel(row);
    },
    async modelWithStatus(status: 'draft' | 'published'): Promise<ModelVersionRecord | undefined> {
      const row = await models().where('m.status', '=', status).executeTakeFirst();
      return row && toModel(row);
    },
    async nextVersion(): Promise<number> {
      const row = await tx.selectFrom('allocation_models').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
      return Number(row?.v ?? 0) + 1;
    },
    async insertDraft(row: { id: string; councilId: string; version: number; json: string; by: string | null; now: Date }): Promise<void> {
      await tx
        .insertInto('allocation_models')
        .values({
          id: row.id,
          council_id: row.councilId,
          version: row.version,
          status: 'draft',
          model: row.json,
          created_by: row.by,
          created_at: row.now,
          updated_by: row.by,
          updated_at: row.now,
        })
        .execute();
    },
    async updateDraft(id: string, json: string, by: string | null, now: Date): Promise<void> {
      await tx.updateTable('allocation_models').set({ model: json, updated_by: by, updated_at: now }).where('id', '=', id).where('status', '=', 'draft').execute();
    },
    /** Publishes a draft; the caller retires the version published before it first. */
    async markPublished(id: string, on: string, by: string | null): Promise<void> {
      await tx.updateTable('allocation_models').set({ status: 'published', published_on: on, published_by: by }).where('id', '=', id).where('status', '=', 'draft').execute();
    },
    async markRetired(id: string, on: string): Promise<void> {
      await tx.updateTable('allocation_models').set({ status: 'retired', retired_on: on }).where('id', '=', id).where('status', '=', 'published').execute();
    },

    // ---- Questionnaires and results ----------------------------------------------------------
    async openAssessment(personId: string): Promise<AssessmentRecord | undefined> {
      const row = await assessments().where('a.person_id', '=', personId).where('a.status', '=', 'in_progress').executeTakeFirst();
      return row && toAssessment(row);
    },
    async assessmentById(id: string): Promise<AssessmentRecord | undefined> {
      const row = await assessments().where('a.id', '=', id).executeTakeFirst();
      return row && toAssessment(row);
    },
    /** Every questionnaire of a person, newest first. */
    async assessmentsOf(personId: string): Promise<AssessmentRecord[]> {
      return (await assessments().where('a.person_id', '=', personId).orderBy('a.started_at', 'desc').orderBy('a.id').execute()).map(toAssessment);
    },
    async insertAssessment(row: {
      id: string;
      councilId: string;
      personId: string;
      modelId: string;
      completedWith: CompletedWith;
      ageYears: number;
      by: string;
      now: Date;
    }): Promise<void> {
      await tx
        .insertInto('allocation_assessments')
        .values({
          id: row.id,
          council_id: row.councilId,
          person_id: row.personId,
          model_id: row.modelId,
          status: 'in_progress',
          completed_with: row.completedWith,
          age_years: row.ageYears,
          started_by: row.by,
          started_at: row.now,
          updated_at: row.now,
        })
        .execute();
    },
    async saveAnswers(id: string, answers: Readonly<Record<string, string>>, now: Date): Promise<void> {
      await tx.updateTable('allocation_assessments').set({ answers: JSON.stringify(answers), updated_at: now }).where('id', '=', id).where('status', '=', 'in_progress').execute();
    },
    /** The person's current questionnaire stops being current (a newer one is being submitted). */
    async retireCurrent(personId: string): Promise<void> {
      await tx.updateTable('allocation_assessments').set({ is_current: false }).where('person_id', '=', personId).where('is_current', '=', true).execute();
    },
    async markSubmitted(
      id: string,
      row: { ageYears: number; currentPackage: Readonly<Partial<Record<StreamCode, bigint>>>; by: string; now: Date },
    ): Promise<void> {
      await tx
        .updateTable('allocation_assessments')
        .set({
          status: 'submitted',
          is_current: true,
          age_years: row.ageYears,
          current_package: packageToJson(row.currentPackage),
          submitted_by: row.by,
          submitted_at: row.now,
          updated_at: row.now,
        })
        .where('id', '=', id)
        .where('status', '=', 'in_progress')
        .execute();
    },
    async insertResult(row: {
      id: string;
      councilId: string;
      assessmentId: string;
      personId: string;
      modelId: string;
      now: Date;
      streamPence: Readonly<Partial<Record<StreamCode, bigint>>>;
      totalPence: bigint;
      exceptionalCaseRequired: boolean;
      explanationJson: string;
    }): Promise<void> {
      await tx
        .insertInto('allocation_results')
        .values({
          id: row.id,
          council_id: row.councilId,
          assessment_id: row.assessmentId,
          person_id: row.personId,
          model_id: row.modelId,
          scored_at: row.now,
          education_high_needs_pence: row.streamPence.education_high_needs ?? null,
          social_care_pence: row.streamPence.social_care ?? null,
          health_continuing_care_pence: row.streamPence.health_continuing_care ?? null,
          total_pence: row.totalPence,
          exceptional_case_required: row.exceptionalCaseRequired,
          explanation: row.explanationJson,
        })
        .execute();
    },
    async resultById(id: string): Promise<ResultRecord | undefined> {
      const row = await results().where('r.id', '=', id).executeTakeFirst();
      return row && toResult(row);
    },
    /** Every result of a person, newest first. */
    async resultsOf(personId: string): Promise<ResultRecord[]> {
      return (await results().where('r.person_id', '=', personId).orderBy('r.scored_at', 'desc').orderBy('r.id').execute()).map(toResult);
    },

    /**
     * The person's current package per stream: their agreed budget lines by stream; failing those,
     * the recorded package total, in the stream their kind of case is funded from.
     */
    async currentPackage(personId: string): Promise<Partial<Record<StreamCode, bigint>>> {
      const lines = await tx
        .selectFrom('budget_lines as b')
        .innerJoin('funding_streams as f', 'f.id', 'b.funding_stream_id')
        .select(['f.code', sql<bigint>`sum(b.annual_pence)`.as('pence')])
        .where('b.person_id', '=', personId)
        .groupBy('f.code')
        .execute();
      const out: Partial<Record<StreamCode, bigint>> = {};
      for (const line of lines) out[line.code] = BigInt(line.pence);
      if (lines.length > 0) return out;
      const person = await tx.selectFrom('people').select(['case_type', 'current_package_pence']).where('id', '=', personId).executeTakeFirst();
      if (person?.current_package_pence != null && person.current_package_pence > 0n) out[CASE_TYPE_STREAM[person.case_type]] = person.current_package_pence;
      return out;
    },

    /** The indicative budget shown on the person's record and in lists: the latest submitted figure. */
    async setIndicativeBudget(personId: string, pence: bigint): Promise<void> {
      await tx.updateTable('people').set({ indicative_budget_pence: pence }).where('id', '=', personId).execute();
    },

    // ---- Exceptional cases -----------------------------------------------------------------
    async insertRequest(row: {
      id: string;
      councilId: string;
      personId: string;
      resultId: string;
      trigger: 'cap' | 'worker';
      reason: string;
      requestedPence: bigint | null;
      by: string;
      now: Date;
    }): Promise<void> {
      await tx
        .insertInto('exceptional_case_requests')
        .values({
          id: row.id,
          council_id: row.councilId,
          person_id: row.personId,
          result_id: row.resultId,
          trigger: row.trigger,
          reason: row.reason,
          requested_pence: row.requestedPence,
          requested_by: row.by,
          requested_at: row.now,
          status: 'pending',
        })
        .execute();
    },
    async requestById(id: string): Promise<ExceptionalCaseRecord | undefined> {
      const row = await requests().where('e.id', '=', id).executeTakeFirst();
      return row && toRequest(row);
    },
    async requestsOf(personId: string): Promise<ExceptionalCaseRecord[]> {
      return (await requests().where('e.person_id', '=', personId).orderBy('e.requested_at', 'desc').execute()).map(toRequest);
    },
    /** Pending requests oldest first; decided ones newest first. */
    async requestsWithStatus(status: 'pending' | 'decided', limit = 500): Promise<ExceptionalCaseRecord[]> {
      const q = status === 'pending' ? requests().where('e.status', '=', 'pending').orderBy('e.requested_at', 'asc') : requests().where('e.status', '<>', 'pending').orderBy('e.decided_at', 'desc');
      return (await q.limit(limit).execute()).map(toRequest);
    },
    async decideRequest(id: string, row: { status: 'agreed' | 'refused'; by: string; now: Date; reason: string; agreedPence: bigint | null }): Promise<boolean> {
      const done = await tx
        .updateTable('exceptional_case_requests')
        .set({ status: row.status, decided_by: row.by, decided_at: row.now, decision_reason: row.reason, agreed_pence: row.agreedPence })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(done.numUpdatedRows) === 1;
    },

    // ---- Calibration test groups -------------------------------------------------------------
    async insertGroup(row: { id: string; councilId: string; name: string; rows: unknown[]; by: string | null; now: Date }): Promise<void> {
      await tx
        .insertInto('calibration_groups')
        .values({ id: row.id, council_id: row.councilId, name: row.name, row_count: row.rows.length, rows: JSON.stringify(row.rows), uploaded_by: row.by, uploaded_at: row.now })
        .execute();
    },
    async listGroups(): Promise<Omit<CalibrationGroupRecord, 'rows'>[]> {
      const rows = await tx
        .selectFrom('calibration_groups as g')
        .leftJoin('accounts as a', 'a.id', 'g.uploaded_by')
        .select(['g.id', 'g.name', 'g.row_count', 'g.uploaded_at', 'a.display_name'])
        .orderBy('g.uploaded_at', 'desc')
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, rowCount: r.row_count, uploadedAt: r.uploaded_at, uploadedByName: r.display_name }));
    },
    async groupById(id: string): Promise<CalibrationGroupRecord | undefined> {
      const r = await tx
        .selectFrom('calibration_groups as g')
        .leftJoin('accounts as a', 'a.id', 'g.uploaded_by')
        .select(['g.id', 'g.name', 'g.row_count', 'g.rows', 'g.uploaded_at', 'a.display_name'])
        .where('g.id', '=', id)
        .executeTakeFirst();
      return r && { id: r.id, name: r.name, rowCount: r.row_count, rows: r.rows, uploadedAt: r.uploaded_at, uploadedByName: r.display_name };
    },

    // ---- Impact runs -------------------------------------------------------------------------
    async insertRun(row: { id: string; councilId: string; draftModelId: string; publishedModelId: string | null; by: string | null; now: Date }): Promise<void> {
      await tx
        .insertInto('allocation_impact_runs')
        .values({
          id: row.id,
          council_id: row.councilId,
          draft_model_id: row.draftModelId,
          published_model_id: row.publishedModelId,
          status: 'queued',
          started_by: row.by,
          started_at: row.now,
        })
        .execute();
    },
    async runById(id: string): Promise<ImpactRunRecord | undefined> {
      const row = await runs().where('i.id', '=', id).executeTakeFirst();
      return row && toRun(row);
    },
    async listRuns(limit = 20): Promise<ImpactRunRecord[]> {
      return (await runs().orderBy('i.started_at', 'desc').orderBy('i.id').limit(limit).execute()).map(toRun);
    },
    /** Runs left queued or running (by a process that stopped), oldest first. */
    async unfinishedRuns(): Promise<ImpactRunRecord[]> {
      return (await runs().where('i.status', 'in', ['queued', 'running']).orderBy('i.started_at').execute()).map(toRun);
    },
    async runProgress(id: string, done: number, total: number): Promise<void> {
      // Progress is for the page only (a run resumed after a stop starts again from the beginning),
      // so its commit need not wait for the disk.
      await sql`SET LOCAL synchronous_commit TO OFF`.execute(tx);
      await tx.updateTable('allocation_impact_runs').set({ status: 'running', done, total }).where('id', '=', id).execute();
    },
    async finishRun(id: string, reportJson: string, now: Date): Promise<void> {
      await tx.updateTable('allocation_impact_runs').set({ status: 'finished', done: sql`total`, report: reportJson, finished_at: now }).where('id', '=', id).execute();
    },
    async failRun(id: string, error: string, now: Date): Promise<void> {
      await tx.updateTable('allocation_impact_runs').set({ status: 'failed', error, finished_at: now }).where('id', '=', id).execute();
    },

    /** How many people have a submitted questionnaire (each has exactly one current one). */
    async countCurrentAssessments(): Promise<number> {
      const row = await tx.selectFrom('allocation_assessments').select((eb) => eb.fn.countAll<string>().as('n')).where('is_current', '=', true).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    /**
     * The next `limit` current questionnaires after `after`, in the order they were submitted (the
     * partial index allocation_assessments_current, so the table is read mostly in its own order).
     * The page comes back as the text of one JSON array built from the stored JSON text as it is
     * (answers are json, not jsonb): far cheaper than thousands of rows, or than converting each value.
     * `next` is where the following page starts (null: nothing more).
     */
    async currentAssessments(after: AssessmentCursor | null, limit: number): Promise<{ rows: CurrentAssessmentRow[]; next: AssessmentCursor | null }> {
      const result = await sql<{ page: string | null; last_at: string | null; last_id: string | null }>`
        WITH page AS MATERIALIZED (
          SELECT a.id, a.submitted_at, a.person_id, a.answers, a.age_years, a.current_package
          FROM allocation_assessments a
          WHERE a.is_current
            AND (${after?.submittedAt ?? null}::timestamptz IS NULL OR (a.submitted_at, a.id) > (${after?.submittedAt ?? null}::timestamptz, ${after?.id ?? null}::uuid))
          ORDER BY a.submitted_at, a.id
          LIMIT ${limit}),
        last AS (SELECT submitted_at::text AS last_at, id AS last_id FROM page ORDER BY submitted_at DESC, id DESC LIMIT 1)
        SELECT (SELECT '[' || string_agg('["' || page.person_id || '",' || page.answers::text || ',' || page.age_years || ',' || page.current_package::text || ']', ',') || ']' FROM page) AS page,
               last.last_at, last.last_id
        FROM last`.execute(tx);
      const row = result.rows[0];
      if (row === undefined || row.page === null || row.last_at === null || row.last_id === null) return { rows: [], next: null };
      const page = JSON.parse(row.page) as [string, Record<string, string>, number, Record<string, number>][];
      return {
        rows: page.map(([personId, answers, ageYears, currentPackage]) => ({ personId, answers, ageYears, currentPackage })),
        next: { submittedAt: row.last_at, id: row.last_id },
      };
    },
    /** People's references by id (the impact report names people by reference only). */
    async referencesOf(personIds: readonly string[]): Promise<Map<string, string>> {
      if (personIds.length === 0) return new Map();
      const rows = await tx.selectFrom('people').select(['id', 'reference']).where('id', 'in', personIds).execute();
      return new Map(rows.map((r) => [r.id, r.reference]));
    },
  };
}

export type AllocationRepository = ReturnType<typeof allocationRepository>;
