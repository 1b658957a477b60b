/**
 * Dates of the synthetic data, all counted back from `asOf` (the day the sandbox starts), so the
 * data is always current and no script ever rewrites fixture dates.
 *
 * Everything is whole days before the UTC day of `asOf`, so moving `asOf` by n days moves every
 * date by exactly n days. Events are at least one day in the past, never later than `asOf`.
 */
const DAY_MS = 86_400_000;

export interface Clock {
  /** UTC midnight (ms) of the day of asOf. */
  readonly dayStart: number;
}

export function createClock(asOf: Date): Clock {
  const ms = asOf.getTime();
  if (Number.isNaN(ms)) {
    throw new Error('generateSeed: asOf must be a valid Date');
  }
  return { dayStart: Math.floor(ms / DAY_MS) * DAY_MS };
}

/** Whole days in `years` years (mean Gregorian year), for ages and "five years of history". */
export function yearsInDays(years: number): number {
  return Math.round(years * 365.2425);
}

/** FHIR `date` (YYYY-MM-DD) `daysAgo` days before asOf's day; negative means in the future. */
export function dateAgo(clock: Clock, daysAgo: number): string {
  return new Date(clock.dayStart - daysAgo * DAY_MS).toISOString().slice(0, 10);
}

/**
 * FHIR `dateTime` (UTC instant) on the day `daysAgo` days before asOf's day, `minuteOfDay`
 * minutes after UTC midnight. daysAgo >= 1 keeps it before asOf.
 */
export function instantAgo(clock: Clock, daysAgo: number, minuteOfDay: number): string {
  const iso = new Date(clock.dayStart - daysAgo * DAY_MS + minuteOfDay * 60_000).toISOString();
  return iso.replace('.000Z', 'Z');
}

/** A clinic-hours minute of the day: 15:00–23:00 UTC (morning to afternoon in US time zones). */
export const CLINIC_MINUTES = { first: 15 * 60, last: 23 * 60 } as const;
