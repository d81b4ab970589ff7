/**
 * Calibration and what-if, for administrators and commissioners (issue 4): calibration test groups
 * (upload a CSV, then the fits, chart and totals of a group against a model version), impact runs of
 * the draft model against every current assessment, and the overrides report for recalibration.
 *
 * Only uploading a test group and starting a run change anything, and their services audit them.
 * The other pages show figures about the model with people by reference only, so they read no
 * person's record and write no audit event.
 */
import type { FastifyInstance } from 'fastify';
import { modelStreams, STREAM_CODES, type StreamCode } from '../../../domain/allocation/model.ts';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import { EMPTY_UPLOAD, fileErrors, readCalibrationQuery, readUploadForm, type FieldError } from './form.ts';
import { calibrationGroupModel, calibrationListModel, impactListModel, impactRunModel, overridesModel, testGroupTemplate } from './presenters.ts';

type Query = { Querystring: Record<string, unknown> };
type Body = { Body: Record<string, unknown> | undefined };

const ACCESS = 'allocation:analyse' as const;

export function allocationAnalysisPages(app: FastifyInstance, services: Services): void {
  const analysis = services.allocationAnalysis;

  // ---- Calibration test groups ---------------------------------------------------------------------
  app.get(paths.allocation.calibration(), { config: { access: ACCESS, audit: null } }, async (request, reply) => {
    const groups = await analysis.testGroups(actorOf(request));
    return reply.page('pages/allocation-analysis/calibration.njk', calibrationListModel(groups, EMPTY_UPLOAD, []));
  });

  app.post<Body>(paths.allocation.calibration(), { config: { access: ACCESS, audit: 'allocation.test_group_uploaded' } }, async (request, reply) => {
    const actor = actorOf(request);
    const form = readUploadForm(request.body ?? {});
    let errors: readonly FieldError[] = form.ok ? [] : form.errors;
    if (form.ok) {
      const uploaded = await analysis.uploadTestGroup(actor, { name: form.name, csv: form.csv }, requestContext(request));
      if (uploaded.ok) return reply.redirect(paths.allocation.calibrationGroup({ groupId: uploaded.value.groupId }), 303);
      errors = fileErrors(uploaded.errors);
    }
    reply.code(400);
    return reply.page('pages/allocation-analysis/calibration.njk', calibrationListModel(await analysis.testGroups(actor), form.values, errors));
  });

  // A blank file with the columns for the published model's streams (every stream when none is published).
  app.get<Query>(paths.allocation.calibrationTemplate(), { config: { access: ACCESS, audit: null } }, async (request, reply) => {
    const actor = actorOf(request);
    const published = await services.allocation.published(actor.councilSlug);
    const streams: readonly StreamCode[] = published.version === null ? STREAM_CODES : modelStreams(published.version.model);
    const input = request.query.input === 'answers' ? 'answers' : 'points';
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="test-group-${input}-template.csv"`)
      .send(testGroupTemplate(streams, input));
  });

  app.get<Query & { Params: { groupId: string } }>('/allocation/calibration/:groupId', { config: { access: ACCESS, audit: null } }, async (request, reply) => {
    const query = readCalibrationQuery(request.query);
    const view = await analysis.calibration(actorOf(request), request.params.groupId, {
      version: query.options.version,
      tolerancePercent: query.options.tolerancePercent,
      envelopePence: query.options.envelopePence,
    });
    // A group of points is not scored under a model: a version in its address is ignored.
    const errors = query.errors.filter((e) => view.byAnswers || e.field !== 'version');
    // The service falls back to the draft for a version it does not have: here that is an error.
    if (query.options.version !== undefined && view.byAnswers && !view.versions.some((v) => v.version === query.options.version)) {
      errors.push({ field: 'version', text: 'Select a model version from the list' });
    }
    if (errors.length > 0) reply.code(400);
    return reply.page('pages/allocation-analysis/calibration-group.njk', calibrationGroupModel(view, query, errors));
  });

  // ---- What-if impact runs ----------------------------------------------------------------------------
  app.get(paths.allocation.impact(), { config: { access: ACCESS, audit: null } }, async (request, reply) => {
    const runs = await analysis.impactRuns(actorOf(request));
    return reply.page('pages/allocation-analysis/impact.njk', impactListModel(runs, []));
  });

  app.post(paths.allocation.impact(), { config: { access: ACCESS, audit: 'allocation_model.impact_run_started' } }, async (request, reply) => {
    const actor = actorOf(request);
    const started = await analysis.startImpactRun(actor, requestContext(request));
    if (started.ok) return reply.redirect(paths.allocation.impactRun({ runId: started.value.runId }), 303);
    reply.code(409);
    const errors = started.errors.map((e) => ({ field: 'start', text: e.message }));
    return reply.page('pages/allocation-analysis/impact.njk', impactListModel(await analysis.impactRuns(actor), errors));
  });

  app.get<{ Params: { runId: string } }>('/allocation/impact/:runId', { config: { access: ACCESS, audit: null } }, async (request, reply) => {
    const run = await analysis.impactRun(actorOf(request), request.params.runId);
    return reply.page('pages/allocation-analysis/impact-run.njk', impactRunModel(run));
  });

  // ---- Overrides --------------------------------------------------------------------------------------
  app.get(paths.allocation.overrides(), { config: { access: ACCESS, audit: null } }, async (request, reply) => {
    const rows = await services.allocation.overrides(actorOf(request));
    return reply.page('pages/allocation-analysis/overrides.njk', overridesModel(rows));
  });
}
