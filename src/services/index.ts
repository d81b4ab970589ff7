/** The one wiring point for use cases: `services(deps)` → `buildApp(services)`. */
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { systemRepository } from '../db/system.ts';
import { tenantRunner } from '../db/tenancy.ts';
import { authServices } from './auth.ts';
import { auditServices } from './audit.ts';
import { councilServices } from './councils.ts';
import { peopleServices } from './people.ts';

export interface ServiceDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly sessionIdleMinutes: number;
}

export function services(deps: ServiceDeps) {
  const system = systemRepository(deps.database.db);
  const withCouncil = tenantRunner(deps.database);
  return {
    engine: deps.database.engine,
    clock: deps.clock,
    auth: authServices({ system, withCouncil, clock: deps.clock, idleMinutes: deps.sessionIdleMinutes }),
    audit: auditServices({ withCouncil, clock: deps.clock }),
    councils: councilServices({ system, withCouncil }),
    people: peopleServices({ withCouncil, clock: deps.clock }),
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
