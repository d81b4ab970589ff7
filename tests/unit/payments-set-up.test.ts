/**
 * Budget set-up (src/domain/payments/set-up.ts): an agreed budget becomes ledger accounts,
 * allocations that can be posted twice without allocating twice, ISF and council-managed
 * commitments, and one direct payment schedule per person.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyToModel, contentHash, validateTransaction, type TransactionInput } from '../../src/domain/ledger/ledger.ts';
import { bindAccounts, bindSchedule, budgetSetUp, financialYearName, financialYearStart, refs, type AgreedBudget, type AgreedBudgetLine, type BudgetSetUp, type Management } from '../../src/domain/payments/set-up.ts';
import { dueInstalments } from '../../src/domain/payments/run.ts';
import { periodAmountPence } from '../../src/domain/payments/schedule.ts';
import { addDays } from '../../src/domain/pathway/dates.ts';

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const BUDGET = uuid(1);
const PERSON = uuid(2);
const PROVIDER = uuid(3);
const EDUCATION = uuid(10);
const SOCIAL_CARE = uuid(11);
const HEALTH = uuid(12);

/** Gives each ref its own account id, the same one every time it is asked. */
function accountIds(): (ref: string) => string {
  const ids = new Map<string, string>();
  return (ref) => {
    if (!ids.has(ref)) ids.set(ref, uuid(1000 + ids.size));
    return ids.get(ref) ?? '';
  };
}

const line = (streamId: string, management: Management, annualPence: bigint, extra: Partial<AgreedBudgetLine> = {}): AgreedBudgetLine => ({
  streamId,
  management,
  annualPence,
  ...extra,
});

const budget = (lines: readonly AgreedBudgetLine[], startsOn = '2026-04-01', endsOn = '2027-03-31'): AgreedBudget => ({
  id: BUDGET,
  personId: PERSON,
  startsOn,
  endsOn,
  lines,
});

const MIXED = budget([
  line(EDUCATION, 'direct_payment', 600_000n),
  line(SOCIAL_CARE, 'direct_payment', 1_200_000n),
  line(EDUCATION, 'individual_service_fund', 300_000n, { providerId: PROVIDER }),
  line(HEALTH, 'council_managed', 250_000n),
]);
const MONTHLY = { frequency: 'monthly' as const };

type Ledger = { keys: Map<string, string>; balances: Map<string, bigint>; budgetAccounts: ReadonlySet<string> };
const emptyLedger = (budgetAccounts: ReadonlySet<string> = new Set()): Ledger => ({ keys: new Map(), balances: new Map(), budgetAccounts });

/** Posts transactions into an in-memory ledger that, like the real one, accepts each key once and never lets a budget go below zero. */
function post(ledger: Ledger, txs: readonly TransactionInput[]): void {
  for (const tx of txs) {
    const previous = ledger.keys.get(tx.idempotencyKey);
    if (previous !== undefined) {
      assert.equal(previous, contentHash(tx), `key ${tx.idempotencyKey} was reused for different content`);
      continue;
    }
    ledger.keys.set(tx.idempotencyKey, contentHash(tx));
    ledger.balances = applyToModel(ledger.balances, tx);
    for (const [account, balance] of ledger.balances) {
      assert.ok(!ledger.budgetAccounts.has(account) || balance >= 0n, `budget account ${account} went below zero after ${tx.idempotencyKey}`);
    }
  }
}

function balanceOf(balances: ReadonlyMap<string, bigint>, idOf: (ref: string) => string, ref: string): bigint {
  return balances.get(idOf(ref)) ?? 0n;
}

describe('budget set-up: accounts', () => {
  it('opens one budget account per line, a pot per stream, the family account, the provider and the council commitment', () => {
    const plan = budgetSetUp(MIXED, MONTHLY);
    assert.deepEqual(
      plan.accounts.map((a) => a.identity),
      [
        { kind: 'stream_pot', fundingStreamId: EDUCATION, periodStartsOn: '2026-04-01' },
        { kind: 'stream_pot', fundingStreamId: SOCIAL_CARE, periodStartsOn: '2026-04-01' },
        { kind: 'stream_pot', fundingStreamId: HEALTH, periodStartsOn: '2026-04-01' },
        { kind: 'budget', personalBudgetId: BUDGET, fundingStreamId: EDUCATION, management: 'direct_payment' },
        { kind: 'budget', personalBudgetId: BUDGET, fundingStreamId: SOCIAL_CARE, management: 'direct_payment' },
        { kind: 'budget', personalBudgetId: BUDGET, fundingStreamId: EDUCATION, management: 'individual_service_fund' },
        { kind: 'budget', personalBudgetId: BUDGET, fundingStreamId: HEALTH, management: 'council_managed' },
        { kind: 'dp_holder', personId: PERSON },
        { kind: 'provider', providerId: PROVIDER, personId: PERSON },
        { kind: 'council_commitment', personalBudgetId: BUDGET, fundingStreamId: HEALTH },
      ],
    );
    assert.equal(new Set(plan.accounts.map((a) => a.ref)).size, plan.accounts.length, 'each ref names one account');
    assert.ok(plan.accounts.every((a) => a.name.length >= 1 && a.name.length <= 200));
  });

  it('opens no family account when nothing is paid as a direct payment', () => {
    const plan = budgetSetUp(budget([line(HEALTH, 'council_managed', 100_000n)]), MONTHLY);
    assert.ok(!plan.accounts.some((a) => a.identity.kind === 'dp_holder'));
    assert.equal(plan.schedule, null);
  });
});

describe('budget set-up: allocation and commitments', () => {
  it('allocates each line its amount for a full budget year from its stream pot, in one transaction', () => {
    const [allocation] = budgetSetUp(MIXED, MONTHLY).transactions;
    assert.equal(allocation?.idempotencyKey, `budget:${BUDGET}:allocation`);
    assert.equal(allocation?.kind, 'allocation');
    assert.equal(allocation?.effectiveOn, '2026-04-01');
    assert.deepEqual(allocation?.entries, [
      // Education funds two lines: its pot gives both in one entry.
      { ref: refs.pot(EDUCATION), amountPence: -900_000n },
      { ref: refs.line(EDUCATION, 'direct_payment'), amountPence: 600_000n },
      { ref: refs.pot(SOCIAL_CARE), amountPence: -1_200_000n },
      { ref: refs.line(SOCIAL_CARE, 'direct_payment'), amountPence: 1_200_000n },
      { ref: refs.line(EDUCATION, 'individual_service_fund'), amountPence: 300_000n },
      { ref: refs.pot(HEALTH), amountPence: -250_000n },
      { ref: refs.line(HEALTH, 'council_managed'), amountPence: 250_000n },
    ]);
  });

  it('allocates a budget shorter than a year pro rata by its days', () => {
    // 1 October to 31 March is 182 days of a 365-day budget year.
    const plan = budgetSetUp(budget([line(SOCIAL_CARE, 'direct_payment', 365_00n)], '2026-10-01', '2027-03-31'), MONTHLY);
    assert.deepEqual(plan.transactions[0]?.entries.map((e) => e.amountPence), [-182_00n, 182_00n]);
  });

  it('passes an ISF to its provider and commits council-managed money, after the allocation', () => {
    const plan = budgetSetUp(MIXED, MONTHLY);
    assert.deepEqual(
      plan.transactions.map((t) => [t.idempotencyKey, t.entries]),
      [
        [`budget:${BUDGET}:allocation`, plan.transactions[0]?.entries],
        [`budget:${BUDGET}:isf`, [{ ref: refs.line(EDUCATION, 'individual_service_fund'), amountPence: -300_000n }, { ref: refs.provider(PROVIDER), amountPence: 300_000n }]],
        [`budget:${BUDGET}:commitment`, [{ ref: refs.line(HEALTH, 'council_managed'), amountPence: -250_000n }, { ref: refs.commitment(HEALTH), amountPence: 250_000n }]],
      ],
    );
  });

  it('keeps an ISF on its budget line until a provider is chosen', () => {
    const plan = budgetSetUp(budget([line(EDUCATION, 'individual_service_fund', 300_000n)]), MONTHLY);
    assert.deepEqual(plan.transactions.map((t) => t.idempotencyKey), [`budget:${BUDGET}:allocation`]);
    assert.ok(!plan.accounts.some((a) => a.identity.kind === 'provider'));
  });

  it('posts nothing for a line of £0 (the ledger refuses empty entries)', () => {
    const plan = budgetSetUp(budget([line(EDUCATION, 'direct_payment', 0n), line(HEALTH, 'council_managed', 0n)]), MONTHLY);
    assert.deepEqual(plan.transactions, []);
  });

  it('gives the ledger transactions it accepts once the accounts have ids', () => {
    const txs = bindAccounts(budgetSetUp(MIXED, MONTHLY), accountIds());
    assert.equal(txs.length, 3);
    for (const tx of txs) assert.deepEqual(validateTransaction(tx), [], tx.idempotencyKey);
  });

  it('gives the same keys and the same content every time, so posting the set-up twice allocates once', () => {
    const idOf = accountIds();
    const first = bindAccounts(budgetSetUp(MIXED, MONTHLY), idOf);
    const again = bindAccounts(budgetSetUp(MIXED, MONTHLY), idOf);
    assert.deepEqual(again.map((t) => [t.idempotencyKey, contentHash(t)]), first.map((t) => [t.idempotencyKey, contentHash(t)]));
    const ledger = emptyLedger();
    post(ledger, first);
    post(ledger, again);
    assert.equal(balanceOf(ledger.balances, idOf, refs.line(SOCIAL_CARE, 'direct_payment')), 1_200_000n);
    assert.equal(balanceOf(ledger.balances, idOf, refs.pot(EDUCATION)), -900_000n);
  });

  it('refuses an account it was not given an id for', () => {
    assert.throws(() => bindAccounts(budgetSetUp(MIXED, MONTHLY), () => ''), /No ledger account was given for "pot:/);
  });
});

describe('budget set-up: direct payment schedule', () => {
  it('makes one schedule for all the direct payment lines, each instalment showing each stream’s share', () => {
    const schedule = budgetSetUp(MIXED, MONTHLY).schedule;
    assert.ok(schedule !== null);
    assert.equal(schedule.id, BUDGET);
    assert.equal(schedule.instalments.length, 12);
    assert.deepEqual(schedule.instalments[0]?.byStream, [
      { streamId: EDUCATION, pence: 50_000n },
      { streamId: SOCIAL_CARE, pence: 100_000n },
    ]);
    assert.deepEqual(schedule.budgetRefByStream, { [EDUCATION]: refs.line(EDUCATION, 'direct_payment'), [SOCIAL_CARE]: refs.line(SOCIAL_CARE, 'direct_payment') });
  });

  it('follows the council’s cycle: a pro-rata first payment when the budget starts part-way through it', () => {
    const schedule = budgetSetUp(budget([line(SOCIAL_CARE, 'direct_payment', 1_200_000n)]), { frequency: 'monthly', cycleAnchor: '2026-04-15' }).schedule;
    assert.equal(schedule?.instalments[0]?.periodTo, '2026-04-14');
    assert.equal(schedule?.instalments[1]?.dueOn, '2026-04-15');
  });
});

describe('budget set-up: refusals', () => {
  it('refuses two lines for the same stream and way of managing', () => {
    assert.throws(() => budgetSetUp(budget([line(EDUCATION, 'direct_payment', 1n), line(EDUCATION, 'direct_payment', 2n)]), MONTHLY), /two direct payment lines/);
  });
  it('refuses a provider on a line that is not an ISF', () => {
    assert.throws(() => budgetSetUp(budget([line(EDUCATION, 'direct_payment', 1n, { providerId: PROVIDER })]), MONTHLY), /provider is named only/);
  });
  it('refuses a budget that ends before it starts, or a negative amount', () => {
    assert.throws(() => budgetSetUp(budget([], '2026-04-01', '2026-04-01'), MONTHLY), /must end after it starts/);
    assert.throws(() => budgetSetUp(budget([line(EDUCATION, 'council_managed', -1n)]), MONTHLY), /negative amount/);
  });
});

describe('budget set-up: properties', () => {
  const managements: Management[] = ['direct_payment', 'individual_service_fund', 'council_managed'];
  const arbBudget = fc
    .record({
      start: fc.integer({ min: 0, max: 800 }),
      length: fc.integer({ min: 1, max: 400 }),
      lines: fc.uniqueArray(
        fc.record({
          stream: fc.constantFrom(EDUCATION, SOCIAL_CARE, HEALTH),
          management: fc.constantFrom(...managements),
          annualPence: fc.bigInt({ min: 0n, max: 10_000_000n }),
          provider: fc.boolean(),
        }),
        { selector: (l) => `${l.stream}:${l.management}`, maxLength: 9 },
      ),
      frequency: fc.constantFrom('monthly' as const, 'four_weekly' as const),
      anchorOffset: fc.integer({ min: 0, max: 60 }),
    })
    .map((b) => {
      const startsOn = addDays('2025-01-01', b.start);
      return {
        budget: budget(
          b.lines.map((l) => line(l.stream, l.management, l.annualPence, l.provider && l.management === 'individual_service_fund' ? { providerId: PROVIDER } : {})),
          startsOn,
          addDays(startsOn, b.length),
        ),
        settings: { frequency: b.frequency, cycleAnchor: addDays(startsOn, -b.anchorOffset) },
      };
    });

  function postAll(plan: BudgetSetUp, idOf: (ref: string) => string): Map<string, bigint> {
    const ledger = emptyLedger(new Set(plan.accounts.filter((a) => a.identity.kind === 'budget').map((a) => idOf(a.ref))));
    post(ledger, bindAccounts(plan, idOf));
    const schedule = bindSchedule(plan, idOf);
    if (schedule !== null) post(ledger, dueInstalments([schedule], { id: '1', runDate: '2030-01-01' }, new Set()).map((d) => d.transaction));
    return ledger.balances;
  }

  it('every pot gives exactly its lines’ period amounts, and once every direct payment is paid the budget lines with somewhere to go are empty', () => {
    fc.assert(
      fc.property(arbBudget, ({ budget: b, settings }) => {
        const plan = budgetSetUp(b, settings);
        const idOf = accountIds();
        const balances = postAll(plan, idOf);
        for (const tx of bindAccounts(plan, idOf)) assert.deepEqual(validateTransaction(tx), []);
        for (const stream of new Set(b.lines.map((l) => l.streamId))) {
          const given = b.lines.filter((l) => l.streamId === stream).reduce((sum, l) => sum + periodAmountPence(l.annualPence, b.startsOn, b.endsOn), 0n);
          assert.equal(balanceOf(balances, idOf, refs.pot(stream)), -given);
        }
        for (const l of b.lines) {
          const period = periodAmountPence(l.annualPence, b.startsOn, b.endsOn);
          const staysOnLine = l.management === 'individual_service_fund' && l.providerId === undefined;
          assert.equal(balanceOf(balances, idOf, refs.line(l.streamId, l.management)), staysOnLine ? period : 0n);
        }
        const dpTotal = b.lines.filter((l) => l.management === 'direct_payment').reduce((sum, l) => sum + periodAmountPence(l.annualPence, b.startsOn, b.endsOn), 0n);
        assert.equal(balanceOf(balances, idOf, refs.holder()), dpTotal);
        assert.equal([...balances.values()].reduce((s, v) => s + v, 0n), 0n, 'the books always sum to zero');
      }),
      { numRuns: 150 },
    );
  });
});

describe('the financial year a budget draws on', () => {
  it('starts on 1 April: a budget from 31 March draws on the year before, from 1 April on the new one', () => {
    assert.equal(financialYearStart('2027-03-31'), '2026-04-01');
    assert.equal(financialYearStart('2027-04-01'), '2027-04-01');
    assert.equal(financialYearStart('2026-12-01'), '2026-04-01');
    assert.equal(financialYearName('2027-01-15'), '2026 to 2027');
  });
});
