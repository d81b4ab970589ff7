/** Small helpers for the words of emails: plain text, GOV.UK style. */
const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});

/** An instant as people in England read it: '10am on 27 November 2026', '4:30pm on 1 May 2027'. */
export function londonDateTime(instant: Date): string {
  const parts = Object.fromEntries(PARTS.formatToParts(instant).map((p) => [p.type, p.value]));
  const hour = Number(parts.hour) === 0 ? 12 : Number(parts.hour);
  const minute = parts.minute === '00' ? '' : `:${parts.minute}`;
  const period = String(parts.dayPeriod ?? '').toLowerCase().replace(/\./g, '').includes('p') ? 'pm' : 'am';
  const time = hour === 12 && minute === '' ? (period === 'am' ? 'midnight' : 'midday') : `${hour}${minute}${period}`;
  return `${time} on ${parts.day} ${parts.month} ${parts.year}`;
}

/** An absolute link: the service's public address and a path of this site. */
export function absoluteLink(publicBaseUrl: string, path: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${path}`;
}
