import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_COUNCIL_SLUGS } from '../../src/demo/accounts.ts';
import { generateCouncil } from '../../src/demo/generate.ts';
import { generateCases } from '../../src/demo/cases.ts';
import { addDays } from '../../src/domain/pathway/dates.ts';
import { checkStep } from '../../src/domain/pathway/steps.ts';
import { deadlinesOf } from '../../src/domain/pathway/deadlines.ts';

// A day in term, and a 29 February: the demo must make sense on any day.
for (const today of ['2026-12-03', '2028-02-29']) {
  describe(`demo cases (today ${today})`, () => {
    for (const slug of DEMO_COUNCIL_SLUGS) {
      const council = generateCouncil(slug, today);
      const { cases, stepsByCase } = generateCases(council, slug, today);
      const caseworker = council.staff.find((s) => s.email === `caseworker@${slug}.example`);

      it(`${slug}: every person with a lead worker has one case, led by that worker`, () => {
        const led = council.people.filter((p) => p.lead_worker_id !== null);
        assert.equal(cases.length, led.length);
        for (const c of cases) assert.equal(c.lead_worker_id, council.people.find((p) => p.id === c.person_id)?.lead_worker_id);
      });

      it(`${slug}: every step passes the pathway's own checks, in the order recorded`, () => {
        for (const [caseId, { facts, steps }] of stepsByCase) {
          steps.forEach((step, i) => {
            if (i === 0) return assert.equal(step.kind, 'request_received');
            const checked = checkStep(facts, steps.slice(0, i), { kind: step.kind, occurredOn: step.occurredOn, details: { ...step.details } }, today);
            assert.ok(checked.ok, `case ${caseId} (${facts.caseType}), ${step.kind} on ${step.occurredOn}: ${checked.ok ? '' : checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
          });
        }
      });

      it(`${slug}: the caseload has cases overdue, due in the next 7 days and on track, and some with exceptions`, () => {
        const open = cases.filter((c) => c.status === 'open');
        const overdue = open.filter((c) => (c.next_due_on ?? null) !== null && (c.next_due_on ?? '') < today);
        const soon = open.filter((c) => (c.next_due_on ?? null) !== null && (c.next_due_on ?? '') >= today && (c.next_due_on ?? '') <= addDays(today, 6));
        const onTrack = open.filter((c) => (c.next_due_on ?? null) !== null && (c.next_due_on ?? '') > addDays(today, 6));
        assert.ok(overdue.length >= 5, `${overdue.length} overdue`);
        assert.ok(soon.length >= 3, `${soon.length} due soon`);
        assert.ok(onTrack.length > overdue.length, `${onTrack.length} on track, ${overdue.length} overdue`);
        assert.ok(cases.some((c) => c.has_exception), 'some reg 10(4) exceptions');
        const mine = open.filter((c) => c.lead_worker_id === caseworker?.id);
        assert.ok(mine.some((c) => (c.next_due_on ?? null) !== null && (c.next_due_on ?? '') < today), 'caseworker@ has something overdue');
        assert.ok(mine.some((c) => (c.next_due_on ?? null) !== null && (c.next_due_on ?? '') >= today), 'caseworker@ has something still to do in time');
      });

      it(`${slug}: both clocks are in use, at every stage of the EHC pathway`, () => {
        const stages = new Set(cases.filter((c) => c.case_type === 'ehc').map((c) => c.stage));
        for (const stage of ['request', 'assessing', 'drafting', 'draft_issued', 'plan_in_place', 'reviewing']) assert.ok(stages.has(stage), `an EHC case at ${stage}`);
        const kinds = new Set([...stepsByCase.values()].flatMap((c) => c.steps.map((s) => s.kind)));
        for (const kind of ['plan_agreed', 'plan_reviewed', 'direct_payment_started', 'review_decision', 'advice_received'] as const) assert.ok(kinds.has(kind), `some case has ${kind}`);
      });

      it(`${slug}: the stored next deadline is the one the pathway works out`, () => {
        for (const c of cases) {
          const entry = stepsByCase.get(c.id);
          assert.ok(entry);
          const unmet = deadlinesOf(entry.facts, entry.steps, today).filter((d) => d.metOn === null);
          const earliest = unmet.map((d) => d.dueOn).sort()[0] ?? null;
          assert.equal(c.next_due_on ?? null, earliest, `case ${c.id}`);
        }
      });
    }
  });
}
