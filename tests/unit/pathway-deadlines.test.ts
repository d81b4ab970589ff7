/**
 * The statutory clocks (src/domain/pathway/deadlines.ts) and the worker's reminders
 * (reminders.ts): every deadline worked by hand from the request date, month ends and 29 February,
 * the clock changes, reg 10(4) exceptions; and properties over random valid cases.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, compareDates } from '../../src/domain/pathway/dates.ts';
import { DEADLINE_LABELS, deadlinesOf, nextDeadline, timeliness, type Deadline, type DeadlineKind } from '../../src/domain/pathway/deadlines.ts';
import { workerRemindersDue } from '../../src/domain/pathway/reminders.ts';
import { allowedNextSteps, checkStep, type CaseFacts, type CaseStep, type CaseStepKind, type CaseType } from '../../src/domain/pathway/steps.ts';

const EHC: CaseFacts = { caseType: 'ehc', requestDate: '2026-01-05', dateOfBirth: '2015-06-01', phaseTransferYear: null };

/** A case built through checkStep, as the service records it; fails the test on a refused step. */
class Case {
  readonly steps: CaseStep[] = [];
  constructor(
    readonly facts: CaseFacts,
    readonly today = '2035-01-01',
  ) {
    this.add('request_received', facts.requestDate);
  }
  add(kind: CaseStepKind, occurredOn: string, details: Record<string, unknown> = {}): CaseStep {
    const result = checkStep(this.facts, this.steps, { kind, occurredOn, details }, this.today);
    if (!result.ok) assert.fail(`${kind} on ${occurredOn} refused: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    const step: CaseStep = {
      id: `00000000-0000-4000-8000-${String(this.steps.length + 1).padStart(12, '0')}`,
      kind,
      occurredOn,
      details: result.details,
      recordedAt: `2026-12-01T10:${String(Math.floor(this.steps.length / 60)).padStart(2, '0')}:${String(this.steps.length % 60).padStart(2, '0')}.000Z`,
    };
    this.steps.push(step);
    return step;
  }
  deadlines(today: string): Deadline[] {
    return deadlinesOf(this.facts, this.steps, today);
  }
}

function only(deadlines: readonly Deadline[], kind: DeadlineKind): Deadline {
  const found = deadlines.filter((d) => d.kind === kind);
  assert.equal(found.length, 1, `expected one ${kind} deadline, got ${found.length}`);
  return found[0] as Deadline;
}

const APPEAL = { reasons: 'Needs can be met from the school’s own resources.', appealInformationGiven: true };

describe('statutory deadlines', () => {
  it('gives the decision whether to assess 6 weeks from the request, and nothing else yet', () => {
    const c = new Case(EHC);
    const deadlines = c.deadlines('2026-01-10');
    assert.deepEqual(deadlines, [
      {
        kind: 'decide_whether_to_assess',
        label: 'Decision whether to assess',
        dueOn: '2026-02-16',
        startedOn: '2026-01-05',
        metOn: null,
        metByStepId: null,
        state: 'on_track',
        exceptionApplies: false,
      },
    ]);
  });

  it('counts the 16-week draft and the 20-week final plan from the request date, once the council decides to assess', () => {
    const c = new Case(EHC);
    const decided = c.add('decided_to_assess', '2026-02-16');
    const deadlines = c.deadlines('2026-02-20');
    const decide = only(deadlines, 'decide_whether_to_assess');
    assert.equal(decide.state, 'met_on_time');
    assert.equal(decide.metByStepId, decided.id);
    assert.equal(only(deadlines, 'draft_plan').dueOn, '2026-04-27');
    assert.equal(only(deadlines, 'draft_plan').startedOn, '2026-01-05');
    assert.equal(only(deadlines, 'final_plan').dueOn, '2026-05-25');
    assert.deepEqual(deadlines.map((d) => d.kind), ['decide_whether_to_assess', 'draft_plan', 'final_plan']);
  });

  it('works the 20-week date over 29 February and over month ends', () => {
    const leap = new Case({ ...EHC, requestDate: '2028-01-15' });
    leap.add('decided_to_assess', '2028-02-01');
    assert.equal(only(leap.deadlines('2028-02-01'), 'final_plan').dueOn, '2028-06-03');
    const december = new Case({ ...EHC, requestDate: '2027-12-20' });
    december.add('decided_to_assess', '2028-01-10');
    assert.equal(only(december.deadlines('2028-01-10'), 'final_plan').dueOn, '2028-05-08');
    const spring = new Case({ ...EHC, requestDate: '2027-03-01' });
    spring.add('decided_to_assess', '2027-03-10');
    assert.equal(only(spring.deadlines('2027-03-10'), 'final_plan').dueOn, '2027-07-19');
  });

  it('is not moved by the clock changes of March and October', () => {
    assert.equal(only(new Case({ ...EHC, requestDate: '2026-03-20' }).deadlines('2026-03-20'), 'decide_whether_to_assess').dueOn, '2026-05-01');
    assert.equal(only(new Case({ ...EHC, requestDate: '2026-10-01' }).deadlines('2026-10-01'), 'decide_whether_to_assess').dueOn, '2026-11-12');
  });

  it('gives each request for advice its own 6 weeks, met by the advice received for it', () => {
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    const ep = c.add('advice_requested', '2026-02-11', { adviceFrom: 'Educational psychologist' });
    c.add('advice_requested', '2026-02-12', { adviceFrom: 'Paediatrician' });
    const received = c.add('advice_received', '2026-03-30', { adviceRequestId: ep.id });
    const advice = c.deadlines('2026-03-30').filter((d) => d.kind === 'advice');
    assert.deepEqual(
      advice.map((d) => [d.label, d.dueOn, d.metOn, d.metByStepId, d.state]),
      [
        ['Advice from Educational psychologist', '2026-03-25', '2026-03-30', received.id, 'met_late'],
        ['Advice from Paediatrician', '2026-03-26', null, null, 'overdue'],
      ],
    );
  });

  it('says a deadline is due soon in the 7 days ending on its due date, on track before that and overdue the day after', () => {
    const c = new Case(EHC);
    const state = (today: string) => only(c.deadlines(today), 'decide_whether_to_assess').state;
    assert.equal(state('2026-02-09'), 'on_track');
    assert.equal(state('2026-02-10'), 'due_soon');
    assert.equal(state('2026-02-16'), 'due_soon');
    assert.equal(state('2026-02-17'), 'overdue');
  });

  it('counts the annual review from the final plan and then from each review meeting held', () => {
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    c.add('decided_to_issue', '2026-04-01');
    c.add('draft_issued', '2026-04-20');
    c.add('final_issued', '2026-05-20');
    assert.equal(only(c.deadlines('2026-06-01'), 'annual_review').dueOn, '2027-05-20');
    c.add('review_meeting_planned', '2027-03-01', { meetingOn: '2027-04-01' });
    const papers = only(c.deadlines('2027-03-01'), 'review_papers');
    assert.deepEqual([papers.startedOn, papers.dueOn], ['2027-03-01', '2027-03-18']);
    c.add('review_papers_sent', '2027-03-20');
    assert.equal(only(c.deadlines('2027-03-20'), 'review_papers').state, 'met_late');
    const held = c.add('review_meeting_held', '2027-04-01');
    const after = c.deadlines('2027-04-01');
    const reviews = after.filter((d) => d.kind === 'annual_review');
    assert.deepEqual(
      reviews.map((d) => [d.startedOn, d.dueOn, d.metOn, d.metByStepId]),
      [
        ['2026-05-20', '2027-05-20', '2027-04-01', held.id],
        ['2027-04-01', '2028-04-01', null, null],
      ],
    );
    assert.equal(only(after, 'review_report').dueOn, '2027-04-15');
    assert.equal(only(after, 'review_decision').dueOn, '2027-04-29');
    c.add('review_report_sent', '2027-04-10');
    c.add('review_decision', '2027-04-20', { decision: 'amend', proposedAmendments: 'Add speech and language therapy.' });
    assert.equal(only(c.deadlines('2027-04-20'), 'amended_plan').dueOn, '2027-06-15');
  });

  it('gives an annual review from 29 February 2028 on 28 February 2029', () => {
    const c = new Case({ ...EHC, requestDate: '2027-10-15' });
    c.add('decided_to_assess', '2027-11-01');
    c.add('decided_to_issue', '2028-01-10');
    c.add('draft_issued', '2028-02-01');
    c.add('final_issued', '2028-02-29');
    assert.equal(only(c.deadlines('2028-03-01'), 'annual_review').dueOn, '2029-02-28');
  });

  it('reviews the plan of a child under 5 within 6 months', () => {
    const c = new Case({ ...EHC, dateOfBirth: '2022-03-01' });
    c.add('decided_to_assess', '2026-02-10');
    c.add('decided_to_issue', '2026-04-01');
    c.add('draft_issued', '2026-04-20');
    c.add('final_issued', '2026-05-20');
    assert.equal(only(c.deadlines('2026-06-01'), 'annual_review').dueOn, '2026-11-20');
  });

  it('brings the amended plan forward to 15 February of the phase-transfer year', () => {
    const c = new Case({ ...EHC, requestDate: '2026-06-01', phaseTransferYear: 2028 });
    c.add('decided_to_assess', '2026-06-20');
    c.add('decided_to_issue', '2026-08-01');
    c.add('draft_issued', '2026-08-20');
    c.add('final_issued', '2026-09-20');
    c.add('review_meeting_planned', '2027-11-01', { meetingOn: '2027-12-01' });
    c.add('review_papers_sent', '2027-11-10');
    c.add('review_meeting_held', '2027-12-01');
    c.add('review_report_sent', '2027-12-10');
    c.add('review_decision', '2028-01-10', { decision: 'amend', proposedAmendments: 'Name the secondary school.' });
    const amended = only(c.deadlines('2028-01-10'), 'amended_plan');
    assert.deepEqual([amended.startedOn, amended.dueOn], ['2028-01-10', '2028-02-15']);
  });

  it('gives a social care plan its first review in weeks 6 to 8 and then yearly', () => {
    const c = new Case({ ...EHC, caseType: 'social_care_adult', dateOfBirth: '1980-06-01' });
    assert.deepEqual(c.deadlines('2026-01-10'), []);
    c.add('plan_agreed', '2026-02-01');
    const state = (today: string) => only(c.deadlines(today), 'first_plan_review').state;
    assert.equal(only(c.deadlines('2026-02-01'), 'first_plan_review').dueOn, '2026-03-29');
    assert.equal(state('2026-03-14'), 'on_track');
    assert.equal(state('2026-03-15'), 'due_soon');
    assert.equal(state('2026-03-30'), 'overdue');
    c.add('plan_reviewed', '2026-03-20');
    const deadlines = c.deadlines('2026-03-20');
    assert.equal(only(deadlines, 'first_plan_review').state, 'met_on_time');
    assert.equal(only(deadlines, 'plan_review').dueOn, '2027-03-20');
  });

  it('reviews a direct payment after 3 months (EHC, continuing care) or 6 months (social care), then yearly', () => {
    const cases: [CaseType, string][] = [
      ['social_care_child', '2026-08-15'],
      ['social_care_adult', '2026-08-15'],
      ['continuing_care', '2026-05-15'],
    ];
    for (const [caseType, due] of cases) {
      const c = new Case({ ...EHC, caseType });
      c.add('plan_agreed', '2026-02-01');
      c.add('direct_payment_started', '2026-02-15');
      assert.equal(only(c.deadlines('2026-02-15'), 'direct_payment_review').dueOn, due, caseType);
    }
    const e = new Case(EHC);
    e.add('decided_to_assess', '2026-02-10');
    e.add('decided_to_issue', '2026-04-01');
    e.add('draft_issued', '2026-04-20');
    e.add('final_issued', '2026-05-20');
    e.add('direct_payment_started', '2026-05-31');
    assert.equal(only(e.deadlines('2026-06-01'), 'direct_payment_review').dueOn, '2026-08-31');
    e.add('direct_payment_reviewed', '2026-08-20');
    const reviews = e.deadlines('2026-08-20').filter((d) => d.kind === 'direct_payment_review');
    assert.deepEqual(reviews.map((d) => [d.dueOn, d.state]), [['2026-08-31', 'met_on_time'], ['2027-08-20', 'on_track']]);
  });

  it('keeps only the deadlines met once a case is closed', () => {
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    c.add('advice_requested', '2026-02-11', { adviceFrom: 'Educational psychologist' });
    c.add('decided_not_to_issue', '2026-04-01', APPEAL);
    const deadlines = c.deadlines('2026-06-01');
    assert.deepEqual(deadlines.map((d) => [d.kind, d.state]), [['decide_whether_to_assess', 'met_on_time']]);
    assert.equal(nextDeadline(deadlines), null);
  });

  it('marks the deadlines whose clock a reg 10(4) exception overlaps', () => {
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    c.add('exception_recorded', '2026-04-12', { reason: 'family_absent', fromDate: '2026-03-01', toDate: '2026-04-10' });
    const deadlines = c.deadlines('2026-04-12');
    assert.equal(only(deadlines, 'decide_whether_to_assess').exceptionApplies, false);
    assert.equal(only(deadlines, 'draft_plan').exceptionApplies, true);
    assert.equal(only(deadlines, 'final_plan').exceptionApplies, true);
    // An exception that starts only after a deadline was met does not apply to it.
    const late = new Case(EHC);
    late.add('decided_to_assess', '2026-02-10');
    late.add('exception_recorded', '2026-06-01', { reason: 'setting_closed', fromDate: '2026-02-11', toDate: '2026-03-31' });
    assert.equal(only(late.deadlines('2026-06-01'), 'decide_whether_to_assess').exceptionApplies, false);
    assert.equal(only(late.deadlines('2026-06-01'), 'final_plan').exceptionApplies, true);
  });

  it('reports the final plan on time or late, with and without exceptions', () => {
    const issued = (finalOn: string, exception: boolean) => {
      const c = new Case(EHC);
      c.add('decided_to_assess', '2026-02-10');
      if (exception) c.add('exception_recorded', '2026-03-01', { reason: 'setting_closed', fromDate: '2026-02-20', toDate: '2026-03-25' });
      c.add('decided_to_issue', '2026-04-01');
      c.add('draft_issued', '2026-04-20');
      c.add('final_issued', finalOn);
      return timeliness(c.facts, c.steps);
    };
    assert.deepEqual(issued('2026-05-25', false), { finalPlan: 'on_time', withException: false });
    assert.deepEqual(issued('2026-05-26', false), { finalPlan: 'late', withException: false });
    assert.deepEqual(issued('2026-06-10', true), { finalPlan: 'late', withException: true });
    const open = new Case(EHC);
    open.add('decided_to_assess', '2026-02-10');
    assert.deepEqual(timeliness(open.facts, open.steps), { finalPlan: 'not_issued', withException: false });
  });

  it('names the next deadline as the earliest not yet met', () => {
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    c.add('advice_requested', '2026-03-20', { adviceFrom: 'Speech and language therapist' });
    const next = nextDeadline(c.deadlines('2026-03-20'));
    assert.deepEqual([next?.kind, next?.dueOn], ['draft_plan', '2026-04-27']);
    assert.equal(DEADLINE_LABELS.final_plan, 'Final EHC plan');
  });

  it('reminds the lead worker 7 days before each unmet deadline and on the day (or up to a week late), with a stable key', () => {
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    const remind = (today: string) => workerRemindersDue(c.deadlines(today), today).map((r) => r.about);
    assert.deepEqual(remind('2026-04-19'), []);
    assert.deepEqual(remind('2026-04-20'), ['draft_plan:7-days']);
    assert.deepEqual(remind('2026-04-26'), ['draft_plan:7-days']);
    assert.deepEqual(remind('2026-04-27'), ['draft_plan:due']);
    // A job that did not run on the day catches up for a week, and no longer.
    assert.deepEqual(remind('2026-05-04'), ['draft_plan:due']);
    assert.deepEqual(remind('2026-05-05'), []);
    // Weeks overdue (as on the first run over imported cases): shown on the caseload, not emailed.
    assert.deepEqual(remind('2026-05-18'), ['final_plan:7-days']);
    c.add('decided_to_issue', '2026-04-01');
    c.add('draft_issued', '2026-04-20');
    assert.deepEqual(remind('2026-05-18'), ['final_plan:7-days']);
  });
});

// ---- properties over random valid cases ----

const ADVISERS = ['Educational psychologist', 'Paediatrician', 'Social worker'];
const ANY_TIME: readonly CaseStepKind[] = ['exception_recorded', 'lead_worker_changed', 'case_closed'];

/** Builds a valid case from random choices: each choice picks an allowed step and its details. */
function randomCase(caseType: CaseType, requestDate: string, choices: readonly { pick: number; gap: number; extra: number }[]): { facts: CaseFacts; steps: CaseStep[] } {
  const facts: CaseFacts = { caseType, requestDate, dateOfBirth: '2020-01-01', phaseTransferYear: choices.length % 2 === 0 ? Number(requestDate.slice(0, 4)) + 2 : null };
  const today = '2040-01-01';
  const steps: CaseStep[] = [];
  const push = (kind: CaseStepKind, occurredOn: string, details: Record<string, unknown>): void => {
    const result = checkStep(facts, steps, { kind, occurredOn, details }, today);
    if (!result.ok) return;
    steps.push({ id: `00000000-0000-4000-8000-${String(steps.length + 1).padStart(12, '0')}`, kind, occurredOn, details: result.details, recordedAt: `2030-01-01T00:00:${String(steps.length).padStart(2, '0')}Z` });
  };
  push('request_received', requestDate, {});
  let date = requestDate;
  for (const { pick, gap, extra } of choices) {
    const allowed = allowedNextSteps(facts, steps);
    if (allowed.length === 0) break;
    // Mostly move the pathway on; now and then record one of the steps open at any time.
    const onward = allowed.filter((k) => !ANY_TIME.includes(k));
    const from = pick < 16 && onward.length > 0 ? onward : allowed;
    const kind = from[pick % from.length] as CaseStepKind;
    if ((kind === 'case_closed' || kind === 'decided_not_to_assess' || kind === 'decided_not_to_issue') && extra % 10 !== 0) continue;
    date = addDays(date, gap);
    const pending = steps.filter((s) => s.kind === 'advice_requested' && !steps.some((r) => r.details['adviceRequestId'] === s.id));
    const details: Record<string, unknown> = {
      reasons: 'Reasons',
      appealInformationGiven: true,
      adviceFrom: ADVISERS[extra % ADVISERS.length],
      adviceRequestId: pending[extra % Math.max(1, pending.length)]?.id ?? '',
      reason: 'setting_closed',
      fromDate: addDays(requestDate, extra),
      toDate: addDays(requestDate, extra + gap),
      meetingOn: addDays(date, 14 + extra),
      decision: (['maintain', 'amend', 'cease'] as const)[extra % 3],
      proposedAmendments: 'Changes',
      toAccountId: '00000000-0000-4000-8000-00000000abcd',
    };
    push(kind, kind === 'advice_received' ? laterDate(date, pending) : date, details);
  }
  return { facts, steps };
}

function laterDate(date: string, pending: readonly CaseStep[]): string {
  return pending.reduce((latest, s) => (compareDates(s.occurredOn, latest) > 0 ? s.occurredOn : latest), date);
}

const caseArb = fc
  .record({
    caseType: fc.constantFrom<CaseType>('ehc', 'ehc', 'ehc', 'ehc', 'ehc', 'social_care_child', 'social_care_adult', 'continuing_care'),
    requestDate: fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2029-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    choices: fc.array(fc.record({ pick: fc.nat(20), gap: fc.integer({ min: 0, max: 60 }), extra: fc.nat(40) }), { minLength: 10, maxLength: 50 }),
  })
  .map(({ caseType, requestDate, choices }) => randomCase(caseType, requestDate, choices));

const identity = (d: Deadline) => `${d.kind}|${d.label}|${d.startedOn}|${d.dueOn}`;

describe('statutory deadline properties', () => {
  it('never puts a deadline before the day its clock started', () => {
    fc.assert(
      fc.property(caseArb, ({ facts, steps }) => {
        for (const d of deadlinesOf(facts, steps, '2030-06-01')) {
          assert.ok(compareDates(d.dueOn, d.startedOn) >= 0, `${identity(d)} is due before it starts`);
          if (d.metOn !== null) assert.ok(compareDates(d.metOn, d.startedOn) >= 0, `${identity(d)} met before it starts`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never makes a deadline already met unmet when another step is recorded', () => {
    fc.assert(
      fc.property(caseArb, ({ facts, steps }) => {
        for (let n = 1; n < steps.length; n += 1) {
          const before = deadlinesOf(facts, steps.slice(0, n), '2030-06-01');
          const after = deadlinesOf(facts, steps.slice(0, n + 1), '2030-06-01');
          // Two clocks can share kind, label and dates (two reviews on one day): match each met one by the step that met it.
          const metAfter = new Set(after.filter((d) => d.metOn !== null).map((d) => `${identity(d)}|${d.metOn}|${d.metByStepId}`));
          for (const d of before) {
            if (d.metOn === null) continue;
            assert.ok(metAfter.has(`${identity(d)}|${d.metOn}|${d.metByStepId}`), `${identity(d)} no longer met after ${steps[n]?.kind}`);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('lists the deadlines by due date, and a closed case has none unmet', () => {
    fc.assert(
      fc.property(caseArb, ({ facts, steps }) => {
        const deadlines = deadlinesOf(facts, steps, '2030-06-01');
        for (let i = 1; i < deadlines.length; i += 1) assert.ok(compareDates((deadlines[i - 1] as Deadline).dueOn, (deadlines[i] as Deadline).dueOn) <= 0);
        if (allowedNextSteps(facts, steps).length === 0) assert.equal(nextDeadline(deadlines), null);
      }),
      { numRuns: 200 },
    );
  });
});
