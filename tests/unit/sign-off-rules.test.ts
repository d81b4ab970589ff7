import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  approverMayDecide,
  dbsProblems,
  isCertificateNumber,
  needsPanel,
  noticeText,
  periodEnd,
  routeFor,
  tierProblems,
} from '../../src/domain/sign-off/sign-off.ts';
import { EMPTY_CONTENT } from '../../src/domain/plans/json.ts';
import type { PlanContent, SupportItem } from '../../src/domain/plans/content.ts';

const tiers = [
  { name: 'Group manager', upToPence: 2_000_000n },
  { name: 'Frontline manager', upToPence: 500_000n },
];

test('the author of a plan may never sign it off, whatever their limit', () => {
  const result = approverMayDecide({ approverId: 'a', authorId: 'a', limitPence: 10_000_000n, totalPence: 100n });
  assert.deepEqual(result, { ok: false, reason: 'You wrote this plan: another approver must sign it off' });
});

test('an approver may not sign off a plan above their limit, and is told both amounts', () => {
  const result = approverMayDecide({ approverId: 'b', authorId: 'a', limitPence: 500_000n, totalPence: 650_000n });
  assert.equal(result.ok, false);
  assert.equal(
    !result.ok && result.reason,
    'This plan costs £6,500.00 a year, above your limit of £5,000.00: it needs an approver with a higher limit or the panel',
  );
});

test('an approver may sign off a plan exactly at their limit', () => {
  assert.deepEqual(approverMayDecide({ approverId: 'b', authorId: 'a', limitPence: 500_000n, totalPence: 500_000n }), { ok: true });
});

test('an approver without a limit cannot sign off plans', () => {
  const result = approverMayDecide({ approverId: 'b', authorId: 'a', limitPence: null, totalPence: 1n });
  assert.equal(result.ok, false);
});

test('a plan is routed to the lowest tier that covers it, and to the panel above the highest', () => {
  assert.equal(routeFor(400_000n, tiers), tiers[1]);
  assert.equal(routeFor(500_000n, tiers), tiers[1]);
  assert.equal(routeFor(500_001n, tiers), tiers[0]);
  assert.equal(routeFor(2_000_001n, tiers), 'panel');
  assert.equal(routeFor(1n, []), 'panel');
});

test('a plan goes to the panel only above every approver limit and the highest tier', () => {
  assert.equal(needsPanel(2_500_000n, [500_000n, 2_000_000n, null], tiers), true);
  assert.equal(needsPanel(1_500_000n, [500_000n, 2_000_000n, null], tiers), false);
  assert.equal(needsPanel(2_500_000n, [3_000_000n], tiers), false);
  assert.equal(needsPanel(1_000n, [null], []), true);
});

test('tiers need names and strictly increasing limits, and at least one', () => {
  assert.deepEqual(tierProblems([]).map((p) => p.message), ['Enter at least one tier']);
  assert.deepEqual(tierProblems([{ name: 'A', upToPence: 100n }, { name: 'B', upToPence: 200n }]), []);
  const problems = tierProblems([{ name: 'A', upToPence: 200n }, { name: ' ', upToPence: 200n }, { name: 'C', upToPence: null }]);
  assert.deepEqual(problems.map((p) => [p.index, p.field]), [[1, 'name'], [1, 'upTo'], [2, 'upTo']]);
});

function item(id: string, overrides: Partial<SupportItem> = {}): SupportItem {
  return {
    id,
    description: `Item ${id}`,
    provider: 'Someone',
    unitCostPence: 1500n,
    quantity: 1,
    frequency: 'weekly',
    stream: 'social_care',
    management: 'direct_payment',
    outcomeIds: [],
    paysPersonalAssistant: true,
    ...overrides,
  };
}

test('a personal assistant paid by direct payment needs a DBS check or an exception', () => {
  const content: PlanContent = {
    ...EMPTY_CONTENT,
    items: [item('pa1'), item('pa2'), item('isf', { management: 'individual_service_fund' }), item('club', { paysPersonalAssistant: false })],
  };
  assert.deepEqual(dbsProblems(content, []).map((i) => i.id), ['pa1', 'pa2']);
  assert.deepEqual(dbsProblems(content, [{ itemId: 'pa1', kind: 'check' }]).map((i) => i.id), ['pa2']);
  assert.deepEqual(dbsProblems(content, [{ itemId: 'pa1', kind: 'check' }, { itemId: 'pa2', kind: 'exception' }]), []);
});

test('a DBS certificate number is exactly 12 digits', () => {
  assert.equal(isCertificateNumber('001234567890'), true);
  assert.equal(isCertificateNumber('12345678901'), false);
  assert.equal(isCertificateNumber('12345678901a'), false);
});

test('the notice says what was refused, why, and offers a review', () => {
  const notice = noticeText({
    outcome: 'refused',
    category: 'efficient_use_of_resources',
    reasons: 'The agency costs less.',
    decidedOn: '3 December 2026',
    personName: 'Sam Jones',
    items: [{ description: 'PA support', annualPence: 78_000n }],
    sen: true,
  });
  assert.equal(notice.title, 'We have refused a direct payment');
  assert.ok(notice.paragraphs.some((p) => p.includes('The agency costs less.')));
  assert.ok(notice.paragraphs.some((p) => p.includes('efficient use')));
  assert.deepEqual(notice.items, ['PA support (£780.00 a year)']);
  assert.ok(notice.review.some((p) => p.includes('right to ask the council to review')));
  assert.ok(notice.review.some((p) => p.includes('within 28 days')));
  assert.ok(notice.review.some((p) => p.includes('SENDIASS')));
  assert.ok(!notice.paragraphs.some((p) => p.includes('nominee')));
});

test('a payment withheld on capacity grounds may go to a nominee or suitable person', () => {
  const notice = noticeText({ outcome: 'withheld', category: 'capacity', reasons: 'r', decidedOn: 'd', personName: 'P', items: [], sen: false });
  assert.equal(notice.title, 'We have withheld a direct payment');
  assert.ok(notice.paragraphs.some((p) => p.includes('nominee or a suitable person')));
  assert.ok(notice.review.some((p) => p.includes('Ombudsman')));
});

test('a personal budget runs 12 months less a day', () => {
  assert.equal(periodEnd('2026-12-03'), '2027-12-02');
  assert.equal(periodEnd('2027-01-01'), '2027-12-31');
  assert.equal(periodEnd('2028-02-29'), '2029-02-28');
  assert.equal(periodEnd('2027-03-01'), '2028-02-29');
});
