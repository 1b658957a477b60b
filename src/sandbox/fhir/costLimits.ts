/**
 * What one request may ask of the server, so that no request can hold the event loop (and with it
 * the FHIR server, the authorization server and the EHR pages) for long: a 5 KB `_sort` once took
 * 18 s. Everything past a bound is refused with 400 and an OperationOutcome naming the bound; the
 * search itself also yields between chunks of work (sandboxRepository.ts).
 */
import { HttpError } from './http.ts';

export const COST_LIMITS = {
  /** Request line (path and query) in bytes; the app's longest search is under 1 KB. */
  urlBytes: 8 * 1024,
  /** Request body in bytes (a transaction of MAX_BUNDLE_ENTRIES resources fits). */
  bodyBytes: 5 * 1024 * 1024,
  /** `_sort` keys. */
  sortKeys: 3,
  /** `_include` and `_revinclude` parameters together (the app sends at most one). */
  includes: 3,
  /** Search parameters of any kind. */
  parameters: 40,
  /** Comma-separated values of one parameter (the app's longest code list has 4). */
  values: 100,
  /** Entries of a batch or transaction Bundle (the app sends 2 or 3). */
  bundleEntries: 100,
} as const;

function tooCostly(message: string): HttpError {
  return new HttpError(400, 'too-costly', message);
}

/** Refuses a request line longer than COST_LIMITS.urlBytes. */
export function checkUrlCost(requestLine: string): void {
  const bytes = Buffer.byteLength(requestLine);
  if (bytes > COST_LIMITS.urlBytes) {
    throw tooCostly(
      `The URL is ${bytes} bytes long; this server takes at most ${COST_LIMITS.urlBytes}`,
    );
  }
}

/**
 * Refuses a search (or an If-None-Exist query) that asks for more sort keys or includes than the
 * bounds, or any `:iterate` include (whose depth has no useful bound).
 */
export function checkSearchCost(query: URLSearchParams): void {
  const keys = [...query.keys()];
  if (keys.length > COST_LIMITS.parameters) {
    throw tooCostly(
      `The search has ${keys.length} parameters; this server takes at most ${COST_LIMITS.parameters}`,
    );
  }
  const sortKeys = query
    .getAll('_sort')
    .flatMap((s) => s.split(','))
    .filter((s) => s.trim() !== '');
  if (sortKeys.length > COST_LIMITS.sortKeys) {
    throw tooCostly(
      `_sort has ${sortKeys.length} keys; this server sorts by at most ${COST_LIMITS.sortKeys}`,
    );
  }
  for (const [key, value] of query) {
    const values = value.split(',').length;
    if (values > COST_LIMITS.values) {
      throw tooCostly(
        `${key} has ${values} values; this server takes at most ${COST_LIMITS.values} per parameter`,
      );
    }
  }
  const includes = keys.filter((k) => /^_(rev)?include(:|$)/.test(k));
  if (includes.some((k) => k.endsWith(':iterate') || k.endsWith(':recurse'))) {
    throw tooCostly('_include:iterate and _revinclude:iterate are not offered; include one level');
  }
  if (includes.length > COST_LIMITS.includes) {
    throw tooCostly(
      `The search has ${includes.length} _include/_revinclude parameters; this server takes at most ${COST_LIMITS.includes}`,
    );
  }
}
