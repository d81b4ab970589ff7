/**
 * The person-centred support plan pages (issue 5): a person's plans, the plan page (the same for
 * the family, without change links), one form per section, the family's comments and personal
 * budget requests, the worker's answers, versions with their differences, and the PDF.
 * POST → 303 on success; bad input re-renders with 400, the errors and what was typed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUuid } from '../../../domain/ids.ts';
import type { Services } from '../../../services/index.ts';
import type { PlanView, SectionInput } from '../../../services/plans.ts';
import type { PlanProblem } from '../../../domain/plans/validate.ts';
import { planPdf } from '../../documents/plan-pdf.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import {
  fieldOf,
  itemValues,
  outcomeValues,
  readContingencyForm,
  readItemForm,
  readList,
  readMoneyForm,
  readOutcomeForm,
  readText,
  type FieldError,
  type Values,
} from './form.ts';
import {
  budgetRequestFields,
  commentFields,
  formModel,
  itemFields,
  listModel,
  outcomeFields,
  respondFields,
  sectionFields,
  sectionValues,
  showModel,
  versionsModel,
} from './presenters.ts';

type PlanParams = { Params: { planId: string } };
type Body = { Body: Record<string, unknown> | undefined };
type Query = { Querystring: Record<string, unknown> };

const SECTIONS = ['profile', 'contingency', 'risks', 'money', 'over-budget'] as const;

function planIdOf(request: FastifyRequest<PlanParams>): string {
  const { planId } = request.params;
  if (!isUuid(planId)) throw Object.assign(new Error('This address does not name a plan.'), { statusCode: 404 });
  return planId;
}

function versionOf(value: unknown): number | undefined {
  return typeof value === 'string' && /^[1-9]\d{0,5}$/.test(value) ? Number(value) : undefined;
}

const toFieldErrors = (errors: readonly PlanProblem[]): FieldError[] => errors.map((e) => ({ field: fieldOf(e.path), text: e.message }));

export function planPages(app: FastifyInstance, services: Services): void {
  const plans = services.plans;

  const renderForm = (reply: FastifyReply, view: PlanView, page: Parameters<typeof formModel>[1], status = 200) => {
    reply.code(status);
    return reply.page('pages/plans/form.njk', formModel(view.plan, page));
  };

  // ---- A person's plans, and starting one ---------------------------------------------------------
  app.get<{ Params: { personId: string } }>('/people/:personId/plans', { config: { access: 'person:view', audit: 'person.plan_viewed' } }, async (request, reply) => {
    const { personId } = request.params;
    const list = await plans.plansOf(actorOf(request), personId, requestContext(request));
    return reply.page('pages/plans/list.njk', listModel(personId, list.plans, list.openCases, list.mayPlan));
  });

  app.post<{ Params: { personId: string } } & Body>(
    '/people/:personId/plans',
    { config: { access: 'person:plan', audit: 'person.plan_started' } },
    async (request, reply) => {
      const caseId = readText(request.body ?? {}, 'caseId');
      const started = await plans.startPlan(actorOf(request), request.params.personId, caseId, requestContext(request));
      if (!started.ok) {
        reply.code(400);
        return reply.page('views/errors/bad-request.njk', { title: 'There is a problem with your request', detail: started.errors.map((e) => e.message).join(' ') });
      }
      return reply.redirect(paths.plans.show({ planId: started.value.planId }), 303);
    },
  );

  // ---- The plan page ------------------------------------------------------------------------------
  app.get<PlanParams & Query>('/plans/:planId', { config: { access: 'person:view', audit: 'person.plan_viewed' } }, async (request, reply) => {
    const actor = actorOf(request);
    const view = await plans.view(actor, planIdOf(request), { version: versionOf(request.query.version) }, requestContext(request));
    const done = request.query.done === 'submitted' || request.query.done === 'agreed' ? request.query.done : undefined;
    return reply.page('pages/plans/show.njk', showModel(view, actor, done));
  });

  // ---- Outcomes -----------------------------------------------------------------------------------
  const outcomePage = (view: PlanView, outcomeId: string | undefined, values: Values, errors: FieldError[]) => ({
    heading: outcomeId === undefined ? 'Add an outcome' : 'Change an outcome',
    action: outcomeId === undefined ? paths.plans.newOutcome({ planId: view.plan.id }) : paths.plans.outcome({ planId: view.plan.id, outcomeId }),
    fields: outcomeFields(values),
    errors,
    ...(outcomeId === undefined ? {} : { remove: { action: paths.plans.removeOutcome({ planId: view.plan.id, outcomeId }), text: 'Remove this outcome' } }),
  });
  app.get<PlanParams & { Params: { outcomeId?: string } }>(
    '/plans/:planId/outcomes/:outcomeId',
    { config: { access: 'person:plan', audit: 'person.plan_viewed' } },
    async (request, reply) => {
      const view = await plans.view(actorOf(request), planIdOf(request), {}, requestContext(request));
      const outcomeId = request.params.outcomeId === 'new' ? undefined : request.params.outcomeId;
      const outcome = view.shown.content.outcomes.find((o) => o.id === outcomeId);
      if (outcomeId !== undefined && outcome === undefined) return reply.redirect(paths.plans.show({ planId: view.plan.id }), 303);
      return renderForm(reply, view, outcomePage(view, outcomeId, outcomeValues(outcome), []));
    },
  );
  app.post<PlanParams & { Params: { outcomeId: string } } & Body>(
    '/plans/:planId/outcomes/:outcomeId',
    { config: { access: 'person:plan', audit: 'person.plan_changed' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const context = requestContext(request);
      const planId = planIdOf(request);
      const outcomeId = request.params.outcomeId === 'new' ? undefined : request.params.outcomeId;
      const form = readOutcomeForm(request.body ?? {});
      let errors: FieldError[];
      if (form.ok) {
        const saved = await plans.saveSection(actor, planId, { section: 'outcome', outcome: form.value, ...(outcomeId === undefined ? {} : { outcomeId }) }, context);
        if (saved.ok) return reply.redirect(paths.plans.show({ planId }), 303);
        errors = toFieldErrors(saved.errors);
      } else errors = form.errors;
      const view = await plans.view(actor, planId, {}, context);
      return renderForm(reply, view, outcomePage(view, outcomeId, form.values, errors), 400);
    },
  );
  app.post<PlanParams & { Params: { outcomeId: string } }>(
    '/plans/:planId/outcomes/:outcomeId/remove',
    { config: { access: 'person:plan', audit: 'person.plan_changed' } },
    async (request, reply) => {
      const planId = planIdOf(request);
      await plans.saveSection(actorOf(request), planId, { section: 'remove-outcome', outcomeId: request.params.outcomeId }, requestContext(request));
      return reply.redirect(paths.plans.show({ planId }), 303);
    },
  );

  // ---- Support items ------------------------------------------------------------------------------
  const itemPage = (view: PlanView, itemId: string | undefined, values: Values, errors: FieldError[]) => ({
    heading: itemId === undefined ? 'Add support' : 'Change support',
    action: itemId === undefined ? paths.plans.newItem({ planId: view.plan.id }) : paths.plans.item({ planId: view.plan.id, itemId }),
    fields: itemFields(values, view.shown.content, view.fundedStreams),
    errors,
    ...(itemId === undefined ? {} : { remove: { action: paths.plans.removeItem({ planId: view.plan.id, itemId }), text: 'Remove this support' } }),
  });
  app.get<PlanParams & { Params: { itemId: string } }>(
    '/plans/:planId/support/:itemId',
    { config: { access: 'person:plan', audit: 'person.plan_viewed' } },
    async (request, reply) => {
      const view = await plans.view(actorOf(request), planIdOf(request), {}, requestContext(request));
      const itemId = request.params.itemId === 'new' ? undefined : request.params.itemId;
      const item = view.shown.content.items.find((i) => i.id === itemId);
      if (itemId !== undefined && item === undefined) return reply.redirect(paths.plans.show({ planId: view.plan.id }), 303);
      return renderForm(reply, view, itemPage(view, itemId, itemValues(item), []));
    },
  );
  app.post<PlanParams & { Params: { itemId: string } } & Body>(
    '/plans/:planId/support/:itemId',
    { config: { access: 'person:plan', audit: 'person.plan_changed' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const context = requestContext(request);
      const planId = planIdOf(request);
      const itemId = request.params.itemId === 'new' ? undefined : request.params.itemId;
      const form = readItemForm(request.body ?? {});
      let errors: FieldError[];
      if (form.ok) {
        const saved = await plans.saveSection(actor, planId, { section: 'item', item: form.value, ...(itemId === undefined ? {} : { itemId }) }, context);
        if (saved.ok) return reply.redirect(paths.plans.show({ planId }), 303);
        errors = toFieldErrors(saved.errors);
      } else errors = form.errors;
      const view = await plans.view(actor, planId, {}, context);
      return renderForm(reply, view, itemPage(view, itemId, form.values, errors), 400);
    },
  );
  app.post<PlanParams & { Params: { itemId: string } }>(
    '/plans/:planId/support/:itemId/remove',
    { config: { access: 'person:plan', audit: 'person.plan_changed' } },
    async (request, reply) => {
      const planId = planIdOf(request);
      await plans.saveSection(actorOf(request), planId, { section: 'remove-item', itemId: request.params.itemId }, requestContext(request));
      return reply.redirect(paths.plans.show({ planId }), 303);
    },
  );

  // ---- The other sections -------------------------------------------------------------------------
  app.get<PlanParams & { Params: { section: string } }>(
    '/plans/:planId/sections/:section',
    { config: { access: 'person:plan', audit: 'person.plan_viewed' } },
    async (request, reply) => {
      const { section } = request.params;
      const view = await plans.view(actorOf(request), planIdOf(request), {}, requestContext(request));
      const page = sectionFields(section, sectionValues(section, view.shown.content));
      if (page === undefined) return reply.redirect(paths.plans.show({ planId: view.plan.id }), 303);
      return renderForm(reply, view, { ...page, action: paths.plans.section({ planId: view.plan.id, section }), errors: [] });
    },
  );
  app.post<PlanParams & { Params: { section: string } } & Body>(
    '/plans/:planId/sections/:section',
    { config: { access: 'person:plan', audit: 'person.plan_changed' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const context = requestContext(request);
      const planId = planIdOf(request);
      const { section } = request.params;
      if (!(SECTIONS as readonly string[]).includes(section)) return reply.redirect(paths.plans.show({ planId }), 303);
      const body = request.body ?? {};
      let input: SectionInput | undefined;
      let values: Values;
      let errors: FieldError[] = [];
      if (section === 'money') {
        const form = readMoneyForm(body);
        values = form.values;
        if (form.ok) input = { section: 'money', ...form.value };
        else errors = form.errors;
      } else if (section === 'contingency') {
        const form = readContingencyForm(body);
        values = form.values;
        if (form.ok) input = { section: 'contingency', ...form.value };
        else errors = form.errors;
      } else if (section === 'profile') {
        values = { likeAndAdmire: readText(body, 'likeAndAdmire'), importantToMe: readText(body, 'importantToMe'), howToSupportMe: readText(body, 'howToSupportMe'), iStatements: readText(body, 'iStatements') };
        const statements = (values['iStatements'] as string).split('\n').map((s) => s.trim()).filter((s) => s !== '');
        input = { section: 'profile', profile: { likeAndAdmire: values['likeAndAdmire'] as string, importantToMe: values['importantToMe'] as string, howToSupportMe: values['howToSupportMe'] as string, iStatements: statements } };
      } else if (section === 'risks') {
        values = { risks: readText(body, 'risks') };
        input = { section: 'risks', risks: values['risks'] as string };
      } else {
        values = { overBudgetReason: readText(body, 'overBudgetReason') };
        input = { section: 'over-budget', reason: values['overBudgetReason'] as string };
      }
      if (input !== undefined) {
        const saved = await plans.saveSection(actor, planId, input, context);
        if (saved.ok) return reply.redirect(paths.plans.show({ planId }), 303);
        errors = saved.errors.map((e) => ({ field: e.path.startsWith('profile.') ? e.path.slice('profile.'.length) : e.path === 'contingency.amount' ? 'amount' : fieldOf(e.path), text: e.message }));
      }
      const view = await plans.view(actor, planId, {}, context);
      const page = sectionFields(section, values);
      if (page === undefined) return reply.redirect(paths.plans.show({ planId }), 303);
      return renderForm(reply, view, { ...page, action: paths.plans.section({ planId, section }), errors }, 400);
    },
  );

  // ---- The family's comments and the worker's answers ---------------------------------------------------
  app.get<PlanParams>('/plans/:planId/comments/new', { config: { access: 'person:comment-plan', audit: 'person.plan_viewed' } }, async (request, reply) => {
    const view = await plans.view(actorOf(request), planIdOf(request), {}, requestContext(request));
    return renderForm(reply, view, { heading: 'Comment on this plan', action: paths.plans.comment({ planId: view.plan.id }), fields: commentFields({ section: '' }), errors: [], submitText: 'Send the comment' });
  });
  app.post<PlanParams & Body>('/plans/:planId/comments/new', { config: { access: 'person:comment-plan', audit: 'person.plan_commented' } }, async (request, reply) => {
    const actor = actorOf(request);
    const context = requestContext(request);
    const planId = planIdOf(request);
    const body = request.body ?? {};
    const values: Values = { section: readText(body, 'section'), body: readText(body, 'body'), proposedChange: readText(body, 'proposedChange') };
    const saved = await plans.comment(actor, planId, { section: values['section'] as string, body: values['body'] as string, proposedChange: values['proposedChange'] as string }, context);
    if (saved.ok) return reply.redirect(paths.plans.show({ planId }), 303);
    const view = await plans.view(actor, planId, {}, context);
    return renderForm(reply, view, { heading: 'Comment on this plan', action: paths.plans.comment({ planId }), fields: commentFields(values), errors: toFieldErrors(saved.errors), submitText: 'Send the comment' }, 400);
  });

  const respondPage = (view: PlanView, commentId: string, values: Values, errors: FieldError[]) => {
    const comment = view.comments.find((c) => c.id === commentId);
    return {
      heading: 'Answer the comment',
      intro: comment === undefined ? '' : `${comment.authorName} wrote: “${comment.body}”${comment.proposedChange === null ? '' : ` and proposed: “${comment.proposedChange}”`}`,
      action: paths.plans.respond({ planId: view.plan.id, commentId }),
      fields: respondFields(values),
      errors,
      submitText: 'Save the answer',
    };
  };
  app.get<PlanParams & { Params: { commentId: string } }>(
    '/plans/:planId/comments/:commentId',
    { config: { access: 'person:plan', audit: 'person.plan_viewed' } },
    async (request, reply) => {
      const view = await plans.view(actorOf(request), planIdOf(request), {}, requestContext(request));
      if (!view.comments.some((c) => c.id === request.params.commentId)) return reply.redirect(paths.plans.show({ planId: view.plan.id }), 303);
      return renderForm(reply, view, respondPage(view, request.params.commentId, {}, []));
    },
  );
  app.post<PlanParams & { Params: { commentId: string } } & Body>(
    '/plans/:planId/comments/:commentId',
    { config: { access: 'person:plan', audit: 'person.plan_comment_answered' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const context = requestContext(request);
      const planId = planIdOf(request);
      const body = request.body ?? {};
      const values: Values = { decision: readText(body, 'decision'), note: readText(body, 'note') };
      let errors: FieldError[];
      if (values['decision'] !== 'accept' && values['decision'] !== 'decline') {
        errors = [{ field: 'decision', text: 'Select whether you accept the comment' }];
      } else {
        const saved = await plans.respondToComment(actor, request.params.commentId, { accept: values['decision'] === 'accept', note: values['note'] as string }, context);
        if (saved.ok) return reply.redirect(paths.plans.show({ planId }), 303);
        errors = saved.errors.map((e) => ({ field: e.path === 'accept' ? 'decision' : e.path, text: e.message }));
      }
      const view = await plans.view(actor, planId, {}, context);
      return renderForm(reply, view, respondPage(view, request.params.commentId, values, errors), 400);
    },
  );

  // ---- Asking for a personal budget ----------------------------------------------------------------
  const requestPage = (view: PlanView, values: Values, errors: FieldError[]) => ({
    heading: 'Ask for a personal budget',
    intro: 'A personal budget is the money for the support in the plan. You can ask for it to cover all the support or only some of it.',
    action: paths.plans.budgetRequest({ planId: view.plan.id }),
    fields: budgetRequestFields(values, view.shown.content),
    errors,
    submitText: 'Send the request',
  });
  app.get<PlanParams>('/plans/:planId/personal-budget-request', { config: { access: 'person:view', audit: 'person.plan_viewed' } }, async (request, reply) => {
    const view = await plans.view(actorOf(request), planIdOf(request), {}, requestContext(request));
    return renderForm(reply, view, requestPage(view, { scope: '' }, []));
  });
  app.post<PlanParams & Body>('/plans/:planId/personal-budget-request', { config: { access: 'person:view', audit: 'person.personal_budget_requested' } }, async (request, reply) => {
    const actor = actorOf(request);
    const context = requestContext(request);
    const planId = planIdOf(request);
    const body = request.body ?? {};
    const values: Values = { scope: readText(body, 'scope'), itemIds: readList(body, 'itemIds'), note: readText(body, 'note') };
    let errors: FieldError[];
    if (values['scope'] !== 'all' && values['scope'] !== 'some') {
      errors = [{ field: 'scope', text: 'Select whether you want a personal budget for all the support or some of it' }];
    } else {
      const saved = await plans.requestPersonalBudget(actor, planId, { scope: values['scope'], itemIds: values['itemIds'] as string[], note: values['note'] as string }, context);
      if (saved.ok) return reply.redirect(paths.plans.show({ planId }), 303);
      errors = toFieldErrors(saved.errors);
    }
    const view = await plans.view(actor, planId, {}, context);
    return renderForm(reply, view, requestPage(view, values, errors), 400);
  });

  // ---- Versions, differences and the PDF --------------------------------------------------------------
  app.get<PlanParams>('/plans/:planId/versions', { config: { access: 'person:view', audit: 'person.plan_viewed' } }, async (request, reply) => {
    const view = await plans.view(actorOf(request), planIdOf(request), {}, requestContext(request));
    return reply.page('pages/plans/versions.njk', versionsModel(view.plan, view.versions));
  });
  app.get<PlanParams & Query>('/plans/:planId/compare', { config: { access: 'person:view', audit: 'person.plan_viewed' } }, async (request, reply) => {
    const planId = planIdOf(request);
    const from = versionOf(request.query.from);
    const to = versionOf(request.query.to);
    if (from === undefined || to === undefined) {
      // Two versions not chosen: the versions page again, after the same access check.
      const view = await plans.view(actorOf(request), planId, {}, requestContext(request));
      return reply.page('pages/plans/versions.njk', versionsModel(view.plan, view.versions));
    }
    const [earlier, later] = from <= to ? [from, to] : [to, from];
    const compared = await plans.diff(actorOf(request), planId, earlier, later, requestContext(request));
    return reply.page('pages/plans/versions.njk', versionsModel(compared.plan, compared.versions, { from: earlier, to: later, changes: compared.changes }));
  });
  app.get<PlanParams & Query>('/plans/:planId/plan.pdf', { config: { access: 'person:view', audit: 'person.plan_pdf_downloaded' } }, async (request, reply) => {
    const document = await plans.pdf(actorOf(request), planIdOf(request), versionOf(request.query.version), requestContext(request));
    const pdf = await planPdf(document);
    reply.header('cache-control', 'no-store');
    reply.header('content-disposition', `attachment; filename="support-plan-${document.plan.person.reference}-v${document.shown.version}.pdf"`);
    return reply.type('application/pdf').send(pdf);
  });
}
