/**
 * Support plans and co-production (issue 5), each use case in one council transaction with its
 * audit event:
 *  - start a plan for a case: version 1 is empty, or at a review a copy of the agreed plan; the
 *    indicative budget per stream is copied from the person's latest allocation result;
 *  - view it (any version), with its totals, what must be fixed before it can be submitted, the
 *    family's comments, their personal budget requests and the list of versions;
 *  - save one section at a time: every save is a new version with a change note. A plan may be
 *    edited only while it is 'draft' or 'returned'; saving a returned plan makes it 'draft' again
 *    (sign-off relies on this: a returned plan goes back through submission);
 *  - the family comments on a section and may propose a change; the worker accepts or declines
 *    (declining needs a note);
 *  - the family (or the worker recording it) asks for a personal budget for all or some items;
 *  - the difference between two versions, and the plan as a PDF.
 * The arithmetic and the rules are in src/domain/plans/.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { BudgetRequestRecord, PlanCommentRecord, PlanRecord, PlanVersionRecord } from '../db/repositories/plans.ts';
import type { DecisionRecord, RefusalRecord } from '../db/repositories/sign-off.ts';
import { mayDo, type Action, type Actor, type PersonAccessFacts } from '../domain/access/policy.ts';
import { isUuid } from '../domain/ids.ts';
import type { StreamCode } from '../domain/allocation/model.ts';
import type { Frequency, MoneyManagerKind, OutcomeArea, PlanContent, PlanOutcome, PlanProfile, SupportItem } from '../domain/plans/content.ts';
import type { Management } from '../domain/people/people.ts';
import { planTotals, type PlanTotals } from '../domain/plans/costs.ts';
import { diffContents, type PlanChange } from '../domain/plans/diff.ts';
import { EMPTY_CONTENT, contentFromJson, contentToJson } from '../domain/plans/json.ts';
import { validatePlanContent, type PlanProblem } from '../domain/plans/validate.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { NotFoundError } from './errors.ts';
import { requirePerson } from './people.ts';

export type Outcome<T = undefined> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly PlanProblem[] };
const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const refused = (path: string, message: string): Outcome<never> => ({ ok: false, errors: [{ path, message }] });

const EDITABLE = new Set(['draft', 'returned']);

export interface PlanView {
  readonly plan: PlanRecord;
  readonly shown: PlanVersionRecord & { readonly content: PlanContent };
  readonly totals: PlanTotals;
  /** What must be fixed before the plan can be submitted (including an unexplained over-budget plan). */
  readonly problems: readonly PlanProblem[];
  readonly comments: readonly PlanCommentRecord[];
  readonly budgetRequests: readonly BudgetRequestRecord[];
  readonly versions: readonly Omit<PlanVersionRecord, 'content'>[];
  readonly editable: boolean;
  readonly mayEdit: boolean;
  readonly mayComment: boolean;
  /** The streams the council funds (the support item form offers these). */
  readonly fundedStreams: readonly StreamCode[];
  /** Sign-off so far, with reasons, and any direct payment refused or withheld (each with its notice): the family sees these too. */
  readonly decisions: readonly DecisionRecord[];
  readonly refusals: readonly RefusalRecord[];
}

export type SectionInput =
  | { readonly section: 'profile'; readonly profile: PlanProfile }
  | { readonly section: 'outcome'; readonly outcome: Omit<PlanOutcome, 'id'>; readonly outcomeId?: string }
  | { readonly section: 'remove-outcome'; readonly outcomeId: string }
  | { readonly section: 'item'; readonly item: Omit<SupportItem, 'id'>; readonly itemId?: string }
  | { readonly section: 'remove-item'; readonly itemId: string }
  | { readonly section: 'contingency'; readonly amountPence: bigint; readonly purpose: string }
  | { readonly section: 'risks'; readonly risks: string }
  | { readonly section: 'money'; readonly kind: MoneyManagerKind; readonly name: string }
  | { readonly section: 'over-budget'; readonly reason: string };

export type { Frequency, OutcomeArea, Management, StreamCode };

function newId(): string {
  return crypto.randomBytes(6).toString('base64url');
}

/** Applies one section's change; returns the new content, the paths that section owns and its change note. */
function applySection(content: PlanContent, input: SectionInput): { content: PlanContent; owns: (path: string) => boolean; note: string } | { missing: string } {
  switch (input.section) {
    case 'profile':
      return { content: { ...content, profile: input.profile }, owns: (p) => p.startsWith('profile.'), note: 'Changed the profile' };
    case 'outcome': {
      if (input.outcomeId === undefined) {
        const id = newId();
        const index = content.outcomes.length;
        return {
          content: { ...content, outcomes: [...content.outcomes, { id, ...input.outcome }] },
          owns: (p) => p.startsWith(`outcomes.${index}.`) || p === 'outcomes',
          note: `Added outcome "${input.outcome.description}"`,
        };
      }
      const index = content.outcomes.findIndex((o) => o.id === input.outcomeId);
      if (index < 0) return { missing: 'outcome' };
      const outcomes = content.outcomes.map((o, i) => (i === index ? { id: o.id, ...input.outcome } : o));
      return { content: { ...content, outcomes }, owns: (p) => p.startsWith(`outcomes.${index}.`), note: `Changed outcome "${input.outcome.description}"` };
    }
    case 'remove-outcome': {
      const outcome = content.outcomes.find((o) => o.id === input.outcomeId);
      if (outcome === undefined) return { missing: 'outcome' };
      // Items no longer serve an outcome that has gone.
      const items = content.items.map((i) => ({ ...i, outcomeIds: i.outcomeIds.filter((id) => id !== input.outcomeId) }));
      return { content: { ...content, outcomes: content.outcomes.filter((o) => o.id !== input.outcomeId), items }, owns: () => false, note: `Removed outcome "${outcome.description}"` };
    }
    case 'item': {
      if (input.itemId === undefined) {
        const index = content.items.length;
        return {
          content: { ...content, items: [...content.items, { id: newId(), ...input.item }] },
          owns: (p) => p.startsWith(`items.${index}.`) || p === 'items',
          note: `Added support "${input.item.description}"`,
        };
      }
      const index = content.items.findIndex((i) => i.id === input.itemId);
      if (index < 0) return { missing: 'item' };
      const items = content.items.map((it, i) => (i === index ? { id: it.id, ...input.item } : it));
      return { content: { ...content, items }, owns: (p) => p.startsWith(`items.${index}.`), note: `Changed support "${input.item.description}"` };
    }
    case 'remove-item': {
      const item = content.items.find((i) => i.id === input.itemId);
      if (item === undefined) return { missing: 'item' };
      return { content: { ...content, items: content.items.filter((i) => i.id !== input.itemId) }, owns: () => false, note: `Removed support "${item.description}"` };
    }
    case 'contingency':
      return {
        content: { ...content, contingency: { amountPence: input.amountPence, purpose: input.purpose } },
        owns: (p) => p.startsWith('contingency.'),
        note: 'Changed the contingency',
      };
    case 'risks':
      return { content: { ...content, risks: input.risks }, owns: (p) => p === 'risks', note: 'Changed risks and how I keep safe' };
    case 'money':
      return {
        content: { ...content, moneyManager: { kind: input.kind, name: input.kind === 'not_applicable' || input.kind === 'person' ? '' : input.name } },
        owns: (p) => p.startsWith('moneyManager.'),
        note: 'Changed who manages the money',
      };
    case 'over-budget':
      return {
        content: { ...content, overBudgetReason: input.reason },
        // The reason's length is this section's; whether one is needed is checked at submission.
        owns: (p) => p === 'overBudgetReason' && input.reason.trim() !== '',
        note: 'Changed why the plan costs more than the indicative budget',
      };
  }
}

export function planServices(deps: { withCouncil: WithCouncil; clock: Clock }) {
  /** The plan, or NotFound/Forbidden as requirePerson answers. */
  async function requirePlan(repos: Repositories, actor: Actor, action: Action, planId: string): Promise<PlanRecord> {
    return (await requirePlanAndFacts(repos, actor, action, planId)).plan;
  }

  /** The plan and the person's access facts (for asking the policy about other actions without reading them again). */
  async function requirePlanAndFacts(repos: Repositories, actor: Actor, action: Action, planId: string): Promise<{ plan: PlanRecord; facts: PersonAccessFacts }> {
    const plan = isUuid(planId) ? await repos.plans.planById(planId) : undefined;
    if (plan === undefined) throw new NotFoundError(`No plan with id ${planId}${actor.kind === 'staff' ? ' in this council' : ' that you can see'}`);
    return { plan, facts: await requirePerson(repos, actor, action, plan.personId, deps.clock.today()) };
  }

  async function loadVersion(repos: Repositories, planId: string, version: number): Promise<PlanVersionRecord & { content: PlanContent }> {
    const record = await repos.plans.version(planId, version);
    if (record === undefined) throw new NotFoundError(`The plan has no version ${version}`);
    return { ...record, content: contentFromJson(record.content) };
  }

  async function audit(repos: Repositories, actor: Actor, context: RequestContext, action: string, personId: string, detail: Record<string, unknown>) {
    await repos.audit.record({ ...auditedBy(actor, context, deps.clock.now()), action, subjectType: 'person', subjectId: personId, detail });
  }

  /** A read of a person's plans, recorded with the COMMIT (decision 0022). */
  function auditRead(repos: Repositories, actor: Actor, context: RequestContext, personId: string, detail: Record<string, unknown>) {
    repos.audit.recordAtCommit({ ...auditedBy(actor, context, deps.clock.now()), action: 'person.plan_viewed', subjectType: 'person', subjectId: personId, detail });
  }


  return {
    /** Starts the plan of a case. Refused when the case already has a plan being written or signed off. */
    async startPlan(actor: Actor, personId: string, caseId: string, context: RequestContext): Promise<Outcome<{ planId: string }>> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:plan', personId, deps.clock.today());
        // The case must be one of this person's: a form naming another person's case is refused.
        const theCase = isUuid(caseId) ? await repos.plans.caseOf(caseId) : undefined;
        if (theCase === undefined || theCase.personId !== personId) return refused('caseId', 'Select the case the plan is for');
        const existing = await repos.plans.plansOfCase(caseId);
        if (existing.some((p) => ['draft', 'submitted', 'returned', 'approved'].includes(p.status))) {
          return refused('caseId', 'This case already has a plan being written or signed off');
        }
        const agreed = existing.find((p) => p.status === 'agreed');
        let content: PlanContent = EMPTY_CONTENT;
        if (agreed !== undefined) content = (await loadVersion(repos, agreed.id, agreed.currentVersion)).content;
        const indicative = await repos.plans.latestIndicativeBudget(theCase.personId);
        const now = deps.clock.now();
        const planId = crypto.randomUUID();
        await repos.plans.createPlan({
          id: planId,
          councilId: actor.councilId,
          personId: theCase.personId,
          caseId,
          kind: agreed === undefined ? 'initial' : 'review',
          replacesPlanId: agreed?.id ?? null,
          authorId: actor.accountId,
          indicativeBudget: indicative,
          contentJson: contentToJson(content),
          totalPence: planTotals(content, indicative).totalPence,
          changeNote: agreed === undefined ? 'Started the plan' : 'Started the review plan from the agreed plan',
          now,
        });
        await audit(repos, actor, context, 'person.plan_started', theCase.personId, { planId, caseId, kind: agreed === undefined ? 'initial' : 'review' });
        return ok({ planId });
      });
    },

    /** A person's plans, newest first (for their record). Audited as a read. */
    async plansOf(
      actor: Actor,
      personId: string,
      context: RequestContext,
    ): Promise<{ plans: PlanRecord[]; mayPlan: boolean; openCases: { id: string; caseType: string; requestDate: string }[] }> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const facts = await requirePerson(repos, actor, 'person:view', personId, deps.clock.today());
        const plans = await repos.plans.plansOfPerson(personId);
        auditRead(repos, actor, context, personId, { plans: plans.map((p) => p.id) });
        return { plans, mayPlan: mayDo(actor, 'person:plan', facts), openCases: await repos.plans.openCasesOf(personId) };
      });
    },

    /** The plan at a version (the current one by default), audited as a read. */
    async view(actor: Actor, planId: string, options: { version?: number }, context: RequestContext): Promise<PlanView> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const { plan, facts } = await requirePlanAndFacts(repos, actor, 'person:view', planId);
        const shown = await loadVersion(repos, planId, options.version ?? plan.currentVersion);
        const funded = await repos.plans.fundedStreams();
        const view: PlanView = {
          plan,
          shown,
          totals: planTotals(shown.content, plan.indicativeBudget),
          problems: validatePlanContent(shown.content, plan.indicativeBudget, { fundedStreams: funded }),
          comments: await repos.plans.commentsOf(planId),
          budgetRequests: await repos.plans.budgetRequestsOf(planId),
          versions: await repos.plans.versions(planId),
          editable: EDITABLE.has(plan.status),
          mayEdit: mayDo(actor, 'person:plan', facts),
          mayComment: mayDo(actor, 'person:comment-plan', facts),
          fundedStreams: funded,
          decisions: await repos.signOff.decisions(planId),
          refusals: await repos.signOff.refusals(planId),
        };
        auditRead(repos, actor, context, plan.personId, { planId, version: shown.version });
        return view;
      });
    },

    /**
     * Saves one section as a new version. Refused (errors by path, nothing saved) when that section
     * would be invalid; problems elsewhere in the plan (such as an unexplained over-budget plan)
     * do not stop a save, they stop a submission.
     */
    async saveSection(actor: Actor, planId: string, input: SectionInput, context: RequestContext, changeNote?: string): Promise<Outcome<{ version: number }>> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const plan = await requirePlan(repos, actor, 'person:plan', planId);
        if (!EDITABLE.has(plan.status)) return refused('plan', 'This plan can no longer be changed: it is being signed off or has been agreed');
        const current = await loadVersion(repos, planId, plan.currentVersion);
        const applied = applySection(current.content, input);
        if ('missing' in applied) throw new NotFoundError(`The plan has no such ${applied.missing}`);
        const funded = await repos.plans.fundedStreams();
        const errors = validatePlanContent(applied.content, plan.indicativeBudget, { fundedStreams: funded }).filter((p) => applied.owns(p.path));
        if (errors.length > 0) return { ok: false, errors };
        const version = await repos.plans.addVersion({
          councilId: actor.councilId,
          planId,
          expectedVersion: plan.currentVersion,
          contentJson: contentToJson(applied.content),
          totalPence: planTotals(applied.content, plan.indicativeBudget).totalPence,
          changeNote: changeNote ?? applied.note,
          by: actor.accountId,
          now: deps.clock.now(),
        });
        if (version === undefined) return refused('plan', 'Someone else changed the plan at the same time. Check the plan and try again');
        await audit(repos, actor, context, 'person.plan_changed', plan.personId, { planId, version, section: input.section });
        return ok({ version });
      });
    },

    /** The family comments on a section of the current version, perhaps proposing a change. */
    async comment(
      actor: Actor,
      planId: string,
      input: { section: string; body: string; proposedChange?: string },
      context: RequestContext,
    ): Promise<Outcome<{ commentId: string }>> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const plan = await requirePlan(repos, actor, 'person:comment-plan', planId);
        if (!EDITABLE.has(plan.status)) return refused('body', 'You can comment on the plan only while it is being written');
        const errors: PlanProblem[] = [];
        const section = input.section.trim();
        const body = input.body.trim();
        const proposed = (input.proposedChange ?? '').trim();
        if (section === '' || section.length > 100) errors.push({ path: 'section', message: 'Select which part of the plan your comment is about' });
        if (body === '') errors.push({ path: 'body', message: 'Enter your comment' });
        else if (body.length > 4000) errors.push({ path: 'body', message: 'Your comment must be 4,000 characters or fewer' });
        if (proposed.length > 4000) errors.push({ path: 'proposedChange', message: 'The change you propose must be 4,000 characters or fewer' });
        if (errors.length > 0) return { ok: false, errors };
        const commentId = crypto.randomUUID();
        await repos.plans.addComment({
          id: commentId,
          councilId: actor.councilId,
          planId,
          version: plan.currentVersion,
          section,
          authorId: actor.accountId,
          body,
          proposedChange: proposed === '' ? null : proposed,
          now: deps.clock.now(),
        });
        await audit(repos, actor, context, 'person.plan_commented', plan.personId, { planId, commentId, section });
        return ok({ commentId });
      });
    },

    /** The worker accepts or declines a comment; declining needs a note saying why. */
    async respondToComment(actor: Actor, commentId: string, input: { accept: boolean; note: string }, context: RequestContext): Promise<Outcome<{ planId: string }>> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const comment = isUuid(commentId) ? await repos.plans.commentById(commentId) : undefined;
        if (comment === undefined) throw new NotFoundError(`No comment with id ${commentId}`);
        const plan = await requirePlan(repos, actor, 'person:plan', comment.planId);
        const note = input.note.trim();
        if (!input.accept && note === '') return refused('note', 'Enter why you are declining the comment');
        if (note.length > 4000) return refused('note', 'The note must be 4,000 characters or fewer');
        const answered = await repos.plans.respondToComment({ commentId, status: input.accept ? 'accepted' : 'declined', note, by: actor.accountId, now: deps.clock.now() });
        if (!answered) return refused('accept', 'This comment has already been answered');
        await audit(repos, actor, context, 'person.plan_comment_answered', plan.personId, { planId: plan.id, commentId, accepted: input.accept });
        return ok({ planId: plan.id });
      });
    },

    /** The family asks for a personal budget (a worker may record the request for them). */
    async requestPersonalBudget(
      actor: Actor,
      planId: string,
      input: { scope: 'all' | 'some'; itemIds: readonly string[]; note?: string },
      context: RequestContext,
    ): Promise<Outcome<{ requestId: string }>> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const action: Action = actor.kind === 'staff' ? 'person:plan' : 'person:comment-plan';
        const plan = await requirePlan(repos, actor, action, planId);
        if (!EDITABLE.has(plan.status)) return refused('scope', 'You can ask for a personal budget only while the plan is being written');
        const current = await loadVersion(repos, planId, plan.currentVersion);
        const known = new Set(current.content.items.map((i) => i.id));
        const itemIds = [...new Set(input.itemIds)];
        const note = (input.note ?? '').trim();
        if (input.scope !== 'all' && input.scope !== 'some') return refused('scope', 'Select whether you want a personal budget for all the support or some of it');
        if (input.scope === 'some' && itemIds.length === 0) return refused('itemIds', 'Select the support you want a personal budget for');
        if (itemIds.some((id) => !known.has(id))) return refused('itemIds', 'Select support that is in the plan');
        if (note.length > 4000) return refused('note', 'The note must be 4,000 characters or fewer');
        const requestId = crypto.randomUUID();
        await repos.plans.addBudgetRequest({
          id: requestId,
          councilId: actor.councilId,
          personId: plan.personId,
          planId,
          stage: plan.kind === 'review' ? 'review' : 'draft',
          scope: input.scope,
          itemIds: input.scope === 'all' ? [] : itemIds,
          note: note === '' ? null : note,
          by: actor.accountId,
          on: deps.clock.today(),
          now: deps.clock.now(),
        });
        await audit(repos, actor, context, 'person.personal_budget_requested', plan.personId, { planId, requestId, scope: input.scope });
        return ok({ requestId });
      });
    },

    /** The difference between two versions, by section. Audited as a read. */
    async diff(actor: Actor, planId: string, fromVersion: number, toVersion: number, context: RequestContext): Promise<{ plan: PlanRecord; from: PlanVersionRecord; to: PlanVersionRecord; changes: PlanChange[]; versions: Omit<PlanVersionRecord, 'content'>[] }> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const plan = await requirePlan(repos, actor, 'person:view', planId);
        const from = await loadVersion(repos, planId, fromVersion);
        const to = await loadVersion(repos, planId, toVersion);
        auditRead(repos, actor, context, plan.personId, { planId, compared: [fromVersion, toVersion] });
        return { plan, from, to, changes: diffContents(from.content, to.content), versions: await repos.plans.versions(planId) };
      });
    },

    /** What the PDF is made from: the plan at a version with its totals. Audited as a download. */
    async pdf(actor: Actor, planId: string, version: number | undefined, context: RequestContext): Promise<{ plan: PlanRecord; shown: PlanVersionRecord & { content: PlanContent }; totals: PlanTotals }> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const plan = await requirePlan(repos, actor, 'person:view', planId);
        const shown = await loadVersion(repos, planId, version ?? plan.currentVersion);
        await audit(repos, actor, context, 'person.plan_pdf_downloaded', plan.personId, { planId, version: shown.version });
        return { plan, shown, totals: planTotals(shown.content, plan.indicativeBudget) };
      });
    },
  };
}

export type PlanServices = ReturnType<typeof planServices>;
