/** The council's money settings (issue 6), for administrators: payment frequency, second authoriser, surplus, rollover, categories not allowed. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { actorOf, requestContext } from '../../request.ts';
import { settingsModel, valuesOf, type SettingsValues } from './presenters.ts';

type Body = Readonly<Record<string, unknown>>;

const text = (body: Body, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value : '';
};

const list = (body: Body, name: string): string[] => {
  const value = body[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
};

export function moneySettingsPages(app: FastifyInstance, services: Services): void {
  const monitoring = services.monitoring;

  app.get<{ Querystring: { saved?: string } }>('/settings/money', { config: { access: 'money-settings:manage', audit: null } }, async (request, reply) => {
    const settings = await monitoring.settings(actorOf(request));
    return reply.page('pages/money-settings/settings.njk', settingsModel(valuesOf(settings), [], request.query.saved === 'yes'));
  });

  app.post<{ Body: Body | undefined }>('/settings/money', { config: { access: 'money-settings:manage', audit: 'money_settings.changed' } }, async (request, reply) => {
    const body = request.body ?? {};
    const values: SettingsValues = {
      paymentFrequency: text(body, 'paymentFrequency'),
      secondAuthoriserAbove: text(body, 'secondAuthoriserAbove'),
      surplusThresholdWeeks: text(body, 'surplusThresholdWeeks'),
      rolloverCarryPercent: text(body, 'rolloverCarryPercent'),
      // Named with [] so that the checkboxes may share one name (as HTML validators expect of a list).
      notPermittedCategories: list(body, 'notPermittedCategories[]'),
    };
    const outcome = await monitoring.saveSettings(actorOf(request), values, requestContext(request));
    if (outcome.ok) return reply.redirect(paths.monitoring.settings({ saved: true }), 303);
    reply.code(400);
    return reply.page('pages/money-settings/settings.njk', settingsModel(values, outcome.errors.map((e) => ({ field: e.path, text: e.message })), false));
  });
}
