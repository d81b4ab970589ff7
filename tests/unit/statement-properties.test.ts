/**
 * The statement builder (src/domain/statements/statement.ts), over random ledgers (fast-check): the
 * figures a family reads always add up to the penny, spending by category sums to what was spent,
 * every penny on the person's accounts is in exactly one figure, and a statement as of a date is
 * untouched by anything posted after it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TransactionKind } from '../../src/domain/ledger/ledger.ts';
import {
  buildStatement,
  categoriesOf,
  UNCATEGORISED,
  type StatementAccount,
  type StatementEntry,
  type StatementInput,
  type StatementSpendingLine,
} from '../../src/domain/statements/statement.ts';
import { paymentKey } from '../../src/domain/payments/run.ts';

const BUDGET = { id: 'b1', startsOn: '2026-04-01', endsOn: '2027-03-31' };
const EARLIER = { id: 'b0', startsOn: '2025-04-01', endsOn: '2026-03-31' };
const SCHEDULE = 'b1';

const account = (id: string, kind: StatementAccount['kind'], extra: Partial<StatementAccount> = {}): StatementAccount => ({
  id,
  kind,
  management: null,
  personalBudgetId: null,
  fundingStreamId: null,
  streamName: null,
  providerName: null,
  name: `Account ${id}`,
  ...extra,
});

const ACCOUNTS: StatementAccount[] = [
  account('dp-a', 'budget', { management: 'direct_payment', personalBudgetId: 'b1', fundingStreamId: 'sa' }),
  account('dp-b', 'budget', { management: 'direct_payment', personalBudgetId: 'b1', fundingStreamId: 'sb' }),
  account('dp-old', 'budget', { management: 'direct_payment', personalBudgetId: 'b0', fundingStreamId: 'sa' }),
  account('isf', 'budget', { management: 'individual_service_fund', personalBudgetId: 'b1', fundingStreamId: 'sa' }),
  account('cm', 'budget', { management: 'council_managed', personalBudgetId: 'b1', fundingStreamId: 'sb' }),
  account('holder', 'dp_holder'),
  account('prov', 'provider', { providerName: 'Helping Hands' }),
  account('commit', 'council_commitment', { personalBudgetId: 'b1', fundingStreamId: 'sb' }),
];
const CATEGORIES = ['personal_assistant', 'activities', 'equipment', 'therapy'];

/** One movement, as the money flows of src/domain/payments/run.ts post it (the outside account left out). */
type Move =
  | { kind: 'allocate'; line: string; pence: bigint }
  | { kind: 'pass'; from: 'isf' | 'cm'; pence: bigint }
  | { kind: 'pay'; shares: [bigint, bigint]; number: number; old: boolean }
  | { kind: 'spend'; pence: bigint; lines: { category: string; pence: bigint; type: 'spend' | 'refund' }[] }
  | { kind: 'refund'; pence: bigint }
  | { kind: 'recover' | 'write_off'; pence: bigint }
  | { kind: 'provider_spend'; pence: bigint }
  | { kind: 'reverse'; which: number };

const pence = fc.bigInt({ min: 1n, max: 500_000n });
const moveArb: fc.Arbitrary<Move> = fc.oneof(
  fc.record({ kind: fc.constant('allocate' as const), line: fc.constantFrom('dp-a', 'dp-b', 'dp-old', 'isf', 'cm'), pence }),
  fc.record({ kind: fc.constant('pass' as const), from: fc.constantFrom('isf' as const, 'cm' as const), pence }),
  fc.record({ kind: fc.constant('pay' as const), shares: fc.tuple(fc.bigInt({ min: 0n, max: 200_000n }), fc.bigInt({ min: 1n, max: 200_000n })), number: fc.integer({ min: 1, max: 13 }), old: fc.boolean() }),
  fc.record({
    kind: fc.constant('spend' as const),
    pence,
    lines: fc.array(fc.record({ category: fc.constantFrom(...CATEGORIES), pence, type: fc.constantFrom('spend' as const, 'refund' as const) }), { maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('refund' as const), pence }),
  fc.record({ kind: fc.constantFrom('recover' as const, 'write_off' as const), pence }),
  fc.record({ kind: fc.constant('provider_spend' as const), pence }),
  fc.record({ kind: fc.constant('reverse' as const), which: fc.nat() }),
);
const dateArb = fc.integer({ min: 0, max: 700 }).map((d) => new Date(Date.UTC(2025, 5, 1) + d * 86_400_000).toISOString().slice(0, 10));

interface Ledger {
  entries: StatementEntry[];
  spendingLines: StatementSpendingLine[];
}

/** Turns random movements into ledger entries on the person's accounts, with their spending lines. */
function ledgerOf(moves: readonly { move: Move; date: string }[]): Ledger {
  const entries: StatementEntry[] = [];
  const spendingLines: StatementSpendingLine[] = [];
  const posted: { id: string; kind: TransactionKind; entries: { accountId: string; amountPence: bigint }[] }[] = [];
  const reversed = new Set<string>();
  let next = 1n;
  const usedKeys = new Set<string>();
  moves.forEach(({ move, date }, i) => {
    const id = `t${i}`;
    let kind: TransactionKind;
    let legs: { accountId: string; amountPence: bigint }[];
    let key = `k${i}`;
    let reverses: { id: string; kind: TransactionKind } | null = null;
    switch (move.kind) {
      case 'allocate':
        kind = 'allocation';
        legs = [{ accountId: move.line, amountPence: move.pence }];
        break;
      case 'pass':
        kind = 'allocation';
        legs = [
          { accountId: move.from, amountPence: -move.pence },
          { accountId: move.from === 'isf' ? 'prov' : 'commit', amountPence: move.pence },
        ];
        break;
      case 'pay': {
        kind = 'payment';
        const [a, b] = move.shares;
        legs = [
          ...(a > 0n ? [{ accountId: move.old ? 'dp-old' : 'dp-a', amountPence: -a }] : []),
          { accountId: 'dp-b', amountPence: -b },
          { accountId: 'holder', amountPence: a + b },
        ];
        const candidate = paymentKey(SCHEDULE, move.number);
        if (!usedKeys.has(candidate)) key = candidate;
        break;
      }
      case 'spend':
        kind = 'spend';
        legs = [{ accountId: 'holder', amountPence: -move.pence }];
        for (const line of move.lines) spendingLines.push({ transactionId: id, category: line.category, type: line.type, amountPence: line.pence });
        break;
      case 'refund':
        kind = 'refund';
        legs = [{ accountId: 'holder', amountPence: move.pence }];
        break;
      case 'recover':
        kind = 'recovery';
        legs = [{ accountId: 'holder', amountPence: -move.pence }];
        break;
      case 'write_off':
        kind = 'write_off';
        legs = [{ accountId: 'holder', amountPence: move.pence }];
        break;
      case 'provider_spend':
        kind = 'spend';
        legs = [{ accountId: 'prov', amountPence: -move.pence }];
        break;
      case 'reverse': {
        const open = posted.filter((p) => !reversed.has(p.id) && p.kind !== 'reversal');
        const original = open[move.which % Math.max(1, open.length)];
        if (original === undefined) return;
        reversed.add(original.id);
        kind = 'reversal';
        legs = original.entries.map((e) => ({ accountId: e.accountId, amountPence: -e.amountPence }));
        reverses = { id: original.id, kind: original.kind };
        break;
      }
    }
    usedKeys.add(key);
    posted.push({ id, kind, entries: legs });
    for (const leg of legs) {
      entries.push({
        entryId: next++,
        accountId: leg.accountId,
        amountPence: leg.amountPence,
        effectiveOn: date,
        transactionId: id,
        kind,
        idempotencyKey: key,
        description: `Transaction ${i}`,
        reversesTransactionId: reverses?.id ?? null,
        reversedKind: reverses?.kind ?? null,
      });
    }
  });
  return { entries, spendingLines };
}

const ledgerArb = fc.array(fc.record({ move: moveArb, date: dateArb }), { maxLength: 60 }).map(ledgerOf);
const asOfArb = dateArb;
const instalments = Array.from({ length: 13 }, (_, i) => ({
  scheduleId: SCHEDULE,
  number: i + 1,
  dueOn: new Date(Date.UTC(2026, 3, 1 + 28 * i)).toISOString().slice(0, 10),
  periodFrom: new Date(Date.UTC(2026, 3, 1 + 28 * i)).toISOString().slice(0, 10),
  periodTo: new Date(Date.UTC(2026, 3, 28 + 28 * i)).toISOString().slice(0, 10),
  amountPence: 38_000n,
}));

function inputOf(ledger: Ledger, asOf: string): StatementInput {
  return {
    asOf,
    budgets: [EARLIER, BUDGET],
    accounts: ACCOUNTS,
    entries: ledger.entries,
    spendingLines: ledger.spendingLines,
    instalments,
    contingency: { amountPence: 25_000n, purpose: 'a bad month' },
  };
}

const sum = (values: Iterable<bigint>) => [...values].reduce((a, b) => a + b, 0n);
const upTo = (ledger: Ledger, asOf: string, ids: readonly string[]) =>
  sum(ledger.entries.filter((e) => ids.includes(e.accountId) && e.effectiveOn <= asOf).map((e) => e.amountPence));

describe('the statement builder adds up', () => {
  it('the direct payment account: opening + paid in − spent − recovered + written off + other = the ledger balance', () => {
    fc.assert(
      fc.property(ledgerArb, asOfArb, (ledger, asOf) => {
        const dp = buildStatement(inputOf(ledger, asOf)).directPayment;
        assert.ok(dp !== null);
        const a = dp.account;
        assert.equal(a.openingPence + a.receivedPence - a.spentPence - a.recoveredPence + a.writtenOffPence + a.otherPence, a.balancePence);
        assert.equal(a.balancePence, upTo(ledger, asOf, ['holder']));
      }),
    );
  });

  it('spending by category sums to what was spent, refunds netted', () => {
    fc.assert(
      fc.property(ledgerArb, asOfArb, (ledger, asOf) => {
        const dp = buildStatement(inputOf(ledger, asOf)).directPayment;
        assert.ok(dp !== null);
        assert.equal(sum(dp.spentByCategory.map((c) => c.pence)), dp.account.spentPence);
        assert.ok(dp.spentByCategory.every((c) => c.pence !== 0n), 'no empty categories');
      }),
    );
  });

  it('budget lines: allocated − passed on − paid + other = what is still on the period’s lines', () => {
    fc.assert(
      fc.property(ledgerArb, asOfArb, (ledger, asOf) => {
        const s = buildStatement(inputOf(ledger, asOf));
        const inPeriod = asOf >= BUDGET.startsOn;
        for (const [lines, ids] of [
          [s.directPayment?.lines, inPeriod ? ['dp-a', 'dp-b'] : ['dp-old']],
          [s.isf?.lines, inPeriod ? ['isf'] : []],
          [s.councilManaged?.lines, inPeriod ? ['cm'] : []],
        ] as const) {
          assert.ok(lines !== undefined);
          assert.equal(lines.allocatedPence - lines.passedOnPence - lines.paidPence + lines.otherPence, lines.balancePence);
          assert.equal(lines.balancePence, upTo(ledger, asOf, ids));
        }
      }),
    );
  });

  it('never loses a penny: every entry on a held account is in the transactions, and each account’s last balance is its ledger balance', () => {
    fc.assert(
      fc.property(ledgerArb, asOfArb, (ledger, asOf) => {
        const s = buildStatement(inputOf(ledger, asOf));
        const held = ['holder', 'prov', 'commit'];
        assert.equal(s.transactions.length, ledger.entries.filter((e) => held.includes(e.accountId) && e.effectiveOn <= asOf).length);
        for (const id of held) {
          const rows = s.transactions.filter((t) => t.accountId === id);
          assert.equal(sum(rows.map((t) => t.inPence - t.outPence)), upTo(ledger, asOf, [id]));
          assert.equal(rows[0]?.balanceAfterPence ?? 0n, upTo(ledger, asOf, [id]), 'newest first: the first row is the balance now');
          assert.ok(rows.every((t) => t.inPence === 0n || t.outPence === 0n), 'a row is money in or money out, not both');
        }
        assert.equal(s.isf?.held.balancePence, upTo(ledger, asOf, ['prov']));
        assert.equal(s.councilManaged?.commitment.balancePence, upTo(ledger, asOf, ['commit']));
        const isf = s.isf?.held;
        assert.ok(isf !== undefined);
        assert.equal(isf.openingPence + isf.receivedPence - isf.spentPence - isf.recoveredPence + isf.writtenOffPence + isf.otherPence, isf.balancePence);
      }),
    );
  });

  it('the month-by-month series starts at the opening balance and ends at the balance', () => {
    fc.assert(
      fc.property(ledgerArb, asOfArb, (ledger, asOf) => {
        const s = buildStatement(inputOf(ledger, asOf));
        assert.equal(s.seriesOf, 'direct_payment');
        const dp = s.directPayment;
        assert.ok(dp !== null && s.months.length > 0);
        assert.equal(dp.account.openingPence + sum(s.months.map((m) => m.inPence - m.outPence)), dp.account.balancePence);
        assert.equal(s.months.at(-1)?.balancePence, dp.account.balancePence);
        assert.equal(s.months.at(-1)?.month, asOf.slice(0, 7));
      }),
    );
  });

  it('a statement as of a date is untouched by anything posted after it', () => {
    fc.assert(
      fc.property(ledgerArb, ledgerArb, asOfArb, (before, later, asOf) => {
        const shifted = later.entries.map((e, i) => ({
          ...e,
          entryId: 10_000n + BigInt(i),
          transactionId: `later-${e.transactionId}`,
          idempotencyKey: `later-${e.idempotencyKey}`,
          effectiveOn: new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000 * (1 + (i % 40))).toISOString().slice(0, 10),
        }));
        const withLater = { entries: [...before.entries, ...shifted], spendingLines: before.spendingLines };
        assert.deepEqual(buildStatement(inputOf(withLater, asOf)), buildStatement(inputOf(before, asOf)));
      }),
    );
  });

  it('upcoming payments leave out every instalment already paid and keep the rest in date order', () => {
    fc.assert(
      fc.property(ledgerArb, asOfArb, (ledger, asOf) => {
        const dp = buildStatement(inputOf(ledger, asOf)).directPayment;
        assert.ok(dp !== null);
        const paid = new Set(ledger.entries.filter((e) => e.kind === 'payment' && e.accountId === 'holder' && e.effectiveOn <= asOf).map((e) => e.idempotencyKey));
        assert.deepEqual(
          dp.upcoming.map((u) => u.number),
          instalments.filter((i) => !paid.has(paymentKey(SCHEDULE, i.number))).map((i) => i.number),
        );
        assert.equal(dp.upcomingTotalPence, sum(dp.upcoming.map((u) => u.amountPence)));
        assert.ok(dp.upcoming.every((u) => u.overdue === u.dueOn <= asOf));
      }),
    );
  });
});

describe('spending categories', () => {
  it('split a spend by its lines, and leave what the lines do not explain uncategorised', () => {
    const lines: StatementSpendingLine[] = [{ transactionId: 't', category: 'therapy', type: 'spend', amountPence: 6_000n }];
    assert.deepEqual(categoriesOf(10_000n, lines, false), new Map([['therapy', 6_000n], [UNCATEGORISED, 4_000n]]));
  });
  it('net a refund line off its category', () => {
    const lines: StatementSpendingLine[] = [
      { transactionId: 't', category: 'equipment', type: 'spend', amountPence: 9_000n },
      { transactionId: 't', category: 'equipment', type: 'refund', amountPence: 1_000n },
    ];
    assert.deepEqual(categoriesOf(8_000n, lines, false), new Map([['equipment', 8_000n]]));
  });
  it('count a reversed spend back against the categories it was spent on', () => {
    const lines: StatementSpendingLine[] = [{ transactionId: 't', category: 'activities', type: 'spend', amountPence: 2_500n }];
    assert.deepEqual(categoriesOf(-2_500n, lines, true), new Map([['activities', -2_500n]]));
  });
  it('do not trust lines that say more than the ledger moved', () => {
    const lines: StatementSpendingLine[] = [{ transactionId: 't', category: 'activities', type: 'spend', amountPence: 9_999n }];
    assert.deepEqual(categoriesOf(100n, lines, false), new Map([[UNCATEGORISED, 100n]]));
  });
  it('show a reversed payment as less paid in, not as spending', () => {
    const base = { idempotencyKey: 'k', description: 'd', reversesTransactionId: null, reversedKind: null } as const;
    const entries: StatementEntry[] = [
      { ...base, entryId: 1n, accountId: 'holder', amountPence: 30_000n, effectiveOn: '2026-05-01', transactionId: 'p', kind: 'payment', idempotencyKey: paymentKey(SCHEDULE, 2) },
      { ...base, entryId: 2n, accountId: 'holder', amountPence: -30_000n, effectiveOn: '2026-05-03', transactionId: 'r', kind: 'reversal', reversesTransactionId: 'p', reversedKind: 'payment' },
    ];
    const dp = buildStatement({ ...inputOf({ entries, spendingLines: [] }, '2026-06-01') }).directPayment;
    assert.ok(dp !== null);
    assert.equal(dp.account.receivedPence, 0n);
    assert.equal(dp.account.spentPence, 0n);
    assert.deepEqual(dp.spentByCategory, []);
  });
});
