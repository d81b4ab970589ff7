/**
 * Posting to the double-entry ledger (issue 6), each call in one council transaction:
 *  - a transaction is checked by the pure rules (src/domain/ledger/ledger.ts) before anything is
 *    written; the database checks balance and immutability again (migration 0013);
 *  - idempotent: the caller's key names the transaction. Posting a key again with the same content
 *    returns the original (`replayed: true`) and writes nothing; with different content it is
 *    refused (`idempotency_conflict`) and writes nothing. Concurrent posts of one key make one
 *    transaction: the unique key makes the later insert wait for the earlier one to end;
 *  - a budget is never committed beyond its allocation: the accounts that may not go overdrawn and
 *    that a posting takes money out of are locked (in id order) and their balances checked first;
 *    a refused posting writes nothing at all;
 *  - balances are sums of entries, as of any date (entries effective on or before it).
 * See docs/decisions/0017-ledger.md. Payment runs, statements and recoveries build on this.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { TenantTx, WithCouncil } from '../db/tenancy.ts';
import { ledgerRepository, type LedgerRepository, type NewEntryRow, type StoredTransaction } from '../db/repositories/ledger.ts';
import {
  contentHash,
  creditsByAccount,
  overdraftAllowedFor,
  reversalOf,
  validateTransaction,
  type AccountIdentity,
  type LedgerEntryInput,
  type LedgerProblem,
  type TransactionInput,
} from '../domain/ledger/ledger.ts';
import type { Pence } from '../domain/money/money.ts';
import { isIsoDate } from '../domain/pathway/dates.ts';
import { isUuid } from '../domain/ids.ts';

export type PostResult =
  | { readonly ok: true; readonly transactionId: string; readonly replayed: boolean }
  | { readonly ok: false; readonly reason: 'invalid'; readonly problems: readonly LedgerProblem[] }
  /** The key was used for a different transaction: `transactionId` is that one. */
  | { readonly ok: false; readonly reason: 'idempotency_conflict'; readonly transactionId: string }
  | { readonly ok: false; readonly reason: 'unknown_account'; readonly accountIds: readonly string[] }
  /** Posting would take `accountId` (an account that may not go overdrawn) below zero; it holds `available`. */
  | { readonly ok: false; readonly reason: 'insufficient_funds'; readonly accountId: string; readonly available: Pence };

export type ReverseResult =
  | PostResult
  | { readonly ok: false; readonly reason: 'not_found' }
  | { readonly ok: false; readonly reason: 'already_reversed'; readonly reversalId: string }
  | { readonly ok: false; readonly reason: 'reversal_of_reversal' };

export interface ReverseRequest {
  readonly transactionId: string;
  readonly idempotencyKey: string;
  /** Why, in words a finance officer and the family can read: it becomes the description. */
  readonly reason: string;
  /** The day the correction takes effect; today (in England) when not given. */
  readonly effectiveOn?: string;
}

export interface TransactionDetail extends StoredTransaction {
  readonly entries: readonly LedgerEntryInput[];
}

/** How many times a batch is tried again after losing a race for a key to a concurrent post. */
const RACE_RETRIES = 5;

/**
 * Thrown inside the council transaction to roll it back when a concurrent post took a key first;
 * `withRetries` runs the work again from the start (then it sees the other post and replays it).
 */
export class LedgerRaceLost extends Error {}

const invalid = (problems: readonly LedgerProblem[]): PostResult => ({ ok: false, reason: 'invalid', problems });

/** Ids as PostgreSQL writes them back (lower case), so that what is read matches what was asked. */
const withLowerCaseIds = (input: TransactionInput): TransactionInput => ({
  ...input,
  entries: input.entries.map((e) => ({ accountId: e.accountId.toLowerCase(), amountPence: e.amountPence })),
  reversesTransactionId: input.reversesTransactionId?.toLowerCase(),
});

/** One input on its way through a batch. */
interface Candidate {
  readonly index: number;
  readonly input: TransactionInput;
  readonly hash: string;
}

export function ledgerServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  const { withCouncil, clock } = deps;

  /** Everything `postMany` does, inside a council transaction that is already open. */
  async function postWithin(tx: TenantTx, councilId: string, inputs: readonly TransactionInput[], recordedBy: string | null): Promise<PostResult[]> {
    const repo = ledgerRepository(tx);
    const results: (PostResult | undefined)[] = inputs.map(() => undefined);
    const settle = (c: Candidate, result: PostResult) => (results[c.index] = result);

    // 1. The pure rules. A key repeated within the batch: the first one stands for all (see `repeats`).
    const firstOfKey = new Map<string, Candidate>();
    const repeats: Candidate[] = [];
    let candidates: Candidate[] = [];
    inputs.forEach((input, index) => {
      const problems = validateTransaction(input);
      if (problems.length > 0) return (results[index] = invalid(problems));
      const candidate = { index, input: withLowerCaseIds(input), hash: contentHash(input) };
      if (firstOfKey.has(input.idempotencyKey)) return repeats.push(candidate);
      firstOfKey.set(input.idempotencyKey, candidate);
      candidates.push(candidate);
    });

    // 2. Every account named must exist in this council (row-level security hides any other council's).
    const accounts = new Map((await repo.accountsByIds([...new Set(candidates.flatMap((c) => c.input.entries.map((e) => e.accountId)))])).map((a) => [a.id, a]));
    candidates = candidates.filter((c) => {
      const missing = c.input.entries.map((e) => e.accountId).filter((id) => !accounts.has(id));
      if (missing.length > 0) settle(c, { ok: false, reason: 'unknown_account', accountIds: missing });
      return missing.length === 0;
    });

    // 3. Lock the accounts that must not go overdrawn and that these postings take money out of,
    //    before reading anything that decides the outcome: a concurrent posting against the same
    //    budget waits here until this one commits, then sees its entries.
    const guarded = [...new Set(candidates.flatMap((c) => [...creditsByAccount(c.input).keys()]))].filter((id) => accounts.get(id)?.overdraftAllowed === false).sort();
    await repo.lockAccounts(guarded);

    // 4. Keys posted before: the same content is a replay, other content a conflict.
    const existing = new Map((await repo.findTransactionsByKeys(candidates.map((c) => c.input.idempotencyKey))).map((t) => [t.idempotencyKey, t]));
    candidates = candidates.filter((c) => {
      const before = existing.get(c.input.idempotencyKey);
      if (before === undefined) return true;
      settle(c, before.contentHash === c.hash ? { ok: true, transactionId: before.id, replayed: true } : { ok: false, reason: 'idempotency_conflict', transactionId: before.id });
      return false;
    });

    // 5. Walk the new postings in the order given, keeping the guarded balances as they would be.
    const running = await repo.balancesOf(guarded);
    const accepted: (Candidate & { id: string })[] = [];
    for (const c of candidates) {
      const short = [...creditsByAccount(c.input)].find(([id, credit]) => running.has(id) && (running.get(id) ?? 0n) + credit < 0n);
      if (short !== undefined) {
        settle(c, { ok: false, reason: 'insufficient_funds', accountId: short[0], available: running.get(short[0]) ?? 0n });
        continue;
      }
      for (const e of c.input.entries) if (running.has(e.accountId)) running.set(e.accountId, (running.get(e.accountId) ?? 0n) + e.amountPence);
      accepted.push({ ...c, id: crypto.randomUUID() });
    }

    // 6. Write. A key that a concurrent post took between step 4 and now was not inserted: this
    //    batch decided with out-of-date facts, so it is rolled back and run again (then step 4 sees it).
    const inserted = await repo.insertTransactions({
      councilId,
      recordedBy,
      now: clock.now(),
      transactions: accepted.map((c) => ({
        id: c.id,
        idempotencyKey: c.input.idempotencyKey,
        contentHash: c.hash,
        kind: c.input.kind,
        effectiveOn: c.input.effectiveOn,
        description: c.input.description,
        reversesTransactionId: c.input.reversesTransactionId ?? null,
      })),
    });
    if (inserted.length !== accepted.length) throw new LedgerRaceLost();
    const entries: NewEntryRow[] = accepted.flatMap((c) =>
      c.input.entries.map((e) => ({ transactionId: c.id, accountId: e.accountId, amountPence: e.amountPence, effectiveOn: c.input.effectiveOn })),
    );
    await repo.insertEntries(councilId, entries);
    for (const c of accepted) settle(c, { ok: true, transactionId: c.id, replayed: false });

    // 7. A key repeated in the batch: the same content shares the first one's outcome (as a replay
    //    when it was posted); different content under one key is refused.
    for (const r of repeats) {
      const first = firstOfKey.get(r.input.idempotencyKey);
      const outcome = first && results[first.index];
      if (first === undefined || outcome === undefined) throw new Error('a repeated key has no first posting');
      if (first.hash !== r.hash) settle(r, invalid([{ path: 'idempotencyKey', message: 'This key is used earlier in the batch for a different transaction' }]));
      else settle(r, outcome.ok ? { ...outcome, replayed: true } : outcome);
    }
    return results.map((r) => {
      if (r === undefined) throw new Error('a posting was left without an outcome');
      return r;
    });
  }

  /** Runs `work` in a council transaction, again from the start when it lost a race for a key. */
  async function withRetries<T>(councilId: string, work: (tx: TenantTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withCouncil(councilId, work);
      } catch (error) {
        if (!(error instanceof LedgerRaceLost) || attempt >= RACE_RETRIES) throw error;
      }
    }
  }

  /** Reversals go through `reverse`, which checks what they reverse. */
  const notReversals = (inputs: readonly TransactionInput[]) =>
    inputs.map((input) =>
      input.kind === 'reversal' || input.reversesTransactionId !== undefined
        ? invalid([{ path: 'kind', message: 'Reverse a transaction with reverse(), which checks what it reverses' }])
        : undefined,
    );

  async function postMany(councilId: string, inputs: readonly TransactionInput[], recordedBy: string | null): Promise<PostResult[]> {
    const refused = notReversals(inputs);
    const allowed = inputs.filter((_, i) => refused[i] === undefined);
    const posted = allowed.length === 0 ? [] : await withRetries(councilId, (tx) => postWithin(tx, councilId, allowed, recordedBy));
    let next = 0;
    return refused.map((r) => r ?? (posted[next++] as PostResult));
  }

  return {
    /**
     * Finds the account with this identity, or opens it. Whether it may go overdrawn follows from its
     * kind (a budget may not: overdraftAllowedFor) unless the caller asks for stricter.
     */
    async account(councilId: string, request: { identity: AccountIdentity; name: string; overdraftAllowed?: boolean }): Promise<string> {
      const overdraftAllowed = overdraftAllowedFor(request.identity.kind) && request.overdraftAllowed !== false;
      return withCouncil(councilId, (tx) =>
        ledgerRepository(tx).findOrCreateAccount({ councilId, identity: request.identity, name: request.name, overdraftAllowed, now: clock.now() }),
      );
    },

    /** Posts one transaction (see the file comment for what is refused). `recordedBy` is null for the system. */
    async post(councilId: string, input: TransactionInput, recordedBy: string | null): Promise<PostResult> {
      const [result] = await postMany(councilId, [input], recordedBy);
      if (result === undefined) throw new Error('post returned no outcome');
      return result;
    },

    /**
     * Posts many transactions in one council transaction (a payment run): the same rules as `post`,
     * one outcome per input in the same order, with one lock statement and bulk inserts. Postings
     * are judged in the order given: an earlier one can use up a budget a later one then finds short.
     */
    postMany,

    /**
     * `postMany` inside a council transaction the caller already has open, so that the money and the
     * records about it (a payment run's items, a spending return's lines, a budget and its schedule)
     * commit together or not at all. Reversals are refused as in `postMany`. When a concurrent post
     * takes one of the keys first this throws `LedgerRaceLost`: run the whole use case through
     * `withRetries` so it starts again and finds the other post (a replay or a conflict).
     */
    async postWithin(tx: TenantTx, councilId: string, inputs: readonly TransactionInput[], recordedBy: string | null): Promise<PostResult[]> {
      const refused = notReversals(inputs);
      const allowed = inputs.filter((_, i) => refused[i] === undefined);
      const posted = allowed.length === 0 ? [] : await postWithin(tx, councilId, allowed, recordedBy);
      let next = 0;
      return refused.map((r) => r ?? (posted[next++] as PostResult));
    },

    /** `account` inside a council transaction the caller already has open. */
    async accountWithin(tx: TenantTx, councilId: string, request: { identity: AccountIdentity; name: string; overdraftAllowed?: boolean }): Promise<string> {
      const overdraftAllowed = overdraftAllowedFor(request.identity.kind) && request.overdraftAllowed !== false;
      return ledgerRepository(tx).findOrCreateAccount({ councilId, identity: request.identity, name: request.name, overdraftAllowed, now: clock.now() });
    },

    /** A council transaction run again from the start (up to 5 times) when it lost a race for a ledger key. */
    withRetries,

    /** Posts the negation of a transaction, at most once per transaction. */
    async reverse(councilId: string, request: ReverseRequest, recordedBy: string | null): Promise<ReverseResult> {
      if (!isUuid(request.transactionId)) return { ok: false, reason: 'not_found' };
      if (request.reason.trim() === '') return invalid([{ path: 'reason', message: 'Say why the transaction is reversed' }]);
      const effectiveOn = request.effectiveOn ?? clock.today();
      if (!isIsoDate(effectiveOn)) return invalid([{ path: 'effectiveOn', message: 'The effective date must be a real date, YYYY-MM-DD' }]);
      try {
        return await withRetries(councilId, async (tx): Promise<ReverseResult> => {
          const repo = ledgerRepository(tx);
          const original = await repo.transactionById(request.transactionId);
          if (original === undefined) return { ok: false, reason: 'not_found' };
          if (original.kind === 'reversal') return { ok: false, reason: 'reversal_of_reversal' };
          const input = reversalOf(
            { ...original, reversesTransactionId: undefined, entries: await repo.entriesOf(original.id) },
            { idempotencyKey: request.idempotencyKey, effectiveOn, reason: request.reason },
          );
          // A retry of this very reversal is a replay (postWithin); any other second reversal is refused.
          const reversal = await repo.reversalOf(original.id);
          if (reversal !== undefined && reversal.idempotencyKey !== request.idempotencyKey) return { ok: false, reason: 'already_reversed', reversalId: reversal.id };
          const [result] = await postWithin(tx, councilId, [input], recordedBy);
          if (result === undefined) throw new Error('reverse returned no outcome');
          return result;
        });
      } catch (error) {
        // Two different reversals of one transaction at the same moment: the partial unique index
        // lets one in; the other lands here.
        if ((error as { constraint?: string }).constraint !== 'ledger_transactions_one_reversal') throw error;
        const reversal = await withCouncil(councilId, (tx) => ledgerRepository(tx).reversalOf(request.transactionId));
        if (reversal === undefined) throw error;
        return { ok: false, reason: 'already_reversed', reversalId: reversal.id };
      }
    },

    /** An account's balance: the sum of its entries effective on or before `asOf` (all of them without it). */
    async balance(councilId: string, accountId: string, asOf?: string): Promise<Pence> {
      const balances = await withCouncil(councilId, (tx) => ledgerRepository(tx).balancesOf([accountId], asOf));
      return balances.get(accountId) ?? 0n;
    },

    async balances(councilId: string, accountIds: readonly string[], asOf?: string): Promise<Map<string, Pence>> {
      return withCouncil(councilId, (tx) => ledgerRepository(tx).balancesOf(accountIds, asOf));
    },

    /** A posted transaction with its entries (sorted by account), or undefined. */
    async transaction(councilId: string, transactionId: string): Promise<TransactionDetail | undefined> {
      if (!isUuid(transactionId)) return undefined;
      return withCouncil(councilId, async (tx) => {
        const repo: LedgerRepository = ledgerRepository(tx);
        const found = await repo.transactionById(transactionId);
        return found && { ...found, entries: await repo.entriesOf(found.id) };
      });
    },
  };
}

export type LedgerServices = ReturnType<typeof ledgerServices>;
