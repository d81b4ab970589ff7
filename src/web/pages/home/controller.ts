import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { paths } from '../../paths.ts';
import { mayDo } from '../../../domain/access/policy.ts';
import { myPeopleTitle } from '../my-people/presenters.ts';
import { lowerFirst } from '../../format.ts';

export function homePages(app: FastifyInstance, services: Services): void {
  app.get(paths.home(), { config: { access: 'public', audit: null } }, async (request, reply) => {
    const councils = await services.councils.list();
    return reply.page('pages/home/home.njk', {
      title: 'Personal budgets for children, young people and adults',
      councils: councils.map((c) => ({ name: c.name, href: paths.council.home({ slug: c.slug }), localOfferHref: paths.council.localOffer({ slug: c.slug }) })),
      signedIn: request.actor !== undefined,
      signedInAs: request.actor && {
        name: request.actor.displayName,
        councilName: request.actor.councilName,
        peopleHref: mayDo(request.actor, 'people:list') ? paths.people.index() : mayDo(request.actor, 'my-people:list') ? paths.myPeople() : undefined,
        peopleText: mayDo(request.actor, 'people:list') ? 'Go to people' : `Go to ${lowerFirst(myPeopleTitle(request.actor))}`,
        exceptionsHref: mayDo(request.actor, 'allocation:decide-exception') ? paths.allocation.exceptions() : undefined,
        analysisLinks: mayDo(request.actor, 'allocation:analyse')
          ? [
              { href: paths.allocation.calibration(), text: 'Calibrate the allocation model with a test group' },
              { href: paths.allocation.impact(), text: 'Try a draft allocation model against current assessments' },
              { href: paths.allocation.overrides(), text: 'Overrides for recalibration' },
            ]
          : [],
      },
      signInHref: paths.signIn(),
    });
  });
}
