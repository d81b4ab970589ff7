/**
 * The double-entry ledger's SQL (migration 0013): accounts, transactions and their entries. Only
 * SQL: the rules (balanced, idempotent, no overdrawn budget) are in src/domain/ledger/ledger.ts and
 * src/services/ledger.ts, and the database enforces balance and immutability itself.
 *
 * Bulk writes pass each column as one array and `unnest` them: one statement whatever the number of
 * rows, with a fixed text (so PostgreSQL prepares it once per connection, src/db/prepared.ts) and
 * a fixed number of parameters (a VALUES list of 5,000 entries would need 25,000 and a new text
 * for each size). Rows are still sent in chunks, to bound the size of one message.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { TenantTx } from '../tenancy.ts';
import { groupBy } from '../rows.ts';
import type { LedgerAccountKindColumn, LedgerTransactionKindColumn } from '../schema.ts';
import type { AccountIdentity, TransactionKind } from '../../domain/ledger/ledger.ts';
import type { Pence } from '../../domain/money/money.ts';

export const ENTRY_CHUNK = 5_000;

export interface LedgerAccountRecord {
  readonly id: string;
  readonly kind: LedgerAccountKindColumn;
  readonly name: string;
  readonly overdraftAllowed: boolean;
}

/** A transaction as the service hands it to be written. */
export interface NewTransactionRow {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly contentHash: string;
  readonly kind: TransactionKind;
  readonly effectiveOn: string;
  readonly description: string;
  readonly reversesTransactionId: string | null;
}

/** A transaction as stored: what was written, and when and by whom. */
export interface StoredTransaction extends NewTransactionRow {
  readonly recordedAt: Date;
  readonly recordedBy: string | null;
}

export interface NewEntryRow {
  readonly transactionId: string;
  readonly accountId: string;
  readonly amountPence: Pence;
  readonly effectiveOn: string;
}

export interface EntryRecord {
  readonly accountId: string;
  readonly amountPence: Pence;
}

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export function ledgerRepository(tx: TenantTx) {
  const transactions = () =>
    tx
      .selectFrom('ledger_transactions')
      .select([
        'id',
        'idempotency_key as idempotencyKey',
        'content_hash as contentHash',
        'kind',
        'effective_on as effectiveOn',
        'description',
        'reverses_transaction_id as reversesTransactionId',
        'recorded_at as recordedAt',
        'recorded_by as recordedBy',
      ]);

  /** The entries of several accounts in one query, with their transactions, each account's in date order. */
  async function accountHistoriesOf(accountIds: readonly string[]): Promise<Map<string, AccountHistoryEntry[]>> {
    if (accountIds.length === 0) return new Map();
    const rows = await tx
      .selectFrom('ledger_entries as e')
      .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
      .select(['e.account_id as accountId', 't.kind', 'e.effective_on as effectiveOn', 'e.amount_pence as amountPence'])
      .where('e.account_id', '=', sql<string>`any(${[...accountIds]}::uuid[])`)
      .orderBy('e.effective_on')
      .orderBy('e.id')
      .execute();
    return groupBy(rows, ({ accountId, ...entry }) => [accountId, entry]);
  }

  return {
    // ---- Accounts ----------------------------------------------------------------------------

    /** The account with this identity, made (with this name and overdraft rule) if there is none yet. */
    async findOrCreateAccount(row: { councilId: string; identity: AccountIdentity; name: string; overdraftAllowed: boolean; now: Date }): Promise<string> {
      const i = row.identity;
      const links = {
        personal_budget_id: i.personalBudgetId ?? null,
        funding_stream_id: i.fundingStreamId ?? null,
        management: i.management ?? null,
        person_id: i.personId ?? null,
        provider_id: i.providerId ?? null,
        period_starts_on: i.periodStartsOn ?? null,
      };
      const inserted = await tx
        .insertInto('ledger_accounts')
        .values({ id: crypto.randomUUID(), council_id: row.councilId, kind: i.kind, ...links, name: row.name, overdraft_allowed: row.overdraftAllowed, created_at: row.now })
        .onConflict((oc) => oc.constraint('ledger_accounts_natural_identity').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted !== undefined) return inserted.id;
      // Made before (perhaps a moment ago by a concurrent request, now committed): this statement's
      // fresh snapshot sees it. NULL links match NULL ("no link"), as the unique constraint treats them.
      let query = tx.selectFrom('ledger_accounts').select('id').where('kind', '=', i.kind);
      for (const [column, value] of Object.entries(links) as [keyof typeof links, string | null][]) {
        query = query.where(column, 'is not distinct from', value);
      }
      return (await query.executeTakeFirstOrThrow()).id;
    },

    async accountsByIds(ids: readonly string[]): Promise<LedgerAccountRecord[]> {
      if (ids.length === 0) return [];
      return tx
        .selectFrom('ledger_accounts')
        .select(['id', 'kind', 'name', 'overdraft_allowed as overdraftAllowed'])
        .where('id', '=', sql<string>`any(${[...ids]}::uuid[])`)
        .execute();
    },

    /**
     * Locks these accounts until the transaction ends, in id order, so that two postings that lock
     * overlapping sets always take them in the same order and cannot deadlock. FOR NO KEY UPDATE
     * (not FOR UPDATE) because inserting an entry checks its foreign key with a FOR KEY SHARE lock
     * on the account, which FOR UPDATE would block: two postings crediting each other's budgets
     * would then deadlock. Read balances in a LATER statement: a statement that waited for a lock
     * still reads from the snapshot it started with.
     */
    async lockAccounts(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await tx
        .selectFrom('ledger_accounts')
        .select('id')
        .where('id', '=', sql<string>`any(${[...ids]}::uuid[])`)
        .orderBy('id')
        .forNoKeyUpdate()
        .execute();
    },

    /** Each account's balance (sum of its entries), as of a date (entries effective on or before it) or in all. */
    async balancesOf(accountIds: readonly string[], asOf?: string): Promise<Map<string, Pence>> {
      const out = new Map<string, Pence>(accountIds.map((id) => [id, 0n]));
      if (accountIds.length === 0) return out;
      let query = tx
        .selectFrom('ledger_entries')
        .select(['account_id', sql<string>`sum(amount_pence)::text`.as('balance')])
        .where('account_id', '=', sql<string>`any(${[...accountIds]}::uuid[])`)
        .groupBy('account_id');
      if (asOf !== undefined) query = query.where('effective_on', '<=', asOf);
      for (const r of await query.execute()) out.set(r.account_id, BigInt(r.balance));
      return out;
    },

    /** The sum of every entry of the council: zero, always, in a double-entry ledger. */
    async councilTotal(): Promise<Pence> {
      const row = await tx.selectFrom('ledger_entries').select(sql<string>`coalesce(sum(amount_pence), 0)::text`.as('total')).executeTakeFirstOrThrow();
      return BigInt(row.total);
    },

    // ---- Transactions ------------------------------------------------------------------------

    /**
     * Inserts the transactions whose key is new and returns those inserted (id and key). A key the
     * council has used already is skipped (ON CONFLICT … DO NOTHING); if another database
     * transaction is inserting the same key right now, this waits for it to end first. Rows go in
     * key order, so two batches sharing keys wait for each other in one order, never in a cycle.
     */
    async insertTransactions(row: { councilId: string; recordedBy: string | null; now: Date; transactions: readonly NewTransactionRow[] }): Promise<{ id: string; idempotencyKey: string }[]> {
      if (row.transactions.length === 0) return [];
      const sorted = [...row.transactions].sort((a, b) => (a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0));
      const inserted: { id: string; idempotencyKey: string }[] = [];
      for (const part of chunks(sorted, ENTRY_CHUNK)) {
        const result = await sql<{ id: string; idempotencyKey: string }>`
          INSERT INTO ledger_transactions
                 (id, council_id, idempotency_key, content_hash, kind, effective_on, recorded_at, recorded_by, description, reverses_transaction_id)
          SELECT t.id, ${row.councilId}::uuid, t.key, t.hash, t.kind, t.effective_on, ${row.now}::timestamptz, ${row.recordedBy}::uuid, t.description, t.reverses
            FROM unnest(${part.map((t) => t.id)}::uuid[], ${part.map((t) => t.idempotencyKey)}::text[], ${part.map((t) => t.contentHash)}::text[],
                        ${part.map((t) => t.kind)}::text[], ${part.map((t) => t.effectiveOn)}::date[], ${part.map((t) => t.description)}::text[],
                        ${part.map((t) => t.reversesTransactionId)}::uuid[])
                 WITH ORDINALITY AS t (id, key, hash, kind, effective_on, description, reverses, n)
           ORDER BY t.n
          ON CONFLICT (council_id, idempotency_key) DO NOTHING
          RETURNING id, idempotency_key AS "idempotencyKey"`.execute(tx);
        inserted.push(...result.rows);
      }
      return inserted;
    },

    /** Inserts entries in chunks of ENTRY_CHUNK rows, one statement each. */
    async insertEntries(councilId: string, entries: readonly NewEntryRow[]): Promise<void> {
      for (const part of chunks(entries, ENTRY_CHUNK)) {
        await sql`
          INSERT INTO ledger_entries (council_id, transaction_id, account_id, amount_pence, effective_on)
          SELECT ${councilId}::uuid, e.transaction_id, e.account_id, e.amount_pence, e.effective_on
            FROM unnest(${part.map((e) => e.transactionId)}::uuid[], ${part.map((e) => e.accountId)}::uuid[],
                        ${part.map((e) => e.amountPence)}::bigint[], ${part.map((e) => e.effectiveOn)}::date[])
                 AS e (transaction_id, account_id, amount_pence, effective_on)`.execute(tx);
      }
    },

    async findTransactionByKey(idempotencyKey: string): Promise<StoredTransaction | undefined> {
      return transactions().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
    },

    async findTransactionsByKeys(keys: readonly string[]): Promise<StoredTransaction[]> {
      if (keys.length === 0) return [];
      return transactions().where('idempotency_key', '=', sql<string>`any(${[...keys]}::text[])`).execute();
    },

    async transactionById(id: string): Promise<StoredTransaction | undefined> {
      return transactions().where('id', '=', id).executeTakeFirst();
    },

    /** The transaction that reversed this one, if any. */
    async reversalOf(transactionId: string): Promise<StoredTransaction | undefined> {
      return transactions().where('reverses_transaction_id', '=', transactionId).executeTakeFirst();
    },

    async entriesOf(transactionId: string): Promise<EntryRecord[]> {
      return tx
        .selectFrom('ledger_entries')
        .select(['account_id as accountId', 'amount_pence as amountPence'])
        .where('transaction_id', '=', transactionId)
        .orderBy('account_id')
        .execute();
    },

    accountHistoriesOf,
  };
}

/**
 * One entry of an account, with its transaction's kind: what monitoring reconciles (the finance list
 * reads every holder's entries at once, so nothing more is read).
 */
export interface AccountHistoryEntry {
  readonly kind: LedgerTransactionKindColumn;
  readonly effectiveOn: string;
  readonly amountPence: Pence;
}

export type LedgerRepository = ReturnType<typeof ledgerRepository>;
