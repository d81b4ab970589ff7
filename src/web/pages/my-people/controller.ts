/** A family's or a provider's own list of people: the records they are linked to or support. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { actorOf } from '../../request.ts';
import { myPeopleModel } from './presenters.ts';

export function myPeoplePages(app: FastifyInstance, services: Services): void {
  app.get(paths.myPeople(), { config: { access: 'my-people:list', audit: null } }, async (request, reply) => {
    const actor = actorOf(request);
    const people = await services.people.mine(actor);
    return reply.page('pages/my-people/index.njk', myPeopleModel(actor, people, services.clock.today()));
  });
}
