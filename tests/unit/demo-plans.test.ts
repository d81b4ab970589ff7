import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_COUNCIL_SLUGS } from '../../src/demo/accounts.ts';
import { generateCouncil } from '../../src/demo/generate.ts';
import { demoFamiliesAndProviders } from '../../src/demo/families.ts';
import { generateAllocation } from '../../src/demo/allocation.ts';
import { generateCases } from '../../src/demo/cases.ts';
import { generatePlans } from '../../src/demo/plans.ts';
import { STREAM_CODES, type StreamCode } from '../../src/domain/allocation/model.ts';
import { planTotals } from '../../src/domain/plans/costs.ts';
import { contentFromJson } from '../../src/domain/plans/json.ts';
import { validatePlanContent } from '../../src/domain/plans/validate.ts';
import { approverMayDecide, dbsProblems, needsPanel } from '../../src/domain/sign-off/sign-off.ts';

type When = Date | string | null | undefined;
function time(d: When): number {
  assert.ok(d !== null && d !== undefined, 'a time');
  return typeof d === 'string' ? Date.parse(d) : d.getTime();
}
const iso = (d: When): string => new Date(time(d)).toISOString().slice(0, 10);

// A day in term, and a 29 February: the demo must make sense on any day.
for (const today of ['2026-12-03', '2028-02-29']) {
  describe(`demo plans (today ${today})`, () => {
    for (const slug of DEMO_COUNCIL_SLUGS) {
      const council = generateCouncil(slug, today);
      const families = demoFamiliesAndProviders(council, slug, today);
      const allocation = generateAllocation(council, families, slug, today);
      const cases = generateCases(council, slug, today);
      const generated = generatePlans(council, cases, allocation, families, slug, today);
      const { plans } = generated;
      const funded = STREAM_CODES.filter((c) => council.fundingStreams.some((s) => s.code === c));
      const staff = new Map(council.staff.map((s) => [s.id, s]));
      const planById = new Map(plans.map((p) => [p.row.id, p]));
      const versionRow = (planId: string, version: number) => generated.versions.find((v) => v.plan_id === planId && v.version === version);
      const decisionsOf = (planId: string) => generated.decisions.filter((d) => d.plan_id === planId).sort((a, b) => time(a.decided_at) - time(b.decided_at));
      const approvers = council.staff.filter((s) => s.role === 'approver');
      const tiers = generated.tiers.map((t) => ({ name: t.name, upToPence: BigInt(t.up_to_pence) }));
      const limits = approvers.map((a) => a.approval_limit_pence);
      const current = (p: (typeof plans)[number]) => {
        const content = p.contents.at(-1);
        assert.ok(content);
        return content;
      };

      it(`${slug}: every version's content passes the checks made at submission, and is stored as its JSON`, () => {
        for (const plan of plans) {
          assert.equal(plan.row.current_version, plan.contents.length);
          plan.contents.forEach((content, i) => {
            const problems = validatePlanContent(content, plan.indicative, { fundedStreams: funded });
            assert.deepEqual(problems, [], `${plan.row.id} version ${i + 1}`);
            const row = versionRow(plan.row.id, i + 1);
            assert.ok(row, `version ${i + 1} stored`);
            assert.deepEqual(contentFromJson(row.content), content);
          });
        }
      });

      it(`${slug}: every stored total is the total costs.ts works out, and decisions record the total decided`, () => {
        for (const v of generated.versions) {
          const plan = planById.get(v.plan_id);
          assert.ok(plan);
          const content = plan.contents[v.version - 1];
          assert.ok(content);
          assert.equal(v.total_pence, planTotals(content, plan.indicative).totalPence);
        }
        for (const d of generated.decisions) assert.equal(d.total_pence, versionRow(d.plan_id, d.version)?.total_pence);
      });

      it(`${slug}: plans are in every state, some with several versions, comments and requests`, () => {
        const statuses = new Set(plans.map((p) => p.row.status));
        for (const status of ['draft', 'submitted', 'returned', 'approved', 'agreed', 'superseded']) assert.ok(statuses.has(status as never), `a plan ${status}`);
        assert.ok(plans.filter((p) => p.contents.length >= 5).length >= 10, 'plans with a version history');
        assert.ok(plans.some((p) => p.row.kind === 'review' && p.row.status === 'draft'), 'a review under way');
        assert.ok(generated.comments.some((c) => c.status === 'open'), 'an open comment');
        assert.ok(generated.comments.some((c) => c.status === 'accepted') && generated.comments.some((c) => c.status === 'declined'), 'answered comments');
        assert.ok(generated.budgetRequests.length > 0, 'personal budget requests');
        assert.ok(generated.refusals.length >= 1, 'a direct payment refused or withheld');
      });

      it(`${slug}: each demo approver has a plan waiting within their limit, across the three bands`, () => {
        const waiting = plans.filter((p) => p.row.status === 'submitted');
        const totalOf = (p: (typeof plans)[number]) => planTotals(current(p), p.indicative).totalPence;
        for (const approver of approvers) {
          const mine = waiting.filter(
            (p) =>
              !needsPanel(totalOf(p), limits, tiers) &&
              approverMayDecide({ approverId: approver.id, limitPence: approver.approval_limit_pence, authorId: p.row.author_id, totalPence: totalOf(p) }).ok,
          );
          assert.ok(mine.length >= 1, `${approver.email} has a plan in their queue`);
        }
        assert.ok(waiting.some((p) => totalOf(p) <= 500_000n), 'a plan up to £5,000');
        assert.ok(waiting.some((p) => totalOf(p) > 500_000n && totalOf(p) <= 2_000_000n), 'a plan between £5,000 and £20,000');
        assert.ok(waiting.some((p) => totalOf(p) > 2_000_000n), 'a plan above £20,000');
        assert.deepEqual(tiers.map((t) => t.upToPence), [500_000n, 2_000_000n, 25_000_000n]);
      });

      it(`${slug}: authors are lead workers; nobody decides their own plan; approvals are within the approver's limit`, () => {
        for (const plan of plans) {
          const person = council.people.find((p) => p.id === plan.row.person_id);
          assert.equal(plan.row.author_id, person?.lead_worker_id);
          for (const d of decisionsOf(plan.row.id)) {
            if (d.decision === 'submitted') {
              assert.equal(d.decided_by, plan.row.author_id);
              continue;
            }
            assert.notEqual(d.decided_by, plan.row.author_id, 'never the author');
            const decider = staff.get(d.decided_by);
            assert.equal(decider?.role, 'approver');
            if (d.decision === 'approved' || d.decision === 'returned') {
              assert.equal(d.limit_pence, decider?.approval_limit_pence);
              assert.ok(d.total_pence <= (decider?.approval_limit_pence ?? 0n), 'within the limit');
            } else {
              assert.ok(needsPanel(d.total_pence, limits, tiers), 'the panel only above every limit');
            }
          }
        }
      });

      it(`${slug}: the decisions follow the status, in order, after the plan started and never in the future`, () => {
        for (const plan of plans) {
          const decisions = decisionsOf(plan.row.id);
          const kinds = decisions.map((d) => d.decision);
          const last = kinds.at(-1);
          switch (plan.row.status) {
            case 'draft':
              assert.ok(last === undefined || last === 'returned' || last === 'panel_returned');
              break;
            case 'submitted':
              assert.equal(last, 'submitted');
              break;
            case 'returned':
              assert.ok(last === 'returned' || last === 'panel_returned');
              break;
            default:
              assert.ok(last === 'approved' || last === 'panel_approved', `${plan.row.status} plan approved`);
          }
          kinds.forEach((k, i) => assert.equal(k === 'submitted', i % 2 === 0, 'submitted, decided, submitted...'));
          const started = time(plan.row.created_at);
          for (const d of decisions) {
            assert.ok(time(d.decided_at) >= started, 'not before the plan started');
            assert.ok(iso(d.decided_at) <= today, 'not in the future');
            assert.ok(versionRow(plan.row.id, d.version) !== undefined);
            assert.ok(time(versionRow(plan.row.id, d.version)?.created_at ?? '') <= time(d.decided_at), 'the version existed');
          }
          const versions = generated.versions.filter((v) => v.plan_id === plan.row.id).sort((a, b) => a.version - b.version);
          versions.forEach((v, i) => {
            if (i > 0) assert.ok(time(v.created_at) > time(versions[i - 1]?.created_at ?? ''), 'versions in order');
            assert.ok(iso(v.created_at) <= today);
          });
          assert.ok(iso(plan.row.updated_at) <= today);
        }
        for (const c of generated.comments) assert.ok(iso(c.created_at) <= today && (c.responded_at == null || time(c.responded_at) > time(c.created_at)));
      });

      it(`${slug}: submitted plans had support and a DBS check or exception for every personal assistant`, () => {
        for (const plan of plans.filter((p) => p.row.status !== 'draft' || decisionsOf(p.row.id).length > 0)) {
          for (const d of decisionsOf(plan.row.id).filter((x) => x.decision === 'submitted')) {
            const content = plan.contents[d.version - 1];
            assert.ok(content);
            assert.ok(content.items.length > 0);
            const checks = generated.dbsChecks.filter((c) => c.plan_id === plan.row.id && time(c.recorded_at) <= time(d.decided_at));
            assert.deepEqual(dbsProblems(content, checks.map((c) => ({ itemId: c.item_id, kind: c.kind }))), []);
          }
        }
        assert.ok(generated.dbsChecks.some((c) => c.kind === 'check'));
        for (const c of generated.dbsChecks) if (c.kind === 'exception') assert.equal(staff.get(c.recorded_by)?.role, 'approver');
      });

      it(`${slug}: agreed plans have an agreement and an active personal budget whose lines are the plan's amounts`, () => {
        for (const plan of plans.filter((p) => p.row.status === 'agreed' || p.row.status === 'superseded')) {
          const agreement = generated.agreements.find((a) => a.plan_id === plan.row.id);
          assert.ok(agreement, 'agreed');
          assert.equal(agreement.version, plan.row.current_version);
          assert.ok(agreement.agreed_on <= today);
          const approval = decisionsOf(plan.row.id).filter((d) => d.decision === 'approved' || d.decision === 'panel_approved').at(-1);
          assert.ok(approval && iso(approval.decided_at) <= agreement.agreed_on, 'agreed on or after sign-off');
          const budgets = generated.personalBudgets.filter((b) => b.plan_id === plan.row.id);
          assert.equal(budgets.length, 1);
          const budget = budgets[0];
          assert.ok(budget);
          assert.equal(budget.status, plan.row.status === 'agreed' ? 'active' : 'ended');
          assert.equal(budget.starts_on, agreement.agreed_on);
          const totals = planTotals(current(plan), plan.indicative);
          const lines = generated.personalBudgetLines.filter((l) => l.personal_budget_id === budget.id);
          const code = (id: string) => council.fundingStreams.find((s) => s.id === id)?.code as StreamCode;
          assert.deepEqual(
            lines.map((l) => `${code(l.funding_stream_id)}|${l.management}|${l.annual_pence}`).sort(),
            totals.byStreamAndManagement.map((l) => `${l.stream}|${l.management}|${l.annualPence}`).sort(),
          );
          assert.equal(budget.total_pence, lines.reduce((s, l) => s + BigInt(l.annual_pence), 0n));
        }
        const active = generated.personalBudgets.filter((b) => b.status === 'active').map((b) => b.person_id);
        assert.equal(new Set(active).size, active.length, 'one active budget a person');
      });

      it(`${slug}: the budget lines agreement writes keep each person's total, and every agreed person has them`, () => {
        const { personIds, rows } = generated.replacedBudgetLines;
        const agreedPeople = new Set(plans.filter((p) => p.row.status === 'agreed').map((p) => p.row.person_id));
        assert.deepEqual(new Set(personIds), agreedPeople);
        for (const personId of personIds) {
          const before = council.budgetLines.filter((l) => l.person_id === personId).reduce((s, l) => s + l.annual_pence, 0n);
          const after = rows.filter((l) => l.person_id === personId).reduce((s, l) => s + l.annual_pence, 0n);
          assert.equal(after, before, 'the agreed plan costs what the person’s budget did');
        }
      });

      it(`${slug}: one plan being written or signed off per case, and review plans replace the agreed plan`, () => {
        const open = plans.filter((p) => ['draft', 'submitted', 'returned', 'approved'].includes(p.row.status)).map((p) => p.row.case_id);
        assert.equal(new Set(open).size, open.length);
        for (const plan of plans.filter((p) => p.row.kind === 'review')) {
          const replaced = planById.get(plan.row.replaces_plan_id ?? '');
          assert.ok(replaced && replaced.row.case_id === plan.row.case_id);
          assert.equal(replaced.row.status, plan.row.status === 'agreed' ? 'superseded' : 'agreed');
        }
      });
    }
  });
}
