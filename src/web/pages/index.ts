import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';
import { homePages } from './home/controller.ts';
import { infoPages } from './info/controller.ts';
import { signInPages, type SessionCookieOptions } from './sign-in/controller.ts';
import { peoplePages } from './people/controller.ts';
import { councilPages } from './council/controller.ts';
import { auditPages } from './audit/controller.ts';
import { accountPages } from './account/controller.ts';

export async function registerPages(app: FastifyInstance, services: Services, cookie: SessionCookieOptions): Promise<void> {
  homePages(app, services);
  infoPages(app);
  signInPages(app, services, cookie);
  peoplePages(app, services);
  councilPages(app, services);
  auditPages(app, services);
  accountPages(app, services, cookie);
}
