/** Support plans, their versions, comments and personal budget requests (migration 0010). SQL only. */
import type { TenantTx } from '../tenancy.ts';
import type { PlanCommentStatus, PlanKind, PlanStatus } from '../schema.ts';
import { STREAM_CODES, type StreamCode } from '../../domain/allocation/model.ts';

export interface PlanRecord {
  readonly id: string;
  readonly councilId: string;
  readonly personId: string;
  readonly caseId: string;
  readonly kind: PlanKind;
  readonly replacesPlanId: string | null;
  readonly status: PlanStatus;
  readonly currentVersion: number;
  readonly authorId: string;
  readonly authorName: string;
  readonly indicativeBudget: Partial<Record<StreamCode, bigint>>;
  readonly periodStartsOn: string | null;
  readonly periodEndsOn: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly person: { readonly reference: string; readonly name: string; readonly dateOfBirth: string };
  readonly caseType: string;
}

export interface PlanVersionRecord {
  readonly version: number;
  /** The stored document, parsed by the service with contentFromJson. */
  readonly content: unknown;
  readonly totalPence: bigint;
  readonly changeNote: string;
  readonly createdBy: string;
  readonly createdByName: string;
  readonly createdAt: Date;
}

export interface PlanCommentRecord {
  readonly id: string;
  readonly planId: string;
  readonly version: number;
  readonly section: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly body: string;
  readonly proposedChange: string | null;
  readonly status: PlanCommentStatus;
  readonly responseNote: string | null;
  readonly respondedByName: string | null;
  readonly respondedAt: Date | null;
  readonly createdAt: Date;
}

export interface BudgetRequestRecord {
  readonly id: string;
  readonly planId: string;
  readonly stage: 'draft' | 'review';
  readonly scope: 'all' | 'some';
  readonly itemIds: readonly string[];
  readonly note: string | null;
  readonly requestedByName: string;
  readonly requestedOn: string;
  readonly createdAt: Date;
}

function budgetFromJson(value: Record<string, string>): Partial<Record<StreamCode, bigint>> {
  const out: Partial<Record<StreamCode, bigint>> = {};
  for (const code of STREAM_CODES) {
    const v = value[code];
    if (typeof v === 'string' && /^\d+$/.test(v)) out[code] = BigInt(v);
  }
  return out;
}

export function plansRepository(tx: TenantTx) {
  const plans = () =>
    tx
      .selectFrom('plans as pl')
      .innerJoin('people as p', 'p.id', 'pl.person_id')
      .innerJoin('cases as c', 'c.id', 'pl.case_id')
      .innerJoin('accounts as a', 'a.id', 'pl.author_id')
      .select([
        'pl.id',
        'pl.council_id',
        'pl.person_id',
        'pl.case_id',
        'pl.kind',
        'pl.replaces_plan_id',
        'pl.status',
        'pl.current_version',
        'pl.author_id',
        'a.display_name as author_name',
        'pl.indicative_budget',
        'pl.period_starts_on',
        'pl.period_ends_on',
        'pl.created_at',
        'pl.updated_at',
        'p.reference',
        'p.given_name',
        'p.family_name',
        'p.date_of_birth',
        'c.case_type',
      ]);
  type PlanRow = Awaited<ReturnType<ReturnType<typeof plans>['executeTakeFirstOrThrow']>>;
  const toPlan = (r: PlanRow): PlanRecord => ({
    id: r.id,
    councilId: r.council_id,
    personId: r.person_id,
    caseId: r.case_id,
    kind: r.kind,
    replacesPlanId: r.replaces_plan_id,
    status: r.status,
    currentVersion: r.current_version,
    authorId: r.author_id,
    authorName: r.author_name,
    indicativeBudget: budgetFromJson(r.indicative_budget),
    periodStartsOn: r.period_starts_on,
    periodEndsOn: r.period_ends_on,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    person: { reference: r.reference, name: `${r.given_name} ${r.family_name}`, dateOfBirth: r.date_of_birth },
    caseType: r.case_type,
  });

  const comments = () =>
    tx
      .selectFrom('plan_comments as pc')
      .innerJoin('accounts as a', 'a.id', 'pc.author_id')
      .leftJoin('accounts as r', 'r.id', 'pc.responded_by')
      .select([
        'pc.id',
        'pc.plan_id',
        'pc.version',
        'pc.section',
        'pc.author_id',
        'a.display_name as author_name',
        'pc.body',
        'pc.proposed_change',
        'pc.status',
        'pc.response_note',
        'r.display_name as responded_by_name',
        'pc.responded_at',
        'pc.created_at',
      ]);
  type CommentRow = Awaited<ReturnType<ReturnType<typeof comments>['executeTakeFirstOrThrow']>>;
  const toComment = (r: CommentRow): PlanCommentRecord => ({
    id: r.id,
    planId: r.plan_id,
    version: r.version,
    section: r.section,
    authorId: r.author_id,
    authorName: r.author_name,
    body: r.body,
    proposedChange: r.proposed_change,
    status: r.status,
    responseNote: r.response_note,
    respondedByName: r.responded_by_name,
    respondedAt: r.responded_at,
    createdAt: r.created_at,
  });

  return {
    // ---- Plans -------------------------------------------------------------------------------
    async caseOf(caseId: string): Promise<{ id: string; personId: string; status: string } | undefined> {
      return tx.selectFrom('cases').select(['id', 'person_id as personId', 'status']).where('id', '=', caseId).executeTakeFirst();
    },

    /** The person's open cases, oldest first: a plan is started from one. */
    async openCasesOf(personId: string): Promise<{ id: string; caseType: string; requestDate: string }[]> {
      return tx
        .selectFrom('cases')
        .select(['id', 'case_type as caseType', 'request_date as requestDate'])
        .where('person_id', '=', personId)
        .where('status', '=', 'open')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /** The person's latest allocation result per stream, in pence (empty when there is none). */
    async latestIndicativeBudget(personId: string): Promise<Partial<Record<StreamCode, bigint>>> {
      const row = await tx
        .selectFrom('allocation_results')
        .select(['education_high_needs_pence', 'social_care_pence', 'health_continuing_care_pence'])
        .where('person_id', '=', personId)
        .orderBy('scored_at', 'desc')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      const out: Partial<Record<StreamCode, bigint>> = {};
      if (row === undefined) return out;
      if (row.education_high_needs_pence !== null) out.education_high_needs = BigInt(row.education_high_needs_pence);
      if (row.social_care_pence !== null) out.social_care = BigInt(row.social_care_pence);
      if (row.health_continuing_care_pence !== null) out.health_continuing_care = BigInt(row.health_continuing_care_pence);
      return out;
    },

    /** The stream codes the council funds. */
    async fundedStreams(): Promise<StreamCode[]> {
      const rows = await tx.selectFrom('funding_streams').select('code').execute();
      return STREAM_CODES.filter((code) => rows.some((r) => r.code === code));
    },

    /** The plans of a case, newest first. */
    async plansOfCase(caseId: string): Promise<PlanRecord[]> {
      return (await plans().where('pl.case_id', '=', caseId).orderBy('pl.created_at', 'desc').orderBy('pl.id').execute()).map(toPlan);
    },

    async plansOfPerson(personId: string): Promise<PlanRecord[]> {
      return (await plans().where('pl.person_id', '=', personId).orderBy('pl.created_at', 'desc').orderBy('pl.id').execute()).map(toPlan);
    },

    async planById(planId: string): Promise<PlanRecord | undefined> {
      const row = await plans().where('pl.id', '=', planId).executeTakeFirst();
      return row && toPlan(row);
    },

    /** Locks the plan row for the rest of the transaction, so that two saves make versions one after the other. */
    async lockPlan(planId: string): Promise<void> {
      await tx.selectFrom('plans').select('id').where('id', '=', planId).forUpdate().execute();
    },

    /** A plan with version 1. */
    async createPlan(row: {
      id: string;
      councilId: string;
      personId: string;
      caseId: string;
      kind: PlanKind;
      replacesPlanId: string | null;
      authorId: string;
      indicativeBudget: Partial<Record<StreamCode, bigint>>;
      contentJson: string;
      totalPence: bigint;
      changeNote: string;
      now: Date;
    }): Promise<void> {
      const budget = Object.fromEntries(Object.entries(row.indicativeBudget).map(([k, v]) => [k, v.toString()]));
      await tx
        .insertInto('plans')
        .values({
          id: row.id,
          council_id: row.councilId,
          person_id: row.personId,
          case_id: row.caseId,
          kind: row.kind,
          replaces_plan_id: row.replacesPlanId,
          status: 'draft',
          current_version: 1,
          author_id: row.authorId,
          indicative_budget: JSON.stringify(budget),
          created_at: row.now,
          updated_at: row.now,
        })
        .execute();
      await tx
        .insertInto('plan_versions')
        .values({
          council_id: row.councilId,
          plan_id: row.id,
          version: 1,
          content: row.contentJson,
          total_pence: row.totalPence,
          change_note: row.changeNote,
          created_by: row.authorId,
          created_at: row.now,
        })
        .execute();
    },

    /**
     * Adds the next version and makes it current; a returned plan becomes a draft again. Returns the
     * new version number, or undefined when the plan is not (or no longer) editable.
     */
    async addVersion(row: {
      councilId: string;
      planId: string;
      expectedVersion: number;
      contentJson: string;
      totalPence: bigint;
      changeNote: string;
      by: string;
      now: Date;
    }): Promise<number | undefined> {
      const next = row.expectedVersion + 1;
      const updated = await tx
        .updateTable('plans')
        .set({ current_version: next, status: 'draft', updated_at: row.now })
        .where('id', '=', row.planId)
        .where('current_version', '=', row.expectedVersion)
        .where('status', 'in', ['draft', 'returned'])
        .executeTakeFirst();
      if (updated.numUpdatedRows !== 1n) return undefined;
      await tx
        .insertInto('plan_versions')
        .values({
          council_id: row.councilId,
          plan_id: row.planId,
          version: next,
          content: row.contentJson,
          total_pence: row.totalPence,
          change_note: row.changeNote,
          created_by: row.by,
          created_at: row.now,
        })
        .execute();
      return next;
    },

    async version(planId: string, version: number): Promise<PlanVersionRecord | undefined> {
      const row = await tx
        .selectFrom('plan_versions as v')
        .innerJoin('accounts as a', 'a.id', 'v.created_by')
        .select(['v.version', 'v.content', 'v.total_pence', 'v.change_note', 'v.created_by', 'a.display_name', 'v.created_at'])
        .where('v.plan_id', '=', planId)
        .where('v.version', '=', version)
        .executeTakeFirst();
      return (
        row && {
          version: row.version,
          content: row.content,
          totalPence: row.total_pence,
          changeNote: row.change_note,
          createdBy: row.created_by,
          createdByName: row.display_name,
          createdAt: row.created_at,
        }
      );
    },

    /** Every version, newest first, without its content. */
    async versions(planId: string): Promise<Omit<PlanVersionRecord, 'content'>[]> {
      const rows = await tx
        .selectFrom('plan_versions as v')
        .innerJoin('accounts as a', 'a.id', 'v.created_by')
        .select(['v.version', 'v.total_pence', 'v.change_note', 'v.created_by', 'a.display_name', 'v.created_at'])
        .where('v.plan_id', '=', planId)
        .orderBy('v.version', 'desc')
        .execute();
      return rows.map((r) => ({
        version: r.version,
        totalPence: r.total_pence,
        changeNote: r.change_note,
        createdBy: r.created_by,
        createdByName: r.display_name,
        createdAt: r.created_at,
      }));
    },

    // ---- Comments ----------------------------------------------------------------------------
    async addComment(row: {
      id: string;
      councilId: string;
      planId: string;
      version: number;
      section: string;
      authorId: string;
      body: string;
      proposedChange: string | null;
      now: Date;
    }): Promise<void> {
      await tx
        .insertInto('plan_comments')
        .values({
          id: row.id,
          council_id: row.councilId,
          plan_id: row.planId,
          version: row.version,
          section: row.section,
          author_id: row.authorId,
          body: row.body,
          proposed_change: row.proposedChange,
          status: 'open',
          created_at: row.now,
        })
        .execute();
    },

    async commentsOf(planId: string): Promise<PlanCommentRecord[]> {
      return (await comments().where('pc.plan_id', '=', planId).orderBy('pc.created_at').orderBy('pc.id').execute()).map(toComment);
    },

    async commentById(commentId: string): Promise<PlanCommentRecord | undefined> {
      const row = await comments().where('pc.id', '=', commentId).executeTakeFirst();
      return row && toComment(row);
    },

    /** Answers an open comment; false when it was already answered. */
    async respondToComment(row: { commentId: string; status: 'accepted' | 'declined'; note: string; by: string; now: Date }): Promise<boolean> {
      const updated = await tx
        .updateTable('plan_comments')
        .set({ status: row.status, response_note: row.note, responded_by: row.by, responded_at: row.now })
        .where('id', '=', row.commentId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return updated.numUpdatedRows === 1n;
    },

    // ---- Personal budget requests ------------------------------------------------------------
    async addBudgetRequest(row: {
      id: string;
      councilId: string;
      personId: string;
      planId: string;
      stage: 'draft' | 'review';
      scope: 'all' | 'some';
      itemIds: readonly string[];
      note: string | null;
      by: string;
      on: string;
      now: Date;
    }): Promise<void> {
      await tx
        .insertInto('personal_budget_requests')
        .values({
          id: row.id,
          council_id: row.councilId,
          person_id: row.personId,
          plan_id: row.planId,
          stage: row.stage,
          scope: row.scope,
          item_ids: JSON.stringify(row.itemIds),
          note: row.note,
          requested_by: row.by,
          requested_on: row.on,
          created_at: row.now,
        })
        .execute();
    },

    async budgetRequestsOf(planId: string): Promise<BudgetRequestRecord[]> {
      const rows = await tx
        .selectFrom('personal_budget_requests as r')
        .innerJoin('accounts as a', 'a.id', 'r.requested_by')
        .select(['r.id', 'r.plan_id', 'r.stage', 'r.scope', 'r.item_ids', 'r.note', 'a.display_name', 'r.requested_on', 'r.created_at'])
        .where('r.plan_id', '=', planId)
        .orderBy('r.created_at')
        .orderBy('r.id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        planId: r.plan_id,
        stage: r.stage,
        scope: r.scope,
        itemIds: r.item_ids,
        note: r.note,
        requestedByName: r.display_name,
        requestedOn: r.requested_on,
        createdAt: r.created_at,
      }));
    },
  };
}

export type PlansRepository = ReturnType<typeof plansRepository>;
