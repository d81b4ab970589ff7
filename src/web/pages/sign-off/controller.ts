/**
 * Sign-off pages (issue 5): the approver's queue and decision (or the panel's), the worker's "check
 * before you submit", the family's agreement, refusing or withholding a direct payment and its
 * notice, DBS checks for personal assistants, and the council's approval tiers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUuid } from '../../../domain/ids.ts';
import { mayDo } from '../../../domain/access/policy.ts';
import { parsePounds } from '../../../domain/money/money.ts';
import { personalAssistantItems } from '../../../domain/sign-off/sign-off.ts';
import type { Services } from '../../../services/index.ts';
import { OutOfOrderError } from '../../../services/sign-off.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import { dateItems, EMPTY_DATE, fieldErrors, list, readDate, text, type Body, type FieldError } from './form.ts';
import { agreeModel, dbsModel, noticeModel, queueModel, refuseModel, signOffModel, submitModel, tiersModel, type DecisionValues } from './presenters.ts';

type PlanParams = { Params: { planId: string } };
type DbsParams = { Params: { planId: string; itemId: string } };
type WithBody = { Body: Body | undefined };

function planIdOf(request: FastifyRequest<PlanParams>): string {
  const { planId } = request.params;
  if (!isUuid(planId)) throw Object.assign(new Error('This address does not name a plan.'), { statusCode: 400 });
  return planId;
}

/** A step out of order (deciding a decided plan, agreeing an unapproved one) is a 409 page with the reason. */
async function inOrder<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof OutOfOrderError) throw Object.assign(new Error(error.detail), { statusCode: 409 });
    throw error;
  }
}

/** More rows than any council has tiers (the page shows those set up and one spare). */
const MAX_TIER_ROWS = 50;

const EMPTY_DECISION: DecisionValues = { decision: '', reasons: '', panelMembers: '', panelDate: EMPTY_DATE };

export function signOffPages(app: FastifyInstance, services: Services): void {
  const signOff = services.signOff;

  // ---- The approver's queue and decision ------------------------------------------------------------
  app.get<{ Querystring: { decided?: string } }>('/sign-off', { config: { access: 'plan:approve', audit: null } }, async (request, reply) => {
    const decided = request.query.decided;
    return reply.page('pages/sign-off/queue.njk', queueModel(await signOff.queue(actorOf(request)), decided === 'approve' || decided === 'return' ? decided : undefined));
  });

  app.get<PlanParams>('/sign-off/:planId', { config: { access: 'plan:approve', audit: 'person.plan_sign_off_viewed' } }, async (request, reply) => {
    const view = await signOff.view(actorOf(request), planIdOf(request), requestContext(request));
    return reply.page('pages/sign-off/plan.njk', signOffModel(view, { values: EMPTY_DECISION, errors: [], dateItems: dateItems('panelDate', EMPTY_DATE, false) }));
  });

  app.post<PlanParams & WithBody>('/sign-off/:planId', { config: { access: 'plan:approve', audit: 'person.plan_approved' } }, async (request, reply) => {
    const actor = actorOf(request);
    const context = requestContext(request);
    const planId = planIdOf(request);
    const body = request.body ?? {};
    const panel = text(body, 'form') === 'panel';
    const date = readDate(body, 'panelDate', 'The date of the panel');
    const values: DecisionValues = { decision: text(body, 'decision'), reasons: text(body, 'reasons'), panelMembers: text(body, 'panelMembers'), panelDate: date.parts };
    let errors: FieldError[] = [];
    if (panel) {
      const outcome = await inOrder(signOff.panelDecision(actor, planId, { decision: values.decision, reasons: values.reasons, panelDate: date.error === null ? date.date : 'invalid', panelMembers: values.panelMembers }, context));
      if (outcome.ok) return reply.redirect(paths.signOff.queue({ decided: values.decision === 'return' ? 'return' : 'approve' }), 303);
      errors = fieldErrors(outcome.errors, { decision: 'decision', reasons: 'reasons', panelDate: 'panelDate', panelMembers: 'panelMembers' }, 'decision');
      if (date.error !== null) errors = [...errors.filter((e) => e.field !== 'panelDate'), date.error];
    } else {
      const outcome = await inOrder(signOff.decide(actor, planId, { decision: values.decision, reasons: values.reasons }, context));
      if (outcome.ok) return reply.redirect(paths.signOff.queue({ decided: values.decision === 'return' ? 'return' : 'approve' }), 303);
      errors = fieldErrors(outcome.errors, { decision: 'decision', reasons: 'reasons' }, 'decision');
    }
    const view = await signOff.view(actor, planId, context);
    reply.code(400);
    return reply.page('pages/sign-off/plan.njk', signOffModel(view, { values, errors, dateItems: dateItems('panelDate', date.parts, errors.some((e) => e.field === 'panelDate')) }));
  });

  // ---- Submitting a plan ---------------------------------------------------------------------------
  const submitPage = async (request: FastifyRequest<PlanParams>, errors: readonly FieldError[], note: string) => {
    const s = await signOff.summary(actorOf(request), planIdOf(request), 'person:plan', requestContext(request));
    return submitModel({ planId: s.plan.id, name: s.person.name, status: s.plan.status, totalPence: s.plan.totalPence, problems: s.problems }, errors, note);
  };
  app.get<PlanParams>('/plans/:planId/submit', { config: { access: 'person:plan', audit: 'person.plan_sign_off_viewed' } }, async (request, reply) => {
    return reply.page('pages/sign-off/submit.njk', await submitPage(request, [], ''));
  });
  app.post<PlanParams & WithBody>('/plans/:planId/submit', { config: { access: 'person:plan', audit: 'person.plan_submitted' } }, async (request, reply) => {
    const note = text(request.body ?? {}, 'note');
    const outcome = await inOrder(signOff.submit(actorOf(request), planIdOf(request), { note }, requestContext(request)));
    if (outcome.ok) return reply.redirect(paths.plans.done({ planId: planIdOf(request) }, 'submitted'), 303);
    reply.code(400);
    return reply.page('pages/sign-off/submit.njk', await submitPage(request, fieldErrors(outcome.errors, { note: 'note' }, 'problems').filter((e) => e.field === 'note').concat(outcome.errors.some((e) => e.path !== 'note') ? [{ field: 'problems', text: 'Fix the problems listed before submitting the plan' }] : []), note));
  });

  // ---- Agreeing a plan -----------------------------------------------------------------------------
  const agreePage = async (request: FastifyRequest<PlanParams>, form: Parameters<typeof agreeModel>[1]) => {
    const s = await signOff.summary(actorOf(request), planIdOf(request), 'plan:agree', requestContext(request));
    return agreeModel({ planId: s.plan.id, name: s.person.name, totalPence: s.plan.totalPence, status: s.plan.status, totals: s.totals }, form);
  };
  app.get<PlanParams>('/plans/:planId/agree', { config: { access: 'plan:agree', audit: 'person.plan_sign_off_viewed' } }, async (request, reply) => {
    return reply.page('pages/sign-off/agree.njk', await agreePage(request, { typedName: '', confirmed: false, errors: [], dateItems: dateItems('agreedOn', EMPTY_DATE, false) }));
  });
  app.post<PlanParams & WithBody>('/plans/:planId/agree', { config: { access: 'plan:agree', audit: 'person.plan_agreed' } }, async (request, reply) => {
    const body = request.body ?? {};
    const date = readDate(body, 'agreedOn', 'The date the plan was agreed');
    const typedName = text(body, 'typedName');
    const confirmed = text(body, 'confirmed') === 'yes';
    const outcome = await inOrder(signOff.agree(actorOf(request), planIdOf(request), { typedName, agreedOn: date.error === null ? date.date : 'invalid', confirmed }, requestContext(request)));
    if (outcome.ok) return reply.redirect(paths.plans.done({ planId: planIdOf(request) }, 'agreed'), 303);
    let errors = fieldErrors(outcome.errors, { typedName: 'typedName', agreedOn: 'agreedOn', confirmed: 'confirmed' }, 'typedName');
    if (date.error !== null) errors = [...errors.filter((e) => e.field !== 'agreedOn'), date.error];
    reply.code(400);
    return reply.page('pages/sign-off/agree.njk', await agreePage(request, { typedName, confirmed, errors, dateItems: dateItems('agreedOn', date.parts, errors.some((e) => e.field === 'agreedOn')) }));
  });

  // ---- Refusing or withholding a direct payment, and the notice -----------------------------------
  const refusePage = async (request: FastifyRequest<PlanParams>, form: Parameters<typeof refuseModel>[1]) => {
    const s = await signOff.summary(actorOf(request), planIdOf(request), 'plan:refuse-direct-payment', requestContext(request));
    return refuseModel({ planId: s.plan.id, name: s.person.name, items: s.content.items.filter((i) => i.management === 'direct_payment') }, form);
  };
  app.get<PlanParams>('/plans/:planId/direct-payment-refusal', { config: { access: 'plan:refuse-direct-payment', audit: 'person.plan_sign_off_viewed' } }, async (request, reply) => {
    return reply.page('pages/sign-off/refuse.njk', await refusePage(request, { outcome: '', category: '', reasons: '', itemIds: [], errors: [] }));
  });
  app.post<PlanParams & WithBody>('/plans/:planId/direct-payment-refusal', { config: { access: 'plan:refuse-direct-payment', audit: 'person.direct_payment_refused' } }, async (request, reply) => {
    const body = request.body ?? {};
    const form = { outcome: text(body, 'outcome'), category: text(body, 'category'), reasons: text(body, 'reasons'), itemIds: list(body, 'itemIds') };
    const outcome = await signOff.refuseDirectPayment(actorOf(request), planIdOf(request), form, requestContext(request));
    if (outcome.ok) return reply.redirect(paths.signOff.notice({ refusalId: outcome.value.refusalId }), 303);
    reply.code(400);
    return reply.page('pages/sign-off/refuse.njk', await refusePage(request, { ...form, errors: fieldErrors(outcome.errors, { outcome: 'outcome', category: 'category', reasons: 'reasons', itemIds: 'itemIds' }, 'outcome') }));
  });
  app.get<{ Params: { refusalId: string } }>('/direct-payment-notices/:refusalId', { config: { access: 'person:view', audit: 'person.direct_payment_notice_viewed' } }, async (request, reply) => {
    const actor = actorOf(request);
    const view = await signOff.notice(actor, request.params.refusalId, requestContext(request));
    return reply.page('pages/sign-off/notice.njk', noticeModel(view, actor.kind === 'staff'));
  });

  // ---- DBS checks for personal assistants ----------------------------------------------------------
  const dbsPage = async (request: FastifyRequest<DbsParams>, form: Parameters<typeof dbsModel>[1]) => {
    const actor = actorOf(request);
    const action = mayDo(actor, 'person:plan') ? 'person:plan' : 'plan:approve';
    const s = await signOff.summary(actor, planIdOf(request), action, requestContext(request));
    const item = personalAssistantItems(s.content).find((i) => i.id === request.params.itemId);
    if (item === undefined) throw Object.assign(new Error('This plan has no personal assistant paid by direct payment with that id.'), { statusCode: 404 });
    return dbsModel({ planId: s.plan.id, description: item.description, itemId: item.id, mayCheck: mayDo(actor, 'person:plan'), mayException: mayDo(actor, 'plan:approve') }, form);
  };
  const dbsAccess = { access: 'plan:record-dbs' as const, audit: 'person.dbs_check_recorded' };
  app.get<DbsParams>('/plans/:planId/dbs/:itemId', { config: { ...dbsAccess, audit: 'person.plan_sign_off_viewed' } }, async (request, reply) => {
    return reply.page('pages/sign-off/dbs.njk', await dbsPage(request, { kind: '', certificateNumber: '', reason: '', errors: [], dateItems: dateItems('checkedOn', EMPTY_DATE, false) }));
  });
  app.post<DbsParams & WithBody>('/plans/:planId/dbs/:itemId', { config: dbsAccess }, async (request, reply) => {
    const actor = actorOf(request);
    const body = request.body ?? {};
    const kind = text(body, 'kind') || (mayDo(actor, 'person:plan') ? 'check' : 'exception');
    const date = readDate(body, 'checkedOn', 'The date of the DBS check');
    const certificateNumber = text(body, 'certificateNumber');
    const reason = text(body, 'reason');
    const input = kind === 'exception' ? { kind: 'exception' as const, reason } : { kind: 'check' as const, checkedOn: date.error === null ? date.date : 'invalid', certificateNumber };
    const outcome = await signOff.recordDbs(actor, planIdOf(request), request.params.itemId, input, requestContext(request));
    if (outcome.ok) return reply.redirect(mayDo(actor, 'plan:approve') ? paths.signOff.plan({ planId: planIdOf(request) }) : paths.signOff.submit({ planId: planIdOf(request) }), 303);
    let errors = fieldErrors(outcome.errors, { checkedOn: 'checkedOn', certificateNumber: 'certificateNumber', reason: 'reason' }, 'certificateNumber');
    if (kind === 'check' && date.error !== null) errors = [...errors.filter((e) => e.field !== 'checkedOn'), date.error];
    reply.code(400);
    return reply.page('pages/sign-off/dbs.njk', await dbsPage(request, { kind, certificateNumber, reason, errors, dateItems: dateItems('checkedOn', date.parts, errors.some((e) => e.field === 'checkedOn')) }));
  });

  // ---- Approval tiers (administrators) --------------------------------------------------------------
  app.get<{ Querystring: Record<string, unknown> }>('/sign-off/tiers', { config: { access: 'approval-tiers:manage', audit: null } }, async (request, reply) => {
    const tiers = await signOff.tiers(actorOf(request));
    return reply.page('pages/sign-off/tiers.njk', { ...tiersModel(tiers, null), saved: request.query.saved === 'yes' });
  });
  app.post<WithBody>('/sign-off/tiers', { config: { access: 'approval-tiers:manage', audit: 'approval_tiers.changed' } }, async (request, reply) => {
    const actor = actorOf(request);
    const body = request.body ?? {};
    // Row i posts name-i and upTo-i (a name per field, as HTML asks). Rows left wholly empty are not
    // tiers: the page offers one spare row to add a tier.
    const rows: { name: string; upTo: string }[] = [];
    for (let i = 0; i < MAX_TIER_ROWS; i++) {
      const row = { name: text(body, `name-${i}`), upTo: text(body, `upTo-${i}`) };
      if (row.name.trim() !== '' || row.upTo.trim() !== '') rows.push(row);
    }
    const parseErrors: FieldError[] = [];
    const tiers = rows.map((r, index) => {
      if (r.upTo.trim() === '') return { name: r.name, upToPence: null };
      const parsed = parsePounds(r.upTo);
      if (!parsed.ok) {
        parseErrors.push({ field: `upTo-${index}`, text: `The limit of tier ${index + 1} must be an amount in pounds, like 5000` });
        return { name: r.name, upToPence: 1n };
      }
      return { name: r.name, upToPence: parsed.pence };
    });
    if (parseErrors.length === 0) {
      const outcome = await signOff.saveTiers(actor, tiers, requestContext(request));
      if (outcome.ok) return reply.redirect(`${paths.signOff.tiers()}?saved=yes`, 303);
      parseErrors.push(...outcome.errors.map((e) => ({ field: e.path === 'tiers' ? 'name-0' : e.path.replace(/^tiers\.(\d+)\.(name|upTo)$/, '$2-$1'), text: e.message })));
    }
    reply.code(400);
    const current = await signOff.tiers(actor);
    return reply.page('pages/sign-off/tiers.njk', tiersModel(current, { rows: rows.length > 0 ? rows : [{ name: '', upTo: '' }], errors: parseErrors, saved: false }));
  });
}
