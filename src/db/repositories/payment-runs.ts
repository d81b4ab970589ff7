/**
 * Payment runs, their frozen items, direct payment instalments due, and payees' bank details
 * (migration 0014). SQL only: the rules are in src/domain/payments/, the use cases in
 * src/services/payment-runs.ts.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../tenancy.ts';
import type { PaymentRunStatus, StoredStreamPart } from '../schema.ts';
import type { Pence } from '../../domain/money/money.ts';

/** An instalment as a run reads it: with its schedule's accounts and whether the payee can be paid. */
export interface InstalmentRow {
  readonly scheduleId: string;
  readonly personId: string;
  readonly holderAccountId: string;
  readonly budgetAccounts: Readonly<Record<string, string>>;
  readonly number: number;
  readonly dueOn: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly amountPence: Pence;
  readonly byStream: readonly StoredStreamPart[];
  readonly hasBankDetails: boolean;
}

export interface PaymentRunRecord {
  readonly id: string;
  readonly reference: string;
  readonly runDate: string;
  readonly status: PaymentRunStatus;
  readonly paymentCount: number;
  readonly totalPence: Pence;
  readonly byStream: readonly StoredStreamPart[];
  readonly needsSecondAuthoriser: boolean;
  readonly createdBy: string;
  readonly createdByName: string;
  readonly createdAt: Date;
  readonly authorisedBy: string | null;
  readonly authorisedByName: string | null;
  readonly authorisedAt: Date | null;
  readonly cancelledByName: string | null;
  readonly cancelledAt: Date | null;
  readonly cancelReason: string | null;
  readonly postedCount: number;
  readonly postedPence: Pence;
  readonly skippedCount: number;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
  readonly failure: string | null;
}

export interface NewRunItem {
  readonly scheduleId: string;
  readonly number: number;
  readonly personId: string;
  readonly amountPence: Pence;
}

export interface ItemSettlement {
  readonly scheduleId: string;
  readonly number: number;
  readonly status: 'paid' | 'skipped';
  readonly transactionId: string | null;
  readonly skippedReason: string | null;
}

export interface SkippedItem {
  readonly scheduleId: string;
  readonly number: number;
  readonly personId: string;
  readonly amountPence: Pence;
  readonly reason: string;
}

export interface BankDetailsRecord {
  readonly personId: string;
  readonly payeeReference: string;
  readonly accountName: string;
  readonly sortCode: string;
  readonly accountNumber: string;
  readonly updatedAt: Date;
}

export interface PersonName {
  readonly id: string;
  readonly name: string;
  readonly reference: string;
}

const big = (value: unknown): Pence => BigInt(value as string | number | bigint);

const instalmentColumns = sql`
  i.schedule_id, s.person_id, s.holder_account_id, s.budget_accounts, i.number, i.due_on, i.period_from, i.period_to,
  i.amount_pence, i.by_stream`;

interface RawInstalment {
  schedule_id: string;
  person_id: string;
  holder_account_id: string;
  budget_accounts: Record<string, string>;
  number: number;
  due_on: string;
  period_from: string;
  period_to: string;
  amount_pence: string | bigint;
  by_stream: StoredStreamPart[];
  has_bank_details?: boolean;
}

function toInstalment(r: RawInstalment): InstalmentRow {
  return {
    scheduleId: r.schedule_id,
    personId: r.person_id,
    holderAccountId: r.holder_account_id,
    budgetAccounts: r.budget_accounts,
    number: r.number,
    dueOn: r.due_on,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    amountPence: big(r.amount_pence),
    byStream: r.by_stream,
    hasBankDetails: r.has_bank_details ?? true,
  };
}

export function paymentRunsRepository(tx: TenantTx) {
  const runSelect = () =>
    tx
      .selectFrom('payment_runs as r')
      .innerJoin('accounts as c', 'c.id', 'r.created_by')
      .leftJoin('accounts as a', 'a.id', 'r.authorised_by')
      .leftJoin('accounts as x', 'x.id', 'r.cancelled_by')
      .selectAll('r')
      .select(['c.display_name as created_by_name', 'a.display_name as authorised_by_name', 'x.display_name as cancelled_by_name']);
  type RunRow = Awaited<ReturnType<ReturnType<typeof runSelect>['executeTakeFirstOrThrow']>>;
  const toRun = (r: RunRow): PaymentRunRecord => ({
    id: r.id,
    reference: r.reference,
    runDate: r.run_date,
    status: r.status,
    paymentCount: r.payment_count,
    totalPence: big(r.total_pence),
    byStream: r.by_stream,
    needsSecondAuthoriser: r.needs_second_authoriser,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    authorisedBy: r.authorised_by ?? null,
    authorisedByName: r.authorised_by_name ?? null,
    authorisedAt: r.authorised_at ?? null,
    cancelledByName: r.cancelled_by_name ?? null,
    cancelledAt: r.cancelled_at ?? null,
    cancelReason: r.cancel_reason ?? null,
    postedCount: r.posted_count,
    postedPence: big(r.posted_pence),
    skippedCount: r.skipped_count,
    startedAt: r.started_at ?? null,
    completedAt: r.completed_at ?? null,
    failure: r.failure ?? null,
  });

  return {
    /** Serialises the creation of runs in this council: no two runs freeze the same instalment, references never clash. */
    async lockRunCreation(councilId: string): Promise<void> {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`payment-runs:${councilId}`}, 0))`.execute(tx);
    },

    /**
     * Instalments due on or before `runDate` that no run has taken: neither posted in the ledger (key
     * payment:<schedule>:<n>) nor an item of a run that is not cancelled. Ended schedules count too:
     * a plan change removes the instalments it replaces and ends the schedule, and what it keeps
     * (due before the change) is still owed to the family (decision 0020).
     */
    async untakenInstalmentsDue(runDate: string): Promise<InstalmentRow[]> {
      const result = await sql<RawInstalment>`
        SELECT ${instalmentColumns},
               EXISTS (SELECT 1 FROM payee_bank_details b WHERE b.person_id = s.person_id) AS has_bank_details
        FROM payment_instalments i
        JOIN payment_schedules s ON s.id = i.schedule_id AND s.council_id = i.council_id
        WHERE i.due_on <= ${runDate}::date
          AND NOT EXISTS (
            SELECT 1 FROM ledger_transactions t
            WHERE t.council_id = i.council_id AND t.idempotency_key = 'payment:' || i.schedule_id::text || ':' || i.number::text)
          AND NOT EXISTS (
            SELECT 1 FROM payment_run_items ri JOIN payment_runs r ON r.id = ri.run_id
            WHERE ri.schedule_id = i.schedule_id AND ri.number = i.number AND ri.status <> 'skipped' AND r.status <> 'cancelled')
        ORDER BY i.due_on, i.schedule_id, i.number`.execute(tx);
      return result.rows.map(toInstalment);
    },

    async streamNames(): Promise<Map<string, string>> {
      const rows = await tx.selectFrom('funding_streams').select(['id', 'name']).execute();
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    async peopleNames(personIds: readonly string[]): Promise<Map<string, PersonName>> {
      if (personIds.length === 0) return new Map();
      const rows = await tx.selectFrom('people').select(['id', 'given_name', 'family_name', 'reference']).where('id', 'in', [...new Set(personIds)]).execute();
      return new Map(rows.map((r) => [r.id, { id: r.id, name: `${r.given_name} ${r.family_name}`, reference: r.reference }]));
    },

    /** The next reference: R0001, R0002, … (call under lockRunCreation). */
    async nextReference(): Promise<string> {
      const row = await sql<{ n: number | null }>`SELECT max(substring(reference FROM 2)::int) AS n FROM payment_runs`.execute(tx);
      const next = (row.rows[0]?.n ?? 0) + 1;
      return `R${String(next).padStart(4, '0')}`;
    },

    async insertRun(run: {
      id: string;
      councilId: string;
      reference: string;
      runDate: string;
      status: PaymentRunStatus;
      paymentCount: number;
      totalPence: Pence;
      byStream: readonly StoredStreamPart[];
      needsSecondAuthoriser: boolean;
      createdBy: string;
      now: Date;
    }): Promise<void> {
      await tx
        .insertInto('payment_runs')
        .values({
          id: run.id,
          council_id: run.councilId,
          reference: run.reference,
          run_date: run.runDate,
          status: run.status,
          payment_count: run.paymentCount,
          total_pence: run.totalPence,
          by_stream: JSON.stringify(run.byStream) as unknown as StoredStreamPart[], // jsonb: sent as text
          needs_second_authoriser: run.needsSecondAuthoriser,
          created_by: run.createdBy,
          created_at: run.now,
        })
        .execute();
    },

    /** The run's items, all pending: one statement per 5,000 (arrays, not a parameter per value). */
    async insertItems(councilId: string, runId: string, items: readonly NewRunItem[]): Promise<void> {
      for (let from = 0; from < items.length; from += 5000) {
        const chunk = items.slice(from, from + 5000);
        await sql`
          INSERT INTO payment_run_items (council_id, run_id, schedule_id, number, person_id, amount_pence, status)
          SELECT ${councilId}::uuid, ${runId}::uuid, x.schedule_id, x.number, x.person_id, x.amount_pence, 'pending'
          FROM unnest(${chunk.map((i) => i.scheduleId)}::uuid[], ${chunk.map((i) => i.number)}::int[],
                      ${chunk.map((i) => i.personId)}::uuid[], ${chunk.map((i) => i.amountPence.toString())}::bigint[])
            AS x(schedule_id, number, person_id, amount_pence)`.execute(tx);
      }
    },

    async list(limit: number): Promise<PaymentRunRecord[]> {
      const rows = await runSelect().orderBy('r.created_at', 'desc').limit(limit).execute();
      return rows.map(toRun);
    },

    async byId(runId: string): Promise<PaymentRunRecord | undefined> {
      const row = await runSelect().where('r.id', '=', runId).executeTakeFirst();
      return row && toRun(row);
    },

    /**
     * Locks the run's row until the transaction ends, and returns its status: two processes working
     * on one run take turns batch by batch, each seeing what the other committed.
     */
    async lockRun(runId: string): Promise<{ status: PaymentRunStatus; reference: string; runDate: string } | undefined> {
      const row = await tx.selectFrom('payment_runs').select(['status', 'reference', 'run_date']).where('id', '=', runId).forUpdate().executeTakeFirst();
      return row && { status: row.status, reference: row.reference, runDate: row.run_date };
    },

    async authorise(runId: string, by: string, now: Date): Promise<void> {
      await tx.updateTable('payment_runs').set({ authorised_by: by, authorised_at: now, status: 'queued' }).where('id', '=', runId).execute();
    },

    async cancel(runId: string, by: string, reason: string, now: Date): Promise<void> {
      await tx.updateTable('payment_runs').set({ status: 'cancelled', cancelled_by: by, cancelled_at: now, cancel_reason: reason }).where('id', '=', runId).execute();
    },

    async setStatus(runId: string, status: PaymentRunStatus, extra: { startedAt?: Date; completedAt?: Date; failure?: string | null } = {}): Promise<void> {
      await tx
        .updateTable('payment_runs')
        .set({
          status,
          ...(extra.startedAt === undefined ? {} : { started_at: sql<Date>`coalesce(started_at, ${extra.startedAt})` }),
          ...(extra.completedAt === undefined ? {} : { completed_at: extra.completedAt }),
          ...(extra.failure === undefined ? {} : { failure: extra.failure }),
        })
        .where('id', '=', runId)
        .execute();
    },

    /** The run's pending items, in the order they are paid: due date, schedule, number. */
    async pendingKeys(runId: string): Promise<{ scheduleId: string; number: number }[]> {
      const result = await sql<{ schedule_id: string; number: number }>`
        SELECT ri.schedule_id, ri.number
        FROM payment_run_items ri
        JOIN payment_instalments i ON i.schedule_id = ri.schedule_id AND i.number = ri.number
        WHERE ri.run_id = ${runId}::uuid AND ri.status = 'pending'
        ORDER BY i.due_on, ri.schedule_id, ri.number`.execute(tx);
      return result.rows.map((r) => ({ scheduleId: r.schedule_id, number: r.number }));
    },

    /**
     * Those of `keys` that are still pending, with their instalments and schedules, in the order
     * given. Each is found by its primary key, so a batch costs the same however large the run.
     */
    async pendingOf(runId: string, keys: readonly { scheduleId: string; number: number }[]): Promise<InstalmentRow[]> {
      if (keys.length === 0) return [];
      const result = await sql<RawInstalment>`
        SELECT ${instalmentColumns}
        FROM unnest(${keys.map((k) => k.scheduleId)}::uuid[], ${keys.map((k) => k.number)}::int[]) WITH ORDINALITY AS x(schedule_id, number, position)
        JOIN payment_run_items ri ON ri.run_id = ${runId}::uuid AND ri.schedule_id = x.schedule_id AND ri.number = x.number
        JOIN payment_instalments i ON i.schedule_id = ri.schedule_id AND i.number = ri.number
        JOIN payment_schedules s ON s.id = i.schedule_id
        WHERE ri.status = 'pending'
        ORDER BY x.position`.execute(tx);
      return result.rows.map(toInstalment);
    },

    /**
     * Settles items that are still pending (only those: a concurrent process cannot settle one twice),
     * and adds what changed to the run's progress in the same statement's transaction.
     */
    async settle(runId: string, settlements: readonly ItemSettlement[]): Promise<{ paid: number; paidPence: Pence; skipped: number }> {
      if (settlements.length === 0) return { paid: 0, paidPence: 0n, skipped: 0 };
      const result = await sql<{ status: 'paid' | 'skipped'; amount_pence: string | bigint }>`
        UPDATE payment_run_items ri
        SET status = x.status, transaction_id = x.transaction_id, skipped_reason = x.skipped_reason
        FROM unnest(${settlements.map((s) => s.scheduleId)}::uuid[], ${settlements.map((s) => s.number)}::int[],
                    ${settlements.map((s) => s.status)}::text[], ${settlements.map((s) => s.transactionId)}::uuid[],
                    ${settlements.map((s) => s.skippedReason)}::text[])
          AS x(schedule_id, number, status, transaction_id, skipped_reason)
        WHERE ri.run_id = ${runId}::uuid AND ri.schedule_id = ANY(${settlements.map((s) => s.scheduleId)}::uuid[])
          AND ri.schedule_id = x.schedule_id AND ri.number = x.number AND ri.status = 'pending'
        RETURNING ri.status, ri.amount_pence`.execute(tx);
      let paid = 0;
      let paidPence = 0n;
      let skipped = 0;
      for (const r of result.rows) {
        if (r.status === 'paid') {
          paid += 1;
          paidPence += big(r.amount_pence);
        } else skipped += 1;
      }
      await tx
        .updateTable('payment_runs')
        .set({
          posted_count: sql<number>`posted_count + ${paid}`,
          posted_pence: sql<bigint>`posted_pence + ${paidPence.toString()}::bigint`,
          skipped_count: sql<number>`skipped_count + ${skipped}`,
        })
        .where('id', '=', runId)
        .execute();
      return { paid, paidPence, skipped };
    },

    async pendingCount(runId: string): Promise<number> {
      const row = await tx.selectFrom('payment_run_items').select((eb) => eb.fn.countAll<string>().as('n')).where('run_id', '=', runId).where('status', '=', 'pending').executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Paid items with their instalments and schedules: what the payment file and remittances are made from. */
    async paidItems(runId: string): Promise<InstalmentRow[]> {
      const result = await sql<RawInstalment>`
        SELECT ${instalmentColumns}
        FROM payment_run_items ri
        JOIN payment_instalments i ON i.schedule_id = ri.schedule_id AND i.number = ri.number
        JOIN payment_schedules s ON s.id = i.schedule_id
        WHERE ri.run_id = ${runId}::uuid AND ri.status = 'paid'
        ORDER BY i.due_on, i.schedule_id, i.number`.execute(tx);
      return result.rows.map(toInstalment);
    },

    async skippedItems(runId: string): Promise<SkippedItem[]> {
      const rows = await tx
        .selectFrom('payment_run_items')
        .select(['schedule_id', 'number', 'person_id', 'amount_pence', 'skipped_reason'])
        .where('run_id', '=', runId)
        .where('status', '=', 'skipped')
        .orderBy('schedule_id')
        .orderBy('number')
        .execute();
      return rows.map((r) => ({ scheduleId: r.schedule_id, number: r.number, personId: r.person_id, amountPence: big(r.amount_pence), reason: r.skipped_reason ?? '' }));
    },

    /** Runs the job should be working on: queued or running (for the start-up sweep). */
    async unfinished(): Promise<{ id: string }[]> {
      return tx.selectFrom('payment_runs').select('id').where('status', 'in', ['queued', 'running']).orderBy('created_at').execute();
    },

    async bankDetails(personIds: readonly string[]): Promise<Map<string, BankDetailsRecord>> {
      if (personIds.length === 0) return new Map();
      const rows = await tx.selectFrom('payee_bank_details').selectAll().where('person_id', 'in', [...new Set(personIds)]).execute();
      return new Map(
        rows.map((r) => [
          r.person_id,
          { personId: r.person_id, payeeReference: r.payee_reference, accountName: r.account_name, sortCode: r.sort_code, accountNumber: r.account_number, updatedAt: r.updated_at },
        ]),
      );
    },

    async saveBankDetails(details: { councilId: string; personId: string; payeeReference: string; accountName: string; sortCode: string; accountNumber: string; updatedBy: string; now: Date }): Promise<void> {
      const values = {
        payee_reference: details.payeeReference,
        account_name: details.accountName,
        sort_code: details.sortCode,
        account_number: details.accountNumber,
        updated_by: details.updatedBy,
        updated_at: details.now,
      };
      await tx
        .insertInto('payee_bank_details')
        .values({ council_id: details.councilId, person_id: details.personId, ...values })
        .onConflict((oc) => oc.column('person_id').doUpdateSet(values))
        .execute();
    },
  };
}

export type PaymentRunsRepository = ReturnType<typeof paymentRunsRepository>;
