import { useCallback } from 'react';
import { DraftStatus } from '../DraftStatus.tsx';
import { placeReferral } from '../../fhir/referralWrite.ts';
import { writeContext, type Session } from '../../fhir/session.ts';
import type { SentDraft } from '../drafts.ts';
import { useDraftSave } from '../useDraftSave.ts';

interface ReferralFormProps {
  readonly session: Session;
  readonly programme: string;
  readonly now: () => Date;
  /** `Condition/<id>` of the chronic low back pain, and the supporting records (`Type/id`). */
  readonly reason: string | undefined;
  readonly supportingInfo: readonly string[];
  readonly onPlaced: () => void;
}

/** One action places the referral (ServiceRequest + Task); a double click or retry places one. */
export function ReferralForm(props: ReferralFormProps) {
  const { session, programme, now, reason, supportingInfo, onPlaced } = props;
  const save = useCallback(
    async (draft: SentDraft) => {
      const start = draft.extra['preferredStart'] ?? '';
      const placed = await placeReferral(session.transport, {
        submissionId: draft.submissionId,
        context: writeContext(session),
        programme,
        authoredOn: draft.sentAt,
        reason,
        supportingInfo,
        note: draft.extra['note'] ?? '',
        preferredStart: start === '' ? undefined : start,
      });
      onPlaced();
      return placed;
    },
    [session, programme, reason, supportingInfo, onPlaced],
  );
  const { draft, state, setExtra, submit, discard, locked } = useDraftSave(
    'referral',
    session.patientId,
    save,
    now,
  );
  const placing = state.status === 'saving';
  return (
    <form
      className="referral-form"
      aria-label="Refer to mindfulness group medical visits"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label htmlFor="referral-start">Preferred programme start (optional)</label>
      <input
        id="referral-start"
        disabled={locked}
        type="date"
        value={draft.extra['preferredStart'] ?? ''}
        onChange={(e) => {
          setExtra('preferredStart', e.target.value);
        }}
      />
      <label htmlFor="referral-note">Note to the programme (optional)</label>
      <textarea
        id="referral-note"
        disabled={locked}
        rows={2}
        value={draft.extra['note'] ?? ''}
        onChange={(e) => {
          setExtra('note', e.target.value);
        }}
      />
      <button type="submit" disabled={placing}>
        {placing
          ? 'Placing the referral…'
          : locked
            ? 'Retry the referral'
            : 'Refer to mindfulness group medical visits'}
      </button>
      <DraftStatus
        state={state}
        locked={locked}
        onDiscard={discard}
        what="The referral's details"
        testId="referral-save-error"
      />
      {state.status === 'saved' && <p role="status">Referral placed.</p>}
    </form>
  );
}
