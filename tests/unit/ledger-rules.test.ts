/**
 * The ledger's pure rules (src/domain/ledger/ledger.ts): what may be posted, the content hash that
 * tells a retry from a different transaction under the same key, reversals, and the in-memory model
 * the integration tests compare the database with.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  applyToModel,
  contentHash,
  MAX_ENTRY_PENCE,
  modelBalancesAsOf,
  modelTotal,
  reversalOf,
  TRANSACTION_KINDS,
  validateTransaction,
  type LedgerEntryInput,
  type TransactionInput,
} from '../../src/domain/ledger/ledger.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const POOL = [A, B, C, '00000000-0000-4000-8000-00000000000d', '00000000-0000-4000-8000-00000000000e', '00000000-0000-4000-8000-00000000000f'];

const allocation = (overrides: Partial<TransactionInput> = {}): TransactionInput => ({
  idempotencyKey: 'allocation:budget-1',
  kind: 'allocation',
  effectiveOn: '2026-04-01',
  description: 'Social care budget for 2026 to 2027',
  entries: [
    { accountId: A, amountPence: -120_000n },
    { accountId: B, amountPence: 120_000n },
  ],
  ...overrides,
});

const paths = (input: TransactionInput) => validateTransaction(input).map((p) => p.path);

// ---- Arbitraries ---------------------------------------------------------------------------------

const dateArb = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const amountArb = fc.bigInt({ min: 1n, max: 100_000_000n }).chain((n) => fc.constantFrom(n, -n));

/** Entries over distinct accounts of the pool that sum to zero, none of them zero. */
const balancedEntriesArb: fc.Arbitrary<LedgerEntryInput[]> = fc
  .uniqueArray(fc.constantFrom(...POOL), { minLength: 2, maxLength: 5 })
  .chain((accounts) => fc.tuple(fc.constant(accounts), fc.array(amountArb, { minLength: accounts.length - 1, maxLength: accounts.length - 1 })))
  .map(([accounts, amounts]) => {
    const last = -amounts.reduce((a, b) => a + b, 0n);
    return accounts.map((accountId, i) => ({ accountId, amountPence: amounts[i] ?? last }));
  })
  .filter((entries) => entries.every((e) => e.amountPence !== 0n));

const transactionArb: fc.Arbitrary<TransactionInput> = fc.record({
  idempotencyKey: fc.stringMatching(/^[a-z0-9:-]{1,40}$/),
  kind: fc.constantFrom(...TRANSACTION_KINDS.filter((k) => k !== 'reversal')),
  effectiveOn: dateArb,
  description: fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== ''),
  entries: balancedEntriesArb,
});

// ---- validateTransaction ---------------------------------------------------------------------------

describe('validateTransaction: what may be posted', () => {
  it('accepts money moved from one account to another', () => {
    assert.deepEqual(validateTransaction(allocation()), []);
  });

  it('accepts any balanced transaction of distinct accounts', () => {
    fc.assert(fc.property(transactionArb, (tx) => validateTransaction(tx).length === 0));
  });

  it('refuses a transaction whose debits do not equal its credits, by any amount', () => {
    fc.assert(
      fc.property(transactionArb, fc.bigInt({ min: 1n, max: 1000n }), (tx, delta) => {
        const [first, ...rest] = tx.entries;
        if (first === undefined) return;
        const skewed = { ...tx, entries: [{ ...first, amountPence: first.amountPence + delta }, ...rest] };
        assert.ok(paths(skewed).includes('entries'));
      }),
    );
  });

  it('refuses a single entry: money must come from somewhere', () => {
    assert.ok(paths(allocation({ entries: [{ accountId: A, amountPence: 0n }] })).includes('entries'));
    assert.ok(paths(allocation({ entries: [] })).includes('entries'));
  });

  it('refuses an entry of zero pence', () => {
    const problems = paths(allocation({ entries: [{ accountId: A, amountPence: 0n }, { accountId: B, amountPence: 0n }] }));
    assert.ok(problems.includes('entries[0].amountPence') && problems.includes('entries[1].amountPence'));
  });

  it('refuses the same account twice in one transaction rather than guessing what was meant', () => {
    const problems = paths(allocation({ entries: [{ accountId: A, amountPence: -5n }, { accountId: B, amountPence: 3n }, { accountId: A, amountPence: 2n }] }));
    assert.deepEqual(problems, ['entries[2].accountId']);
  });

  it('refuses amounts beyond £100 million either way, and accepts exactly £100 million', () => {
    assert.deepEqual(paths(allocation({ entries: [{ accountId: A, amountPence: -MAX_ENTRY_PENCE }, { accountId: B, amountPence: MAX_ENTRY_PENCE }] })), []);
    const over = MAX_ENTRY_PENCE + 1n;
    assert.deepEqual(paths(allocation({ entries: [{ accountId: A, amountPence: -over }, { accountId: B, amountPence: over }] })), ['entries[0].amountPence', 'entries[1].amountPence']);
  });

  it('refuses an account that is not an id', () => {
    assert.deepEqual(paths(allocation({ entries: [{ accountId: 'budget', amountPence: -1n }, { accountId: B, amountPence: 1n }] })), ['entries[0].accountId']);
  });

  it('needs an idempotency key of 1 to 200 printable characters', () => {
    assert.deepEqual(paths(allocation({ idempotencyKey: 'x'.repeat(200) })), []);
    assert.deepEqual(paths(allocation({ idempotencyKey: 'payment run 7: schedule 3' })), []);
    for (const key of ['', 'x'.repeat(201), ' leading', 'trailing ', 'tab\there', 'new\nline', 'é-accent']) {
      assert.deepEqual(paths(allocation({ idempotencyKey: key })), ['idempotencyKey'], JSON.stringify(key));
    }
  });

  it('needs a real effective date', () => {
    assert.deepEqual(paths(allocation({ effectiveOn: '2028-02-29' })), []);
    for (const date of ['2027-02-29', '2026-13-01', '1 April 2026', '']) assert.deepEqual(paths(allocation({ effectiveOn: date })), ['effectiveOn'], date);
  });

  it('needs a description of at most 500 characters', () => {
    assert.deepEqual(paths(allocation({ description: '   ' })), ['description']);
    assert.deepEqual(paths(allocation({ description: 'x'.repeat(501) })), ['description']);
    assert.deepEqual(paths(allocation({ description: 'x'.repeat(500) })), []);
  });

  it('needs a known kind', () => {
    assert.deepEqual(paths(allocation({ kind: 'gift' as TransactionInput['kind'] })), ['kind']);
  });

  it('links a reversal, and only a reversal, to the transaction it reverses', () => {
    assert.deepEqual(paths(allocation({ kind: 'reversal' })), ['reversesTransactionId']);
    assert.deepEqual(paths(allocation({ reversesTransactionId: C })), ['reversesTransactionId']);
    assert.deepEqual(paths(allocation({ kind: 'reversal', reversesTransactionId: 'not-an-id' })), ['reversesTransactionId']);
    assert.deepEqual(paths(allocation({ kind: 'reversal', reversesTransactionId: C })), []);
  });
});

// ---- contentHash -------------------------------------------------------------------------------------

describe('contentHash: telling a retry from a different transaction under the same key', () => {
  it('is a sha256 in hex', () => {
    assert.match(contentHash(allocation()), /^[0-9a-f]{64}$/);
  });

  it('does not depend on the order of the entries or on the key', () => {
    fc.assert(
      fc.property(transactionArb, fc.func(fc.integer()), fc.string({ minLength: 1, maxLength: 20 }), (tx, order, key) => {
        const shuffled = [...tx.entries].sort((a, b) => order(a.accountId) - order(b.accountId) || (a.accountId < b.accountId ? -1 : 1));
        assert.equal(contentHash({ ...tx, entries: shuffled, idempotencyKey: key }), contentHash(tx));
      }),
    );
  });

  it('changes when any amount, account, date, kind, description or reversed transaction changes', () => {
    fc.assert(
      fc.property(transactionArb, fc.nat(), amountArb, dateArb, (tx, pick, amount, date) => {
        const hash = contentHash(tx);
        const i = pick % tx.entries.length;
        const entry = tx.entries[i];
        if (entry === undefined) return;
        const withEntry = (e: LedgerEntryInput) => ({ ...tx, entries: tx.entries.map((x, j) => (j === i ? e : x)) });
        if (amount !== entry.amountPence) assert.notEqual(contentHash(withEntry({ ...entry, amountPence: amount })), hash, 'amount');
        const unused = POOL.find((id) => !tx.entries.some((e) => e.accountId === id));
        if (unused !== undefined) assert.notEqual(contentHash(withEntry({ ...entry, accountId: unused })), hash, 'account');
        if (date !== tx.effectiveOn) assert.notEqual(contentHash({ ...tx, effectiveOn: date }), hash, 'date');
        assert.notEqual(contentHash({ ...tx, kind: tx.kind === 'payment' ? 'spend' : 'payment' }), hash, 'kind');
        assert.notEqual(contentHash({ ...tx, description: `${tx.description}.` }), hash, 'description');
        assert.notEqual(contentHash({ ...tx, kind: 'reversal', reversesTransactionId: C }), contentHash({ ...tx, kind: 'reversal', reversesTransactionId: A }), 'reversed');
      }),
    );
  });

  it('cannot be fooled by text that looks like another field', () => {
    // Canonical JSON: a description holding the text of an entry is still only a description.
    const a = allocation({ description: 'x","entries":[]' });
    const b = allocation({ description: 'x' });
    assert.notEqual(contentHash(a), contentHash(b));
  });
});

// ---- reversalOf and the model ------------------------------------------------------------------------

describe('reversalOf: a correction is a new transaction that cancels the old', () => {
  it('negates every entry, names the original and always validates', () => {
    fc.assert(
      fc.property(transactionArb, dateArb, (tx, on) => {
        const reversal = reversalOf({ ...tx, id: C }, { idempotencyKey: `reverse:${tx.idempotencyKey}`, effectiveOn: on, reason: 'Paid to the wrong account' });
        assert.deepEqual(validateTransaction(reversal), []);
        assert.equal(reversal.reversesTransactionId, C);
        assert.equal(reversal.effectiveOn, on, 'effective on its own date, so earlier balances stay as reported');
        assert.equal(reversal.entries.reduce((s, e) => s + e.amountPence, 0n), 0n);
        assert.deepEqual(reversal.entries.map((e) => [e.accountId, -e.amountPence]), tx.entries.map((e) => [e.accountId, e.amountPence]));
      }),
    );
  });

  it('brings every balance back to what it was before the original', () => {
    fc.assert(
      fc.property(fc.array(transactionArb, { maxLength: 10 }), transactionArb, (history, tx) => {
        const before = history.reduce(applyToModel, new Map<string, bigint>());
        const after = applyToModel(applyToModel(before, tx), reversalOf({ ...tx, id: C }, { idempotencyKey: 'r', effectiveOn: '2030-01-01', reason: 'Mistake' }));
        for (const id of POOL) assert.equal(after.get(id) ?? 0n, before.get(id) ?? 0n);
      }),
    );
  });
});

describe('the in-memory ledger model', () => {
  it('always totals zero over all accounts, whatever is posted', () => {
    fc.assert(fc.property(fc.array(transactionArb, { maxLength: 30 }), (txs) => modelTotal(txs.reduce(applyToModel, new Map<string, bigint>())) === 0n));
  });

  it('does not change the balances it is given', () => {
    const start = new Map([[A, 5n]]);
    applyToModel(start, allocation());
    assert.deepEqual([...start], [[A, 5n]]);
  });

  it('counts, as of a date, exactly the transactions effective on or before it', () => {
    const early = allocation({ effectiveOn: '2026-04-01' });
    const late = allocation({ effectiveOn: '2026-05-01', entries: [{ accountId: B, amountPence: -20_000n }, { accountId: C, amountPence: 20_000n }] });
    assert.deepEqual(modelBalancesAsOf([early, late], '2026-03-31'), new Map());
    assert.deepEqual(modelBalancesAsOf([early, late], '2026-04-01'), new Map([[A, -120_000n], [B, 120_000n]]));
    assert.deepEqual(modelBalancesAsOf([early, late], '2026-04-30'), new Map([[A, -120_000n], [B, 120_000n]]));
    assert.deepEqual(modelBalancesAsOf([late, early]), new Map([[B, 100_000n], [C, 20_000n], [A, -120_000n]]));
  });
});
