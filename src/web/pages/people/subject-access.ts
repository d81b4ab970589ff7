/** Subject access export: the request form, and the bundle as a readable document or as JSON. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { SubjectAccessBundle } from '../../../services/subject-access.ts';
import { actorOf, requestContext } from '../../request.ts';
import { paths } from '../../paths.ts';
import { readReason } from '../../forms/reason.ts';
import { formatPence } from '../../../domain/money/money.ts';
import { personModel } from './presenters.ts';
import { RELATIONSHIP_LABELS } from '../../../domain/access/roles.ts';
import { formatDate } from '../../format.ts';

type Format = 'html' | 'json';

function readForm(body: Record<string, unknown>) {
  const { reason, error: reasonError } = readReason(body.reason, 'reason', 'Enter the subject access request reference or the reason for this export');
  const format = body.format === 'html' || body.format === 'json' ? (body.format as Format) : undefined;
  const errors: { field: string; text: string }[] = [];
  if (reasonError !== undefined) errors.push(reasonError);
  if (format === undefined) errors.push({ field: 'format', text: 'Select how you want the export' });
  return { reason, format, errors };
}

function formModel(personId: string, values: { reason?: string; format?: Format | undefined }, errors: { field: string; text: string }[]) {
  return {
    title: 'Export everything held about a person',
    action: paths.people.subjectAccess({ personId }),
    values,
    errors,
    formatItems: [
      { value: 'html', text: 'A document to read, print or save as PDF', checked: values.format === 'html' },
      { value: 'json', text: 'Machine-readable data (JSON)', checked: values.format === 'json' },
    ],
  };
}

/** Every value as text or plain numbers: money stays integer pence, dates ISO. */
export function subjectAccessJson(bundle: SubjectAccessBundle): string {
  const { person } = bundle;
  return JSON.stringify(
    {
      generatedAt: bundle.generatedAt.toISOString(),
      generatedBy: bundle.generatedBy,
      council: bundle.councilName,
      reason: bundle.reason,
      person: {
        ...person,
        indicativeBudgetPence: person.indicativeBudgetPence?.toString() ?? null,
        currentPackagePence: person.currentPackagePence?.toString() ?? null,
        budgetLines: person.budgetLines.map((l) => ({ ...l, annualPence: l.annualPence.toString() })),
      },
      family: bundle.family.map((f) => ({ name: f.displayName, email: f.email, relationship: f.relationship, disabled: f.disabled })),
      providers: bundle.providers,
      namedWorkers: bundle.namedWorkers.map((w) => ({ name: w.displayName, team: w.team })),
      accessLog: bundle.accessLog.map((e) => ({
        sequence: e.seq.toString(),
        occurredAt: e.occurredAt.toISOString(),
        who: e.actorName,
        role: e.actorRole,
        action: e.action,
        reason: e.reason,
      })),
    },
    null,
    2,
  );
}

const WHEN = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' });

function documentModel(bundle: SubjectAccessBundle, today: string) {
  const person = personModel(bundle.person, today);
  return {
    ...person,
    title: `Everything held about ${person.name}`,
    generatedAt: WHEN.format(bundle.generatedAt),
    generatedBy: bundle.generatedBy,
    councilName: bundle.councilName,
    reason: bundle.reason,
    budgetTotal: person.budgetTotal,
    indicative: bundle.person.indicativeBudgetPence === null ? null : formatPence(bundle.person.indicativeBudgetPence),
    familyRows: bundle.family.map((f) => [
      { text: f.displayName },
      { text: f.email },
      { text: RELATIONSHIP_LABELS[f.relationship] },
      { text: f.disabled ? 'Disabled' : 'Active' },
    ]),
    providerRows: bundle.providers.map((p) => [
      { text: p.name },
      { text: p.description },
      { text: formatDate(p.startsOn), classes: 'app-nowrap' },
      { text: p.endsOn === null ? 'Current' : formatDate(p.endsOn), classes: 'app-nowrap' },
    ]),
    namedWorkerRows: bundle.namedWorkers.map((w) => [{ text: w.displayName }, { text: w.team ?? '' }]),
    accessRows: bundle.accessLog.map((e) => [
      { text: WHEN.format(e.occurredAt) },
      { text: e.actorName ?? 'System' },
      { text: e.actorRole ?? '' },
      { text: e.action },
      { text: e.reason ?? '' },
    ]),
  };
}

export function subjectAccessPages(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { personId: string } }>(
    '/people/:personId/subject-access',
    { config: { access: 'person:export', audit: null } },
    async (request, reply) => reply.page('pages/people/subject-access-form.njk', formModel(request.params.personId, {}, [])),
  );

  app.post<{ Params: { personId: string }; Body: Record<string, unknown> }>(
    '/people/:personId/subject-access',
    { config: { access: 'person:export', audit: 'person.exported' } },
    async (request, reply) => {
      const form = readForm(request.body);
      if (form.errors.length > 0 || form.format === undefined) {
        reply.code(400);
        return reply.page('pages/people/subject-access-form.njk', formModel(request.params.personId, form, form.errors));
      }
      const bundle = await services.subjectAccess.export(actorOf(request), request.params.personId, form.reason, requestContext(request));
      reply.header('cache-control', 'no-store');
      if (form.format === 'json') {
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="subject-access-${bundle.person.reference}.json"`)
          .send(subjectAccessJson(bundle));
      }
      return reply.page('pages/people/subject-access-document.njk', documentModel(bundle, services.clock.today()));
    },
  );
}
