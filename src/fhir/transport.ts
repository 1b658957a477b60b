/**
 * The one place the app talks HTTP to the FHIR server: adds the bearer token, refreshes it once on
 * 401, waits out 429 with Retry-After, and never sends the token anywhere but the FHIR base.
 */
import { FhirError, errorFromResponse, normalizeError } from './errors.ts';

export interface TransportOptions {
  /** FHIR base URL, e.g. `https://ehr.example.org/fhir` (no trailing slash needed). */
  readonly baseUrl: string;
  /** The current access token (refreshing first if it is about to expire). */
  readonly getToken: () => Promise<string | undefined>;
  /**
   * Gets a new access token after a 401 with `rejected`; resolves undefined (or rejects) when it
   * cannot. When another request has refreshed meanwhile, the current token is the answer.
   */
  readonly refresh?: (rejected: string | undefined) => Promise<string | undefined>;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How many times a 429 is waited out before giving up. */
  readonly maxRateLimitRetries?: number;
}

export interface RequestOptions {
  /** Short name for messages, e.g. "MedicationStatement search". */
  readonly label: string;
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export interface FhirTransport {
  readonly baseUrl: string;
  /** Resolves a path relative to the base (`Observation?…`) or checks an absolute URL is under it. */
  resolve(pathOrUrl: string): string;
  /** Sends the request; resolves with a 2xx Response, rejects with a FhirError otherwise. */
  request(pathOrUrl: string, options: RequestOptions): Promise<Response>;
}

/** Longest wait the app accepts from a Retry-After header before giving up, in ms. */
const MAX_RETRY_AFTER_MS = 30_000;
const DEFAULT_RETRY_AFTER_MS = 1_000;

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | null, now: number): number {
  if (header === null || header.trim() === '') {
    return DEFAULT_RETRY_AFTER_MS;
  }
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms)
    ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS)
    : DEFAULT_RETRY_AFTER_MS;
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export function createTransport(options: TransportOptions): FhirTransport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const sleep = options.sleep ?? defaultSleep;
  const maxRetries = options.maxRateLimitRetries ?? 3;

  function resolve(pathOrUrl: string): string {
    if (/^https?:\/\//i.test(pathOrUrl)) {
      if (
        pathOrUrl !== base &&
        !pathOrUrl.startsWith(`${base}/`) &&
        !pathOrUrl.startsWith(`${base}?`)
      ) {
        throw new FhirError({
          kind: 'malformed',
          message: `The EHR pointed the app to ${new URL(pathOrUrl).origin}, outside its FHIR server; the app did not follow.`,
        });
      }
      return pathOrUrl;
    }
    return `${base}/${pathOrUrl.replace(/^\/+/, '')}`;
  }

  async function send(
    url: string,
    token: string | undefined,
    o: RequestOptions,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/fhir+json', ...o.headers };
    if (token !== undefined) {
      headers['Authorization'] = `Bearer ${token}`;
    }
    if (o.body !== undefined) {
      headers['Content-Type'] = 'application/fhir+json';
    }
    try {
      return await doFetch(url, {
        method: o.method ?? 'GET',
        headers,
        ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
        ...(o.signal === undefined ? {} : { signal: o.signal }),
      });
    } catch (error) {
      throw normalizeError(error, o.label);
    }
  }

  async function request(pathOrUrl: string, o: RequestOptions): Promise<Response> {
    const url = resolve(pathOrUrl);
    let token = await options.getToken();
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const response = await send(url, token, o);
      if (response.ok) {
        return response;
      }
      if (response.status === 401 && !refreshed && options.refresh) {
        refreshed = true;
        token = await options.refresh(token).catch(() => undefined);
        if (token !== undefined) {
          continue;
        }
      }
      if (response.status === 429 && attempt < maxRetries) {
        await sleep(retryAfterMs(response.headers.get('Retry-After'), Date.now()));
        continue;
      }
      throw await errorFromResponse(response, o.label);
    }
  }

  return { baseUrl: base, resolve, request };
}
