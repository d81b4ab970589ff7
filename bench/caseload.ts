/**
 * The caseload page at the size of the largest council in England (issue 5): 20,000 open cases.
 *
 * The server is started once to migrate and seed the demo data, stopped; then 20,000 people, each
 * with an open case, are inserted in bulk into the demo council (Northam), led by 100 caseworkers in
 * 10 teams — the demo caseworker's team among them — with realistic next deadlines (10% overdue,
 * 15% due in the next 7 days, 65% on track, 10% with none). The server is started again, signed in
 * as the demo caseworker, and autocannon measures with 20 connections for ~10 s each:
 *   floor    — GET /healthz (the static floor route)
 *   team     — GET /cases?scope=team (the team view, sorted by next deadline, first page)
 *   filtered — GET /cases?scope=team&state=due_soon&caseType=ehc&sort=name (a filtered page)
 * Target: p95 under 100 ms on PostgreSQL. On PostgreSQL the plan of the page's query is printed (EXPLAIN ANALYZE).
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, sql, type Insertable } from 'kysely';
import { repositories } from '../src/db/repositories/index.ts';
import type { TenantTx } from '../src/db/tenancy.ts';
import type { Schema } from '../src/db/schema.ts';
import { measure as measureLoad } from './load.ts';
import { DEMO_PASSWORD } from '../src/demo/accounts.ts';
import { cookieHeader, fetchLoopback, signIn } from './sign-in.ts';
import { openDatabase } from '../src/db/database.ts';
import { systemClock } from '../src/clock.ts';
import { addDays } from '../src/domain/pathway/dates.ts';
import { atMost, engine, round, say, waitForOk, withScratchStorage, withServer, type BenchResult, type Server } from './support.ts';
import { seeded } from '../src/demo/random.ts';

export const description = 'p50/p95/p99 and req/s of the caseload page (team view and a filtered page) over 20,000 open cases, with autocannon';

const SIGN_IN_EMAIL = 'caseworker@northam.example';
const CASES = 20_000;
const WORKERS = 100;
const TEAMS = 10;
const BATCH = 1_000;
const CONNECTIONS = 20;
const DURATION_S = 10;
const WARM_UP_S = 2;
const LOAD = { connections: CONNECTIONS, durationSeconds: DURATION_S, warmUpSeconds: WARM_UP_S };
const TARGET_P95_MS = 100;
const SEED = 20_261_203;


const GIVEN = ['Alex', 'Sam', 'Jordan', 'Riley', 'Taylor', 'Morgan', 'Casey', 'Jamie', 'Robin', 'Charlie', 'Ellis', 'Noor', 'Priya', 'Kai', 'Zara'];
const FAMILY = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Khan', 'Evans', 'Thomas', 'Roberts', 'Walker', 'Wright'];
const CASE_TYPES = ['ehc', 'ehc', 'ehc', 'social_care_child', 'social_care_adult', 'continuing_care'] as const;
const STAGES = ['request', 'assessing', 'drafting', 'draft_issued', 'plan_in_place', 'reviewing'] as const;

/** Inserts the workers, people and cases; returns the team the signed-in caseworker is in and its size. */
export async function insertCaseload(storage: { dataDir: string; databaseUrl: string | undefined }): Promise<{ team: string; teamCases: number }> {
  const database = await openDatabase({ databaseUrl: storage.databaseUrl, dataDir: storage.dataDir, queryTimeoutMs: 120_000 });
  try {
    const db = database.db;
    const me = await db.selectFrom('accounts').select(['id', 'council_id', 'team', 'password_hash']).where('email', '=', SIGN_IN_EMAIL).executeTakeFirstOrThrow();
    const councilId = me.council_id;
    const team = me.team ?? 'SEND';
    if (me.team === null) await db.updateTable('accounts').set({ team }).where('id', '=', me.id).execute();
    const teams = [team, ...Array.from({ length: TEAMS - 1 }, (_, i) => `Bench team ${i + 2}`)];
    const workers: { id: string; team: string }[] = [{ id: me.id, team }];
    const now = new Date();
    const accountRows = [];
    for (let i = 1; i < WORKERS; i++) {
      const id = crypto.randomUUID();
      const t = teams[i % TEAMS] ?? team;
      workers.push({ id, team: t });
      accountRows.push({
        id,
        council_id: councilId,
        kind: 'staff' as const,
        email: `bench-caseworker-${i}@northam.example`,
        display_name: `Bench Caseworker ${i}`,
        role: 'caseworker' as const,
        job_title: 'SEND caseworker',
        team: t,
        approval_limit_pence: null,
        password_hash: me.password_hash,
      });
    }
    await db.insertInto('accounts').values(accountRows).execute();
    const random = seeded(SEED);
    const today = systemClock.today();
    let teamCases = 0;
    const started = performance.now();
    for (let offset = 0; offset < CASES; offset += BATCH) {
      const people: Insertable<Schema['people']>[] = [];
      const cases: Insertable<Schema['cases']>[] = [];
      for (let i = offset; i < Math.min(CASES, offset + BATCH); i++) {
        const personId = crypto.randomUUID();
        const worker = workers[i % WORKERS] ?? workers[0];
        if (worker === undefined) throw new Error('no workers');
        if (worker.team === team) teamCases += 1;
        const r = random();
        const due = r < 0.1 ? addDays(today, -1 - Math.floor(random() * 60)) : r < 0.25 ? addDays(today, Math.floor(random() * 7)) : r < 0.9 ? addDays(today, 7 + Math.floor(random() * 140)) : null;
        const caseType = CASE_TYPES[Math.floor(random() * CASE_TYPES.length)] ?? 'ehc';
        const requestDate = addDays(today, -Math.floor(random() * 300));
        people.push({
          id: personId,
          council_id: councilId,
          reference: `NB-${String(100_000 + i)}`,
          given_name: GIVEN[Math.floor(random() * GIVEN.length)] ?? 'Alex',
          family_name: FAMILY[Math.floor(random() * FAMILY.length)] ?? 'Smith',
          date_of_birth: addDays(today, -365 * (2 + Math.floor(random() * 20))),
          postcode: 'NM1 1AA',
          case_type: caseType,
          primary_need: null,
          needs_summary: 'Bench data.',
          setting: null,
          stage: 'assessment' as const,
          stage_since: requestDate,
          request_date: requestDate,
          lead_worker_id: worker.id,
          indicative_budget_pence: null,
          current_package_pence: null,
          restricted: random() < 0.02,
        });
        cases.push({
          id: crypto.randomUUID(),
          council_id: councilId,
          person_id: personId,
          case_type: caseType,
          lead_worker_id: worker.id,
          status: 'open' as const,
          stage: STAGES[Math.floor(random() * STAGES.length)] ?? 'request',
          request_date: requestDate,
          phase_transfer_year: null,
          next_due_on: due,
          next_due_kind: due === null ? null : 'final_plan',
          closed_on: null,
          closed_reason: null,
          created_at: now,
          updated_at: now,
        });
      }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('people').values(people).execute();
        await trx.insertInto('cases').values(cases).execute();
      });
    }
    // As autovacuum would soon after a bulk load (PostgreSQL 13+ vacuums after inserts too): the
    // visibility map and hint bits set, as in a council's long-lived tables. Without it every read of
    // the fresh rows checks their commit status, and the page's query takes twice as long.
    if (storage.databaseUrl !== undefined) await sql`VACUUM ANALYZE`.execute(db);
    else await sql`ANALYZE`.execute(db);
    say(`inserted ${CASES} people and open cases over ${WORKERS} caseworkers in ${TEAMS} teams in ${Math.round(performance.now() - started)} ms; ${teamCases} in the signed-in worker's team`);
    return { team, teamCases };
  } finally {
    await database.close();
  }
}

/** Signs in as the demo caseworker; returns the Cookie header. */
export async function signInAsCaseworker(server: Server): Promise<string> {
  return cookieHeader(await signIn(server, SIGN_IN_EMAIL, DEMO_PASSWORD));
}

// ---------------------------------------------------------------------------------------------




/**
 * The plan of the caseload's one query (page and counts) for the team view, as the repository
 * builds it and as the app's role runs it (PostgreSQL only): the query is captured from Kysely's log
 * and explained in the same council-scoped transaction.
 */
async function explain(databaseUrl: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
  try {
    const me = await db.selectFrom('accounts').select(['id', 'council_id']).where('email', '=', SIGN_IN_EMAIL).executeTakeFirstOrThrow();
    const today = systemClock.today();
    await db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('app.council_id', ${me.council_id}, true), set_config('role', 'onebudget_app', true)`.execute(trx);
      const before = captured.length;
      await repositories(trx as unknown as TenantTx).cases.caseloadPage({ leadWorkers: { of: 'team', accountId: me.id }, viewerId: me.id, today, soonUntil: addDays(today, 6), sort: 'due', offset: 0, limit: 25 });
      const query = captured[before];
      if (query === undefined) throw new Error('The caseload query was not captured');
      const plan = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain analyze ${query.sql}`, [...query.parameters]));
      say(`EXPLAIN ANALYZE (the caseload's page and counts, team view):\n${plan.rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n')}`);
    });
  } finally {
    await db.destroy();
  }
}

export async function run(): Promise<BenchResult> {
  say(`engine: ${engine()}`);
  return withScratchStorage('caseload', async (storage) => {
    await withServer(storage, async (server) => {
      say(`first start (pid ${server.pid}): migrate and seed the demo data`);
      await waitForOk(server, '/healthz', { timeoutMs: 180_000, intervalMs: 100 });
      await waitForOk(server, '/', { timeoutMs: 30_000, intervalMs: 100 });
    });
    const { teamCases } = await insertCaseload(storage);
    if (storage.databaseUrl !== undefined) await explain(storage.databaseUrl);
    return withServer(storage, async (server) => {
      await waitForOk(server, '/healthz', { timeoutMs: 180_000, intervalMs: 100 });
      const cookie = await signInAsCaseworker(server);
      const teamPath = '/cases?scope=team';
      const filteredPath = '/cases?scope=team&state=due_soon&caseType=ehc&sort=name';
      const check = await fetchLoopback(`${server.origin}${teamPath}`, { headers: { cookie } });
      const html = await check.text();
      if (check.status !== 200) throw new Error(`GET ${teamPath} answered ${check.status}`);
      say(`team view: ${/(\d[\d,]*) open cases/.exec(html)?.[1] ?? '?'} open cases listed (expected about ${teamCases})`);

      const floor = await measureLoad('floor /healthz', server, '/healthz', {}, LOAD);
      const teamView = await measureLoad('caseload, team view', server, teamPath, { cookie }, LOAD);
      const filtered = await measureLoad('caseload, filtered', server, filteredPath, { cookie }, LOAD);
      const targets = {
        teamP95Ms: atMost('teamP95Ms', teamView.p95Ms, TARGET_P95_MS, 'ms'),
        filteredP95Ms: atMost('filteredP95Ms', filtered.p95Ms, TARGET_P95_MS, 'ms'),
      };
      const onPostgres = engine() === 'postgres';
      for (const t of Object.values(targets)) say(`target ${t.figure} ≤ ${TARGET_P95_MS} ms: ${t.met ? 'met' : 'MISSED'}${onPostgres ? '' : ' (the target is set for PostgreSQL)'}`);
      return {
        figures: {
          cases: CASES,
          teamCases,
          connections: CONNECTIONS,
          durationSeconds: DURATION_S,
          floorRequestsPerSecond: floor.requestsPerSecond,
          floorP50Ms: floor.p50Ms,
          floorP95Ms: floor.p95Ms,
          floorP99Ms: floor.p99Ms,
          teamRequestsPerSecond: teamView.requestsPerSecond,
          teamP50Ms: teamView.p50Ms,
          teamP95Ms: teamView.p95Ms,
          teamP99Ms: teamView.p99Ms,
          teamRatioToFloor: round(teamView.requestsPerSecond / floor.requestsPerSecond, 3),
          filteredRequestsPerSecond: filtered.requestsPerSecond,
          filteredP50Ms: filtered.p50Ms,
          filteredP95Ms: filtered.p95Ms,
          filteredP99Ms: filtered.p99Ms,
          filteredRatioToFloor: round(filtered.requestsPerSecond / floor.requestsPerSecond, 3),
        },
        targets,
      };
    });
  });
}
