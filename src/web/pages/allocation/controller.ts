/**
 * A person's indicative budget (issue 4): the result page with its explanation, the questionnaire
 * (one GOV.UK question page per question, check your answers, submit), the PDF, and exceptional
 * cases (a worker asks; an approver, never the one who asked, decides).
 *
 * A route that would show nothing redirects, and its service reads nothing it audits: a question
 * that is not in the questionnaire, or no questionnaire in progress, goes to the next unanswered
 * question or back to the indicative budget page, never to a 404.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUuid } from '../../../domain/ids.ts';
import type { Services } from '../../../services/index.ts';
import type { ValidationError } from '../../../domain/allocation/validate.ts';
import { allocationPdf } from '../../documents/allocation-pdf.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import {
  EMPTY_DECISION,
  EMPTY_EXCEPTION_REQUEST,
  readAnswerForm,
  readDecisionForm,
  readExceptionRequestForm,
  selectLevelText,
  type FieldError,
} from './form.ts';
import {
  checkAnswersModel,
  exceptionDecisionModel,
  exceptionListModel,
  exceptionRequestModel,
  overviewModel,
  pdfFileName,
  pdfInput,
  questionModel,
} from './presenters.ts';

type PersonParams = { Params: { personId: string } };
type QuestionParams = { Params: { personId: string; questionId: string }; Querystring: Record<string, unknown> };
type RequestParams = { Params: { requestId: string } };
type Body = { Body: Record<string, unknown> | undefined };

/** A result id from `?result=`: anything that is not an id is ignored (the latest is shown). */
function resultIdOf(query: unknown): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.result;
  return typeof value === 'string' && isUuid(value) ? value : undefined;
}

/** The request id in the address; anything that is not an id is a bad request (an unknown id is not found). */
function requestIdOf(request: FastifyRequest<RequestParams>): string {
  const { requestId } = request.params;
  if (!isUuid(requestId)) throw Object.assign(new Error('This address does not name an exceptional case request.'), { statusCode: 400 });
  return requestId;
}

/** The service's refusals as errors next to the fields of the page (a refusal of the whole form goes next to `fallback`). */
function fieldErrors(errors: readonly ValidationError[], fields: Readonly<Record<string, string>>, fallback: string): FieldError[] {
  return errors.map((e) => ({ field: fields[e.path] ?? fallback, text: e.message }));
}

export function allocationPages(app: FastifyInstance, services: Services): void {
  const allocation = services.allocation;

  // ---- The indicative budget page ----------------------------------------------------------------
  app.get<PersonParams & { Querystring: Record<string, unknown> }>(
    '/people/:personId/allocation',
    { config: { access: 'person:view', audit: 'person.allocation_viewed' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const overview = await allocation.overview(actor, request.params.personId, { resultId: resultIdOf(request.query) }, requestContext(request));
      return reply.page('pages/allocation/show.njk', overviewModel(overview, actor, { submitted: request.query.submitted === 'yes' }));
    },
  );

  app.get<PersonParams & { Querystring: Record<string, unknown> }>(
    '/people/:personId/allocation/indicative-budget.pdf',
    { config: { access: 'person:view', audit: 'person.allocation_pdf_downloaded' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const { personId } = request.params;
      const view = await allocation.resultDocument(actor, personId, { resultId: resultIdOf(request.query) }, requestContext(request));
      if (view === null) return reply.redirect(paths.allocation.person({ personId }), 303);
      const pdf = await allocationPdf(pdfInput(view, actor, undefined));
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', `attachment; filename="${pdfFileName(view)}"`);
      return reply.type('application/pdf').send(pdf);
    },
  );

  // ---- The questionnaire ------------------------------------------------------------------------
  app.post<PersonParams>(
    '/people/:personId/allocation/start',
    { config: { access: 'person:assess', audit: 'person.allocation_started' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const { personId } = request.params;
      const context = requestContext(request);
      const started = await allocation.start(actor, personId, context);
      if (!started.ok) {
        reply.code(400);
        return reply.page('views/errors/bad-request.njk', {
          title: 'There is a problem with your request',
          detail: started.errors.map((e) => e.message).join(' '),
        });
      }
      // Straight to the first unanswered question (or check your answers when none is left).
      const next = started.value.nextQuestionId;
      return reply.redirect(next === null ? paths.allocation.checkAnswers({ personId }) : paths.allocation.question({ personId, questionId: next }), 303);
    },
  );

  app.get<QuestionParams>(
    '/people/:personId/allocation/questions/:questionId',
    { config: { access: 'person:assess', audit: 'person.allocation_questionnaire_viewed' } },
    async (request, reply) => {
      const { personId, questionId } = request.params;
      const view = await allocation.questionnaire(actorOf(request), personId, requestContext(request));
      if (view === null) return reply.redirect(paths.allocation.person({ personId }), 303);
      if (!view.questions.some((q) => q.question.id === questionId)) {
        const next = view.questions.find(({ question }) => !question.levels.some((l) => l.id === view.assessment.answers[question.id]));
        return reply.redirect(next === undefined ? paths.allocation.checkAnswers({ personId }) : paths.allocation.question({ personId, questionId: next.question.id }), 303);
      }
      const returnToCheck = request.query.returnTo === 'check';
      return reply.page('pages/allocation/question.njk', questionModel(view, questionId, { levelId: '', returnToCheck, errors: [] }));
    },
  );

  app.post<QuestionParams & Body>(
    '/people/:personId/allocation/questions/:questionId',
    { config: { access: 'person:assess', audit: 'person.allocation_answered' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const context = requestContext(request);
      const { personId, questionId } = request.params;
      const form = readAnswerForm(request.body ?? {});
      // "Save and come back later" with nothing chosen saves nothing and goes back.
      if (form.later && form.levelId === '') return reply.redirect(paths.allocation.person({ personId }), 303);
      let errors: FieldError[];
      if (form.levelId !== '') {
        const saved = await allocation.answer(actor, personId, { questionId, levelId: form.levelId }, context);
        if (saved.ok) {
          if (form.later) return reply.redirect(paths.allocation.person({ personId }), 303);
          const next = saved.value.nextQuestionId;
          if (form.returnToCheck || next === null) return reply.redirect(paths.allocation.checkAnswers({ personId }), 303);
          return reply.redirect(paths.allocation.question({ personId, questionId: next }), 303);
        }
        errors = fieldErrors(saved.errors, { levelId: 'levelId' }, 'levelId');
      } else {
        errors = [];
      }
      const view = await allocation.questionnaire(actor, personId, context);
      if (view === null) return reply.redirect(paths.allocation.person({ personId }), 303);
      const entry = view.questions.find((q) => q.question.id === questionId);
      if (entry === undefined) {
        // Not a question of this questionnaire (or not asked at this age): refused, nothing saved.
        reply.code(400);
        return reply.page('views/errors/bad-request.njk', {
          title: 'There is a problem with your request',
          detail: `This is not a question of the questionnaire. Go back to the indicative budget page and continue from there.`,
        });
      }
      if (errors.length === 0) errors = [{ field: 'levelId', text: selectLevelText(entry.question.title) }];
      reply.code(400);
      return reply.page('pages/allocation/question.njk', questionModel(view, questionId, { levelId: '', returnToCheck: form.returnToCheck, errors }));
    },
  );

  app.get<PersonParams>(
    '/people/:personId/allocation/check-answers',
    { config: { access: 'person:assess', audit: 'person.allocation_questionnaire_viewed' } },
    async (request, reply) => {
      const { personId } = request.params;
      const view = await allocation.questionnaire(actorOf(request), personId, requestContext(request));
      if (view === null) return reply.redirect(paths.allocation.person({ personId }), 303);
      return reply.page('pages/allocation/check-answers.njk', checkAnswersModel(view, []));
    },
  );

  app.post<PersonParams>(
    '/people/:personId/allocation/check-answers',
    { config: { access: 'person:assess', audit: 'person.allocation_submitted' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const context = requestContext(request);
      const { personId } = request.params;
      const submitted = await allocation.submit(actor, personId, context);
      if (submitted.ok) return reply.redirect(paths.allocation.person({ personId }, { submitted: true }), 303);
      const view = await allocation.questionnaire(actor, personId, context);
      if (view === null) return reply.redirect(paths.allocation.person({ personId }), 303);
      reply.code(400);
      return reply.page('pages/allocation/check-answers.njk', checkAnswersModel(view, submitted.errors.map((e) => e.path)));
    },
  );

  // ---- Exceptional cases: the worker's request ------------------------------------------------------
  app.get<PersonParams>(
    '/people/:personId/allocation/exceptional-case',
    { config: { access: 'person:request-exception', audit: 'person.allocation_viewed' } },
    async (request, reply) => {
      const overview = await allocation.overview(actorOf(request), request.params.personId, {}, requestContext(request));
      return reply.page('pages/allocation/request-exception.njk', exceptionRequestModel(overview, { values: EMPTY_EXCEPTION_REQUEST, errors: [] }));
    },
  );

  app.post<PersonParams & Body>(
    '/people/:personId/allocation/exceptional-case',
    { config: { access: 'person:request-exception', audit: 'person.exceptional_case_requested' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const context = requestContext(request);
      const { personId } = request.params;
      const form = readExceptionRequestForm(request.body ?? {});
      let errors: readonly FieldError[];
      if (form.ok) {
        const requested = await allocation.requestException(actor, personId, form.request, context);
        if (requested.ok) return reply.redirect(paths.allocation.person({ personId }), 303);
        errors = fieldErrors(requested.errors, { reason: 'reason' }, 'reason');
      } else {
        errors = form.errors;
      }
      const overview = await allocation.overview(actor, personId, {}, context);
      reply.code(400);
      return reply.page('pages/allocation/request-exception.njk', exceptionRequestModel(overview, { values: form.values, errors }));
    },
  );

  // ---- Exceptional cases: approvers ------------------------------------------------------------------
  app.get('/allocation/exceptional-cases', { config: { access: 'allocation:decide-exception', audit: null } }, async (request, reply) => {
    const pending = await allocation.pendingExceptions(actorOf(request));
    return reply.page('pages/allocation/exceptions.njk', exceptionListModel(pending, services.clock.now()));
  });

  app.get<RequestParams>(
    '/allocation/exceptional-cases/:requestId',
    { config: { access: 'allocation:decide-exception', audit: 'person.exceptional_case_viewed' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const view = await allocation.exception(actor, requestIdOf(request), requestContext(request));
      return reply.page('pages/allocation/exception.njk', exceptionDecisionModel(view, actor, { values: EMPTY_DECISION, errors: [] }));
    },
  );

  app.post<RequestParams & Body>(
    '/allocation/exceptional-cases/:requestId',
    { config: { access: 'allocation:decide-exception', audit: 'person.exceptional_case_decided' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const context = requestContext(request);
      const requestId = requestIdOf(request);
      const form = readDecisionForm(request.body ?? {});
      let errors: readonly FieldError[];
      if (form.ok) {
        const decided = await allocation.decideException(actor, requestId, form.decision, context);
        if (decided.ok) return reply.redirect(paths.allocation.exceptions(), 303);
        errors = fieldErrors(decided.errors, { decision: 'decision', agreedAmount: 'amount', reason: 'reason' }, 'decision');
      } else {
        errors = form.errors;
      }
      const view = await allocation.exception(actor, requestId, context);
      reply.code(400);
      return reply.page('pages/allocation/exception.njk', { ...exceptionDecisionModel(view, actor, { values: form.values, errors }), showForm: true });
    },
  );
}
