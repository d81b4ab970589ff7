/**
 * Direct payment monitoring pages (issue 6): a person's spending (returns, lines, flags,
 * reconciliation), uploading a statement CSV and entering a line with a receipt, the finance list,
 * proposing and deciding recoveries, the family's notice, and the year-end rollover.
 * File uploads arrive through @fastify/multipart as Buffers in the body (src/web/app.ts), so the
 * CSRF check reads `_csrf` from the same body as any form.
 */
import { Buffer } from 'node:buffer';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUuid } from '../../../domain/ids.ts';
import { isIsoDate } from '../../../domain/pathway/dates.ts';
import type { Services } from '../../../services/index.ts';
import { FLAG_KINDS, type FlagKind } from '../../../services/monitoring.ts';
import { OutOfOrderError } from '../../../services/sign-off.ts';
import { parseDateInput, readDateParts } from '../../forms/date-input.ts';
import { parsePage } from '../../forms/page-number.ts';
import { readDate } from '../sign-off/form.ts';
import { formatWhen } from '../../format.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import {
  csvErrorList,
  EMPTY_CHALLENGE,
  EMPTY_LINE,
  financeListModel,
  lineModel,
  noticeModel,
  proposeModel,
  recoveryModel,
  spendingModel,
  type ChallengeValues,
  uploadModel,
  waitingModel,
  yearEndModel,
  type FieldError,
  type LineValues,
} from './presenters.ts';

type Body = Readonly<Record<string, unknown>>;
type PersonParams = { Params: { personId: string } };
type RecoveryParams = { Params: { recoveryId: string } };
type WithBody = { Body: Body | undefined };

const text = (body: Body, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value : '';
};

/** An uploaded file's bytes (an empty Buffer when no file was chosen). */
const file = (body: Body, name: string): Buffer => {
  const value = body[name];
  return Buffer.isBuffer(value) ? value : Buffer.alloc(0);
};

function personIdOf(request: FastifyRequest<PersonParams>): string {
  const { personId } = request.params;
  if (!isUuid(personId)) throw Object.assign(new Error('This address does not name a person.'), { statusCode: 404 });
  return personId;
}

const toFieldErrors = (errors: readonly { path: string; message: string }[], fallback: string): FieldError[] =>
  errors.map((e) => ({ field: e.path === '' ? fallback : e.path, text: e.message }));

/** A step out of order (deciding a recovery already decided) is a 409 page with the reason. */
async function inOrder<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof OutOfOrderError) throw Object.assign(new Error(error.detail), { statusCode: 409 });
    throw error;
  }
}

const DONE = ['uploaded', 'entered', 'proposed', 'decided'];
/** People a page on the finance monitoring list. */
const FINANCE_LIST_PAGE_SIZE = 50;

export function monitoringPages(app: FastifyInstance, services: Services): void {
  const monitoring = services.monitoring;
  const recoveries = services.recoveries;

  // ---- A person's spending ------------------------------------------------------------------------
  app.get<PersonParams & { Querystring: { done?: string } }>(
    '/people/:personId/spending',
    { config: { access: 'person:spending', audit: 'person.spending_viewed' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const view = await monitoring.spending(actor, personIdOf(request), requestContext(request));
      const done = DONE.includes(request.query.done ?? '') ? request.query.done : undefined;
      return reply.page('pages/monitoring/spending.njk', spendingModel(view, actor, done));
    },
  );

  // ---- Uploading a statement ----------------------------------------------------------------------
  const uploadPage = async (request: FastifyRequest<PersonParams>, reply: FastifyReply, errors: readonly FieldError[]) => {
    const view = await monitoring.spending(actorOf(request), personIdOf(request), requestContext(request));
    return reply.page('pages/monitoring/upload.njk', uploadModel(view, errors));
  };
  app.get<PersonParams>('/people/:personId/spending/upload', { config: { access: 'person:spending', audit: 'person.spending_viewed' } }, async (request, reply) =>
    uploadPage(request, reply, []),
  );
  app.post<PersonParams & WithBody>(
    '/people/:personId/spending/upload',
    { config: { access: 'person:spending', audit: 'person.spending_return_uploaded' } },
    async (request, reply) => {
      const personId = personIdOf(request);
      // The multipart plugin keeps the file's bytes, not its name: the return is named by its upload.
      const outcome = await monitoring.uploadStatement(actorOf(request), personId, { name: 'statement.csv', bytes: file(request.body ?? {}, 'statement') }, requestContext(request));
      if (outcome.ok) return reply.redirect(paths.monitoring.spending({ personId }, 'uploaded'), 303);
      reply.code(outcome.kind === 'duplicate' ? 409 : 400);
      const errors =
        outcome.kind === 'duplicate'
          ? [{ field: 'statement', text: `This statement was already uploaded on ${formatWhen(outcome.uploadedAt)}. Nothing was uploaded this time` }]
          : csvErrorList(outcome.errors);
      return uploadPage(request, reply, errors);
    },
  );

  // ---- Entering a line ----------------------------------------------------------------------------
  const linePage = async (request: FastifyRequest<PersonParams>, reply: FastifyReply, values: LineValues, errors: readonly FieldError[]) => {
    const view = await monitoring.spending(actorOf(request), personIdOf(request), requestContext(request));
    return reply.page('pages/monitoring/line.njk', lineModel(view, values, errors));
  };
  app.get<PersonParams>('/people/:personId/spending/line', { config: { access: 'person:spending', audit: 'person.spending_viewed' } }, async (request, reply) =>
    linePage(request, reply, EMPTY_LINE, []),
  );
  app.post<PersonParams & WithBody>('/people/:personId/spending/line', { config: { access: 'person:spending', audit: 'person.spending_line_entered' } }, async (request, reply) => {
    const personId = personIdOf(request);
    const body = request.body ?? {};
    const parts = readDateParts(body, 'date');
    const values: LineValues = { ...parts, payee: text(body, 'payee'), category: text(body, 'category'), amount: text(body, 'amount'), type: text(body, 'type'), reference: text(body, 'reference') };
    const date = parseDateInput(parts, 'The date of the payment');
    const dateError: FieldError | null = !date.ok ? { field: 'date', text: date.message } : date.date === undefined ? { field: 'date', text: 'Enter the date of the payment' } : null;
    const receipt = file(body, 'receipt');
    const outcome = await monitoring.enterLine(
      actorOf(request),
      personId,
      { date: date.ok && date.date !== undefined ? date.date : '', payee: values.payee, category: values.category, amount: values.amount, type: values.type, reference: values.reference, receipt: { bytes: receipt } },
      requestContext(request),
    );
    if (outcome.ok && dateError === null) return reply.redirect(paths.monitoring.spending({ personId }, 'entered'), 303);
    const errors = outcome.ok ? [] : toFieldErrors(outcome.errors, 'payee').filter((e) => e.field !== 'date' || dateError === null);
    reply.code(400);
    return linePage(request, reply, values, dateError === null ? errors : [dateError, ...errors]);
  });

  app.get<{ Params: { lineId: string } }>('/spending-lines/:lineId/receipt', { config: { access: 'person:spending', audit: 'person.spending_receipt_downloaded' } }, async (request, reply) => {
    const receipt = await monitoring.receipt(actorOf(request), request.params.lineId, requestContext(request));
    return reply
      .type(receipt.type)
      .header('content-disposition', `attachment; filename="${receipt.name.replace(/["\\]/g, '')}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(receipt.bytes);
  });

  // ---- Finance list --------------------------------------------------------------------------------
  app.get<{ Querystring: { flag?: string; page?: string } }>('/finance/monitoring', { config: { access: 'monitoring:list', audit: null } }, async (request, reply) => {
    const flag = FLAG_KINDS.find((k) => k === request.query.flag) as FlagKind | undefined;
    const list = await monitoring.financeList(actorOf(request), flag === undefined ? {} : { flag }, { page: parsePage(request.query.page), pageSize: FINANCE_LIST_PAGE_SIZE });
    return reply.page('pages/monitoring/finance.njk', financeListModel(list, flag));
  });

  // ---- Proposing a surplus recovery ---------------------------------------------------------------
  const proposePage = async (request: FastifyRequest<PersonParams>, reply: FastifyReply, values: { amount: string; reasons: string }, errors: readonly FieldError[]) => {
    const view = await monitoring.spending(actorOf(request), personIdOf(request), requestContext(request));
    return reply.page('pages/monitoring/propose.njk', proposeModel(view, values, errors));
  };
  app.get<PersonParams>('/people/:personId/spending/recovery', { config: { access: 'recovery:propose', audit: 'person.spending_viewed' } }, async (request, reply) =>
    proposePage(request, reply, { amount: '', reasons: '' }, []),
  );
  app.post<PersonParams & WithBody>('/people/:personId/spending/recovery', { config: { access: 'recovery:propose', audit: 'person.recovery_proposed' } }, async (request, reply) => {
    const personId = personIdOf(request);
    const body = request.body ?? {};
    const values = { amount: text(body, 'amount'), reasons: text(body, 'reasons') };
    const outcome = await recoveries.proposeSurplus(actorOf(request), personId, values, requestContext(request));
    if (outcome.ok) return reply.redirect(paths.monitoring.spending({ personId }, 'proposed'), 303);
    reply.code(400);
    return proposePage(request, reply, values, toFieldErrors(outcome.errors, 'amount'));
  });

  // ---- Year-end rollover ----------------------------------------------------------------------------
  /** A day carried as 'YYYY-MM-DD' (by links and the proposal form's hidden field), when it is a real date. */
  const asOfOf = (value: unknown): string | undefined => (typeof value === 'string' && isIsoDate(value) ? value : undefined);
  app.get<PersonParams & { Querystring: Record<string, unknown> }>(
    '/people/:personId/spending/year-end',
    { config: { access: 'recovery:propose', audit: 'person.rollover_viewed' } },
    async (request, reply) => {
      // The day is typed in the date fields; links and the proposal form carry it as ?asOf=YYYY-MM-DD.
      const label = 'The date to work it out on';
      const parts = readDateParts(request.query, 'asOf');
      const parsed = parseDateInput(parts, label);
      let error = parsed.ok ? null : parsed.message;
      let asOf = parsed.ok ? parsed.date : undefined;
      const linked = request.query.asOf;
      if (error === null && asOf === undefined && typeof linked === 'string' && linked !== '') {
        asOf = asOfOf(linked);
        if (asOf === undefined) error = `${label} must be a real date`;
      }
      const view = await monitoring.rollover(actorOf(request), personIdOf(request), asOf, requestContext(request));
      if (error !== null) {
        reply.code(400);
        return reply.page('pages/monitoring/year-end.njk', yearEndModel(view, [{ field: 'asOf-day', text: error }], '', parts));
      }
      return reply.page('pages/monitoring/year-end.njk', yearEndModel(view, [], ''));
    },
  );
  app.post<PersonParams & WithBody>('/people/:personId/spending/year-end', { config: { access: 'recovery:propose', audit: 'person.recovery_proposed' } }, async (request, reply) => {
    const personId = personIdOf(request);
    const body = request.body ?? {};
    const asOf = asOfOf(body.asOf);
    const reasons = text(body, 'reasons');
    const outcome = await recoveries.proposeYearEnd(actorOf(request), personId, { ...(asOf === undefined ? {} : { asOf }), reasons }, requestContext(request));
    if (outcome.ok) return reply.redirect(paths.monitoring.spending({ personId }, 'proposed'), 303);
    const view = await monitoring.rollover(actorOf(request), personId, asOf, requestContext(request));
    reply.code(400);
    return reply.page('pages/monitoring/year-end.njk', yearEndModel(view, toFieldErrors(outcome.errors, 'reasons'), reasons));
  });

  // ---- Deciding recoveries ----------------------------------------------------------------------------
  app.get('/recoveries', { config: { access: 'recovery:decide', audit: null } }, async (request, reply) =>
    reply.page('pages/monitoring/waiting.njk', waitingModel(await recoveries.waiting(actorOf(request)))),
  );
  app.get<RecoveryParams>('/recoveries/:recoveryId', { config: { access: 'recovery:decide', audit: 'person.spending_viewed' } }, async (request, reply) => {
    const view = await recoveries.view(actorOf(request), request.params.recoveryId, requestContext(request));
    return reply.page('pages/monitoring/recovery.njk', recoveryModel(view, { decision: '', note: '' }, []));
  });
  app.post<RecoveryParams & WithBody>('/recoveries/:recoveryId', { config: { access: 'recovery:decide', audit: 'person.recovery_approved' } }, async (request, reply) => {
    const actor = actorOf(request);
    const body = request.body ?? {};
    const values = { decision: text(body, 'decision'), note: text(body, 'note') };
    const outcome = await inOrder(recoveries.decide(actor, request.params.recoveryId, values, requestContext(request)));
    if (outcome.ok) return reply.redirect(paths.monitoring.spending({ personId: outcome.value.personId }, 'decided'), 303);
    const view = await recoveries.view(actor, request.params.recoveryId, requestContext(request));
    reply.code(400);
    return reply.page('pages/monitoring/recovery.njk', recoveryModel(view, values, toFieldErrors(outcome.errors, 'decision')));
  });
  // ---- A challenge from the family: recorded, then decided by someone not part of the decision ------
  const challengePage = async (request: FastifyRequest<RecoveryParams>, reply: FastifyReply, values: ChallengeValues, errors: readonly FieldError[]) => {
    const view = await recoveries.view(actorOf(request), request.params.recoveryId, requestContext(request));
    reply.code(400);
    return reply.page('pages/monitoring/recovery.njk', recoveryModel(view, { decision: '', note: '' }, errors, values));
  };
  app.post<RecoveryParams & WithBody>(
    '/recoveries/:recoveryId/challenge',
    { config: { access: 'recovery:propose', audit: 'person.recovery_challenge_recorded' } },
    async (request, reply) => {
      const body = request.body ?? {};
      const { parts, date: receivedOn, error: dateError } = readDate(body, 'receivedOn', 'The date the challenge was received');
      const values: ChallengeValues = { ...EMPTY_CHALLENGE, receivedOn: parts, summary: text(body, 'summary') };
      // A malformed date is reported by the form (the service's "enter the date" is then left out);
      // the service checks the rest, so every problem shows at once.
      const outcome = await inOrder(recoveries.recordChallenge(actorOf(request), request.params.recoveryId, { receivedOn, summary: values.summary }, requestContext(request)));
      if (outcome.ok && dateError === null) return reply.redirect(paths.monitoring.recovery({ recoveryId: request.params.recoveryId }), 303);
      const errors = outcome.ok ? [] : toFieldErrors(outcome.errors, 'summary').filter((e) => e.field !== 'receivedOn' || dateError === null);
      return challengePage(request, reply, values, dateError === null ? errors : [dateError, ...errors]);
    },
  );
  app.post<RecoveryParams & WithBody>(
    '/recoveries/:recoveryId/challenge/decision',
    { config: { access: 'recovery:decide', audit: 'person.recovery_challenge_decided' } },
    async (request, reply) => {
      const body = request.body ?? {};
      const values: ChallengeValues = { ...EMPTY_CHALLENGE, outcome: text(body, 'outcome'), repay: text(body, 'repay'), challengeNote: text(body, 'challengeNote') };
      const outcome = await inOrder(
        recoveries.decideChallenge(actorOf(request), request.params.recoveryId, { outcome: values.outcome, repayPounds: values.repay, note: values.challengeNote }, requestContext(request)),
      );
      if (outcome.ok) return reply.redirect(paths.monitoring.recovery({ recoveryId: request.params.recoveryId }), 303);
      return challengePage(request, reply, values, toFieldErrors(outcome.errors, 'outcome'));
    },
  );

  app.get<RecoveryParams>('/recoveries/:recoveryId/notice', { config: { access: 'person:spending', audit: 'person.recovery_notice_viewed' } }, async (request, reply) => {
    const actor = actorOf(request);
    const view = await recoveries.notice(actor, request.params.recoveryId, requestContext(request));
    return reply.page('pages/monitoring/notice.njk', noticeModel(view, actor.councilName, actor.kind === 'staff'));
  });
  app.post<RecoveryParams & WithBody>(
    '/recoveries/:recoveryId/notice/challenge',
    { config: { access: 'recovery:challenge', audit: 'person.recovery_challenge_recorded' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const summary = text(request.body ?? {}, 'summary');
      const outcome = await inOrder(recoveries.challenge(actor, request.params.recoveryId, { summary }, requestContext(request)));
      if (outcome.ok) return reply.redirect(paths.monitoring.notice({ recoveryId: request.params.recoveryId }), 303);
      const view = await recoveries.notice(actor, request.params.recoveryId, requestContext(request));
      reply.code(400);
      return reply.page('pages/monitoring/notice.njk', noticeModel(view, actor.councilName, actor.kind === 'staff', { summary, errors: toFieldErrors(outcome.errors, 'summary') }));
    },
  );
}
