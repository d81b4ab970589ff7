/**
 * Cases and the statutory pathway (issue 5), each use case in one council transaction with its
 * audit event: open a case, read its timeline, record a step, list the caseload; and the emails
 * that go with them (the family at each stage, the lead worker before each deadline), each sent
 * once. The dates and the order of steps are decided in src/domain/pathway/ and nowhere else.
 */
import type { Clock } from '../clock.ts';
import type { ScopeOptions, WithCouncil } from '../db/tenancy.ts';
import type { SystemRepository } from '../db/system.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { reminderKey, type CaseloadRow, type CaseloadState, type CasePersonHeader, type CaseRecord, type DueCase, type StepRecord } from '../db/repositories/cases.ts';
import type { CaseStepKind, CaseType, JourneyStage } from '../db/schema.ts';
import { mayDo, type Actor, type PersonAccessFacts } from '../domain/access/policy.ts';
import { addDays, compareDates, longDate, isIsoDate } from '../domain/pathway/dates.ts';
import { allowedNextSteps, caseStage, checkStep, STEP_KINDS, STEP_LABELS, type CaseFacts, type CaseStage, type CaseStep } from '../domain/pathway/steps.ts';
import { DUE_SOON_DAYS, deadlinesOf, nextDeadline, timeliness, type Deadline } from '../domain/pathway/deadlines.ts';
import { familyMessageFor, workerRemindersDue } from '../domain/pathway/reminders.ts';
import { isUuid } from '../domain/ids.ts';
import type { Mailer } from './mail/mailer.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { pageWindow } from './paging.ts';
import { requirePerson } from './people.ts';

export type Outcome<T = undefined> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly { readonly path: string; readonly message: string }[] };

export const CASE_TYPES: readonly CaseType[] = ['ehc', 'social_care_child', 'social_care_adult', 'continuing_care'];
export const CASELOAD_STATES: readonly CaseloadState[] = ['overdue', 'due_soon', 'on_track', 'no_deadline'];
export type CaseloadScope = 'mine' | 'team' | 'all';
export type CaseloadSort = 'due' | 'name' | 'request_date';

export interface CaseLinks {
  /** The absolute address of a case's timeline, for emails. */
  readonly case: (caseId: string) => string;
}

export interface OpenCaseInput {
  readonly caseType: string;
  readonly requestDate: string;
  readonly leadWorkerId: string;
  readonly phaseTransferYear?: number | null | undefined;
}

export interface RecordStepInput {
  readonly kind: string;
  readonly occurredOn: string;
  readonly details: Record<string, unknown>;
}

export interface CaseView {
  readonly person: CasePersonHeader;
  readonly case: CaseRecord;
  readonly steps: readonly StepRecord[];
  readonly deadlines: readonly Deadline[];
  readonly stage: CaseStage;
  readonly allowedNextSteps: readonly CaseStepKind[];
  readonly timeliness: ReturnType<typeof timeliness>;
  /** The signed-in worker may record steps on it. */
  readonly mayManage: boolean;
  readonly today: string;
}

export interface CaseloadSearch {
  readonly scope: CaseloadScope;
  readonly state?: CaseloadState | undefined;
  readonly caseType?: CaseType | undefined;
  readonly stage?: string | undefined;
  readonly q?: string | undefined;
  readonly sort: CaseloadSort;
  readonly page: number;
  readonly pageSize: number;
}

export interface CaseloadPage {
  readonly scope: CaseloadScope;
  readonly rows: readonly CaseloadRow[];
  readonly counts: Readonly<Record<CaseloadState, number>>;
  readonly total: number;
  readonly page: number;
  readonly pageCount: number;
  readonly today: string;
  /** "All cases" is offered to administrators and approvers. */
  readonly mayListAll: boolean;
}

export interface StepFormContext {
  readonly view: CaseView;
  readonly caseworkers: readonly { readonly id: string; readonly displayName: string; readonly team: string | null }[];
}

/**
 * The caseload's query has one fixed shape per filter and its literals pick the indexes, so for the
 * usual views a cached generic plan runs as fast as a fresh one and is not planned again on every
 * page. With a stage or a name searched for, a plan made for the actual values was faster (a stage
 * sorted by name: 6 ms against 9–14 ms), so those are planned each time (decision 0016).
 */
function caseloadPlans(search: CaseloadSearch): ScopeOptions {
  return { genericPlans: search.stage === undefined && (search.q ?? '').trim() === '' };
}

/** The order of the journey shown on the person's record; a case only ever moves it on. */
const JOURNEY_ORDER: readonly JourneyStage[] = ['request', 'assessment', 'allocation', 'planning', 'approval', 'agreed', 'review'];

/** The person's journey stage (shown across the system) for a case stage; a closed case leaves it be. */
const JOURNEY_OF_STAGE: Readonly<Record<CaseStage, JourneyStage | null>> = {
  request: 'request',
  assessing: 'assessment',
  drafting: 'planning',
  draft_issued: 'planning',
  plan_in_place: 'agreed',
  reviewing: 'review',
  closed: null,
};

export function journeyStageFor(stage: CaseStage): JourneyStage | null {
  return JOURNEY_OF_STAGE[stage];
}

function movesOn(current: JourneyStage, next: JourneyStage): boolean {
  return JOURNEY_ORDER.indexOf(next) > JOURNEY_ORDER.indexOf(current);
}

function toDomainSteps(steps: readonly Pick<StepRecord, 'id' | 'kind' | 'occurredOn' | 'details' | 'recordedAt'>[]): CaseStep[] {
  return steps.map((s) => ({ id: s.id, kind: s.kind, occurredOn: s.occurredOn, details: s.details, recordedAt: s.recordedAt.toISOString() }));
}

function factsOf(c: Pick<CaseRecord, 'caseType' | 'requestDate' | 'phaseTransferYear'>, dateOfBirth: string): CaseFacts {
  return { caseType: c.caseType, requestDate: c.requestDate, dateOfBirth, phaseTransferYear: c.phaseTransferYear };
}

export function caseServices(deps: { withCouncil: WithCouncil; system?: SystemRepository; clock: Clock; mailer?: Mailer; links?: CaseLinks }) {
  const caseLink = (caseId: string) => deps.links?.case(caseId) ?? `/cases/${caseId}`;

  /** The email to a lead worker about one deadline. */
  const workerReminder = (due: DueCase, deadline: Deadline, today: string): { to: string; subject: string; body: string } => {
    const overdue = compareDates(deadline.dueOn, today) < 0;
    return {
      to: due.leadWorkerEmail,
      subject: `${overdue ? 'Overdue' : 'Due soon'}: ${deadline.label} for ${due.reference}`,
      body: [
        `${deadline.label} for ${due.givenName} ${due.familyName} (${due.reference}) ${overdue ? 'was due' : 'is due'} on ${longDate(deadline.dueOn)}.`,
        '',
        'Open the case to see its deadlines and record the next step:',
        caseLink(due.caseId),
        '',
        'You are getting this email because you are the lead worker on this case.',
      ].join('\n'),
    };
  };

  /** Finds the case and asks the policy about its person; unknown and unseen cases are "not found" to non-staff. */
  async function requireCase(repos: Repositories, actor: Actor, action: 'person:view' | 'person:manage-case', caseId: string, forUpdate = false) {
    const found = isUuid(caseId) ? await (forUpdate ? repos.cases.findForUpdate(caseId) : repos.cases.find(caseId)) : undefined;
    if (found === undefined) throw new NotFoundError(`No case with id ${caseId}${actor.kind === 'staff' ? ' in this council' : ' that you can see'}`);
    try {
      return { found, access: await requirePerson(repos, actor, action, found.personId, deps.clock.today()) };
    } catch (error) {
      if (error instanceof NotFoundError) throw new NotFoundError(`No case with id ${caseId} that you can see`);
      throw error;
    }
  }

  /** The case as its page shows it; `access` is the person's access facts requireCase read. */
  async function viewIn(repos: Repositories, actor: Actor, found: CaseRecord, access: PersonAccessFacts): Promise<CaseView> {
    const person = await repos.cases.personHeader(found.personId);
    if (person === undefined) throw new NotFoundError(`No case with id ${found.id} in this council`);
    const steps = await repos.cases.steps(found.id);
    const today = deps.clock.today();
    const facts = factsOf(found, person.dateOfBirth);
    const domainSteps = toDomainSteps(steps);
    return {
      person,
      case: found,
      steps,
      deadlines: deadlinesOf(facts, domainSteps, today),
      stage: caseStage(facts, domainSteps),
      allowedNextSteps: found.status === 'open' ? allowedNextSteps(facts, domainSteps) : [],
      timeliness: timeliness(facts, domainSteps),
      mayManage: found.status === 'open' && mayDo(actor, 'person:manage-case', access),
      today,
    };
  }

  /** Sends a family email about a step once to every linked family account; failures are the caller's to log. */
  async function emailFamily(actor: Actor, caseId: string, personId: string, kind: CaseStepKind, occurredOn: string): Promise<void> {
    const message = familyMessageFor(kind);
    if (message === null || deps.mailer === undefined) return;
    const mailer = deps.mailer;
    const recipients = await deps.withCouncil(actor.councilId, async (tx) => {
      const repos = repositories(tx);
      const family = await repos.cases.familyAccounts(personId);
      const claimed: string[] = [];
      for (const account of family) {
        const fresh = await repos.cases.claimReminder({ caseId, about: `step:${kind}`, dueOn: occurredOn, recipient: 'family', recipientAccountId: account.id, now: deps.clock.now() });
        if (fresh) claimed.push(account.email);
      }
      return claimed;
    });
    for (const to of recipients) {
      await mailer.send({ to, subject: message.subject, body: `${message.body}\n\nSign in to OneBudget to see what happens next.`, kind: 'case-family-update' });
    }
  }

  /** A case as its pages show it, read under `action` and audited as a read of the person's record. */
  async function readCase(repos: Repositories, actor: Actor, action: 'person:view' | 'person:manage-case', caseId: string, context: RequestContext): Promise<CaseView> {
    const { found, access } = await requireCase(repos, actor, action, caseId);
    const view = await viewIn(repos, actor, found, access);
    await repos.audit.record({ ...auditedBy(actor, context, deps.clock.now()), action: 'person.case_viewed', subjectType: 'person', subjectId: found.personId, detail: { caseId } });
    return view;
  }

  return {
    /** Who may lead a case: the council's active caseworkers. */
    async caseworkers(actor: Actor) {
      if (!mayDo(actor, 'cases:list') && !mayDo(actor, 'person:manage-case')) throw new ForbiddenError('Your role cannot manage cases');
      return deps.withCouncil(actor.councilId, async (tx) => repositories(tx).cases.caseworkers());
    },

    /** The person's header, for the "open a case" page. */
    async openCaseForm(actor: Actor, personId: string) {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:manage-case', personId, deps.clock.today());
        const person = await repos.cases.personHeader(personId);
        if (person === undefined) throw new NotFoundError(`No person with id ${personId} in this council`);
        return { person, caseworkers: await repos.cases.caseworkers(), today: deps.clock.today() };
      });
    },

    async openCase(actor: Actor, personId: string, input: OpenCaseInput, context: RequestContext): Promise<Outcome<{ caseId: string }>> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const today = deps.clock.today();
        await requirePerson(repos, actor, 'person:manage-case', personId, today);
        const person = await repos.cases.personHeader(personId);
        if (person === undefined) throw new NotFoundError(`No person with id ${personId} in this council`);
        const errors: { path: string; message: string }[] = [];
        const caseType = CASE_TYPES.find((t) => t === input.caseType);
        if (caseType === undefined) errors.push({ path: 'caseType', message: 'Select the type of case' });
        if (input.requestDate === '') errors.push({ path: 'requestDate', message: 'Enter the date the request was received' });
        else if (!isIsoDate(input.requestDate)) errors.push({ path: 'requestDate', message: 'Date the request was received must be a real date' });
        else if (compareDates(input.requestDate, today) > 0) errors.push({ path: 'requestDate', message: 'Date the request was received must be today or in the past' });
        const lead = isUuid(input.leadWorkerId) ? await repos.cases.staffMember(input.leadWorkerId) : undefined;
        if (lead === undefined || lead.role !== 'caseworker') errors.push({ path: 'leadWorkerId', message: 'Select the lead worker from the council’s caseworkers' });
        const year = input.phaseTransferYear ?? null;
        if (year !== null && (!Number.isInteger(year) || year < 2000 || year > 2100)) errors.push({ path: 'phaseTransferYear', message: 'Phase transfer year must be a year, like 2027' });
        if (year !== null && caseType !== undefined && caseType !== 'ehc') errors.push({ path: 'phaseTransferYear', message: 'Only an EHC case has a phase transfer year' });
        if (errors.length > 0 || caseType === undefined || lead === undefined) return { ok: false, errors };

        const now = deps.clock.now();
        const facts = factsOf({ caseType, requestDate: input.requestDate, phaseTransferYear: year }, person.dateOfBirth);
        const first: CaseStep[] = [{ id: 'new', kind: 'request_received', occurredOn: input.requestDate, details: {}, recordedAt: now.toISOString() }];
        const stage = caseStage(facts, first);
        const next = nextDeadline(deadlinesOf(facts, first, today));
        const { caseId } = await repos.cases.open({
          personId,
          caseType,
          leadWorkerId: lead.id,
          requestDate: input.requestDate,
          phaseTransferYear: year,
          stage,
          nextDueOn: next?.dueOn ?? null,
          nextDueKind: next?.kind ?? null,
          recordedBy: actor.accountId,
          now,
        });
        const journey = journeyStageFor(stage);
        if (journey !== null && movesOn(person.stage as JourneyStage, journey)) await repos.cases.setPersonStage(personId, journey, today);
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.case_opened',
          subjectType: 'person',
          subjectId: personId,
          detail: { caseId, caseType, requestDate: input.requestDate, leadWorkerId: lead.id },
        });
        return { ok: true, value: { caseId } };
      });
    },

    /** One case: its person, steps, deadlines and what may come next. A read of the person's record. */
    async caseView(actor: Actor, caseId: string, context: RequestContext): Promise<CaseView> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        return readCase(repos, actor, 'person:view', caseId, context);
      });
    },

    /** The case as the step form needs it (no audit event of its own beyond the read). */
    async stepForm(actor: Actor, caseId: string, context: RequestContext): Promise<StepFormContext> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const view = await readCase(repos, actor, 'person:manage-case', caseId, context);
        return { view, caseworkers: await repos.cases.caseworkers() };
      });
    },

    async recordStep(actor: Actor, caseId: string, input: RecordStepInput, context: RequestContext): Promise<Outcome<{ stepId: string }>> {
      const result = await deps.withCouncil(actor.councilId, async (tx): Promise<Outcome<{ stepId: string; personId: string; kind: CaseStepKind; occurredOn: string }>> => {
        const repos = repositories(tx);
        const { found } = await requireCase(repos, actor, 'person:manage-case', caseId, true);
        const kind = (STEP_KINDS as readonly string[]).includes(input.kind) ? (input.kind as CaseStepKind) : undefined;
        if (kind === undefined || kind === 'request_received') return { ok: false, errors: [{ path: 'kind', message: 'Select a step that can be recorded on a case' }] };
        const person = await repos.cases.personHeader(found.personId);
        if (person === undefined) throw new NotFoundError(`No case with id ${caseId} in this council`);
        const today = deps.clock.today();
        const facts = factsOf(found, person.dateOfBirth);
        const steps = toDomainSteps(await repos.cases.steps(caseId));
        if (found.status === 'closed') return { ok: false, errors: [{ path: 'kind', message: 'This case is closed: no more steps can be recorded on it' }] };
        const checked = checkStep(facts, steps, { kind, occurredOn: input.occurredOn, details: input.details }, today);
        if (!checked.ok) return { ok: false, errors: checked.errors };
        const details = checked.details;

        let leadWorkerId = found.leadWorkerId;
        if (kind === 'lead_worker_changed') {
          const wanted = typeof details['toAccountId'] === 'string' ? details['toAccountId'] : '';
          const lead = isUuid(wanted) ? await repos.cases.staffMember(wanted) : undefined;
          if (lead === undefined || lead.role !== 'caseworker') return { ok: false, errors: [{ path: 'details.toAccountId', message: 'Select the new lead worker from the council’s caseworkers' }] };
          leadWorkerId = lead.id;
        }

        const now = deps.clock.now();
        const stepId = await repos.cases.addStep({ caseId, kind, occurredOn: input.occurredOn, details, recordedBy: actor.accountId, now });
        const after: CaseStep[] = [...steps, { id: stepId, kind, occurredOn: input.occurredOn, details, recordedAt: now.toISOString() }];
        const stage = caseStage(facts, after);
        const closing = stage === 'closed';
        const next = closing ? undefined : nextDeadline(deadlinesOf(facts, after, today));
        const hasException = found.hasException || kind === 'exception_recorded';
        await repos.cases.update(caseId, {
          stage,
          nextDueOn: next?.dueOn ?? null,
          nextDueKind: next?.kind ?? null,
          hasException,
          status: closing ? 'closed' : 'open',
          closedOn: closing ? input.occurredOn : null,
          closedReason: closing ? (typeof details['reasons'] === 'string' ? details['reasons'] : STEP_LABELS[kind]) : null,
          leadWorkerId,
          updatedAt: now,
        });
        const journey = journeyStageFor(stage);
        if (journey !== null && movesOn(person.stage as JourneyStage, journey)) await repos.cases.setPersonStage(found.personId, journey, today);
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.case_step_recorded',
          subjectType: 'person',
          subjectId: found.personId,
          detail: { caseId, stepId, kind, occurredOn: input.occurredOn },
        });
        return { ok: true, value: { stepId, personId: found.personId, kind, occurredOn: input.occurredOn } };
      });
      if (!result.ok) return result;
      // After the step is safely recorded: a failed email never undoes it.
      await emailFamily(actor, caseId, result.value.personId, result.value.kind, result.value.occurredOn);
      return { ok: true, value: { stepId: result.value.stepId } };
    },

    async caseload(actor: Actor, search: CaseloadSearch): Promise<CaseloadPage> {
      if (!mayDo(actor, 'cases:list')) throw new ForbiddenError('Your role cannot list cases');
      const mayListAll = actor.kind === 'staff' && (actor.role === 'administrator' || actor.role === 'approver');
      const scope: CaseloadScope = search.scope === 'all' && !mayListAll ? 'team' : search.scope;
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const today = deps.clock.today();
        const soonUntil = addDays(today, DUE_SOON_DAYS);
        const query = {
          leadWorkers: scope === 'all' ? undefined : { of: scope === 'mine' ? ('worker' as const) : ('team' as const), accountId: actor.accountId },
          caseType: search.caseType,
          stage: search.stage,
          text: search.q?.trim(),
          // A restricted record's case is not even listed to those who may not open it.
          viewerId: actor.kind === 'staff' ? actor.accountId : null,
          state: search.state,
          today,
          soonUntil,
          sort: search.sort,
          limit: search.pageSize,
        };
        const requested = Math.max(1, search.page);
        let { counts, rows } = await repos.cases.caseloadPage({ ...query, offset: (requested - 1) * search.pageSize });
        const total = search.state === undefined ? counts.overdue + counts.due_soon + counts.on_track + counts.no_deadline : counts[search.state];
        // The page is read with its counts in one query; a page past the end is read again as the last.
        const { page, pageCount, offset } = pageWindow(requested, total, search.pageSize);
        if (page !== requested) ({ counts, rows } = await repos.cases.caseloadPage({ ...query, offset }));
        return { scope, rows, counts, total, page, pageCount, today, mayListAll };
      }, caseloadPlans(search));
    },

    /**
     * Runs sendDueReminders now and then every hour, on a timer that never keeps the process alive.
     * Failures go to `onError` (main.ts logs them), never thrown. Returns the function that stops it.
     */
    startReminders(onError: (error: unknown) => void, everyMs = 60 * 60 * 1000): () => void {
      const run = () => {
        this.sendDueReminders().catch(onError);
      };
      run();
      const timer = setInterval(run, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },

    /**
     * Emails each lead worker about deadlines coming up in the next 7 days, once per case, deadline,
     * due date and worker. Returns how many emails were sent.
     */
    async sendDueReminders(now: Date = deps.clock.now(), pageSize = REMINDER_PAGE): Promise<number> {
      if (deps.system === undefined || deps.mailer === undefined) return 0;
      const mailer = deps.mailer;
      const today = deps.clock.today();
      const until = addDays(today, 7);
      let sent = 0;
      for (const council of await deps.system.listCouncils()) {
        // A few hundred cases at a time, each page in a short transaction of three queries (the
        // cases, all their steps, the claims), so that a council of 20,000 cases neither holds a
        // connection for long nor sends thousands of queries while people are using the service.
        let after: { dueOn: string; caseId: string } | undefined;
        for (;;) {
          const page = await deps.withCouncil(council.id, async (tx) => {
            const repos = repositories(tx);
            const due = await repos.cases.dueForReminders(until, after, pageSize);
            const steps = await repos.cases.stepsOfCases(due.map((c) => c.caseId));
            const wanted: { due: DueCase; deadline: Deadline; about: string }[] = [];
            for (const c of due) {
              const deadlines = deadlinesOf(factsOf(c, c.dateOfBirth), toDomainSteps(steps.get(c.caseId) ?? []), today);
              for (const reminder of workerRemindersDue(deadlines, today)) wanted.push({ due: c, ...reminder });
            }
            const claims = wanted.map((w) => ({ caseId: w.due.caseId, about: w.about, dueOn: w.deadline.dueOn, recipient: 'worker' as const, recipientAccountId: w.due.leadWorkerId }));
            const claimed = await repos.cases.claimReminders(claims, now);
            // Only those claimed now: a reminder sent before (by an earlier run) is not sent again.
            const messages = wanted.flatMap((w, i) => {
              const claim = claims[i];
              return claim !== undefined && claimed.has(reminderKey(claim)) ? [workerReminder(w.due, w.deadline, today)] : [];
            });
            const last = due.at(-1);
            return { messages, next: due.length < pageSize || last === undefined ? undefined : { dueOn: last.nextDueOn, caseId: last.caseId } };
          });
          for (const message of page.messages) {
            await mailer.send({ ...message, kind: 'case-deadline-reminder' });
            sent += 1;
          }
          if (page.next === undefined) break;
          after = page.next;
        }
      }
      return sent;
    },
  };
}

/** Cases read per transaction by the reminders job. */
const REMINDER_PAGE = 500;


export type CaseServices = ReturnType<typeof caseServices>;
