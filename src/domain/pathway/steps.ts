/**
 * The steps of a case and the order they may come in (decision 0013).
 *
 * A case is the list of its steps, append-only; where it has got to (its stage) and what may be
 * recorded next are worked out from them here, with no I/O.
 */
import type { CaseStepKind, CaseType } from '../../db/schema.ts';
import { isUuid } from '../ids.ts';
import { addDays, compareDates, isIsoDate, longDate } from './dates.ts';

export type { CaseStepKind, CaseType } from '../../db/schema.ts';

export const STEP_KINDS: readonly CaseStepKind[] = [
  'request_received',
  'decided_to_assess',
  'decided_not_to_assess',
  'advice_requested',
  'advice_received',
  'decided_to_issue',
  'decided_not_to_issue',
  'draft_issued',
  'family_responded',
  'final_issued',
  'exception_recorded',
  'review_meeting_planned',
  'review_papers_sent',
  'review_meeting_held',
  'review_report_sent',
  'review_decision',
  'amended_plan_issued',
  'plan_agreed',
  'plan_reviewed',
  'direct_payment_started',
  'direct_payment_reviewed',
  'lead_worker_changed',
  'case_closed',
];

export interface CaseStep {
  readonly id: string;
  readonly kind: CaseStepKind;
  readonly occurredOn: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** ISO instant. */
  readonly recordedAt: string;
}

export interface CaseFacts {
  readonly caseType: CaseType;
  readonly requestDate: string;
  readonly dateOfBirth: string;
  readonly phaseTransferYear: number | null;
}

export type CaseStage = 'request' | 'assessing' | 'drafting' | 'draft_issued' | 'plan_in_place' | 'reviewing' | 'closed';

export const CASE_STAGE_LABELS: Readonly<Record<CaseStage, string>> = {
  request: 'Deciding whether to assess',
  assessing: 'Assessing needs',
  drafting: 'Writing the draft plan',
  draft_issued: 'Draft plan with the family',
  plan_in_place: 'Plan in place',
  reviewing: 'Annual review',
  closed: 'Closed',
};

export const STEP_LABELS: Readonly<Record<CaseStepKind, string>> = {
  request_received: 'Request for an EHC needs assessment received',
  decided_to_assess: 'Decided to assess',
  decided_not_to_assess: 'Decided not to assess',
  advice_requested: 'Advice requested',
  advice_received: 'Advice received',
  decided_to_issue: 'Decided to issue an EHC plan',
  decided_not_to_issue: 'Decided not to issue an EHC plan',
  draft_issued: 'Draft EHC plan issued',
  family_responded: 'Family responded to the draft plan',
  final_issued: 'Final EHC plan issued',
  exception_recorded: 'Exception to the time limits recorded',
  review_meeting_planned: 'Annual review meeting arranged',
  review_papers_sent: 'Review papers sent',
  review_meeting_held: 'Annual review meeting held',
  review_report_sent: 'Review report sent',
  review_decision: 'Review decision made',
  amended_plan_issued: 'Amended EHC plan issued',
  plan_agreed: 'Care and support plan agreed',
  plan_reviewed: 'Care and support plan reviewed',
  direct_payment_started: 'Direct payment started',
  direct_payment_reviewed: 'Direct payment reviewed',
  lead_worker_changed: 'Lead worker changed',
  case_closed: 'Case closed',
};

/** A step's label for a case of this type: a social care request is not for an EHC needs assessment. */
export function stepLabelFor(caseType: CaseType, kind: CaseStepKind): string {
  if (kind === 'request_received' && caseType !== 'ehc') return 'Request for an assessment of needs received';
  return STEP_LABELS[kind];
}

/** The reasons reg 10(4) of the SEND Regulations 2014 allows for not meeting a time limit. */
export const EXCEPTION_REASONS = ['setting_closed', 'exceptional_personal_circumstances', 'family_absent'] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];
export const EXCEPTION_REASON_LABELS: Readonly<Record<ExceptionReason, string>> = {
  setting_closed: 'The school or setting was closed for at least 4 weeks',
  exceptional_personal_circumstances: 'Exceptional personal circumstances of the child or their parent',
  family_absent: 'The child or their parent was away from the area for at least 4 weeks',
};

export const REVIEW_DECISIONS = ['maintain', 'amend', 'cease'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export const REVIEW_DECISION_LABELS: Readonly<Record<ReviewDecision, string>> = {
  maintain: 'Keep the plan as it is',
  amend: 'Amend the plan',
  cease: 'Stop maintaining the plan',
};

export const MAX_TEXT = 4000;

/** Steps in the order they happened: by date, then by when they were recorded. */
export function orderedSteps(steps: readonly CaseStep[]): CaseStep[] {
  return [...steps].sort((a, b) => compareDates(a.occurredOn, b.occurredOn) || (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
}

export function isEhc(facts: CaseFacts): boolean {
  return facts.caseType === 'ehc';
}

const CLOSING_KINDS: readonly CaseStepKind[] = ['decided_not_to_assess', 'decided_not_to_issue', 'case_closed'];

function closes(step: CaseStep): boolean {
  return CLOSING_KINDS.includes(step.kind) || (step.kind === 'review_decision' && step.details['decision'] === 'cease');
}

/**
 * Where the pathway has got to. EHC: the statutory steps in turn, 'reviewing' from the day a review
 * meeting is arranged until the review decision (or the amended plan, when amending). Social care and
 * continuing care: 'assessing' from the request until a plan is agreed, then 'plan_in_place'.
 * Deciding not to assess or not to issue, ceasing the plan and closing the case all close it.
 */
export function caseStage(facts: CaseFacts, steps: readonly CaseStep[]): CaseStage {
  return walk(facts, steps).stage;
}

/** Where the review cycle has got to, for an EHC case with a plan in place. */
type ReviewPhase = 'none' | 'planned' | 'papers_sent' | 'held' | 'report_sent' | 'amending';

interface Walk {
  stage: CaseStage;
  review: ReviewPhase;
  started: boolean;
  planInPlace: boolean;
  directPaymentStarted: boolean;
  pendingAdvice: CaseStep[];
  draft: CaseStep | null;
  respondedAfterDraft: boolean;
}

function walk(facts: CaseFacts, steps: readonly CaseStep[]): Walk {
  const state: Walk = {
    stage: 'request',
    review: 'none',
    started: false,
    planInPlace: false,
    directPaymentStarted: false,
    pendingAdvice: [],
    draft: null,
    respondedAfterDraft: false,
  };
  const ehc = isEhc(facts);
  for (const step of orderedSteps(steps)) {
    if (state.stage === 'closed') break;
    if (closes(step)) {
      state.stage = 'closed';
      break;
    }
    switch (step.kind) {
      case 'request_received':
        state.started = true;
        state.stage = ehc ? 'request' : 'assessing';
        break;
      case 'decided_to_assess':
        state.stage = 'assessing';
        break;
      case 'advice_requested':
        state.pendingAdvice.push(step);
        break;
      case 'advice_received':
        state.pendingAdvice = state.pendingAdvice.filter((s) => s.id !== step.details['adviceRequestId']);
        break;
      case 'decided_to_issue':
        state.stage = 'drafting';
        break;
      case 'draft_issued':
        state.stage = 'draft_issued';
        state.draft = step;
        state.respondedAfterDraft = false;
        break;
      case 'family_responded':
        if (state.draft) state.respondedAfterDraft = true;
        break;
      case 'final_issued':
      case 'plan_agreed':
        state.stage = 'plan_in_place';
        state.planInPlace = true;
        break;
      case 'review_meeting_planned':
        state.stage = 'reviewing';
        state.review = 'planned';
        break;
      case 'review_papers_sent':
        state.review = 'papers_sent';
        break;
      case 'review_meeting_held':
        state.review = 'held';
        break;
      case 'review_report_sent':
        state.review = 'report_sent';
        break;
      case 'review_decision':
        // 'cease' closed the case above.
        if (step.details['decision'] === 'amend') {
          state.review = 'amending';
        } else {
          state.review = 'none';
          state.stage = 'plan_in_place';
        }
        break;
      case 'amended_plan_issued':
        state.review = 'none';
        state.stage = 'plan_in_place';
        break;
      case 'direct_payment_started':
        state.directPaymentStarted = true;
        break;
      default:
        break;
    }
  }
  return state;
}

/** The kinds a worker may record now, in the order a worker would expect them. */
export function allowedNextSteps(facts: CaseFacts, steps: readonly CaseStep[]): CaseStepKind[] {
  const state = walk(facts, steps);
  if (!state.started) return steps.length === 0 ? ['request_received'] : [];
  if (state.stage === 'closed') return [];
  const ehc = isEhc(facts);
  const next: CaseStepKind[] = [];
  if (ehc) {
    switch (state.stage) {
      case 'request':
        next.push('decided_to_assess', 'decided_not_to_assess');
        break;
      case 'assessing':
        next.push('advice_requested');
        if (state.pendingAdvice.length > 0) next.push('advice_received');
        next.push('decided_to_issue', 'decided_not_to_issue');
        break;
      case 'drafting':
        if (state.pendingAdvice.length > 0) next.push('advice_received');
        next.push('draft_issued');
        break;
      case 'draft_issued':
        if (state.pendingAdvice.length > 0) next.push('advice_received');
        next.push('family_responded', 'final_issued');
        break;
      case 'plan_in_place':
        next.push('review_meeting_planned');
        break;
      case 'reviewing':
        switch (state.review) {
          case 'planned':
            next.push('review_papers_sent');
            break;
          case 'papers_sent':
            next.push('review_meeting_held');
            break;
          case 'held':
            next.push('review_report_sent');
            break;
          case 'report_sent':
            next.push('review_decision');
            break;
          case 'amending':
            next.push('amended_plan_issued');
            break;
          case 'none':
            break;
        }
        break;
    }
  } else if (state.planInPlace) {
    next.push('plan_reviewed');
  } else {
    next.push('plan_agreed');
  }
  if (state.planInPlace) next.push(state.directPaymentStarted ? 'direct_payment_reviewed' : 'direct_payment_started');
  if (ehc) next.push('exception_recorded');
  next.push('lead_worker_changed', 'case_closed');
  return next;
}

export interface ProposedStep {
  kind: CaseStepKind;
  occurredOn: string;
  details: Record<string, unknown>;
}

export interface StepError {
  path: string;
  message: string;
}

export type StepCheck =
  | { ok: true; details: Record<string, unknown> }
  | { ok: false; errors: readonly StepError[] };

/** Kinds whose date may be earlier than the latest step already recorded (see checkStep). */
const DATE_FREE_KINDS: readonly CaseStepKind[] = ['advice_received', 'exception_recorded', 'lead_worker_changed'];

/**
 * Checks a step a worker wants to record and returns its details cleaned (only the fields its
 * kind knows, strings trimmed), or every error found, each named by its path.
 */
export function checkStep(
  facts: CaseFacts,
  steps: readonly CaseStep[],
  proposed: { kind: CaseStepKind; occurredOn: string; details: Record<string, unknown> },
  today: string,
): StepCheck {
  const errors: StepError[] = [];
  const state = walk(facts, steps);
  const ordered = orderedSteps(steps);

  if (!STEP_KINDS.includes(proposed.kind)) {
    return { ok: false, errors: [{ path: 'kind', message: 'Select what happened' }] };
  }
  if (state.stage === 'closed') {
    return { ok: false, errors: [{ path: 'kind', message: 'This case is closed, so no more steps can be recorded' }] };
  }
  const allowed = allowedNextSteps(facts, steps);
  if (!allowed.includes(proposed.kind)) {
    errors.push({ path: 'kind', message: outOfOrderMessage(facts, state, proposed.kind) });
  }

  const date = typeof proposed.occurredOn === 'string' ? proposed.occurredOn.trim() : '';
  if (date === '') {
    errors.push({ path: 'occurredOn', message: 'Enter the date it happened' });
  } else if (!isIsoDate(date)) {
    errors.push({ path: 'occurredOn', message: 'The date it happened must be a real date' });
  } else if (compareDates(date, today) > 0) {
    errors.push({ path: 'occurredOn', message: 'The date it happened must be today or in the past' });
  } else if (compareDates(date, facts.requestDate) < 0) {
    errors.push({
      path: 'occurredOn',
      message: `The date it happened must be on or after the request date, ${longDate(facts.requestDate)}`,
    });
  } else {
    const last = ordered.at(-1);
    if (last && !DATE_FREE_KINDS.includes(proposed.kind) && compareDates(date, last.occurredOn) < 0) {
      errors.push({
        path: 'occurredOn',
        message: `The date it happened must be on or after the last step recorded, ${longDate(last.occurredOn)}`,
      });
    }
  }
  const dateOk = !errors.some((e) => e.path === 'occurredOn');

  // Guard against what a JSON body may carry despite the type (null, an array, a string).
  const details: Record<string, unknown> =
    typeof proposed.details === 'object' && proposed.details !== null && !Array.isArray(proposed.details) ? proposed.details : {};
  const clean: Record<string, unknown> = {};
  const text = (field: string, label: string, required: boolean, max = MAX_TEXT): void => {
    const raw = details[field];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      errors.push({ path: `details.${field}`, message: `Enter ${label}` });
    } else if (value === '') {
      if (required) errors.push({ path: `details.${field}`, message: `Enter ${label}` });
    } else if (value.length > max) {
      errors.push({ path: `details.${field}`, message: `${capitalise(label)} must be ${max} characters or fewer` });
    } else {
      clean[field] = value;
    }
  };
  const realDate = (field: string, label: string): string | null => {
    const raw = details[field];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (value === '') {
      errors.push({ path: `details.${field}`, message: `Enter ${label}` });
      return null;
    }
    if (!isIsoDate(value)) {
      errors.push({ path: `details.${field}`, message: `${capitalise(label)} must be a real date` });
      return null;
    }
    clean[field] = value;
    return value;
  };

  switch (proposed.kind) {
    case 'decided_not_to_assess':
    case 'decided_not_to_issue':
      text('reasons', 'the reasons for the decision', true);
      if (details['appealInformationGiven'] === true || details['appealInformationGiven'] === 'true' || details['appealInformationGiven'] === 'yes') {
        clean['appealInformationGiven'] = true;
      } else {
        errors.push({
          path: 'details.appealInformationGiven',
          message: 'Confirm the family have been told of their right to appeal to the tribunal and to mediation',
        });
      }
      break;
    case 'case_closed':
      text('reasons', 'the reasons for closing the case', true);
      break;
    case 'advice_requested':
      text('adviceFrom', 'who the advice was asked of', true, 200);
      break;
    case 'advice_received': {
      const raw = details['adviceRequestId'];
      const id = typeof raw === 'string' ? raw.trim() : '';
      const request = state.pendingAdvice.find((s) => s.id === id);
      if (id === '') {
        errors.push({ path: 'details.adviceRequestId', message: 'Select which advice was received' });
      } else if (!request) {
        errors.push({ path: 'details.adviceRequestId', message: 'Select advice that was requested and has not yet been received' });
      } else {
        clean['adviceRequestId'] = id;
        if (dateOk && compareDates(date, request.occurredOn) < 0) {
          errors.push({
            path: 'occurredOn',
            message: `Advice cannot be received before it was requested, on ${longDate(request.occurredOn)}`,
          });
        }
      }
      break;
    }
    case 'family_responded': {
      text('comments', 'the family’s comments', false);
      text('preferredSetting', 'the school or setting the family would like', false, 200);
      const raw = details['personalBudgetRequested'];
      clean['personalBudgetRequested'] = raw === true || raw === 'true' || raw === 'yes';
      break;
    }
    case 'final_issued': {
      const draft = state.draft;
      if (draft && dateOk && !state.respondedAfterDraft) {
        const earliest = addDays(draft.occurredOn, 15);
        if (compareDates(date, earliest) < 0) {
          errors.push({
            path: 'occurredOn',
            message: `The final plan cannot be issued before ${longDate(earliest)}, 15 days after the draft plan, unless the family have already responded`,
          });
        }
      }
      break;
    }
    case 'exception_recorded': {
      const reason = typeof details['reason'] === 'string' ? details['reason'].trim() : '';
      if ((EXCEPTION_REASONS as readonly string[]).includes(reason)) clean['reason'] = reason;
      else errors.push({ path: 'details.reason', message: 'Select the reason the time limit could not be met' });
      const from = realDate('fromDate', 'the date the exception started');
      const to = realDate('toDate', 'the date the exception ended');
      if (from && to && compareDates(to, from) < 0) {
        errors.push({ path: 'details.toDate', message: 'The date the exception ended must be the same as or after the date it started' });
      }
      text('note', 'a note', false);
      break;
    }
    case 'review_meeting_planned': {
      const meeting = realDate('meetingOn', 'the date of the meeting');
      if (meeting && dateOk && compareDates(meeting, addDays(date, 14)) < 0) {
        errors.push({
          path: 'details.meetingOn',
          message: 'The meeting must be at least 2 weeks after it was arranged, so that the papers can be sent 2 weeks before it',
        });
      }
      break;
    }
    case 'review_decision': {
      const decision = typeof details['decision'] === 'string' ? details['decision'].trim() : '';
      if ((REVIEW_DECISIONS as readonly string[]).includes(decision)) clean['decision'] = decision;
      else errors.push({ path: 'details.decision', message: 'Select the decision' });
      text('proposedAmendments', 'the proposed amendments', decision === 'amend');
      if (decision !== 'amend') delete clean['proposedAmendments'];
      break;
    }
    case 'lead_worker_changed': {
      const raw = details['toAccountId'];
      const id = typeof raw === 'string' ? raw.trim() : '';
      if (isUuid(id)) clean['toAccountId'] = id.toLowerCase();
      else errors.push({ path: 'details.toAccountId', message: 'Select the new lead worker' });
      break;
    }
    default:
      break;
  }

  if (proposed.kind === 'request_received' && dateOk && date !== facts.requestDate) {
    errors.push({ path: 'occurredOn', message: `The request was received on ${longDate(facts.requestDate)}` });
  }

  return errors.length > 0 ? { ok: false, errors: dedupe(errors) } : { ok: true, details: clean };
}

function dedupe(errors: StepError[]): StepError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.path}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function outOfOrderMessage(facts: CaseFacts, state: Walk, kind: CaseStepKind): string {
  const ehc = isEhc(facts);
  const stepsOf = (kinds: readonly CaseStepKind[]): boolean => kinds.includes(kind);
  if (!state.started) return 'The request must be recorded first';
  if (kind === 'request_received') return 'The request has already been recorded';
  if (ehc) {
    const reached = (stages: readonly CaseStage[]): boolean => stages.includes(state.stage);
    if (kind === 'final_issued' && !state.draft) return 'The final plan cannot be issued before the draft plan';
    if (kind === 'draft_issued' && reached(['request', 'assessing']))
      return 'The draft plan cannot be issued before the decision to issue a plan';
    if (kind === 'advice_received' && state.pendingAdvice.length === 0)
      return 'Advice cannot be received before it has been requested';
    if (stepsOf(['advice_requested', 'decided_to_issue', 'decided_not_to_issue']) && state.stage === 'request')
      return 'Decide whether to assess first';
    if (stepsOf(['plan_agreed', 'plan_reviewed'])) return 'EHC cases have an EHC plan, not a care and support plan';
    if (stepsOf(['direct_payment_started', 'direct_payment_reviewed']) && !state.planInPlace)
      return 'A direct payment cannot start before the final plan is issued';
    if (kind === 'direct_payment_reviewed') return 'A direct payment cannot be reviewed before it has started';
    if (kind === 'direct_payment_started') return 'The direct payment has already started';
    if (stepsOf(['review_meeting_planned', 'review_papers_sent', 'review_meeting_held', 'review_report_sent', 'review_decision', 'amended_plan_issued']) && !state.planInPlace)
      return 'Reviews can only be recorded once the final plan has been issued';
    if (kind === 'amended_plan_issued') return 'An amended plan can only be issued after a review decision to amend the plan';
  } else {
    if (kind === 'exception_recorded') return 'Exceptions to the time limits apply only to EHC cases';
    if (kind === 'plan_reviewed' && !state.planInPlace) return 'The plan cannot be reviewed before it has been agreed';
    if (kind === 'plan_agreed') return 'The plan has already been agreed';
    if (stepsOf(['direct_payment_started', 'direct_payment_reviewed']) && !state.planInPlace)
      return 'A direct payment cannot start before the plan is agreed';
    if (kind === 'direct_payment_reviewed') return 'A direct payment cannot be reviewed before it has started';
    if (kind === 'direct_payment_started') return 'The direct payment has already started';
    return `${STEP_LABELS[kind]} is a step of an EHC case, not of this case`;
  }
  return `‘${STEP_LABELS[kind]}’ cannot be recorded at this stage of the case`;
}
