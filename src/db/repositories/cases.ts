/** Cases, their steps and reminders (migration 0009). SQL only; the rules are in src/domain/pathway/. */
import crypto from 'node:crypto';
import { sql } from 'kysely';
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

export interface CaseloadFilter {
  /** Lead worker ids to list (one for "mine", a team's for "team"); undefined for every worker. */
  readonly leadWorkerIds?: readonly string[] | undefined;
  readonly caseType?: CaseType | undefined;
  readonly stage?: string | undefined;
  readonly text?: string | undefined;
  /**
   * Restricted people's cases are listed only to the workers named on them: the restricted people
   * this viewer may see (restrictedPeopleVisibleTo), or none.
   */
  readonly visibleRestrictedPersonIds: readonly string[];
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
    let q = tx.selectFrom('cases as c').where('c.status', '=', 'open');
    if (filter.leadWorkerIds !== undefined) {
      if (filter.leadWorkerIds.length === 0) q = q.where(sql<boolean>`false`);
      else q = q.where('c.lead_worker_id', 'in', filter.leadWorkerIds);
    }
    if (filter.caseType !== undefined) q = q.where('c.case_type', '=', filter.caseType);
    if (filter.stage !== undefined) q = q.where('c.stage', '=', filter.stage);
    const visible = filter.visibleRestrictedPersonIds;
    if (visible.length === 0) q = q.where('c.person_restricted', '=', false);
    else q = q.where((eb) => eb.or([eb('c.person_restricted', '=', false), eb('c.person_id', 'in', visible)]));
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
     * The staff accounts in this worker's team, the worker included (active or not: a disabled
     * worker's cases still belong to the team); just the worker when they have no team.
     */
    async teamMemberIds(accountId: string): Promise<string[]> {
      const rows = await tx
        .selectFrom('accounts as a')
        .select('a.id')
        .where('a.kind', '=', 'staff')
        .where((eb) => eb.or([eb('a.id', '=', accountId), eb('a.team', '=', eb.selectFrom('accounts as me').select('me.team').where('me.id', '=', accountId))]))
        .execute();
      return rows.map((r) => r.id);
    },

    /** The restricted people whose records this worker may open: as their lead worker or named on them. */
    async restrictedPeopleVisibleTo(accountId: string): Promise<string[]> {
      const rows = await tx
        .selectFrom('people as p')
        .select('p.id')
        .where('p.restricted', '=', true)
        .where((eb) =>
          eb.or([
            eb('p.lead_worker_id', '=', accountId),
            eb.exists(eb.selectFrom('named_workers as n').select('n.person_id').whereRef('n.person_id', '=', 'p.id').where('n.account_id', '=', accountId)),
          ]),
        )
        .execute();
      return rows.map((r) => r.id);
    },

    /** One page of the caseload. */
    async caseload(query: CaseloadQuery): Promise<CaseloadRow[]> {
      let q = caseload(query)
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
        ]);
      switch (query.state) {
        case 'overdue':
          q = q.where('c.next_due_on', '<', query.today);
          break;
        case 'due_soon':
          q = q.where('c.next_due_on', '>=', query.today).where('c.next_due_on', '<=', query.soonUntil);
          break;
        case 'on_track':
          q = q.where('c.next_due_on', '>', query.soonUntil);
          break;
        case 'no_deadline':
          q = q.where('c.next_due_on', 'is', null);
          break;
        case undefined:
          break;
      }
      if (query.sort === 'name') q = q.orderBy('p.family_name').orderBy('p.given_name').orderBy('c.id');
      else if (query.sort === 'request_date') q = q.orderBy('c.request_date').orderBy('c.id');
      else q = q.orderBy(sql`c.next_due_on asc nulls last`).orderBy('c.id');
      const rows = await q.offset(query.offset).limit(query.limit).execute();
      return rows.map((r) => ({
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
      }));
    },

    /** How many of the filtered cases are in each state, in one query. */
    async caseloadCounts(filter: CaseloadFilter & { today: string; soonUntil: string }): Promise<Record<CaseloadState, number>> {
      const row = await caseload(filter)
        .select([
          sql<string>`count(*) filter (where c.next_due_on < ${filter.today})`.as('overdue'),
          sql<string>`count(*) filter (where c.next_due_on >= ${filter.today} and c.next_due_on <= ${filter.soonUntil})`.as('due_soon'),
          sql<string>`count(*) filter (where c.next_due_on > ${filter.soonUntil})`.as('on_track'),
          sql<string>`count(*) filter (where c.next_due_on is null)`.as('no_deadline'),
        ])
        .executeTakeFirstOrThrow();
      return { overdue: Number(row.overdue), due_soon: Number(row.due_soon), on_track: Number(row.on_track), no_deadline: Number(row.no_deadline) };
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

    /** Open cases whose next deadline falls on or before `until` (overdue ones too), with their lead worker's address. */
    async dueBy(until: string): Promise<{ caseId: string; personId: string; leadWorkerId: string; leadWorkerEmail: string; leadWorkerDisabled: boolean }[]> {
      const rows = await tx
        .selectFrom('cases as c')
        .innerJoin('accounts as w', 'w.id', 'c.lead_worker_id')
        .select(['c.id', 'c.person_id', 'c.lead_worker_id', 'w.email', 'w.disabled_at'])
        .where('c.status', '=', 'open')
        .where('c.next_due_on', 'is not', null)
        .where('c.next_due_on', '<=', until)
        .orderBy('c.next_due_on')
        .orderBy('c.id')
        .execute();
      return rows.map((r) => ({ caseId: r.id, personId: r.person_id, leadWorkerId: r.lead_worker_id, leadWorkerEmail: r.email, leadWorkerDisabled: r.disabled_at !== null }));
    },
  };
}

export type CasesRepository = ReturnType<typeof casesRepository>;
