/** Monitoring a direct payment account, and year-end rollover: worked examples and properties. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  monitorAccount,
  surplusThresholdPence,
  type MonitoringCategory,
  type MonitoringInput,
  type PaymentReceived,
  type SpendingLine,
} from '../../src/domain/monitoring/flags.ts';
import { yearEndRollover } from '../../src/domain/monitoring/rollover.ts';
import { addDays } from '../../src/domain/pathway/dates.ts';

const CATEGORIES: readonly MonitoringCategory[] = [
  { code: 'pa_wages', label: 'Personal assistant wages', permitted: true },
  { code: 'respite', label: 'Short breaks and respite', permitted: true },
  { code: 'school_place', label: 'School place', permitted: false },
];

/** £1,000 paid on the first of each month, April to September 2026. */
const MONTHLY: readonly PaymentReceived[] = ['2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01'].map((date) => ({
  date,
  pence: 100_000n,
}));

function spend(id: string, date: string, category: string, pence: bigint, type: 'spend' | 'refund' = 'spend'): SpendingLine {
  return { id, date, category, pence, type };
}

function input(over: Partial<MonitoringInput> = {}): MonitoringInput {
  return {
    period: { start: '2026-04-01', end: '2026-09-30' },
    openingBalancePence: 0n,
    payments: MONTHLY,
    spending: [],
    categories: CATEGORIES,
    returnsExpected: [],
    returnsReceived: [],
    contingencyPence: 0n,
    regularPayment: { kind: 'agreed', amountPence: 100_000n, frequency: 'monthly' },
    ...over,
  };
}

describe('the reconciliation a finance officer reads', () => {
  it('adds up paid in, spent by category (less refunds) and the balance', () => {
    const { reconciliation } = monitorAccount(
      input({
        openingBalancePence: 5_000n,
        spending: [
          spend('a', '2026-04-10', 'pa_wages', 200_000n),
          spend('b', '2026-05-10', 'respite', 50_000n),
          spend('c', '2026-05-20', 'respite', 5_000n, 'refund'),
          spend('d', '2026-06-10', 'pa_wages', 100_000n),
        ],
      }),
    );
    assert.equal(reconciliation.paidInPence, 600_000n);
    assert.equal(reconciliation.spentPence, 345_000n);
    assert.deepEqual(reconciliation.spentByCategory, [
      { category: 'pa_wages', spentPence: 300_000n },
      { category: 'respite', spentPence: 45_000n },
    ]);
    assert.equal(reconciliation.balancePence, 5_000n + 600_000n - 345_000n);
  });

  it('leaves entries dated outside the period out of the figures, and lists them', () => {
    const { reconciliation } = monitorAccount(
      input({
        payments: [...MONTHLY, { date: '2026-10-01', pence: 100_000n }],
        spending: [spend('early', '2026-03-31', 'respite', 1_000n), spend('in', '2026-04-01', 'respite', 2_000n)],
      }),
    );
    assert.equal(reconciliation.paidInPence, 600_000n);
    assert.equal(reconciliation.spentPence, 2_000n);
    assert.deepEqual(reconciliation.outsidePeriod, { paymentDates: ['2026-10-01'], spendingLineIds: ['early'] });
  });
});

describe('flagging spending a direct payment cannot buy', () => {
  it('flags a school place, naming each line, and leaves permitted spending alone', () => {
    const { flags } = monitorAccount(
      input({
        spending: [
          spend('s1', '2026-04-10', 'school_place', 300_000n),
          spend('ok', '2026-04-11', 'respite', 1_000n),
          spend('s2', '2026-05-10', 'school_place', 20_000n),
          spend('s3', '2026-05-20', 'school_place', 5_000n, 'refund'),
        ],
      }),
    );
    assert.deepEqual(flags.filter((f) => f.kind === 'not_permitted_category'), [
      { kind: 'not_permitted_category', category: 'school_place', categoryLabel: 'School place', knownCategory: true, lineIds: ['s1', 's2'], spentPence: 315_000n },
    ]);
  });

  it('treats a category missing from the council list as not permitted', () => {
    const { flags } = monitorAccount(input({ spending: [spend('x', '2026-04-10', 'holiday', 90_000n)] }));
    assert.deepEqual(flags.filter((f) => f.kind === 'not_permitted_category'), [
      { kind: 'not_permitted_category', category: 'holiday', categoryLabel: 'holiday', knownCategory: false, lineIds: ['x'], spentPence: 90_000n },
    ]);
  });
});

describe('flagging missing returns', () => {
  const quarterly = ['2026-04-30', '2026-07-31', '2026-10-31'];

  it('flags a due date that has passed with no return, and not one still to come', () => {
    const { flags } = monitorAccount(input({ returnsExpected: quarterly, returnsReceived: ['2026-04-28'], payments: [], regularPayment: { kind: 'recent_payments' } }));
    assert.deepEqual(flags, [{ kind: 'missing_return', dueDate: '2026-07-31', daysOverdue: 61 }]);
  });

  it('counts a late return, and does not let one return cover two quarters', () => {
    const late = monitorAccount(input({ returnsExpected: quarterly, returnsReceived: ['2026-05-20', '2026-08-05'], payments: [], regularPayment: { kind: 'recent_payments' } }));
    assert.deepEqual(late.flags, []);
    const one = monitorAccount(input({ returnsExpected: quarterly, returnsReceived: ['2026-08-05'], payments: [], regularPayment: { kind: 'recent_payments' } }));
    assert.deepEqual(one.flags.map((f) => f.kind === 'missing_return' && f.dueDate), ['2026-07-31']);
  });

  it('does not count a return sent before the previous due date towards the next quarter', () => {
    const early = monitorAccount(input({ returnsExpected: quarterly, returnsReceived: ['2026-04-02', '2026-04-28'], payments: [], regularPayment: { kind: 'recent_payments' } }));
    assert.deepEqual(early.flags.map((f) => f.kind === 'missing_return' && f.dueDate), ['2026-07-31']);
  });

  it('waits for the grace days before calling a return missing', () => {
    const base = { returnsExpected: ['2026-09-20'], payments: [], regularPayment: { kind: 'recent_payments' } as const };
    assert.equal(monitorAccount(input({ ...base, returnGraceDays: 10 })).flags.length, 0);
    assert.equal(monitorAccount(input({ ...base, returnGraceDays: 9 })).flags.length, 1);
  });
});

describe('flagging surplus: balance − contingency − threshold', () => {
  it('works the published example: £1,000 a month, 8 weeks is £1,846.16 (rounded up for the family)', () => {
    assert.equal(surplusThresholdPence({ kind: 'agreed', amountPence: 100_000n, frequency: 'monthly' }, 8, [], '2026-09-30'), 184_616n);
    assert.equal(surplusThresholdPence({ kind: 'agreed', amountPence: 25_000n, frequency: 'weekly' }, 8, [], '2026-09-30'), 200_000n);
    assert.equal(surplusThresholdPence({ kind: 'agreed', amountPence: 100_000n, frequency: 'four_weekly' }, 8, [], '2026-09-30'), 200_000n);
  });

  it('flags only the part above contingency and threshold', () => {
    // Paid £6,000, spent £2,000: balance £4,000; contingency £500; 8 weeks = £1,846.16.
    const { reconciliation, flags } = monitorAccount(input({ spending: [spend('a', '2026-05-01', 'pa_wages', 200_000n)], contingencyPence: 50_000n }));
    assert.equal(reconciliation.surplusPence, 400_000n - 50_000n - 184_616n);
    assert.deepEqual(flags, [
      { kind: 'surplus', balancePence: 400_000n, contingencyPence: 50_000n, thresholdPence: 184_616n, thresholdWeeks: 8, surplusPence: 165_384n },
    ]);
  });

  it('takes the number of weeks from the council policy', () => {
    const { reconciliation } = monitorAccount(input({ spending: [spend('a', '2026-05-01', 'pa_wages', 200_000n)], surplusThresholdWeeks: 12 }));
    assert.equal(reconciliation.thresholdPence, 276_924n); // £1,000 × 12 × 12 ÷ 52, rounded up
  });

  it('can use the payments actually received in the last weeks instead of an agreed amount', () => {
    // 8 weeks up to 30 September: after 5 August, so only the 1 September payment.
    const { reconciliation } = monitorAccount(input({ regularPayment: { kind: 'recent_payments' } }));
    assert.equal(reconciliation.thresholdPence, 100_000n);
    assert.equal(reconciliation.surplusPence, 500_000n);
  });

  it('raises no surplus flag when the balance is within contingency and threshold', () => {
    const { reconciliation, flags } = monitorAccount(input({ spending: [spend('a', '2026-05-01', 'pa_wages', 500_000n)], contingencyPence: 50_000n }));
    assert.equal(reconciliation.surplusPence, 0n);
    assert.deepEqual(flags, []);
  });
});

const dateArb = fc.integer({ min: 0, max: 182 }).map((n) => addDays('2026-04-01', n));
const penceArb = fc.bigInt({ min: 1n, max: 3_000_000n });
const monitoringArb = fc.record({
  openingBalancePence: fc.bigInt({ min: -500_000n, max: 2_000_000n }),
  payments: fc.array(fc.record({ date: dateArb, pence: penceArb }), { maxLength: 15 }),
  spending: fc.array(
    fc.record({ id: fc.uuid(), date: dateArb, category: fc.constantFrom('pa_wages', 'respite', 'school_place', 'other'), pence: penceArb, type: fc.constantFrom('spend' as const, 'refund' as const) }),
    { maxLength: 30 },
  ),
  contingencyPence: fc.bigInt({ min: 0n, max: 1_000_000n }),
  weeks: fc.integer({ min: 0, max: 26 }),
  regular: fc.oneof(
    fc.record({ kind: fc.constant('agreed' as const), amountPence: fc.bigInt({ min: 0n, max: 500_000n }), frequency: fc.constantFrom('weekly' as const, 'fortnightly' as const, 'four_weekly' as const, 'monthly' as const) }),
    fc.constant({ kind: 'recent_payments' as const }),
  ),
});

describe('properties of the reconciliation', () => {
  it('balance is always opening + paid in − spent, and spending by category adds up to spent', () => {
    fc.assert(
      fc.property(monitoringArb, (g) => {
        const { reconciliation: r } = monitorAccount(input({ ...g, regularPayment: g.regular, surplusThresholdWeeks: g.weeks }));
        assert.equal(r.balancePence, g.openingBalancePence + r.paidInPence - r.spentPence);
        assert.equal(r.spentByCategory.reduce((t, c) => t + c.spentPence, 0n), r.spentPence);
      }),
    );
  });

  it('surplus is never negative, and is exactly balance − contingency − threshold when positive', () => {
    fc.assert(
      fc.property(monitoringArb, (g) => {
        const { reconciliation: r, flags } = monitorAccount(input({ ...g, regularPayment: g.regular, surplusThresholdWeeks: g.weeks }));
        const raw = r.balancePence - g.contingencyPence - r.thresholdPence;
        assert.ok(r.surplusPence >= 0n);
        assert.equal(r.surplusPence, raw > 0n ? raw : 0n);
        assert.equal(flags.some((f) => f.kind === 'surplus'), r.surplusPence > 0n);
      }),
    );
  });
});

describe('year-end rollover under the council policy', () => {
  it('keeps the contingency, carries forward up to the percentage of the annual allocation, proposes the rest', () => {
    const r = yearEndRollover({ balancePence: 300_000n, contingencyPence: 50_000n, annualAllocationPence: 1_200_000n, policy: { carryForwardPercent: 10 } });
    assert.equal(r.keptAsContingencyPence, 50_000n);
    assert.equal(r.aboveContingencyPence, 250_000n);
    assert.equal(r.carryForwardLimitPence, 120_000n);
    assert.equal(r.carryForwardPence, 120_000n);
    assert.equal(r.proposedRecoveryPence, 130_000n);
    assert.match(r.explanation.at(-1) ?? '', /£1,300.00 is proposed for recovery. A manager must agree it and give reasons/);
  });

  it('proposes nothing when the balance is within the contingency, or overspent', () => {
    for (const balancePence of [40_000n, 0n, -10_000n]) {
      const r = yearEndRollover({ balancePence, contingencyPence: 50_000n, annualAllocationPence: 1_200_000n, policy: { carryForwardPercent: 0 } });
      assert.equal(r.carryForwardPence + r.proposedRecoveryPence, 0n);
      assert.equal(r.keptAsContingencyPence, balancePence > 0n ? balancePence : 0n);
    }
  });

  it('rounds the limit up to the penny: 7% of £1,234.57 is £86.42', () => {
    const r = yearEndRollover({ balancePence: 500_000n, contingencyPence: 0n, annualAllocationPence: 123_457n, policy: { carryForwardPercent: 7 } });
    assert.equal(r.carryForwardLimitPence, 8_642n); // 8641.99 pence
  });

  it('refuses a percentage that is not a whole number from 0 to 100', () => {
    for (const carryForwardPercent of [-1, 101, 12.5, Number.NaN]) {
      assert.throws(() => yearEndRollover({ balancePence: 1n, contingencyPence: 0n, annualAllocationPence: 1n, policy: { carryForwardPercent } }), RangeError);
    }
  });

  it('carried forward + proposed recovery = balance above contingency, exactly, and nothing is negative', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 10n ** 8n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.integer({ min: 0, max: 100 }),
        (balancePence, contingencyPence, annualAllocationPence, carryForwardPercent) => {
          const r = yearEndRollover({ balancePence, contingencyPence, annualAllocationPence, policy: { carryForwardPercent } });
          const above = balancePence - contingencyPence > 0n ? balancePence - contingencyPence : 0n;
          assert.equal(r.carryForwardPence + r.proposedRecoveryPence, above);
          assert.equal(r.keptAsContingencyPence + r.carryForwardPence + r.proposedRecoveryPence, balancePence > 0n ? balancePence : 0n);
          assert.ok(r.carryForwardPence >= 0n && r.proposedRecoveryPence >= 0n && r.keptAsContingencyPence >= 0n);
          assert.ok(r.carryForwardPence <= r.carryForwardLimitPence);
        },
      ),
    );
  });
});
