import { useCallback } from 'react';
import {
  PEG_ITEMS,
  PEG_SCORE_LINK_ID,
  pegValueFromAnswerCode,
  scorePeg,
  type PegAnswers,
  type PegItemValues,
} from '../../domain/peg/peg.ts';
import { savePeg, saveRequestedPeg, type SavedPeg } from '../../fhir/pegWrite.ts';
import type { FormAnswers } from '../../fhir/questionnaireAnswers.ts';
import { PEG_QUESTIONNAIRE } from '../../fhir/questionnaires.ts';
import { writeContext, type Session } from '../../fhir/session.ts';
import type { SentDraft } from '../drafts.ts';
import { QuestionnaireDraftForm } from '../questionnaire/QuestionnaireDraftForm.tsx';

/** The form's calculated item: the PEG score as stored (two decimals) once all three are answered. */
export function pegCalculatedItems(answers: FormAnswers): Readonly<Record<string, string>> {
  const score = scorePeg(pegAnswersFrom(answers));
  return { [PEG_SCORE_LINK_ID]: score.kind === 'score' ? score.stored.toFixed(2) : '—' };
}

/** The item values from the form's answers, read by LOINC answer code (never display text). */
function pegAnswersFrom(answers: FormAnswers): PegAnswers {
  const values: PegAnswers = {};
  for (const item of PEG_ITEMS) {
    const answer = answers[item.linkId];
    values[item.key] =
      answer?.kind === 'coding' ? pegValueFromAnswerCode(answer.coding) : undefined;
  }
  return values;
}

/** A PEG the EHR confirmed: its stored score and items (for the confirmation). */
export interface SavedPegScore {
  readonly saved: SavedPeg;
  readonly score: number;
  readonly items: PegItemValues;
}

interface PegFormProps {
  /** The chart's session, or a staff member's for one patient (a PEG taken by phone). */
  readonly session: Pick<Session, 'transport' | 'patientId' | 'fhirUser' | 'encounter'>;
  /** Keeps the draft apart from the chart's own PEG form (default 'peg'). */
  readonly form?: string;
  /** Clock of the caller: when the answers are saved. */
  readonly now: () => Date;
  /** "Record a PEG", or the follow-up it is for ("Month 6 follow-up PEG"). */
  readonly label: string;
  readonly onSaved: (saved: SavedPegScore) => void;
  /** Closes the form, keeping the answers as a draft (also Escape). */
  readonly onCancel: () => void;
  /** Opened by the clinician just now: take keyboard focus. */
  readonly focusOnOpen: boolean;
  /** The PEG request Task these answers complete (the patient's own check-in), by id. */
  readonly requestId?: string | undefined;
  /** What the save button names ("Save PEG"; the patient's page: "Save answers"). */
  readonly noun?: string | undefined;
}

export function PegForm(props: PegFormProps) {
  const {
    session,
    now,
    label,
    onSaved,
    onCancel,
    focusOnOpen,
    form = 'peg',
    requestId,
    noun = 'PEG',
  } = props;
  const save = useCallback(
    async (draft: SentDraft) => {
      const score = scorePeg(pegAnswersFrom(draft.answers));
      if (score.kind !== 'score') {
        throw new Error('All three PEG items must be answered before saving.');
      }
      const submission = {
        submissionId: draft.submissionId,
        context: writeContext(session),
        authored: draft.sentAt,
        answers: draft.answers,
        items: score.items,
        score: score.stored,
      };
      const saved =
        requestId === undefined
          ? await savePeg(session.transport, submission, PEG_QUESTIONNAIRE)
          : await saveRequestedPeg(session.transport, submission, PEG_QUESTIONNAIRE, requestId);
      const result = { saved, score: score.stored, items: score.items };
      onSaved(result);
      return result;
    },
    [session, onSaved, requestId],
  );
  return (
    <QuestionnaireDraftForm
      form={form}
      patientId={session.patientId}
      questionnaire={PEG_QUESTIONNAIRE}
      label={label}
      onCancel={onCancel}
      focusOnOpen={focusOnOpen}
      noun={noun}
      save={save}
      now={now}
      notReady={(draft) =>
        scorePeg(pegAnswersFrom(draft.answers)).kind === 'score'
          ? undefined
          : 'Answer all three questions to save.'
      }
      calculated={(draft) => pegCalculatedItems(draft.answers)}
      saved={(result) => (
        <p role="status" data-testid="peg-saved">
          PEG saved: score {result.score.toFixed(2)}.
        </p>
      )}
    />
  );
}
