/** Sign-off decisions, tiers, agreements, direct payment refusals, DBS checks and personal budgets (migration 0010). */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { TenantTx } from '../tenancy.ts';
import type { Management, PlanStatus } from '../schema.ts';

export interface TierRecord {
  readonly id: string;
  readonly name: string;
  readonly upToPence: bigint;
}

export interface ApproverRecord {
  readonly id: string;
  readonly name: string;
  readonly limitPence: bigint | null;
}

export interface WaitingPlanRecord {
  readonly planId: string;
  readonly personId: string;
  readonly personName: string;
  readonly reference: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly version: number;
  readonly totalPence: bigint;
  readonly submittedAt: Date | null;
  readonly submittedByName: string | null;
}

export type DecisionKind = 'submitted' | 'approved' | 'returned' | 'panel_approved' | 'panel_returned';

export interface DecisionRecord {
  readonly id: string;
  readonly version: number;
  readonly decision: DecisionKind;
  readonly decidedBy: string;
  readonly decidedByName: string;
  readonly decidedAt: Date;
  readonly reasons: string;
  readonly totalPence: bigint;
  readonly limitPence: bigint | null;
  readonly panelDate: string | null;
  readonly panelMembers: string | null;
}

export interface RefusalRecord {
  readonly id: string;
  readonly planId: string;
  readonly personId: string;
  readonly version: number;
  readonly itemIds: readonly string[];
  readonly outcome: 'refused' | 'withheld';
  readonly category: 'safeguarding' | 'consent' | 'capacity' | 'efficient_use_of_resources' | 'no_head_teacher_agreement';
  readonly reasons: string;
  readonly decidedByName: string;
  readonly decidedOn: string;
}

export interface DbsCheckRecord {
  readonly id: string;
  readonly itemId: string;
  readonly kind: 'check' | 'exception';
  readonly checkedOn: string | null;
  readonly certificateNumber: string | null;
  readonly exceptionReason: string | null;
  readonly recordedByName: string;
  readonly recordedAt: Date;
}

export interface PersonalBudgetRecord {
  readonly id: string;
  readonly planId: string;
  readonly version: number;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly totalPence: bigint;
  readonly lines: readonly { readonly stream: string; readonly streamName: string; readonly management: Management; readonly annualPence: bigint }[];
}

export function signOffRepository(tx: TenantTx) {
  return {
    async tiers(): Promise<TierRecord[]> {
      const rows = await tx.selectFrom('approval_tiers').select(['id', 'name', 'up_to_pence']).orderBy('up_to_pence').execute();
      return rows.map((r) => ({ id: r.id, name: r.name, upToPence: BigInt(r.up_to_pence) }));
    },

    /** Replaces every tier of the council in one go. */
    async replaceTiers(councilId: string, tiers: readonly { name: string; upToPence: bigint }[]): Promise<void> {
      await tx.deleteFrom('approval_tiers').where('council_id', '=', councilId).execute();
      if (tiers.length === 0) return;
      await tx
        .insertInto('approval_tiers')
        .values(tiers.map((t) => ({ id: crypto.randomUUID(), council_id: councilId, name: t.name, up_to_pence: t.upToPence })))
        .execute();
    },

    /** Active approvers of the council with their own limits (NULL: they cannot approve plans). */
    async approvers(): Promise<ApproverRecord[]> {
      const rows = await tx
        .selectFrom('accounts')
        .select(['id', 'display_name', 'approval_limit_pence'])
        .where('kind', '=', 'staff')
        .where('role', '=', 'approver')
        .where('disabled_at', 'is', null)
        .orderBy('display_name')
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.display_name, limitPence: r.approval_limit_pence == null ? null : BigInt(r.approval_limit_pence) }));
    },

    async approverLimit(accountId: string): Promise<bigint | null> {
      const row = await tx.selectFrom('accounts').select('approval_limit_pence').where('id', '=', accountId).executeTakeFirst();
      return row?.approval_limit_pence == null ? null : BigInt(row.approval_limit_pence);
    },

    /** Plans with status 'submitted', oldest submission first. */
    async waiting(): Promise<WaitingPlanRecord[]> {
      const rows = await tx
        .selectFrom('plans as p')
        .innerJoin('people as pe', 'pe.id', 'p.person_id')
        .innerJoin('plan_versions as v', (j) => j.onRef('v.plan_id', '=', 'p.id').onRef('v.version', '=', 'p.current_version'))
        .innerJoin('accounts as a', 'a.id', 'p.author_id')
        .leftJoin('plan_decisions as d', (j) =>
          j
            .onRef('d.plan_id', '=', 'p.id')
            .on('d.decision', '=', 'submitted')
            .on(sql<boolean>`d.decided_at = (SELECT max(d2.decided_at) FROM plan_decisions d2 WHERE d2.plan_id = p.id AND d2.decision = 'submitted')`),
        )
        .leftJoin('accounts as s', 's.id', 'd.decided_by')
        .select([
          'p.id as planId',
          'p.person_id as personId',
          'pe.given_name',
          'pe.family_name',
          'pe.reference',
          'p.author_id as authorId',
          'a.display_name as authorName',
          'p.current_version as version',
          'v.total_pence',
          'd.decided_at as submittedAt',
          's.display_name as submittedByName',
        ])
        .where('p.status', '=', 'submitted')
        .orderBy('d.decided_at')
        .orderBy('pe.reference')
        .execute();
      return rows.map((r) => ({
        planId: r.planId,
        personId: r.personId,
        personName: `${r.given_name} ${r.family_name}`,
        reference: r.reference,
        authorId: r.authorId,
        authorName: r.authorName,
        version: r.version,
        totalPence: BigInt(r.total_pence),
        submittedAt: r.submittedAt ?? null,
        submittedByName: r.submittedByName ?? null,
      }));
    },

    async insertDecision(d: {
      councilId: string;
      planId: string;
      version: number;
      decision: DecisionKind;
      decidedBy: string;
      decidedAt: Date;
      reasons: string;
      totalPence: bigint;
      limitPence: bigint | null;
      panelDate?: string | null;
      panelMembers?: string | null;
    }): Promise<string> {
      const id = crypto.randomUUID();
      await tx
        .insertInto('plan_decisions')
        .values({
          id,
          council_id: d.councilId,
          plan_id: d.planId,
          version: d.version,
          decision: d.decision,
          decided_by: d.decidedBy,
          decided_at: d.decidedAt,
          reasons: d.reasons,
          total_pence: d.totalPence,
          limit_pence: d.limitPence,
          panel_date: d.panelDate ?? null,
          panel_members: d.panelMembers ?? null,
        })
        .execute();
      return id;
    },

    async decisions(planId: string): Promise<DecisionRecord[]> {
      const rows = await tx
        .selectFrom('plan_decisions as d')
        .innerJoin('accounts as a', 'a.id', 'd.decided_by')
        .select(['d.id', 'd.version', 'd.decision', 'd.decided_by', 'a.display_name', 'd.decided_at', 'd.reasons', 'd.total_pence', 'd.limit_pence', 'd.panel_date', 'd.panel_members'])
        .where('d.plan_id', '=', planId)
        .orderBy('d.decided_at')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        version: r.version,
        decision: r.decision,
        decidedBy: r.decided_by,
        decidedByName: r.display_name,
        decidedAt: r.decided_at,
        reasons: r.reasons,
        totalPence: BigInt(r.total_pence),
        limitPence: r.limit_pence == null ? null : BigInt(r.limit_pence),
        panelDate: r.panel_date ?? null,
        panelMembers: r.panel_members ?? null,
      }));
    },

    /**
     * Moves a plan on only from the status expected: false when it had already moved (someone else
     * decided first), so two approvers at once cannot both decide.
     */
    async setStatus(planId: string, expected: PlanStatus, next: PlanStatus, at: Date): Promise<boolean> {
      const result = await tx
        .updateTable('plans')
        .set({ status: next, updated_at: at })
        .where('id', '=', planId)
        .where('status', '=', expected)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** The agreed plan(s) of the case other than this one become 'superseded'. */
    async supersedeAgreed(caseId: string, exceptPlanId: string, at: Date): Promise<void> {
      await tx
        .updateTable('plans')
        .set({ status: 'superseded', updated_at: at })
        .where('case_id', '=', caseId)
        .where('status', '=', 'agreed')
        .where('id', '<>', exceptPlanId)
        .execute();
    },

    async setPersonStage(personId: string, stage: 'approval' | 'planning' | 'agreed', since: string): Promise<void> {
      await tx.updateTable('people').set({ stage, stage_since: since }).where('id', '=', personId).execute();
    },

    async insertAgreement(a: { councilId: string; planId: string; version: number; agreedBy: string; typedName: string; agreedOn: string; recordedAt: Date }): Promise<void> {
      await tx
        .insertInto('plan_agreements')
        .values({
          plan_id: a.planId,
          council_id: a.councilId,
          version: a.version,
          agreed_by: a.agreedBy,
          typed_name: a.typedName,
          agreed_on: a.agreedOn,
          confirmed: true,
          recorded_at: a.recordedAt,
        })
        .execute();
    },

    async agreement(planId: string): Promise<{ typedName: string; agreedOn: string; agreedByName: string } | undefined> {
      const r = await tx
        .selectFrom('plan_agreements as g')
        .innerJoin('accounts as a', 'a.id', 'g.agreed_by')
        .select(['g.typed_name', 'g.agreed_on', 'a.display_name'])
        .where('g.plan_id', '=', planId)
        .executeTakeFirst();
      return r === undefined ? undefined : { typedName: r.typed_name, agreedOn: r.agreed_on, agreedByName: r.display_name };
    },

    async insertRefusal(r: {
      councilId: string;
      planId: string;
      version: number;
      itemIds: readonly string[];
      outcome: 'refused' | 'withheld';
      category: RefusalRecord['category'];
      reasons: string;
      decidedBy: string;
      decidedOn: string;
      recordedAt: Date;
    }): Promise<string> {
      const id = crypto.randomUUID();
      await tx
        .insertInto('direct_payment_refusals')
        .values({
          id,
          council_id: r.councilId,
          plan_id: r.planId,
          version: r.version,
          item_ids: JSON.stringify(r.itemIds),
          outcome: r.outcome,
          category: r.category,
          reasons: r.reasons,
          decided_by: r.decidedBy,
          decided_on: r.decidedOn,
          recorded_at: r.recordedAt,
        })
        .execute();
      return id;
    },

    async refusals(planId: string): Promise<RefusalRecord[]> {
      return (await refusalQuery().where('r.plan_id', '=', planId).orderBy('r.recorded_at').execute()).map(refusalRecord);
    },

    async refusal(refusalId: string): Promise<RefusalRecord | undefined> {
      const row = await refusalQuery().where('r.id', '=', refusalId).executeTakeFirst();
      return row === undefined ? undefined : refusalRecord(row);
    },

    async insertDbs(d: {
      councilId: string;
      planId: string;
      itemId: string;
      kind: 'check' | 'exception';
      checkedOn: string | null;
      certificateNumber: string | null;
      exceptionReason: string | null;
      recordedBy: string;
      recordedAt: Date;
    }): Promise<string> {
      const id = crypto.randomUUID();
      await tx
        .insertInto('dbs_checks')
        .values({
          id,
          council_id: d.councilId,
          plan_id: d.planId,
          item_id: d.itemId,
          kind: d.kind,
          checked_on: d.checkedOn,
          certificate_number: d.certificateNumber,
          exception_reason: d.exceptionReason,
          recorded_by: d.recordedBy,
          recorded_at: d.recordedAt,
        })
        .execute();
      return id;
    },

    async dbsChecks(planId: string): Promise<DbsCheckRecord[]> {
      const rows = await tx
        .selectFrom('dbs_checks as c')
        .innerJoin('accounts as a', 'a.id', 'c.recorded_by')
        .select(['c.id', 'c.item_id', 'c.kind', 'c.checked_on', 'c.certificate_number', 'c.exception_reason', 'a.display_name', 'c.recorded_at'])
        .where('c.plan_id', '=', planId)
        .orderBy('c.recorded_at')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        itemId: r.item_id,
        kind: r.kind,
        checkedOn: r.checked_on ?? null,
        certificateNumber: r.certificate_number ?? null,
        exceptionReason: r.exception_reason ?? null,
        recordedByName: r.display_name,
        recordedAt: r.recorded_at,
      }));
    },

    /**
     * Makes the person's personal budget from an agreed plan: ends any active one, inserts the new
     * budget and its lines (by stream code and way of managing), and replaces the person's current
     * budget lines with the same amounts.
     */
    async createPersonalBudget(b: {
      councilId: string;
      personId: string;
      planId: string;
      version: number;
      startsOn: string;
      endsOn: string;
      totalPence: bigint;
      lines: readonly { stream: string; management: Management; annualPence: bigint; description: string }[];
      createdAt: Date;
    }): Promise<string> {
      const streams = await tx.selectFrom('funding_streams').select(['id', 'code']).execute();
      const streamId = new Map(streams.map((s) => [s.code as string, s.id]));
      await tx.updateTable('personal_budgets').set({ status: 'ended' }).where('person_id', '=', b.personId).where('status', '=', 'active').execute();
      const id = crypto.randomUUID();
      await tx
        .insertInto('personal_budgets')
        .values({
          id,
          council_id: b.councilId,
          person_id: b.personId,
          plan_id: b.planId,
          version: b.version,
          starts_on: b.startsOn,
          ends_on: b.endsOn,
          total_pence: b.totalPence,
          status: 'active',
          created_at: b.createdAt,
        })
        .execute();
      const lines = b.lines.map((line) => {
        const fundingStreamId = streamId.get(line.stream);
        if (fundingStreamId === undefined) throw new Error(`The council has no funding stream ${line.stream}`);
        return { ...line, fundingStreamId };
      });
      await tx.deleteFrom('budget_lines').where('person_id', '=', b.personId).execute();
      if (lines.length > 0) {
        await tx
          .insertInto('personal_budget_lines')
          .values(lines.map((l) => ({ id: crypto.randomUUID(), council_id: b.councilId, personal_budget_id: id, funding_stream_id: l.fundingStreamId, management: l.management, annual_pence: l.annualPence })))
          .execute();
        await tx
          .insertInto('budget_lines')
          .values(lines.map((l) => ({ id: crypto.randomUUID(), council_id: b.councilId, person_id: b.personId, funding_stream_id: l.fundingStreamId, management: l.management, description: l.description, annual_pence: l.annualPence })))
          .execute();
      }
      await tx.updateTable('people').set({ current_package_pence: b.totalPence }).where('id', '=', b.personId).execute();
      return id;
    },

    async activeBudget(personId: string): Promise<PersonalBudgetRecord | undefined> {
      const budget = await tx
        .selectFrom('personal_budgets')
        .select(['id', 'plan_id', 'version', 'starts_on', 'ends_on', 'total_pence'])
        .where('person_id', '=', personId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (budget === undefined) return undefined;
      const lines = await tx
        .selectFrom('personal_budget_lines as l')
        .innerJoin('funding_streams as f', 'f.id', 'l.funding_stream_id')
        .select(['f.code', 'f.name', 'l.management', 'l.annual_pence'])
        .where('l.personal_budget_id', '=', budget.id)
        .orderBy('f.code')
        .orderBy('l.management')
        .execute();
      return {
        id: budget.id,
        planId: budget.plan_id,
        version: budget.version,
        startsOn: budget.starts_on,
        endsOn: budget.ends_on,
        totalPence: BigInt(budget.total_pence),
        lines: lines.map((l) => ({ stream: l.code, streamName: l.name, management: l.management, annualPence: BigInt(l.annual_pence) })),
      };
    },
  };

  function refusalQuery() {
    return tx
      .selectFrom('direct_payment_refusals as r')
      .innerJoin('plans as p', 'p.id', 'r.plan_id')
      .innerJoin('accounts as a', 'a.id', 'r.decided_by')
      .select(['r.id', 'r.plan_id', 'p.person_id', 'r.version', 'r.item_ids', 'r.outcome', 'r.category', 'r.reasons', 'a.display_name', 'r.decided_on']);
  }
}

function refusalRecord(r: {
  id: string;
  plan_id: string;
  person_id: string;
  version: number;
  item_ids: string[];
  outcome: RefusalRecord['outcome'];
  category: RefusalRecord['category'];
  reasons: string;
  display_name: string;
  decided_on: string;
}): RefusalRecord {
  return {
    id: r.id,
    planId: r.plan_id,
    personId: r.person_id,
    version: r.version,
    itemIds: r.item_ids,
    outcome: r.outcome,
    category: r.category,
    reasons: r.reasons,
    decidedByName: r.display_name,
    decidedOn: r.decided_on,
  };
}

export type SignOffRepository = ReturnType<typeof signOffRepository>;
