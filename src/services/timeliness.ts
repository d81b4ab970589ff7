/**
 * The EHC plan timeliness report (issue 5): final plans issued in a period, within 20 weeks with
 * and without the reg 10(4) exceptions, by month, the plans issued late, and the open cases past
 * week 20. One council transaction, a fixed number of queries; the counting is the domain's
 * (src/domain/pathway/timeliness.ts).
 *
 * Who sees what: administrators and approvers the whole council; a caseworker their own team's
 * cases; a commissioner the whole council's figures but never a name (they open no records).
 * Restricted people's plans are always counted; they are named only to the workers who may open
 * their records.
 */
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { timelinessRepository, type TimelinessScope } from '../db/repositories/timeliness.ts';
import { mayDo, type Actor } from '../domain/access/policy.ts';
import { compareDates, isIsoDate } from '../domain/pathway/dates.ts';
import type { ExceptionReason } from '../domain/pathway/steps.ts';
import {
  countTimeliness,
  defaultReportPeriod,
  pastWeekTwentyIfRequestedBy,
  planTimeliness,
  timelinessByMonth,
  type ReportPeriod,
  type TimelinessFigures,
} from '../domain/pathway/timeliness.ts';
import { ForbiddenError } from './errors.ts';

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly { readonly path: 'from' | 'to'; readonly message: string }[] };

export interface TimelinessQuery {
  /** 'YYYY-MM-DD', or empty/undefined for the default (12 months before `to`). */
  readonly from?: string | undefined;
  /** 'YYYY-MM-DD', or empty/undefined for today. */
  readonly to?: string | undefined;
}

export interface LatePlan {
  readonly caseId: string;
  readonly personId: string;
  readonly person: { readonly reference: string; readonly givenName: string; readonly familyName: string };
  readonly requestDate: string;
  readonly dueOn: string;
  readonly issuedOn: string;
  readonly daysTaken: number;
  readonly withException: boolean;
  readonly exceptionReasons: readonly ExceptionReason[];
}

export interface TimelinessReport {
  readonly period: ReportPeriod;
  readonly today: string;
  /** The whole council's cases, or the caseworker's team's. */
  readonly scope: 'council' | 'team';
  /** False for commissioners: figures only. */
  readonly showsNames: boolean;
  readonly figures: TimelinessFigures;
  readonly byMonth: readonly { readonly month: string; readonly figures: TimelinessFigures }[];
  /** Plans issued late that the viewer may see named, oldest issue first. */
  readonly late: readonly LatePlan[];
  /** Plans issued late that are counted but not listed (restricted records, or every one for a commissioner). */
  readonly lateNotListed: number;
  /** Open EHC cases past week 20 today without a final plan, and how many of them have an exception recorded. */
  readonly openPastWeekTwenty: { readonly total: number; readonly withException: number };
}

/** Checks the period asked for, filling in the default for what was left out. */
export function reportPeriodOf(query: TimelinessQuery, today: string): Outcome<ReportPeriod> {
  const errors: { path: 'from' | 'to'; message: string }[] = [];
  const from = query.from ?? '';
  const to = query.to ?? '';
  if (from !== '' && !isIsoDate(from)) errors.push({ path: 'from', message: 'The start date must be a real date' });
  if (to !== '' && !isIsoDate(to)) errors.push({ path: 'to', message: 'The end date must be a real date' });
  if (errors.length > 0) return { ok: false, errors };
  const end = to === '' ? today : to;
  const start = from === '' ? defaultReportPeriod(end).from : from;
  if (compareDates(start, end) > 0) return { ok: false, errors: [{ path: 'to', message: 'The end date must be the same as or after the start date' }] };
  return { ok: true, value: { from: start, to: end } };
}

export function timelinessServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  return {
    async report(actor: Actor, query: TimelinessQuery): Promise<Outcome<TimelinessReport>> {
      if (!mayDo(actor, 'cases:report') || actor.kind !== 'staff') throw new ForbiddenError('Your role cannot see the timeliness report');
      const today = deps.clock.today();
      const period = reportPeriodOf(query, today);
      if (!period.ok) return period;
      const showsNames = actor.role !== 'commissioner';
      const teamOnly = actor.role === 'caseworker';
      return deps.withCouncil(actor.councilId, async (tx) => {
        const report = timelinessRepository(tx);
        const scope: TimelinessScope = { teamOf: teamOnly ? actor.accountId : undefined, names: showsNames ? { viewerId: actor.accountId } : 'none' };
        const { plans: rows, openPastWeekTwenty } = await report.report(period.value, pastWeekTwentyIfRequestedBy(today), scope);
        const plans = rows.flatMap((row) => {
          const judged = planTimeliness(
            { caseType: 'ehc', requestDate: row.requestDate, dateOfBirth: row.dateOfBirth, phaseTransferYear: null },
            [
              { id: 'final', kind: 'final_issued', occurredOn: row.issuedOn, details: {}, recordedAt: '' },
              ...row.exceptions.map((e) => ({ id: e.id, kind: 'exception_recorded' as const, occurredOn: e.occurredOn, details: e.details, recordedAt: '' })),
            ],
          );
          return judged === null ? [] : [{ row, judged }];
        });
        const judged = plans.map((p) => p.judged);
        const late = plans.filter((p) => !p.judged.onTime);
        const listed: LatePlan[] = late.flatMap(({ row, judged: j }) =>
          row.person === null
            ? []
            : [
                {
                  caseId: row.caseId,
                  personId: row.personId,
                  person: row.person,
                  requestDate: j.requestDate,
                  dueOn: j.dueOn,
                  issuedOn: j.issuedOn,
                  daysTaken: j.daysTaken,
                  withException: j.withException,
                  exceptionReasons: j.exceptionReasons,
                },
              ],
        );
        return {
          ok: true,
          value: {
            period: period.value,
            today,
            scope: teamOnly ? 'team' : 'council',
            showsNames,
            figures: countTimeliness(judged),
            byMonth: timelinessByMonth(judged, period.value),
            late: listed,
            lateNotListed: late.length - listed.length,
            openPastWeekTwenty,
          },
        };
      });
    },
  };
}

export type TimelinessServices = ReturnType<typeof timelinessServices>;
