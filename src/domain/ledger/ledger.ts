/**
 * The rules of the double-entry ledger (issue 6), pure: no I/O, no clock, money in bigint pence,
 * dates 'YYYY-MM-DD'. The database enforces the same invariants again (migration 0013_ledger.sql);
 * these checks give a caller a clear answer before anything is written.
 *
 * Sign convention (docs/decisions/0017-ledger.md): a positive amount is a DEBIT, money INTO the
 * account; a negative amount is a CREDIT, money OUT OF it. A balance is the sum of an account's
 * entries: what the account holds.
 *
 * Why double entry: money is never created or lost inside the council's books. Every transaction
 * moves money between at least two accounts, and its entries sum to zero, so the sum over all
 * accounts is always zero and any penny can be traced to where it came from ("Money rules" in
 * DOMAIN.md: finance officers must be able to prove every penny).
 */
import { createHash } from 'node:crypto';
import { isUuid } from '../ids.ts';
import { sumPence, type Pence } from '../money/money.ts';
import { compareDates, isIsoDate } from '../pathway/dates.ts';

export const LEDGER_ACCOUNT_KINDS = [
  'stream_pot',
  'budget',
  'dp_holder',
  'provider',
  'council_commitment',
  'recoveries',
  'write_offs',
  'payments_out',
] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

export const TRANSACTION_KINDS = ['allocation', 'payment', 'spend', 'refund', 'recovery', 'write_off', 'rollover', 'reversal', 'adjustment'] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/** £100 million: far above any one personal budget payment, and the same limit the database checks. */
export const MAX_ENTRY_PENCE: Pence = 10_000_000_000n;
export const MAX_DESCRIPTION_LENGTH = 500;
export const MAX_KEY_LENGTH = 200;

export interface LedgerEntryInput {
  readonly accountId: string;
  /** Positive = debit (money into the account), negative = credit (money out of it). */
  readonly amountPence: Pence;
}

export interface TransactionInput {
  /** Chosen by the caller, stable across retries ("payment-run:<run>:<schedule>:<instalment>"). */
  readonly idempotencyKey: string;
  readonly kind: TransactionKind;
  /** The day the money moves; balances as of a date count what is effective on or before it. */
  readonly effectiveOn: string;
  readonly description: string;
  readonly entries: readonly LedgerEntryInput[];
  /** Set on a reversal (and only on one): the transaction it cancels. */
  readonly reversesTransactionId?: string | undefined;
}

/** A transaction as posted: the input and the id the ledger gave it. */
export interface PostedTransaction extends TransactionInput {
  readonly id: string;
}

export interface LedgerProblem {
  readonly path: string;
  readonly message: string;
}

// A key is for machines: visible ASCII, spaces allowed inside but not at either end.
const KEY_PATTERN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

function keyProblems(key: string): LedgerProblem[] {
  if (key.length < 1 || key.length > MAX_KEY_LENGTH) return [{ path: 'idempotencyKey', message: `The idempotency key must be 1 to ${MAX_KEY_LENGTH} characters` }];
  if (!KEY_PATTERN.test(key)) return [{ path: 'idempotencyKey', message: 'The idempotency key must be printable characters, without spaces at either end' }];
  return [];
}

function entryProblems(entries: readonly LedgerEntryInput[]): LedgerProblem[] {
  const problems: LedgerProblem[] = [];
  // A transaction moves money from somewhere to somewhere: one entry alone cannot balance.
  if (entries.length < 2) problems.push({ path: 'entries', message: 'A transaction needs at least two entries' });
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const at = `entries[${i}]`;
    if (!isUuid(entry.accountId)) problems.push({ path: `${at}.accountId`, message: 'The account must be a ledger account id' });
    // Refused rather than merged: the caller said two different things about one account.
    else if (seen.has(entry.accountId.toLowerCase())) problems.push({ path: `${at}.accountId`, message: 'An account may appear only once in a transaction' });
    seen.add(entry.accountId.toLowerCase());
    if (entry.amountPence === 0n) problems.push({ path: `${at}.amountPence`, message: 'An entry must move some money (not zero)' });
    if (entry.amountPence > MAX_ENTRY_PENCE || entry.amountPence < -MAX_ENTRY_PENCE) {
      problems.push({ path: `${at}.amountPence`, message: 'An entry may move at most £100,000,000' });
    }
  });
  const total = sumPence(entries.map((e) => e.amountPence));
  if (total !== 0n) problems.push({ path: 'entries', message: `The entries must sum to zero (debits equal credits); they sum to ${total} pence` });
  return problems;
}

/** Every problem with a transaction before it is posted; none means it may be posted. */
export function validateTransaction(input: TransactionInput): LedgerProblem[] {
  const problems = keyProblems(input.idempotencyKey);
  if (!(TRANSACTION_KINDS as readonly string[]).includes(input.kind)) problems.push({ path: 'kind', message: 'Choose a kind of transaction' });
  if (!isIsoDate(input.effectiveOn)) problems.push({ path: 'effectiveOn', message: 'The effective date must be a real date, YYYY-MM-DD' });
  const description = input.description.trim();
  if (description === '' || input.description.length > MAX_DESCRIPTION_LENGTH) {
    problems.push({ path: 'description', message: `Describe the transaction in 1 to ${MAX_DESCRIPTION_LENGTH} characters` });
  }
  const reverses = input.reversesTransactionId;
  // A reversal names what it reverses, and only a reversal does (the database checks this too).
  if ((input.kind === 'reversal') !== (reverses !== undefined)) {
    problems.push({ path: 'reversesTransactionId', message: 'A reversal, and only a reversal, names the transaction it reverses' });
  } else if (reverses !== undefined && !isUuid(reverses)) {
    problems.push({ path: 'reversesTransactionId', message: 'The reversed transaction must be a transaction id' });
  }
  problems.push(...entryProblems(input.entries));
  return problems;
}

/**
 * The canonical content of a transaction: everything but its idempotency key, with the entries
 * sorted by account and amounts written as integers, so the same transaction always gives the same
 * text however its entries were ordered.
 */
export function canonicalContent(input: TransactionInput): string {
  const entries = [...input.entries]
    .map((e) => ({ account: e.accountId.toLowerCase(), pence: e.amountPence.toString() }))
    .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : a.pence < b.pence ? -1 : a.pence > b.pence ? 1 : 0));
  return JSON.stringify({
    kind: input.kind,
    effectiveOn: input.effectiveOn,
    description: input.description,
    reverses: input.reversesTransactionId?.toLowerCase() ?? null,
    entries: entries.map((e) => [e.account, e.pence]),
  });
}

/**
 * sha256 (hex) of the canonical content. Posting a key again with the same hash is a retry and
 * returns the original; with a different hash it is a different transaction reusing a key: refused.
 */
export function contentHash(input: TransactionInput): string {
  return createHash('sha256').update(canonicalContent(input), 'utf8').digest('hex');
}

/**
 * The transaction that cancels `original`: every entry negated. It is effective on its own date
 * (usually the day it is recorded), not the original's, so a balance as of an earlier date stays
 * what it was when it was first reported.
 */
export function reversalOf(original: PostedTransaction, how: { idempotencyKey: string; effectiveOn: string; reason: string }): TransactionInput {
  return {
    idempotencyKey: how.idempotencyKey,
    kind: 'reversal',
    effectiveOn: how.effectiveOn,
    description: `Reversal: ${how.reason}`.slice(0, MAX_DESCRIPTION_LENGTH),
    entries: original.entries.map((e) => ({ accountId: e.accountId, amountPence: -e.amountPence })),
    reversesTransactionId: original.id,
  };
}

/** The credits of a transaction (money out of each account), by account: what could overdraw it. */
export function creditsByAccount(input: TransactionInput): Map<string, Pence> {
  const out = new Map<string, Pence>();
  for (const e of input.entries) if (e.amountPence < 0n) out.set(e.accountId, (out.get(e.accountId) ?? 0n) + e.amountPence);
  return out;
}

// ---- A tiny in-memory ledger, for tests to compare the database with -------------------------

/** Balances after applying one transaction to `balances` (a new map; `balances` is unchanged). */
export function applyToModel(balances: ReadonlyMap<string, Pence>, tx: Pick<TransactionInput, 'entries'>): Map<string, Pence> {
  const next = new Map(balances);
  for (const e of tx.entries) next.set(e.accountId, (next.get(e.accountId) ?? 0n) + e.amountPence);
  return next;
}

/** Balances as of a date: every transaction effective on or before `asOf` (every one without it). */
export function modelBalancesAsOf(transactions: readonly Pick<TransactionInput, 'entries' | 'effectiveOn'>[], asOf?: string): Map<string, Pence> {
  let balances = new Map<string, Pence>();
  for (const tx of transactions) if (asOf === undefined || compareDates(tx.effectiveOn, asOf) <= 0) balances = applyToModel(balances, tx);
  return balances;
}

/** The sum over every account: zero in a double-entry ledger, always. */
export function modelTotal(balances: ReadonlyMap<string, Pence>): Pence {
  return sumPence(balances.values());
}

// ---- Accounts ---------------------------------------------------------------------------------

/** What an account is about. Two requests with the same identity find the same account. */
export interface AccountIdentity {
  readonly kind: LedgerAccountKind;
  readonly personalBudgetId?: string | null;
  readonly fundingStreamId?: string | null;
  readonly management?: 'direct_payment' | 'individual_service_fund' | 'council_managed' | null;
  readonly personId?: string | null;
  readonly providerId?: string | null;
  /** For an account kept per year (a stream pot): the year's first day. */
  readonly periodStartsOn?: string | null;
}

/**
 * Whether an account may go below zero. A budget may not: a person's budget can never be committed
 * beyond its allocation. The council's own accounts (stream pots give money out before any comes
 * back; the bank pays out) may, and so may the accounts of families and providers, whose recorded
 * spending can exceed what was paid in (the monitoring flags it; the ledger records the fact).
 */
export function overdraftAllowedFor(kind: LedgerAccountKind): boolean {
  return kind !== 'budget';
}
