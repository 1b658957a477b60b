import { useCallback, useState } from 'react';
import type { QueueEntry } from '../../domain/pathway/queue.ts';
import type { ReferralDecision } from '../../domain/pathway/referralDecision.ts';
import { decideReferral, type DecisionResult } from '../../fhir/programmeQueue.ts';
import type { FhirTransport } from '../../fhir/transport.ts';
import { DraftStatus } from '../DraftStatus.tsx';
import type { Draft } from '../drafts.ts';
import { useDraftSave } from '../useDraftSave.ts';

interface DecisionControlsProps {
  readonly entry: QueueEntry;
  readonly transport: FhirTransport;
  readonly onDecided: (
    entry: QueueEntry,
    decision: ReferralDecision,
    result: DecisionResult,
  ) => void;
}

const now = () => new Date();

/** A decision's save, kept as a draft per Task until the EHR confirms it (useDraftSave). */
function useDecision(
  kind: ReferralDecision['kind'],
  { entry, transport, onDecided }: DecisionControlsProps,
) {
  const save = useCallback(
    async (draft: Draft & { sentAt: string }) => {
      const decision: ReferralDecision =
        kind === 'accept' ? { kind } : { kind, reason: draft.extra['reason'] ?? '' };
      const result = await decideReferral(transport, {
        task: entry.task,
        decision,
        when: draft.sentAt,
      });
      onDecided(entry, decision, result);
      return result;
    },
    [kind, entry, transport, onDecided],
  );
  return useDraftSave(`programme-${kind}`, entry.task.id, save, now);
}

/** Accept, or decline with a reason; a double click or a retry records one decision. */
export function DecisionControls(props: DecisionControlsProps) {
  const { entry } = props;
  const accept = useDecision('accept', props);
  const decline = useDecision('decline', props);
  const reason = decline.draft.extra['reason'] ?? '';
  const [declining, setDeclining] = useState(reason !== '' || decline.locked);
  // A callback ref runs as the element is put in the page, so the first key typed after opening
  // the form lands in it (the autofocus attribute waits for the next frame).
  const focusOnMount = useCallback((element: HTMLTextAreaElement | null) => {
    element?.focus();
  }, []);
  const busy = accept.state.status === 'saving' || decline.state.status === 'saving';
  const id = entry.task.id;
  return (
    <div className="decision">
      <div className="decision-actions">
        <button
          type="button"
          disabled={busy || declining}
          data-testid={`accept-${id}`}
          onClick={() => {
            void accept.submit();
          }}
        >
          {accept.state.status === 'saving'
            ? 'Accepting…'
            : accept.locked
              ? 'Retry accepting'
              : 'Accept'}
          <span className="visually-hidden"> the referral of {entry.patientName}</span>
        </button>
        {!declining && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            data-testid={`decline-${id}`}
            onClick={() => {
              setDeclining(true);
            }}
          >
            Decline…<span className="visually-hidden"> the referral of {entry.patientName}</span>
          </button>
        )}
      </div>
      <DraftStatus
        state={accept.state}
        locked={accept.locked}
        onDiscard={accept.discard}
        what="The acceptance details"
        testId={`accept-error-${id}`}
      />
      {declining && (
        <form
          className="decline-form"
          aria-label={`Decline the referral of ${entry.patientName}`}
          onSubmit={(event) => {
            event.preventDefault();
            void decline.submit();
          }}
        >
          <label htmlFor={`decline-reason-${id}`}>
            Reason for declining (required; the referring clinician sees it)
          </label>
          <textarea
            id={`decline-reason-${id}`}
            rows={2}
            required
            disabled={decline.locked}
            value={reason}
            // Focused as the form opens, by the staff member's own action.
            ref={focusOnMount}
            onChange={(e) => {
              decline.setExtra('reason', e.target.value);
            }}
          />
          <div className="decision-actions">
            <button type="submit" disabled={busy || reason.trim() === ''}>
              {decline.state.status === 'saving'
                ? 'Declining…'
                : decline.locked
                  ? 'Retry declining'
                  : 'Confirm decline'}
            </button>
            {!decline.locked && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setDeclining(false);
                }}
              >
                Keep in the queue
              </button>
            )}
          </div>
          <DraftStatus
            state={decline.state}
            locked={decline.locked}
            onDiscard={decline.discard}
            what="The decline and its reason"
            testId={`decline-error-${id}`}
          />
        </form>
      )}
    </div>
  );
}
