import { nextStep, type FhirError } from '../../fhir/errors.ts';

interface RequestErrorProps {
  readonly error: FhirError;
  /** Offers a retry when given. */
  readonly onRetry?: (() => void) | undefined;
  readonly testId?: string;
  /** Words for the retry button (default "Retry"). */
  readonly retryLabel?: string;
}

/** A failed request in the staff's words: what happened, what to do, and a retry. */
export function RequestError({ error, onRetry, testId, retryLabel = 'Retry' }: RequestErrorProps) {
  return (
    <div role="alert" className="request-error" data-testid={testId}>
      <p>{error.message}</p>
      <p>
        {nextStep(error.kind)}{' '}
        {onRetry !== undefined && (
          <button type="button" onClick={onRetry}>
            {retryLabel}
          </button>
        )}
      </p>
    </div>
  );
}
