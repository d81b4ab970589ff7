/**
 * Cases (issue 5): the caseload, opening a case, the case timeline with its deadlines, and one form
 * per kind of step. Thin: read the form, call the service, show the answer.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { CaseloadState } from '../../../db/repositories/cases.ts';
import type { CaseStepKind, CaseType } from '../../../db/schema.ts';
import { CASE_TYPES, CASELOAD_STATES, type CaseloadScope, type CaseloadSort } from '../../../services/cases.ts';
import { CASE_STAGE_LABELS, STEP_KINDS, STEP_LABELS } from '../../../domain/pathway/steps.ts';
import { parsePage } from '../../forms/page-number.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import { EMPTY_OPEN_CASE, emptyStepValues, readOpenCaseForm, readStepForm, stepFieldOf, type FieldError } from './form.ts';
import { caseloadModel, caseModel, openCaseModel, stepFormModel } from './presenters.ts';
import { timelinessPages } from './timeliness.ts';
import { mayDo } from '../../../domain/access/policy.ts';

const PAGE_SIZE = 25;

type Query = { Querystring: Record<string, string | undefined> };
type Body = { Body: Record<string, unknown> | undefined };
type CaseParams = { Params: { caseId: string } };
type StepParams = { Params: { caseId: string; kind: string } };
type PersonParams = { Params: { personId: string } };

const pick = <T extends string>(options: readonly T[], value: unknown): T | undefined => options.find((o) => o === value);

export function casePages(app: FastifyInstance, services: Services): void {
  const cases = services.cases;

  app.get<Query>('/cases', { config: { access: 'cases:list', audit: null } }, async (request, reply) => {
    const actor = actorOf(request);
    const query = request.query;
    const scope = pick<CaseloadScope>(['mine', 'team', 'all'], query.scope) ?? 'mine';
    const state = pick<CaseloadState>(CASELOAD_STATES, query.state);
    const caseType = pick<CaseType>(CASE_TYPES, query.caseType);
    const stage = pick(Object.keys(CASE_STAGE_LABELS), query.stage);
    const sort = pick<CaseloadSort>(['due', 'name', 'request_date'], query.sort) ?? 'due';
    const q = (query.q ?? '').trim().slice(0, 100);
    const page = await cases.caseload(actor, { scope, state, caseType, stage, q, sort, page: parsePage(query.page), pageSize: PAGE_SIZE });
    return reply.page('pages/cases/caseload.njk', {
      ...caseloadModel(page, { scope: page.scope, state: state ?? '', caseType: caseType ?? '', stage: stage ?? '', q, sort }),
      timelinessHref: mayDo(actor, 'cases:report') ? paths.cases.timeliness() : undefined,
    });
  });

  timelinessPages(app, services);

  app.get<PersonParams>('/people/:personId/cases/new', { config: { access: 'person:manage-case', audit: null } }, async (request, reply) => {
    const actor = actorOf(request);
    const data = await cases.openCaseForm(actor, request.params.personId);
    const mine = data.caseworkers.some((w) => w.id === actor.accountId) ? actor.accountId : '';
    return reply.page('pages/cases/open.njk', openCaseModel(data, EMPTY_OPEN_CASE(mine), []));
  });

  app.post<PersonParams & Body>('/people/:personId/cases/new', { config: { access: 'person:manage-case', audit: 'person.case_opened' } }, async (request, reply) => {
    const actor = actorOf(request);
    const { personId } = request.params;
    const form = readOpenCaseForm(request.body ?? {});
    let errors: FieldError[] = form.errors;
    if (errors.length === 0) {
      const opened = await cases.openCase(actor, personId, form.input, requestContext(request));
      if (opened.ok) return reply.redirect(paths.cases.show({ caseId: opened.value.caseId }), 303);
      errors = opened.errors.map((e) => ({ field: e.path, text: e.message }));
    } else if (form.input.caseType === '') {
      errors = [{ field: 'caseType', text: 'Select the type of case' }, ...errors];
    }
    const data = await cases.openCaseForm(actor, personId);
    reply.code(400);
    return reply.page('pages/cases/open.njk', openCaseModel(data, form.values, errors));
  });

  app.get<CaseParams>('/cases/:caseId', { config: { access: 'person:view', audit: 'person.case_viewed' } }, async (request, reply) => {
    const actor = actorOf(request);
    const view = await cases.caseView(actor, request.params.caseId, requestContext(request));
    return reply.page('pages/cases/show.njk', caseModel(view, actor));
  });

  /** A kind this case cannot take now (or no such kind): a 400 page that says why, never a 500. */
  const notNow = (kind: string, detail?: string) => ({
    title: 'There is a problem with your request',
    detail:
      detail ??
      ((STEP_KINDS as readonly string[]).includes(kind)
        ? `‘${STEP_LABELS[kind as CaseStepKind]}’ cannot be recorded at this stage of the case. Go back to the case to see the steps that can be recorded next.`
        : 'This address does not name a step that can be recorded on a case.'),
  });

  app.get<StepParams>('/cases/:caseId/steps/:kind', { config: { access: 'person:manage-case', audit: 'person.case_viewed' } }, async (request, reply) => {
    const actor = actorOf(request);
    const { caseId, kind } = request.params;
    const ctx = await cases.stepForm(actor, caseId, requestContext(request));
    if (!ctx.view.allowedNextSteps.includes(kind as CaseStepKind) || kind === 'request_received') {
      reply.code(400);
      return reply.page('views/errors/bad-request.njk', notNow(kind));
    }
    const k = kind as CaseStepKind;
    return reply.page('pages/cases/step.njk', stepFormModel(ctx, k, emptyStepValues(k), [], paths.cases.step({ caseId, kind })));
  });

  app.post<StepParams & Body>('/cases/:caseId/steps/:kind', { config: { access: 'person:manage-case', audit: 'person.case_step_recorded' } }, async (request, reply) => {
    const actor = actorOf(request);
    const { caseId, kind } = request.params;
    if (!(STEP_KINDS as readonly string[]).includes(kind) || kind === 'request_received') {
      reply.code(400);
      return reply.page('views/errors/bad-request.njk', notNow(kind));
    }
    const k = kind as CaseStepKind;
    const form = readStepForm(k, request.body ?? {});
    const context = requestContext(request);
    let errors: FieldError[] = form.errors;
    if (errors.length === 0) {
      const recorded = await cases.recordStep(actor, caseId, { kind: k, occurredOn: form.occurredOn, details: form.details }, context);
      if (recorded.ok) return reply.redirect(paths.cases.show({ caseId }), 303);
      const kindError = recorded.errors.find((e) => e.path === 'kind');
      if (kindError !== undefined) {
        reply.code(400);
        return reply.page('views/errors/bad-request.njk', notNow(kind, kindError.message));
      }
      errors = recorded.errors.map((e) => ({ field: stepFieldOf(e.path), text: e.message }));
    }
    const ctx = await cases.stepForm(actor, caseId, context);
    reply.code(400);
    return reply.page('pages/cases/step.njk', stepFormModel(ctx, k, form.values, errors, paths.cases.step({ caseId, kind })));
  });
}
