import { localDate, parseIsoDay } from '../../domain/fhir-primitives/dates.ts';

/**
 * Where a FHIR date or dateTime sits on a chart's time axis (ms since the epoch): a day
 * ('2027-01-11') at the clinic's local midnight, so the axis, which labels local days, shows that
 * day (Date.parse takes UTC midnight: the day before, anywhere west of Greenwich); a dateTime at
 * its instant.
 */
export function chartTime(value: string): number {
  const day = parseIsoDay(value);
  return day === undefined ? Date.parse(value) : localDate(day).getTime();
}
