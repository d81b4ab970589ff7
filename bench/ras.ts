/**
 * RAS impact: score 100,000 stored assessments under a draft allocation model and build the impact
 * report (issue 4), through the real service, beside the pure scoring and its floor.
 *
 * Setup (not timed against a target; reported as setupMs): a throw-away database (a temporary
 * DATA_DIR for the embedded database, or a scratch database on DATABASE_URL), migrated; one council,
 * one administrator; THREE_STREAMS published as version 1 and a draft version 2 (other prices per
 * point, transitional protection on every stream); 100,000 people, each with one submitted
 * questionnaire: seeded random answers valid for the published model at ages 0–25, and a current
 * package (around the published figure) for about half of them. Written through the owner
 * connection in batches of BATCH rows (jsonb_to_recordset), then ANALYZE.
 *
 * Measured, each the median of RUNS runs:
 *   impactRunMs       — startImpactRun as an administrator, until the run has finished (whenFinished);
 *                       the stored report must cover all 100,000 people, or the bench fails;
 *   readMs            — only reading the 100,000 current questionnaires through the repository in
 *                       chunks of IMPACT_CHUNK (one transaction per chunk, as the run does);
 *   pureScoringMs     — compileModel(draft).figures and compileModel(published).figures for the same
 *                       100,000 (answers, age, current package) as read, in memory: the run's scoring;
 *   inMemoryRunMs     — the service's loop without the database: package conversion, both scorings,
 *                       the per-person records and the impact accumulator, then the report;
 *   floorMs           — Σ points × price per point for the same 100,000 × streams × both models, from
 *                       points worked out beforehand (pointsTimesPriceFloor);
 *   explainingScoreMs — score() (checks answers, explains every step) under both models for EXPLAIN_N
 *                       people; also per assessment and scaled to 100,000, for context.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/clock.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { tenantRunner } from '../src/db/tenancy.ts';
import { repositories } from '../src/db/repositories/index.ts';
import { packageFromJson, type AssessmentCursor, type CurrentAssessmentRow } from '../src/db/repositories/allocation.ts';
import type { StaffActor } from '../src/domain/access/policy.ts';
import { compileModel, pointsTimesPriceFloor, type CompiledModel } from '../src/domain/allocation/compile.ts';
import { THREE_STREAMS_JSON } from '../src/domain/allocation/examples.ts';
import { impactAccumulator, impactRowOf } from '../src/domain/allocation/impact.ts';
import { allQuestions, questionApplies, type AllocationModel, type Answers, type StreamCode } from '../src/domain/allocation/model.ts';
import type { ModelJson } from '../src/domain/allocation/schema.ts';
import { score } from '../src/domain/allocation/score.ts';
import { parseModelOrThrow } from '../src/domain/allocation/validate.ts';
import type { Pence } from '../src/domain/money/money.ts';
import { IMPACT_CHUNK } from '../src/services/allocation-analysis.ts';
import { services } from '../src/services/index.ts';
import { atMost, engine, median, round, say, withScratchStorage, type BenchResult } from './support.ts';
import { seeded } from '../src/demo/random.ts';

export const description = 'score 100,000 stored assessments under a draft model and build the impact report; pure scoring and its floor beside it';

const PEOPLE = 100_000;
const EXPLAIN_N = 10_000;
const RUNS = 3;
const BATCH = 10_000;
const SEED = 20_261_120;
const TARGET_MS: Readonly<Record<'pglite' | 'postgres', number>> = { pglite: 2_000, postgres: 1_000 };
const QUERY_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 300_000;

// ---------------------------------------------------------------------------------------------
// Deterministic data


/** A version-4 shaped UUID from the generator. */
function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (8 + Math.floor(random() * 4)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** The draft: the same questionnaire, other prices per point, and transitional protection on every stream. */
function draftJson(): ModelJson {
  const json = structuredClone(THREE_STREAMS_JSON);
  const conversions = json.conversions as unknown as Record<string, Record<string, unknown> | undefined>;
  const set = (stream: StreamCode, changes: Record<string, unknown>) => {
    const c = conversions[stream];
    if (c === undefined) throw new Error(`THREE_STREAMS has no ${stream} conversion`);
    Object.assign(c, changes);
  };
  set('education_high_needs', { pricePerPointPence: 3_600 });
  set('social_care', { pricePerPointPence: 3_900, transition: { maxChangePercentFirstYear: 5, appliesTo: 'increases-and-decreases' } });
  set('health_continuing_care', { pricePerPointPence: 10_250, transition: { maxChangePercentFirstYear: 10, appliesTo: 'decreases' } });
  return { ...json, name: `${THREE_STREAMS_JSON.name}, draft` };
}

interface Person {
  readonly id: string;
  readonly reference: string;
  readonly age: number;
  readonly answers: Record<string, string>;
  /** Whole pence by stream, as the column keeps it; {} for about half the people. */
  readonly currentPackage: Record<string, number>;
}

const NEEDS_LEVELS = ['none', 'some', 'lots', 'exceptional'] as const;
/** Cumulative weights of none / some / lots / exceptional. */
const NEEDS_WEIGHTS = [0.3, 0.65, 0.9, 1] as const;

function makePeople(published: AllocationModel, compiledPublished: CompiledModel): Person[] {
  const random = seeded(SEED);
  const questions = allQuestions(published);
  const people: Person[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const id = seededUuid(random);
    const age = Math.floor(random() * 26);
    const answers: Record<string, string> = {};
    for (const q of questions) {
      if (!questionApplies(q, age)) continue;
      const levels = q.levels.map((l) => l.id);
      if (levels.length === NEEDS_LEVELS.length && levels.every((l, k) => l === NEEDS_LEVELS[k])) {
        const r = random();
        answers[q.id] = NEEDS_LEVELS[NEEDS_WEIGHTS.findIndex((w) => r < w)] ?? 'none';
      } else {
        answers[q.id] = levels[Math.floor(random() * levels.length)] ?? (levels[0] as string);
      }
    }
    const currentPackage: Record<string, number> = {};
    if (random() < 0.5) {
      // Around what the published model gives (70% to 130% of it, to the pound): changes both ways.
      for (const s of compiledPublished.figures(answers, age).streams) {
        const factor = 0.7 + random() * 0.6;
        currentPackage[s.stream] = Math.round((Number(s.afterAdjustmentsPence) * factor) / 100) * 100;
      }
    }
    people.push({ id, reference: `RAS-${String(i + 1).padStart(6, '0')}`, age, answers, currentPackage });
  }
  return people;
}

// ---------------------------------------------------------------------------------------------
// Setup

interface Fixture {
  readonly councilId: string;
  readonly actor: StaffActor;
  readonly publishedModel: AllocationModel;
  readonly draftModel: AllocationModel;
}

async function insertFixture(database: Database): Promise<Fixture> {
  const db = database.db;
  const councilId = crypto.randomUUID();
  const adminId = crypto.randomUUID();
  const slug = 'rasbench';
  const now = new Date('2026-11-20T10:00:00Z');
  await db.insertInto('councils').values({ id: councilId, slug, name: 'RAS Bench Council' }).execute();
  await db
    .insertInto('accounts')
    .values({
      id: adminId,
      council_id: councilId,
      kind: 'staff',
      email: 'admin@rasbench.test',
      display_name: 'Administrator at RAS Bench',
      role: 'administrator',
      job_title: 'System administrator',
      team: 'Digital',
      approval_limit_pence: null,
      password_hash: 'not-a-real-hash',
    })
    .execute();

  const publishedModel = parseModelOrThrow(THREE_STREAMS_JSON);
  const draft = draftJson();
  const draftModel = parseModelOrThrow(draft);
  const publishedId = crypto.randomUUID();
  const draftId = crypto.randomUUID();
  const common = { council_id: councilId, created_by: adminId, created_at: now, updated_by: adminId, updated_at: now };
  await db
    .insertInto('allocation_models')
    .values([
      { ...common, id: publishedId, version: 1, status: 'published', model: JSON.stringify(THREE_STREAMS_JSON), published_on: '2026-04-01', published_by: adminId },
      { ...common, id: draftId, version: 2, status: 'draft', model: JSON.stringify(draft) },
    ])
    .execute();

  const people = makePeople(publishedModel, compileModel(publishedModel));
  for (let start = 0; start < people.length; start += BATCH) {
    const batch = people.slice(start, start + BATCH);
    const peopleJson = JSON.stringify(
      batch.map((p) => ({ id: p.id, reference: p.reference, family_name: `Person ${p.reference.slice(4)}`, date_of_birth: `${2026 - p.age - 1}-12-01`, adult: p.age >= 18 })),
    );
    await sql`
      INSERT INTO people (id, council_id, reference, given_name, family_name, date_of_birth, postcode, case_type, needs_summary, stage, stage_since, request_date)
      SELECT r.id, ${councilId}::uuid, r.reference, 'Bench', r.family_name, r.date_of_birth, 'NM1 1AA',
             CASE WHEN r.adult THEN 'social_care_adult' ELSE 'ehc' END, 'Benchmark person.', 'agreed', '2026-01-01', '2025-06-01'
      FROM jsonb_to_recordset(${peopleJson}::jsonb) AS r(id uuid, reference text, family_name text, date_of_birth date, adult boolean)`.execute(db);
    // Submitted one after another, a minute apart, as they would be over the years.
    const assessmentsJson = JSON.stringify(
      batch.map((p, i) => ({
        id: crypto.randomUUID(),
        person_id: p.id,
        answers: p.answers,
        age_years: p.age,
        current_package: p.currentPackage,
        submitted_at: new Date(now.getTime() - (people.length - start - i) * 60_000).toISOString(),
      })),
    );
    await sql`
      INSERT INTO allocation_assessments (id, council_id, person_id, model_id, status, completed_with, answers, age_years, current_package,
                                          started_by, started_at, updated_at, submitted_by, submitted_at, is_current)
      SELECT r.id, ${councilId}::uuid, r.person_id, ${publishedId}::uuid, 'submitted', 'worker_with_family', r.answers, r.age_years, r.current_package,
             ${adminId}::uuid, r.submitted_at, r.submitted_at, ${adminId}::uuid, r.submitted_at, true
      FROM json_to_recordset(${assessmentsJson}::json) AS r(id uuid, person_id uuid, answers json, age_years smallint, current_package json, submitted_at timestamptz)`.execute(db);
  }
  // What autovacuum would have done on a database that has been running.
  await sql`ANALYZE people`.execute(db);
  await sql`ANALYZE allocation_assessments`.execute(db);

  const actor: StaffActor = {
    kind: 'staff',
    role: 'administrator',
    accountId: adminId,
    councilId,
    councilSlug: slug,
    councilName: 'RAS Bench Council',
    displayName: 'Administrator at RAS Bench',
  };
  return { councilId, actor, publishedModel, draftModel };
}

// ---------------------------------------------------------------------------------------------
// The measured parts

type Services = ReturnType<typeof services>;

async function impactRunOnce(app: Services, actor: StaffActor): Promise<number> {
  const context = { requestId: `bench-ras-${crypto.randomUUID()}`, sourceAddress: '127.0.0.1' };
  const started = performance.now();
  const outcome = await app.allocationAnalysis.startImpactRun(actor, context);
  if (!outcome.ok) throw new Error(`startImpactRun refused: ${outcome.errors.map((e) => e.message).join('; ')}`);
  const runId = outcome.value.runId;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`impact run ${runId} did not finish within ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS);
  });
  try {
    await Promise.race([app.allocationAnalysis.whenFinished(runId), timeout]);
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - started;
  const run = await app.allocationAnalysis.impactRun(actor, runId);
  if (run.status !== 'finished') throw new Error(`impact run ${runId} ended ${run.status}: ${run.error ?? 'no error recorded'}`);
  const people = run.report?.people;
  if (people !== PEOPLE) throw new Error(`impact run ${runId} reports ${String(people)} people, not ${PEOPLE}`);
  if (run.done !== PEOPLE || run.total !== PEOPLE) throw new Error(`impact run ${runId} says done ${run.done} of ${run.total}, not ${PEOPLE} of ${PEOPLE}`);
  const report = run.report;
  if (report !== null) {
    say(
      `    report: ${report.people} people, ${report.increases} up, ${report.decreases} down, ${report.unchanged} unchanged; ` +
        `${report.transitionalProtection.peopleLimited} limited by transitional protection; draft − published ${report.totals.differencePence} p`,
    );
  }
  return ms;
}

async function readOnce(database: Database, councilId: string, keep: CurrentAssessmentRow[] | null): Promise<number> {
  const withCouncil = tenantRunner(database);
  const started = performance.now();
  let after: AssessmentCursor | null = null;
  let count = 0;
  for (;;) {
    const { rows: chunk, next } = await withCouncil(councilId, (tx) => repositories(tx).allocation.currentAssessments(after, IMPACT_CHUNK));
    if (chunk.length === 0) break;
    count += chunk.length;
    if (keep !== null) for (const row of chunk) keep.push(row);
    if (next === null) break;
    after = next;
  }
  const ms = performance.now() - started;
  if (count !== PEOPLE) throw new Error(`read ${count} current questionnaires, not ${PEOPLE}`);
  return ms;
}

interface Scored {
  readonly answers: Answers;
  readonly age: number;
  readonly current: Partial<Record<StreamCode, Pence>>;
}

/** Both scorings of every row, as the run does them; returns a checksum so nothing is optimised away. */
function pureScoring(rows: readonly Scored[], draft: CompiledModel, published: CompiledModel): bigint {
  let check = 0n;
  for (const row of rows) {
    const d = draft.figures(row.answers, row.age, row.current);
    const p = published.figures(row.answers, row.age);
    check += d.totals.indicativePence + p.totals.afterAdjustmentsPence;
  }
  return check;
}

/** The service's loop without the database (same steps as allocation-analysis.ts execute()). */
function inMemoryRun(rows: readonly CurrentAssessmentRow[], draft: CompiledModel, published: CompiledModel): number {
  const acc = impactAccumulator();
  for (const row of rows) {
    acc.add(impactRowOf({ personId: row.personId, reference: '', answers: row.answers, age: row.ageYears, current: packageFromJson(row.currentPackage) }, draft, published));
  }
  return acc.report().people;
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = fn();
  return { ms: performance.now() - started, value };
}

function runs(label: string, count: number, fn: (i: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const ms = fn(i);
    out.push(ms);
    say(`  ${label} run ${i + 1}: ${ms.toFixed(1)} ms`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export async function run(): Promise<BenchResult> {
  const eng = engine();
  say(`engine: ${eng}; ${PEOPLE.toLocaleString('en-GB')} people; IMPACT_CHUNK ${IMPACT_CHUNK}; median of ${RUNS} runs`);
  return withScratchStorage('ras', async (storage) => {
    const database = await openDatabase({ databaseUrl: storage.databaseUrl, dataDir: storage.dataDir, queryTimeoutMs: QUERY_TIMEOUT_MS });
    try {
      const setupStarted = performance.now();
      await migrate(database);
      say(`setup: migrated in ${Math.round(performance.now() - setupStarted)} ms; inserting a council, an administrator, models v1 (published) and v2 (draft), ${PEOPLE.toLocaleString('en-GB')} people and questionnaires`);
      const fixture = await insertFixture(database);
      const setupMs = performance.now() - setupStarted;
      say(`setup: done in ${(setupMs / 1000).toFixed(1)} s (not part of any figure)`);

      const config = loadConfig({ NODE_ENV: 'test' });
      const backgroundErrors: unknown[] = [];
      const app = services({
        database,
        clock: systemClock,
        sessionIdleMinutes: 30,
        sessionSecret: config.sessionSecret,
        onBackgroundError: (error) => backgroundErrors.push(error),
      });

      // 1. The real run, through the service.
      say(`impact run: startImpactRun as the administrator → whenFinished (draft v2 against published v1), ${RUNS} runs`);
      const impactRuns: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const ms = await impactRunOnce(app, fixture.actor);
        impactRuns.push(ms);
        say(`  impact run ${i + 1}: ${ms.toFixed(1)} ms`);
      }
      if (backgroundErrors.length > 0) throw new Error(`the impact run reported errors: ${String(backgroundErrors[0])}`);

      // 2. Reading alone, through the repository in the run's chunks.
      say(`read: currentAssessments in chunks of ${IMPACT_CHUNK}, one transaction each, ${RUNS} runs`);
      const rows: CurrentAssessmentRow[] = [];
      const readRuns: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const ms = await readOnce(database, fixture.councilId, i === 0 ? rows : null);
        readRuns.push(ms);
        say(`  read run ${i + 1}: ${ms.toFixed(1)} ms`);
      }

      // 3. Pure scoring of the same rows, in memory.
      const draft = compileModel(fixture.draftModel);
      const published = compileModel(fixture.publishedModel);
      const scored: Scored[] = rows.map((r) => ({ answers: r.answers, age: r.ageYears, current: packageFromJson(r.currentPackage) }));
      say(`pure scoring: compileModel(draft).figures + compileModel(published).figures for ${scored.length.toLocaleString('en-GB')} rows, ${RUNS} runs`);
      let checksum = 0n;
      const pureRuns = runs('pure scoring', RUNS, () => {
        const t = timed(() => pureScoring(scored, draft, published));
        checksum = t.value;
        return t.ms;
      });

      say(`in-memory run: the service's loop (packages, both scorings, records, accumulator, report) without the database, ${RUNS} runs`);
      const inMemoryRuns = runs('in-memory run', RUNS, () => {
        const t = timed(() => inMemoryRun(rows, draft, published));
        if (t.value !== PEOPLE) throw new Error(`the in-memory run counted ${t.value} people`);
        return t.ms;
      });

      // 4. The floor: Σ points × price per point, points worked out beforehand.
      const floorInputs: { points: Int32Array; price: Pence }[] = [];
      for (const [model, compiled] of [
        [fixture.draftModel, draft],
        [fixture.publishedModel, published],
      ] as const) {
        for (const stream of compiled.streams) {
          const conversion = model.conversions[stream];
          if (conversion?.kind !== 'price-per-point') throw new Error(`${stream} is not price-per-point`);
          const points = new Int32Array(scored.length);
          scored.forEach((r, i) => {
            const s = compiled.figures(r.answers, r.age).streams.find((x) => x.stream === stream);
            points[i] = s?.points ?? 0;
          });
          floorInputs.push({ points, price: conversion.pricePerPointPence });
        }
      }
      say(`floor: pointsTimesPriceFloor over ${scored.length.toLocaleString('en-GB')} × ${floorInputs.length} (streams × both models), ${RUNS} runs`);
      let floorSum = 0n;
      const floorRuns = runs('floor', RUNS, () => {
        const t = timed(() => floorInputs.reduce((acc, f) => acc + pointsTimesPriceFloor(f.points, f.price), 0n));
        floorSum = t.value;
        return t.ms;
      });

      // 5. The explaining path, for context.
      const sample = scored.slice(0, EXPLAIN_N);
      say(`explaining score(): both models for ${sample.length.toLocaleString('en-GB')} rows, ${RUNS} runs`);
      const explainRuns = runs('explaining score()', RUNS, () =>
        timed(() => {
          for (const r of sample) {
            const d = score(fixture.draftModel, r.answers, { age: r.age, currentPackagePence: r.current });
            const p = score(fixture.publishedModel, r.answers, { age: r.age });
            if (!d.ok || !p.ok) throw new Error(`score() refused stored answers: ${JSON.stringify(d.ok ? (p.ok ? [] : p.errors) : d.errors)}`);
          }
        }).ms,
      );
      say(`  (checksums: scoring ${checksum}, floor ${floorSum})`);

      const impactRunMs = median(impactRuns);
      const readMs = median(readRuns);
      const pureScoringMs = median(pureRuns);
      const inMemoryRunMs = median(inMemoryRuns);
      const floorMs = median(floorRuns);
      const explainingScoreMs = median(explainRuns);
      const explainingUs = (explainingScoreMs * 1000) / sample.length;
      const targetMs = TARGET_MS[eng];
      // The run reads the next chunk while it scores this one, so it can take less than the parts
      // measured one after the other; the overlap is what that saves.
      const overlapMs = readMs + inMemoryRunMs - impactRunMs;
      say(
        `impact run ${impactRunMs.toFixed(0)} ms; measured apart, read ${readMs.toFixed(0)} ms and service loop in memory ${inMemoryRunMs.toFixed(0)} ms ` +
          `(of which scoring ${pureScoringMs.toFixed(0)} ms), so reading alongside scoring saves ${overlapMs.toFixed(0)} ms ` +
          `(a negative figure is the cost of progress writes, transactions and the report). ` +
          `Pure scoring is ${round(pureScoringMs / floorMs, 2)}× the floor (${floorMs.toFixed(1)} ms); ` +
          `the explaining score() takes ${explainingUs.toFixed(1)} µs per person (both models), ${round((explainingUs * PEOPLE) / 1000 / pureScoringMs, 1)}× the compiled path.`,
      );
      const targets = { impactRunMs: atMost('impactRunMs', impactRunMs, targetMs, 'ms') };
      for (const t of Object.values(targets)) say(`target ${t.figure} ≤ ${t.atMost} ${t.unit} (${eng}): ${t.met ? 'met' : 'MISSED'}`);
      return {
        figures: {
          people: PEOPLE,
          impactChunk: IMPACT_CHUNK,
          setupMs: round(setupMs, 0),
          impactRunMs: round(impactRunMs),
          impactRunRunsMs: impactRuns.map((v) => round(v)),
          readMs: round(readMs),
          readRunsMs: readRuns.map((v) => round(v)),
          inMemoryRunMs: round(inMemoryRunMs),
          pureScoringMs: round(pureScoringMs),
          pureScoringRunsMs: pureRuns.map((v) => round(v)),
          floorMs: round(floorMs, 2),
          floorRunsMs: floorRuns.map((v) => round(v, 2)),
          explainingScoreMs: round(explainingScoreMs),
          explainingScoreN: sample.length,
          explainingScoreUsPerAssessment: round(explainingUs, 2),
          explainingScoreMsPer100k: round((explainingUs * PEOPLE) / 1000, 0),
          pureScoringRatioToFloor: round(pureScoringMs / floorMs, 2),
          impactRunRatioToPureScoring: round(impactRunMs / pureScoringMs, 2),
          readShareOfImpactRun: round(readMs / impactRunMs, 2),
          overlapMs: round(overlapMs, 0),
        },
        targets,
      };
    } finally {
      await database.close();
    }
  });
}
