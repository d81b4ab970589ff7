/**
 * Payment run pages (issue 6), for finance officers: the list of runs; a new run (a run date, then
 * the preview and "Create payment run"); a run's page with its progress, authorisation by a second
 * finance officer, cancelling, the payment file (CSV) and remittance notices; and a person's payee
 * bank details. The work is in src/services/payment-runs.ts; the job runs in src/jobs/.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUuid } from '../../../domain/ids.ts';
import { parseDateInput, readDateParts, type DateParts } from '../../forms/date-input.ts';
import type { Services } from '../../../services/index.ts';
import { RunOutOfOrderError } from '../../../services/payment-runs.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import { bankDetailsModel, fileProblemsModel, newRunModel, previewModel, remittanceModel, runModel, runsModel, type BankValues, type FieldError } from './presenters.ts';

type RunParams = { Params: { paymentRunId: string } };
type PersonParams = { Params: { personId: string } };
type Body = Readonly<Record<string, unknown>>;
type WithBody = { Body: Body | undefined };

const text = (body: Body, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value : '';
};

const EMPTY_DATE: DateParts = { day: '', month: '', year: '' };

function dateItems(parts: DateParts, error: boolean) {
  const cls = (width: string) => `govuk-input--width-${width}${error ? ' govuk-input--error' : ''}`;
  return [
    { name: 'day', label: 'Day', value: parts.day, classes: cls('2') },
    { name: 'month', label: 'Month', value: parts.month, classes: cls('2') },
    { name: 'year', label: 'Year', value: parts.year, classes: cls('4') },
  ];
}

/** The run date from the GOV.UK date input, or the error to show beside it. */
function readRunDate(body: Body): { parts: DateParts; date: string | null; error: FieldError | null } {
  const parts = readDateParts(body, 'runDate');
  const parsed = parseDateInput(parts, 'The run date');
  if (!parsed.ok) return { parts, date: null, error: { field: 'runDate', text: parsed.message } };
  if (parsed.date === undefined) return { parts, date: null, error: { field: 'runDate', text: 'Enter the run date' } };
  return { parts, date: parsed.date, error: null };
}

function runIdOf(request: FastifyRequest<RunParams>): string {
  if (!isUuid(request.params.paymentRunId)) throw Object.assign(new Error('This address does not name a payment run.'), { statusCode: 404 });
  return request.params.paymentRunId;
}

function personIdOf(request: FastifyRequest<PersonParams>): string {
  if (!isUuid(request.params.personId)) throw Object.assign(new Error('This address does not name a person.'), { statusCode: 404 });
  return request.params.personId;
}

/** A step out of order (authorising a cancelled run) is a 409 page with the reason. */
async function inOrder<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof RunOutOfOrderError) throw Object.assign(new Error(error.detail), { statusCode: 409 });
    throw error;
  }
}

const NOTICES: Readonly<Record<string, string>> = {
  created: 'Payment run created. It is being paid now: this page shows how far it has got.',
  waiting: 'Payment run created. Another finance officer must authorise it before it is paid.',
  authorised: 'Payment run authorised. It is being paid now.',
  cancelled: 'Payment run cancelled. Its payments can go in another run.',
  retried: 'Payment run queued again. It pays only what it had not paid yet: this page shows how far it has got.',
};

export function paymentPages(app: FastifyInstance, services: Services): void {
  const runs = services.paymentRuns;
  const access = 'payments:run' as const;

  app.get('/payment-runs', { config: { access, audit: null } }, async (request, reply) => {
    return reply.page('pages/payments/runs.njk', runsModel(await runs.list(actorOf(request))));
  });

  app.get('/payment-runs/new', { config: { access, audit: null } }, async (_request, reply) => {
    return reply.page('pages/payments/new.njk', newRunModel({ errors: [], dateItems: dateItems(EMPTY_DATE, false) }));
  });

  // The preview: a read, posted so that the date comes with the form's CSRF token (it is audited).
  app.post<WithBody>('/payment-runs/new', { config: { access, audit: 'payment_run.previewed' } }, async (request, reply) => {
    const date = readRunDate(request.body ?? {});
    const outcome = date.date === null ? null : await runs.preview(actorOf(request), date.date, requestContext(request));
    if (outcome?.ok === true) return reply.page('pages/payments/preview.njk', previewModel(outcome.value));
    const errors: FieldError[] = date.error !== null ? [date.error] : (outcome?.ok === false ? outcome.errors : []).map((e) => ({ field: 'runDate', text: e.message }));
    reply.code(400);
    return reply.page('pages/payments/new.njk', newRunModel({ errors, dateItems: dateItems(date.parts, true) }));
  });

  app.post<WithBody>('/payment-runs', { config: { access, audit: 'payment_run.created' } }, async (request, reply) => {
    const runDate = text(request.body ?? {}, 'runDate');
    const outcome = await runs.create(actorOf(request), runDate, requestContext(request));
    if (outcome.ok) return reply.redirect(`${paths.payments.run({ runId: outcome.value.runId })}?done=${outcome.value.status === 'queued' ? 'created' : 'waiting'}`, 303);
    // Nothing was saved: the date is shown again, with the reason.
    const [year = '', month = '', day = ''] = runDate.split('-');
    reply.code(400);
    return reply.page('pages/payments/new.njk', newRunModel({ errors: outcome.errors.map((e) => ({ field: 'runDate', text: e.message })), dateItems: dateItems({ day, month, year }, true) }));
  });

  app.get<RunParams & { Querystring: { done?: string } }>('/payment-runs/:paymentRunId', { config: { access, audit: 'payment_run.viewed' } }, async (request, reply) => {
    const view = await runs.view(actorOf(request), runIdOf(request), requestContext(request));
    return reply.page('pages/payments/run.njk', runModel(view, { cancelErrors: [], reason: '', notice: NOTICES[request.query.done ?? ''] }));
  });

  app.get<RunParams>('/payment-runs/:paymentRunId/progress', { config: { access, audit: null } }, async (request, reply) => {
    const progress = await runs.progress(actorOf(request), runIdOf(request));
    return reply.header('cache-control', 'no-store').send({ ...progress, postedPence: progress.postedPence.toString() });
  });

  app.post<RunParams & WithBody>('/payment-runs/:paymentRunId/authorise', { config: { access, audit: 'payment_run.authorised' } }, async (request, reply) => {
    await inOrder(runs.authorise(actorOf(request), runIdOf(request), requestContext(request)));
    return reply.redirect(`${paths.payments.run({ runId: runIdOf(request) })}?done=authorised`, 303);
  });

  app.post<RunParams & WithBody>('/payment-runs/:paymentRunId/retry', { config: { access, audit: 'payment_run.retried' } }, async (request, reply) => {
    await inOrder(runs.retry(actorOf(request), runIdOf(request), requestContext(request)));
    return reply.redirect(`${paths.payments.run({ runId: runIdOf(request) })}?done=retried`, 303);
  });

  app.post<RunParams & WithBody>('/payment-runs/:paymentRunId/cancel', { config: { access, audit: 'payment_run.cancelled' } }, async (request, reply) => {
    const actor = actorOf(request);
    const reason = text(request.body ?? {}, 'reason');
    const outcome = await inOrder(runs.cancel(actor, runIdOf(request), reason, requestContext(request)));
    if (outcome.ok) return reply.redirect(`${paths.payments.run({ runId: runIdOf(request) })}?done=cancelled`, 303);
    const view = await runs.view(actor, runIdOf(request), requestContext(request));
    reply.code(400);
    return reply.page('pages/payments/run.njk', runModel(view, { cancelErrors: outcome.errors.map((e) => ({ field: 'reason', text: e.message })), reason }));
  });

  app.get<RunParams>('/payment-runs/:paymentRunId/payment-file.csv', { config: { access, audit: 'payment_run.file_downloaded' } }, async (request, reply) => {
    const actor = actorOf(request);
    const file = await inOrder(runs.paymentFile(actor, runIdOf(request), requestContext(request)));
    if (!file.ok) {
      reply.code(409);
      return reply.page('pages/payments/file-problems.njk', fileProblemsModel(runIdOf(request), file.reference, file.problems));
    }
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .header('cache-control', 'no-store')
      .send(file.csv);
  });

  app.get<RunParams>('/payment-runs/:paymentRunId/remittance', { config: { access, audit: 'payment_run.remittances_viewed' } }, async (request, reply) => {
    return reply.page('pages/payments/remittance.njk', remittanceModel(await inOrder(runs.remittance(actorOf(request), runIdOf(request), requestContext(request)))));
  });

  // ---- A person's payee bank details ---------------------------------------------------------------
  app.get<PersonParams & { Querystring: { saved?: string } }>('/people/:personId/bank-details', { config: { access: 'payments:bank-details', audit: 'person.bank_details_viewed' } }, async (request, reply) => {
    const { person, details } = await runs.bankDetails(actorOf(request), personIdOf(request), requestContext(request));
    return reply.page('pages/payments/bank-details.njk', bankDetailsModel(person, details, { errors: [], saved: request.query.saved === 'yes' }));
  });

  app.post<PersonParams & WithBody>('/people/:personId/bank-details', { config: { access: 'payments:bank-details', audit: 'person.bank_details_changed' } }, async (request, reply) => {
    const body = request.body ?? {};
    const values: BankValues = { payeeReference: text(body, 'payeeReference'), accountName: text(body, 'accountName'), sortCode: text(body, 'sortCode'), accountNumber: text(body, 'accountNumber') };
    const actor = actorOf(request);
    const outcome = await runs.saveBankDetails(actor, personIdOf(request), values, requestContext(request));
    if (outcome.ok) return reply.redirect(`${paths.payments.bankDetails({ personId: personIdOf(request) })}?saved=yes`, 303);
    const { person, details } = await runs.bankDetails(actor, personIdOf(request), requestContext(request));
    reply.code(400);
    return reply.page('pages/payments/bank-details.njk', bankDetailsModel(person, details, { values, errors: outcome.errors.map((e) => ({ field: e.path, text: e.message })), saved: false }));
  });
}
