/** A `page` query parameter: a whole number from 1, anything else is page 1. */
export function parsePage(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : 1;
  return n >= 1 ? n : 1;
}
