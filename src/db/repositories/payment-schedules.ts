/**
 * Direct payment schedules and their instalments (migration 0014): what is planned to be paid. The
 * ledger holds what WAS paid, under the key payment:<schedule id>:<number> (src/domain/payments/run.ts).
 */
import { sql } from 'kysely';
import type { TenantTx } from '../tenancy.ts';
import type { PaymentFrequencyColumn, StoredStreamPart } from '../schema.ts';
import type { Instalment, StreamPart } from '../../domain/payments/schedule.ts';

export interface BudgetForSetUp {
  readonly id: string;
  readonly personId: string;
  readonly personName: string;
  readonly planId: string;
  readonly version: number;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly status: 'active' | 'ended';
  readonly lines: readonly {
    readonly streamId: string;
    readonly streamCode: string;
    readonly streamName: string;
    readonly management: 'direct_payment' | 'individual_service_fund' | 'council_managed';
    readonly annualPence: bigint;
  }[];
  /** The agreed plan version's content, as stored (contentFromJson reads it). */
  readonly content: unknown;
}

export interface ScheduleRecord {
  readonly id: string;
  readonly personId: string;
  readonly personalBudgetId: string;
  readonly holderAccountId: string;
  readonly frequency: PaymentFrequencyColumn;
  readonly budgetAccounts: Readonly<Record<string, string>>;
  readonly status: 'active' | 'ended';
}

/** An instalment as stored: its stream shares only (adjustments are folded into them). */
export interface StoredInstalment {
  readonly number: number;
  readonly dueOn: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly amountPence: bigint;
  readonly byStream: readonly StreamPart[];
}

export const storedParts = (parts: readonly StreamPart[]): StoredStreamPart[] => parts.map((p) => ({ streamId: p.streamId, pence: p.pence.toString() }));
export const readParts = (parts: readonly StoredStreamPart[]): StreamPart[] => parts.map((p) => ({ streamId: p.streamId, pence: BigInt(p.pence) }));

export function paymentSchedulesRepository(tx: TenantTx) {
  return {
    /** A personal budget with its lines, its person's name and the agreed plan content. */
    async budgetForSetUp(personalBudgetId: string): Promise<BudgetForSetUp | undefined> {
      const budget = await tx
        .selectFrom('personal_budgets as b')
        .innerJoin('people as p', 'p.id', 'b.person_id')
        .innerJoin('plan_versions as v', (j) => j.onRef('v.plan_id', '=', 'b.plan_id').onRef('v.version', '=', 'b.version'))
        .select(['b.id', 'b.person_id', 'b.plan_id', 'b.version', 'b.starts_on', 'b.ends_on', 'b.status', 'p.given_name', 'p.family_name', 'v.content'])
        .where('b.id', '=', personalBudgetId)
        .executeTakeFirst();
      if (budget === undefined) return undefined;
      const lines = await tx
        .selectFrom('personal_budget_lines as l')
        .innerJoin('funding_streams as f', 'f.id', 'l.funding_stream_id')
        .select(['l.funding_stream_id', 'f.code', 'f.name', 'l.management', 'l.annual_pence'])
        .where('l.personal_budget_id', '=', personalBudgetId)
        .orderBy('f.code')
        .orderBy('l.management')
        .execute();
      return {
        id: budget.id,
        personId: budget.person_id,
        personName: `${budget.given_name} ${budget.family_name}`,
        planId: budget.plan_id,
        version: budget.version,
        startsOn: budget.starts_on,
        endsOn: budget.ends_on,
        status: budget.status,
        content: budget.content,
        lines: lines.map((l) => ({ streamId: l.funding_stream_id, streamCode: l.code, streamName: l.name, management: l.management, annualPence: BigInt(l.annual_pence) })),
      };
    },

    /** The council's providers whose name is one of `names` (compared trimmed and case-insensitively). */
    async providersNamed(names: readonly string[]): Promise<{ id: string; name: string }[]> {
      const wanted = [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => n !== ''))];
      if (wanted.length === 0) return [];
      return tx
        .selectFrom('providers')
        .select(['id', 'name'])
        .where(sql<string>`lower(trim(name))`, 'in', wanted)
        .orderBy('name')
        .execute();
    },

    async insertSchedule(s: Omit<ScheduleRecord, 'status'> & { councilId: string; createdAt: Date }): Promise<void> {
      await tx
        .insertInto('payment_schedules')
        .values({
          id: s.id,
          council_id: s.councilId,
          person_id: s.personId,
          personal_budget_id: s.personalBudgetId,
          holder_account_id: s.holderAccountId,
          frequency: s.frequency,
          budget_accounts: JSON.stringify(s.budgetAccounts) as unknown as Record<string, string>,
          status: 'active',
          created_at: s.createdAt,
        })
        .execute();
    },

    async insertInstalments(councilId: string, scheduleId: string, instalments: readonly Instalment[]): Promise<void> {
      if (instalments.length === 0) return;
      await tx
        .insertInto('payment_instalments')
        .values(
          instalments.map((i) => ({
            council_id: councilId,
            schedule_id: scheduleId,
            number: i.number,
            due_on: i.dueOn,
            period_from: i.periodFrom,
            period_to: i.periodTo,
            amount_pence: i.amountPence,
            by_stream: JSON.stringify(storedParts(i.byStream)) as unknown as StoredStreamPart[],
          })),
        )
        .execute();
    },

    async scheduleOfBudget(personalBudgetId: string): Promise<ScheduleRecord | undefined> {
      const row = await tx.selectFrom('payment_schedules').selectAll().where('personal_budget_id', '=', personalBudgetId).executeTakeFirst();
      return row === undefined
        ? undefined
        : {
            id: row.id,
            personId: row.person_id,
            personalBudgetId: row.personal_budget_id,
            holderAccountId: row.holder_account_id,
            frequency: row.frequency,
            budgetAccounts: row.budget_accounts,
            status: row.status,
          };
    },

    async instalments(scheduleId: string): Promise<StoredInstalment[]> {
      const rows = await tx.selectFrom('payment_instalments').selectAll().where('schedule_id', '=', scheduleId).orderBy('number').execute();
      return rows.map((r) => ({
        number: r.number,
        dueOn: r.due_on,
        periodFrom: r.period_from,
        periodTo: r.period_to,
        amountPence: BigInt(r.amount_pence),
        byStream: readParts(r.by_stream),
      }));
    },

    /**
     * Removes the instalments numbered `numbers` (a plan change replaces what is not yet paid). An
     * instalment a payment run has taken is never removed: the foreign key from the run's items refuses.
     */
    async deleteInstalments(scheduleId: string, numbers: readonly number[]): Promise<void> {
      if (numbers.length === 0) return;
      await tx.deleteFrom('payment_instalments').where('schedule_id', '=', scheduleId).where('number', 'in', [...numbers]).execute();
    },

    async endSchedule(scheduleId: string): Promise<void> {
      await tx.updateTable('payment_schedules').set({ status: 'ended' }).where('id', '=', scheduleId).execute();
    },

    /** The ledger keys among `keys` already posted (which instalments are paid). */
    async postedKeys(keys: readonly string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await tx.selectFrom('ledger_transactions').select('idempotency_key').where('idempotency_key', 'in', [...keys]).execute();
      return new Set(rows.map((r) => r.idempotency_key));
    },

    /** Numbers of the schedule's instalments a payment run (not cancelled) has taken. */
    async instalmentsInRuns(scheduleId: string): Promise<Set<number>> {
      const rows = await tx
        .selectFrom('payment_run_items as i')
        .innerJoin('payment_runs as r', 'r.id', 'i.run_id')
        .select('i.number')
        .where('i.schedule_id', '=', scheduleId)
        .where('r.status', '<>', 'cancelled')
        .execute();
      return new Set(rows.map((r) => r.number));
    },
  };
}

export type PaymentSchedulesRepository = ReturnType<typeof paymentSchedulesRepository>;
