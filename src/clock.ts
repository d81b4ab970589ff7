/** Time comes from a clock so that tests and the demo can fix "today". */
export interface Clock {
  now(): Date;
  /** Today's date in England, 'YYYY-MM-DD'. */
  today(): string;
}

const LONDON_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function londonDate(instant: Date): string {
  return LONDON_DATE.format(instant); // en-CA formats as YYYY-MM-DD
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => londonDate(new Date()),
};

export function fixedClock(instant: Date): Clock {
  return { now: () => new Date(instant), today: () => londonDate(instant) };
}
