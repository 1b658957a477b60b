/**
 * FHIR dates, dateTimes and instants as calendar days: the one date module of the project.
 *
 * THE day rule: a FHIR date/dateTime belongs to the calendar day written in it (its first ten
 * characters, in the zone it was recorded in), so "day 84 after baseline" means the same to the
 * clinic, the screen and the research table, and a PEG taken at 18:30 in Denver stays on its day.
 * Writers must record local offsets ('2026-03-02T18:30:00-07:00'); a writer that records UTC puts
 * an evening PEG on the next day. "Today" is the local day of `asOf` ({@link localDayOf}).
 *
 * Calendar arithmetic on ISO dates ("YYYY-MM-DD") as whole day numbers (days since 1970-01-01,
 * proleptic Gregorian), so results never depend on the machine's time zone. A FHIR dateTime is
 * read as the calendar date it was recorded on (its first ten characters); a partial date ("2026"
 * or "2026-03") means its first day. Pure integer arithmetic (H. Hinnant's civil-date algorithms):
 * no Date objects, because the timeline converts hundreds of thousands of dates.
 */

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2
    ? isLeap(year)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;
}

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(index: number): [year: number, month: number, day: number] {
  const z = index + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const digit = (text: string, i: number): number => {
  const code = text.charCodeAt(i) - 48;
  return code >= 0 && code <= 9 ? code : Number.NaN;
};

/** "YYYY-MM-DD…" without a regex (the common case, hit once per medication per series). */
function fullDate(value: string): number | undefined {
  if (
    value.length < 10 ||
    value[4] !== '-' ||
    value[7] !== '-' ||
    (value.length > 10 && value[10] !== 'T')
  ) {
    return undefined;
  }
  const year =
    digit(value, 0) * 1000 + digit(value, 1) * 100 + digit(value, 2) * 10 + digit(value, 3);
  const month = digit(value, 5) * 10 + digit(value, 6);
  const day = digit(value, 8) * 10 + digit(value, 9);
  if (!(year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) {
    return undefined;
  }
  return daysFromCivil(year, month, day);
}

/** Day number of a FHIR date or dateTime, or undefined if it is not one. */
export function dayIndex(value: unknown): number | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const fast = fullDate(value);
  if (fast !== undefined) {
    return fast;
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
  return daysFromCivil(year, month, day);
}

/** 0001-01-01 and 9999-12-31: ISO dates stay four-digit, whatever day arithmetic produced. */
const FIRST_DAY = daysFromCivil(1, 1, 1);
const LAST_DAY = daysFromCivil(9999, 12, 31);

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** ISO date ("YYYY-MM-DD") of a day number, clamped to years 0001–9999 (never throws). */
export function isoDate(index: number): string {
  const clamped = Number.isFinite(index)
    ? Math.min(Math.max(Math.floor(index), FIRST_DAY), LAST_DAY)
    : LAST_DAY;
  const [year, month, day] = civilFromDays(clamped);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** The same day `months` calendar months later (negative: earlier), clamped to the month's end. */
export function addMonths(index: number, months: number): number {
  const [year, month, day] = civilFromDays(index);
  const total = year * 12 + (month - 1) + months;
  const newYear = Math.floor(total / 12);
  const newMonth = total - newYear * 12 + 1;
  return daysFromCivil(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

/** The same day `days` days later (negative: earlier). */
export function addDays(index: number, days: number): number {
  return index + days;
}

/**
 * Day number of a complete FHIR date or dateTime ('YYYY-MM-DD…'); undefined for partial dates
 * ('2024', '2024-05'), impossible days and anything else, which cannot be placed on a calendar day.
 */
export function fullDayIndex(value: unknown): number | undefined {
  return typeof value === 'string' ? fullDate(value) : undefined;
}

/**
 * The latest day a FHIR date can denote: a partial date's last day ('2025' → 2025-12-31,
 * '2025-02' → 2025-02-28), a full date's own day.
 */
export function lastDayIndex(value: unknown): number | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const full = fullDate(value);
  if (full !== undefined) {
    return full;
  }
  const match = /^(\d{4})(?:-(\d{2}))?$/.exec(value.trim());
  if (match === null) {
    return undefined;
  }
  const year = Number(match[1]);
  const month = match[2] === undefined ? 12 : Number(match[2]);
  return month >= 1 && month <= 12
    ? daysFromCivil(year, month, daysInMonth(year, month))
    : undefined;
}

/**
 * The calendar day ('YYYY-MM-DD') a FHIR date/dateTime was recorded on (the day rule above), or
 * undefined for a partial or impossible date.
 */
export function calendarDayOf(value: string): string | undefined {
  const index = fullDate(value);
  return index === undefined ? undefined : isoDate(index);
}

/** A strict 'YYYY-MM-DD' day (nothing before or after it) as a day number. */
export function parseIsoDay(day: string): number | undefined {
  return day.length === 10 ? fullDate(day) : undefined;
}

/** The local calendar day of an instant ('YYYY-MM-DD'), e.g. of `asOf` ("today"). */
export function localDayOf(instant: Date): string {
  return `${String(instant.getFullYear()).padStart(4, '0')}-${pad2(instant.getMonth() + 1)}-${pad2(instant.getDate())}`;
}

/** Day number of the local calendar day of an instant. */
export function localDayIndex(instant: Date): number {
  return daysFromCivil(instant.getFullYear(), instant.getMonth() + 1, instant.getDate());
}

/**
 * The instant of a FHIR date/dateTime/instant in epoch ms (a date-only value as UTC midnight), or
 * undefined when it is not one. For ordering within a day; days themselves come from the day rule.
 */
export function instantOf(value: string): number | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Local midnight of a day number, for date-fns duration arithmetic in the caller's zone. */
export function localDate(index: number): Date {
  const [year, month, day] = civilFromDays(index);
  return new Date(year, month - 1, day);
}

/** Whole calendar days between two days, by day number (daylight saving cannot shift it). */
export function daysBetween(a: number, b: number): number {
  return Math.abs(a - b);
}
