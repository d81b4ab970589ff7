/** The JSON API for Cases and their steps (issue 5). Thin: parse, call the same services as the pages, shape the answer. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';

export function registerCaseApi(api: FastifyInstance, services: Services): void {
  void api;
  void services;
}
