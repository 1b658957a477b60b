import { describe, expect, it } from 'vitest';
import { FhirError } from '../../../src/fhir/errors.ts';
import type { SearchResult } from '../../../src/fhir/search.ts';
import { newerThanMissing, olderMissing } from '../../../src/ui/sections/sectionProps.ts';
import type { RequestState } from '../../../src/ui/useSummary.ts';

const ok = (incomplete?: SearchResult<unknown>['incomplete']): RequestState<unknown> => ({
  status: 'ok',
  data: {
    matches: [],
    included: new Map(),
    malformed: 0,
    pages: 1,
    ...(incomplete ? { incomplete } : {}),
  },
});
const failed = new FhirError({
  kind: 'server',
  message: 'HTTP 500',
  request: 'Observation search',
});

describe('which older records are not in hand', () => {
  it.each([
    ['every request whole', [ok(), ok()], undefined],
    [
      'one still loading',
      [ok({ completeAfter: '2024-05-01' }), ok()],
      { completeAfter: '2024-05-01', loading: true },
    ],
    [
      'two loading: complete only after the later date',
      [ok({ completeAfter: '2024-05-01T10:00:00Z' }), ok({ completeAfter: '2024-06-01' })],
      { completeAfter: '2024-06-01', loading: true },
    ],
    [
      'one without a known date: nothing is certain',
      [ok({ completeAfter: '2024-05-01' }), ok({ completeAfter: undefined })],
      { completeAfter: undefined, loading: true },
    ],
    [
      'reading them failed',
      [ok({ completeAfter: '2024-05-01', error: failed })],
      { completeAfter: '2024-05-01', loading: false },
    ],
    ['a request still loading its first page', [{ status: 'loading' } as const, ok()], undefined],
  ])('%s', (_, entries, expected) => {
    expect(olderMissing(entries)).toEqual(expected);
  });
});

describe('a record newer than every missing one', () => {
  const missing = { completeAfter: '2024-05-01T10:00:00-06:00', loading: true };
  it.each([
    ['2024-05-01T16:00:01Z', true],
    // The same instant: records dated like the first page's last may be on a later page.
    ['2024-05-01T16:00:00Z', false],
    ['2024-04-30', false],
  ])('%s', (date, expected) => {
    expect(newerThanMissing(date, missing)).toBe(expected);
  });

  it('is every record when nothing is missing, and none when no date is known', () => {
    expect(newerThanMissing('1990-01-01', undefined)).toBe(true);
    expect(newerThanMissing('2099-01-01', { completeAfter: undefined, loading: true })).toBe(false);
  });
});
