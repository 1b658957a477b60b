/**
 * One load of a staff screen, with its retry: the answer or the error of the latest load (an
 * answer to a load that was superseded or unmounted is dropped).
 */
import { useCallback, useEffect, useState } from 'react';
import { normalizeError, type FhirError } from '../../fhir/errors.ts';

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: FhirError }
  | { readonly status: 'ok'; readonly value: T };

/**
 * Runs `load` when it changes (memoise it over its inputs), on `reload()` (what is shown stays
 * until the answer) and on `retry()` (shows "loading" meanwhile: after an error).
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>): {
  readonly state: Loaded<T>;
  readonly reload: () => void;
  readonly retry: () => void;
} {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) {
          setState({ status: 'ok', value });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setState({ status: 'error', error: normalizeError(error) });
        }
      },
    );
    return () => {
      controller.abort();
    };
  }, [load, generation]);

  const reload = useCallback(() => {
    setGeneration((g) => g + 1);
  }, []);
  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setGeneration((g) => g + 1);
  }, []);
  return { state, reload, retry };
}
