/**
 * The steps of a case (src/domain/pathway/steps.ts): what may be recorded next, the details each
 * step needs, and every out-of-order step refused with a message naming what is wrong.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  STEP_KINDS,
  STEP_LABELS,
  CASE_STAGE_LABELS,
  allowedNextSteps,
  caseStage,
  checkStep,
  stepLabelFor,
  type CaseFacts,
  type CaseStep,
  type CaseStepKind,
} from '../../src/domain/pathway/steps.ts';
import { familyMessageFor } from '../../src/domain/pathway/reminders.ts';

const TODAY = '2026-12-03';
const EHC: CaseFacts = { caseType: 'ehc', requestDate: '2026-01-05', dateOfBirth: '2015-06-01', phaseTransferYear: null };
const SOCIAL: CaseFacts = { caseType: 'social_care_adult', requestDate: '2026-01-05', dateOfBirth: '1980-06-01', phaseTransferYear: null };

/** A case built through checkStep, as the service records it; fails the test on a refused step. */
class Case {
  readonly steps: CaseStep[] = [];
  constructor(
    readonly facts: CaseFacts,
    readonly today = TODAY,
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
      recordedAt: `2026-12-01T10:00:${String(this.steps.length).padStart(2, '0')}.000Z`,
    };
    this.steps.push(step);
    return step;
  }
  check(kind: CaseStepKind, occurredOn: string, details: Record<string, unknown> = {}) {
    return checkStep(this.facts, this.steps, { kind, occurredOn, details }, this.today);
  }
  get stage() {
    return caseStage(this.facts, this.steps);
  }
  get next() {
    return allowedNextSteps(this.facts, this.steps);
  }
}

function refused(result: ReturnType<Case['check']>, path: string, message: string | RegExp): void {
  assert.equal(result.ok, false, 'expected the step to be refused');
  if (result.ok) return;
  const found = result.errors.find((e) => e.path === path);
  assert.ok(found, `no error at ${path}: ${JSON.stringify(result.errors)}`);
  if (typeof message === 'string') assert.equal(found.message, message);
  else assert.match(found.message, message);
}

const APPEAL = { reasons: 'Needs can be met from the school’s own resources.', appealInformationGiven: true };

function issuedCase(today = TODAY): Case {
  const c = new Case(EHC, today);
  c.add('decided_to_assess', '2026-02-10');
  c.add('decided_to_issue', '2026-04-01');
  c.add('draft_issued', '2026-04-20');
  c.add('final_issued', '2026-05-20');
  return c;
}

describe('pathway steps', () => {
  it('has a plain-English label for every kind of step and every stage', () => {
    for (const kind of STEP_KINDS) assert.ok(STEP_LABELS[kind].length > 3, kind);
    assert.equal(new Set(STEP_KINDS).size, 23);
    assert.equal(CASE_STAGE_LABELS.request, 'Deciding whether to assess');
    assert.equal(CASE_STAGE_LABELS.closed, 'Closed');
    assert.equal(stepLabelFor('ehc', 'request_received'), 'Request for an EHC needs assessment received');
    assert.equal(stepLabelFor('social_care_adult', 'request_received'), 'Request for an assessment of needs received');
    assert.equal(stepLabelFor('continuing_care', 'plan_agreed'), 'Care and support plan agreed');
  });

  it('offers the EHC steps in the order a worker expects, stage by stage', () => {
    const c = new Case(EHC);
    assert.equal(c.stage, 'request');
    assert.deepEqual(c.next, ['decided_to_assess', 'decided_not_to_assess', 'exception_recorded', 'lead_worker_changed', 'case_closed']);
    c.add('decided_to_assess', '2026-02-10');
    assert.equal(c.stage, 'assessing');
    assert.deepEqual(c.next.slice(0, 3), ['advice_requested', 'decided_to_issue', 'decided_not_to_issue']);
    const ep = c.add('advice_requested', '2026-02-11', { adviceFrom: '  Educational psychologist ' });
    assert.equal(ep.details['adviceFrom'], 'Educational psychologist');
    assert.deepEqual(c.next.slice(0, 4), ['advice_requested', 'advice_received', 'decided_to_issue', 'decided_not_to_issue']);
    c.add('advice_received', '2026-03-10', { adviceRequestId: ep.id });
    assert.equal(c.next.includes('advice_received'), false);
    c.add('decided_to_issue', '2026-04-01');
    assert.equal(c.stage, 'drafting');
    assert.equal(c.next[0], 'draft_issued');
    c.add('draft_issued', '2026-04-20');
    assert.equal(c.stage, 'draft_issued');
    assert.deepEqual(c.next.slice(0, 2), ['family_responded', 'final_issued']);
    c.add('family_responded', '2026-04-25', { comments: 'We would like Oak Park School.', preferredSetting: 'Oak Park School', personalBudgetRequested: 'yes' });
    c.add('final_issued', '2026-04-28');
    assert.equal(c.stage, 'plan_in_place');
    assert.deepEqual(c.next, ['review_meeting_planned', 'direct_payment_started', 'exception_recorded', 'lead_worker_changed', 'case_closed']);
  });

  it('walks the annual review cycle: maintain goes back to waiting, amend waits for the amended plan, cease closes', () => {
    const c = issuedCase('2030-01-01');
    c.add('review_meeting_planned', '2027-03-01', { meetingOn: '2027-04-01' });
    assert.equal(c.stage, 'reviewing');
    assert.equal(c.next[0], 'review_papers_sent');
    c.add('review_papers_sent', '2027-03-15');
    assert.equal(c.next[0], 'review_meeting_held');
    c.add('review_meeting_held', '2027-04-01');
    assert.equal(c.next[0], 'review_report_sent');
    c.add('review_report_sent', '2027-04-10');
    assert.equal(c.next[0], 'review_decision');
    refused(c.check('review_decision', '2027-04-20', { decision: 'amend' }), 'details.proposedAmendments', 'Enter the proposed amendments');
    c.add('review_decision', '2027-04-20', { decision: 'amend', proposedAmendments: 'Add speech and language therapy.' });
    assert.equal(c.stage, 'reviewing');
    assert.equal(c.next[0], 'amended_plan_issued');
    c.add('amended_plan_issued', '2027-05-20');
    assert.equal(c.stage, 'plan_in_place');
    c.add('review_meeting_planned', '2028-03-01', { meetingOn: '2028-04-01' });
    c.add('review_papers_sent', '2028-03-15');
    c.add('review_meeting_held', '2028-04-01');
    c.add('review_report_sent', '2028-04-10');
    const maintain = c.check('review_decision', '2028-04-20', { decision: 'maintain', proposedAmendments: 'ignored' });
    assert.deepEqual(maintain, { ok: true, details: { decision: 'maintain' } });
    c.add('review_decision', '2028-04-20', { decision: 'maintain' });
    assert.equal(c.stage, 'plan_in_place');
    assert.equal(c.next[0], 'review_meeting_planned');
    c.add('review_meeting_planned', '2029-03-01', { meetingOn: '2029-04-01' });
    c.add('review_papers_sent', '2029-03-15');
    c.add('review_meeting_held', '2029-04-01');
    c.add('review_report_sent', '2029-04-10');
    c.add('review_decision', '2029-04-20', { decision: 'cease' });
    assert.equal(c.stage, 'closed');
    assert.deepEqual(c.next, []);
  });

  it('refuses a final plan before the draft plan', () => {
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    c.add('decided_to_issue', '2026-04-01');
    refused(c.check('final_issued', '2026-04-10'), 'kind', 'The final plan cannot be issued before the draft plan');
  });

  it('refuses a draft plan before the decision to issue one', () => {
    const c = new Case(EHC);
    refused(c.check('draft_issued', '2026-02-01'), 'kind', 'The draft plan cannot be issued before the decision to issue a plan');
    c.add('decided_to_assess', '2026-02-10');
    refused(c.check('draft_issued', '2026-03-01'), 'kind', 'The draft plan cannot be issued before the decision to issue a plan');
  });

  it('refuses advice received without a request for it, or for another case’s request, or twice', () => {
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    refused(c.check('advice_received', '2026-03-01', { adviceRequestId: '00000000-0000-4000-8000-000000000999' }), 'kind', 'Advice cannot be received before it has been requested');
    const ep = c.add('advice_requested', '2026-02-11', { adviceFrom: 'Educational psychologist' });
    refused(c.check('advice_received', '2026-03-01', { adviceRequestId: '00000000-0000-4000-8000-000000000999' }), 'details.adviceRequestId', 'Select advice that was requested and has not yet been received');
    refused(c.check('advice_received', '2026-03-01', {}), 'details.adviceRequestId', 'Select which advice was received');
    c.add('advice_received', '2026-03-01', { adviceRequestId: ep.id });
    refused(c.check('advice_received', '2026-03-02', { adviceRequestId: ep.id }), 'kind', 'Advice cannot be received before it has been requested');
  });

  it('refuses advice received before the day it was requested, but takes advice recorded after a later step', () => {
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    const ep = c.add('advice_requested', '2026-02-11', { adviceFrom: 'Educational psychologist' });
    refused(c.check('advice_received', '2026-02-10', { adviceRequestId: ep.id }), 'occurredOn', 'Advice cannot be received before it was requested, on 11 February 2026');
    c.add('decided_to_issue', '2026-04-01');
    assert.equal(c.check('advice_received', '2026-03-20', { adviceRequestId: ep.id }).ok, true);
  });

  it('refuses a step dated before the request date', () => {
    const c = new Case(EHC);
    refused(c.check('decided_to_assess', '2026-01-04'), 'occurredOn', 'The date it happened must be on or after the request date, 5 January 2026');
  });

  it('refuses a step dated in the future, but takes one dated today', () => {
    const c = new Case(EHC);
    refused(c.check('decided_to_assess', '2026-12-04'), 'occurredOn', 'The date it happened must be today or in the past');
    assert.equal(c.check('decided_to_assess', TODAY).ok, true);
  });

  it('refuses a date that is missing or not a real date', () => {
    const c = new Case(EHC);
    refused(c.check('decided_to_assess', ''), 'occurredOn', 'Enter the date it happened');
    refused(c.check('decided_to_assess', '2026-02-30'), 'occurredOn', 'The date it happened must be a real date');
  });

  it('refuses a step dated before the last step of the pathway', () => {
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    refused(c.check('decided_to_issue', '2026-02-09'), 'occurredOn', 'The date it happened must be on or after the last step recorded, 10 February 2026');
  });

  it('refuses any step on a closed case', () => {
    const closers: [CaseStepKind, Record<string, unknown>][] = [
      ['decided_not_to_assess', APPEAL],
      ['case_closed', { reasons: 'The family moved to another council.' }],
    ];
    for (const [kind, details] of closers) {
      const c = new Case(EHC);
      c.add(kind, '2026-02-10', details);
      assert.equal(c.stage, 'closed');
      assert.deepEqual(c.next, []);
      for (const other of STEP_KINDS) {
        refused(c.check(other, '2026-03-01', { reasons: 'x', appealInformationGiven: true }), 'kind', 'This case is closed, so no more steps can be recorded');
      }
    }
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    c.add('decided_not_to_issue', '2026-04-01', APPEAL);
    assert.equal(c.stage, 'closed');
    refused(c.check('lead_worker_changed', '2026-04-02', { toAccountId: '00000000-0000-4000-8000-000000000001' }), 'kind', 'This case is closed, so no more steps can be recorded');
  });

  it('needs the reasons and confirmation the family were told of their right to appeal to end a case', () => {
    const c = new Case(EHC);
    const result = c.check('decided_not_to_assess', '2026-02-10', { reasons: '   ', appealInformationGiven: false });
    refused(result, 'details.reasons', 'Enter the reasons for the decision');
    refused(result, 'details.appealInformationGiven', 'Confirm the family have been told of their right to appeal to the tribunal and to mediation');
    refused(c.check('decided_not_to_assess', '2026-02-10', { reasons: 'x'.repeat(4001), appealInformationGiven: true }), 'details.reasons', 'The reasons for the decision must be 4000 characters or fewer');
    assert.deepEqual(c.check('decided_not_to_assess', '2026-02-10', { ...APPEAL, extra: 'dropped' }), { ok: true, details: APPEAL });
    refused(c.check('case_closed', '2026-02-10', {}), 'details.reasons', 'Enter the reasons for closing the case');
  });

  it('holds the final plan for 15 days after the draft unless the family have responded', () => {
    const c = new Case(EHC);
    c.add('decided_to_assess', '2026-02-10');
    c.add('decided_to_issue', '2026-04-01');
    c.add('draft_issued', '2026-04-20');
    refused(c.check('final_issued', '2026-05-04'), 'occurredOn', 'The final plan cannot be issued before 5 May 2026, 15 days after the draft plan, unless the family have already responded');
    assert.equal(c.check('final_issued', '2026-05-05').ok, true);
    c.add('family_responded', '2026-04-22', {});
    assert.equal(c.check('final_issued', '2026-04-23').ok, true);
  });

  it('checks a reg 10(4) exception: a known reason and a period that ends after it starts', () => {
    const c = new Case(EHC);
    refused(c.check('exception_recorded', '2026-02-01', { reason: 'holiday', fromDate: '2026-01-10', toDate: '2026-01-09' }), 'details.reason', 'Select the reason the time limit could not be met');
    refused(c.check('exception_recorded', '2026-02-01', { reason: 'family_absent', fromDate: '2026-01-10', toDate: '2026-01-09' }), 'details.toDate', 'The date the exception ended must be the same as or after the date it started');
    refused(c.check('exception_recorded', '2026-02-01', { reason: 'family_absent', fromDate: '2026-02-30', toDate: '' }), 'details.fromDate', 'The date the exception started must be a real date');
    assert.deepEqual(c.check('exception_recorded', '2026-02-01', { reason: 'setting_closed', fromDate: '2026-01-10', toDate: '2026-02-10', note: ' ' }), {
      ok: true,
      details: { reason: 'setting_closed', fromDate: '2026-01-10', toDate: '2026-02-10' },
    });
  });

  it('needs a review meeting at least 2 weeks after it is arranged, and a uuid for a new lead worker', () => {
    const c = issuedCase();
    refused(c.check('review_meeting_planned', '2026-11-01', { meetingOn: '2026-11-14' }), 'details.meetingOn', /at least 2 weeks/);
    assert.equal(c.check('review_meeting_planned', '2026-11-01', { meetingOn: '2027-01-15' }).ok, true);
    refused(c.check('lead_worker_changed', '2026-11-01', { toAccountId: 'Sam' }), 'details.toAccountId', 'Select the new lead worker');
  });

  it('keeps the steps of each pathway to its own case type', () => {
    const e = new Case(EHC);
    refused(e.check('plan_agreed', '2026-02-01'), 'kind', 'EHC cases have an EHC plan, not a care and support plan');
    refused(e.check('direct_payment_started', '2026-02-01'), 'kind', 'A direct payment cannot start before the final plan is issued');
    const s = new Case(SOCIAL);
    refused(s.check('exception_recorded', '2026-02-01', { reason: 'family_absent', fromDate: '2026-01-10', toDate: '2026-02-10' }), 'kind', 'Exceptions to the time limits apply only to EHC cases');
    refused(s.check('decided_to_assess', '2026-02-01'), 'kind', /not of this case/);
  });

  it('takes a social care case from the request to an agreed plan, its reviews and a direct payment', () => {
    const c = new Case(SOCIAL, '2027-06-01');
    assert.equal(c.stage, 'assessing');
    assert.deepEqual(c.next, ['plan_agreed', 'lead_worker_changed', 'case_closed']);
    refused(c.check('plan_reviewed', '2026-02-01'), 'kind', 'The plan cannot be reviewed before it has been agreed');
    c.add('plan_agreed', '2026-02-01');
    assert.equal(c.stage, 'plan_in_place');
    assert.deepEqual(c.next, ['plan_reviewed', 'direct_payment_started', 'lead_worker_changed', 'case_closed']);
    c.add('direct_payment_started', '2026-02-15');
    assert.deepEqual(c.next, ['plan_reviewed', 'direct_payment_reviewed', 'lead_worker_changed', 'case_closed']);
    c.add('plan_reviewed', '2026-03-20');
    c.add('plan_reviewed', '2027-03-01');
    assert.equal(c.stage, 'plan_in_place');
  });

  it('records the request first, once, on the request date', () => {
    const empty: CaseStep[] = [];
    assert.deepEqual(allowedNextSteps(EHC, empty), ['request_received']);
    refused(checkStep(EHC, empty, { kind: 'decided_to_assess', occurredOn: '2026-02-01', details: {} }, TODAY), 'kind', 'The request must be recorded first');
    refused(checkStep(EHC, empty, { kind: 'request_received', occurredOn: '2026-01-06', details: {} }, TODAY), 'occurredOn', 'The request was received on 5 January 2026');
    const c = new Case(EHC);
    refused(c.check('request_received', '2026-01-05'), 'kind', 'The request has already been recorded');
  });

  it('tells the family when the case moves on, and not of internal steps', () => {
    const draft = familyMessageFor('draft_issued');
    assert.ok(draft);
    assert.match(draft.body, /at least 15 days/);
    assert.match(draft.body, /personal budget/);
    assert.match(draft.body, /school/);
    assert.match(familyMessageFor('decided_not_to_assess')?.body ?? '', /appeal/);
    assert.equal(familyMessageFor('review_papers_sent'), null);
    assert.equal(familyMessageFor('lead_worker_changed'), null);
    assert.equal(familyMessageFor('advice_requested'), null);
  });
});

describe('pathway steps from an API body', () => {
  it('treats details that are not an object as empty, and says what is missing', () => {
    const c = new Case(EHC);
    const result = checkStep(EHC, c.steps, { kind: 'case_closed', occurredOn: '2026-02-01', details: null as unknown as Record<string, unknown> }, TODAY);
    refused(result, 'details.reasons', 'Enter the reasons for closing the case');
    refused(c.check('case_closed', 20260201 as unknown as string, { reasons: 'Moved away.' }), 'occurredOn', 'Enter the date it happened');
    refused(c.check('advice_requested' as CaseStepKind, '2026-02-01', { adviceFrom: 42 }), 'kind', 'Decide whether to assess first');
    refused(c.check('not_a_step' as CaseStepKind, '2026-02-01'), 'kind', 'Select what happened');
  });
});
