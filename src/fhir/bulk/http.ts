/**
 * One authorized HTTP request of the bulk client, with the retries the Bulk Data IG expects of a
 * client: 429 and 5xx (and network failures) are retried with exponential backoff, honouring
 * Retry-After; a 401 gets a new backend token once and is sent again.
 */
import type { BulkEventListener } from './events.ts';

/** Any failure the bulk client reports: one readable line. */
export class BulkError extends Error {
  override readonly name = 'BulkError';
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

export interface TokenSource {
  /** The current access token (fetched when there is none or it has expired). */
  token(signal?: AbortSignal): Promise<string>;
  /** Throws away the current token and fetches a new one. */
  renew(signal?: AbortSignal): Promise<string>;
}

export interface Transport {
  readonly fetch: typeof fetch;
  readonly auth: TokenSource;
  readonly onEvent: BulkEventListener;
  readonly signal?: AbortSignal;
  /** Retries of a 429 / 5xx / network failure before giving up (default 5). */
  readonly maxRetries?: number;
  /** First backoff wait; doubles per attempt (default 500 ms). */
  readonly backoffMs?: number;
}

/** Longest wait honoured from a Retry-After header. */
export const MAX_WAIT_MS = 120_000;

/** Retry-After as milliseconds (delta-seconds or an HTTP date), capped; undefined when absent. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') {
    return undefined;
  }
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - nowMs;
  return Number.isNaN(ms) ? undefined : Math.min(MAX_WAIT_MS, Math.max(0, ms));
}

export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Sends the request with the current token; returns the first response that is not retried
 * (any status: the caller decides what a 4xx means).
 * @param what - words for events and errors, e.g. "status poll"
 */
export async function authorizedRequest(
  t: Transport,
  url: string,
  init: RequestInit,
  what: string,
): Promise<Response> {
  const maxRetries = t.maxRetries ?? 5;
  const backoffMs = t.backoffMs ?? 500;
  let renewed = 0;
  for (let attempt = 1; ; attempt += 1) {
    const token = await t.auth.token(t.signal);
    let response: Response | undefined;
    try {
      response = await t.fetch(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` },
        ...(t.signal ? { signal: t.signal } : {}),
      });
    } catch (err) {
      if (t.signal?.aborted || attempt > maxRetries) {
        throw t.signal?.aborted
          ? err
          : new BulkError(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (response?.status === 401 && renewed < 3) {
      // A token that expired between our check and the server's (or one the server dropped).
      await response.body?.cancel();
      renewed += 1;
      t.onEvent({ type: 'token-renewed', reason: 'rejected' });
      await t.auth.renew(t.signal);
      attempt -= 1;
      continue;
    }
    if (response !== undefined && (!retryable(response.status) || attempt > maxRetries)) {
      return response;
    }
    const waitMs =
      retryAfterMs(response?.headers.get('retry-after') ?? null, Date.now()) ??
      backoffMs * 2 ** (attempt - 1);
    await response?.body?.cancel();
    t.onEvent({ type: 'retry', what, status: response?.status ?? 'network', attempt, waitMs });
    await wait(waitMs, t.signal);
  }
}

/** The OperationOutcome's first diagnostics (or the body's start) as one line. */
export async function describeFailure(response: Response, what: string): Promise<BulkError> {
  const text = await response.text().catch(() => '');
  let detail = text.slice(0, 200).replace(/\s+/g, ' ');
  try {
    const body = JSON.parse(text) as {
      issue?: { diagnostics?: string; details?: { text?: string } }[];
      error_description?: string;
    };
    const issue = body.issue?.[0];
    detail = issue?.diagnostics ?? issue?.details?.text ?? body.error_description ?? detail;
  } catch {
    // not JSON: keep the text
  }
  return new BulkError(
    `${what} failed with HTTP ${response.status}${detail === '' ? '' : `: ${detail}`}`,
    response.status,
  );
}
