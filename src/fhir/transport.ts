/**
 * The one HTTP client of every FHIR caller: the browser app, `clbp bulk` and `clbp export`.
 *
 * - THE token-origin rule ({@link destinationOf}): a URL the server hands back (`next` links, Bulk
 *   status and file URLs) is followed only where the caller says it may lead, and the bearer token
 *   goes only to the FHIR base's origin; anything else is refused with a FhirError naming the URL.
 * - The bearer token from a {@link TokenSource}, renewed once after a 401.
 * - Retries as the caller's {@link RetryPolicy} allows: 429 (honouring Retry-After) always; 5xx and
 *   network failures on the command line, whose requests are reads or idempotent.
 * - A timeout on every attempt, whose error names the request.
 * - At most `maxConcurrent` requests in flight; the others wait their turn, in order, before their
 *   timer starts.
 * - Every failure is a FhirError (errors.ts: errorFromStatus, normalizeError).
 */
import { attempter, duration, slots } from './attempt.ts';
import { errorFromResponse, FhirError, normalizeError } from './errors.ts';
import type { RetryPolicy } from './retry.ts';
import { APP_RETRIES, retryAfterMs, wait } from './retry.ts';
import type { Destination } from './tokenOrigin.ts';
import { destinationOf, WHERE } from './tokenOrigin.ts';

export type { Destination } from './tokenOrigin.ts';
export type { RetryPolicy } from './retry.ts';
export { APP_RETRIES, COMMAND_LINE_RETRIES, retryAfterMs, wait } from './retry.ts';

export interface TokenSource {
  /** The current access token (undefined: send none). */
  token(signal?: AbortSignal): Promise<string | undefined>;
  /**
   * A new token after `rejected` was refused with 401; undefined when none can be had. When
   * another request has renewed meanwhile, the current token is the answer.
   */
  renew?(rejected: string | undefined, signal?: AbortSignal): Promise<string | undefined>;
}

export type TransportEvent =
  | {
      readonly type: 'retry';
      readonly request: string;
      readonly status: number | 'network' | 'timeout';
      readonly attempt: number;
      readonly waitMs: number;
    }
  | { readonly type: 'token-renewed'; readonly request: string };

export interface TransportOptions {
  /** FHIR base URL, e.g. `https://ehr.example.org/fhir` (no trailing slash needed). */
  readonly baseUrl: string;
  readonly auth?: TokenSource;
  readonly retry?: RetryPolicy;
  /** Per attempt, until the answer's headers (and, for json(), its body) are in. Default 60 s. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly onEvent?: (event: TransportEvent) => void;
  /**
   * Requests in flight at once (default: no limit). A browser opens at most 6 connections to one
   * host over HTTP/1.1 and queues the rest out of sight, where their timeouts would run.
   */
  readonly maxConcurrent?: number;
}

export interface RequestOptions {
  /** Short name for messages, e.g. "MedicationStatement search". */
  readonly label: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Sent as FHIR JSON. */
  readonly body?: unknown;
  /** Sent as application/x-www-form-urlencoded (OAuth token requests). */
  readonly form?: URLSearchParams;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly destination?: Destination;
  /** Send no token even where it may go (discovery documents). */
  readonly anonymous?: boolean;
  /** Statuses handed back to the caller instead of thrown (e.g. 202, 404 for a Bulk status poll). */
  readonly accept?: readonly number[];
  readonly timeoutMs?: number;
  /** This request's own retries (a one-time token request must not be sent twice). */
  readonly retry?: RetryPolicy;
}

export interface FhirTransport {
  readonly baseUrl: string;
  /**
   * Resolves a path relative to the FHIR base (`Observation?…`), or checks that an absolute URL is
   * where `destination` allows; throws a FhirError naming the URL otherwise.
   */
  resolve(pathOrUrl: string, destination?: Destination, label?: string): string;
  /** Sends the request; resolves with a 2xx (or accepted) Response, rejects with a FhirError. */
  request(pathOrUrl: string, options: RequestOptions): Promise<Response>;
  /** request() and its JSON body, both within the timeout. */
  json(pathOrUrl: string, options: RequestOptions): Promise<unknown>;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * A path relative to the FHIR base, or an absolute URL the server handed back, checked against
 * the token-origin rule ({@link destinationOf}): one that leads elsewhere is refused, naming it.
 */
function resolveUrl(
  base: string,
  pathOrUrl: string,
  destination: Destination,
  label: string,
): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) {
    return `${base}/${pathOrUrl.replace(/^\/+/, '')}`;
  }
  if (!destinationOf(base, pathOrUrl, destination)) {
    throw new FhirError({
      kind: 'malformed',
      request: label,
      message: `${label}: the server pointed to ${pathOrUrl}, ${WHERE[destination]} (${base}); not followed.`,
    });
  }
  return pathOrUrl;
}

/** A failure while the answer's body arrives: the timer's abort is a timeout. */
function bodyError(error: unknown, label: string, timeoutMs: number): FhirError {
  return error instanceof DOMException && error.name === 'TimeoutError'
    ? new FhirError({
        kind: 'timeout',
        request: label,
        message: `${label} timed out: the answer did not arrive within ${duration(timeoutMs)}.`,
        cause: error,
      })
    : normalizeError(error, label);
}

/** The policy's exponential backoff before attempt `n + 1`. */
const backoffMs = (policy: RetryPolicy, n: number): number => policy.backoffMs * 2 ** (n - 1);

export function createTransport(options: TransportOptions): FhirTransport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const sleep = options.sleep ?? wait;
  const defaultPolicy = options.retry ?? APP_RETRIES;
  const take = slots(options.maxConcurrent);

  const resolve = (pathOrUrl: string, destination: Destination = 'fhir', label = 'The request') =>
    resolveUrl(base, pathOrUrl, destination, label);

  const attempt = attempter(doFetch, take, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);

  /** Sends with renewal and retries; resolves with the final attempt (its timer still running). */
  async function send(
    pathOrUrl: string,
    o: RequestOptions,
  ): Promise<{ response: Response; done: () => void; timeoutMs: number }> {
    const destination = o.destination ?? 'fhir';
    const url = resolve(pathOrUrl, destination, o.label);
    const auth = destination !== 'anywhere' && o.anonymous !== true ? options.auth : undefined;
    const policy = o.retry ?? defaultPolicy;
    let token = auth ? await auth.token(o.signal) : undefined;
    let renewed = false;
    for (let n = 1; ; n++) {
      let result: { response: Response; done: () => void };
      try {
        result = await attempt(url, token, o);
      } catch (error) {
        const failure = normalizeError(error, o.label);
        const retryable = failure.kind === 'network' || failure.kind === 'timeout';
        if (!retryable || !policy.network || n > policy.retries || o.signal?.aborted === true) {
          throw failure;
        }
        const waitMs = backoffMs(policy, n);
        const status = failure.kind === 'timeout' ? 'timeout' : 'network';
        options.onEvent?.({ type: 'retry', request: o.label, status, attempt: n, waitMs });
        await sleep(waitMs, o.signal);
        continue;
      }
      const timeoutMs = o.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const { response, done } = result;
      if (response.ok || o.accept?.includes(response.status) === true) {
        return { response, done, timeoutMs };
      }
      if (response.status === 401 && auth?.renew && !renewed) {
        renewed = true;
        const refused = await errorFromResponse(response, o.label);
        done();
        token = await auth.renew(token, o.signal).catch(() => undefined);
        if (token === undefined) {
          throw refused;
        }
        options.onEvent?.({ type: 'token-renewed', request: o.label });
        n -= 1;
        continue;
      }
      const retryable = response.status === 429 || (response.status >= 500 && policy.serverErrors);
      if (retryable && n <= policy.retries) {
        const waitMs =
          retryAfterMs(response.headers.get('Retry-After'), Date.now(), policy.maxWaitMs) ??
          backoffMs(policy, n);
        done();
        await response.body?.cancel();
        options.onEvent?.({
          type: 'retry',
          request: o.label,
          status: response.status,
          attempt: n,
          waitMs,
        });
        await sleep(waitMs, o.signal);
        continue;
      }
      try {
        throw await errorFromResponse(response, o.label);
      } finally {
        done();
      }
    }
  }

  async function request(pathOrUrl: string, o: RequestOptions): Promise<Response> {
    const { response, done } = await send(pathOrUrl, o);
    done();
    return response;
  }

  async function json(pathOrUrl: string, o: RequestOptions): Promise<unknown> {
    const { response, done, timeoutMs } = await send(pathOrUrl, o);
    try {
      return await response.json();
    } catch (error) {
      throw bodyError(error, o.label, timeoutMs);
    } finally {
      done();
    }
  }

  return { baseUrl: base, resolve, request, json };
}
