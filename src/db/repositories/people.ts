import { sql } from 'kysely';
import type { TenantTx } from '../tenancy.ts';
import { escapeLike } from './like.ts';
import type { CaseType, JourneyStage, Management, PrimaryNeed } from '../schema.ts';

export interface PersonSummary {
  readonly id: string;
  readonly reference: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly caseType: CaseType;
  readonly stage: JourneyStage;
  readonly stageSince: string;
  readonly leadWorkerName: string | null;
}

export interface BudgetLine {
  readonly id: string;
  readonly fundingStreamName: string;
  readonly management: Management;
  readonly description: string;
  readonly annualPence: bigint;
}

export interface PersonRecord extends PersonSummary {
  readonly postcode: string;
  readonly primaryNeed: PrimaryNeed | null;
  readonly needsSummary: string;
  readonly setting: string | null;
  readonly requestDate: string;
  readonly leadWorkerId: string | null;
  readonly indicativeBudgetPence: bigint | null;
  readonly currentPackagePence: bigint | null;
  readonly restricted: boolean;
  readonly budgetLines: readonly BudgetLine[];
}

export interface PeopleFilter {
  readonly stage?: JourneyStage | undefined;
  readonly text?: string | undefined;
  readonly leadWorkerId?: string | undefined;
  /**
   * Restricted records are listed only to the workers named on them: this account's id, or null
   * to list none (an API client). Undefined lists every record (aggregate counts only).
   */
  readonly restrictedVisibleTo?: string | null | undefined;
}

export interface PeopleQuery extends PeopleFilter {
  readonly offset: number;
  readonly limit: number;
}

export function peopleRepository(tx: TenantTx) {
  const base = () =>
    tx
      .selectFrom('people as p')
      .leftJoin('accounts as s', 's.id', 'p.lead_worker_id')
      .select([
        'p.id',
        'p.reference',
        'p.given_name',
        'p.family_name',
        'p.date_of_birth',
        'p.case_type',
        'p.stage',
        'p.stage_since',
        's.display_name as lead_worker_name',
      ]);

  const filtered = (q: ReturnType<typeof base>, filter: PeopleFilter) => {
    let result = q;
    if (filter.stage !== undefined) result = result.where('p.stage', '=', filter.stage);
    if (filter.leadWorkerId !== undefined) result = result.where('p.lead_worker_id', '=', filter.leadWorkerId);
    const viewer = filter.restrictedVisibleTo;
    if (viewer === null) result = result.where('p.restricted', '=', false);
    else if (viewer !== undefined) {
      result = result.where((eb) =>
        eb.or([
          eb('p.restricted', '=', false),
          eb('p.lead_worker_id', '=', viewer),
          eb.exists(eb.selectFrom('named_workers as n').select('n.person_id').whereRef('n.person_id', '=', 'p.id').where('n.account_id', '=', viewer)),
        ]),
      );
    }
    if (filter.text !== undefined && filter.text !== '') {
      const like = `%${escapeLike(filter.text)}%`;
      result = result.where((eb) =>
        eb.or([eb(sql<string>`p.given_name || ' ' || p.family_name`, 'ilike', like), eb('p.reference', 'ilike', like)]),
      );
    }
    return result;
  };

  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;
  const toSummary = (row: Row): PersonSummary => ({
    id: row.id,
    reference: row.reference,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    caseType: row.case_type,
    stage: row.stage,
    stageSince: row.stage_since,
    leadWorkerName: row.lead_worker_name,
  });

  return {
    async search(query: PeopleQuery): Promise<PersonSummary[]> {
      const rows = await filtered(base(), query)
        .orderBy('p.family_name')
        .orderBy('p.given_name')
        .orderBy('p.id')
        .offset(query.offset)
        .limit(query.limit)
        .execute();
      return rows.map(toSummary);
    },

    async count(filter: PeopleFilter): Promise<number> {
      const row = await filtered(base(), filter)
        .clearSelect()
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** How many people at each stage, of those the filter's viewer may see listed. */
    async countByStage(filter: Pick<PeopleFilter, 'restrictedVisibleTo'> = {}): Promise<Map<JourneyStage, number>> {
      const rows = await filtered(base(), filter)
        .clearSelect()
        .select(['p.stage', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy('p.stage')
        .execute();
      return new Map(rows.map((r) => [r.stage, Number(r.n)]));
    },

    async findById(id: string): Promise<PersonRecord | undefined> {
      const row = await base()
        .select([
          'p.postcode',
          'p.primary_need',
          'p.needs_summary',
          'p.setting',
          'p.request_date',
          'p.lead_worker_id',
          'p.indicative_budget_pence',
          'p.current_package_pence',
          'p.restricted',
        ])
        .where('p.id', '=', id)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const lines = await tx
        .selectFrom('budget_lines as b')
        .innerJoin('funding_streams as f', 'f.id', 'b.funding_stream_id')
        .select(['b.id', 'f.name as stream_name', 'b.management', 'b.description', 'b.annual_pence'])
        .where('b.person_id', '=', id)
        .orderBy('f.name')
        .orderBy('b.annual_pence', 'desc')
        .execute();
      return {
        ...toSummary(row),
        postcode: row.postcode,
        primaryNeed: row.primary_need,
        needsSummary: row.needs_summary,
        setting: row.setting,
        requestDate: row.request_date,
        leadWorkerId: row.lead_worker_id,
        indicativeBudgetPence: row.indicative_budget_pence,
        currentPackagePence: row.current_package_pence,
        restricted: row.restricted,
        budgetLines: lines.map((l) => ({
          id: l.id,
          fundingStreamName: l.stream_name,
          management: l.management,
          description: l.description,
          annualPence: l.annual_pence,
        })),
      };
    },
  };
}

export type PeopleRepository = ReturnType<typeof peopleRepository>;
