/**
 * Statement pages (issue 6): a person's live statement (page, CSV and PDF, each view and download
 * audited by the service) and the finance budget totals by funding stream and way of managing.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { checkAsOf, type StatementFormat } from '../../../services/statements.ts';
import { parseDateInput, readDateParts } from '../../forms/date-input.ts';
import { parsePage } from '../../forms/page-number.ts';
import { statementPdf } from '../../documents/statement-pdf.ts';
import { actorOf, requestContext } from '../../request.ts';
import { dateItems } from '../sign-off/form.ts';
import { financeTotalsModel, statementCsv, statementFileName, statementPageModel, statementPdfInput } from './presenters.ts';

type StatementRoute = { Params: { personId: string }; Querystring: { asOf?: string; page?: string } };
type StatementRequest = FastifyRequest<StatementRoute>;

/** `?asOf=YYYY-MM-DD` (an earlier statement), or undefined for today. A bad date is a 400, never silently today. */
function asOfOf(request: StatementRequest, today: string): string | undefined {
  const asOf = request.query.asOf;
  if (asOf === undefined || asOf === '') return undefined;
  const checked = checkAsOf(asOf, today);
  if (!checked.ok) throw Object.assign(new Error(`${checked.message}: ask for a statement as of a date written YYYY-MM-DD, today or earlier.`), { statusCode: 400 });
  return checked.date;
}

export function statementPages(app: FastifyInstance, services: Services): void {
  const read = (request: StatementRequest, format: StatementFormat) => {
    const asOf = asOfOf(request, services.clock.today());
    return {
      asOf,
      view: services.statements.person(actorOf(request), request.params.personId, { ...(asOf === undefined ? {} : { asOf }), format }, requestContext(request)),
    };
  };
  const access = { access: 'person:statement' as const, audit: 'person.statement_viewed' };

  app.get<StatementRoute>('/people/:personId/statement', { config: access }, async (request, reply) => {
    const { asOf, view } = read(request, 'html');
    return reply.page('pages/statements/statement.njk', statementPageModel(await view, parsePage(request.query.page), asOf));
  });

  app.get<StatementRoute>('/people/:personId/statement.csv', { config: access }, async (request, reply) => {
    const view = await read(request, 'csv').view;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${statementFileName(view, 'csv')}"`)
      .header('cache-control', 'no-store')
      .send(statementCsv(view));
  });

  app.get<StatementRoute>('/people/:personId/statement.pdf', { config: access }, async (request, reply) => {
    const view = await read(request, 'pdf').view;
    const pdf = await statementPdf(statementPdfInput(view));
    reply.header('cache-control', 'no-store');
    reply.header('content-disposition', `attachment; filename="${statementFileName(view, 'pdf')}"`);
    return reply.type('application/pdf').send(pdf);
  });

  // ---- Finance: the council's budget totals ----------------------------------------------------------
  app.get<{ Querystring: Record<string, unknown> }>('/finance/budgets', { config: { access: 'money:finance-view', audit: null } }, async (request, reply) => {
    const parts = readDateParts(request.query, 'asOf');
    const parsed = parseDateInput(parts, 'The date');
    const today = services.clock.today();
    let error: string | null = parsed.ok ? null : parsed.message;
    if (parsed.ok && parsed.date !== undefined) {
      const checked = checkAsOf(parsed.date, today);
      if (!checked.ok) error = checked.message;
    }
    if (error !== null || !parsed.ok) {
      reply.code(400);
      return reply.page('pages/statements/finance-totals.njk', financeTotalsModel(null, { dateItems: dateItems('asOf', parts, true), errors: [{ field: 'asOf-day', text: error ?? 'The date must be a real date' }] }));
    }
    const totals = await services.statements.totals(actorOf(request), parsed.date === undefined ? {} : { asOf: parsed.date });
    return reply.page('pages/statements/finance-totals.njk', financeTotalsModel(totals, { dateItems: dateItems('asOf', parts, false), errors: [] }));
  });
}
