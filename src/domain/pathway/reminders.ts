/**
 * Who is told what, and when (decision 0013): the lead worker 7 days before each deadline not yet
 * met and on the day it is due; the family whenever a step moves their case to a new stage.
 */
import { daysBetween } from './dates.ts';
import type { Deadline } from './deadlines.ts';
import type { CaseStepKind } from './steps.ts';

/** Kinds that happen once in a case: their key needs no date. */
const ONCE: readonly Deadline['kind'][] = ['decide_whether_to_assess', 'draft_plan', 'final_plan', 'first_plan_review'];

/** A stable key for a deadline, the same however often it is worked out. */
export function deadlineKey(deadline: Deadline): string {
  if (ONCE.includes(deadline.kind)) return deadline.kind;
  if (deadline.kind === 'advice') return `advice:${deadline.startedOn}:${deadline.label}`;
  return `${deadline.kind}:${deadline.startedOn}`;
}

/** How many days after a deadline its on-the-day reminder may still go, if the job did not run on the day. */
export const CATCH_UP_DAYS = 7;

/**
 * The reminders due to the lead worker today. The 7-day reminder is due from 7 days before the
 * deadline until the day before it; the on-the-day reminder from the due date until CATCH_UP_DAYS
 * after it (so a day or a week the job did not run loses nothing). A deadline passed longer ago
 * than that — one already overdue when the council started using OneBudget or imported its cases —
 * is not emailed: it shows as overdue on the caseload instead of flooding the worker's inbox on the
 * first run. `about` is stable, for sending each one once.
 */
export function workerRemindersDue(deadlines: readonly Deadline[], today: string): { deadline: Deadline; about: string }[] {
  const due: { deadline: Deadline; about: string }[] = [];
  for (const deadline of deadlines) {
    if (deadline.metOn !== null) continue;
    const days = daysBetween(today, deadline.dueOn);
    if (days >= 1 && days <= 7) due.push({ deadline, about: `${deadlineKey(deadline)}:7-days` });
    else if (days <= 0 && days >= -CATCH_UP_DAYS) due.push({ deadline, about: `${deadlineKey(deadline)}:due` });
  }
  return due;
}

const FAMILY_MESSAGES: Partial<Record<CaseStepKind, { subject: string; body: string }>> = {
  request_received: {
    subject: 'We have received your request',
    body:
      'We have received your request for an assessment of needs. Your lead worker will keep in touch ' +
      'with you and tell you what happens next. For an education, health and care (EHC) needs ' +
      'assessment, we will tell you within 6 weeks of the request whether we will carry one out.',
  },
  decided_to_assess: {
    subject: 'We will carry out an EHC needs assessment',
    body:
      'We have decided to carry out an EHC needs assessment. We will ask for advice from the people ' +
      'who know your child or young person and from you. We will tell you within 16 weeks of the request ' +
      'whether we will issue an EHC plan.',
  },
  decided_not_to_assess: {
    subject: 'We have decided not to carry out an EHC needs assessment',
    body:
      'We have decided not to carry out an EHC needs assessment. Your lead worker has written to you ' +
      'with the reasons. You have the right to appeal to the First-tier Tribunal (Special Educational ' +
      'Needs and Disability) and to ask for mediation first.',
  },
  decided_to_issue: {
    subject: 'We will write an EHC plan',
    body:
      'We have decided to write an EHC plan. We will send you a draft plan to comment on.',
  },
  decided_not_to_issue: {
    subject: 'We have decided not to issue an EHC plan',
    body:
      'We have decided not to issue an EHC plan. Your lead worker has written to you with the reasons. ' +
      'You have the right to appeal to the First-tier Tribunal (Special Educational Needs and Disability) ' +
      'and to ask for mediation first.',
  },
  draft_issued: {
    subject: 'Your draft EHC plan is ready',
    body:
      'Your draft EHC plan is ready. You have at least 15 days to comment on it, to ask to meet us ' +
      'about it, to name the school or setting you would like, and to ask for a personal budget. ' +
      'We will not issue the final plan before then unless you have already told us what you think.',
  },
  final_issued: {
    subject: 'Your final EHC plan has been issued',
    body:
      'Your final EHC plan has been issued. We will review it with you at least once a year. ' +
      'If you disagree with it, you have the right to appeal to the First-tier Tribunal (Special ' +
      'Educational Needs and Disability) and to ask for mediation first.',
  },
  review_meeting_planned: {
    subject: 'Your annual review meeting has been arranged',
    body:
      'The annual review meeting for the EHC plan has been arranged. We will send you the papers at ' +
      'least 2 weeks before the meeting.',
  },
  review_decision: {
    subject: 'We have decided the outcome of the annual review',
    body:
      'We have decided the outcome of the annual review of the EHC plan. Your lead worker has written ' +
      'to you with the decision and what happens next.',
  },
  amended_plan_issued: {
    subject: 'Your amended EHC plan has been issued',
    body:
      'Your amended EHC plan has been issued. If you disagree with it, you have the right to appeal to ' +
      'the First-tier Tribunal (Special Educational Needs and Disability) and to ask for mediation first.',
  },
  plan_agreed: {
    subject: 'Your care and support plan has been agreed',
    body:
      'Your care and support plan has been agreed. We will review it with you within 6 to 8 weeks, ' +
      'and at least once a year after that.',
  },
  direct_payment_started: {
    subject: 'Your direct payment has started',
    body:
      'Your direct payment has started. We will review how it is working with you within the first ' +
      'few months, and at least once a year after that.',
  },
  case_closed: {
    subject: 'Your case has been closed',
    body: 'Your case has been closed. Your lead worker has written to you with the reasons.',
  },
};

/** The email a family gets when a step moves their case on; null for steps they need not be told of. */
export function familyMessageFor(stepKind: CaseStepKind): { subject: string; body: string } | null {
  return FAMILY_MESSAGES[stepKind] ?? null;
}
