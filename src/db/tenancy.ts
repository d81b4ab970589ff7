/**
 * The one place where a council's data is reached. `withCouncil` opens a transaction, names the
 * council in `app.council_id` and drops to the role `onebudget_app`, for which PostgreSQL's
 * row-level security shows and accepts only that council's rows (policy `tenant_isolation`, in the
 * migrations). Repositories receive only the `TenantTx` this hands them, so a repository cannot
 * see or write another council's rows whatever SQL it runs. `tests/integration/tenancy.test.ts`
 * proves it, and `tests/unit/repositories-stay-in-scope.test.ts` keeps repositories from touching
 * the setting or the role.
 */
import { sql, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';
import type { Database } from './database.ts';
import { isUuid } from '../domain/ids.ts';

declare const tenantBrand: unique symbol;
/** A transaction scoped to one council. Only `withCouncil` makes one. */
export type TenantTx = Transaction<Schema> & { readonly [tenantBrand]: string };



export type WithCouncil = <T>(councilId: string, work: (tx: TenantTx) => Promise<T>) => Promise<T>;

export function tenantRunner(database: Database): WithCouncil {
  return async (councilId, work) => {
    if (!isUuid(councilId)) throw new Error('withCouncil needs a council id');
    return database.db.transaction().execute(async (trx) => {
      // One round trip: name the council and drop to the scoped role (set_config('role', …, true) is SET LOCAL ROLE).
      await sql`SELECT set_config('app.council_id', ${councilId}, true), set_config('role', 'onebudget_app', true)`.execute(trx);
      return work(trx as TenantTx);
    });
  };
}
