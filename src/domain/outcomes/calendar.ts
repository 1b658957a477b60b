/**
 * Calendar arithmetic for outcome windows. A PEG's day is the calendar date as recorded (the
 * YYYY-MM-DD written in the FHIR date/dateTime, in the time zone where it was recorded), so
 * "day 84 after baseline" means the same thing to the analysis as to the clinic.
 */

const MS_PER_DAY = 86_400_000;
const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * Days since 1970-01-01 of the calendar date written at the start of a FHIR date or dateTime;
 * undefined for partial dates ('2024', '2024-05') and anything else, which cannot be placed in a
 * window.
 */
export function calendarDay(date: string): number | undefined {
  const match = DATE_PREFIX.exec(date);
  if (match === null) {
    return undefined;
  }
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const check = new Date(ms);
  return check.getUTCDate() === Number(d) ? ms / MS_PER_DAY : undefined;
}

/** The instant of a FHIR date/dateTime in epoch ms (date-only values as UTC midnight). */
export function instantOf(date: string): number | undefined {
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The ISO date (YYYY-MM-DD) of a day number from {@link calendarDay}. */
export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
