import { useCallback } from 'react';
import { missingRequired } from '../../fhir/questionnaireAnswers.ts';
import { SCREENING_QUESTIONNAIRE } from '../../fhir/questionnaires.ts';
import { saveScreening } from '../../fhir/screeningWrite.ts';
import { writeContext, type Session } from '../../fhir/session.ts';
import type { SentDraft } from '../drafts.ts';
import { SCREENING_LINK_IDS } from '../../domain/screening/screening.ts';
import { QuestionnaireDraftForm } from '../questionnaire/QuestionnaireDraftForm.tsx';
import { UrgentRedFlags } from './UrgentRedFlags.tsx';

interface ScreeningFormProps {
  readonly session: Session;
  readonly now: () => Date;
  readonly onSaved: () => void;
}

/** The CLBP screening, rendered from its Questionnaire; kept as a draft until the EHR confirms. */
export function ScreeningForm({ session, now, onSaved }: ScreeningFormProps) {
  const save = useCallback(
    async (draft: SentDraft) => {
      const written = await saveScreening(session.transport, {
        submissionId: draft.submissionId,
        context: writeContext(session),
        authored: draft.sentAt,
        answers: draft.answers,
      });
      onSaved();
      return written;
    },
    [session, onSaved],
  );
  return (
    <QuestionnaireDraftForm
      form="screening"
      patientId={session.patientId}
      questionnaire={SCREENING_QUESTIONNAIRE}
      label="CLBP screening"
      noun="screening"
      save={save}
      now={now}
      notReady={(draft) => {
        const missing = missingRequired(SCREENING_QUESTIONNAIRE, draft.answers).length;
        return missing === 0 ? undefined : `${missing} required question(s) still to answer.`;
      }}
      after={(draft) => ({
        [SCREENING_LINK_IDS.caudaEquinaGroup]: (
          <UrgentRedFlags
            session={session}
            draftSubmissionId={draft.draftId}
            answers={draft.answers}
            now={now}
          />
        ),
      })}
      saved={() => <p role="status">Screening saved.</p>}
    />
  );
}
