/** The JSON API for Support plans and sign-off (issue 5). Thin: parse, call the same services as the pages, shape the answer. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';

export function registerPlanApi(api: FastifyInstance, services: Services): void {
  void api;
  void services;
}
