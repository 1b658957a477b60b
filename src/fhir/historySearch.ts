/**
 * A search read newest first in two round trips, so a long chart opens as fast as a short one:
 *
 * 1. the first page, `_sort=-<date>` with `_count` sized to what the sections show first (and the
 *    search's `_include`s); when it has no `next` link the search is complete;
 * 2. otherwise the rest: the same search oldest first (`_sort=<date>`) in the largest pages the
 *    server allows and without includes, read until every match the server counted
 *    (`Bundle.total`) is in hand — for a chart up to the first page plus one full page that is a
 *    single page — or, without a total, to the last page. Either way every match is read, whatever
 *    the server does with `_sort`: the stop rule counts distinct matches, not dates.
 *
 * After the first page the result says how far back it is complete (`incomplete.completeAfter`),
 * which holds only if the server sorted as asked; the first page's dates are checked for that.
 */
import { FhirError } from './errors.ts';
import { instantOf } from '../domain/fhir-primitives/dates.ts';
import {
  fetchPage,
  followPages,
  PAGE_SIZE,
  searchPath,
  type SearchOptions,
  type SearchResult,
} from './search.ts';
import type { FhirTransport } from './transport.ts';

export interface NewestFirst<T> {
  /** The date search parameter the server orders by: 'date', 'authored', 'authoredon'… */
  readonly sortParam: string;
  /** Matches the first page asks for: what the sections show first. */
  readonly firstPage: number;
  /** The value the server sorts by, read from a match. */
  readonly dateOf: (match: T) => string | undefined;
}

export interface HistorySearch<T> extends SearchOptions<T> {
  readonly resourceType: string;
  /** The search's own parameters (no `_sort`, `_count` or includes). */
  readonly params: readonly (readonly [string, string])[];
  /** `_include` / `_revinclude`, sent with the first page only (the rest pages bigger without). */
  readonly includes: readonly (readonly [string, string])[];
  readonly order: NewestFirst<T>;
}

export interface FirstPage<T> {
  /** The first page; `incomplete` when older matches remain. */
  readonly result: SearchResult<T>;
  /** Reads the older matches and resolves with the whole search (present when incomplete). */
  readonly rest?: (signal?: AbortSignal) => Promise<SearchResult<T>>;
}

const idOf = (match: unknown): string | undefined =>
  typeof match === 'object' && match !== null && 'id' in match && typeof match.id === 'string'
    ? match.id
    : undefined;

/**
 * The date every match after which the page holds: its last match's, when every match has a
 * readable date and they run newest first (a server that ignored `_sort` gives no such date).
 */
function completeAfter<T>(matches: readonly T[], dateOf: (match: T) => string | undefined) {
  let previous = Number.POSITIVE_INFINITY;
  let last: string | undefined;
  for (const match of matches) {
    const date = dateOf(match);
    const instant = date === undefined ? undefined : instantOf(date);
    if (date === undefined || instant === undefined || instant > previous) {
      return undefined;
    }
    previous = instant;
    last = date;
  }
  return last;
}

/** Reads the first page of a newest-first search; see the module comment. */
export async function searchNewestFirst<T>(
  transport: FhirTransport,
  search: HistorySearch<T>,
): Promise<FirstPage<T>> {
  const { order } = search;
  const url = searchPath(
    search.resourceType,
    [...search.params, ...search.includes, ['_sort', `-${order.sortParam}`]],
    order.firstPage,
  );
  const page = await fetchPage(transport, url, search);
  const first: SearchResult<T> = {
    matches: page.matches,
    included: page.included,
    malformed: page.malformed,
    pages: 1,
  };
  if (page.next === undefined) {
    return { result: first };
  }
  return {
    result: { ...first, incomplete: { completeAfter: completeAfter(page.matches, order.dateOf) } },
    rest: (signal) => readRest(transport, search, first, page.total, signal),
  };
}

async function readRest<T>(
  transport: FhirTransport,
  search: HistorySearch<T>,
  first: SearchResult<T>,
  firstTotal: number | undefined,
  signal: AbortSignal | undefined,
): Promise<SearchResult<T>> {
  const matches = [...first.matches];
  const seen = new Set(matches.map(idOf));
  const included = new Map(first.included);
  let malformed = first.malformed;
  let total = firstTotal;
  const url = searchPath(
    search.resourceType,
    [...search.params, ['_sort', search.order.sortParam]],
    PAGE_SIZE,
  );
  const options = { ...search, ...(signal === undefined ? {} : { signal }) };
  const pages = await followPages(transport, url, options, (page) => {
    for (const match of page.matches) {
      const id = idOf(match);
      if (!seen.has(id)) {
        seen.add(id);
        matches.push(match);
      }
    }
    for (const [key, resource] of page.included) {
      included.set(key, resource);
    }
    malformed += page.malformed;
    total = page.total ?? total;
    return total === undefined || seen.size < total;
  });
  if (total !== undefined && seen.size < total && pages > 0) {
    // The pages ended before every counted match arrived: say so rather than show a short history.
    throw new FhirError({
      kind: 'malformed',
      request: search.label,
      message: `${search.label}: the EHR counted ${total} records but its pages held ${seen.size}.`,
    });
  }
  return { matches, included, malformed, pages: first.pages + pages };
}
