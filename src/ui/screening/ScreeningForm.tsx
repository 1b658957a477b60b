import { useCallback } from 'react';
import { missingRequired } from '../../fhir/questionnaireAnswers.ts';
import { SCREENING_QUESTIONNAIRE } from '../../fhir/questionnaires.ts';
import { saveScreening } from '../../fhir/screeningWrite.ts';
import type { Session } from '../../fhir/session.ts';
import type { Draft } from '../drafts.ts';
import { DraftStatus } from '../DraftStatus.tsx';
import { QuestionnaireForm } from '../questionnaire/QuestionnaireForm.tsx';
import { useDraftSave } from '../useDraftSave.ts';

interface ScreeningFormProps {
  readonly session: Session;
  readonly now: () => Date;
  readonly onSaved: () => void;
}

/** The CLBP screening, rendered from its Questionnaire; kept as a draft until the EHR confirms. */
export function ScreeningForm({ session, now, onSaved }: ScreeningFormProps) {
  const save = useCallback(
    async (draft: Draft & { sentAt: string }) => {
      const written = await saveScreening(session.transport, {
        submissionId: draft.submissionId,
        patientId: session.patientId,
        practitioner: session.fhirUser,
        authored: draft.sentAt,
        answers: draft.answers,
      });
      onSaved();
      return written;
    },
    [session, onSaved],
  );
  const { draft, state, answer, submit, discard, locked } = useDraftSave(
    'screening',
    session.patientId,
    save,
    now,
  );
  const missing = missingRequired(SCREENING_QUESTIONNAIRE, draft.answers);
  const saving = state.status === 'saving';
  return (
    <form
      className="screening-form"
      aria-label="CLBP screening"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <QuestionnaireForm
        idPrefix="screening"
        items={SCREENING_QUESTIONNAIRE.item ?? []}
        answers={draft.answers}
        onAnswer={answer}
        disabled={saving || locked}
      />
      {missing.length > 0 && (
        <p className="hint">{missing.length} required question(s) still to answer.</p>
      )}
      <button type="submit" disabled={missing.length > 0 || saving}>
        {saving ? 'Saving…' : locked ? 'Retry saving the screening' : 'Save screening'}
      </button>
      <DraftStatus
        state={state}
        locked={locked}
        onDiscard={discard}
        what="Your answers"
        testId="screening-save-error"
      />
      {state.status === 'saved' && <p role="status">Screening saved.</p>}
    </form>
  );
}
