/**
 * Sign-off, agreement and the personal budget (issue 5), each use case in one council transaction
 * with its audit event:
 *  - the worker submits a draft plan that passes the plan checks and has a DBS check (or an
 *    approver's exception) for every personal assistant paid by direct payment;
 *  - an approver whose own limit covers the total, never the author, approves or returns it with
 *    reasons; above every approver's limit the panel decides;
 *  - the family (or a worker recording their signed agreement) agrees the approved plan, and its
 *    amounts by stream and way of managing become the person's personal budget;
 *  - an approver refuses or withholds a direct payment with reasons, which makes a written notice.
 * The rules are in src/domain/sign-off/ and src/domain/plans/.
 */
import { londonDate, type Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { DbsCheckRecord, DecisionRecord, PersonalBudgetRecord, RefusalRecord, TierRecord, WaitingPlanRecord } from '../db/repositories/sign-off.ts';
import type { PlanStatus } from '../db/schema.ts';
import { isUuid } from '../domain/ids.ts';
import { longDate } from '../domain/pathway/dates.ts';
import type { Mailer } from './mail/mailer.ts';
import type { BudgetSetUpServices } from './budget-set-up.ts';
import type { Action, Actor } from '../domain/access/policy.ts';
import { STREAM_LABELS, type StreamCode } from '../domain/allocation/model.ts';
import type { Pence } from '../domain/money/money.ts';
import type { PlanContent } from '../domain/plans/content.ts';
import { itemAnnualPence, planTotals, type PlanTotals } from '../domain/plans/costs.ts';
import { contentFromJson } from '../domain/plans/json.ts';
import { isReasonableDate, validatePlanContent } from '../domain/plans/validate.ts';
import { MANAGEMENT_LABELS } from '../domain/people/people.ts';
import {
  approverMayDecide,
  dbsProblems,
  isCertificateNumber,
  isRefusalCategory,
  needsPanel,
  noticeText,
  periodEnd,
  personalAssistantItems,
  routeFor,
  tierProblems,
  type ApprovalTier,
  type NoticeText,
} from '../domain/sign-off/sign-off.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { personHeader, requirePerson } from './people.ts';
import { fail, ok, requireAction, type FieldError, type Outcome } from './outcome.ts';

export type { FieldError, Outcome } from './outcome.ts';

/**
 * The plan is not at the step this action needs (agreeing a plan not yet approved, deciding a plan
 * already decided): pages show the detail, the API answers 409.
 */
export class OutOfOrderError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'OutOfOrderError';
  }
}

/** A plan at its current version, as sign-off reads it: who wrote it, its indicative budget, period and content. */
export interface SignOffPlan {
  readonly id: string;
  readonly personId: string;
  readonly caseId: string;
  readonly status: PlanStatus;
  readonly version: number;
  readonly authorId: string;
  readonly authorName: string;
  readonly indicative: Partial<Record<StreamCode, Pence>>;
  readonly periodStartsOn: string | null;
  readonly periodEndsOn: string | null;
  /** As stored: the JSON of src/domain/plans/content.ts (parsed with contentFromJson). */
  readonly content: unknown;
  readonly totalPence: bigint;
}

/** The plan and its current version through the plans repository's readers; undefined when there is none in this council. */
async function currentPlan(repos: Repositories, planId: string): Promise<SignOffPlan | undefined> {
  const plan = await repos.plans.planById(planId);
  if (plan === undefined) return undefined;
  const version = await repos.plans.version(plan.id, plan.currentVersion);
  if (version === undefined) return undefined;
  return {
    id: plan.id,
    personId: plan.personId,
    caseId: plan.caseId,
    status: plan.status,
    version: plan.currentVersion,
    authorId: plan.authorId,
    authorName: plan.authorName,
    indicative: plan.indicativeBudget,
    periodStartsOn: plan.periodStartsOn,
    periodEndsOn: plan.periodEndsOn,
    content: version.content,
    totalPence: version.totalPence,
  };
}

export interface SignOffView {
  readonly plan: SignOffPlan;
  readonly content: PlanContent;
  readonly totals: PlanTotals;
  readonly person: { readonly id: string; readonly name: string; readonly reference: string };
  readonly route: ApprovalTier | 'panel';
  readonly panel: boolean;
  /** Whether the signed-in approver may decide it, and why not. */
  readonly mayDecide: { readonly ok: true } | { readonly ok: false; readonly reason: string };
  readonly dbs: { readonly itemId: string; readonly description: string; readonly record: DbsCheckRecord | null }[];
  readonly decisions: readonly DecisionRecord[];
  readonly refusals: readonly RefusalRecord[];
}

export interface Queue {
  readonly mine: readonly WaitingPlanRecord[];
  readonly panel: readonly WaitingPlanRecord[];
  readonly others: readonly (WaitingPlanRecord & { readonly why: string })[];
  readonly limitPence: bigint | null;
}

export interface PlanSummary {
  readonly plan: SignOffPlan;
  readonly content: PlanContent;
  readonly person: { readonly id: string; readonly name: string; readonly reference: string };
  readonly problems: readonly FieldError[];
  readonly totals: PlanTotals;
}

export interface NoticeView {
  readonly refusal: RefusalRecord;
  readonly person: { readonly id: string; readonly name: string; readonly reference: string };
  readonly notice: NoticeText;
}

/** What the family is told, by email, when sign-off reaches them (no names: an email may be read by anyone). */
const FAMILY_EMAILS = {
  approved: {
    subject: 'A support plan is ready for you to agree',
    body: 'A support plan has been approved. Sign in to OneBudget to read it, and to agree to it and its personal budget:',
  },
  returned: {
    subject: 'A support plan has been sent back for changes',
    body: 'A support plan has been sent back to the lead worker with reasons. They will change it and send it for sign-off again. You can read the reasons on the plan:',
  },
  refused: {
    subject: 'A decision about a direct payment',
    body: 'We have made a decision not to give, or to hold back, a direct payment. The notice gives the reasons and how to ask us to review the decision:',
  },
} as const;

export function signOffServices(deps: {
  withCouncil: WithCouncil;
  clock: Clock;
  /** Puts the agreed budget on the ledger, in the agreement's own transaction (issue 6). */
  budgetSetUp: BudgetSetUpServices;
  /** Emails to the family at each sign-off step; none when undefined (as in tests that do not look). */
  mailer?: Mailer;
  /** Absolute links for those emails. */
  links?: { plan(planId: string): string; notice(refusalId: string): string };
}) {
  /** The family accounts linked to the person, to be told once the step is recorded. */
  async function familyOf(repos: Repositories, personId: string): Promise<string[]> {
    if (deps.mailer === undefined) return [];
    return (await repos.cases.familyAccounts(personId)).map((a) => a.email);
  }

  /** Sends after the transaction: a failed email never undoes the decision. */
  async function tellFamily(to: readonly string[], what: keyof typeof FAMILY_EMAILS, link: string | undefined): Promise<void> {
    if (deps.mailer === undefined) return;
    const message = FAMILY_EMAILS[what];
    for (const address of to) {
      await deps.mailer.send({ to: address, subject: message.subject, body: link === undefined ? message.body.replace(/:$/, '.') : `${message.body}\n${link}`, kind: 'plan-family-update' });
    }
  }

  /** The plan and the person, with the policy asked; 404 for an unknown plan. */
  async function loadPlan(repos: Repositories, actor: Actor, action: Action, planId: string) {
    const plan = isUuid(planId) ? await currentPlan(repos, planId) : undefined;
    if (plan === undefined) throw new NotFoundError(`No plan with id ${planId}${actor.kind === 'staff' ? ' in this council' : ' that you can see'}`);
    const facts = await requirePerson(repos, actor, action, plan.personId, deps.clock.today());
    return { plan, facts, content: contentFromJson(plan.content) };
  }


  /** Whether a total goes to the panel: above every approver's limit and the council's tiers. */
  async function panelNeeded(repos: Repositories, totalPence: bigint, tiers?: readonly TierRecord[]): Promise<boolean> {
    const limits = (await repos.signOff.approvers()).map((a) => a.limitPence);
    return needsPanel(totalPence, limits, tiers ?? (await repos.signOff.tiers()));
  }

  /** A read of the plan for sign-off, audited as a read of the person's record. */
  async function auditSignOffRead(repos: Repositories, actor: Actor, context: RequestContext, plan: SignOffPlan): Promise<void> {
    await repos.audit.record({
      ...auditedBy(actor, context, deps.clock.now()),
      action: 'person.plan_sign_off_viewed',
      subjectType: 'person',
      subjectId: plan.personId,
      detail: { planId: plan.id },
    });
  }

  return {
    /**
     * A plan for one of the forms (submit, agree, refuse, DBS), asking the policy for the action the
     * form is for; with the problems that stop it being submitted (empty: it may be). Audited as a read.
     */
    async summary(actor: Actor, planId: string, action: Action, context: RequestContext): Promise<PlanSummary> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const { plan, content } = await loadPlan(repos, actor, action, planId);
        const checks = await repos.signOff.dbsChecks(plan.id);
        const summary: PlanSummary = {
          plan,
          content,
          person: await personHeader(repos, plan.personId),
          problems: submitProblems(plan, content, checks),
          totals: planTotals(content, plan.indicative),
        };
        await auditSignOffRead(repos, actor, context, plan);
        return summary;
      });
    },

    /**
     * Sends a draft plan for sign-off. A returned plan is submitted again only after the worker has
     * changed it (the plans service then sets it back to 'draft').
     */
    async submit(actor: Actor, planId: string, input: { note?: string }, context: RequestContext): Promise<Outcome> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const { plan, content } = await loadPlan(repos, actor, 'person:plan', planId);
        if (plan.status !== 'draft') {
          throw new OutOfOrderError(
            plan.status === 'returned'
              ? 'This plan was returned: change it before submitting it again'
              : `This plan is ${plan.status}, so it cannot be submitted`,
          );
        }
        const checks = await repos.signOff.dbsChecks(plan.id);
        const problems = submitProblems(plan, content, checks);
        const note = (input.note ?? '').trim();
        if (note.length > 4000) problems.push({ path: 'note', message: 'The note must be 4,000 characters or fewer' });
        if (problems.length > 0) return fail(problems);
        const now = deps.clock.now();
        if (!(await repos.signOff.setStatus(plan.id, 'draft', 'submitted', now))) throw new OutOfOrderError('This plan has just been changed by someone else');
        await repos.signOff.insertDecision({
          councilId: actor.councilId,
          planId: plan.id,
          version: plan.version,
          decision: 'submitted',
          decidedBy: actor.accountId,
          decidedAt: now,
          reasons: note === '' ? 'Submitted for sign-off' : note,
          totalPence: plan.totalPence,
          limitPence: null,
        });
        await repos.signOff.setPersonStage(plan.personId, 'approval', deps.clock.today());
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.plan_submitted',
          subjectType: 'person',
          subjectId: plan.personId,
          detail: { planId: plan.id, version: plan.version, totalPence: plan.totalPence.toString() },
        });
        return ok(undefined);
      });
    },

    /** The plans waiting for sign-off, split into those this approver may decide, the panel's, and the rest with why. */
    async queue(actor: Actor): Promise<Queue> {
      requireAction(actor, 'plan:approve');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const waiting = await repos.signOff.waiting();
        const limitPence = await repos.signOff.approverLimit(actor.accountId);
        const approvers = await repos.signOff.approvers();
        const tiers = await repos.signOff.tiers();
        const mine: WaitingPlanRecord[] = [];
        const panel: WaitingPlanRecord[] = [];
        const others: (WaitingPlanRecord & { why: string })[] = [];
        const limits = approvers.map((a) => a.limitPence);
        for (const w of waiting) {
          if (needsPanel(w.totalPence, limits, tiers)) {
            panel.push(w);
            continue;
          }
          const may = approverMayDecide({ approverId: actor.accountId, limitPence, authorId: w.authorId, totalPence: w.totalPence });
          if (may.ok) mine.push(w);
          else others.push({ ...w, why: may.reason });
        }
        return { mine, panel, others, limitPence };
      });
    },

    /** One plan for the approver: totals, DBS state, route, decisions so far. Audited as a read of the record. */
    async view(actor: Actor, planId: string, context: RequestContext): Promise<SignOffView> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const { plan, content } = await loadPlan(repos, actor, 'plan:approve', planId);
        const tiers = await repos.signOff.tiers();
        const limitPence = await repos.signOff.approverLimit(actor.accountId);
        const checks = await repos.signOff.dbsChecks(plan.id);
        const latest = new Map(checks.map((c) => [c.itemId, c]));
        const view: SignOffView = {
          plan,
          content,
          totals: planTotals(content, plan.indicative),
          person: await personHeader(repos, plan.personId),
          route: routeFor(plan.totalPence, tiers),
          panel: await panelNeeded(repos, plan.totalPence, tiers),
          mayDecide: approverMayDecide({ approverId: actor.accountId, limitPence, authorId: plan.authorId, totalPence: plan.totalPence }),
          dbs: personalAssistantItems(content).map((item) => ({ itemId: item.id, description: item.description, record: latest.get(item.id) ?? null })),
          decisions: await repos.signOff.decisions(plan.id),
          refusals: await repos.signOff.refusals(plan.id),
        };
        await auditSignOffRead(repos, actor, context, plan);
        return view;
      });
    },

    /**
     * Approve or return a submitted plan within the approver's own limit. The author and an approver
     * whose limit is below the total are refused (ForbiddenError); a plan no longer 'submitted'
     * (someone decided first) is out of order.
     */
    async decide(actor: Actor, planId: string, input: { decision: string; reasons: string }, context: RequestContext): Promise<Outcome> {
      let told: { to: string[]; what: 'approved' | 'returned' } | undefined;
      const outcome = await deps.withCouncil(actor.councilId, async (tx): Promise<Outcome> => {
        const repos = repositories(tx);
        const { plan } = await loadPlan(repos, actor, 'plan:approve', planId);
        if (plan.status !== 'submitted') throw new OutOfOrderError(`This plan has already been decided: it is ${plan.status}`);
        const limitPence = await repos.signOff.approverLimit(actor.accountId);
        const may = approverMayDecide({ approverId: actor.accountId, limitPence, authorId: plan.authorId, totalPence: plan.totalPence });
        if (!may.ok) throw new ForbiddenError(may.reason);
        const errors = decisionErrors(input);
        if (errors.length > 0) return fail(errors);
        const decision = input.decision === 'approve' ? 'approved' : 'returned';
        const now = deps.clock.now();
        if (!(await repos.signOff.setStatus(plan.id, 'submitted', decision, now))) throw new OutOfOrderError('Another approver has just decided this plan');
        await repos.signOff.insertDecision({
          councilId: actor.councilId,
          planId: plan.id,
          version: plan.version,
          decision,
          decidedBy: actor.accountId,
          decidedAt: now,
          reasons: input.reasons.trim(),
          totalPence: plan.totalPence,
          limitPence,
        });
        if (decision === 'returned') await repos.signOff.setPersonStage(plan.personId, 'planning', deps.clock.today());
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: decision === 'approved' ? 'person.plan_approved' : 'person.plan_returned',
          subjectType: 'person',
          subjectId: plan.personId,
          detail: { planId: plan.id, version: plan.version, totalPence: plan.totalPence.toString(), limitPence: limitPence?.toString() ?? null },
        });
        told = { to: await familyOf(repos, plan.personId), what: decision };
        return ok(undefined);
      });
      if (told !== undefined) await tellFamily(told.to, told.what, deps.links?.plan(planId));
      return outcome;
    },

    /** The panel's decision, recorded by an approver, only for a plan above every approver's limit. */
    async panelDecision(
      actor: Actor,
      planId: string,
      input: { decision: string; reasons: string; panelDate: string; panelMembers: string },
      context: RequestContext,
    ): Promise<Outcome> {
      let told: { to: string[]; what: 'approved' | 'returned' } | undefined;
      const outcome = await deps.withCouncil(actor.councilId, async (tx): Promise<Outcome> => {
        const repos = repositories(tx);
        const { plan } = await loadPlan(repos, actor, 'plan:approve', planId);
        if (plan.status !== 'submitted') throw new OutOfOrderError(`This plan has already been decided: it is ${plan.status}`);
        if (!(await panelNeeded(repos, plan.totalPence))) {
          throw new ForbiddenError('This plan is within an approver’s limit: an approver signs it off, not the panel');
        }
        const errors = decisionErrors(input);
        const today = deps.clock.today();
        if (input.panelDate.trim() === '') errors.push({ path: 'panelDate', message: 'Enter the date of the panel' });
        else if (!isReasonableDate(input.panelDate)) errors.push({ path: 'panelDate', message: 'The date of the panel must be a real date' });
        else if (input.panelDate > today) errors.push({ path: 'panelDate', message: 'The date of the panel must be today or in the past' });
        const members = input.panelMembers.trim();
        if (members === '') errors.push({ path: 'panelMembers', message: 'Enter who sat on the panel' });
        else if (members.length > 1000) errors.push({ path: 'panelMembers', message: 'The panel members must be 1,000 characters or fewer' });
        if (errors.length > 0) return fail(errors);
        const decision = input.decision === 'approve' ? 'approved' : 'returned';
        const now = deps.clock.now();
        if (!(await repos.signOff.setStatus(plan.id, 'submitted', decision, now))) throw new OutOfOrderError('This plan has just been decided');
        await repos.signOff.insertDecision({
          councilId: actor.councilId,
          planId: plan.id,
          version: plan.version,
          decision: decision === 'approved' ? 'panel_approved' : 'panel_returned',
          decidedBy: actor.accountId,
          decidedAt: now,
          reasons: input.reasons.trim(),
          totalPence: plan.totalPence,
          limitPence: null,
          panelDate: input.panelDate,
          panelMembers: members,
        });
        if (decision === 'returned') await repos.signOff.setPersonStage(plan.personId, 'planning', today);
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.plan_panel_decided',
          subjectType: 'person',
          subjectId: plan.personId,
          detail: { planId: plan.id, version: plan.version, decision, panelDate: input.panelDate },
        });
        told = { to: await familyOf(repos, plan.personId), what: decision };
        return ok(undefined);
      });
      if (told !== undefined) await tellFamily(told.to, told.what, deps.links?.plan(planId));
      return outcome;
    },

    /**
     * The family agrees an approved plan (or a worker records their signed agreement): the plan is
     * agreed, the case's previous agreed plan superseded, and the personal budget made for the plan
     * period (from the plan's own period when set, else 12 months less a day from the agreement).
     */
    async agree(actor: Actor, planId: string, input: { typedName: string; agreedOn: string; confirmed: boolean }, context: RequestContext): Promise<Outcome<{ personalBudgetId: string }>> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const { plan, content } = await loadPlan(repos, actor, 'plan:agree', planId);
        if (plan.status !== 'approved') {
          throw new OutOfOrderError(
            plan.status === 'agreed' ? 'This plan has already been agreed' : 'This plan has not been signed off yet: it can be agreed once it is approved',
          );
        }
        const today = deps.clock.today();
        const decisions = await repos.signOff.decisions(plan.id);
        const approval = [...decisions].reverse().find((d) => d.decision === 'approved' || d.decision === 'panel_approved');
        const approvedOn = approval === undefined ? null : londonDate(approval.decidedAt);
        const errors: FieldError[] = [];
        const typedName = input.typedName.trim();
        if (typedName === '') errors.push({ path: 'typedName', message: 'Type your full name to agree' });
        else if (typedName.length > 200) errors.push({ path: 'typedName', message: 'Your name must be 200 characters or fewer' });
        if (input.agreedOn.trim() === '') errors.push({ path: 'agreedOn', message: 'Enter the date the plan was agreed' });
        else if (!isReasonableDate(input.agreedOn)) errors.push({ path: 'agreedOn', message: 'The date the plan was agreed must be a real date' });
        else if (input.agreedOn > today) errors.push({ path: 'agreedOn', message: 'The date the plan was agreed must be today or in the past' });
        else if (approvedOn !== null && input.agreedOn < approvedOn) {
          errors.push({ path: 'agreedOn', message: `The date the plan was agreed must be on or after the date it was signed off, ${longDate(approvedOn)}` });
        }
        if (!input.confirmed) errors.push({ path: 'confirmed', message: 'Confirm that you agree to this plan and its personal budget' });
        if (errors.length > 0) return fail(errors);

        const now = deps.clock.now();
        if (!(await repos.signOff.setStatus(plan.id, 'approved', 'agreed', now))) throw new OutOfOrderError('This plan has just been agreed');
        await repos.signOff.supersedeAgreed(plan.caseId, plan.id, now);
        await repos.signOff.insertAgreement({ councilId: actor.councilId, planId: plan.id, version: plan.version, agreedBy: actor.accountId, typedName, agreedOn: input.agreedOn, recordedAt: now });
        const totals = planTotals(content, plan.indicative);
        const supersedes = (await repos.signOff.activeBudget(plan.personId))?.id;
        const startsOn = plan.periodStartsOn ?? input.agreedOn;
        const endsOn = plan.periodStartsOn !== null && plan.periodEndsOn !== null ? plan.periodEndsOn : periodEnd(startsOn);
        const personalBudgetId = await repos.signOff.createPersonalBudget({
          councilId: actor.councilId,
          personId: plan.personId,
          planId: plan.id,
          version: plan.version,
          startsOn,
          endsOn,
          totalPence: totals.byStreamAndManagement.reduce((sum, l) => sum + l.annualPence, 0n),
          lines: totals.byStreamAndManagement.map((l) => ({
            stream: l.stream,
            management: l.management,
            annualPence: l.annualPence,
            description: `Personal budget: ${STREAM_LABELS[l.stream]}, ${MANAGEMENT_LABELS[l.management].toLowerCase()}`,
          })),
          createdAt: now,
        });
        await deps.budgetSetUp.setUpWithin(tx, actor.councilId, personalBudgetId, actor.accountId, supersedes === undefined ? {} : { supersedes });
        await repos.signOff.setPersonStage(plan.personId, 'agreed', today);
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.plan_agreed',
          subjectType: 'person',
          subjectId: plan.personId,
          detail: { planId: plan.id, version: plan.version, agreedOn: input.agreedOn, personalBudgetId },
        });
        return ok({ personalBudgetId });
      });
    },

    /** Refuse or withhold a direct payment with a category and reasons; makes a written notice. */
    async refuseDirectPayment(
      actor: Actor,
      planId: string,
      input: { outcome: string; category: string; reasons: string; itemIds: readonly string[] },
      context: RequestContext,
    ): Promise<Outcome<{ refusalId: string }>> {
      let told: string[] = [];
      const outcome = await deps.withCouncil(actor.councilId, async (tx): Promise<Outcome<{ refusalId: string }>> => {
        const repos = repositories(tx);
        const { plan, content } = await loadPlan(repos, actor, 'plan:refuse-direct-payment', planId);
        const errors: FieldError[] = [];
        if (input.outcome !== 'refused' && input.outcome !== 'withheld') errors.push({ path: 'outcome', message: 'Select whether the direct payment is refused or withheld' });
        if (!isRefusalCategory(input.category)) errors.push({ path: 'category', message: 'Select the reason for the decision' });
        const reasons = input.reasons.trim();
        if (reasons === '') errors.push({ path: 'reasons', message: 'Enter the reasons for the decision, in words the family will read' });
        else if (reasons.length > 4000) errors.push({ path: 'reasons', message: 'The reasons must be 4,000 characters or fewer' });
        const dpItems = new Set(content.items.filter((i) => i.management === 'direct_payment').map((i) => i.id));
        if (input.itemIds.some((id) => !dpItems.has(id))) errors.push({ path: 'itemIds', message: 'Select only support paid by direct payment' });
        if (errors.length > 0 || !isRefusalCategory(input.category) || (input.outcome !== 'refused' && input.outcome !== 'withheld')) return fail(errors);
        const now = deps.clock.now();
        const refusalId = await repos.signOff.insertRefusal({
          councilId: actor.councilId,
          planId: plan.id,
          version: plan.version,
          itemIds: [...new Set(input.itemIds)],
          outcome: input.outcome,
          category: input.category,
          reasons,
          decidedBy: actor.accountId,
          decidedOn: deps.clock.today(),
          recordedAt: now,
        });
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.direct_payment_refused',
          subjectType: 'person',
          subjectId: plan.personId,
          detail: { planId: plan.id, refusalId, outcome: input.outcome, category: input.category },
        });
        told = await familyOf(repos, plan.personId);
        return ok({ refusalId });
      });
      if (outcome.ok) await tellFamily(told, 'refused', deps.links?.notice(outcome.value.refusalId));
      return outcome;
    },

    /** The written notice of a refusal, for the family (from their account) and the worker to print. */
    async notice(actor: Actor, refusalId: string, context: RequestContext): Promise<NoticeView> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const refusal = isUuid(refusalId) ? await repos.signOff.refusal(refusalId) : undefined;
        if (refusal === undefined) throw new NotFoundError(`No notice with id ${refusalId}`);
        await requirePerson(repos, actor, 'person:view', refusal.personId, deps.clock.today());
        const plan = await currentPlan(repos, refusal.planId);
        const content = plan === undefined ? null : contentFromJson(plan.content);
        const person = await personHeader(repos, refusal.personId);
        const covered = refusal.itemIds.length > 0 ? new Set(refusal.itemIds) : null;
        const items = (content?.items ?? [])
          .filter((i) => i.management === 'direct_payment' && (covered === null || covered.has(i.id)))
          .map((i) => ({ description: i.description, annualPence: itemAnnualPence(i) }));
        const sen = (content?.items ?? []).some((i) => i.stream === 'education_high_needs');
        const notice = noticeText({ outcome: refusal.outcome, category: refusal.category, reasons: refusal.reasons, decidedOn: longDate(refusal.decidedOn), personName: person.name, items, sen });
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'person.direct_payment_notice_viewed',
          subjectType: 'person',
          subjectId: refusal.personId,
          detail: { refusalId },
        });
        return { refusal, person, notice };
      });
    },

    /** A DBS check (the caseworker) or an agreed exception (an approver) for a personal assistant item. */
    async recordDbs(
      actor: Actor,
      planId: string,
      itemId: string,
      input: { kind: 'check'; checkedOn: string; certificateNumber: string } | { kind: 'exception'; reason: string },
      context: RequestContext,
    ): Promise<Outcome> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const { plan, content } = await loadPlan(repos, actor, input.kind === 'check' ? 'person:plan' : 'plan:approve', planId);
        if (!personalAssistantItems(content).some((i) => i.id === itemId)) throw new NotFoundError(`No personal assistant paid by direct payment with id ${itemId} in this plan`);
        const errors: FieldError[] = [];
        if (input.kind === 'check') {
          if (input.checkedOn.trim() === '') errors.push({ path: 'checkedOn', message: 'Enter the date of the DBS check' });
          else if (!isReasonableDate(input.checkedOn)) errors.push({ path: 'checkedOn', message: 'The date of the DBS check must be a real date' });
          else if (input.checkedOn > deps.clock.today()) errors.push({ path: 'checkedOn', message: 'The date of the DBS check must be today or in the past' });
          const number = input.certificateNumber.replace(/\s+/g, '');
          if (number === '') errors.push({ path: 'certificateNumber', message: 'Enter the DBS certificate number' });
          else if (!isCertificateNumber(number)) errors.push({ path: 'certificateNumber', message: 'The DBS certificate number must be 12 digits' });
        } else if (input.reason.trim() === '') errors.push({ path: 'reason', message: 'Enter why a DBS check is not needed' });
        else if (input.reason.trim().length > 4000) errors.push({ path: 'reason', message: 'The reason must be 4,000 characters or fewer' });
        if (errors.length > 0) return fail(errors);
        const now = deps.clock.now();
        await repos.signOff.insertDbs({
          councilId: actor.councilId,
          planId: plan.id,
          itemId,
          kind: input.kind,
          checkedOn: input.kind === 'check' ? input.checkedOn : null,
          certificateNumber: input.kind === 'check' ? input.certificateNumber.replace(/\s+/g, '') : null,
          exceptionReason: input.kind === 'exception' ? input.reason.trim() : null,
          recordedBy: actor.accountId,
          recordedAt: now,
        });
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.dbs_check_recorded',
          subjectType: 'person',
          subjectId: plan.personId,
          detail: { planId: plan.id, itemId, kind: input.kind },
        });
        return ok(undefined);
      });
    },

    async tiers(actor: Actor): Promise<TierRecord[]> {
      requireAction(actor, 'approval-tiers:manage');
      return deps.withCouncil(actor.councilId, async (tx) => repositories(tx).signOff.tiers());
    },

    /** Replaces the council's tiers: names and limits in pence, strictly increasing, at least one. */
    async saveTiers(actor: Actor, tiers: readonly { name: string; upToPence: bigint | null }[], context: RequestContext): Promise<Outcome> {
      requireAction(actor, 'approval-tiers:manage');
      const problems = tierProblems(tiers);
      if (problems.length > 0) return fail(problems.map((p) => ({ path: p.field === 'all' ? 'tiers' : `tiers.${p.index}.${p.field}`, message: p.message })));
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const now = deps.clock.now();
        await repos.signOff.replaceTiers(actor.councilId, tiers.map((t) => ({ name: t.name.trim(), upToPence: t.upToPence ?? 0n })));
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'approval_tiers.changed',
          subjectType: 'council',
          subjectId: actor.councilId,
          detail: { tiers: tiers.map((t) => ({ name: t.name.trim(), upToPence: (t.upToPence ?? 0n).toString() })) },
        });
        return ok(undefined);
      });
    },

    /** The person's active personal budget with its lines (undefined before any plan is agreed): payments need one. */
    async activeBudget(actor: Actor, personId: string, context: RequestContext): Promise<PersonalBudgetRecord | undefined> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:view', personId, deps.clock.today());
        const budget = await repos.signOff.activeBudget(personId);
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'person.personal_budget_viewed',
          subjectType: 'person',
          subjectId: personId,
          detail: { personalBudgetId: budget?.id ?? null },
        });
        return budget;
      });
    },
  };
}

function decisionErrors(input: { decision: string; reasons: string }): FieldError[] {
  const errors: FieldError[] = [];
  if (input.decision !== 'approve' && input.decision !== 'return') errors.push({ path: 'decision', message: 'Select whether to approve the plan or return it' });
  const reasons = input.reasons.trim();
  if (reasons === '') errors.push({ path: 'reasons', message: 'Enter the reasons for your decision' });
  else if (reasons.length > 4000) errors.push({ path: 'reasons', message: 'The reasons must be 4,000 characters or fewer' });
  return errors;
}

function submitProblems(plan: SignOffPlan, content: PlanContent, checks: readonly DbsCheckRecord[]): FieldError[] {
  const problems: FieldError[] = validatePlanContent(content, plan.indicative).map((p) => ({ path: p.path, message: p.message }));
  if (content.items.length === 0) problems.push({ path: 'items', message: 'Add at least one support item before submitting the plan' });
  for (const item of dbsProblems(content, checks)) {
    problems.push({ path: `dbs.${item.id}`, message: `Record a DBS check for the personal assistant in “${item.description}”, or ask an approver to agree an exception` });
  }
  return problems;
}
