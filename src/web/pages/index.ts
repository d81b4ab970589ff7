import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';
import { homePages } from './home/controller.ts';
import { infoPages } from './info/controller.ts';
import { signInPages, type SessionCookieOptions } from './sign-in/controller.ts';
import { peoplePages } from './people/controller.ts';
import { councilPages } from './council/controller.ts';
import { auditPages } from './audit/controller.ts';
import { apiTokenPages } from './api-tokens/controller.ts';
import { accountPages } from './account/controller.ts';
import { myPeoplePages } from './my-people/controller.ts';
import { stepUpPages } from './step-up/controller.ts';
import { accountAdminPages } from './account-admin/controller.ts';
import { invitationPages } from './invitations/controller.ts';
import { passwordPages } from './passwords/controller.ts';
import { allocationModelPages } from './allocation-models/controller.ts';
import { allocationPages } from './allocation/controller.ts';
import { allocationAnalysisPages } from './allocation-analysis/controller.ts';

export async function registerPages(app: FastifyInstance, services: Services, cookie: SessionCookieOptions): Promise<void> {
  homePages(app, services);
  infoPages(app);
  signInPages(app, services, cookie);
  peoplePages(app, services);
  myPeoplePages(app, services);
  stepUpPages(app, services);
  accountAdminPages(app, services);
  councilPages(app, services);
  auditPages(app, services);
  apiTokenPages(app, services);
  accountPages(app, services, cookie);
  invitationPages(app, services, cookie);
  passwordPages(app, services, cookie);
  allocationModelPages(app, services);
  allocationPages(app, services);
  allocationAnalysisPages(app, services);
}
