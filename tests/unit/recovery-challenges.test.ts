/** What a challenge's outcome pays back, and how the family's notice words it (decision 0019). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RecoveryRecord } from '../../src/db/repositories/monitoring.ts';
import fc from 'fast-check';
import { isLate, receivedOnProblem, repaymentFor, wasPartOfDecision } from '../../src/domain/monitoring/challenge.ts';
import { penceToDecimal } from '../../src/domain/money/money.ts';
import { noticeChallenge } from '../../src/web/pages/monitoring/presenters.ts';

describe('recovery challenges', () => {
  it('pays back the whole amount when upheld, nothing when not upheld, whatever was typed', () => {
    assert.deepEqual(repaymentFor('upheld', 10_000n, 'nonsense'), { ok: true, pence: 10_000n });
    assert.deepEqual(repaymentFor('not_upheld', 10_000n, '50.00'), { ok: true, pence: 0n });
  });

  it('pays back the amount entered when partly upheld: more than £0, less than recovered, in pence', () => {
    assert.deepEqual(repaymentFor('partly_upheld', 10_000n, '40.50'), { ok: true, pence: 4_050n });
    for (const bad of ['', '40.505', '-1', '0', '0.00', '100.00', '100.01', 'forty']) {
      assert.equal(repaymentFor('partly_upheld', 10_000n, bad).ok, false, bad);
    }
  });

  it('pays back, when partly upheld, exactly the pence entered whenever it is more than nothing and less than recovered, and refuses every other amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 100_000_000n }), fc.bigInt({ min: -1_000n, max: 100_001_000n }), (recovered, entered) => {
        const result = repaymentFor('partly_upheld', recovered, penceToDecimal(entered));
        if (entered > 0n && entered < recovered) assert.deepEqual(result, { ok: true, pence: entered });
        else assert.equal(result.ok, false);
      }),
    );
  });

  it('lets only someone who neither proposed nor approved the recovery decide the challenge', () => {
    const recovery = { proposedBy: 'proposer', decidedBy: 'approver' };
    assert.equal(wasPartOfDecision('proposer', recovery), true);
    assert.equal(wasPartOfDecision('approver', recovery), true);
    assert.equal(wasPartOfDecision('reviewer', recovery), false);
  });

  it('takes a challenge received on a real day from the approval to today, and says when it came after the date to challenge by', () => {
    const dates = { today: '2026-12-20', approvedOn: '2026-11-20' };
    assert.equal(receivedOnProblem('', dates), 'Enter the date the challenge was received');
    assert.equal(receivedOnProblem('2026-02-31', dates), 'The date the challenge was received must be a real date');
    assert.equal(receivedOnProblem('2026-12-21', dates), 'The date the challenge was received must be today or in the past');
    assert.equal(receivedOnProblem('2026-11-19', dates), 'The date the challenge was received must be on or after the day the recovery was approved, 20 November 2026');
    assert.equal(receivedOnProblem('2026-11-20', dates), null);
    assert.equal(receivedOnProblem('2026-12-20', dates), null);
    assert.equal(isLate('2026-12-18', '2026-12-18'), false);
    assert.equal(isLate('2026-12-19', '2026-12-18'), true);
    assert.equal(isLate('2026-12-19', null), false);
  });

  it('tells the family what happened to their challenge in plain English', () => {
    const base = { challengeBy: '2026-12-18', challenge: null } as unknown as RecoveryRecord; // only the fields the words use
    assert.deepEqual(noticeChallenge(base), []);
    const received = { ...base, challenge: { receivedOn: '2026-12-01', recordedByName: 'F', recordedAt: new Date('2026-12-01T10:00:00Z'), summary: 'Bills to come', decision: null } };
    assert.match(noticeChallenge(received).join(' '), /We received your challenge on 1 December 2026\./);
    const upheld = { ...received, challenge: { ...received.challenge, decision: { outcome: 'partly_upheld' as const, decidedBy: 'x', decidedByName: 'R', decidedAt: new Date('2026-12-03T10:00:00Z'), note: 'The invoice was due.', repaidPence: 4_050n, transactionId: 't' } } };
    const words = noticeChallenge(upheld).join(' ');
    assert.match(words, /We looked again and decided on 3 December 2026/);
    assert.match(words, /£40\.50 has been paid back into your direct payment account on 3 December 2026\./);
  });
});
