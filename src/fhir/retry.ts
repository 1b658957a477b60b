/**
 * When a failed request is sent again, and how long to wait first: one policy for the browser app,
 * one for the command line, and the Retry-After reading both honour.
 */

export interface RetryPolicy {
  /** Retries of one request before its failure is reported. */
  readonly retries: number;
  /** Whether a 5xx answer is retried (429 always is). */
  readonly serverErrors: boolean;
  /** Whether a network failure or a timeout is retried. */
  readonly network: boolean;
  /** First wait when the server sends no Retry-After; doubles per attempt. */
  readonly backoffMs: number;
  /** Longest wait honoured from Retry-After. */
  readonly maxWaitMs: number;
}

/** The browser: a clinician is waiting, so only a 429 is waited out, briefly. */
export const APP_RETRIES: RetryPolicy = {
  retries: 3,
  serverErrors: false,
  network: false,
  backoffMs: 1_000,
  maxWaitMs: 30_000,
};

/** The command line (Bulk Data IG: clients retry 429 and 5xx with backoff). */
export const COMMAND_LINE_RETRIES: RetryPolicy = {
  retries: 5,
  serverErrors: true,
  network: true,
  backoffMs: 500,
  maxWaitMs: 120_000,
};

/** Retry-After as milliseconds (delta-seconds or an HTTP date, RFC 9110 §10.2.3), capped. */
export function retryAfterMs(
  header: string | null,
  now: number,
  maxMs: number,
): number | undefined {
  if (header === null || header.trim() === '') {
    return undefined;
  }
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), maxMs) : undefined;
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
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
