/**
 * The one place where a council's data is reached. `withCouncil` opens a transaction, names the
 * council in `app.council_id` and drops to the role `onebudget_app`, for which PostgreSQL's
 * row-level security shows and accepts only that council's rows (policy `tenant_isolation`, in the
 * migrations). Repositories receive only the `TenantTx` this hands them, so a repository cannot
 * see or write another council's rows whatever SQL it runs. `tests/integration/tenancy.test.ts`
 * proves it, and `tests/unit/repositories-stay-in-scope.test.ts` keeps repositories from touching
 * the setting or the role.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';
import type { Database } from './database.ts';
import { isUuid } from '../domain/ids.ts';

declare const tenantBrand: unique symbol;
/** A connection inside a transaction scoped to one council. Only `withCouncil` makes one. */
export type TenantTx = Kysely<Schema> & { readonly [tenantBrand]: string };



export interface ScopeOptions {
  /**
   * Reuse a statement's generic plan instead of planning it again for each set of parameters
   * (`plan_cache_mode = force_generic_plan`, for this transaction only). For a read whose shape is
   * fixed and whose indexes are chosen by the literals in its text, such as the caseload, where
   * planning afresh took longer than running the query. It matters only on PostgreSQL, where
   * statements are prepared (src/db/prepared.ts); see docs/decisions/0016-prepared-statements.md.
   */
  readonly genericPlans?: boolean;
}

// Statements a transaction leaves to be sent with its COMMIT (see `atCommit`), by connection.
const closings = new WeakMap<object, string[]>();

/**
 * Runs `text` — a statement without parameters, its values written in as literals — in the same
 * message as the transaction's COMMIT, after everything else the transaction did, and only if it
 * gets that far. For the audit event of a read: the event's INSERT takes the council's audit chain
 * (a lock held until the commit), and sent with the COMMIT it holds it for the database's own time
 * only, never while this process is busy with other requests (docs/decisions/0022).
 */
export function atCommit(tx: TenantTx, text: string): void {
  const pending = closings.get(tx);
  if (pending === undefined) throw new Error('atCommit needs a transaction opened by withCouncil');
  pending.push(text);
}

export type WithCouncil = <T>(councilId: string, work: (tx: TenantTx) => Promise<T>, options?: ScopeOptions) => Promise<T>;

export function tenantRunner(database: Database): WithCouncil {
  return async (councilId, work, options) => {
    if (!isUuid(councilId)) throw new Error('withCouncil needs a council id');
    return database.db.connection().execute(async (connection) => {
      // One round trip opens the transaction, names the council and drops to the scoped role
      // (set_config('role', …, true) is SET LOCAL ROLE): a query without parameters goes as a simple
      // query, which may hold several statements. The id is checked to be a UUID above, so writing it
      // into the statement cannot change what the statement does.
      let result: Awaited<ReturnType<typeof work>>;
      const closing: string[] = [];
      closings.set(connection, closing);
      try {
        const plans = options?.genericPlans === true ? `, set_config('plan_cache_mode', 'force_generic_plan', true)` : '';
        await sql.raw(`BEGIN; SELECT set_config('app.council_id', '${councilId}', true), set_config('role', 'onebudget_app', true)${plans}`).execute(connection);
        result = await work(connection as TenantTx);
        closings.delete(connection);
        // A simple query may hold several statements; when one fails, the rest (the COMMIT) do not run.
        await sql.raw([...closing, 'COMMIT'].join(';\n')).execute(connection);
      } catch (error) {
        closings.delete(connection);
        // Never hand the connection back inside this council's transaction. If even ROLLBACK fails the
        // connection is broken, and its error is the one that explains what happened.
        await sql.raw('ROLLBACK').execute(connection);
        throw error;
      }
      return result;
    });
  };
}
