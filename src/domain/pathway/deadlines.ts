/**
 * The statutory clocks of a case, worked out from its steps (decision 0013).
 *
 * The regulations count calendar days from the date of the request: "within 6 weeks" is on or
 * before request + 42 days, the 16-week draft is request + 112 days, the 20-week final plan
 * request + 140 days. Deadlines are never stored as the truth: they are recomputed from the steps.
 */
import { addDays, addMonths, addWeeks, compareDates, daysBetween, earlierOf } from './dates.ts';
import type { CaseFacts, CaseStep } from './steps.ts';
import { caseStage, orderedSteps } from './steps.ts';

export type DeadlineKind =
  | 'decide_whether_to_assess'
  | 'advice'
  | 'draft_plan'
  | 'final_plan'
  | 'annual_review'
  | 'review_papers'
  | 'review_report'
  | 'review_decision'
  | 'amended_plan'
  | 'first_plan_review'
  | 'plan_review'
  | 'direct_payment_review';

export type DeadlineState = 'met_on_time' | 'met_late' | 'overdue' | 'due_soon' | 'on_track';

export interface Deadline {
  readonly kind: DeadlineKind;
  /** Plain English, e.g. 'Final EHC plan' or 'Advice from Educational psychologist'. */
  readonly label: string;
  readonly dueOn: string;
  /** The date the clock for it started. */
  readonly startedOn: string;
  readonly metOn: string | null;
  readonly metByStepId: string | null;
  /** due_soon: not met and due in 7 days or fewer, today included. */
  readonly state: DeadlineState;
  /** A reg 10(4) exception was recorded whose dates overlap the clock. */
  readonly exceptionApplies: boolean;
}

export const DEADLINE_LABELS: Readonly<Record<DeadlineKind, string>> = {
  decide_whether_to_assess: 'Decision whether to assess',
  advice: 'Advice',
  draft_plan: 'Draft EHC plan',
  final_plan: 'Final EHC plan',
  annual_review: 'Annual review meeting',
  review_papers: 'Review papers sent',
  review_report: 'Review report sent',
  review_decision: 'Review decision',
  amended_plan: 'Amended EHC plan',
  first_plan_review: 'First review of the plan',
  plan_review: 'Review of the plan',
  direct_payment_review: 'Direct payment review',
};

/** Days before a due date from which a deadline is 'due soon': the 7 days ending on the due date, as the caseload counts them. */
export const DUE_SOON_DAYS = 6;

interface Clock {
  kind: DeadlineKind;
  label: string;
  startedOn: string;
  dueOn: string;
  met: CaseStep | null;
  /** When it becomes due soon, if earlier than DUE_SOON_DAYS before dueOn (first plan review: week 6). */
  dueSoonFrom?: string;
}

function firstAfter(ordered: readonly CaseStep[], index: number, match: (s: CaseStep) => boolean): CaseStep | null {
  for (let i = index + 1; i < ordered.length; i += 1) {
    const step = ordered[i];
    if (step && match(step)) return step;
  }
  return null;
}

function ageInYearsOn(dateOfBirth: string, on: string): number {
  let years = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  if (on.slice(5) < dateOfBirth.slice(5)) years -= 1;
  return years;
}

/** Every clock of the case that has started, met or not, before the closed-case rule is applied. */
function clocksOf(facts: CaseFacts, steps: readonly CaseStep[]): Clock[] {
  const ordered = orderedSteps(steps);
  const clocks: Clock[] = [];
  const request = facts.requestDate;
  const find = (kind: CaseStep['kind']): CaseStep | null => ordered.find((s) => s.kind === kind) ?? null;

  if (facts.caseType === 'ehc') {
    clocks.push({
      kind: 'decide_whether_to_assess',
      label: DEADLINE_LABELS.decide_whether_to_assess,
      startedOn: request,
      dueOn: addWeeks(request, 6),
      met: ordered.find((s) => s.kind === 'decided_to_assess' || s.kind === 'decided_not_to_assess') ?? null,
    });
    ordered.forEach((step, index) => {
      if (step.kind !== 'advice_requested') return;
      const from = typeof step.details['adviceFrom'] === 'string' ? step.details['adviceFrom'] : '';
      clocks.push({
        kind: 'advice',
        label: from ? `Advice from ${from}` : DEADLINE_LABELS.advice,
        startedOn: step.occurredOn,
        dueOn: addWeeks(step.occurredOn, 6),
        met: firstAfter(ordered, index, (s) => s.kind === 'advice_received' && s.details['adviceRequestId'] === step.id),
      });
    });
    const assessed = find('decided_to_assess');
    const notIssuing = find('decided_not_to_issue');
    if (assessed && !notIssuing) {
      clocks.push({
        kind: 'draft_plan',
        label: DEADLINE_LABELS.draft_plan,
        startedOn: request,
        dueOn: addWeeks(request, 16),
        met: find('draft_issued'),
      });
      clocks.push({
        kind: 'final_plan',
        label: DEADLINE_LABELS.final_plan,
        startedOn: request,
        dueOn: addWeeks(request, 20),
        met: find('final_issued'),
      });
    }
    const final = find('final_issued');
    if (final) {
      ordered.forEach((step, index) => {
        if (step !== final && step.kind !== 'review_meeting_held') return;
        if (step.kind === 'review_meeting_held' && compareDates(step.occurredOn, final.occurredOn) < 0) return;
        const underFive = ageInYearsOn(facts.dateOfBirth, step.occurredOn) < 5;
        clocks.push({
          kind: 'annual_review',
          label: DEADLINE_LABELS.annual_review,
          startedOn: step.occurredOn,
          dueOn: addMonths(step.occurredOn, underFive ? 6 : 12),
          met: firstAfter(ordered, index, (s) => s.kind === 'review_meeting_held'),
        });
      });
    }
    ordered.forEach((step, index) => {
      if (step.kind === 'review_meeting_planned' && typeof step.details['meetingOn'] === 'string') {
        clocks.push({
          kind: 'review_papers',
          label: DEADLINE_LABELS.review_papers,
          startedOn: step.occurredOn,
          dueOn: addDays(step.details['meetingOn'], -14),
          met: firstAfter(ordered, index, (s) => s.kind === 'review_papers_sent'),
        });
      } else if (step.kind === 'review_meeting_held') {
        clocks.push({
          kind: 'review_report',
          label: DEADLINE_LABELS.review_report,
          startedOn: step.occurredOn,
          dueOn: addDays(step.occurredOn, 14),
          met: firstAfter(ordered, index, (s) => s.kind === 'review_report_sent'),
        });
        clocks.push({
          kind: 'review_decision',
          label: DEADLINE_LABELS.review_decision,
          startedOn: step.occurredOn,
          dueOn: addWeeks(step.occurredOn, 4),
          met: firstAfter(ordered, index, (s) => s.kind === 'review_decision'),
        });
      } else if (step.kind === 'review_decision' && step.details['decision'] === 'amend') {
        let due = addWeeks(step.occurredOn, 8);
        if (facts.phaseTransferYear !== null) {
          const transfer = `${String(facts.phaseTransferYear).padStart(4, '0')}-02-15`;
          if (compareDates(step.occurredOn, transfer) < 0) due = earlierOf(due, transfer);
        }
        clocks.push({
          kind: 'amended_plan',
          label: DEADLINE_LABELS.amended_plan,
          startedOn: step.occurredOn,
          dueOn: due,
          met: firstAfter(ordered, index, (s) => s.kind === 'amended_plan_issued'),
        });
      }
    });
  } else {
    const agreedIndex = ordered.findIndex((s) => s.kind === 'plan_agreed');
    const agreed = ordered[agreedIndex];
    if (agreed) {
      clocks.push({
        kind: 'first_plan_review',
        label: DEADLINE_LABELS.first_plan_review,
        startedOn: agreed.occurredOn,
        dueOn: addWeeks(agreed.occurredOn, 8),
        dueSoonFrom: addWeeks(agreed.occurredOn, 6),
        met: firstAfter(ordered, agreedIndex, (s) => s.kind === 'plan_reviewed'),
      });
      ordered.forEach((step, index) => {
        if (step.kind !== 'plan_reviewed' || index < agreedIndex) return;
        clocks.push({
          kind: 'plan_review',
          label: DEADLINE_LABELS.plan_review,
          startedOn: step.occurredOn,
          dueOn: addMonths(step.occurredOn, 12),
          met: firstAfter(ordered, index, (s) => s.kind === 'plan_reviewed'),
        });
      });
    }
  }

  ordered.forEach((step, index) => {
    const first = step.kind === 'direct_payment_started';
    if (!first && step.kind !== 'direct_payment_reviewed') return;
    const months = first ? (facts.caseType === 'ehc' || facts.caseType === 'continuing_care' ? 3 : 6) : 12;
    clocks.push({
      kind: 'direct_payment_review',
      label: DEADLINE_LABELS.direct_payment_review,
      startedOn: step.occurredOn,
      dueOn: addMonths(step.occurredOn, months),
      met: firstAfter(ordered, index, (s) => s.kind === 'direct_payment_reviewed'),
    });
  });

  const closed = caseStage(facts, steps) === 'closed';
  return closed ? clocks.filter((c) => c.met !== null) : clocks;
}

interface Period {
  from: string;
  to: string;
}

function exceptionPeriods(steps: readonly CaseStep[]): Period[] {
  const periods: Period[] = [];
  for (const step of steps) {
    if (step.kind !== 'exception_recorded') continue;
    const from = step.details['fromDate'];
    const to = step.details['toDate'];
    if (typeof from === 'string' && typeof to === 'string') periods.push({ from, to });
  }
  return periods;
}

/** The clock runs from startedOn to the day it was met, or to its due date if met late or not at all. */
function exceptionApplies(clock: Clock, periods: readonly Period[]): boolean {
  const end = clock.met ? earlierOf(clock.met.occurredOn, clock.dueOn) : clock.dueOn;
  return periods.some((p) => compareDates(p.from, end) <= 0 && compareDates(p.to, clock.startedOn) >= 0);
}

function stateOf(clock: Clock, today: string): DeadlineState {
  if (clock.met) return compareDates(clock.met.occurredOn, clock.dueOn) <= 0 ? 'met_on_time' : 'met_late';
  if (compareDates(today, clock.dueOn) > 0) return 'overdue';
  if (daysBetween(today, clock.dueOn) <= DUE_SOON_DAYS) return 'due_soon';
  if (clock.dueSoonFrom && compareDates(today, clock.dueSoonFrom) >= 0) return 'due_soon';
  return 'on_track';
}

/** Every deadline of the case that has started, met or not, ordered by due date. */
export function deadlinesOf(facts: CaseFacts, steps: readonly CaseStep[], today: string): Deadline[] {
  const periods = exceptionPeriods(steps);
  return clocksOf(facts, steps)
    .map(
      (clock): Deadline => ({
        kind: clock.kind,
        label: clock.label,
        dueOn: clock.dueOn,
        startedOn: clock.startedOn,
        metOn: clock.met?.occurredOn ?? null,
        metByStepId: clock.met?.id ?? null,
        state: stateOf(clock, today),
        exceptionApplies: exceptionApplies(clock, periods),
      }),
    )
    .sort((a, b) => compareDates(a.dueOn, b.dueOn) || compareDates(a.startedOn, b.startedOn));
}

/** The earliest deadline not yet met. */
export function nextDeadline(deadlines: readonly Deadline[]): Deadline | null {
  let next: Deadline | null = null;
  for (const deadline of deadlines) {
    if (deadline.metOn !== null) continue;
    if (next === null || compareDates(deadline.dueOn, next.dueOn) < 0) next = deadline;
  }
  return next;
}

/**
 * Whether the final EHC plan was issued within 20 weeks of the request, and whether a reg 10(4)
 * exception overlaps that clock — for the report "on time, with and without exceptions".
 */
export function timeliness(
  facts: CaseFacts,
  steps: readonly CaseStep[],
): { finalPlan: 'on_time' | 'late' | 'not_issued'; withException: boolean } {
  const periods = exceptionPeriods(steps);
  const due = addWeeks(facts.requestDate, 20);
  const final = orderedSteps(steps).find((s) => s.kind === 'final_issued') ?? null;
  const clock: Clock = { kind: 'final_plan', label: DEADLINE_LABELS.final_plan, startedOn: facts.requestDate, dueOn: due, met: final };
  return {
    finalPlan: final === null ? 'not_issued' : compareDates(final.occurredOn, due) <= 0 ? 'on_time' : 'late',
    withException: exceptionApplies(clock, periods),
  };
}
