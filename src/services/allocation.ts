/**
 * Resource allocation use cases (issue 4), each in one council transaction with its audit event:
 *  - model versions: start a draft (a copy of a version, or imported JSON), change it, preview it
 *    with sample answers, publish it (the version before is retired the same day), export it;
 *  - the questionnaire for one person: start or resume, answer question by question, submit; the
 *    indicative budget is scored under the version it was answered under and kept with its whole
 *    explanation;
 *  - exceptional cases: a worker asks, an approver (never the one who asked) decides with reasons;
 *  - publication: the version in force, for anyone, without signing in.
 * The arithmetic is in src/domain/allocation/ and nowhere else.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import type { SystemRepository } from '../db/system.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { AssessmentRecord, ExceptionalCaseRecord, ModelVersionRecord, ResultRecord } from '../db/repositories/allocation.ts';
import { mayDo, type Action, type Actor } from '../domain/access/policy.ts';
import { allQuestions, questionApplies, type AllocationModel, type Answers, type Question, type StreamCode } from '../domain/allocation/model.ts';
import { modelToJson, parseModel, type ValidationError } from '../domain/allocation/validate.ts';
import { score, type AllocationResult } from '../domain/allocation/score.ts';
import { publish as publishVersion, type ModelVersion } from '../domain/allocation/lifecycle.ts';
import { resultFromJson, resultToJson } from '../domain/allocation/result-json.ts';
import { ageOn } from '../domain/people/people.ts';
import { auditedBy, type RequestContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { requirePerson } from './people.ts';
import type { Council } from './councils.ts';

/** A stored version with its model parsed. A stored model was checked when it was saved. */
export interface ModelVersionView extends ModelVersionRecord {
  readonly model: AllocationModel;
}

export interface PersonHeader {
  readonly id: string;
  readonly reference: string;
  readonly name: string;
  readonly dateOfBirth: string;
  readonly age: number;
}

export interface QuestionnaireProgress {
  readonly answered: number;
  readonly total: number;
}

export interface ResultView {
  readonly record: ResultRecord;
  readonly result: AllocationResult;
  readonly assessment: AssessmentRecord;
  readonly model: ModelVersionView;
  readonly requests: readonly ExceptionalCaseRecord[];
}

export interface AllocationOverview {
  readonly person: PersonHeader;
  readonly published: { readonly version: number; readonly name: string } | null;
  /** The questionnaire in progress; `nextQuestionId` is its first unanswered question (null: all answered). */
  readonly open: (AssessmentRecord & { readonly progress: QuestionnaireProgress; readonly nextQuestionId: string | null }) | null;
  /** The result shown: the one asked for, or the latest. */
  readonly shown: ResultView | null;
  /** Every result, newest first. */
  readonly history: readonly ResultRecord[];
  readonly mayAssess: boolean;
  readonly mayRequestException: boolean;
}

export interface QuestionnaireView {
  readonly person: PersonHeader;
  readonly assessment: AssessmentRecord;
  readonly model: ModelVersionView;
  /** The questions that apply at the person's age, in order, with their domain's title. */
  readonly questions: readonly { readonly domainTitle: string; readonly question: Question }[];
  readonly progress: QuestionnaireProgress;
}

export type Outcome<T = undefined> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly ValidationError[] };

export interface PublishedAllocation {
  readonly council: Council;
  readonly version: ModelVersionView | null;
}

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const refused = (path: string, message: string): Outcome<never> => ({ ok: false, errors: [{ path, message }] });

function viewOf(record: ModelVersionRecord): ModelVersionView {
  const parsed = parseModel(record.json);
  if (!parsed.ok) throw new Error(`stored allocation model version ${record.version} does not pass its checks`);
  return { ...record, model: parsed.value };
}

function applicable(model: AllocationModel, age: number) {
  return model.questionnaire.domains.flatMap((d) => d.questions.filter((q) => questionApplies(q, age)).map((question) => ({ domainTitle: d.title, question })));
}

/**
 * The question to go to next: the first unanswered one after `after` in the questionnaire's order,
 * else the first unanswered one anywhere, else null (every question answered: check the answers).
 */
function nextUnanswered(model: AllocationModel, answers: Answers, age: number, after?: string): string | null {
  const unanswered = applicable(model, age).map((q) => q.question).filter((q) => !q.levels.some((l) => l.id === answers[q.id]));
  const ids = applicable(model, age).map((q) => q.question.id);
  const from = after === undefined ? -1 : ids.indexOf(after);
  return (unanswered.find((q) => ids.indexOf(q.id) > from) ?? unanswered[0])?.id ?? null;
}

function progressOf(model: AllocationModel, answers: Answers, age: number): QuestionnaireProgress {
  const questions = applicable(model, age);
  const answered = questions.filter(({ question }) => question.levels.some((l) => l.id === answers[question.id])).length;
  return { answered, total: questions.length };
}

/** Only the answers to questions asked at this age, with levels that exist: what scoring accepts. */
export function answersInScope(model: AllocationModel, answers: Answers, age: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const question of allQuestions(model)) {
    const levelId = answers[question.id];
    if (questionApplies(question, age) && levelId !== undefined && question.levels.some((l) => l.id === levelId)) out[question.id] = levelId;
  }
  return out;
}

/** The current package per stream, kept only for the streams the model converts: what submit scores with and stores. */
export function packageInModel(model: AllocationModel, pkg: Readonly<Partial<Record<StreamCode, bigint>>>): Partial<Record<StreamCode, bigint>> {
  return Object.fromEntries(Object.entries(pkg).filter(([code]) => model.conversions[code as StreamCode] !== undefined)) as Partial<Record<StreamCode, bigint>>;
}

/** The indicative budget per stream of a result, as the result row keeps it. */
export function streamPenceOf(result: AllocationResult): Partial<Record<StreamCode, bigint>> {
  return Object.fromEntries(result.streams.map((s) => [s.stream, s.indicativePence])) as Partial<Record<StreamCode, bigint>>;
}

/** The reason of the exceptional-case request made when a result reaches a cap. */
export function capRequestReason(result: AllocationResult): string {
  const capped = result.streams.filter((s) => s.capped).map((s) => s.summary);
  return `The indicative budget reached the cap of the allocation model, so the exceptional cases panel decides the amount. ${capped.join(' ')}`;
}

function toVersions(records: readonly ModelVersionRecord[]): ModelVersion[] {
  return records.map((r) => ({ version: r.version, status: r.status, publishedOn: r.publishedOn, retiredOn: r.retiredOn, model: viewOf(r).model }));
}

export function allocationServices(deps: { withCouncil: WithCouncil; system: SystemRepository; clock: Clock }) {
  const requireAction = (actor: Actor, action: Action, why: string) => {
    if (!mayDo(actor, action)) throw new ForbiddenError(why);
  };

  async function personHeader(repos: Repositories, personId: string): Promise<PersonHeader> {
    const person = await repos.people.findById(personId);
    if (person === undefined) throw new NotFoundError(`No person with id ${personId}`);
    return {
      id: person.id,
      reference: person.reference,
      name: `${person.givenName} ${person.familyName}`,
      dateOfBirth: person.dateOfBirth,
      age: ageOn(person.dateOfBirth, deps.clock.today()),
    };
  }

  async function requireVersion(repos: Repositories, version: number): Promise<ModelVersionView> {
    const record = Number.isSafeInteger(version) ? await repos.allocation.modelByVersion(version) : undefined;
    if (record === undefined) throw new NotFoundError(`There is no version ${version} of the allocation model`);
    return viewOf(record);
  }

  /** The questionnaire in progress for a person the actor may assess, with its model version; undefined when none is open. */
  async function openQuestionnaire(repos: Repositories, actor: Actor, personId: string): Promise<{ assessment: AssessmentRecord; model: ModelVersionView } | undefined> {
    await requirePerson(repos, actor, 'person:assess', personId, deps.clock.today());
    const assessment = await repos.allocation.openAssessment(personId);
    if (assessment === undefined) return undefined;
    const model = await repos.allocation.modelById(assessment.modelId);
    if (model === undefined) throw new Error(`questionnaire ${assessment.id} has lost its model`);
    return { assessment, model: viewOf(model) };
  }

  async function resultView(repos: Repositories, record: ResultRecord): Promise<ResultView> {
    const assessment = await repos.allocation.assessmentById(record.assessmentId);
    const model = await repos.allocation.modelById(record.modelId);
    if (assessment === undefined || model === undefined) throw new Error(`result ${record.id} has lost its questionnaire or model`);
    return { record, result: resultFromJson(record.explanation), assessment, model: viewOf(model), requests: await repos.allocation.requestsOf(record.personId) };
  }

  return {
    // ---- Model versions (administrators) -------------------------------------------------------
    async models(actor: Actor): Promise<ModelVersionView[]> {
      requireAction(actor, 'allocation-models:manage', 'Only administrators manage allocation models');
      return deps.withCouncil(actor.councilId, async (tx) => (await repositories(tx).allocation.listModels()).map(viewOf));
    },

    async modelVersion(actor: Actor, version: number): Promise<ModelVersionView> {
      requireAction(actor, 'allocation-models:manage', 'Only administrators manage allocation models');
      return deps.withCouncil(actor.councilId, (tx) => requireVersion(repositories(tx), version));
    },

    /** A new draft: a copy of an existing version, or a model given as JSON (checked first). */
    async startDraft(
      actor: Actor,
      from: { readonly copyOf: number } | { readonly json: unknown },
      context: RequestContext,
    ): Promise<Outcome<{ version: number }>> {
      requireAction(actor, 'allocation-models:manage', 'Only administrators manage allocation models');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        let model: AllocationModel;
        if ('copyOf' in from) {
          model = (await requireVersion(repos, from.copyOf)).model;
        } else {
          const parsed = parseModel(from.json);
          if (!parsed.ok) return parsed;
          model = parsed.value;
        }
        const existing = await repos.allocation.modelWithStatus('draft');
        if (existing !== undefined) return refused('', `Version ${existing.version} is already a draft. Change it, or publish it, before starting another.`);
        const version = await repos.allocation.nextVersion();
        const now = deps.clock.now();
        const id = crypto.randomUUID();
        await repos.allocation.insertDraft({ id, councilId: actor.councilId, version, json: JSON.stringify(modelToJson(model)), by: actor.accountId, now });
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'allocation_model.draft_started',
          subjectType: 'allocation_model',
          subjectId: id,
          detail: { version, from: 'copyOf' in from ? `version ${from.copyOf}` : 'imported JSON' },
        });
        return ok({ version });
      });
    },

    /** Replaces a draft's model with checked JSON. A published or retired version is refused. */
    async saveDraft(actor: Actor, version: number, json: unknown, context: RequestContext): Promise<Outcome> {
      requireAction(actor, 'allocation-models:manage', 'Only administrators manage allocation models');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const current = await requireVersion(repos, version);
        if (current.status !== 'draft') return refused('', `Version ${version} is ${current.status} and cannot be changed. Start a new draft instead.`);
        const parsed = parseModel(json);
        if (!parsed.ok) return parsed;
        const now = deps.clock.now();
        await repos.allocation.updateDraft(current.id, JSON.stringify(modelToJson(parsed.value)), actor.accountId, now);
        await repos.audit.record({ ...auditedBy(actor, context, now), action: 'allocation_model.draft_changed', subjectType: 'allocation_model', subjectId: current.id, detail: { version } });
        return ok(undefined);
      });
    },

    /** Publishes a draft from today, with the reason the audit log keeps; the version in force before is retired today. */
    async publishDraft(actor: Actor, version: number, reason: string, context: RequestContext): Promise<Outcome> {
      requireAction(actor, 'allocation-models:manage', 'Only administrators manage allocation models');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const records = await repos.allocation.listModels();
        const today = deps.clock.today();
        const decided = publishVersion(toVersions(records), version, today);
        if (!decided.ok) return refused('', decided.reason);
        const target = records.find((r) => r.version === version);
        if (target === undefined) throw new NotFoundError(`There is no version ${version} of the allocation model`);
        const before = records.find((r) => r.status === 'published');
        if (before !== undefined) await repos.allocation.markRetired(before.id, today);
        await repos.allocation.markPublished(target.id, today, actor.accountId);
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'allocation_model.published',
          subjectType: 'allocation_model',
          subjectId: target.id,
          reason,
          detail: { version, retired: before?.version ?? null },
        });
        return ok(undefined);
      });
    },

    /** Scores sample answers under any version without keeping anything: the administrator's preview. */
    async preview(
      actor: Actor,
      version: number,
      input: { answers: Answers; age: unknown; currentPackagePence?: Partial<Record<StreamCode, bigint>> },
    ): Promise<{ model: ModelVersionView; outcome: Outcome<AllocationResult> }> {
      requireAction(actor, 'allocation-models:manage', 'Only administrators manage allocation models');
      const model = await deps.withCouncil(actor.councilId, (tx) => requireVersion(repositories(tx), version));
      const age = typeof input.age === 'number' ? input.age : Number.NaN;
      const scored = score(model.model, input.answers, { age, ...(input.currentPackagePence ? { currentPackagePence: input.currentPackagePence } : {}) });
      return { model, outcome: scored.ok ? ok(scored.value) : scored };
    },

    // ---- Publication (anyone) -----------------------------------------------------------------
    async published(slug: string): Promise<PublishedAllocation> {
      const council = await deps.system.findCouncilBySlug(slug);
      if (council === undefined) throw new NotFoundError(`There is no council with the address "${slug}"`);
      const record = await deps.withCouncil(council.id, (tx) => repositories(tx).allocation.modelWithStatus('published'));
      return { council, version: record === undefined ? null : viewOf(record) };
    },

    // ---- One person's questionnaire and indicative budget ---------------------------------------
    /** The allocation page of a person: the questionnaire in progress, and the result shown. An audited read. */
    async overview(actor: Actor, personId: string, query: { resultId?: string | undefined }, context: RequestContext): Promise<AllocationOverview> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const facts = await requirePerson(repos, actor, 'person:view', personId, deps.clock.today());
        const person = await personHeader(repos, personId);
        const published = await repos.allocation.modelWithStatus('published');
        const open = await repos.allocation.openAssessment(personId);
        const history = await repos.allocation.resultsOf(personId);
        const chosen = (query.resultId !== undefined ? history.find((r) => r.id === query.resultId) : undefined) ?? history[0];
        let openView: AllocationOverview['open'] = null;
        if (open !== undefined) {
          const model = await repos.allocation.modelById(open.modelId);
          if (model !== undefined) {
            const parsed = viewOf(model).model;
            openView = { ...open, progress: progressOf(parsed, open.answers, open.ageYears), nextQuestionId: nextUnanswered(parsed, open.answers, open.ageYears) };
          }
        }
        await repos.audit.record({ ...auditedBy(actor, context, deps.clock.now()), action: 'person.allocation_viewed', subjectType: 'person', subjectId: personId });
        return {
          person,
          published: published === undefined ? null : { version: published.version, name: viewOf(published).model.name },
          open: openView,
          shown: chosen === undefined ? null : await resultView(repos, chosen),
          history,
          mayAssess: mayDo(actor, 'person:assess', facts),
          mayRequestException: mayDo(actor, 'person:request-exception', facts),
        };
      });
    },

    /**
     * Starts a questionnaire under the published model, or finds the one in progress. Gives its first
     * unanswered question (null: every question is answered).
     */
    async start(actor: Actor, personId: string, context: RequestContext): Promise<Outcome<{ assessmentId: string; nextQuestionId: string | null }>> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:assess', personId, deps.clock.today());
        const open = await repos.allocation.openAssessment(personId);
        if (open !== undefined) {
          const model = await repos.allocation.modelById(open.modelId);
          if (model === undefined) throw new Error(`questionnaire ${open.id} has lost its model`);
          return ok({ assessmentId: open.id, nextQuestionId: nextUnanswered(viewOf(model).model, open.answers, open.ageYears) });
        }
        const published = await repos.allocation.modelWithStatus('published');
        if (published === undefined) return refused('', 'The council has not published an allocation model yet, so the questionnaire cannot be started.');
        const person = await personHeader(repos, personId);
        const now = deps.clock.now();
        const id = crypto.randomUUID();
        await repos.allocation.insertAssessment({
          id,
          councilId: actor.councilId,
          personId,
          modelId: published.id,
          completedWith: actor.kind === 'family' ? 'family' : 'worker_with_family',
          ageYears: person.age,
          by: actor.accountId,
          now,
        });
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.allocation_started',
          subjectType: 'person',
          subjectId: personId,
          detail: { assessmentId: id, modelVersion: published.version },
        });
        return ok({ assessmentId: id, nextQuestionId: nextUnanswered(viewOf(published).model, {}, person.age) });
      });
    },

    /** The questionnaire in progress, with its questions at the person's age. An audited read. */
    async questionnaire(actor: Actor, personId: string, context: RequestContext): Promise<QuestionnaireView | null> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const open = await openQuestionnaire(repos, actor, personId);
        if (open === undefined) return null;
        const { assessment, model: view } = open;
        const person = await personHeader(repos, personId);
        await repos.audit.record({ ...auditedBy(actor, context, deps.clock.now()), action: 'person.allocation_questionnaire_viewed', subjectType: 'person', subjectId: personId });
        return {
          person,
          assessment,
          model: view,
          questions: applicable(view.model, assessment.ageYears),
          progress: progressOf(view.model, assessment.answers, assessment.ageYears),
        };
      });
    },

    /**
     * Saves one answer. An answer to a question not asked at this age, or a level it does not have, is
     * refused. Gives the question to go to next (null: every question is answered).
     */
    async answer(
      actor: Actor,
      personId: string,
      input: { questionId: string; levelId: string },
      context: RequestContext,
    ): Promise<Outcome<{ nextQuestionId: string | null }>> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const open = await openQuestionnaire(repos, actor, personId);
        if (open === undefined) return refused('', 'There is no questionnaire in progress for this person.');
        const { assessment } = open;
        const parsed = open.model.model;
        const question = applicable(parsed, assessment.ageYears).find((q) => q.question.id === input.questionId)?.question;
        if (question === undefined) return refused('questionId', `"${input.questionId}" is not a question of this questionnaire.`);
        if (!question.levels.some((l) => l.id === input.levelId)) return refused('levelId', `Select how much support is needed with ${question.title.toLowerCase()}`);
        const now = deps.clock.now();
        const answers = { ...assessment.answers, [question.id]: input.levelId };
        await repos.allocation.saveAnswers(assessment.id, answers, now);
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.allocation_answered',
          subjectType: 'person',
          subjectId: personId,
          detail: { assessmentId: assessment.id, questionId: question.id, levelId: input.levelId, before: assessment.answers[question.id] ?? null },
        });
        return ok({ nextQuestionId: nextUnanswered(parsed, answers, assessment.ageYears, question.id) });
      });
    },

    /**
     * Submits the questionnaire: every question asked at the person's age must be answered. Scores it
     * under its model version with the person's current package, keeps the result and its explanation,
     * and, when a cap is reached, refers it to the exceptional cases panel.
     */
    async submit(actor: Actor, personId: string, context: RequestContext): Promise<Outcome<{ resultId: string }>> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const open = await openQuestionnaire(repos, actor, personId);
        if (open === undefined) return refused('', 'There is no questionnaire in progress for this person.');
        const { assessment, model: modelRecord } = open;
        const model = modelRecord.model;
        const age = assessment.ageYears;
        const missing = applicable(model, age).filter(({ question }) => !question.levels.some((l) => l.id === assessment.answers[question.id]));
        if (missing.length > 0) {
          return { ok: false, errors: missing.map(({ question }) => ({ path: question.id, message: `Answer "${question.title}"` })) };
        }
        const currentPackage = packageInModel(model, await repos.allocation.currentPackage(personId));
        const scored = score(model, answersInScope(model, assessment.answers, age), { age, currentPackagePence: currentPackage });
        if (!scored.ok) return scored;
        const result = scored.value;
        const now = deps.clock.now();
        const resultId = crypto.randomUUID();
        await repos.allocation.retireCurrent(personId);
        await repos.allocation.markSubmitted(assessment.id, { ageYears: age, currentPackage, by: actor.accountId, now });
        const streamPence = streamPenceOf(result);
        await repos.allocation.insertResult({
          id: resultId,
          councilId: actor.councilId,
          assessmentId: assessment.id,
          personId,
          modelId: modelRecord.id,
          now,
          streamPence,
          totalPence: result.totals.indicativePence,
          exceptionalCaseRequired: result.exceptionalCaseRequired,
          explanationJson: resultToJson(result),
        });
        await repos.allocation.setIndicativeBudget(personId, result.totals.indicativePence);
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.allocation_submitted',
          subjectType: 'person',
          subjectId: personId,
          detail: { assessmentId: assessment.id, resultId, modelVersion: modelRecord.version, totalPence: result.totals.indicativePence.toString() },
        });
        if (result.exceptionalCaseRequired) {
          await repos.allocation.insertRequest({
            id: crypto.randomUUID(),
            councilId: actor.councilId,
            personId,
            resultId,
            trigger: 'cap',
            reason: capRequestReason(result),
            requestedPence: null,
            by: actor.accountId,
            now,
          });
        }
        return ok({ resultId });
      });
    },

    /**
     * One result (the one asked for, or the latest) to put in the downloadable PDF, audited as
     * 'person.allocation_pdf_downloaded'; null, with nothing audited, when there is no result yet.
     */
    async resultDocument(
      actor: Actor,
      personId: string,
      query: { resultId?: string | undefined },
      context: RequestContext,
    ): Promise<{ person: PersonHeader; shown: ResultView } | null> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:view', personId, deps.clock.today());
        const history = await repos.allocation.resultsOf(personId);
        const chosen = (query.resultId !== undefined ? history.find((r) => r.id === query.resultId) : undefined) ?? history[0];
        if (chosen === undefined) return null;
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'person.allocation_pdf_downloaded',
          subjectType: 'person',
          subjectId: personId,
          detail: { resultId: chosen.id },
        });
        return { person: await personHeader(repos, personId), shown: await resultView(repos, chosen) };
      });
    },

    /**
     * Reproduces a stored result under the version that made it, from the answers, age and current
     * package it kept: the same figures, line for line (tests and `npm run ras -- score` use it).
     */
    async rescore(actor: Actor, personId: string, resultId: string): Promise<{ stored: AllocationResult; again: AllocationResult }> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:view', personId, deps.clock.today());
        const record = await repos.allocation.resultById(resultId);
        if (record === undefined || record.personId !== personId) throw new NotFoundError(`No result ${resultId} for this person`);
        const view = await resultView(repos, record);
        const again = score(view.model.model, view.assessment.answers, { age: view.assessment.ageYears, currentPackagePence: view.assessment.currentPackage });
        if (!again.ok) throw new Error(`result ${resultId} no longer scores under version ${view.model.version}`);
        return { stored: view.result, again: again.value };
      });
    },

    // ---- Exceptional cases ----------------------------------------------------------------------
    /** The worker believes the latest figure is not enough: a request with reasons goes to an approver. */
    async requestException(
      actor: Actor,
      personId: string,
      input: { reason: string; requestedPence: bigint | null },
      context: RequestContext,
    ): Promise<Outcome> {
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        await requirePerson(repos, actor, 'person:request-exception', personId, deps.clock.today());
        const latest = (await repos.allocation.resultsOf(personId))[0];
        if (latest === undefined) return refused('', 'There is no indicative budget for this person yet.');
        const pending = (await repos.allocation.requestsOf(personId)).find((r) => r.resultId === latest.id && r.status === 'pending');
        if (pending !== undefined) return refused('reason', 'A request for this indicative budget is already waiting for a decision.');
        const now = deps.clock.now();
        const id = crypto.randomUUID();
        await repos.allocation.insertRequest({ id, councilId: actor.councilId, personId, resultId: latest.id, trigger: 'worker', reason: input.reason, requestedPence: input.requestedPence, by: actor.accountId, now });
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.exceptional_case_requested',
          subjectType: 'person',
          subjectId: personId,
          reason: input.reason,
          detail: { requestId: id, resultId: latest.id, requestedPence: input.requestedPence?.toString() ?? null },
        });
        return ok(undefined);
      });
    },

    async pendingExceptions(actor: Actor): Promise<ExceptionalCaseRecord[]> {
      requireAction(actor, 'allocation:decide-exception', 'Only approvers decide exceptional cases');
      return deps.withCouncil(actor.councilId, (tx) => repositories(tx).allocation.requestsWithStatus('pending'));
    },

    /** One request with the result it is about: a read of the person's record, audited. */
    async exception(actor: Actor, requestId: string, context: RequestContext): Promise<{ request: ExceptionalCaseRecord; result: ResultView; person: PersonHeader }> {
      requireAction(actor, 'allocation:decide-exception', 'Only approvers decide exceptional cases');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const request = /^[0-9a-f-]{36}$/.test(requestId) ? await repos.allocation.requestById(requestId) : undefined;
        if (request === undefined) throw new NotFoundError(`No exceptional case request ${requestId}`);
        await requirePerson(repos, actor, 'person:view', request.personId, deps.clock.today());
        const record = await repos.allocation.resultById(request.resultId);
        if (record === undefined) throw new Error(`request ${requestId} has lost its result`);
        await repos.audit.record({
          ...auditedBy(actor, context, deps.clock.now()),
          action: 'person.exceptional_case_viewed',
          subjectType: 'person',
          subjectId: request.personId,
          detail: { requestId },
        });
        return { request, result: await resultView(repos, record), person: await personHeader(repos, request.personId) };
      });
    },

    /** Agree (with the annual amount) or refuse, with reasons. Nobody decides their own request. */
    async decideException(
      actor: Actor,
      requestId: string,
      input: { decision: 'agreed' | 'refused'; reason: string; agreedPence: bigint | null },
      context: RequestContext,
    ): Promise<Outcome> {
      requireAction(actor, 'allocation:decide-exception', 'Only approvers decide exceptional cases');
      return deps.withCouncil(actor.councilId, async (tx) => {
        const repos = repositories(tx);
        const request = /^[0-9a-f-]{36}$/.test(requestId) ? await repos.allocation.requestById(requestId) : undefined;
        if (request === undefined) throw new NotFoundError(`No exceptional case request ${requestId}`);
        await requirePerson(repos, actor, 'person:view', request.personId, deps.clock.today());
        if (request.requestedById === actor.accountId) return refused('decision', 'You asked for this decision, so another approver must make it.');
        if (request.status !== 'pending') return refused('decision', 'This request has already been decided.');
        if (input.decision === 'agreed' && input.agreedPence === null) return refused('agreedAmount', 'Enter the annual amount agreed');
        const now = deps.clock.now();
        const agreedPence = input.decision === 'agreed' ? input.agreedPence : null;
        if (!(await repos.allocation.decideRequest(requestId, { status: input.decision, by: actor.accountId, now, reason: input.reason, agreedPence }))) {
          return refused('decision', 'This request has already been decided.');
        }
        if (agreedPence !== null) await repos.allocation.setIndicativeBudget(request.personId, agreedPence);
        await repos.audit.record({
          ...auditedBy(actor, context, now),
          action: 'person.exceptional_case_decided',
          subjectType: 'person',
          subjectId: request.personId,
          reason: input.reason,
          detail: {
            requestId,
            decision: input.decision,
            indicativePence: request.resultTotalPence.toString(),
            agreedPence: agreedPence?.toString() ?? null,
          },
        });
        return ok(undefined);
      });
    },

    /**
     * Decided requests, for recalibration: each agreed override beside the figure the model gave.
     * People appear by reference only (commissioners see no names).
     */
    async overrides(actor: Actor): Promise<{ reference: string; trigger: 'cap' | 'worker'; status: string; indicativePence: bigint; agreedPence: bigint | null; decidedAt: Date | null; reason: string }[]> {
      if (!mayDo(actor, 'allocation:analyse') && !mayDo(actor, 'allocation-models:manage')) throw new ForbiddenError('Only administrators and commissioners see the overrides report');
      return deps.withCouncil(actor.councilId, async (tx) =>
        (await repositories(tx).allocation.requestsWithStatus('decided')).map((r) => ({
          reference: r.personReference,
          trigger: r.trigger,
          status: r.status,
          indicativePence: r.resultTotalPence,
          agreedPence: r.agreedPence,
          decidedAt: r.decidedAt,
          reason: r.decisionReason ?? '',
        })),
      );
    },
  };
}

export type AllocationServices = ReturnType<typeof allocationServices>;

