import { useCallback } from 'react';
import { addClbpProblem } from '../../fhir/problemWrite.ts';
import { writeContext, type Session } from '../../fhir/session.ts';
import { DraftStatus } from '../DraftStatus.tsx';
import type { SentDraft } from '../drafts.ts';
import { useDraftSave } from '../useDraftSave.ts';

interface ProblemListConfirmProps {
  readonly session: Session;
  /** `QuestionnaireResponse/<id>` of the screening that met the Task Force definition. */
  readonly screening: string;
  readonly now: () => Date;
  readonly onAdded: () => void;
}

/**
 * Chronic low back pain onto the problem list, only when the clinician ticks the confirmation and
 * presses the button: a screening result is not a diagnosis until the clinician says so.
 */
export function ProblemListConfirm({ session, screening, now, onAdded }: ProblemListConfirmProps) {
  const save = useCallback(
    async (draft: SentDraft) => {
      const written = await addClbpProblem(session.transport, {
        submissionId: draft.submissionId,
        context: writeContext(session),
        confirmedAt: draft.sentAt,
        screening,
      });
      onAdded();
      return written;
    },
    [session, screening, onAdded],
  );
  const { draft, state, setExtra, submit, discard, locked } = useDraftSave(
    'problem',
    session.patientId,
    save,
    now,
  );
  const confirmed = draft.extra['confirmed'] === 'yes';
  return (
    <form
      className="problem-confirm"
      aria-label="Add chronic low back pain to the problem list"
      onSubmit={(event) => {
        event.preventDefault();
        if (confirmed) {
          void submit();
        }
      }}
    >
      <p>
        The latest screening meets the NIH Task Force definition of chronic low back pain, and the
        problem list has no chronic low back pain. Add it only if your assessment confirms it.
      </p>
      <label>
        <input
          type="checkbox"
          disabled={locked}
          checked={confirmed}
          onChange={(e) => {
            setExtra('confirmed', e.target.checked ? 'yes' : '');
          }}
        />{' '}
        I confirm chronic low back pain (SNOMED CT 278860009; ICD-10-CM M54.50 with G89.29)
      </label>
      <button type="submit" disabled={!confirmed || state.status === 'saving'}>
        {state.status === 'saving' ? 'Adding…' : 'Add to the problem list'}
      </button>
      <DraftStatus
        state={state}
        locked={locked}
        onDiscard={discard}
        what="The confirmation"
        testId="problem-save-error"
      />
    </form>
  );
}
