import { useCallback, useMemo } from 'react';
import { PEG_ITEMS, pegValueFromAnswerCode, scorePeg, type PegAnswers } from '../../domain/peg.ts';
import { savePeg, type SavedPeg } from '../../fhir/pegWrite.ts';
import type { FormAnswers } from '../../fhir/questionnaireAnswers.ts';
import { PEG_QUESTIONNAIRE } from '../../fhir/questionnaires.ts';
import type { Session } from '../../fhir/session.ts';
import type { Draft } from '../drafts.ts';
import { DraftStatus } from '../DraftStatus.tsx';
import { QuestionnaireForm } from '../questionnaire/QuestionnaireForm.tsx';
import { useDraftSave } from '../useDraftSave.ts';

/** The item values from the form's answers, read by LOINC answer code (never display text). */
export function pegAnswersFrom(answers: FormAnswers): PegAnswers {
  const values: PegAnswers = {};
  for (const item of PEG_ITEMS) {
    const answer = answers[item.linkId];
    values[item.key] =
      answer?.kind === 'coding' ? pegValueFromAnswerCode(answer.coding) : undefined;
  }
  return values;
}

interface PegFormProps {
  readonly session: Session;
  /** Clock of the caller: when the answers are saved. */
  readonly now: () => Date;
  readonly onSaved: (saved: SavedPeg) => void;
}

export function PegForm({ session, now, onSaved }: PegFormProps) {
  const save = useCallback(
    async (draft: Draft & { sentAt: string }) => {
      const score = scorePeg(pegAnswersFrom(draft.answers));
      if (score.kind !== 'score') {
        throw new Error('All three PEG items must be answered before saving.');
      }
      const saved = await savePeg(
        session.transport,
        {
          submissionId: draft.submissionId,
          patientId: session.patientId,
          practitioner: session.fhirUser,
          authored: draft.sentAt,
          answers: draft.answers,
          items: score.items,
          score: score.stored,
        },
        PEG_QUESTIONNAIRE,
      );
      onSaved(saved);
      return { saved, score: score.stored };
    },
    [session, onSaved],
  );
  const { draft, state, answer, submit, discard, locked } = useDraftSave(
    'peg',
    session.patientId,
    save,
    now,
  );
  const score = useMemo(() => scorePeg(pegAnswersFrom(draft.answers)), [draft.answers]);
  const saving = state.status === 'saving';
  const live = score.kind === 'score' ? score.stored.toFixed(2) : '—';

  return (
    <form
      className="peg-form"
      aria-label="Record a PEG"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <QuestionnaireForm
        idPrefix="peg"
        items={PEG_QUESTIONNAIRE.item ?? []}
        answers={draft.answers}
        onAnswer={answer}
        calculated={{ 'peg-score': live }}
        disabled={saving || locked}
      />
      <button type="submit" disabled={score.kind !== 'score' || saving}>
        {saving ? 'Saving…' : locked ? 'Retry saving the PEG' : 'Save PEG'}
      </button>
      <DraftStatus
        state={state}
        locked={locked}
        onDiscard={discard}
        what="Your answers"
        testId="peg-save-error"
      />
      {state.status === 'saved' && (
        <p role="status" data-testid="peg-saved">
          PEG saved: score {state.result.score.toFixed(2)}.
        </p>
      )}
    </form>
  );
}
