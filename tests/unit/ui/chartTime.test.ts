import { describe, expect, it } from 'vitest';
import { localDayOf } from '../../../src/domain/fhir-primitives/dates.ts';
import { chartTime } from '../../../src/ui/chart/chartTime.ts';

// The unit project runs with TZ=America/Denver (package.json): west of Greenwich, where a day read
// as UTC midnight is the evening before.
describe('chartTime', () => {
  it('puts a day at local midnight, so the axis labels that day', () => {
    expect(localDayOf(new Date(chartTime('2027-01-11')))).toBe('2027-01-11');
    expect(new Date(chartTime('2027-01-11')).getHours()).toBe(0);
    // What Date.parse alone gives here: the evening before.
    expect(localDayOf(new Date(Date.parse('2027-01-11')))).toBe('2027-01-10');
  });

  it('puts a dateTime at its instant', () => {
    expect(chartTime('2026-03-06T10:00:00-07:00')).toBe(Date.UTC(2026, 2, 6, 17));
  });
});
