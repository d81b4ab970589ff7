/**
 * Allocation figures as stored JSON and back. Every money field of the allocation types (results,
 * impact reports, calibration rows) is named `…Pence` and holds a bigint; JSON has no bigint, so
 * those fields are written as decimal strings ("272000") and read back by name. Nothing else
 * changes, so what the family was shown can be shown again exactly.
 */
import type { AllocationResult } from './score.ts';

/** JSON text of any value holding `…Pence` bigints. */
export function toPenceJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

const WHOLE = /^-?\d+$/;

/**
 * The inverse of toPenceJson, from JSON text or an already parsed value (a jsonb column arrives
 * parsed). A `…Pence` field is either an amount or an object of amounts by stream
 * (`currentPence: { social_care: "420000" }`).
 */
export function fromPenceJson<T>(json: unknown): T {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  return JSON.parse(text, (key, v: unknown) => {
    if (!key.endsWith('Pence')) return v;
    if (typeof v === 'string' && WHOLE.test(v)) return BigInt(v);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' && WHOLE.test(x) ? BigInt(x) : x]));
    }
    return v;
  }) as T;
}

export function resultToJson(result: AllocationResult): string {
  return toPenceJson(result);
}

export function resultFromJson(json: unknown): AllocationResult {
  return fromPenceJson<AllocationResult>(json);
}
