/**
 * Dates in the words a patient reads ("December 13, 2026"): the clinician's screens keep
 * YYYY-MM-DD, a patient page spells them out. Days are calendar days, shown as they are (UTC
 * noon, so no time zone moves them).
 */
const LONG_DAY = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

export function longDay(day: string): string {
  const at = Date.parse(`${day}T12:00:00Z`);
  return Number.isNaN(at) ? day : LONG_DAY.format(at);
}
