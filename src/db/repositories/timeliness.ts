/**
 * The EHC plan timeliness report (issue 5): the final plans issued in a period with what the
 * domain needs to judge them (src/domain/pathway/timeliness.ts), and the open cases past week 20.
 * SQL only, and one query whatever the size of the council: each plan's exceptions come with it,
 * never a query per case.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../tenancy.ts';

export interface TimelinessScope {
  /** Only the cases led by this worker's team (everyone sharing their team, and themselves); undefined for the whole council. */
  readonly teamOf?: string | undefined;
  /**
   * Whose names may be read: none (figures only), or those this viewer may see — every person but
   * the restricted ones, and of those only the people the viewer leads or is named on, as the
   * caseload does. Restricted people's plans are still counted: only their names are left out.
   */
  readonly names: 'none' | { readonly viewerId: string };
}

/** The team and the restricted people a viewer may see are worked out in the same query, not in round trips before it. */
function teamSql(accountId: string) {
  return sql<boolean>`c.lead_worker_id in (
    select a.id from accounts a where a.kind = 'staff' and (a.id = ${accountId} or a.team = (select me.team from accounts me where me.id = ${accountId})))`;
}

export interface IssuedPlanRow {
  readonly caseId: string;
  readonly personId: string;
  readonly requestDate: string;
  readonly dateOfBirth: string;
  readonly issuedOn: string;
  /** Every reg 10(4) exception recorded on the case, in the order they were recorded. */
  readonly exceptions: readonly { readonly id: string; readonly occurredOn: string; readonly details: Record<string, unknown> }[];
  /** Null when the viewer may not see who it is. */
  readonly person: { readonly reference: string; readonly givenName: string; readonly familyName: string } | null;
}

export interface TimelinessRows {
  /** Final EHC plans whose (first) final plan step falls in the period, oldest first. */
  readonly plans: IssuedPlanRow[];
  /** Open EHC cases requested on or before the day given (so past week 20 today) with no final plan, and how many have an exception recorded. */
  readonly openPastWeekTwenty: { readonly total: number; readonly withException: number };
}

export function timelinessRepository(tx: TenantTx) {
  return {
    /**
     * Everything the report counts, in one query: case_steps is read once (for the final plans and
     * the exceptions of every case together), so that 20,000 cases cost one pass, not a query each.
     */
    async report(period: { from: string; to: string }, openRequestedBy: string, scope: TimelinessScope): Promise<TimelinessRows> {
      const names = scope.names;
      // Names are read only where the viewer may see them, so that they never leave the database otherwise.
      const showName =
        names === 'none'
          ? sql<boolean>`false`
          : sql<boolean>`(not c.person_restricted or p.lead_worker_id = ${names.viewerId}
              or exists (select 1 from named_workers n where n.person_id = p.id and n.account_id = ${names.viewerId}))`;
      const team = scope.teamOf === undefined ? sql<boolean>`true` : teamSql(scope.teamOf);
      const rows = await tx
        // The two kinds of step the report reads, in one pass over case_steps (used twice, so read once).
        .with('k', (db) =>
          db
            .selectFrom('case_steps as s')
            .select(['s.case_id', 's.kind', 's.id', 's.occurred_on', 's.recorded_at', 's.details'])
            .where('s.kind', 'in', ['final_issued', 'exception_recorded']),
        )
        // Each case's first final plan.
        .with('f', (db) =>
          db
            .selectFrom('k')
            .select(['k.case_id', sql<string>`min(k.occurred_on)`.as('issued_on')])
            .where('k.kind', '=', 'final_issued')
            .groupBy('k.case_id'),
        )
        // The exceptions of the few cases that have any, in the order they were recorded.
        .with('e', (db) =>
          db
            .selectFrom('k')
            .select([
              'k.case_id',
              sql<{ id: string; occurredOn: string; details: Record<string, unknown> }[]>`jsonb_agg(
                jsonb_build_object('id', k.id, 'occurredOn', k.occurred_on, 'details', k.details) order by k.recorded_at, k.id)`.as('exceptions'),
            ])
            .where('k.kind', '=', 'exception_recorded')
            .groupBy('k.case_id'),
        )
        .with('open_past', (db) =>
          db
            .selectFrom('cases as c')
            .leftJoin('f', 'f.case_id', 'c.id')
            .select([sql<string>`count(*)`.as('open_total'), sql<string>`count(*) filter (where c.has_exception)`.as('open_with_exception')])
            .where('c.status', '=', 'open')
            .where('c.case_type', '=', 'ehc')
            .where('c.request_date', '<=', openRequestedBy)
            .where('f.issued_on', 'is', null)
            .where(team),
        )
        .with('plans', (db) =>
          db
            .selectFrom('f')
            .innerJoin('cases as c', 'c.id', 'f.case_id')
            .innerJoin('people as p', (j) => j.onRef('p.council_id', '=', 'c.council_id').onRef('p.id', '=', 'c.person_id'))
            .leftJoin('e', 'e.case_id', 'f.case_id')
            .select([
              'c.id as case_id',
              'c.person_id',
              'c.request_date',
              'p.date_of_birth',
              'f.issued_on',
              sql<{ id: string; occurredOn: string; details: Record<string, unknown> }[]>`coalesce(e.exceptions, '[]'::jsonb)`.as('exceptions'),
              sql<boolean>`${showName}`.as('show_name'),
              sql<string | null>`case when ${showName} then p.reference end`.as('reference'),
              sql<string | null>`case when ${showName} then p.given_name end`.as('given_name'),
              sql<string | null>`case when ${showName} then p.family_name end`.as('family_name'),
            ])
            .where('c.case_type', '=', 'ehc')
            .where('f.issued_on', '>=', period.from)
            .where('f.issued_on', '<=', period.to)
            .where(team),
        )
        // The counts' one row, with the plans beside it (none: one row of counts and nulls).
        .selectFrom('open_past')
        .leftJoin('plans', (j) => j.onTrue())
        .selectAll()
        .orderBy('plans.issued_on')
        .orderBy('plans.case_id')
        .execute();
      const first = rows[0];
      if (first === undefined) throw new Error('The timeliness counts query returned no row');
      const plans: IssuedPlanRow[] = [];
      for (const r of rows) {
        // The one row of a period without plans: counts only.
        if (r.case_id === null || r.person_id === null || r.request_date === null || r.date_of_birth === null) continue;
        if (r.issued_on === null || r.exceptions === null) continue;
        plans.push({
          caseId: r.case_id,
          personId: r.person_id,
          requestDate: r.request_date,
          dateOfBirth: r.date_of_birth,
          issuedOn: r.issued_on,
          exceptions: r.exceptions,
          person:
            r.show_name && r.reference !== null && r.given_name !== null && r.family_name !== null
              ? { reference: r.reference, givenName: r.given_name, familyName: r.family_name }
              : null,
        });
      }
      return { plans, openPastWeekTwenty: { total: Number(first.open_total), withException: Number(first.open_with_exception) } };
    },
  };
}

export type TimelinessRepository = ReturnType<typeof timelinessRepository>;
