/**
 * Offset paging for search Bundles. Medplum's in-memory search honours `_count` and `_offset` but
 * emits no `Bundle.link`; clients (fhirclient's `request(..., { pageLimit })`) follow `next`.
 *
 * @see https://hl7.org/fhir/R4/http.html#paging
 */
import type { BundleLink } from '@medplum/fhirtypes';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 1000;
/**
 * Smaller pages when a search `_include`s or `_revinclude`s: each included reference is read, so
 * the page bounds that work (clients follow `next`; the app asks for 250 then too).
 */
const MAX_INCLUDE_PAGE_SIZE = 250;

type PageRequest =
  | { readonly ok: true; readonly count: number; readonly offset: number }
  | { readonly ok: false; readonly message: string };

function nonNegativeInteger(value: string | null): number | undefined | 'invalid' {
  if (value === null) {
    return undefined;
  }
  return /^\d+$/.test(value) ? Number(value) : 'invalid';
}

/**
 * Reads `_count` (default 20, at most 1000, or 250 with includes) and `_offset` (default 0) from a
 * search query; `_summary=count` asks for the total only.
 */
export function pageRequest(query: URLSearchParams): PageRequest {
  const count = nonNegativeInteger(query.get('_count'));
  const offset = nonNegativeInteger(query.get('_offset'));
  if (count === 'invalid' || offset === 'invalid') {
    return { ok: false, message: '_count and _offset must be non-negative integers' };
  }
  if (query.get('_summary') === 'count') {
    return { ok: true, count: 0, offset: 0 }; // only Bundle.total
  }
  const includes = [...query.keys()].some((k) => /^_(rev)?include(:|$)/.test(k));
  return {
    ok: true,
    count: Math.min(count ?? DEFAULT_PAGE_SIZE, includes ? MAX_INCLUDE_PAGE_SIZE : MAX_PAGE_SIZE),
    offset: offset ?? 0,
  };
}

function pageUrl(searchUrl: string, query: URLSearchParams, count: number, offset: number): string {
  const params = new URLSearchParams(query);
  params.set('_count', String(count));
  if (offset > 0) {
    params.set('_offset', String(offset));
  } else {
    params.delete('_offset');
  }
  return `${searchUrl}?${params.toString()}`;
}

/**
 * `self`, `first`, `previous`, `next` and `last` links for one page.
 * @param searchUrl - absolute URL of the search, without query (`http://host/fhir/Observation`)
 * @param query - the client's query (without any parameter the server added on its own)
 * @param total - number of matches (Bundle.total)
 */
export function pagingLinks(
  searchUrl: string,
  query: URLSearchParams,
  page: { readonly count: number; readonly offset: number },
  total: number,
): BundleLink[] {
  const { count, offset } = page;
  const links: BundleLink[] = [
    { relation: 'self', url: pageUrl(searchUrl, query, count, offset) },
    { relation: 'first', url: pageUrl(searchUrl, query, count, 0) },
  ];
  if (count === 0) {
    return links;
  }
  if (offset > 0) {
    links.push({
      relation: 'previous',
      url: pageUrl(searchUrl, query, count, Math.max(0, offset - count)),
    });
  }
  if (offset + count < total) {
    links.push({ relation: 'next', url: pageUrl(searchUrl, query, count, offset + count) });
  }
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / count) * count;
  links.push({ relation: 'last', url: pageUrl(searchUrl, query, count, lastOffset) });
  return links;
}
