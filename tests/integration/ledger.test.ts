/**
 * The double-entry ledger (issue 6) on both engines: every transaction balances and the database
 * itself refuses one that does not, whoever writes it; entries never change; a retried posting
 * returns the original and a different posting under the same key is refused, also when they
 * arrive together; a budget is never committed beyond its allocation, also under concurrent
 * attempts; balances as of any date equal a replay of the postings in a simple model; a payment
 * run of 5,000 postings goes in one call.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { addPlan, planContent, supportItem } from '../support/sign-off.ts';
import { fixedClock } from '../../src/clock.ts';
import { tenantRunner, type WithCouncil } from '../../src/db/tenancy.ts';
import { ledgerServices, type LedgerServices, type ReverseResult } from '../../src/services/ledger.ts';
import { modelBalancesAsOf, type TransactionInput, type TransactionKind } from '../../src/domain/ledger/ledger.ts';

const clock = fixedClock(new Date('2026-11-30T10:00:00Z'));
const IMMUTABLE = /ledger entries cannot be changed or deleted; post a reversing transaction/;

/** A transfer of `pence` from one account to another: the `from` account is credited, `to` debited. */
function transfer(key: string, from: string, to: string, pence: bigint, options: { kind?: TransactionKind; on?: string; description?: string } = {}): TransactionInput {
  return {
    idempotencyKey: key,
    kind: options.kind ?? 'payment',
    effectiveOn: options.on ?? '2026-04-01',
    description: options.description ?? `Transfer ${key}`,
    entries: [
      { accountId: from, amountPence: -pence },
      { accountId: to, amountPence: pence },
    ],
  };
}

const okId = (result: ReverseResult | undefined): string => {
  assert.ok(result?.ok, `expected a posting, got ${JSON.stringify(result, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return result.transactionId;
};

for (const engine of await testEngines()) {
  describe(`the ledger (${engine})`, () => {
    let database: TestDatabase;
    let withCouncil: WithCouncil;
    let ledger: LedgerServices;
    let a: CouncilFixture;
    let b: CouncilFixture;
    let pot: string;
    let bank: string;
    let family: string;
    let budgets = 0;

    /** A budget account of a new agreed personal budget (a person, plan and budget line) in council `c`. */
    async function newBudgetAccount(c: CouncilFixture = a): Promise<string> {
      budgets += 1;
      const { personId, planId } = await addPlan(database, c.councilId, { reference: `LEDGER-${budgets}`, authorId: c.accountId, content: planContent([supportItem('i1', 40)]), status: 'agreed' });
      const personalBudgetId = crypto.randomUUID();
      const at = new Date('2026-11-20T10:00:00Z');
      await database.db
        .insertInto('personal_budgets')
        .values({ id: personalBudgetId, council_id: c.councilId, person_id: personId, plan_id: planId, version: 1, starts_on: '2026-04-01', ends_on: '2027-03-31', total_pence: 100_000n, status: 'active', created_at: at })
        .execute();
      await database.db
        .insertInto('personal_budget_lines')
        .values({ id: crypto.randomUUID(), council_id: c.councilId, personal_budget_id: personalBudgetId, funding_stream_id: c.streamId, management: 'direct_payment', annual_pence: 100_000n })
        .execute();
      return ledger.account(c.councilId, {
        identity: { kind: 'budget', personalBudgetId, fundingStreamId: c.streamId, management: 'direct_payment' },
        name: `Budget ${budgets}`,
      });
    }

    /** A budget with `pence` allocated to it from the stream pot. */
    async function fundedBudget(pence: bigint): Promise<string> {
      const budget = await newBudgetAccount();
      okId(await ledger.post(a.councilId, transfer(`allocate:${budget}`, pot, budget, pence, { kind: 'allocation' }), a.accountId));
      return budget;
    }

    const countByKey = async (key: string) =>
      Number((await database.db.selectFrom('ledger_transactions').select((eb) => eb.fn.countAll<string>().as('n')).where('idempotency_key', '=', key).executeTakeFirstOrThrow()).n);
    const entryCount = async () => Number((await database.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      database = await createTestDatabase(engine);
      withCouncil = tenantRunner(database);
      ledger = ledgerServices({ withCouncil, clock });
      a = await addCouncil(database, 'ledger-a');
      b = await addCouncil(database, 'ledger-b');
      pot = await ledger.account(a.councilId, { identity: { kind: 'stream_pot', fundingStreamId: a.streamId, periodStartsOn: '2026-04-01' }, name: 'Social care 2026 to 2027' });
      bank = await ledger.account(a.councilId, { identity: { kind: 'payments_out' }, name: 'Payments out' });
      family = await ledger.account(a.councilId, { identity: { kind: 'dp_holder', personId: a.personId }, name: 'Alex’s direct payment account' });
    });
    after(async () => database.dispose());

    describe('accounts', () => {
      it('finds the same account for the same identity, however often and however concurrently it is asked', async () => {
        const ids = await Promise.all(
          Array.from({ length: 6 }, () => ledger.account(a.councilId, { identity: { kind: 'recoveries', fundingStreamId: a.streamId }, name: 'Recoveries' })),
        );
        assert.equal(new Set(ids).size, 1);
        assert.equal(await ledger.account(a.councilId, { identity: { kind: 'payments_out' }, name: 'Another name' }), bank);
        const other = await ledger.account(a.councilId, { identity: { kind: 'recoveries' }, name: 'Recoveries (no stream)' });
        assert.notEqual(other, ids[0], 'a different identity is a different account');
      });

      it('never lets a budget account go overdrawn, whatever the caller asks', async () => {
        const budget = await newBudgetAccount();
        const row = await database.db.selectFrom('ledger_accounts').select('overdraft_allowed').where('id', '=', budget).executeTakeFirstOrThrow();
        assert.equal(row.overdraft_allowed, false);
        await assert.rejects(
          database.db.updateTable('ledger_accounts').set({ overdraft_allowed: true }).where('id', '=', budget).execute(),
          /ledger accounts cannot be changed/,
        );
      });

      it('may rename an account but not change what it is about', async () => {
        await withCouncil(a.councilId, (tx) => tx.updateTable('ledger_accounts').set({ name: 'Payments out (bank)' }).where('id', '=', bank).execute());
        await assert.rejects(
          withCouncil(a.councilId, (tx) => tx.updateTable('ledger_accounts').set({ kind: 'recoveries' }).where('id', '=', bank).execute()),
          /permission denied/,
        );
        await assert.rejects(database.db.deleteFrom('ledger_accounts').where('id', '=', bank).execute(), /ledger accounts cannot be changed/);
      });
    });

    describe('balanced transactions', () => {
      it('moves money between accounts: an allocation and a commitment leave each balance as expected', async () => {
        const budget = await fundedBudget(100_000n);
        okId(await ledger.post(a.councilId, transfer(`commit:${budget}`, budget, family, 30_000n), a.accountId));
        assert.equal(await ledger.balance(a.councilId, budget), 70_000n);
        const balances = await ledger.balances(a.councilId, [budget, family, crypto.randomUUID()]);
        assert.equal(balances.get(family), 30_000n);
        assert.equal([...balances.values()].at(-1), 0n, 'an account with no entries holds nothing');
      });

      it('refuses an unbalanced transaction written straight into the tables, by the application role and by the owner', async () => {
        const tryDirect = async (via: 'app' | 'owner', key: string, entries: [string, bigint][], on = '2026-04-01') => {
          const write = async (db: typeof database.db) => {
            const id = crypto.randomUUID();
            await sql`INSERT INTO ledger_transactions (id, council_id, idempotency_key, content_hash, kind, effective_on, recorded_at, description)
                      VALUES (${id}, ${a.councilId}, ${key}, ${'0'.repeat(64)}, 'adjustment', '2026-04-01', now(), 'Direct')`.execute(db);
            for (const [account, pence] of entries) {
              await sql`INSERT INTO ledger_entries (council_id, transaction_id, account_id, amount_pence, effective_on)
                        VALUES (${a.councilId}, ${id}, ${account}, ${pence}, ${on})`.execute(db);
            }
          };
          if (via === 'app') await withCouncil(a.councilId, write);
          else await database.db.transaction().execute(write);
        };
        for (const via of ['app', 'owner'] as const) {
          await assert.rejects(tryDirect(via, `direct:${via}:unbalanced`, [[pot, -100n], [family, 99n]]), /unbalanced: its entries sum to -1 pence/);
          await assert.rejects(tryDirect(via, `direct:${via}:one`, [[pot, -100n]]), /at least two accounts/);
          await assert.rejects(tryDirect(via, `direct:${via}:none`, []), /has 0 entries/);
          await assert.rejects(tryDirect(via, `direct:${via}:dates`, [[pot, -100n], [family, 100n]], '2026-04-02'), /effective on another day/);
          for (const key of ['unbalanced', 'one', 'none', 'dates']) assert.equal(await countByKey(`direct:${via}:${key}`), 0, 'nothing was written');
        }
        // The same, balanced, goes in: the check is the balance, not the route.
        await tryDirect('app', 'direct:app:balanced', [[pot, -100n], [family, 100n]]);
        assert.equal(await countByKey('direct:app:balanced'), 1);
      });

      it('refuses an entry added later to a transaction that was balanced', async () => {
        const id = okId(await ledger.post(a.councilId, transfer('later-entry', pot, family, 500n), null));
        await assert.rejects(
          database.db.insertInto('ledger_entries').values({ council_id: a.councilId, transaction_id: id, account_id: bank, amount_pence: 1n, effective_on: '2026-04-01' }).execute(),
          /unbalanced/,
        );
        // Two entries that cancel out keep it balanced: the database checks the sum, not the count.
        const writeOffs = await ledger.account(a.councilId, { identity: { kind: 'write_offs' }, name: 'Write-offs' });
        await database.db
          .insertInto('ledger_entries')
          .values([
            { council_id: a.councilId, transaction_id: id, account_id: bank, amount_pence: 7n, effective_on: '2026-04-01' },
            { council_id: a.councilId, transaction_id: id, account_id: writeOffs, amount_pence: -7n, effective_on: '2026-04-01' },
          ])
          .execute();
        assert.equal((await ledger.transaction(a.councilId, id))?.entries.length, 4);
      });

      it('refuses an invalid posting with its problems and writes nothing', async () => {
        const before = await entryCount();
        const result = await ledger.post(a.councilId, { ...transfer('invalid', pot, family, 100n), entries: [{ accountId: pot, amountPence: -100n }, { accountId: family, amountPence: 90n }] }, null);
        assert.equal(result.ok, false);
        assert.ok(!result.ok && result.reason === 'invalid' && result.problems.some((p) => p.path === 'entries'));
        assert.equal(await countByKey('invalid'), 0);
        assert.equal(await entryCount(), before);
      });

      it('does not let one council post to, or see, another council’s accounts', async () => {
        const result = await ledger.post(b.councilId, transfer('cross-council', pot, family, 100n), b.accountId);
        assert.deepEqual(result, { ok: false, reason: 'unknown_account', accountIds: [pot, family] });
        assert.equal(await ledger.balance(b.councilId, family), 0n);
        assert.equal(await countByKey('cross-council'), 0);
      });
    });

    describe('immutability', () => {
      it('refuses to change, delete or truncate entries and transactions, telling the caller to post a reversal', async () => {
        const id = okId(await ledger.post(a.councilId, transfer('immutable', pot, family, 250n), null));
        for (const table of ['ledger_entries', 'ledger_transactions'] as const) {
          const column = table === 'ledger_entries' ? sql`transaction_id` : sql`id`;
          const set = table === 'ledger_entries' ? sql`amount_pence = amount_pence * 2` : sql`description = 'Changed'`;
          // The application role may not even try: it holds only SELECT and INSERT.
          await assert.rejects(withCouncil(a.councilId, (tx) => sql`UPDATE ${sql.table(table)} SET ${set} WHERE ${column} = ${id}`.execute(tx)), /permission denied/);
          await assert.rejects(withCouncil(a.councilId, (tx) => sql`DELETE FROM ${sql.table(table)} WHERE ${column} = ${id}`.execute(tx)), /permission denied/);
          // The owner is stopped by the triggers.
          await assert.rejects(sql`UPDATE ${sql.table(table)} SET ${set} WHERE ${column} = ${id}`.execute(database.db), IMMUTABLE);
          await assert.rejects(sql`DELETE FROM ${sql.table(table)} WHERE ${column} = ${id}`.execute(database.db), IMMUTABLE);
          await assert.rejects(sql`TRUNCATE ${sql.table(table)} CASCADE`.execute(database.db), IMMUTABLE);
        }
        const detail = await ledger.transaction(a.councilId, id);
        assert.equal(detail?.description, 'Transfer immutable');
        assert.deepEqual(detail?.entries.map((e) => e.amountPence).sort(), [-250n, 250n].sort());
      });
    });

    describe('idempotency', () => {
      it('returns the original transaction for an identical replay and writes nothing new', async () => {
        const first = await ledger.post(a.councilId, transfer('replay', pot, family, 1_000n), a.accountId);
        const before = await entryCount();
        // Entries in another order, ids in capitals: the same transaction.
        const again = transfer('replay', pot.toUpperCase(), family.toUpperCase(), 1_000n);
        const second = await ledger.post(a.councilId, { ...again, entries: [...again.entries].reverse() }, null);
        assert.deepEqual(second, { ok: true, transactionId: okId(first), replayed: true });
        assert.equal(first.ok && first.replayed, false);
        assert.equal(await entryCount(), before);
        assert.equal(await countByKey('replay'), 1);
      });

      it('refuses a different transaction under a used key and writes nothing', async () => {
        const original = okId(await ledger.post(a.councilId, transfer('conflict', pot, family, 1_000n), null));
        const before = await entryCount();
        for (const changed of [transfer('conflict', pot, family, 1_001n), transfer('conflict', pot, bank, 1_000n), transfer('conflict', pot, family, 1_000n, { on: '2026-04-02' })]) {
          assert.deepEqual(await ledger.post(a.councilId, changed, null), { ok: false, reason: 'idempotency_conflict', transactionId: original });
        }
        assert.equal(await entryCount(), before);
      });

      it('makes one transaction of ten identical posts sent at the same moment', async () => {
        const results = await Promise.all(Array.from({ length: 10 }, () => ledger.post(a.councilId, transfer('together', pot, family, 777n), null)));
        const ids = new Set(results.map(okId));
        assert.equal(ids.size, 1, 'every post names the same transaction');
        assert.equal(results.filter((r) => r.ok && !r.replayed).length, 1);
        assert.equal(results.filter((r) => r.ok && r.replayed).length, 9);
        assert.equal(await countByKey('together'), 1);
      });

      it('makes one transaction of ten identical commitments against a budget sent at the same moment', async () => {
        const budget = await fundedBudget(1_000n);
        const results = await Promise.all(Array.from({ length: 10 }, () => ledger.post(a.councilId, transfer(`together:${budget}`, budget, family, 600n), null)));
        assert.equal(new Set(results.map(okId)).size, 1);
        assert.equal(results.filter((r) => r.ok && r.replayed).length, 9);
        assert.equal(await ledger.balance(a.councilId, budget), 400n);
      });
    });

    describe('a budget cannot be committed beyond its allocation', () => {
      it('refuses a commitment larger than what is left, says what is left, and writes nothing', async () => {
        const budget = await fundedBudget(100_000n);
        okId(await ledger.post(a.councilId, transfer(`over:${budget}:1`, budget, family, 70_000n), null));
        const before = await entryCount();
        const refused = await ledger.post(a.councilId, transfer(`over:${budget}:2`, budget, family, 40_000n), null);
        assert.deepEqual(refused, { ok: false, reason: 'insufficient_funds', accountId: budget, available: 30_000n });
        assert.equal(await countByKey(`over:${budget}:2`), 0, 'not even the transaction row');
        assert.equal(await entryCount(), before);
        okId(await ledger.post(a.councilId, transfer(`over:${budget}:3`, budget, family, 30_000n), null));
        assert.equal(await ledger.balance(a.councilId, budget), 0n, 'exactly all of it may be committed');
      });

      it('lets exactly three of ten concurrent commitments of 30% each through, and never goes below zero', async () => {
        const budget = await fundedBudget(100_000n);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => ledger.post(a.councilId, transfer(`race:${budget}:${i}`, budget, family, 30_000n), null)));
        assert.equal(results.filter((r) => r.ok).length, 3);
        assert.ok(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'insufficient_funds' && r.available === 10_000n));
        assert.equal(await ledger.balance(a.councilId, budget), 10_000n);
      });

      it('never deadlocks when postings move money between two budgets in opposite directions at once', async () => {
        const [left, right] = [await fundedBudget(10_000n), await fundedBudget(10_000n)];
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => ledger.post(a.councilId, i % 2 === 0 ? transfer(`cross:${left}:${i}`, left, right, 100n) : transfer(`cross:${left}:${i}`, right, left, 100n), null)),
        );
        assert.ok(results.every((r) => r.ok));
        assert.deepEqual([await ledger.balance(a.councilId, left), await ledger.balance(a.councilId, right)], [10_000n, 10_000n]);
      });

      it('refuses to reverse an allocation that has already been committed', async () => {
        const budget = await newBudgetAccount();
        const allocated = okId(await ledger.post(a.councilId, transfer(`alloc-rev:${budget}`, pot, budget, 5_000n, { kind: 'allocation' }), null));
        okId(await ledger.post(a.councilId, transfer(`alloc-rev:${budget}:commit`, budget, family, 2_000n), null));
        const result = await ledger.reverse(a.councilId, { transactionId: allocated, idempotencyKey: `alloc-rev:${budget}:undo`, reason: 'Wrong stream' }, a.accountId);
        assert.deepEqual(result, { ok: false, reason: 'insufficient_funds', accountId: budget, available: 3_000n });
      });
    });

    describe('reversals', () => {
      it('cancels a transaction once, on the day of the correction, leaving earlier balances as they were', async () => {
        const budget = await fundedBudget(10_000n);
        const paid = okId(await ledger.post(a.councilId, transfer(`rev:${budget}`, budget, family, 4_000n, { on: '2026-05-01' }), null));
        const reversal = await ledger.reverse(a.councilId, { transactionId: paid, idempotencyKey: `rev:${budget}:undo`, reason: 'Paid twice' }, a.accountId);
        const reversalId = okId(reversal);
        assert.equal(await ledger.balance(a.councilId, budget), 10_000n);
        assert.equal(await ledger.balance(a.councilId, budget, '2026-11-29'), 6_000n, 'before the correction the payment stands');
        const detail = await ledger.transaction(a.councilId, reversalId);
        assert.equal(detail?.kind, 'reversal');
        assert.equal(detail?.reversesTransactionId, paid);
        assert.equal(detail?.effectiveOn, '2026-11-30');
        assert.equal(detail?.description, 'Reversal: Paid twice');

        // A retry of the same reversal is a replay; any other reversal of it is refused.
        assert.deepEqual(await ledger.reverse(a.councilId, { transactionId: paid, idempotencyKey: `rev:${budget}:undo`, reason: 'Paid twice' }, null), { ok: true, transactionId: reversalId, replayed: true });
        assert.deepEqual(await ledger.reverse(a.councilId, { transactionId: paid, idempotencyKey: `rev:${budget}:again`, reason: 'Again' }, null), { ok: false, reason: 'already_reversed', reversalId });
        assert.deepEqual(await ledger.reverse(a.councilId, { transactionId: reversalId, idempotencyKey: `rev:${budget}:rev-rev`, reason: 'Undo' }, null), { ok: false, reason: 'reversal_of_reversal' });
        assert.deepEqual(await ledger.reverse(a.councilId, { transactionId: crypto.randomUUID(), idempotencyKey: 'rev:none', reason: 'Undo' }, null), { ok: false, reason: 'not_found' });
        assert.equal(await countByKey(`rev:${budget}:again`), 0);
      });

      it('reverses a transaction only once even when two different reversals arrive together', async () => {
        const paid = okId(await ledger.post(a.councilId, transfer('rev-race', pot, family, 900n), null));
        const results = await Promise.all([0, 1, 2].map((i) => ledger.reverse(a.councilId, { transactionId: paid, idempotencyKey: `rev-race:${i}`, reason: 'Mistake' }, null)));
        assert.equal(results.filter((r) => r.ok).length, 1);
        assert.equal(results.filter((r) => !r.ok && r.reason === 'already_reversed').length, 2);
      });

      it('refuses to post a reversal except through reverse', async () => {
        const result = await ledger.post(a.councilId, { ...transfer('sneaky', pot, family, 1n), kind: 'reversal', reversesTransactionId: crypto.randomUUID() }, null);
        assert.equal(result.ok === false && result.reason, 'invalid');
      });
    });

    describe('balances as of a date', () => {
      it('equal a replay of the postings, for every date, after a random sequence of postings, retries and over-commitments', async () => {
        let run = 0;
        const dates = ['2026-04-01', '2026-04-15', '2026-05-01', '2026-06-30', '2026-09-01', '2027-01-01'];
        // Each step: from which account to which (by index), how much, when, and whether it retries an earlier key.
        const stepArb = fc.record({
          from: fc.nat(4),
          to: fc.nat(4),
          pence: fc.bigInt({ min: 1n, max: 40_000n }),
          on: fc.constantFrom(...dates),
          retry: fc.option(fc.nat(), { freq: 5 }),
          conflicting: fc.boolean(),
        });
        await fc.assert(
          fc.asyncProperty(fc.array(stepArb, { minLength: 150, maxLength: 200 }), async (steps) => {
            run += 1;
            const c = await addCouncil(database, `ledger-model-${run}`);
            const ledgerOf = (identity: Parameters<LedgerServices['account']>[1]['identity'], name: string) => ledger.account(c.councilId, { identity, name });
            const [budget1, budget2] = [await newBudgetAccount(c), await newBudgetAccount(c)];
            const accounts = [
              await ledgerOf({ kind: 'stream_pot', fundingStreamId: c.streamId, periodStartsOn: '2026-04-01' }, 'Pot'),
              budget1,
              budget2,
              await ledgerOf({ kind: 'dp_holder', personId: c.personId }, 'Family'),
              await ledgerOf({ kind: 'payments_out' }, 'Bank'),
            ];
            const guarded = new Set([budget1, budget2]);
            const posted: TransactionInput[] = [];
            const byKey = new Map<string, { input: TransactionInput; id: string }>();
            let running = new Map<string, bigint>();
            for (const [i, step] of steps.entries()) {
              const from = accounts[step.from] ?? '';
              const to = accounts[step.to === step.from ? (step.to + 1) % accounts.length : step.to] ?? '';
              const earlier = step.retry === null ? undefined : [...byKey.values()][step.retry % Math.max(byKey.size, 1)];
              if (earlier !== undefined) {
                // A retry of an earlier posting: the original comes back. A changed one under its key: refused.
                const input = step.conflicting ? { ...earlier.input, description: `${earlier.input.description} (changed)` } : earlier.input;
                const result = await ledger.post(c.councilId, input, null);
                assert.deepEqual(result, step.conflicting ? { ok: false, reason: 'idempotency_conflict', transactionId: earlier.id } : { ok: true, transactionId: earlier.id, replayed: true });
                continue;
              }
              const input = transfer(`step-${i}`, from, to, step.pence, { on: step.on });
              const available = running.get(from) ?? 0n;
              const result = await ledger.post(c.councilId, input, null);
              if (guarded.has(from) && available < step.pence) {
                assert.deepEqual(result, { ok: false, reason: 'insufficient_funds', accountId: from, available });
                continue;
              }
              byKey.set(input.idempotencyKey, { input, id: okId(result) });
              posted.push(input);
              running = modelBalancesAsOf(posted);
            }
            for (const asOf of [undefined, '2026-03-31', ...dates]) {
              const expected = modelBalancesAsOf(posted, asOf);
              const actual = await ledger.balances(c.councilId, accounts, asOf);
              for (const id of accounts) assert.equal(actual.get(id), expected.get(id) ?? 0n, `balance of ${id} as of ${asOf ?? 'now'}`);
              for (const id of guarded) assert.ok((actual.get(id) ?? 0n) >= 0n || asOf !== undefined, 'a budget never ends below zero');
            }
          }),
          { numRuns: 2 },
        );
      });
    });

    describe('batches (payment runs)', () => {
      it('posts 5,000 transactions in one call, and a second run of the same batch pays nothing twice', async () => {
        const inputs = Array.from({ length: 5_000 }, (_, i) => transfer(`run-1:${String(i).padStart(5, '0')}`, family, bank, BigInt(100 + (i % 50)), { on: '2026-06-01', description: `Direct payment ${i}` }));
        const expectedTotal = inputs.reduce((s, t) => s + (t.entries[1]?.amountPence ?? 0n), 0n);
        const bankBefore = await ledger.balance(a.councilId, bank);
        const results = await ledger.postMany(a.councilId, inputs, null);
        assert.equal(results.length, 5_000);
        assert.ok(results.every((r) => r.ok && !r.replayed));
        const stored = await database.db
          .selectFrom('ledger_entries as e')
          .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
          .select([(eb) => eb.fn.countAll<string>().as('n'), sql<string>`sum(e.amount_pence)::text`.as('total'), sql<string>`count(DISTINCT t.id)::text`.as('transactions')])
          .where('t.idempotency_key', 'like', 'run-1:%')
          .executeTakeFirstOrThrow();
        assert.deepEqual([Number(stored.n), BigInt(stored.total), Number(stored.transactions)], [10_000, 0n, 5_000]);
        assert.equal(await ledger.balance(a.councilId, bank), bankBefore + expectedTotal);

        const again = await ledger.postMany(a.councilId, inputs, null);
        assert.ok(again.every((r, i) => r.ok && r.replayed && r.transactionId === (results[i]?.ok ? results[i].transactionId : '')));
        assert.equal(await ledger.balance(a.councilId, bank), bankBefore + expectedTotal, 'nothing paid twice');
      });

      it('judges a batch in its order: a budget used up by earlier postings refuses later ones', async () => {
        const budget = await fundedBudget(1_000n);
        const batch = [
          transfer(`batch:${budget}:1`, budget, family, 600n),
          transfer(`batch:${budget}:2`, budget, family, 600n),
          transfer(`batch:${budget}:3`, pot, budget, 100n),
          transfer(`batch:${budget}:4`, budget, family, 500n),
          transfer(`batch:${budget}:1`, budget, family, 600n),
          transfer(`batch:${budget}:1`, budget, family, 1n),
        ];
        const results = await ledger.postMany(a.councilId, batch, null);
        assert.deepEqual(
          results.map((r) => (r.ok ? (r.replayed ? 'replayed' : 'posted') : r.reason)),
          ['posted', 'insufficient_funds', 'posted', 'posted', 'replayed', 'invalid'],
        );
        assert.deepEqual(results[1], { ok: false, reason: 'insufficient_funds', accountId: budget, available: 400n });
        assert.equal(await ledger.balance(a.councilId, budget), 0n);
      });
    });

    describe('the books as a whole', () => {
      it('balance: every transaction has two or more entries summing to zero, and each council’s entries sum to zero', async () => {
        const unbalanced = await sql<{ id: string }>`
          SELECT t.id FROM ledger_transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id
           GROUP BY t.id HAVING count(e.id) < 2 OR coalesce(sum(e.amount_pence), 0) <> 0`.execute(database.db);
        assert.deepEqual(unbalanced.rows, []);
        const councils = await sql<{ council_id: string; total: string; n: string }>`
          SELECT council_id, sum(amount_pence)::text AS total, count(*)::text AS n FROM ledger_entries GROUP BY council_id`.execute(database.db);
        assert.ok(councils.rows.length >= 2, 'postings were made in more than one council');
        for (const row of councils.rows) assert.equal(BigInt(row.total), 0n, `council ${row.council_id}`);
        assert.ok(Number(councils.rows.find((r) => r.council_id === a.councilId)?.n) > 10_000);
      });
    });
  });
}
