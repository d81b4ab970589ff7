/**
 * Demo cases: one case for every demo person who has a lead worker, with the steps of its
 * statutory pathway so far, dated from the person's request date and the day their current stage
 * began. Every step passes the pathway's own checks in turn (a test replays them), and the case row
 * keeps the stage and next deadline the domain works out — so the caseload shows cases overdue, due
 * this week and on track, some with reg 10(4) exceptions, across both clocks.
 *
 * People whose request is not yet allocated to a worker have no case yet: opening one names its
 * lead worker.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { CasesTable, CaseStepKind, CaseStepsTable, JourneyStage } from '../db/schema.ts';
import { addDays, addMonths, compareDates, daysBetween, earlierOf } from '../domain/pathway/dates.ts';
import { caseStage, type CaseFacts, type CaseStep } from '../domain/pathway/steps.ts';
import { deadlinesOf, nextDeadline } from '../domain/pathway/deadlines.ts';
import type { GeneratedCouncil } from './generate.ts';
import { seeded, seedOf } from './random.ts';

export type CaseRow = Insertable<CasesTable>;
export type CaseStepRow = Insertable<CaseStepsTable>;

export interface GeneratedCases {
  readonly cases: CaseRow[];
  readonly steps: CaseStepRow[];
  /** The steps of each case in order, as the domain sees them (for tests). */
  readonly stepsByCase: ReadonlyMap<string, { facts: CaseFacts; steps: CaseStep[] }>;
}

const ADVISERS = ['Educational psychologist', 'Community paediatrician', "Children's social care", 'Speech and language therapist', 'The school SENCO'];


export function generateCases(generated: GeneratedCouncil, slug: string, today: string): GeneratedCases {
  const rand = seeded(seedOf(`cases:${slug}`));
  const int = (low: number, high: number) => low + Math.floor(rand() * (high - low + 1));
  const chance = (p: number) => rand() < p;
  const cases: CaseRow[] = [];
  const steps: CaseStepRow[] = [];
  const stepsByCase = new Map<string, { facts: CaseFacts; steps: CaseStep[] }>();
  const directPayment = new Set(generated.budgetLines.filter((l) => l.management === 'direct_payment').map((l) => l.person_id));

  for (const person of generated.people) {
    if (person.lead_worker_id === null) continue;
    const caseId = randomUUID();
    const facts: CaseFacts = {
      caseType: person.case_type,
      requestDate: person.request_date,
      dateOfBirth: person.date_of_birth,
      phaseTransferYear: null,
    };
    const list: CaseStep[] = [];
    /** Adds a step on `on`, never after today; returns its id. */
    const add = (kind: CaseStepKind, on: string, details: Record<string, unknown> = {}): string => {
      const id = randomUUID();
      const occurredOn = earlierOf(on, today);
      list.push({ id, kind, occurredOn, details, recordedAt: `${occurredOn}T10:00:00.000Z` });
      return id;
    };
    const past = (date: string) => compareDates(date, today) <= 0;
    const request = person.request_date;
    const since = person.stage_since;
    add('request_received', request);
    if (person.case_type === 'ehc') ehcSteps(person.stage, request, since);
    else socialCareSteps(person.stage, since);

    function ehcSteps(stage: JourneyStage, requestDate: string, stageSince: string): void {
      if (stage === 'request') return;
      // Decided to assess: the stage began then for 'assessment'; later stages decided within about 6 weeks.
      const decided = stage === 'assessment' ? stageSince : earlierOf(addDays(requestDate, int(24, 46)), stageSince);
      add('decided_to_assess', decided);
      const adviceFrom = [...ADVISERS].sort(() => rand() - 0.5).slice(0, int(2, 3));
      const requests = adviceFrom.map((from) => ({ id: add('advice_requested', addDays(decided, int(0, 3)), { adviceFrom: from }), on: decided }));
      if (stage !== 'assessment' && chance(0.08)) {
        // A family away for a month: the time limits do not apply while it lasts (reg 10(4)).
        const from = addDays(decided, int(7, 20));
        add('exception_recorded', from, { reason: chance(0.5) ? 'family_absent' : 'exceptional_personal_circumstances', fromDate: from, toDate: addDays(from, int(28, 40)), note: '' });
      }
      for (const r of requests) {
        const on = addDays(r.on, int(25, 50));
        if (stage === 'assessment' ? past(on) && chance(0.5) : true) add('advice_received', laterThan(on, r.on), { adviceRequestId: r.id });
      }
      if (stage === 'assessment') {
        if (chance(0.1)) add('exception_recorded', addDays(decided, 5), { reason: 'setting_closed', fromDate: addDays(decided, 5), toDate: addDays(decided, 40), note: 'School closed for rebuilding work.' });
        return;
      }
      const lastAdvice = list.filter((s) => s.kind === 'advice_received').reduce((d, s) => (compareDates(s.occurredOn, d) > 0 ? s.occurredOn : d), decided);
      const toIssue = stage === 'allocation' || stage === 'planning' ? laterThan(stageSince, lastAdvice) : laterThan(addDays(lastAdvice, int(1, 10)), lastAdvice);
      add('decided_to_issue', toIssue);
      if (stage === 'allocation' || stage === 'planning') return;
      const draft = stage === 'approval' ? laterThan(stageSince, toIssue) : laterThan(addDays(requestDate, int(95, 118)), toIssue);
      add('draft_issued', draft);
      if (stage === 'approval') {
        if (chance(0.6) && past(addDays(draft, 8))) add('family_responded', addDays(draft, int(5, 8)), { comments: 'We would like more support at lunchtimes.', preferredSetting: '', personalBudgetRequested: chance(0.5) });
        return;
      }
      add('family_responded', addDays(draft, int(6, 14)), { comments: '', preferredSetting: '', personalBudgetRequested: chance(0.6) });
      const final = laterThan(stage === 'agreed' ? stageSince : addDays(requestDate, int(130, 150)), addDays(draft, 15));
      add('final_issued', final);
      if (directPayment.has(person.id)) directPaymentSteps(addDays(final, int(10, 30)), 3);
      // Yearly reviews, held on time, up to the one now due.
      let lastPlan = final;
      for (;;) {
        const meeting = addMonths(lastPlan, 12);
        const reviewing = stage === 'review' && daysBetween(today, meeting) < 60;
        if (!reviewing && daysBetween(meeting, today) < 30) break;
        if (!reviewing && !past(addDays(meeting, 21))) break;
        const planned = addDays(meeting, -int(35, 50));
        if (!past(planned)) break;
        add('review_meeting_planned', planned, { meetingOn: meeting });
        if (past(addDays(meeting, -14))) add('review_papers_sent', addDays(meeting, -int(14, 18)));
        if (!past(meeting)) break;
        add('review_meeting_held', meeting);
        if (!past(addDays(meeting, 10))) break;
        add('review_report_sent', addDays(meeting, int(7, 13)));
        if (!past(addDays(meeting, 24))) break;
        const amend = stage === 'review' && chance(0.5);
        const decision = addDays(meeting, int(18, 26));
        add('review_decision', decision, amend ? { decision: 'amend', proposedAmendments: 'More speech and language therapy; a change of setting at the next phase.' } : { decision: 'maintain' });
        if (amend) {
          const amended = addDays(decision, int(30, 70));
          if (past(amended) && chance(0.5)) add('amended_plan_issued', amended);
          break;
        }
        lastPlan = meeting;
        if (stage === 'review') break;
      }
    }

    /** Direct payments reviewed on time, mostly: the first within `months`, then yearly. */
    function directPaymentSteps(started: string, months: number): void {
      if (!past(started)) return;
      add('direct_payment_started', started);
      let review = addDays(addMonths(started, months), -int(3, 20));
      while (past(review) && chance(0.93)) {
        add('direct_payment_reviewed', review);
        review = addDays(addMonths(review, 12), -int(3, 20));
      }
    }

    function socialCareSteps(stage: JourneyStage, stageSince: string): void {
      if (stage !== 'agreed' && stage !== 'review') return;
      const agreed = stage === 'agreed' ? stageSince : laterThan(addMonths(today, -12 + int(-1, 1)), request);
      add('plan_agreed', agreed);
      if (directPayment.has(person.id)) directPaymentSteps(addDays(agreed, int(7, 21)), person.case_type === 'continuing_care' ? 3 : 6);
      // The first review at 6–8 weeks, then yearly.
      const first = addDays(agreed, int(42, 56));
      if (past(first)) {
        add('plan_reviewed', first);
        let last = first;
        for (;;) {
          const next = addMonths(last, 12);
          if (!past(addDays(next, 20)) || (stage === 'review' && daysBetween(next, today) < 60)) break;
          add('plan_reviewed', next);
          last = next;
        }
      }
    }

    const ordered = [...list].sort((a, b) => compareDates(a.occurredOn, b.occurredOn) || order(a.kind) - order(b.kind));
    const deadlines = deadlinesOf(facts, ordered, today);
    const next = nextDeadline(deadlines);
    const stage = caseStage(facts, ordered);
    const createdAt = new Date(`${request}T09:00:00.000Z`);
    cases.push({
      id: caseId,
      council_id: person.council_id,
      person_id: person.id,
      case_type: person.case_type,
      lead_worker_id: person.lead_worker_id,
      status: stage === 'closed' ? 'closed' : 'open',
      stage,
      request_date: request,
      phase_transfer_year: null,
      next_due_on: next?.dueOn ?? null,
      next_due_kind: next?.kind ?? null,
      has_exception: ordered.some((s) => s.kind === 'exception_recorded'),
      closed_on: null,
      closed_reason: null,
      created_at: createdAt,
      updated_at: new Date(`${ordered.at(-1)?.occurredOn ?? request}T10:00:00.000Z`),
    });
    for (const s of ordered) {
      steps.push({
        id: s.id,
        council_id: person.council_id,
        case_id: caseId,
        kind: s.kind,
        occurred_on: s.occurredOn,
        details: JSON.stringify(s.details),
        recorded_by: person.lead_worker_id,
        recorded_at: new Date(s.recordedAt),
      });
    }
    stepsByCase.set(caseId, { facts, steps: ordered });
  }
  return { cases, steps, stepsByCase };

  /** `date`, or the day after `after` when `date` is not later than it (steps of one day keep their order). */
  function laterThan(date: string, after: string): string {
    return compareDates(date, after) > 0 ? date : addDays(after, 1);
  }
}

/** The order of kinds recorded on the same day. */
const KIND_ORDER: readonly CaseStepKind[] = [
  'request_received',
  'decided_to_assess',
  'advice_requested',
  'exception_recorded',
  'advice_received',
  'decided_to_issue',
  'draft_issued',
  'family_responded',
  'final_issued',
  'plan_agreed',
  'direct_payment_started',
  'direct_payment_reviewed',
  'review_meeting_planned',
  'review_papers_sent',
  'review_meeting_held',
  'review_report_sent',
  'review_decision',
  'amended_plan_issued',
  'plan_reviewed',
];
function order(kind: CaseStepKind): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}
