/**
 * Calendar arithmetic on ISO dates ("YYYY-MM-DD") as whole UTC day numbers, so results never
 * depend on the machine's time zone. A FHIR dateTime is read as the calendar date it was recorded
 * on (its first ten characters); a partial date ("2026" or "2026-03") means its first day.
 */

const MS_PER_DAY = 86_400_000;
const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;

/** Day number (days since 1970-01-01) of a FHIR date or dateTime, or undefined if it is not one. */
export function dayIndex(value: unknown): number | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = DATE.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const year = Number(match[1]);
  const month = match[2] === undefined ? 1 : Number(match[2]);
  const day = match[3] === undefined ? 1 : Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  return utcDay(year, month, day);
}

/** Day number of a calendar date; unlike Date.UTC, years 0–99 stay themselves. */
function utcDay(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() / MS_PER_DAY;
}

/** 0001-01-01 and 9999-12-31: ISO dates stay four-digit, whatever day arithmetic produced. */
const FIRST_DAY = utcDay(1, 1, 1);
const LAST_DAY = utcDay(9999, 12, 31);

/** ISO date ("YYYY-MM-DD") of a day number, clamped to years 0001–9999 (never throws). */
export function isoDate(index: number): string {
  const day = Number.isFinite(index)
    ? Math.min(Math.max(Math.floor(index), FIRST_DAY), LAST_DAY)
    : LAST_DAY;
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same day `months` calendar months later (negative: earlier), clamped to the month's end. */
export function addMonths(index: number, months: number): number {
  const date = new Date(index * MS_PER_DAY);
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
  return utcDay(year, month, day);
}
