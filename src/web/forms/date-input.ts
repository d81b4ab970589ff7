/**
 * A GOV.UK date input (day, month, year fields) read into 'YYYY-MM-DD', with the Design System's
 * error messages. All three empty means "no date" when the date is optional.
 */
export type DateInputResult =
  | { readonly ok: true; readonly date: string | undefined }
  | { readonly ok: false; readonly message: string; readonly fields: readonly ('day' | 'month' | 'year')[] };

export interface DateParts {
  readonly day: string;
  readonly month: string;
  readonly year: string;
}

export function readDateParts(query: Readonly<Record<string, unknown>>, name: string): DateParts {
  const part = (key: string) => {
    const value = query[`${name}-${key}`];
    return typeof value === 'string' ? value.trim() : '';
  };
  return { day: part('day'), month: part('month'), year: part('year') };
}

export function parseDateInput(parts: DateParts, label: string): DateInputResult {
  const { day, month, year } = parts;
  if (day === '' && month === '' && year === '') return { ok: true, date: undefined };
  const missing = (['day', 'month', 'year'] as const).filter((k) => parts[k] === '');
  if (missing.length > 0) {
    return { ok: false, message: `${label} must include a ${missing.join(' and a ')}`, fields: missing };
  }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { ok: false, message: `${label} must be a real date`, fields: ['day', 'month', 'year'] };
  }
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    return { ok: false, message: `${label} must be a real date`, fields: ['day', 'month', 'year'] };
  }
  return { ok: true, date: `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}
