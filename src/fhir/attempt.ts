/**
 * One HTTP attempt of the FHIR client (transport.ts): what it sends, the concurrency slot it waits
 * for, and the timer that bounds it, whose abort becomes a timeout naming the request.
 */
import { FhirError, normalizeError } from './errors.ts';
import type { RequestOptions } from './transport.ts';

export const duration = (ms: number): string =>
  ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;

/** First come, first served slots; `take` resolves with the function that gives the slot back. */
export function slots(limit: number | undefined): (signal?: AbortSignal) => Promise<() => void> {
  if (limit === undefined) {
    return () => Promise.resolve(() => undefined);
  }
  let free = limit;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) {
      next();
    } else {
      free += 1;
    }
  };
  return async (signal) => {
    if (free > 0) {
      free -= 1;
    } else {
      await new Promise<void>((resolve, reject) => {
        const turn = (): void => {
          signal?.removeEventListener('abort', abort);
          resolve();
        };
        const abort = (): void => {
          waiting.splice(waiting.indexOf(turn), 1);
          reject(normalizeError(signal?.reason));
        };
        waiting.push(turn);
        signal?.addEventListener('abort', abort, { once: true });
      });
    }
    let given = false;
    return () => {
      if (!given) {
        given = true;
        release();
      }
    };
  };
}

/** The headers and body a request sends: FHIR JSON or a form, with the bearer token if any. */
function outgoing(
  o: RequestOptions,
  token: string | undefined,
): { headers: Record<string, string>; body: string | undefined } {
  const headers: Record<string, string> = { Accept: 'application/fhir+json', ...o.headers };
  if (token !== undefined) {
    headers['Authorization'] = `Bearer ${token}`;
  }
  if (o.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return { headers, body: o.form.toString() };
  }
  if (o.body !== undefined) {
    headers['Content-Type'] = 'application/fhir+json';
    return { headers, body: JSON.stringify(o.body) };
  }
  return { headers, body: undefined };
}

/** An attempt's failure: our own timer's abort is a timeout naming the request. */
function timedOut(error: unknown, timer: AbortSignal, o: RequestOptions, ms: number): FhirError {
  if (timer.aborted && o.signal?.aborted !== true) {
    return new FhirError({
      kind: 'timeout',
      request: o.label,
      message: `${o.label} timed out: no answer within ${duration(ms)}.`,
      cause: error,
    });
  }
  return normalizeError(error, o.label);
}

export type Attempt = (
  url: string,
  token: string | undefined,
  o: RequestOptions,
) => Promise<{ response: Response; done: () => void }>;

/**
 * One attempt, in a concurrency slot and under its own timer; the timer runs and the slot is held
 * until `done()` (after the headers, or after the body).
 */
export function attempter(
  doFetch: typeof fetch,
  take: (signal?: AbortSignal) => Promise<() => void>,
  defaultTimeoutMs: number,
): Attempt {
  return async (url, token, o) => {
    const { headers, body } = outgoing(o, token);
    const timeoutMs = o.timeoutMs ?? defaultTimeoutMs;
    const release = await take(o.signal);
    const timer = new AbortController();
    const timeout = setTimeout(() => {
      timer.abort(new DOMException(`${o.label} timed out`, 'TimeoutError'));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timeout);
      release();
    };
    const signal = o.signal ? AbortSignal.any([o.signal, timer.signal]) : timer.signal;
    try {
      const response = await doFetch(url, {
        method: o.method ?? 'GET',
        headers,
        ...(body === undefined ? {} : { body }),
        signal,
      });
      return { response, done };
    } catch (error) {
      done();
      throw timedOut(error, timer.signal, o, timeoutMs);
    }
  };
}
