/**
 * The EHC plan timeliness report (issue 5, decision 0013): how many final EHC plans were issued in
 * a period, how many within 20 weeks of the request, with and without the cases a reg 10(4)
 * exception excuses. The national SEN2 return counts "within 20 weeks excluding exceptions": of
 * the plans no exception applies to, the share issued within 20 weeks.
 *
 * Whether one plan was on time, and whether an exception applies to it, is `timeliness()` in
 * deadlines.ts and nowhere else; this file only counts its answers.
 */
import { addDays, addMonths, addWeeks, compareDates, daysBetween } from './dates.ts';
import { timeliness } from './deadlines.ts';
import { EXCEPTION_REASONS, type CaseFacts, type CaseStep, type ExceptionReason } from './steps.ts';

export interface ReportPeriod {
  /** First day counted, 'YYYY-MM-DD'. */
  readonly from: string;
  /** Last day counted. */
  readonly to: string;
}

/** One final EHC plan issued, as the report sees it. */
export interface PlanTimeliness {
  readonly requestDate: string;
  /** Request + 20 weeks (140 days): the last day a plan is on time. */
  readonly dueOn: string;
  readonly issuedOn: string;
  /** Calendar days from the request to the plan. */
  readonly daysTaken: number;
  readonly onTime: boolean;
  /** A reg 10(4) exception's dates overlap the 20-week clock. */
  readonly withException: boolean;
  /** The reasons of the exceptions that apply, in the order recorded, each once. */
  readonly exceptionReasons: readonly ExceptionReason[];
}

export interface TimelinessFigures {
  /** Final EHC plans issued. */
  readonly issued: number;
  /** Of them, issued within 20 weeks of the request. */
  readonly withinTwentyWeeks: number;
  /** withinTwentyWeeks / issued as a percentage to one decimal place; null when none were issued. */
  readonly percentWithin: number | null;
  /** The same, leaving out plans a reg 10(4) exception applies to: the national (SEN2) figure. */
  readonly excludingExceptions: {
    readonly issued: number;
    readonly withinTwentyWeeks: number;
    readonly percentWithin: number | null;
  };
  /** Plans a reg 10(4) exception applies to. */
  readonly withExceptions: {
    readonly issued: number;
    readonly withinTwentyWeeks: number;
  };
}

/**
 * The report's default period: the last 12 months to today, today included (20 November 2026 →
 * 21 November 2025 to 20 November 2026), so that no day is counted twice in consecutive years.
 */
export function defaultReportPeriod(today: string): ReportPeriod {
  return { from: addDays(addMonths(today, -12), 1), to: today };
}

/**
 * How one issued plan stands against the 20-week limit, or null when the case has no final plan
 * (or is not an EHC case). `steps` need hold only the final plan and the exceptions.
 */
export function planTimeliness(facts: CaseFacts, steps: readonly CaseStep[]): PlanTimeliness | null {
  if (facts.caseType !== 'ehc') return null;
  const final = steps.filter((s) => s.kind === 'final_issued').sort((a, b) => compareDates(a.occurredOn, b.occurredOn))[0];
  if (final === undefined) return null;
  const overall = timeliness(facts, steps);
  // Which exceptions apply is asked of the same rule one exception at a time, so that the reasons
  // shown are exactly those of the exceptions that excuse the plan.
  const reasons: ExceptionReason[] = [];
  for (const step of steps) {
    if (step.kind !== 'exception_recorded') continue;
    const reason = EXCEPTION_REASONS.find((r) => r === step.details['reason']);
    if (reason === undefined || reasons.includes(reason)) continue;
    if (timeliness(facts, [final, step]).withException) reasons.push(reason);
  }
  return {
    requestDate: facts.requestDate,
    dueOn: addWeeks(facts.requestDate, 20),
    issuedOn: final.occurredOn,
    daysTaken: daysBetween(facts.requestDate, final.occurredOn),
    onTime: overall.finalPlan === 'on_time',
    withException: overall.withException,
    exceptionReasons: reasons,
  };
}

/** A share as a percentage to one decimal place (2 of 3 → 66.7); null for none of none. */
export function percentOf(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.round((part * 1000) / whole) / 10;
}

/** The report's figures for a set of issued plans. */
export function countTimeliness(plans: readonly Pick<PlanTimeliness, 'onTime' | 'withException'>[]): TimelinessFigures {
  let within = 0;
  let excused = 0;
  let excusedWithin = 0;
  for (const plan of plans) {
    if (plan.onTime) within += 1;
    if (plan.withException) {
      excused += 1;
      if (plan.onTime) excusedWithin += 1;
    }
  }
  const issuedExcluding = plans.length - excused;
  const withinExcluding = within - excusedWithin;
  return {
    issued: plans.length,
    withinTwentyWeeks: within,
    percentWithin: percentOf(within, plans.length),
    excludingExceptions: { issued: issuedExcluding, withinTwentyWeeks: withinExcluding, percentWithin: percentOf(withinExcluding, issuedExcluding) },
    withExceptions: { issued: excused, withinTwentyWeeks: excusedWithin },
  };
}

/** Every calendar month the period touches, as 'YYYY-MM', first to last. */
export function monthsOf(period: ReportPeriod): string[] {
  const months: string[] = [];
  const last = period.to.slice(0, 7);
  for (let month = `${period.from.slice(0, 7)}-01`; month.slice(0, 7) <= last; month = addMonths(month, 1)) months.push(month.slice(0, 7));
  return months;
}

/** The figures for each month of issue in the period, months with no plans included (as zeros). */
export function timelinessByMonth(
  plans: readonly Pick<PlanTimeliness, 'issuedOn' | 'onTime' | 'withException'>[],
  period: ReportPeriod,
): { month: string; figures: TimelinessFigures }[] {
  const byMonth = new Map<string, Pick<PlanTimeliness, 'onTime' | 'withException'>[]>(monthsOf(period).map((m) => [m, []]));
  for (const plan of plans) byMonth.get(plan.issuedOn.slice(0, 7))?.push(plan);
  return [...byMonth].map(([month, list]) => ({ month, figures: countTimeliness(list) }));
}

/**
 * The latest request date whose 20 weeks are over by `today`: an open EHC case requested on or
 * before it with no final plan is past week 20 (its final plan is overdue).
 */
export function pastWeekTwentyIfRequestedBy(today: string): string {
  return addDays(addWeeks(today, -20), -1);
}

