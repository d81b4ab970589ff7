/**
 * Payment runs (src/domain/payments/run.ts): what is due on a run date, the transaction each payment
 * posts, the preview before authorising, and — the promise finance relies on — that no instalment is
 * ever paid twice, whatever runs, retries and crashes happen.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { contentHash, validateTransaction, type TransactionInput } from '../../src/domain/ledger/ledger.ts';
import {
  dueInstalments,
  needsSecondAuthoriser,
  paymentKey,
  planRun,
  previewRun,
  type DueInstalment,
  type ScheduleForRun,
} from '../../src/domain/payments/run.ts';
import { paymentSchedule, type Instalment } from '../../src/domain/payments/schedule.ts';
import { addDays, compareDates } from '../../src/domain/pathway/dates.ts';

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const EDUCATION = 'education';
const SOCIAL_CARE = 'social-care';

/** A schedule with its own accounts: holder uuid(n*10), budget lines uuid(n*10+1), uuid(n*10+2). */
function schedule(n: number, instalments: readonly Instalment[]): ScheduleForRun {
  return {
    id: uuid(n),
    personId: uuid(100_000 + n),
    holderAccountId: uuid(n * 10),
    budgetAccountIdByStream: { [EDUCATION]: uuid(n * 10 + 1), [SOCIAL_CARE]: uuid(n * 10 + 2) },
    instalments,
  };
}

const YEAR = paymentSchedule({
  periodStart: '2026-04-01',
  periodEnd: '2027-03-31',
  frequency: 'monthly',
  streams: [
    { streamId: EDUCATION, annualPence: 600_000n },
    { streamId: SOCIAL_CARE, annualPence: 1_200_000n },
  ],
});
const A = schedule(1, YEAR);
const run = (runDate: string, id = 'R1') => ({ id, runDate });
const NONE: ReadonlySet<string> = new Set();
const keysOf = (dues: readonly DueInstalment[]): string[] => dues.map((d) => d.key);
const sum = (values: readonly bigint[]): bigint => values.reduce((a, b) => a + b, 0n);

describe('payment run: what is due', () => {
  it('pays every instalment due on or before the run date, and none after it', () => {
    const dues = dueInstalments([A], run('2026-06-01'), NONE);
    assert.deepEqual(keysOf(dues), [paymentKey(A.id, 1), paymentKey(A.id, 2), paymentKey(A.id, 3)]);
    assert.deepEqual(keysOf(dueInstalments([A], run('2026-05-31'), NONE)), [paymentKey(A.id, 1), paymentKey(A.id, 2)]);
  });

  it('leaves out instalments the ledger already holds', () => {
    const posted = new Set([paymentKey(A.id, 1), paymentKey(A.id, 3)]);
    assert.deepEqual(keysOf(dueInstalments([A], run('2026-06-01'), posted)), [paymentKey(A.id, 2)]);
  });

  it('names the key after the schedule and instalment only, never the run', () => {
    assert.equal(paymentKey(A.id, 7), `payment:${A.id}:7`);
    const [first] = dueInstalments([A], run('2026-04-01', 'RUN-42'), NONE);
    assert.equal(first?.transaction.idempotencyKey, `payment:${A.id}:1`);
  });

  it('moves each stream’s share out of its budget line and the whole payment into the family’s account, on the run date', () => {
    const [first] = dueInstalments([A], run('2026-04-03', 'R7'), NONE);
    assert.deepEqual(first?.transaction, {
      idempotencyKey: `payment:${A.id}:1`,
      kind: 'payment',
      effectiveOn: '2026-04-03',
      description: 'Direct payment 1 for 1 April 2026 to 30 April 2026 (run R7)',
      entries: [
        { accountId: A.budgetAccountIdByStream[EDUCATION], amountPence: -50_000n },
        { accountId: A.budgetAccountIdByStream[SOCIAL_CARE], amountPence: -100_000n },
        { accountId: A.holderAccountId, amountPence: 150_000n },
      ],
    });
    assert.deepEqual(validateTransaction(first?.transaction as TransactionInput), []);
  });

  it('lists payments in due-date order across schedules', () => {
    const later = schedule(2, paymentSchedule({ periodStart: '2026-04-15', periodEnd: '2027-04-14', frequency: 'monthly', streams: [{ streamId: EDUCATION, annualPence: 1200n }] }));
    const dues = dueInstalments([later, A], run('2026-05-20'), NONE);
    assert.deepEqual(dues.map((d) => d.instalment.dueOn), ['2026-04-01', '2026-04-15', '2026-05-01', '2026-05-15']);
  });

  it('never takes money back by itself: a negative instalment goes to finance for review, and a zero one is skipped', () => {
    const base = YEAR[0] as Instalment;
    const negative: Instalment = { ...base, number: 1, amountPence: -500n, byStream: [{ streamId: EDUCATION, pence: -500n }] };
    const zero: Instalment = { ...base, number: 2, amountPence: 0n, byStream: [{ streamId: EDUCATION, pence: 0n }] };
    const plan = planRun([schedule(3, [negative, zero])], run('2026-04-01'), NONE);
    assert.deepEqual(plan.due, []);
    assert.deepEqual(plan.toReview.map((r) => [r.key, r.instalment.amountPence]), [[paymentKey(uuid(3), 1), -500n]]);
    assert.match(plan.toReview[0]?.reason ?? '', /negative/);
  });

  it('pays a stream’s money back to its budget line when an adjustment gives it back, and still balances', () => {
    const base = YEAR[0] as Instalment;
    const mixed: Instalment = { ...base, amountPence: 900n, byStream: [{ streamId: EDUCATION, pence: 1000n }, { streamId: SOCIAL_CARE, pence: -100n }] };
    const [due] = dueInstalments([schedule(4, [mixed])], run('2026-04-01'), NONE);
    assert.deepEqual(due?.transaction.entries.map((e) => e.amountPence), [-1000n, 100n, 900n]);
    assert.deepEqual(validateTransaction(due?.transaction as TransactionInput), []);
  });

  it('refuses a schedule without a budget account for one of its streams, and a bad run date', () => {
    const orphan = { ...A, budgetAccountIdByStream: { [EDUCATION]: uuid(11) } };
    assert.throws(() => dueInstalments([orphan], run('2026-04-01'), NONE), /no budget account for stream social-care/);
    assert.throws(() => dueInstalments([A], run('2026-13-01'), NONE), /run date/);
  });

  it('gives the same run, retried, the same transactions; a different run gets different content, so the ledger refuses it as a conflict', () => {
    const hashes = (id: string) => dueInstalments([A], run('2026-05-01', id), NONE).map((d) => contentHash(d.transaction));
    assert.deepEqual(hashes('R1'), hashes('R1'));
    assert.notDeepEqual(hashes('R1'), hashes('R2'));
  });
});

describe('payment run: preview and authorisation', () => {
  it('shows the count, payees, total and each stream’s part before the officer authorises', () => {
    const other = schedule(2, YEAR);
    const preview = previewRun(dueInstalments([A, other], run('2026-05-01'), NONE));
    assert.deepEqual(preview, {
      count: 4,
      payees: 2,
      totalPence: 600_000n,
      byStream: [
        { streamId: EDUCATION, pence: 200_000n },
        { streamId: SOCIAL_CARE, pence: 400_000n },
      ],
    });
  });

  it('shows an empty run as nothing to pay', () => {
    assert.deepEqual(previewRun([]), { count: 0, payees: 0, totalPence: 0n, byStream: [] });
  });

  it('asks for a second finance officer only above the threshold', () => {
    assert.equal(needsSecondAuthoriser(100_000_00n, 100_000_00n), false);
    assert.equal(needsSecondAuthoriser(100_000_01n, 100_000_00n), true);
    assert.equal(needsSecondAuthoriser(0n, 0n), false);
    assert.throws(() => needsSecondAuthoriser(1n, -1n), /cannot be negative/);
  });
});

/* ---- Properties --------------------------------------------------------------------------------- */

const arbSchedules = fc
  .array(
    fc.record({
      start: fc.integer({ min: 0, max: 200 }),
      length: fc.integer({ min: 1, max: 300 }),
      frequency: fc.constantFrom('monthly' as const, 'four_weekly' as const),
      anchorOffset: fc.integer({ min: 0, max: 40 }),
      education: fc.bigInt({ min: 0n, max: 5_000_000n }),
      socialCare: fc.bigInt({ min: 0n, max: 5_000_000n }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((specs) =>
    specs.map((s, i) => {
      const periodStart = addDays('2026-01-01', s.start);
      return schedule(
        i + 1,
        paymentSchedule({
          periodStart,
          periodEnd: addDays(periodStart, s.length),
          frequency: s.frequency,
          cycleAnchor: addDays(periodStart, -s.anchorOffset),
          streams: [
            { streamId: EDUCATION, annualPence: s.education },
            { streamId: SOCIAL_CARE, annualPence: s.socialCare },
          ],
        }),
      );
    }),
  );

/** Increasing run dates: day offsets from 2025-12-01. */
const arbRunDates = fc.uniqueArray(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 8 }).map((days) => days.sort((a, b) => a - b).map((d) => addDays('2025-12-01', d)));

/** Every instalment with money to pay that falls due by `date`. */
const payableBy = (schedules: readonly ScheduleForRun[], date: string): string[] =>
  schedules.flatMap((s) => s.instalments.filter((i) => i.amountPence > 0n && compareDates(i.dueOn, date) <= 0).map((i) => paymentKey(s.id, i.number)));

/**
 * A stand-in for the ledger's idempotency (decision 0017): a key is accepted once; the same key and
 * content again is a replay; the same key with other content is refused as a conflict.
 */
function postToLedger(ledger: Map<string, string>, dues: readonly DueInstalment[]): { paid: string[]; replayed: string[]; conflicts: string[] } {
  const out = { paid: [] as string[], replayed: [] as string[], conflicts: [] as string[] };
  for (const due of dues) {
    const hash = contentHash(due.transaction);
    const existing = ledger.get(due.key);
    if (existing === undefined) ledger.set(due.key, hash);
    (existing === undefined ? out.paid : existing === hash ? out.replayed : out.conflicts).push(due.key);
  }
  return out;
}

/** What a run puts in its payment file: what it posted now, and what it had posted before a crash (replays). */
const inFile = (result: { paid: string[]; replayed: string[] }): string[] => [...result.paid, ...result.replayed];

describe('payment run: properties', () => {
  it('computing the dues again after posting a run gives nothing to pay', () => {
    fc.assert(
      fc.property(arbSchedules, fc.integer({ min: 0, max: 600 }), (schedules, day) => {
        const r = run(addDays('2025-12-01', day));
        const first = dueInstalments(schedules, r, NONE);
        assert.deepEqual(dueInstalments(schedules, r, new Set(keysOf(first))), []);
        assert.deepEqual(keysOf(first).sort(), payableBy(schedules, r.runDate).sort());
      }),
      { numRuns: 200 },
    );
  });

  it('runs on increasing dates pay each instalment exactly once, and only once it is due', () => {
    fc.assert(
      fc.property(arbSchedules, arbRunDates, (schedules, dates) => {
        const ledger = new Map<string, string>();
        const timesPaid = new Map<string, number>();
        dates.forEach((date, i) => {
          const dues = dueInstalments(schedules, run(date, `R${i}`), new Set(ledger.keys()));
          for (const due of dues) assert.ok(compareDates(due.instalment.dueOn, date) <= 0, 'paid before it was due');
          for (const key of inFile(postToLedger(ledger, dues))) timesPaid.set(key, (timesPaid.get(key) ?? 0) + 1);
        });
        const last = dates[dates.length - 1] ?? '';
        assert.deepEqual([...timesPaid.keys()].sort(), payableBy(schedules, last).sort());
        assert.ok([...timesPaid.values()].every((n) => n === 1));
      }),
      { numRuns: 200 },
    );
  });

  it('a run that crashes part-way and is run again pays the rest, each exactly once', () => {
    fc.assert(
      fc.property(arbSchedules, fc.integer({ min: 0, max: 600 }), fc.nat(), (schedules, day, cut) => {
        const r = run(addDays('2025-12-01', day), 'R9');
        const ledger = new Map<string, string>();
        const planned = dueInstalments(schedules, r, NONE);
        const beforeCrash = postToLedger(ledger, planned.slice(0, cut % (planned.length + 1)));
        // The restarted job computes what is still due, and also re-posts its own earlier batch (it
        // cannot know whether that batch committed): those come back as replays, not payments.
        const stillDue = dueInstalments(schedules, r, new Set(ledger.keys()));
        const afterRestart = postToLedger(ledger, [...planned.slice(0, cut % (planned.length + 1)), ...stillDue]);
        assert.deepEqual([...beforeCrash.paid, ...afterRestart.paid].sort(), keysOf(planned).sort());
        assert.deepEqual(inFile(afterRestart).sort(), keysOf(planned).sort(), 'the run’s file lists every payment once');
        assert.deepEqual(afterRestart.conflicts, []);
      }),
      { numRuns: 200 },
    );
  });

  it('two runs computed at the same moment (before either posts) put each instalment in one payment file only', () => {
    // Often the same run date: the case where only the run's name tells the two apart.
    const arbGap = fc.oneof(fc.constant(0), fc.integer({ min: -60, max: 60 }));
    fc.assert(
      fc.property(arbSchedules, fc.integer({ min: 0, max: 600 }), arbGap, (schedules, d1, gap) => {
        const ledger = new Map<string, string>();
        const one = postToLedger(ledger, dueInstalments(schedules, run(addDays('2025-12-01', d1), 'R1'), NONE));
        const two = postToLedger(ledger, dueInstalments(schedules, run(addDays('2025-12-01', d1 + gap), 'R2'), NONE));
        // The second run's payments name their run, so the ledger refuses them as conflicts: a
        // replay would have put them in the second file too, and the family would be paid twice.
        const files = [...inFile(one), ...inFile(two)];
        assert.equal(new Set(files).size, files.length);
        assert.deepEqual(two.replayed, []);
      }),
      { numRuns: 100 },
    );
  });

  it('a run’s parts by stream sum to its total, and every payment it posts balances', () => {
    fc.assert(
      fc.property(arbSchedules, fc.integer({ min: 0, max: 600 }), (schedules, day) => {
        const dues = dueInstalments(schedules, run(addDays('2025-12-01', day)), NONE);
        const preview = previewRun(dues);
        assert.equal(sum(preview.byStream.map((p) => p.pence)), preview.totalPence);
        assert.equal(preview.totalPence, sum(dues.map((d) => d.instalment.amountPence)));
        for (const due of dues) assert.deepEqual(validateTransaction(due.transaction), []);
      }),
      { numRuns: 200 },
    );
  });
});
