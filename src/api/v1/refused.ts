/** The 422 answer of an API call whose input a use case refused: problem details naming each field by its path. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { problem } from '../../web/problem.ts';

/** Its schema, for the routes' `response: { 422: Refused }`. */
export const Refused = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  instance: Type.String(),
  requestId: Type.String(),
  errors: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
});

export function refused(request: FastifyRequest, reply: FastifyReply, list: readonly { path: string; message: string }[]) {
  const body = { ...problem(request, 422, list.map((e) => e.message).join('. ')), title: 'Unprocessable content', errors: [...list] };
  return reply.code(422).type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
}
