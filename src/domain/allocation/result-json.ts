/**
 * An AllocationResult as stored JSON and back. Every money field of the result types is named
 * `…Pence` and holds a bigint; JSON has no bigint, so those fields are written as decimal strings
 * ("272000") and read back by name. Nothing else changes, so what the family was shown can be shown
 * again exactly.
 */
import type { AllocationResult } from './score.ts';

export function resultToJson(result: AllocationResult): string {
  return JSON.stringify(result, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/** The inverse of resultToJson, from the parsed JSON (a jsonb column arrives parsed). */
export function resultFromJson(json: unknown): AllocationResult {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  return JSON.parse(text, (key, value: unknown) => (key.endsWith('Pence') && typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : value)) as AllocationResult;
}
