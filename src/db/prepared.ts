/**
 * Named prepared statements for PostgreSQL. Kysely hands node-postgres a SQL text and its
 * parameters; this pool wrapper gives every parameterised text a name derived from its hash, so
 * each connection parses, analyses and rewrites (row-level security included) a statement once and
 * then only binds and executes it, and PostgreSQL may reuse its plan. On the caseload page this
 * took most of the server's planning time away (see docs/decisions/0016-prepared-statements.md).
 *
 * Only texts with parameters are named: a text without any is sent as a simple query, which is how
 * `withCouncil` sends `BEGIN` and the council's scope together. Each connection keeps at most
 * `MAX_NAMED_PER_CONNECTION` names (or the limit given); past that, texts run unnamed as before, so an endless variety
 * of generated SQL cannot grow a connection's memory without bound.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

export const MAX_NAMED_PER_CONNECTION = 1000;

/** A pool for Kysely's PostgresDialect that names each parameterised statement on its connection. */
export function withPreparedStatements(pool: pg.Pool, options: { maxNamedPerConnection?: number } = {}): PostgresPool {
  const limit = options.maxNamedPerConnection ?? MAX_NAMED_PER_CONNECTION;
  // A text's name, remembered (up to a bound) so that the hash is not worked out on every run.
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = `ob_${createHash('sha1').update(text).digest('base64url')}`;
      if (names.size < limit) names.set(text, name);
    }
    return name;
  };
  // The names given on each connection (a connection lives as long as the pool keeps it).
  const namedOn = new WeakMap<pg.PoolClient, Set<string>>();
  const statementName = (client: pg.PoolClient, text: string): string | undefined => {
    let names = namedOn.get(client);
    if (names === undefined) namedOn.set(client, (names = new Set()));
    const name = nameOf(text);
    if (names.has(name)) return name;
    if (names.size >= limit) return undefined;
    names.add(name);
    return name;
  };
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
      function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
      function query<R>(text: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
        // A cursor (Kysely's stream) goes through as it came.
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- node-postgres types its Submittable differently from Kysely's cursor
        if (typeof text !== 'string') return client.query(text as any) as unknown as PostgresCursor<R>;
        const values = [...(parameters ?? [])];
        const name = values.length > 0 ? statementName(client, text) : undefined;
        const config: pg.QueryConfig = name === undefined ? { text, values } : { name, text, values };
        return client.query(config) as unknown as Promise<PostgresQueryResult<R>>;
      }
      return { query, release: () => client.release() };
    },
    end: () => pool.end(),
  };
}
