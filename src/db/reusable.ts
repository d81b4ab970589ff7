/**
 * A query built and compiled by Kysely once, then run many times with new values. Building a query
 * (an immutable tree, frozen at every step) and compiling it costs more than running it on a warm
 * connection for the few queries that every request makes, such as finding the session; this keeps
 * Kysely's typed builder for writing them and skips the rebuilding.
 *
 * The query is built with placeholder values (`sentinels`); compiling must yield exactly those as
 * its parameters, in that order, or this throws when the module first uses it — so a constant that
 * the builder turned into a parameter, or a placeholder used twice, is caught at once rather than
 * bound to the wrong value.
 */
import type { CompiledQuery } from 'kysely';

export type Reusable<R> = (values: readonly unknown[]) => CompiledQuery<R>;

export function reusable<R>(compiled: CompiledQuery<R>, sentinels: readonly unknown[]): Reusable<R> {
  const same = compiled.parameters.length === sentinels.length && compiled.parameters.every((p, i) => p === sentinels[i]);
  if (!same) throw new Error(`A reusable query must have exactly its placeholders as parameters: ${compiled.sql}`);
  return (values) => {
    if (values.length !== sentinels.length) throw new Error(`This query takes ${sentinels.length} values, not ${values.length}`);
    return { ...compiled, parameters: values };
  };
}

/**
 * As `reusable`, for a query whose values are named: `placeholders` gives each name its placeholder
 * value, which may appear any number of times and in any order in the compiled query; every
 * parameter of the compiled query must be one of them. Placeholders must be distinct.
 */
export function reusableNamed<R, K extends string>(compiled: CompiledQuery<R>, placeholders: Readonly<Record<K, unknown>>): (values: Readonly<Record<K, unknown>>) => CompiledQuery<R> {
  const nameOf = new Map<unknown, K>();
  for (const [name, placeholder] of Object.entries(placeholders) as [K, unknown][]) {
    if (nameOf.has(placeholder)) throw new Error(`Placeholders must be distinct: ${name} and ${nameOf.get(placeholder)} share one`);
    nameOf.set(placeholder, name);
  }
  const names = compiled.parameters.map((p) => {
    const name = nameOf.get(p);
    if (name === undefined) throw new Error(`A reusable query must have only its placeholders as parameters: ${compiled.sql}`);
    return name;
  });
  return (values) => ({ ...compiled, parameters: names.map((name) => values[name]) });
}
