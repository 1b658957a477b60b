import { nextStep } from '../fhir/errors.ts';
import type { SaveState } from './useDraftSave.ts';

interface DraftStatusProps<R> {
  readonly state: SaveState<R>;
  /** The answers were sent once and are locked until the EHR confirms. */
  readonly locked: boolean;
  readonly onDiscard: () => void;
  /** What the form keeps, in words ("Your answers", "The referral"). */
  readonly what: string;
  readonly testId: string;
}

/** The outcome of a save the clinician must see: failure with what to do, or answers locked. */
export function DraftStatus<R>({ state, locked, onDiscard, what, testId }: DraftStatusProps<R>) {
  if (
    state.status === 'saving' ||
    state.status === 'saved' ||
    (!locked && state.status !== 'failed')
  ) {
    return null;
  }
  return (
    <div role="alert" className="request-error" data-testid={testId}>
      {state.status === 'failed' && (
        <>
          <p>{state.error.message}</p>
          <p>
            {nextStep(state.error.kind)} {what} are kept.
          </p>
        </>
      )}
      {locked && (
        <p className="hint" data-testid={`${testId}-locked`}>
          {what} were sent to the EHR, which has not confirmed them, so they are locked: a retry
          sends exactly the same record and never creates a second one.{' '}
          <button type="button" className="secondary" onClick={onDiscard}>
            Discard and start again
          </button>
        </p>
      )}
    </div>
  );
}
