import { useCallback, useEffect, useRef } from 'react';
import type { RedFlagFinding } from '../../domain/screening/eligibility.ts';
import { DOES_NOT_PRECLUDE } from '../../domain/screening/clearance.ts';
import { saveClearance } from '../../fhir/clearanceWrite.ts';
import { writeContext, type Session } from '../../fhir/session.ts';
import { DraftStatus } from '../DraftStatus.tsx';
import type { Draft, SentDraft } from '../drafts.ts';
import { useDraftSave } from '../useDraftSave.ts';
import { useEscapeToClose } from '../useEscapeToClose.ts';
import { evidenceText } from './evidenceText.ts';

interface ClearanceFormProps {
  readonly session: Session;
  readonly now: () => Date;
  /** The red flags that need evaluation and may be cleared here. */
  readonly flags: readonly RedFlagFinding[];
  readonly onSaved: () => void;
  /** Closes the form, keeping the ticks and the note as a draft in this tab (also Escape). */
  readonly onCancel: () => void;
  /** Takes keyboard focus when it opens (opened by the clinician, not restored by a reload). */
  readonly focusOnOpen?: boolean;
}

/** The records a red flag rests on, as references: its Conditions and screening responses. */
function recordsOf(flag: RedFlagFinding): string[] {
  const references = flag.evidence.flatMap((e) => {
    if (e.kind === 'condition') {
      return e.conditionId === undefined ? [] : [`Condition/${e.conditionId}`];
    }
    return e.kind === 'screening-answer' && e.response !== undefined ? [e.response] : [];
  });
  return [...new Set(references)];
}

const chosenOf = (draft: Draft): string[] =>
  (draft.extra['flags'] ?? '').split(',').filter((id) => id !== '');

/**
 * A clinician records that the red flags they tick were evaluated and do not preclude the
 * programme, with an optional note: written to the chart (clearanceWrite.ts) with who and when.
 * Kept as a draft until the EHR confirms, like every form; Close and Escape keep it too.
 */
export function ClearanceForm({
  session,
  now,
  flags,
  onSaved,
  onCancel,
  focusOnOpen,
}: ClearanceFormProps) {
  const save = useCallback(
    async (draft: SentDraft) => {
      const chosen = chosenOf(draft);
      const written = await saveClearance(session.transport, {
        submissionId: draft.submissionId,
        context: writeContext(session),
        authored: draft.sentAt,
        note: draft.extra['note'] ?? '',
        findings: flags
          .filter((flag) => chosen.includes(flag.id))
          .map((flag) => ({ redFlag: flag.id, records: recordsOf(flag) })),
      });
      onSaved();
      return written;
    },
    [session, flags, onSaved],
  );
  const { draft, state, setExtra, submit, discard, locked } = useDraftSave(
    'clearance',
    session.patientId,
    save,
    now,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEscapeToClose(formRef, onCancel, state.status === 'saving');
  useEffect(() => {
    if (focusOnOpen === true) {
      heading.current?.focus();
    }
  }, [focusOnOpen]);
  const chosen = chosenOf(draft);
  const saving = state.status === 'saving';
  const toggle = (id: string, on: boolean): void => {
    const next = on ? [...chosen, id] : chosen.filter((c) => c !== id);
    setExtra('flags', next.join(','));
  };
  return (
    <form
      ref={formRef}
      className="clearance-form"
      aria-label="Record a clinician's evaluation of red flags"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 tabIndex={-1} ref={heading}>
        Clinician&apos;s evaluation of red flags
      </h3>
      <fieldset>
        <legend>{DOES_NOT_PRECLUDE.display}: tick each red flag you evaluated.</legend>
        {flags.map((flag) => (
          <div key={flag.id} className="clearance-flag">
            <label htmlFor={`clear-${flag.id}`} className="option">
              <input
                type="checkbox"
                id={`clear-${flag.id}`}
                disabled={locked}
                checked={chosen.includes(flag.id)}
                onChange={(e) => {
                  toggle(flag.id, e.target.checked);
                }}
              />
              <span>{flag.label}</span>
            </label>
            <ul className="evidence">
              {flag.evidence.map((e, i) => (
                <li key={i}>{evidenceText(e)}</li>
              ))}
            </ul>
          </div>
        ))}
      </fieldset>
      <label htmlFor="clearance-note">Note (optional)</label>
      <textarea
        id="clearance-note"
        rows={2}
        disabled={locked}
        value={draft.extra['note'] ?? ''}
        onChange={(e) => {
          setExtra('note', e.target.value);
        }}
      />
      <p className="hint">
        Saved to the chart as your evaluation (you are its author), with the time. A red flag
        recorded after it needs a new evaluation. Escape closes the form and keeps your draft.
      </p>
      <div className="form-actions">
        <button type="submit" disabled={saving || chosen.length === 0}>
          {saving ? 'Saving…' : locked ? 'Retry saving the evaluation' : 'Save the evaluation'}
        </button>
        <button type="button" className="secondary" onClick={onCancel} disabled={saving}>
          Close (keep the draft)
        </button>
      </div>
      <DraftStatus
        state={state}
        locked={locked}
        onDiscard={discard}
        what="The evaluation"
        testId="clearance-save-error"
      />
      {state.status === 'saved' && <p role="status">Evaluation saved.</p>}
    </form>
  );
}
