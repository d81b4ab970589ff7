/**
 * The SQL of statements (issue 6). A person's statement reads only what belongs to that person:
 * their personal budgets, their ledger accounts (found through the natural-identity index of
 * ledger_accounts), the entries on those accounts (ledger_entries_account: council, account, date),
 * their spending lines, instalments and the plan behind the budget. Nothing here scans a council's
 * entries, so a statement costs the same in a council of a thousand entries or a million.
 *
 * The finance totals are the one deliberate exception: one grouped query over the council's entries
 * as of a date, by funding stream and way of managing. The rules of how an entry counts are the same
 * as the person's statement (src/domain/statements/statement.ts), written again in SQL.
 */
import { sql } from 'kysely';
import type { TenantTx } from '../tenancy.ts';
import type { LedgerTransactionKindColumn, Management } from '../schema.ts';
import type { Pence } from '../../domain/money/money.ts';
import type { StatementAccount, StatementBudget, StatementEntry, StatementInstalment, StatementSpendingLine } from '../../domain/statements/statement.ts';

export interface StatementBudgetRecord extends StatementBudget {
  readonly planId: string;
  readonly version: number;
}

/** One row of the finance totals: a funding stream (null: a held account fed by several) × a way of managing. */
export interface BudgetTotalsRow {
  readonly streamId: string | null;
  readonly streamName: string | null;
  readonly management: Management;
  /** From the stream pots into budget lines (with adjustments). */
  readonly allocatedPence: Pence;
  /** Out of the budget lines: paid to direct payment holders, passed to providers, committed by the council. */
  readonly paidOutPence: Pence;
  /** Still on the budget lines. */
  readonly notYetPaidPence: Pence;
  /** Spent from held accounts, net of refunds. */
  readonly spentPence: Pence;
  /** What the held accounts (families, providers, commitments) hold. */
  readonly heldPence: Pence;
  readonly people: number;
}

const pence = (value: string | number | bigint | null): Pence => BigInt(value ?? 0);

export function statementsRepository(tx: TenantTx) {
  return {
    /** The person's name and reference, for the heading. */
    async person(personId: string): Promise<{ id: string; name: string; reference: string } | undefined> {
      const row = await tx.selectFrom('people').select(['id', 'given_name', 'family_name', 'reference']).where('id', '=', personId).executeTakeFirst();
      return row && { id: row.id, name: `${row.given_name} ${row.family_name}`, reference: row.reference };
    },

    /** Every personal budget of the person (ended ones too: a statement can be as of any date). */
    async budgets(councilId: string, personId: string): Promise<StatementBudgetRecord[]> {
      const rows = await tx
        .selectFrom('personal_budgets')
        .select(['id', 'plan_id', 'version', 'starts_on', 'ends_on'])
        .where('council_id', '=', councilId)
        .where('person_id', '=', personId)
        .orderBy('starts_on')
        .execute();
      return rows.map((r) => ({ id: r.id, planId: r.plan_id, version: r.version, startsOn: r.starts_on, endsOn: r.ends_on }));
    },

    /**
     * The person's accounts: their direct payment holder and provider accounts (by person), and the
     * budget lines and council commitments of their budgets (by budget). Each half is a probe of the
     * natural-identity index, whose leading columns are (council, kind, personal budget).
     */
    async accounts(councilId: string, personId: string, budgetIds: readonly string[]): Promise<StatementAccount[]> {
      const rows = await tx
        .selectFrom('ledger_accounts as a')
        .leftJoin('funding_streams as f', 'f.id', 'a.funding_stream_id')
        .leftJoin('providers as p', 'p.id', 'a.provider_id')
        .select(['a.id', 'a.kind', 'a.management', 'a.personal_budget_id', 'a.funding_stream_id', 'a.name', 'f.name as stream_name', 'p.name as provider_name'])
        .where('a.council_id', '=', councilId)
        .where((eb) =>
          eb.or([
            eb.and([
              eb('a.kind', 'in', ['dp_holder', 'provider']),
              eb('a.personal_budget_id', 'is', null),
              eb('a.funding_stream_id', 'is', null),
              eb('a.management', 'is', null),
              eb('a.person_id', '=', personId),
            ]),
            ...(budgetIds.length === 0 ? [] : [eb.and([eb('a.kind', 'in', ['budget', 'council_commitment']), eb('a.personal_budget_id', 'in', [...budgetIds])])]),
          ]),
        )
        .orderBy('a.kind')
        .orderBy('a.name')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind as StatementAccount['kind'],
        management: r.management,
        personalBudgetId: r.personal_budget_id,
        fundingStreamId: r.funding_stream_id,
        streamName: r.stream_name,
        providerName: r.provider_name,
        name: r.name,
      }));
    },

    /** The entries on these accounts effective on or before `asOf`, oldest first, with their transactions. */
    async entries(councilId: string, accountIds: readonly string[], asOf: string): Promise<StatementEntry[]> {
      if (accountIds.length === 0) return [];
      const rows = await tx
        .selectFrom('ledger_entries as e')
        .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
        .leftJoin('ledger_transactions as r', 'r.id', 't.reverses_transaction_id')
        .select(['e.id', 'e.account_id', 'e.amount_pence', 'e.effective_on', 'e.transaction_id', 't.kind', 't.idempotency_key', 't.description', 't.reverses_transaction_id', 'r.kind as reversed_kind'])
        .where('e.council_id', '=', councilId)
        .where('e.account_id', 'in', [...accountIds])
        .where('e.effective_on', '<=', asOf)
        .orderBy('e.effective_on')
        .orderBy('e.id')
        .execute();
      return rows.map((r) => ({
        entryId: BigInt(r.id),
        accountId: r.account_id,
        amountPence: pence(r.amount_pence),
        effectiveOn: r.effective_on,
        transactionId: r.transaction_id,
        kind: r.kind,
        idempotencyKey: r.idempotency_key,
        description: r.description,
        reversesTransactionId: r.reverses_transaction_id,
        reversedKind: r.reversed_kind as LedgerTransactionKindColumn | null,
      }));
    },

    /** The person's spending lines (only what the categories need: never the receipts). */
    async spendingLines(councilId: string, personId: string): Promise<StatementSpendingLine[]> {
      const rows = await tx
        .selectFrom('spending_lines')
        .select(['transaction_id', 'category', 'type', 'amount_pence'])
        .where('council_id', '=', councilId)
        .where('person_id', '=', personId)
        .execute();
      return rows.map((r) => ({ transactionId: r.transaction_id, category: r.category, type: r.type, amountPence: pence(r.amount_pence) }));
    },

    /** The instalments of the person's direct payment schedules. */
    async instalments(councilId: string, personId: string): Promise<StatementInstalment[]> {
      const rows = await tx
        .selectFrom('payment_instalments as i')
        .innerJoin('payment_schedules as s', 's.id', 'i.schedule_id')
        .select(['i.schedule_id', 'i.number', 'i.due_on', 'i.period_from', 'i.period_to', 'i.amount_pence'])
        .where('s.council_id', '=', councilId)
        .where('s.person_id', '=', personId)
        .orderBy('i.due_on')
        .orderBy('i.number')
        .execute();
      return rows.map((r) => ({
        scheduleId: r.schedule_id,
        number: r.number,
        dueOn: r.due_on,
        periodFrom: r.period_from,
        periodTo: r.period_to,
        amountPence: pence(r.amount_pence),
      }));
    },

    /** The contingency of the plan version a budget was agreed from (read from the plan's JSON). */
    async contingency(planId: string, version: number): Promise<{ amountPence: Pence; purpose: string } | null> {
      const row = await tx
        .selectFrom('plan_versions')
        .select([sql<string | null>`content->'contingency'->>'amountPence'`.as('amount'), sql<string | null>`content->'contingency'->>'purpose'`.as('purpose')])
        .where('plan_id', '=', planId)
        .where('version', '=', version)
        .executeTakeFirst();
      if (row === undefined || row.amount === null || !/^\d+$/.test(row.amount)) return null;
      return { amountPence: BigInt(row.amount), purpose: row.purpose ?? '' };
    },

    /**
     * The council's totals as of a date, by funding stream × way of managing, in ONE grouped query.
     * Budget lines and council commitments carry their stream. A direct payment holder's or a
     * provider's account is fed by the person's lines of that way of managing: it counts under their
     * stream when they all have the one stream, and under "several streams" (null) when not, so that
     * no penny is split or guessed.
     */
    async totals(councilId: string, asOf: string): Promise<BudgetTotalsRow[]> {
      const result = await sql<{
        stream_id: string | null;
        stream_name: string | null;
        management: Management;
        allocated: string | null;
        paid_out: string | null;
        not_yet_paid: string | null;
        spent: string | null;
        held: string | null;
        people: string | number;
      }>`
        WITH line_streams AS (
          SELECT b.person_id, a.management,
                 CASE WHEN count(DISTINCT a.funding_stream_id) = 1 THEN (array_agg(a.funding_stream_id))[1] END AS stream_id
          FROM ledger_accounts a
          JOIN personal_budgets b ON b.council_id = a.council_id AND b.id = a.personal_budget_id
          WHERE a.council_id = ${councilId} AND a.kind = 'budget'
          GROUP BY b.person_id, a.management
        ),
        accounts AS (
          SELECT a.id, a.kind = 'budget' AS is_line,
                 CASE a.kind WHEN 'budget' THEN a.management WHEN 'dp_holder' THEN 'direct_payment'
                             WHEN 'provider' THEN 'individual_service_fund' ELSE 'council_managed' END AS management,
                 COALESCE(a.person_id, b.person_id) AS person_id,
                 CASE WHEN a.kind IN ('budget', 'council_commitment') THEN a.funding_stream_id ELSE s.stream_id END AS stream_id
          FROM ledger_accounts a
          LEFT JOIN personal_budgets b ON b.council_id = a.council_id AND b.id = a.personal_budget_id
          LEFT JOIN line_streams s ON s.person_id = a.person_id
               AND s.management = CASE a.kind WHEN 'dp_holder' THEN 'direct_payment' WHEN 'provider' THEN 'individual_service_fund' END
          WHERE a.council_id = ${councilId} AND a.kind IN ('budget', 'dp_holder', 'provider', 'council_commitment')
        ),
        flows AS (
          SELECT ac.stream_id, ac.management, ac.person_id, ac.is_line, e.amount_pence,
                 CASE WHEN t.kind = 'reversal' THEN r.kind ELSE t.kind END AS k,
                 CASE WHEN (t.kind = 'reversal') = (e.amount_pence > 0) THEN -1 ELSE 1 END AS original_sign
          FROM ledger_entries e
          JOIN accounts ac ON ac.id = e.account_id
          JOIN ledger_transactions t ON t.council_id = e.council_id AND t.id = e.transaction_id
          LEFT JOIN ledger_transactions r ON r.council_id = t.council_id AND r.id = t.reverses_transaction_id
          WHERE e.council_id = ${councilId} AND e.effective_on <= ${asOf}
        )
        SELECT f.stream_id, fs.name AS stream_name, f.management,
               sum(f.amount_pence) FILTER (WHERE f.is_line AND ((f.k = 'allocation' AND f.original_sign > 0) OR f.k IN ('adjustment', 'rollover'))) AS allocated,
               -sum(f.amount_pence) FILTER (WHERE f.is_line AND ((f.k = 'allocation' AND f.original_sign < 0) OR f.k = 'payment')) AS paid_out,
               sum(f.amount_pence) FILTER (WHERE f.is_line) AS not_yet_paid,
               -sum(f.amount_pence) FILTER (WHERE NOT f.is_line AND f.k IN ('spend', 'refund')) AS spent,
               sum(f.amount_pence) FILTER (WHERE NOT f.is_line) AS held,
               count(DISTINCT f.person_id) AS people
        FROM flows f
        LEFT JOIN funding_streams fs ON fs.council_id = ${councilId} AND fs.id = f.stream_id
        GROUP BY f.stream_id, fs.name, f.management
        ORDER BY fs.name NULLS LAST, f.management
      `.execute(tx);
      return result.rows.map((r) => ({
        streamId: r.stream_id,
        streamName: r.stream_name,
        management: r.management,
        allocatedPence: pence(r.allocated),
        paidOutPence: pence(r.paid_out),
        notYetPaidPence: pence(r.not_yet_paid),
        spentPence: pence(r.spent),
        heldPence: pence(r.held),
        people: Number(r.people),
      }));
    },
  };
}

export type StatementsRepository = ReturnType<typeof statementsRepository>;
