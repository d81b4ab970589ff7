/** Cases, their steps and reminders (migration 0009). SQL only; the rules are in src/domain/pathway/. */
import crypto from 'node:crypto';
import { sql, type CompiledQuery } from 'kysely';
import { reusableNamed } from '../reusable.ts';
import type { TenantTx } from '../tenancy.ts';
import { escapeLike } from './like.ts';
import type { CaseStatus, CaseStepKind, CaseType, StaffRole } from '../schema.ts';

export interface CaseRecord {
  readonly id: string;
  readonly personId: string;
  readonly caseType: CaseType;
  readonly leadWorkerId: string;
  readonly leadWorkerName: string;
  readonly leadWorkerTeam: string | null;
  readonly status: CaseStatus;
  readonly stage: string;
  readonly requestDate: string;
  readonly phaseTransferYear: number | null;
  readonly nextDueOn: string | null;
  readonly nextDueKind: string | null;
  readonly hasException: boolean;
  readonly closedOn: string | null;
  readonly closedReason: string | null;
}

export interface CasePersonHeader {
  readonly id: string;
  readonly reference: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly restricted: boolean;
  readonly stage: string;
}

export interface StepRecord {
  readonly id: string;
  readonly kind: CaseStepKind;
  readonly occurredOn: string;
  readonly details: Record<string, unknown>;
  readonly recordedAt: Date;
  readonly recordedById: string;
  readonly recordedByName: string;
  readonly recordedByRole: StaffRole | null;
}

export type CaseloadState = 'overdue' | 'due_soon' | 'on_track' | 'no_deadline';

/** An open case with a deadline soon or passed, as the reminders job reads it. */
export interface DueCase {
  readonly caseId: string;
  readonly personId: string;
  readonly caseType: CaseType;
  readonly requestDate: string;
  readonly phaseTransferYear: number | null;
  readonly nextDueOn: string;
  readonly leadWorkerId: string;
  readonly leadWorkerEmail: string;
  readonly dateOfBirth: string;
  readonly reference: string;
  readonly givenName: string;
  readonly familyName: string;
}

/** The identity of a reminder, as the unique key of case_reminders has it. */
export function reminderKey(r: { caseId: string; about: string; dueOn: string; recipientAccountId: string }): string {
  return `${r.caseId}|${r.about}|${r.dueOn}|${r.recipientAccountId}`;
}

export interface CaseloadFilter {
  /**
   * Whose cases: one worker's ("mine"), the team of a worker — everyone sharing their team, and
   * themselves ("team") — or, when undefined, every worker's.
   */
  readonly leadWorkers?: { readonly of: 'worker' | 'team'; readonly accountId: string } | undefined;
  readonly caseType?: CaseType | undefined;
  readonly stage?: string | undefined;
  readonly text?: string | undefined;
  /**
   * Restricted people's cases are listed only to the workers who may open them — the person's lead
   * worker and the workers named on them: this viewer's account id, or null for none.
   */
  readonly viewerId: string | null;
}

export interface CaseloadQuery extends CaseloadFilter {
  readonly state?: CaseloadState | undefined;
  readonly today: string;
  /** today + 6: the last day counted as "due soon". */
  readonly soonUntil: string;
  readonly sort: 'due' | 'name' | 'request_date';
  readonly offset: number;
  readonly limit: number;
}

/** The values of the caseload's query, each with the placeholder it is compiled with (src/db/reusable.ts). */
const CASELOAD_PLACEHOLDERS = {
  accountId: '\u0000caseload account',
  viewerId: '\u0000caseload viewer',
  caseType: '\u0000caseload case type',
  stage: '\u0000caseload stage',
  today: '\u0000caseload today',
  soonUntil: '\u0000caseload soon until',
  offset: '\u0000caseload offset',
  limit: '\u0000caseload limit',
} as const;
type CaseloadValues = Readonly<Record<keyof typeof CASELOAD_PLACEHOLDERS, unknown>>;

/** The caseload's compiled query for each shape of filter (at most a few hundred shapes). */
const CASELOAD_QUERIES = new Map<string, (values: CaseloadValues) => CompiledQuery<unknown>>();

/** What decides the text of the caseload's query; undefined when a name is searched for (not cached). */
function caseloadShape(query: CaseloadQuery): string | undefined {
  if (query.text !== undefined && query.text !== '') return undefined;
  return JSON.stringify([query.leadWorkers?.of ?? 'all', query.viewerId === null, query.caseType !== undefined, query.stage !== undefined, query.state ?? '', query.sort]);
}

function caseloadValues(query: CaseloadQuery): CaseloadValues {
  return {
    accountId: query.leadWorkers?.accountId,
    viewerId: query.viewerId,
    caseType: query.caseType,
    stage: query.stage,
    today: query.today,
    soonUntil: query.soonUntil,
    offset: query.offset,
    limit: query.limit,
  };
}

/** The query with a placeholder in place of each value, to be compiled once for its shape. */
function withPlaceholders(query: CaseloadQuery): CaseloadQuery {
  const p = CASELOAD_PLACEHOLDERS;
  // The placeholders stand in for values of other types only while compiling; they are never sent.
  const as = <T>(placeholder: string) => placeholder as unknown as T;
  return {
    ...query,
    leadWorkers: query.leadWorkers && { of: query.leadWorkers.of, accountId: p.accountId },
    viewerId: query.viewerId === null ? null : p.viewerId,
    caseType: query.caseType === undefined ? undefined : as<CaseType>(p.caseType),
    stage: query.stage === undefined ? undefined : p.stage,
    today: p.today,
    soonUntil: p.soonUntil,
    offset: as<number>(p.offset),
    limit: as<number>(p.limit),
  };
}

export interface CaseloadRow {
  readonly caseId: string;
  readonly personId: string;
  readonly reference: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly caseType: CaseType;
  readonly stage: string;
  readonly requestDate: string;
  readonly nextDueOn: string | null;
  readonly nextDueKind: string | null;
  readonly hasException: boolean;
  readonly leadWorkerName: string;
}

export interface CaseUpdate {
  readonly stage: string;
  readonly nextDueOn: string | null;
  readonly nextDueKind: string | null;
  readonly hasException: boolean;
  readonly status: CaseStatus;
  readonly closedOn: string | null;
  readonly closedReason: string | null;
  readonly leadWorkerId: string;
  readonly updatedAt: Date;
}

export function casesRepository(tx: TenantTx) {
  const caseBase = () =>
    tx
      .selectFrom('cases as c')
      .innerJoin('accounts as w', 'w.id', 'c.lead_worker_id')
      .select([
        'c.id',
        'c.person_id',
        'c.case_type',
        'c.lead_worker_id',
        'w.display_name as lead_worker_name',
        'w.team as lead_worker_team',
        'c.status',
        'c.stage',
        'c.request_date',
        'c.phase_transfer_year',
        'c.next_due_on',
        'c.next_due_kind',
        'c.has_exception',
        'c.closed_on',
        'c.closed_reason',
      ]);
  type CaseRow = Awaited<ReturnType<ReturnType<typeof caseBase>['executeTakeFirstOrThrow']>>;
  const toCase = (r: CaseRow): CaseRecord => ({
    id: r.id,
    personId: r.person_id,
    caseType: r.case_type,
    leadWorkerId: r.lead_worker_id,
    leadWorkerName: r.lead_worker_name,
    leadWorkerTeam: r.lead_worker_team,
    status: r.status,
    stage: r.stage,
    requestDate: r.request_date,
    phaseTransferYear: r.phase_transfer_year,
    nextDueOn: r.next_due_on,
    nextDueKind: r.next_due_kind,
    hasException: r.has_exception,
    closedOn: r.closed_on,
    closedReason: r.closed_reason,
  });

  /**
   * The open cases the filter names, without joining people unless a name or reference is searched:
   * restricted people's cases are told apart by the case's copy of the flag, and only those few are
   * checked against the person's lead worker and named workers.
   */
  const caseload = (filter: CaseloadFilter) => {
    let q = tx.selectFrom('cases as c').where('c.status', '=', sql.lit('open'));
    // The team and the restricted people a viewer may see are worked out in the same query, each
    // as `= any(array(...))`: PostgreSQL runs such a sub-select once, before the scan, and then
    // reads the cases by the (council, lead worker) index as for a list of ids typed in — where
    // `in (select ...)` or `exists` would hash-join or scan every open case (bench/caseload.ts).
    const workers = filter.leadWorkers;
    if (workers?.of === 'worker') q = q.where('c.lead_worker_id', '=', workers.accountId);
    else if (workers?.of === 'team') {
      const team = tx
        .selectFrom('accounts as a')
        .select('a.id')
        .where('a.kind', '=', sql.lit('staff'))
        .where((e) => e.or([e('a.id', '=', workers.accountId), e('a.team', '=', e.selectFrom('accounts as me').select('me.team').where('me.id', '=', workers.accountId))]));
      q = q.where(sql<boolean>`c.lead_worker_id = any(array(${team}))`);
    }
    if (filter.caseType !== undefined) q = q.where('c.case_type', '=', filter.caseType);
    if (filter.stage !== undefined) q = q.where('c.stage', '=', filter.stage);
    const viewerId = filter.viewerId;
    if (viewerId === null) q = q.where('c.person_restricted', '=', sql.lit(false));
    else {
      // The restricted people this viewer may open: as the person's lead worker, or named on them.
      // (Two index-only reads, migration 0011; a named worker's unrestricted people do no harm here.)
      const openable = tx
        .selectFrom('people as rp')
        .select('rp.id')
        .where('rp.restricted', '=', sql.lit(true))
        .where('rp.lead_worker_id', '=', viewerId)
        .unionAll(tx.selectFrom('named_workers as n').select('n.person_id as id').where('n.account_id', '=', viewerId));
      q = q.where((eb) => eb.or([eb('c.person_restricted', '=', sql.lit(false)), sql<boolean>`c.person_id = any(array(${openable}))`]));
    }
    if (filter.text !== undefined && filter.text !== '') {
      const like = `%${escapeLike(filter.text)}%`;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('people as tp')
            .select('tp.id')
            .whereRef('tp.id', '=', 'c.person_id')
            .where((e) => e.or([e(sql<string>`tp.given_name || ' ' || tp.family_name`, 'ilike', like), e('tp.reference', 'ilike', like)])),
        ),
      );
    }
    return q;
  };

  /** The caseload's page with its counts (one query), and the counts alone for an empty page. */
  const pageAndCounts = (query: CaseloadQuery) => {
    const order =
      query.sort === 'name' ? sql`p.family_name, p.given_name, c.id` : query.sort === 'request_date' ? sql`c.request_date, c.id` : sql`c.next_due_on asc nulls last, c.id`;
    let page = caseload(query)
      .innerJoin('people as p', (j) => j.onRef('p.council_id', '=', 'c.council_id').onRef('p.id', '=', 'c.person_id'))
      .innerJoin('accounts as w', 'w.id', 'c.lead_worker_id')
      .select([
        'c.id as case_id',
        'p.id as person_id',
        'p.reference',
        'p.given_name',
        'p.family_name',
        'c.case_type',
        'c.stage',
        'c.request_date',
        'c.next_due_on',
        'c.next_due_kind',
        'c.has_exception',
        'w.display_name as lead_worker_name',
        sql<number>`row_number() over (order by ${order})`.as('ordinal'),
      ]);
    switch (query.state) {
      case 'overdue':
        page = page.where('c.next_due_on', '<', query.today);
        break;
      case 'due_soon':
        page = page.where('c.next_due_on', '>=', query.today).where('c.next_due_on', '<=', query.soonUntil);
        break;
      case 'on_track':
        page = page.where('c.next_due_on', '>', query.soonUntil);
        break;
      case 'no_deadline':
        page = page.where('c.next_due_on', 'is', null);
        break;
      case undefined:
        break;
    }
    const counts = caseload(query).select([
      sql<string>`count(*) filter (where c.next_due_on < ${query.today})`.as('overdue'),
      sql<string>`count(*) filter (where c.next_due_on >= ${query.today} and c.next_due_on <= ${query.soonUntil})`.as('due_soon'),
      sql<string>`count(*) filter (where c.next_due_on > ${query.soonUntil})`.as('on_track'),
      sql<string>`count(*) filter (where c.next_due_on is null)`.as('no_deadline'),
    ]);
    const found = tx
      // Materialised: the counts are worked out once, never again for each row of the page.
      .with((cte) => cte('counts').materialized(), () => counts)
      .with('page', () => page.orderBy(order).offset(query.offset).limit(query.limit))
      .selectFrom('page')
      .innerJoin('counts', (join) => join.onTrue())
      .selectAll()
      .orderBy('page.ordinal');
    return { found, counts };
  };
  type PageRow = Awaited<ReturnType<ReturnType<typeof pageAndCounts>['found']['execute']>>[number];

  /**
   * The page-and-counts query compiled. Without a name searched for, the query has one text for each
   * shape of filter, so it is built once per shape and run with this request's values (the caseload
   * is the most used page; building the query cost more than a quarter of the time it took to run).
   */
  const caseloadCompiled = (query: CaseloadQuery): CompiledQuery<PageRow> => {
    const shape = caseloadShape(query);
    if (shape === undefined) return pageAndCounts(query).found.compile();
    let run = CASELOAD_QUERIES.get(shape);
    if (run === undefined) {
      run = reusableNamed(pageAndCounts(withPlaceholders(query)).found.compile(), CASELOAD_PLACEHOLDERS);
      CASELOAD_QUERIES.set(shape, run);
    }
    // The map holds every shape's query; this shape's rows are PageRow.
    return run(caseloadValues(query)) as CompiledQuery<PageRow>;
  };

  return {
    /** Opens a case with its first step, the request. */
    async open(input: {
      personId: string;
      caseType: CaseType;
      leadWorkerId: string;
      requestDate: string;
      phaseTransferYear: number | null;
      stage: string;
      nextDueOn: string | null;
      nextDueKind: string | null;
      recordedBy: string;
      now: Date;
    }): Promise<{ caseId: string; stepId: string }> {
      const caseId = crypto.randomUUID();
      const stepId = crypto.randomUUID();
      await tx
        .insertInto('cases')
        .values({
          id: caseId,
          council_id: sql<string>`app_council_id()`,
          person_id: input.personId,
          case_type: input.caseType,
          lead_worker_id: input.leadWorkerId,
          status: 'open',
          stage: input.stage,
          request_date: input.requestDate,
          phase_transfer_year: input.phaseTransferYear,
          next_due_on: input.nextDueOn,
          next_due_kind: input.nextDueKind,
          created_at: input.now,
          updated_at: input.now,
        })
        .execute();
      await tx
        .insertInto('case_steps')
        .values({
          id: stepId,
          council_id: sql<string>`app_council_id()`,
          case_id: caseId,
          kind: 'request_received',
          occurred_on: input.requestDate,
          details: '{}',
          recorded_by: input.recordedBy,
          recorded_at: input.now,
        })
        .execute();
      return { caseId, stepId };
    },

    async find(caseId: string): Promise<CaseRecord | undefined> {
      const row = await caseBase().where('c.id', '=', caseId).executeTakeFirst();
      return row === undefined ? undefined : toCase(row);
    },

    /** The same, locked against a step recorded at the same moment. */
    async findForUpdate(caseId: string): Promise<CaseRecord | undefined> {
      const row = await caseBase().where('c.id', '=', caseId).forUpdate('c').executeTakeFirst();
      return row === undefined ? undefined : toCase(row);
    },

    async ofPerson(personId: string): Promise<CaseRecord[]> {
      const rows = await caseBase().where('c.person_id', '=', personId).orderBy('c.request_date', 'desc').orderBy('c.id').execute();
      return rows.map(toCase);
    },

    async personHeader(personId: string): Promise<CasePersonHeader | undefined> {
      const row = await tx
        .selectFrom('people')
        .select(['id', 'reference', 'given_name', 'family_name', 'date_of_birth', 'restricted', 'stage'])
        .where('id', '=', personId)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        id: row.id,
        reference: row.reference,
        givenName: row.given_name,
        familyName: row.family_name,
        dateOfBirth: row.date_of_birth,
        restricted: row.restricted,
        stage: row.stage,
      };
    },

    /** A case's steps in the order they happened (then the order they were recorded). */
    async steps(caseId: string): Promise<StepRecord[]> {
      const rows = await tx
        .selectFrom('case_steps as s')
        .innerJoin('accounts as a', 'a.id', 's.recorded_by')
        .select(['s.id', 's.kind', 's.occurred_on', 's.details', 's.recorded_at', 's.recorded_by', 'a.display_name', 'a.role'])
        .where('s.case_id', '=', caseId)
        .orderBy('s.occurred_on')
        .orderBy('s.recorded_at')
        .orderBy('s.id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        occurredOn: r.occurred_on,
        details: r.details,
        recordedAt: r.recorded_at,
        recordedById: r.recorded_by,
        recordedByName: r.display_name,
        recordedByRole: r.role,
      }));
    },

    async addStep(input: { caseId: string; kind: CaseStepKind; occurredOn: string; details: Record<string, unknown>; recordedBy: string; now: Date }): Promise<string> {
      const id = crypto.randomUUID();
      await tx
        .insertInto('case_steps')
        .values({
          id,
          council_id: sql<string>`app_council_id()`,
          case_id: input.caseId,
          kind: input.kind,
          occurred_on: input.occurredOn,
          details: JSON.stringify(input.details),
          recorded_by: input.recordedBy,
          recorded_at: input.now,
        })
        .execute();
      return id;
    },

    async update(caseId: string, u: CaseUpdate): Promise<void> {
      await tx
        .updateTable('cases')
        .set({
          stage: u.stage,
          next_due_on: u.nextDueOn,
          next_due_kind: u.nextDueKind,
          has_exception: u.hasException,
          status: u.status,
          closed_on: u.closedOn,
          closed_reason: u.closedReason,
          lead_worker_id: u.leadWorkerId,
          updated_at: u.updatedAt,
        })
        .where('id', '=', caseId)
        .execute();
    },

    async setPersonStage(personId: string, stage: string, since: string): Promise<void> {
      await tx
        .updateTable('people')
        .set({ stage: stage as never, stage_since: since })
        .where('id', '=', personId)
        .where('stage', '<>', stage as never)
        .execute();
    },

    /** An active staff account of this council, with its role and team. */
    async staffMember(accountId: string): Promise<{ id: string; displayName: string; role: StaffRole | null; team: string | null } | undefined> {
      const row = await tx
        .selectFrom('accounts')
        .select(['id', 'display_name', 'role', 'team'])
        .where('id', '=', accountId)
        .where('kind', '=', 'staff')
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      return row === undefined ? undefined : { id: row.id, displayName: row.display_name, role: row.role, team: row.team };
    },

    /** The active caseworkers of this council, by name: who may lead a case. */
    async caseworkers(): Promise<{ id: string; displayName: string; team: string | null }[]> {
      const rows = await tx
        .selectFrom('accounts')
        .select(['id', 'display_name', 'team'])
        .where('kind', '=', 'staff')
        .where('role', '=', 'caseworker')
        .where('disabled_at', 'is', null)
        .orderBy('display_name')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ id: r.id, displayName: r.display_name, team: r.team }));
    },

    /**
     * One page of the caseload and how many of the filtered cases are in each state, in one round
     * trip. A page past the last holds no rows (the counts still come back).
     */
    async caseloadPage(query: CaseloadQuery): Promise<{ counts: Record<CaseloadState, number>; rows: CaseloadRow[] }> {
      const found = (await tx.executeQuery(caseloadCompiled(query))).rows;
      // An empty page carries no counts: only then are they asked for on their own.
      const first = found[0] ?? (await pageAndCounts(query).counts.executeTakeFirstOrThrow());
      const rows = found.map(
        (r): CaseloadRow => ({
          caseId: r.case_id,
          personId: r.person_id,
          reference: r.reference,
          givenName: r.given_name,
          familyName: r.family_name,
          caseType: r.case_type,
          stage: r.stage,
          requestDate: r.request_date,
          nextDueOn: r.next_due_on,
          nextDueKind: r.next_due_kind,
          hasException: r.has_exception,
          leadWorkerName: r.lead_worker_name,
        }),
      );
      return {
        counts: { overdue: Number(first.overdue), due_soon: Number(first.due_soon), on_track: Number(first.on_track), no_deadline: Number(first.no_deadline) },
        rows,
      };
    },

    /** Claims a reminder: true the first time, false when it was sent before (so it is sent once). */
    async claimReminder(input: { caseId: string; about: string; dueOn: string; recipient: 'worker' | 'family'; recipientAccountId: string; now: Date }): Promise<boolean> {
      const rows = await tx
        .insertInto('case_reminders')
        .values({
          id: crypto.randomUUID(),
          council_id: sql<string>`app_council_id()`,
          case_id: input.caseId,
          about: input.about,
          due_on: input.dueOn,
          recipient: input.recipient,
          recipient_account_id: input.recipientAccountId,
          sent_at: input.now,
        })
        .onConflict((oc) => oc.columns(['case_id', 'about', 'due_on', 'recipient_account_id']).doNothing())
        .returning('id')
        .execute();
      return rows.length > 0;
    },

    /** The active family accounts linked to a person, with their email addresses. */
    async familyAccounts(personId: string): Promise<{ id: string; email: string }[]> {
      const rows = await tx
        .selectFrom('family_links as l')
        .innerJoin('accounts as a', 'a.id', 'l.account_id')
        .select(['a.id', 'a.email'])
        .where('l.person_id', '=', personId)
        .where('a.disabled_at', 'is', null)
        .orderBy('a.email')
        .execute();
      return rows.map((r) => ({ id: r.id, email: r.email }));
    },

    /**
     * A page of the open cases whose next deadline falls on or before `until` (overdue ones too),
     * after `after` in (next deadline, id) order, with what the clocks need and the lead worker's
     * address; cases whose lead worker is disabled are left out (nobody to remind).
     */
    async dueForReminders(until: string, after: { dueOn: string; caseId: string } | undefined, limit: number): Promise<DueCase[]> {
      let q = tx
        .selectFrom('cases as c')
        .innerJoin('accounts as w', 'w.id', 'c.lead_worker_id')
        .innerJoin('people as p', (j) => j.onRef('p.council_id', '=', 'c.council_id').onRef('p.id', '=', 'c.person_id'))
        .select(['c.id', 'c.person_id', 'c.case_type', 'c.request_date', 'c.phase_transfer_year', 'c.next_due_on', 'c.lead_worker_id', 'w.email', 'p.date_of_birth', 'p.reference', 'p.given_name', 'p.family_name'])
        .where('c.status', '=', 'open')
        .where('c.next_due_on', 'is not', null)
        .where('c.next_due_on', '<=', until)
        .where('w.disabled_at', 'is', null);
      if (after !== undefined) q = q.where((eb) => eb(eb.refTuple('c.next_due_on', 'c.id'), '>', eb.tuple(after.dueOn, after.caseId)));
      const rows = await q.orderBy('c.next_due_on').orderBy('c.id').limit(limit).execute();
      return rows.map((r) => ({
        caseId: r.id,
        personId: r.person_id,
        caseType: r.case_type,
        requestDate: r.request_date,
        phaseTransferYear: r.phase_transfer_year,
        nextDueOn: r.next_due_on ?? until,
        leadWorkerId: r.lead_worker_id,
        leadWorkerEmail: r.email,
        dateOfBirth: r.date_of_birth,
        reference: r.reference,
        givenName: r.given_name,
        familyName: r.family_name,
      }));
    },

    /** The steps of several cases in one query, by case, in the order they happened. */
    async stepsOfCases(caseIds: readonly string[]): Promise<Map<string, { id: string; kind: CaseStepKind; occurredOn: string; details: Record<string, unknown>; recordedAt: Date }[]>> {
      const byCase = new Map<string, { id: string; kind: CaseStepKind; occurredOn: string; details: Record<string, unknown>; recordedAt: Date }[]>();
      if (caseIds.length === 0) return byCase;
      const rows = await tx
        .selectFrom('case_steps as s')
        .select(['s.case_id', 's.id', 's.kind', 's.occurred_on', 's.details', 's.recorded_at'])
        .where('s.case_id', 'in', caseIds)
        .orderBy('s.case_id')
        .orderBy('s.occurred_on')
        .orderBy('s.recorded_at')
        .orderBy('s.id')
        .execute();
      for (const r of rows) {
        const list = byCase.get(r.case_id) ?? [];
        list.push({ id: r.id, kind: r.kind, occurredOn: r.occurred_on, details: r.details, recordedAt: r.recorded_at });
        byCase.set(r.case_id, list);
      }
      return byCase;
    },

    /** Claims several reminders at once; returns the keys claimed now (those sent before are not). */
    async claimReminders(
      claims: readonly { caseId: string; about: string; dueOn: string; recipient: 'worker' | 'family'; recipientAccountId: string }[],
      now: Date,
    ): Promise<Set<string>> {
      if (claims.length === 0) return new Set();
      const rows = await tx
        .insertInto('case_reminders')
        .values(
          claims.map((c) => ({
            id: crypto.randomUUID(),
            council_id: sql<string>`app_council_id()`,
            case_id: c.caseId,
            about: c.about,
            due_on: c.dueOn,
            recipient: c.recipient,
            recipient_account_id: c.recipientAccountId,
            sent_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['case_id', 'about', 'due_on', 'recipient_account_id']).doNothing())
        .returning(['case_id', 'about', 'due_on', 'recipient_account_id'])
        .execute();
      return new Set(rows.map((r) => reminderKey({ caseId: r.case_id, about: r.about, dueOn: r.due_on, recipientAccountId: r.recipient_account_id })));
    },
  };
}

export type CasesRepository = ReturnType<typeof casesRepository>;
