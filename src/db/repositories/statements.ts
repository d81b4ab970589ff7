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
import { sql, type CompiledQuery } from 'kysely';
import { reusableNamed } from '../reusable.ts';
import type { TenantTx } from '../tenancy.ts';
import type { LedgerTransactionKindColumn, Management } from '../schema.ts';
import type { Pence } from '../../domain/money/money.ts';
import { factsOf, factsSql, type FactsRow } from './person-access.ts';
import type { PersonAccessFacts } from '../../domain/access/policy.ts';
import type { StatementAccount, StatementBudget, StatementEntry, StatementInstalment, StatementSpendingLine } from '../../domain/statements/statement.ts';

/** A budget of the person, with the contingency agreed in the plan version it came from (null when none). */
export interface StatementBudgetRecord extends StatementBudget {
  readonly contingency: { readonly amountPence: Pence; readonly purpose: string } | null;
}

export interface PersonStatementData {
  /** What the access policy needs to know about the person, read first by the same statement. */
  readonly facts: PersonAccessFacts;
  readonly person: { readonly id: string; readonly name: string; readonly reference: string };
  /** Every personal budget of the person, ended ones too (a statement can be as of any date), oldest first. */
  readonly budgets: readonly StatementBudgetRecord[];
  readonly accounts: readonly StatementAccount[];
  /** Oldest first, as posted. */
  readonly entries: readonly StatementEntry[];
  /** Only what the categories need: never the receipts. */
  readonly spendingLines: readonly StatementSpendingLine[];
  readonly instalments: readonly StatementInstalment[];
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

/** What the statement's query returns: the access facts, then each list as JSON (amounts and ids that may exceed 2^53 as text). */
interface PersonStatementRow extends FactsRow {
  readonly given_name: string;
  readonly family_name: string;
  readonly reference: string;
  readonly budgets: readonly { id: string; startsOn: string; endsOn: string; contingencyPence: string | null; contingencyPurpose: string | null }[];
  readonly accounts: readonly StatementAccount[];
  readonly entries: readonly {
    entryId: string;
    accountId: string;
    amountPence: string;
    effectiveOn: string;
    transactionId: string;
    kind: LedgerTransactionKindColumn;
    idempotencyKey: string;
    description: string;
    reversesTransactionId: string | null;
    reversedKind: LedgerTransactionKindColumn | null;
  }[];
  readonly spending_lines: readonly { transactionId: string; category: string; type: 'spend' | 'refund'; amountPence: string }[];
  readonly instalments: readonly { scheduleId: string; number: number; dueOn: string; periodFrom: string; periodTo: string; amountPence: string }[];
}

/**
 * The person's accounts are their direct payment holder and provider accounts (by person) and the
 * budget lines and council commitments of their budgets (by budget): each half a probe of the
 * natural-identity index of ledger_accounts, whose leading columns are (council, kind, personal
 * budget). Entries are read through ledger_entries_account (council, account, date), so a statement
 * costs the same in a council of a thousand entries or a million.
 */
function personStatementSql(v: { readonly councilId: unknown; readonly personId: unknown; readonly asOf: unknown; readonly today: unknown }) {
  return sql<PersonStatementRow>`
    WITH facts AS MATERIALIZED (${factsSql({ personId: v.personId, today: v.today })}),
    b AS MATERIALIZED (
      SELECT b.id, b.starts_on, b.ends_on,
             pv.content->'contingency'->>'amountPence' AS contingency_pence,
             pv.content->'contingency'->>'purpose' AS contingency_purpose
        FROM personal_budgets b
        LEFT JOIN plan_versions pv ON pv.plan_id = b.plan_id AND pv.version = b.version
       WHERE b.council_id = ${v.councilId}::uuid AND b.person_id = ${v.personId}::uuid
    ),
    held AS MATERIALIZED (
      SELECT a.id, a.kind, a.management, a.personal_budget_id, a.funding_stream_id, a.name, a.provider_id
        FROM ledger_accounts a
       WHERE a.council_id = ${v.councilId}::uuid AND a.kind IN ('dp_holder', 'provider') AND a.personal_budget_id IS NULL
         AND a.funding_stream_id IS NULL AND a.management IS NULL AND a.person_id = ${v.personId}::uuid
      UNION ALL
      SELECT a.id, a.kind, a.management, a.personal_budget_id, a.funding_stream_id, a.name, a.provider_id
        FROM b
        JOIN ledger_accounts a ON a.council_id = ${v.councilId}::uuid AND a.kind IN ('budget', 'council_commitment') AND a.personal_budget_id = b.id
    ),
    a AS MATERIALIZED (
      SELECT h.id, h.kind, h.management, h.personal_budget_id, h.funding_stream_id, h.name, f.name AS stream_name, pr.name AS provider_name
        FROM held h
        LEFT JOIN funding_streams f ON f.id = h.funding_stream_id
        LEFT JOIN providers pr ON pr.id = h.provider_id
    )
    SELECT f.council_id, f.restricted, f.lead_worker_id, f.named_worker_ids, f.family_account_ids, f.provider_ids,
      p.given_name, p.family_name, p.reference,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'startsOn', starts_on, 'endsOn', ends_on,
                'contingencyPence', contingency_pence, 'contingencyPurpose', contingency_purpose) ORDER BY starts_on), '[]') FROM b) AS budgets,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'kind', kind, 'management', management, 'personalBudgetId', personal_budget_id,
                'fundingStreamId', funding_stream_id, 'streamName', stream_name, 'providerName', provider_name, 'name', name) ORDER BY kind, name), '[]') FROM a) AS accounts,
      (SELECT coalesce(json_agg(json_build_object('entryId', e.id::text, 'accountId', e.account_id, 'amountPence', e.amount_pence::text,
                'effectiveOn', e.effective_on, 'transactionId', e.transaction_id, 'kind', t.kind, 'idempotencyKey', t.idempotency_key,
                'description', t.description, 'reversesTransactionId', t.reverses_transaction_id, 'reversedKind', r.kind) ORDER BY e.effective_on, e.id), '[]')
         FROM ledger_entries e
         JOIN ledger_transactions t ON t.council_id = e.council_id AND t.id = e.transaction_id
         LEFT JOIN ledger_transactions r ON r.council_id = t.council_id AND r.id = t.reverses_transaction_id
        WHERE e.council_id = ${v.councilId}::uuid AND e.account_id IN (SELECT id FROM a) AND e.effective_on <= ${v.asOf}::date) AS entries,
      (SELECT coalesce(json_agg(json_build_object('transactionId', l.transaction_id, 'category', l.category, 'type', l.type, 'amountPence', l.amount_pence::text)), '[]')
         FROM spending_lines l
        WHERE l.council_id = ${v.councilId}::uuid AND l.person_id = ${v.personId}::uuid) AS spending_lines,
      (SELECT coalesce(json_agg(json_build_object('scheduleId', i.schedule_id, 'number', i.number, 'dueOn', i.due_on, 'periodFrom', i.period_from,
                'periodTo', i.period_to, 'amountPence', i.amount_pence::text) ORDER BY i.due_on, i.number), '[]')
         FROM payment_instalments i
         JOIN payment_schedules s ON s.id = i.schedule_id
        WHERE s.council_id = ${v.councilId}::uuid AND s.person_id = ${v.personId}::uuid) AS instalments
      FROM facts f
      JOIN people p ON p.id = ${v.personId}::uuid`;
}
const PERSON_PLACEHOLDERS = { councilId: '\u0000statement council', personId: '\u0000statement person', asOf: '\u0000statement as of', today: '\u0000statement today' } as const;
let personQuery: ((values: { councilId: string; personId: string; asOf: string; today: string }) => CompiledQuery<PersonStatementRow>) | undefined;

export function statementsRepository(tx: TenantTx) {
  return {
    /**
     * Everything the person's statement shows, as of `asOf`, in ONE round trip (built once, see
     * src/db/reusable.ts): the person's heading, their budgets with the contingency of the plan
     * version each was agreed from, their accounts, the entries on those accounts effective on or
     * before `asOf` with their transactions, their spending lines and their instalments. Undefined
     * when there is no such person.
     *
     * The same statement reads the person's access facts (`factsSql`, as every person page reads
     * them): the caller must check them against the policy before using anything else.
     */
    async personStatement(input: { councilId: string; personId: string; asOf: string; today: string }): Promise<PersonStatementData | undefined> {
      personQuery ??= reusableNamed(personStatementSql(PERSON_PLACEHOLDERS).compile(tx), PERSON_PLACEHOLDERS);
      const { rows } = await tx.executeQuery(personQuery({ councilId: input.councilId, personId: input.personId, asOf: input.asOf, today: input.today }));
      const row = rows[0];
      if (row === undefined) return undefined;
      const personId = input.personId;
      return {
        facts: factsOf(row),
        person: { id: personId, name: `${row.given_name} ${row.family_name}`, reference: row.reference },
        budgets: row.budgets.map((b) => ({
          id: b.id,
          startsOn: b.startsOn,
          endsOn: b.endsOn,
          contingency: b.contingencyPence === null || !/^\d+$/.test(b.contingencyPence) ? null : { amountPence: BigInt(b.contingencyPence), purpose: b.contingencyPurpose ?? '' },
        })),
        accounts: row.accounts,
        entries: row.entries.map((e) => ({
          entryId: BigInt(e.entryId),
          accountId: e.accountId,
          amountPence: BigInt(e.amountPence),
          effectiveOn: e.effectiveOn,
          transactionId: e.transactionId,
          kind: e.kind,
          idempotencyKey: e.idempotencyKey,
          description: e.description,
          reversesTransactionId: e.reversesTransactionId,
          reversedKind: e.reversedKind,
        })),
        spendingLines: row.spending_lines.map((l) => ({ ...l, amountPence: BigInt(l.amountPence) })),
        instalments: row.instalments.map((i) => ({ ...i, amountPence: BigInt(i.amountPence) })),
      };
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
