import { describe, expect, it } from 'vitest';
import { pageRequest, pagingLinks } from '../../../src/sandbox/fhir/paging.ts';

const SEARCH = 'http://h/fhir/Observation';

function relations(total: number, count: number, offset: number): Record<string, string> {
  const links = pagingLinks(SEARCH, new URLSearchParams('patient=a'), { count, offset }, total);
  return Object.fromEntries(
    links.map((l) => [l.relation, new URL(l.url).searchParams.get('_offset') ?? '0']),
  );
}

describe('pageRequest', () => {
  it.each([
    ['', 20, 0],
    ['_count=5', 5, 0],
    ['_count=5&_offset=10', 5, 10],
    ['_count=0', 0, 0],
    ['_count=5000', 1000, 0],
    ['_count=1000&_include=Observation:patient', 250, 0],
    ['_count=100&_revinclude=Task:focus', 100, 0],
    ['_summary=count&_count=50', 0, 0],
  ])('reads "%s" as count %i, offset %i', (query, count, offset) => {
    expect(pageRequest(new URLSearchParams(query))).toEqual({ ok: true, count, offset });
  });

  it.each([['_count=-1'], ['_count=ten'], ['_offset=1.5']])('refuses "%s"', (query) => {
    expect(pageRequest(new URLSearchParams(query)).ok).toBe(false);
  });
});

describe('pagingLinks', () => {
  it.each([
    // total, count, offset → offsets of each link
    [25, 10, 0, { self: '0', first: '0', next: '10', last: '20' }],
    [25, 10, 10, { self: '10', first: '0', previous: '0', next: '20', last: '20' }],
    [25, 10, 20, { self: '20', first: '0', previous: '10', last: '20' }],
    [20, 10, 10, { self: '10', first: '0', previous: '0', last: '10' }],
    [0, 10, 0, { self: '0', first: '0', last: '0' }],
    [5, 10, 3, { self: '3', first: '0', previous: '0', last: '0' }],
  ])('total %i, _count %i, _offset %i', (total, count, offset, expected) => {
    expect(relations(total, count, offset)).toEqual(expected);
  });

  it("keeps the client's parameters and states _count in every link", () => {
    const [self] = pagingLinks(
      SEARCH,
      new URLSearchParams('patient=a&_sort=-date'),
      { count: 5, offset: 0 },
      9,
    );
    expect(self?.url).toBe(`${SEARCH}?patient=a&_sort=-date&_count=5`);
  });
});
