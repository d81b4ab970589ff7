/**
 * The reason an action needs (kept in the audit log): required, at most REASON_MAX characters.
 * Returns the trimmed reason and, if it will not do, the error to show next to the field.
 */
export const REASON_MAX = 500;

export function readReason(value: unknown, field: string, emptyText: string): { reason: string; error?: { field: string; text: string } } {
  const reason = typeof value === 'string' ? value.trim() : '';
  if (reason === '') return { reason, error: { field, text: emptyText } };
  if (reason.length > REASON_MAX) return { reason, error: { field, text: `The reason must be ${REASON_MAX} characters or fewer` } };
  return { reason };
}
