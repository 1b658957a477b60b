import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../src/fhir/transport.ts';

describe('Retry-After', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  it.each([
    ['2', 2000],
    ['0', 0],
    [null, 1000],
    ['', 1000],
    ['soon', 1000],
    ['3600', 30_000],
    ['Sat, 21 Nov 2026 12:00:05 GMT', 5000],
    ['Sat, 21 Nov 2026 11:00:00 GMT', 0],
  ])('waits for %j as %i ms (capped at 30 s)', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });
});
