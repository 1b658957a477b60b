/**
 * Moving FHIR date, dateTime and instant values by a whole number of days, for de-identification
 * (deidentify.ts). Pure; no clock.
 *
 * Full dates and dateTimes move by exactly `days`, keeping time of day and zone offset, so
 * intervals between them are unchanged.
 *
 * Partial dates keep their precision and move as the middle of the period they name: '1970' stands
 * for the whole of 1970, so it moves as 2 July 1970 does and is printed again as a year; '2026-03'
 * moves as 16 March 2026 does. A year therefore changes only when the shift carries its middle day
 * into another year (about half a year: 183 days for 1970), and a month only when it carries its
 * middle day into another month (about half a month). Anchoring on the first day instead would turn '1970' into '1969' for a shift of −1 day,
 * claiming a year the record never said.
 * @see https://hl7.org/fhir/R4/datatypes.html#date
 */

const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(T.+)?)?)?$/;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Days in a month (1-based) of a year. */
function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Zero-based day of the year of its middle (182 = 2 July; 183 = 2 July in a leap year). */
function middleOfYear(year: number): number {
  const days = Date.UTC(year + 1, 0, 1) / 86_400_000 - Date.UTC(year, 0, 1) / 86_400_000;
  return Math.floor(days / 2);
}

/**
 * A FHIR date, dateTime or instant moved by `days`, at the same precision (see the module comment
 * for year and year-month values); undefined for anything that is not one.
 */
export function shiftDate(value: string, days: number): string | undefined {
  const m = FHIR_DATE.exec(value);
  if (m === null) {
    return undefined;
  }
  const [, year, month, day, time] = m;
  const y = Number(year);
  const mo = Number(month ?? '1');
  if (
    mo < 1 ||
    mo > 12 ||
    (day !== undefined && (Number(day) < 1 || Number(day) > daysIn(y, mo)))
  ) {
    return undefined;
  }
  const anchor =
    month === undefined
      ? middleOfYear(y) + 1
      : day === undefined
        ? Math.floor(daysIn(y, mo) / 2) + 1
        : Number(day);
  const moved = new Date(Date.UTC(y, mo - 1, anchor + days));
  if (Number.isNaN(moved.getTime())) {
    return undefined;
  }
  const yy = pad(moved.getUTCFullYear(), 4);
  if (month === undefined) {
    return yy;
  }
  const mm = pad(moved.getUTCMonth() + 1, 2);
  if (day === undefined) {
    return `${yy}-${mm}`;
  }
  return `${yy}-${mm}-${pad(moved.getUTCDate(), 2)}${time ?? ''}`;
}
