/**
 * Calibration and what-if, for administrators and commissioners (issue 4):
 *  - a calibration test group (CSV of people with their answers or points and current costs) is kept,
 *    then reported against any model version: fitted prices per point, R², median absolute
 *    percentage error, people outside a tolerance, totals against an envelope;
 *  - an impact run applies the draft model to every person's current questionnaire and compares it
 *    with the published model. It runs in the background in this process, in chunks, writing its
 *    progress to its row, so its page can be left and returned to; a run left unfinished by a stopped
 *    process is started again from the beginning when the service starts (it only reads, so running it
 *    again is safe).
 * People appear by reference only: these pages are for aggregate figures.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import type { SystemRepository } from '../db/system.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { packageFromJson, type AssessmentCursor, type CurrentAssessmentRow, type CalibrationGroupRecord, type ImpactRunRecord, type ModelVersionRecord } from '../db/repositories/allocation.ts';
import { mayDo, type Actor } from '../domain/access/policy.ts';
import { STREAM_CODES, modelStreams, type AllocationModel, type StreamCode } from '../domain/allocation/model.ts';
import { parseModel, type ValidationError } from '../domain/allocation/validate.ts';
import { compileModel } from '../domain/allocation/compile.ts';
import { impactAccumulator, impactRowOf, type ImpactReport } from '../domain/allocation/impact.ts';
import { calibrationReport, parseTestGroupCsv, type CalibrationReport, type CalibrationRow, type TestGroupRow } from '../domain/allocation/calibration.ts';
import { fromPenceJson, toPenceJson } from '../domain/allocation/result-json.ts';
import type { Pence } from '../domain/money/money.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { isUuid } from '../domain/ids.ts';

/** People read and scored per chunk; progress is written after each. */
export const IMPACT_CHUNK = 2_500;
/** People scored between two turns of the event loop while the next chunk is read. */
const YIELD_EVERY = 100;

export interface ImpactRunView extends Omit<ImpactRunRecord, 'report'> {
  readonly report: ImpactReport | null;
}

export interface CalibrationView {
  readonly group: Omit<CalibrationGroupRecord, 'rows'>;
  /** The version the answers were scored under, when the group gives answers. */
  readonly version: { readonly version: number; readonly status: string; readonly name: string } | null;
  readonly versions: readonly { readonly version: number; readonly status: string }[];
  readonly report: CalibrationReport;
  /** The group gives answers (scored under `version`) rather than points. */
  readonly byAnswers: boolean;
  /**
   * Each person with points and a current cost in a stream, for the scatter chart and its table, in
   * file order; with the allocation compared (null when the report has no allocations for the stream).
   */
  readonly points: Readonly<Partial<Record<StreamCode, readonly { reference: string; points: number; currentPence: Pence; allocationPence: Pence | null }[]>>>;
  /** Answers that the model did not know (ignored, counted as 0 points). */
  readonly unknownAnswers: number;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly ValidationError[] };

function parsedModel(record: ModelVersionRecord): AllocationModel {
  const parsed = parseModel(record.json);
  if (!parsed.ok) throw new Error(`stored allocation model version ${record.version} does not pass its checks`);
  return parsed.value;
}

/** The streams a CSV header names with current_<stream> columns. */
function streamsInHeader(csv: string): StreamCode[] {
  const header = (csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').toLowerCase();
  const names = header.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
  return STREAM_CODES.filter((code) => names.includes(`current_${code}`));
}

export function allocationAnalysisServices(deps: { withCouncil: WithCouncil; system: SystemRepository; clock: Clock; onRunError?: (error: unknown) => void }) {
  const requireAnalyst = (actor: Actor) => {
    if (!mayDo(actor, 'allocation:analyse')) throw new ForbiddenError('Only administrators and commissioners calibrate models and see their impact');
  };
  /** Runs in progress in this process, by run id. */
  const running = new Map<string, Promise<void>>();

  async function execute(councilId: string, runId: string): Promise<void> {
    const setup = await deps.withCouncil(councilId, async (tx) => {
      const repos = repositories(tx);
      const run = await repos.allocation.runById(runId);
      if (run === undefined) throw new Error(`impact run ${runId} has gone`);
      const draft = await repos.allocation.modelById(run.draftModelId);
      const published = run.publishedModelId === null ? undefined : await repos.allocation.modelById(run.publishedModelId);
      if (draft === undefined) throw new Error(`impact run ${runId} has lost its draft`);
      const total = await repos.allocation.countCurrentAssessments();
      await repos.allocation.runProgress(runId, 0, total);
      return { draft: compileModel(parsedModel(draft)), published: published === undefined ? null : compileModel(parsedModel(published)), total };
    });
    const acc = impactAccumulator();
    let done = 0;
    // Each read also records the progress so far (one transaction, not two, per chunk).
    const read = (after: AssessmentCursor | null) =>
      deps.withCouncil(councilId, async (tx) => {
        const repos = repositories(tx);
        if (done > 0) await repos.allocation.runProgress(runId, done, Math.max(setup.total, done));
        return repos.allocation.currentAssessments(after, IMPACT_CHUNK);
      });
    // The next chunk is read while this one is scored: on PostgreSQL the two overlap (another
    // connection, another core); the embedded database simply takes the query in turn.
    let next = read(null);
    for (;;) {
      const { rows: chunk, next: cursor } = await next;
      if (chunk.length === 0) break;
      next = cursor === null || chunk.length < IMPACT_CHUNK ? Promise.resolve({ rows: [], next: null }) : read(cursor);
      // A failed read is reported by the await above on the next turn, not as an unhandled rejection now.
      next.catch(() => undefined);
      for (let i = 0; i < chunk.length; i++) {
        const row = chunk[i] as CurrentAssessmentRow;
        // References are looked up for the largest changes only, at the end: ties go by person id.
        const person = { personId: row.personId, reference: '', answers: row.answers, age: row.ageYears, current: packageFromJson(row.currentPackage) };
        acc.add(impactRowOf(person, setup.draft, setup.published));
        // The next read is several round trips (begin, council, progress, query, commit): let each
        // answer in while this chunk is scored, or the read waits until the whole chunk is done.
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
      }
      done += chunk.length;
      // Let requests waiting on the database in: the embedded database serves one query at a time.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const report = acc.report();
    await deps.withCouncil(councilId, async (tx) => {
      const repos = repositories(tx);
      const references = await repos.allocation.referencesOf(report.largestChanges.map((c) => c.personId));
      const named: ImpactReport = { ...report, largestChanges: report.largestChanges.map((c) => ({ ...c, reference: references.get(c.personId) ?? '' })) };
      await repos.allocation.finishRun(runId, toPenceJson(named), deps.clock.now());
    });
  }

  function launch(councilId: string, runId: string): Promise<void> {
    const existing = running.get(runId);
    if (existing !== undefined) return existing;
    const job = execute(councilId, runId)
      .catch(async (error: unknown) => {
        deps.onRunError?.(error);
        const message = error instanceof Error ? error.message : String(error);
        await deps.withCouncil(councilId, (tx) => repositories(tx).allocation.failRun(runId, message.slice(0, 500), deps.clock.now())).catch(() => undefined);
      })
      .finally(() => running.delete(runId));
    running.set(runId, job);
    return job;
  }

  const runView = (run: ImpactRunRecord): ImpactRunView => ({ ...run, report: run.report === null ? null : fromPenceJson<ImpactReport>(run.report) });

  async function requireGroup(repos: Repositories, groupId: string): Promise<CalibrationGroupRecord> {
    const group = isUuid(groupId) ? await repos.allocation.groupById(groupId) : undefined;
    if (group === undefined) throw new NotFoundError(`No calibration test group ${groupId}`);
    return group;
  }

  return {
    // ---- What-if impact runs ------------------------------------------------------------------
    /** Queues a run of the draft against the published model, and starts it in the background. */
    async startImpactRun(actor: Actor, context: RequestContext): Promise<Outcome<{ runId: string }>> {
      requireAnalyst(actor);
      const runId = await deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const draft = await repos.allocation.modelWithStatus('draft');
        if (draft === undefined) return null;
        const published = await repos.allocation.modelWithStatus('published');
        const id = crypto.randomUUID();
        const now = deps.clock.now();
        await repos.allocation.insertRun({ id, councilId: actor.councilId, draftModelId: draft.id, publishedModelId: published?.id ?? null, by: actor.accountId, now });
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'allocation_model.impact_run_started',
          subjectType: 'allocation_model',
          subjectId: draft.id,
          detail: { runId: id, draftVersion: draft.version, publishedVersion: published?.version ?? null },
        });
        return id;
      });
      if (runId === null) return { ok: false, errors: [{ path: '', message: 'There is no draft model to try. Start a draft first.' }] };
      void launch(actor.councilId, runId);
      return { ok: true, value: { runId } };
    },

    async impactRuns(actor: Actor): Promise<ImpactRunView[]> {
      requireAnalyst(actor);
      return deps.withCouncil(actor.councilId, async (tx) => (await repositories(tx).allocation.listRuns()).map(runView));
    },

    async impactRun(actor: Actor, runId: string): Promise<ImpactRunView> {
      requireAnalyst(actor);
      return deps.withCouncil(actor.councilId, async (tx) => {
        const run = isUuid(runId) ? await repositories(tx).allocation.runById(runId) : undefined;
        if (run === undefined) throw new NotFoundError(`No impact run ${runId}`);
        return runView(run);
      });
    },

    /** Resolves when the run has finished here (at once if it is not running in this process). For tests and the benchmark. */
    whenFinished(runId: string): Promise<void> {
      return running.get(runId) ?? Promise.resolve();
    },

    /** Starts again every run a stopped process left queued or running. Called once at start-up. */
    async resumeUnfinished(): Promise<number> {
      let count = 0;
      for (const council of await deps.system.listCouncils()) {
        const runs = await deps.withCouncil(council.id, (tx) => repositories(tx).allocation.unfinishedRuns());
        for (const run of runs) {
          count += 1;
          void launch(council.id, run.id);
        }
      }
      return count;
    },

    // ---- Calibration -------------------------------------------------------------------------
    /** Keeps a test group from a CSV file; all or nothing, errors by row and column. */
    async uploadTestGroup(actor: Actor, input: { name: string; csv: string }, context: RequestContext): Promise<Outcome<{ groupId: string }>> {
      requireAnalyst(actor);
      const streams = streamsInHeader(input.csv);
      if (streams.length === 0) {
        return { ok: false, errors: [{ path: 'file', message: `The file needs a current cost column for at least one stream: ${STREAM_CODES.map((c) => `current_${c}`).join(', ')}` }] };
      }
      const parsed = parseTestGroupCsv(input.csv, streams);
      if (!parsed.ok) return parsed;
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const id = crypto.randomUUID();
        const now = deps.clock.now();
        await repos.allocation.insertGroup({ id, councilId: actor.councilId, name: input.name, rows: JSON.parse(toPenceJson(parsed.value)) as unknown[], by: actor.accountId, now });
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'allocation.test_group_uploaded',
          subjectType: 'calibration_group',
          subjectId: id,
          detail: { name: input.name, rows: parsed.value.length, streams },
        });
        return { ok: true, value: { groupId: id } } as const;
      });
    },

    async testGroups(actor: Actor): Promise<Omit<CalibrationGroupRecord, 'rows'>[]> {
      requireAnalyst(actor);
      return deps.withCouncil(actor.councilId, (tx) => repositories(tx).allocation.listGroups());
    },

    /**
     * The calibration report of a test group. Answers are scored under `version` (default: the draft,
     * or else the published version) and those allocations are compared; points alone are compared
     * with points × the price fitted through the origin.
     */
    async calibration(
      actor: Actor,
      groupId: string,
      options: { version?: number | undefined; tolerancePercent?: number | undefined; envelopePence?: Partial<Record<StreamCode, Pence>> | undefined },
    ): Promise<CalibrationView> {
      requireAnalyst(actor);
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const group = await requireGroup(repos, groupId);
        const rows = fromPenceJson<TestGroupRow[]>(group.rows);
        const versions = await repos.allocation.listModels();
        const chosen =
          (options.version !== undefined ? versions.find((v) => v.version === options.version) : undefined) ??
          versions.find((v) => v.status === 'draft') ??
          versions.find((v) => v.status === 'published');
        const byAnswers = rows.some((r) => r.answers !== null);
        const model = byAnswers && chosen !== undefined ? parsedModel(chosen) : null;
        const compiled = model === null ? null : compileModel(model);
        const streamSet = new Set<StreamCode>();
        for (const r of rows) for (const code of Object.keys(r.currentPence) as StreamCode[]) streamSet.add(code);
        for (const r of rows) for (const code of Object.keys(r.points) as StreamCode[]) streamSet.add(code);
        if (model !== null) for (const code of modelStreams(model)) streamSet.add(code);
        let unknownAnswers = 0;
        const calibrationRows: CalibrationRow[] = rows.map((r) => {
          if (compiled === null || r.answers === null) return { reference: r.reference, points: r.points, currentPence: r.currentPence };
          // A file of answers always gives ages (parseTestGroupCsv requires them); only a group kept before then could lack one.
          const age = r.age ?? null;
          if (age === null) throw new Error(`test group ${group.id}, row ${r.row}: answers without an age cannot be scored; upload the group again with an age column`);
          const figures = compiled.figures(r.answers, age);
          unknownAnswers += figures.missingAnswers;
          const points: Partial<Record<StreamCode, number>> = {};
          const allocationPence: Partial<Record<StreamCode, Pence>> = {};
          for (const s of figures.streams) {
            points[s.stream] = s.points;
            allocationPence[s.stream] = s.afterAdjustmentsPence;
          }
          return { reference: r.reference, points, currentPence: r.currentPence, allocationPence };
        });
        const streams = STREAM_CODES.filter((c) => streamSet.has(c));
        const report = calibrationReport({
          streams,
          rows: calibrationRows,
          ...(options.tolerancePercent !== undefined ? { tolerancePercent: options.tolerancePercent } : {}),
          ...(options.envelopePence !== undefined ? { envelopePence: options.envelopePence } : {}),
        });
        const points: Partial<Record<StreamCode, { reference: string; points: number; currentPence: Pence; allocationPence: Pence | null }[]>> = {};
        for (const stream of streams) {
          const calibrated = report.streams.find((s) => s.stream === stream);
          const price = calibrated?.fits.throughOrigin.ok ? calibrated.fits.throughOrigin.pricePerPointPence : null;
          points[stream] = calibrationRows.flatMap((r) => {
            const p = r.points[stream];
            const c = r.currentPence[stream];
            if (p === undefined || c === undefined) return [];
            // The same allocation the report compares: the model's, or points × the price fitted through the origin.
            const allocationPence =
              calibrated?.allocationBasis === 'model' ? (r.allocationPence?.[stream] ?? null) : calibrated?.allocationBasis === 'fitted-price' && price !== null ? BigInt(p) * price : null;
            return [{ reference: r.reference, points: p, currentPence: c, allocationPence }];
          });
        }
        return {
          group: { id: group.id, name: group.name, rowCount: group.rowCount, uploadedAt: group.uploadedAt, uploadedByName: group.uploadedByName },
          version: model !== null && chosen !== undefined ? { version: chosen.version, status: chosen.status, name: model.name } : null,
          versions: versions.map((v) => ({ version: v.version, status: v.status })),
          byAnswers,
          report,
          points,
          unknownAnswers,
        };
      });
    },
  };
}

export type AllocationAnalysisServices = ReturnType<typeof allocationAnalysisServices>;
