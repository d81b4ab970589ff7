/** The one wiring point for use cases: `services(deps)` → `buildApp(services)`. */
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { systemRepository } from '../db/system.ts';
import { tenantRunner } from '../db/tenancy.ts';
import { authServices } from './auth.ts';
import { auditServices } from './audit.ts';
import { subjectAccessServices } from './subject-access.ts';
import { councilServices } from './councils.ts';
import { peopleServices } from './people.ts';
import { secretBox } from './secret-box.ts';

export interface ServiceDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly sessionIdleMinutes: number;
  /** SESSION_SECRET: the key that encrypts authenticator secrets is derived from it. */
  readonly sessionSecret: string;
  /**
   * Demo mode only (DEMO_DATA on, not production): the published demo TOTP secret, whose codes
   * the sign-in pages then show. Undefined everywhere else.
   */
  readonly demoTotpSecret?: string | undefined;
  /** The name authenticator apps show (MFA_ISSUER). */
  readonly mfaIssuer?: string;
}

export function services(deps: ServiceDeps) {
  const system = systemRepository(deps.database.db);
  const withCouncil = tenantRunner(deps.database);
  return {
    engine: deps.database.engine,
    clock: deps.clock,
    auth: authServices({
      system,
      withCouncil,
      clock: deps.clock,
      idleMinutes: deps.sessionIdleMinutes,
      secrets: secretBox(deps.sessionSecret),
      issuer: deps.mfaIssuer ?? 'OneBudget',
      demoTotpSecret: deps.demoTotpSecret,
    }),
    audit: auditServices({ withCouncil, clock: deps.clock }),
    councils: councilServices({ system, withCouncil }),
    people: peopleServices({ withCouncil, clock: deps.clock }),
    subjectAccess: subjectAccessServices({ withCouncil, clock: deps.clock }),
    health: {
      /** True when the database answers a trivial query. */
      async databaseReady(): Promise<boolean> {
        try {
          await sql`SELECT 1`.execute(deps.database.db);
          return true;
        } catch {
          return false;
        }
      },
    },
  };
}

export type Services = ReturnType<typeof services>;
