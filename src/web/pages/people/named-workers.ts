/** Naming the workers who may open a restricted record (administrators). */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { NamedWorkersView, NameWorkerRefusal } from '../../../services/named-workers.ts';
import { actorOf, requestContext } from '../../request.ts';
import { paths } from '../../paths.ts';
import { readReason } from '../../forms/reason.ts';

type FieldError = { field: string; text: string };

const REFUSALS: Readonly<Record<NameWorkerRefusal, FieldError>> = {
  'no-such-staff': { field: 'email', text: 'Enter the email address of a member of staff at this council' },
  'cannot-see-people': { field: 'email', text: 'This member of staff’s role cannot open people’s records' },
  'already-named': { field: 'email', text: 'This member of staff is already named on the record' },
  'not-restricted': { field: 'email', text: 'This record is not restricted, so every caseworker can already open it' },
};

function readForm(body: Record<string, unknown>) {
  const email = typeof body.email === 'string' ? body.email.trim() : '';
  const { reason, error: reasonError } = readReason(body.reason, 'reason', 'Enter why this member of staff needs to open the record');
  const errors: FieldError[] = [];
  if (email === '') errors.push({ field: 'email', text: 'Enter the email address of the member of staff to name' });
  else if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) errors.push({ field: 'email', text: 'Enter an email address in the correct format, like name@example.com' });
  if (reasonError !== undefined) errors.push(reasonError);
  return { values: { email, reason }, errors };
}

function model(view: NamedWorkersView, form: { values: { email: string; reason: string }; errors: readonly FieldError[] }, added?: string) {
  return {
    title: `Workers named on ${view.person.name}’s record`,
    name: view.person.name,
    reference: view.person.reference,
    restricted: view.person.restricted,
    leadWorker: view.leadWorker ?? 'Not allocated',
    workers: view.namedWorkers.map((w) => ({
      name: w.displayName,
      team: w.team ?? '',
      removeAction: `${paths.people.namedWorkers({ personId: view.person.id })}/${encodeURIComponent(w.accountId)}/remove`,
    })),
    action: paths.people.namedWorkers({ personId: view.person.id }),
    backHref: paths.people.show({ personId: view.person.id }),
    values: form.values,
    errors: form.errors,
    added,
  };
}

export function namedWorkerPages(app: FastifyInstance, services: Services): void {
  type Params = { Params: { personId: string } };

  app.get<Params & { Querystring: { added?: string } }>(
    '/people/:personId/named-workers',
    { config: { access: 'person:name-workers', audit: 'person.named_workers_viewed' } },
    async (request, reply) => {
      const view = await services.namedWorkers.view(actorOf(request), request.params.personId, requestContext(request));
      const added = typeof request.query.added === 'string' ? request.query.added.slice(0, 200) : undefined;
      return reply.page('pages/people/named-workers.njk', model(view, { values: { email: '', reason: '' }, errors: [] }, added));
    },
  );

  app.post<Params & { Body: Record<string, unknown> }>(
    '/people/:personId/named-workers',
    { config: { access: 'person:name-workers', audit: 'person.named_worker_added' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const form = readForm(request.body);
      const context = requestContext(request);
      if (form.errors.length === 0) {
        const result = await services.namedWorkers.add(actor, request.params.personId, form.values, context);
        if (result.ok) {
          const url = `${paths.people.namedWorkers({ personId: request.params.personId })}?added=${encodeURIComponent(result.name)}`;
          return reply.redirect(url, 303);
        }
        form.errors.push(REFUSALS[result.refusal]);
      }
      const view = await services.namedWorkers.view(actor, request.params.personId, context);
      reply.code(400);
      return reply.page('pages/people/named-workers.njk', model(view, form));
    },
  );

  app.post<{ Params: { personId: string; workerId: string } }>(
    '/people/:personId/named-workers/:workerId/remove',
    { config: { access: 'person:name-workers', audit: 'person.named_worker_removed' } },
    async (request, reply) => {
      await services.namedWorkers.remove(actorOf(request), request.params.personId, request.params.workerId, requestContext(request));
      return reply.redirect(paths.people.namedWorkers({ personId: request.params.personId }), 303);
    },
  );
}
