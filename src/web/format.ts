/** Display formats shared by presenters. */
import { longDate } from '../domain/pathway/dates.ts';

/** '2026-11-22' → '22 November 2026' (GOV.UK style), as the domain writes dates in its messages. */
export function formatDate(isoDate: string): string {
  return longDate(isoDate);
}

const LONDON_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });
const LONDON_DAY_AND_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** The day of an instant in England: '3 December 2026'. */
export function formatDayOf(instant: Date): string {
  return LONDON_DAY.format(instant);
}

/** An instant in England, GOV.UK style: '3 December 2026 at 08:04'. */
export function formatWhen(instant: Date): string {
  return LONDON_DAY_AND_TIME.format(instant).replace(', ', ' at ');
}

/** Text made safe to put inside HTML that a presenter builds (table cells with a link, say). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** "Your family’s records" → "your family’s records", to go after "Back to" or "Go to". */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
