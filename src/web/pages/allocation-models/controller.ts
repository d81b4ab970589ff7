/**
 * Administrators author the council's allocation models (issue 4): the list of versions, a new draft
 * (a copy, or a JSON file), a readable view of a version, changing a draft (its JSON, or the common
 * calibration figures), a preview with sample answers, publishing, and the JSON download. The rules
 * are in src/domain/allocation/, the use cases in services.allocation; these handlers parse,
 * call the service and render.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rasModelJsonSchema } from '../../../domain/allocation/schema.ts';
import { modelToJson } from '../../../domain/allocation/validate.ts';
import type { ModelVersionView } from '../../../services/allocation.ts';
import type { Services } from '../../../services/index.ts';
import { readReason } from '../../forms/reason.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import {
  EMPTY_PREVIEW,
  modelErrors,
  previewErrors,
  priceErrors,
  pricesValues,
  readModelText,
  readNewDraft,
  readPreview,
  readPrices,
  type FieldError,
} from './form.ts';
import { doneOf, editModel, listModel, notDraftModel, previewModel, publishModel, versionModel, type EditState } from './presenters.ts';

type VersionParams = { Params: { version: string } };
type Body = { Body: Record<string, unknown> | undefined };
const MANAGE = 'allocation-models:manage';

/** The version number in the address; anything else is a bad request. */
function versionOf(request: FastifyRequest<VersionParams>): number {
  const { version } = request.params;
  if (!/^\d{1,9}$/.test(version)) throw Object.assign(new Error('This address does not name a version of the allocation model.'), { statusCode: 400 });
  return Number(version);
}

/** The model as stored, pretty-printed: what the textarea starts with and the download holds. */
function prettyJson(view: ModelVersionView): string {
  return `${JSON.stringify(modelToJson(view.model), null, 2)}\n`;
}

export function allocationModelPages(app: FastifyInstance, services: Services): void {
  const allocation = services.allocation;

  function notDraft(reply: FastifyReply, view: ModelVersionView) {
    reply.code(409);
    return reply.page('pages/allocation-models/not-draft.njk', notDraftModel(view));
  }

  app.get('/allocation/models', { config: { access: MANAGE, audit: null } }, async (request, reply) =>
    reply.page('pages/allocation-models/index.njk', listModel(await allocation.models(actorOf(request)), actorOf(request).councilSlug)),
  );

  app.get('/allocation/models/schema.json', { config: { access: MANAGE, audit: null } }, async (_request, reply) =>
    reply.type('application/schema+json; charset=utf-8').header('content-disposition', 'attachment; filename="ras-model.schema.json"').send(`${JSON.stringify(rasModelJsonSchema(), null, 2)}\n`),
  );

  // One route for both ways of starting a draft: a copy of a version (copyOf), or an uploaded file.
  app.post<Body>('/allocation/models/new', { config: { access: MANAGE, audit: 'allocation_model.draft_started' } }, async (request, reply) => {
    const actor = actorOf(request);
    const form = readNewDraft(request.body ?? {});
    let errors: readonly FieldError[];
    if (form.ok) {
      const started = await allocation.startDraft(actor, form.from, requestContext(request));
      if (started.ok) return reply.redirect(paths.allocation.model({ version: started.value.version }, { done: 'started' }), 303);
      errors = modelErrors(started.errors, 'copyOf' in form.from ? 'copyOf' : 'modelFile');
    } else {
      errors = form.errors;
    }
    reply.code(400);
    return reply.page('pages/allocation-models/index.njk', listModel(await allocation.models(actor), actor.councilSlug, errors));
  });

  app.get<VersionParams & { Querystring: Record<string, unknown> }>(
    '/allocation/models/:version',
    { config: { access: MANAGE, audit: null } },
    async (request, reply) => {
      const actor = actorOf(request);
      const view = await allocation.modelVersion(actor, versionOf(request));
      return reply.page('pages/allocation-models/show.njk', versionModel(view, await allocation.models(actor), doneOf(request.query.done), actor.councilSlug));
    },
  );

  app.get<VersionParams>('/allocation/models/:version/model.json', { config: { access: MANAGE, audit: null } }, async (request, reply) => {
    const view = await allocation.modelVersion(actorOf(request), versionOf(request));
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="allocation-model-version-${view.version}.json"`)
      .send(prettyJson(view));
  });

  app.get<VersionParams>('/allocation/models/:version/edit', { config: { access: MANAGE, audit: null } }, async (request, reply) => {
    const view = await allocation.modelVersion(actorOf(request), versionOf(request));
    if (view.status !== 'draft') return notDraft(reply, view);
    const state: EditState = { source: prettyJson(view), jsonErrors: [], prices: pricesValues(view.model), priceErrors: [] };
    return reply.page('pages/allocation-models/edit.njk', editModel(view, state));
  });

  // Two forms post here: the whole model as JSON (typed or uploaded), or the prices, minimums and caps.
  app.post<VersionParams & Body>(
    '/allocation/models/:version/edit',
    { config: { access: MANAGE, audit: 'allocation_model.draft_changed' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const version = versionOf(request);
      const view = await allocation.modelVersion(actor, version);
      if (view.status !== 'draft') return notDraft(reply, view);
      const body = request.body ?? {};
      let state: EditState;
      if (body.form === 'prices') {
        const form = readPrices(view.model, body);
        if (form.ok) {
          const saved = await allocation.saveDraft(actor, version, form.json, requestContext(request));
          if (saved.ok) return reply.redirect(paths.allocation.model({ version }, { done: 'saved' }), 303);
          state = { source: prettyJson(view), jsonErrors: [], prices: form.values, priceErrors: priceErrors(saved.errors) };
        } else {
          state = { source: prettyJson(view), jsonErrors: [], prices: form.values, priceErrors: form.errors };
        }
      } else {
        const form = readModelText(body);
        if (form.ok) {
          const saved = await allocation.saveDraft(actor, version, form.json, requestContext(request));
          if (saved.ok) return reply.redirect(paths.allocation.model({ version }, { done: 'saved' }), 303);
          state = { source: form.source, jsonErrors: modelErrors(saved.errors, 'json'), prices: pricesValues(view.model), priceErrors: [] };
        } else {
          // Nothing usable was sent (an empty or oversized file): show the model as it is.
          state = { source: form.source === '' ? prettyJson(view) : form.source, jsonErrors: form.errors, prices: pricesValues(view.model), priceErrors: [] };
        }
      }
      reply.code(400);
      return reply.page('pages/allocation-models/edit.njk', editModel(view, state));
    },
  );

  app.get<VersionParams>('/allocation/models/:version/preview', { config: { access: MANAGE, audit: null } }, async (request, reply) => {
    const view = await allocation.modelVersion(actorOf(request), versionOf(request));
    return reply.page('pages/allocation-models/preview.njk', previewModel(view, EMPTY_PREVIEW, [], undefined));
  });

  // Scoring sample answers keeps nothing and reads no one's record: no audit event.
  app.post<VersionParams & Body>('/allocation/models/:version/preview', { config: { access: MANAGE, audit: null } }, async (request, reply) => {
    const actor = actorOf(request);
    const view = await allocation.modelVersion(actor, versionOf(request));
    const form = readPreview(view.model, request.body ?? {});
    if (!form.ok) {
      reply.code(400);
      return reply.page('pages/allocation-models/preview.njk', previewModel(view, form.values, form.errors, undefined));
    }
    const { outcome } = await allocation.preview(actor, view.version, form.input);
    if (!outcome.ok) {
      reply.code(400);
      return reply.page('pages/allocation-models/preview.njk', previewModel(view, form.values, previewErrors(outcome.errors), undefined));
    }
    return reply.page('pages/allocation-models/preview.njk', previewModel(view, form.values, [], outcome.value));
  });

  app.get<VersionParams>('/allocation/models/:version/publish', { config: { access: MANAGE, audit: null } }, async (request, reply) => {
    const actor = actorOf(request);
    const view = await allocation.modelVersion(actor, versionOf(request));
    if (view.status !== 'draft') return notDraft(reply, view);
    return reply.page('pages/allocation-models/publish.njk', publishModel(view, await allocation.models(actor), '', []));
  });

  app.post<VersionParams & Body>(
    '/allocation/models/:version/publish',
    { config: { access: MANAGE, audit: 'allocation_model.published' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const version = versionOf(request);
      const view = await allocation.modelVersion(actor, version);
      if (view.status !== 'draft') return notDraft(reply, view);
      const { reason, error } = readReason((request.body ?? {}).reason, 'reason', 'Enter why you are publishing this version');
      let errors: FieldError[] = error === undefined ? [] : [error];
      if (errors.length === 0) {
        const published = await allocation.publishDraft(actor, version, reason, requestContext(request));
        if (published.ok) return reply.redirect(paths.allocation.model({ version }, { done: 'published' }), 303);
        errors = published.errors.map((e) => ({ field: 'reason', text: e.message }));
      }
      reply.code(400);
      return reply.page('pages/allocation-models/publish.njk', publishModel(view, await allocation.models(actor), reason, errors));
    },
  );
}
