/**
 * Searches that follow every page, and reads. Bundles are unverified input: a missing `entry` is an
 * empty page, a malformed entry is counted and skipped, a non-Bundle answer is an error.
 */
import type { Resource } from 'fhir/r4';
import { FhirError } from './errors.ts';
import { isResource } from './guards.ts';
import type { FhirTransport } from './transport.ts';
import { isRecord } from '../domain/fhir-primitives/json.ts';

/** Page size asked for: large, so a heavy chart needs few round trips (servers may cap it). */
export const PAGE_SIZE = 1000;
/**
 * Smaller pages when a search also returns _include/_revinclude resources: servers bound the
 * matches plus their includes per page (medplum and the sandbox at 1,000) and refuse beyond it.
 */
export const INCLUDE_PAGE_SIZE = 250;
/** A runaway `next` chain is cut here rather than looping forever. */
const MAX_PAGES = 200;

export interface SearchResult<T> {
  /** Entries that matched the search and passed the guard. */
  readonly matches: readonly T[];
  /** `_include`d / `_revinclude`d resources (search.mode = include), keyed by `Type/id`. */
  readonly included: ReadonlyMap<string, Resource & { id: string }>;
  /** Entries that were not usable resources of the asked type. */
  readonly malformed: number;
  readonly pages: number;
  /**
   * Set while older matches are still being read (the first page of a newest-first search, see
   * historySearch.ts): every match dated after `completeAfter` is in `matches` (undefined: no
   * such date is known); `error` when reading the rest failed.
   */
  readonly incomplete?: { readonly completeAfter: string | undefined; readonly error?: FhirError };
}

export interface SearchOptions<T> {
  readonly label: string;
  readonly guard: (value: unknown) => value is T;
  readonly signal?: AbortSignal;
  /** The type searched for: entries of other types without search.mode are taken as included. */
  readonly resourceType?: string;
  readonly onPage?: (page: number) => void;
}

function nextLink(bundle: Record<string, unknown>): string | undefined {
  const links = bundle['link'];
  if (!Array.isArray(links)) {
    return undefined;
  }
  for (const link of links) {
    if (isRecord(link) && link['relation'] === 'next' && typeof link['url'] === 'string') {
      return link['url'];
    }
  }
  return undefined;
}

/**
 * Builds `Type?k=v&…` with `_count` set (the largest page the server allows unless `count` says);
 * values are encoded, repeated keys allowed.
 */
export function searchPath(
  resourceType: string,
  params: readonly (readonly [string, string])[],
  count?: number,
): string {
  const includes = params.some(([k]) => k === '_include' || k === '_revinclude');
  const query = new URLSearchParams([
    ...params.map(([k, v]) => [k, v]),
    ['_count', String(count ?? (includes ? INCLUDE_PAGE_SIZE : PAGE_SIZE))],
  ]);
  return `${resourceType}?${query.toString()}`;
}

/** One page of a search: its usable matches, included resources, skipped entries and links. */
export interface SearchPage<T> {
  readonly matches: T[];
  readonly included: Map<string, Resource & { id: string }>;
  readonly malformed: number;
  readonly next: string | undefined;
  /** Bundle.total, when the server gave it. */
  readonly total: number | undefined;
}

/** Fetches one page of a search. Rejects with a FhirError, also for an answer that is no Bundle. */
export async function fetchPage<T>(
  transport: FhirTransport,
  url: string,
  options: SearchOptions<T>,
): Promise<SearchPage<T>> {
  const body = await transport.json(url, {
    label: options.label,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (!isRecord(body) || body['resourceType'] !== 'Bundle') {
    throw new FhirError({
      kind: 'malformed',
      message: `${options.label}: the EHR answered with something other than a Bundle.`,
      request: options.label,
    });
  }
  const matches: T[] = [];
  const included = new Map<string, Resource & { id: string }>();
  let malformed = 0;
  const entries = Array.isArray(body['entry']) ? (body['entry'] as unknown[]) : [];
  for (const entry of entries) {
    const resource = isRecord(entry) ? entry['resource'] : undefined;
    const search = isRecord(entry) ? entry['search'] : undefined;
    const mode = isRecord(search) ? search['mode'] : undefined;
    if (mode === 'include' || mode === 'outcome') {
      if (mode === 'include' && isResource(resource)) {
        included.set(`${resource.resourceType}/${resource.id}`, resource);
      }
      continue;
    }
    if (options.guard(resource)) {
      matches.push(resource);
    } else if (
      mode === undefined &&
      isResource(resource) &&
      options.resourceType !== undefined &&
      resource.resourceType !== options.resourceType
    ) {
      // Some servers leave search.mode out; a resource of another type is an included one.
      included.set(`${resource.resourceType}/${resource.id}`, resource);
    } else {
      malformed++;
    }
  }
  const total = body['total'];
  return {
    matches,
    included,
    malformed,
    next: nextLink(body),
    total: typeof total === 'number' ? total : undefined,
  };
}

/**
 * Follows `next` links from `url`, handing each page to `onPage` until it returns false or the
 * pages end. A chain that repeats a URL or runs past MAX_PAGES is an error, not a loop.
 */
export async function followPages<T>(
  transport: FhirTransport,
  url: string,
  options: SearchOptions<T>,
  onPage: (page: SearchPage<T>, pages: number) => boolean,
): Promise<number> {
  let pages = 0;
  let next: string | undefined = url;
  const seen = new Set<string>();
  while (next !== undefined) {
    if (pages >= MAX_PAGES || seen.has(next)) {
      throw new FhirError({
        kind: 'malformed',
        message: `${options.label}: the EHR's paging did not end after ${pages} pages.`,
        request: options.label,
      });
    }
    seen.add(next);
    const page: SearchPage<T> = await fetchPage(transport, next, options);
    pages++;
    options.onPage?.(pages);
    if (!onPage(page, pages)) {
      break;
    }
    next = page.next;
  }
  return pages;
}

/** Runs a search and follows `next` links to the end. Rejects with a FhirError. */
export async function searchAll<T>(
  transport: FhirTransport,
  path: string,
  options: SearchOptions<T>,
): Promise<SearchResult<T>> {
  const matches: T[] = [];
  const included = new Map<string, Resource & { id: string }>();
  let malformed = 0;
  const pages = await followPages(transport, path, options, (page) => {
    matches.push(...page.matches);
    for (const [key, resource] of page.included) {
      included.set(key, resource);
    }
    malformed += page.malformed;
    return true;
  });
  return { matches, included, malformed, pages };
}

/** Reads one resource; rejects with a FhirError, including when the answer is not the type asked. */
export async function readResource<T>(
  transport: FhirTransport,
  path: string,
  options: SearchOptions<T>,
): Promise<T> {
  const body = await transport.json(path, {
    label: options.label,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (!options.guard(body)) {
    throw new FhirError({
      kind: 'malformed',
      message: `${options.label}: the EHR's answer is not a usable ${path.split('/')[0] ?? 'resource'}.`,
      request: options.label,
    });
  }
  return body;
}
