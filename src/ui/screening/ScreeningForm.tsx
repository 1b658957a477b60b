import type { Coding, Questionnaire, QuestionnaireItem } from 'fhir/r4';
import { useCallback, useMemo } from 'react';
import type { DurationPrefill } from '../../domain/screening/prefill.ts';
import {
  missingRequired,
  type FormAnswer,
  type FormAnswers,
} from '../../fhir/questionnaireAnswers.ts';
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
  /** Whether the pregnancy question applies (prefill.ts asksPregnancy). */
  readonly askPregnancy: boolean;
  /** Task Force question 1 as the chart's dated diagnosis answers it, for the clinician to confirm. */
  readonly duration: DurationPrefill | undefined;
  readonly onSaved: () => void;
  /** Closes the form, keeping the answers as a draft (also Escape). */
  readonly onCancel: () => void;
  /** Opened by the clinician just now: take keyboard focus. */
  readonly focusOnOpen: boolean;
}

/** The CLBP screening, rendered from its Questionnaire; kept as a draft until the EHR confirms. */
/** The screening Questionnaire without the items that do not apply to this patient. */
function withoutItems(
  items: readonly QuestionnaireItem[],
  drop: readonly string[],
): QuestionnaireItem[] {
  return items
    .filter((item) => !drop.includes(item.linkId))
    .map((item) =>
      item.item === undefined ? item : { ...item, item: withoutItems(item.item, drop) },
    );
}

/** Whether an answer is the coding with this code. */
function isAnswer(answer: FormAnswer | undefined, code: string): boolean {
  return answer?.kind === 'coding' && answer.coding.code === code;
}

/** The duration question's answer codings, as the form offers them. */
function durationCodings(): Coding[] {
  return (SCREENING_QUESTIONNAIRE.item ?? [])
    .flatMap((group) => group.item ?? [])
    .filter((item) => item.linkId === SCREENING_LINK_IDS.duration)
    .flatMap((item) => item.answerOption ?? [])
    .flatMap((option) => (option.valueCoding === undefined ? [] : [option.valueCoding]));
}

/** One click answers "No" to every red flag of a group; cauda equina signs keep their own. */
const NONE_OF_THESE = {
  [SCREENING_LINK_IDS.caudaEquinaGroup]: 'None of the cauda equina signs',
  [SCREENING_LINK_IDS.redFlagGroup]: 'None of the other red flags',
};

export function ScreeningForm(props: ScreeningFormProps) {
  const { session, now, onSaved, onCancel, focusOnOpen, askPregnancy, duration } = props;
  const questionnaire = useMemo((): Questionnaire => {
    const drop = askPregnancy ? [] : [SCREENING_LINK_IDS.pregnant];
    return {
      ...SCREENING_QUESTIONNAIRE,
      item: withoutItems(SCREENING_QUESTIONNAIRE.item ?? [], drop),
    };
  }, [askPregnancy]);
  const durationOption = durationCodings().find((c) => c.code === duration?.duration);
  const initialAnswers: FormAnswers =
    durationOption === undefined
      ? {}
      : { [SCREENING_LINK_IDS.duration]: { kind: 'coding', coding: durationOption } };
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
      questionnaire={questionnaire}
      label="CLBP screening"
      onCancel={onCancel}
      focusOnOpen={focusOnOpen}
      noun="screening"
      save={save}
      now={now}
      notReady={(draft) => {
        const missing = missingRequired(questionnaire, draft.answers).length;
        return missing === 0 ? undefined : `${missing} required question(s) still to answer.`;
      }}
      initialAnswers={initialAnswers}
      noneOfThese={NONE_OF_THESE}
      after={(draft) => ({
        [SCREENING_LINK_IDS.duration]: duration !== undefined &&
          isAnswer(draft.answers[SCREENING_LINK_IDS.duration], duration.duration) && (
            <p className="hint" data-testid="duration-prefill">
              Pre-filled from the problem list: {duration.condition.display}, onset{' '}
              {duration.onset.slice(0, 10)}. Confirm it with the patient, or choose another answer.
            </p>
          ),
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
