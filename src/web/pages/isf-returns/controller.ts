/**
 * Individual service fund returns (issue 6): the provider user's quarters and the return form (or
 * the return already sent), and finance's list of returns by quarter and provider with each return
 * compared with the ledger.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUuid } from '../../../domain/ids.ts';
import { isQuarterStart } from '../../../domain/monitoring/isf-return.ts';
import type { Services } from '../../../services/index.ts';
import { ISF_AUDIT, type ReturnLineInput } from '../../../services/isf-returns.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import { balanceField, formModel, overviewModel, PEOPLE_ANCHOR, quartersModel, reviewModel, spentField, submittedModel, type FieldError, type ReturnValues } from './presenters.ts';

type QuarterParams = { Params: { quarterStartsOn: string } };
type ReviewParams = { Params: { quarterStartsOn: string; providerId: string } };
type Body = Readonly<Record<string, unknown>>;

const bad = (message: string) => Object.assign(new Error(message), { statusCode: 400 });

function quarterOfRequest(request: FastifyRequest<QuarterParams>): string {
  const { quarterStartsOn } = request.params;
  if (!isQuarterStart(quarterStartsOn)) throw bad('This address does not name a quarter: it should end with the quarter’s first day, like 2026-07-01.');
  return quarterStartsOn;
}

/** The rows of the form as posted: every person named by a `spent-<id>` or `balance-<id>` field. */
function linesOf(body: Body): { lines: ReturnLineInput[]; values: ReturnValues } {
  const values: Record<string, string> = {};
  const ids = new Set<string>();
  for (const [name, value] of Object.entries(body)) {
    const match = /^(spent|balance)-(.+)$/.exec(name);
    if (match?.[1] === undefined || match[2] === undefined || typeof value !== 'string' || !isUuid(match[2])) continue;
    const personId = match[2].toLowerCase();
    values[`${match[1]}-${personId}`] = value;
    ids.add(personId);
  }
  return { values, lines: [...ids].map((personId) => ({ personId, spent: values[spentField(personId)] ?? '', balance: values[balanceField(personId)] ?? '' })) };
}

/** The service's refusals next to the form's fields: `spent.<id>` → `spent-<id>`; anything else at the list of people. */
function fieldErrors(errors: readonly { path: string; message: string }[]): FieldError[] {
  return errors.map((e) => {
    const match = /^(spent|balance)\.(.+)$/.exec(e.path);
    return { field: match?.[1] !== undefined && match[2] !== undefined ? `${match[1]}-${match[2]}` : PEOPLE_ANCHOR, text: e.message };
  });
}

export function isfReturnPages(app: FastifyInstance, services: Services): void {
  const isf = services.isfReturns;
  const provider = { access: 'isf:submit-return' as const };
  const finance = { access: 'isf:review-returns' as const };

  // ---- Provider users ----------------------------------------------------------------------------
  app.get(paths.isfReturns.quarters(), { config: { ...provider, audit: null } }, async (request, reply) => {
    return reply.page('pages/isf-returns/quarters.njk', quartersModel(await isf.quarters(actorOf(request))));
  });

  app.get<QuarterParams & { Querystring: { submitted?: string } }>('/isf-returns/:quarterStartsOn', { config: { ...provider, audit: ISF_AUDIT.viewed } }, async (request, reply) => {
    const view = await isf.providerReturn(actorOf(request), quarterOfRequest(request), requestContext(request));
    if (view.state === 'submitted') return reply.page('pages/isf-returns/submitted.njk', submittedModel(view, { justSubmitted: request.query.submitted === 'yes', errors: [] }));
    return reply.page('pages/isf-returns/form.njk', formModel(view, {}, []));
  });

  app.post<QuarterParams & { Body: Body | undefined }>('/isf-returns/:quarterStartsOn', { config: { ...provider, audit: ISF_AUDIT.submitted } }, async (request, reply) => {
    const actor = actorOf(request);
    const context = requestContext(request);
    const quarterStartsOn = quarterOfRequest(request);
    const { lines, values } = linesOf(request.body ?? {});
    const outcome = await isf.submit(actor, quarterStartsOn, lines, context);
    if (outcome.ok) return reply.redirect(paths.isfReturns.quarter({ quarterStartsOn }, { submitted: true }), 303);
    const view = await isf.providerReturn(actor, quarterStartsOn, context);
    if (view.state === 'submitted') {
      // Sent already (perhaps a moment ago, from another tab): show that return and say why this one was refused.
      reply.code(409);
      return reply.page('pages/isf-returns/submitted.njk', submittedModel(view, { justSubmitted: false, errors: outcome.errors.map((e) => ({ field: 'return', text: e.message })) }));
    }
    reply.code(400);
    return reply.page('pages/isf-returns/form.njk', formModel(view, values, fieldErrors(outcome.errors)));
  });

  // ---- Finance ------------------------------------------------------------------------------------
  app.get(paths.isfReturns.overview(), { config: { ...finance, audit: null } }, async (request, reply) => {
    return reply.page('pages/isf-returns/overview.njk', overviewModel(await isf.overview(actorOf(request))));
  });

  app.get<ReviewParams>('/finance/isf-returns/:quarterStartsOn/:providerId', { config: { ...finance, audit: ISF_AUDIT.viewed } }, async (request, reply) => {
    const { providerId } = request.params;
    if (!isUuid(providerId)) throw bad('This address does not name a provider.');
    const view = await isf.review(actorOf(request), quarterOfRequest(request), providerId, requestContext(request));
    return reply.page('pages/isf-returns/review.njk', reviewModel(view));
  });
}
