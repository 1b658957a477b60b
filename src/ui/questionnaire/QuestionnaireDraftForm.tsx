import type { Questionnaire } from 'fhir/r4';
import type { ReactNode } from 'react';
import type { Draft, SentDraft } from '../drafts.ts';
import { DraftStatus } from '../DraftStatus.tsx';
import { useDraftSave } from '../useDraftSave.ts';
import { QuestionnaireForm } from './QuestionnaireForm.tsx';

interface QuestionnaireDraftFormProps<R> {
  /** Draft storage key and element id prefix, e.g. 'peg'. */
  readonly form: string;
  readonly patientId: string;
  readonly questionnaire: Questionnaire;
  /** Accessible name of the form. */
  readonly label: string;
  /** "PEG" or "screening": the button says "Save PEG", "Retry saving the PEG". */
  readonly noun: string;
  readonly save: (draft: SentDraft) => Promise<R>;
  readonly now: () => Date;
  /** Why the answers cannot be saved yet (undefined when they can). */
  readonly notReady: (draft: Draft) => string | undefined;
  readonly calculated?: (draft: Draft) => Readonly<Record<string, string>>;
  /** Content shown right after an item (by linkId), from the answers so far. */
  readonly after?: (draft: Draft) => Readonly<Record<string, ReactNode>>;
  readonly saved: (result: R) => ReactNode;
}

/**
 * A form rendered from a Questionnaire whose answers are a draft until the EHR confirms them:
 * the save, its retry, the lock once sent and the failure message are the same for every form.
 */
export function QuestionnaireDraftForm<R>(props: QuestionnaireDraftFormProps<R>) {
  const { form, questionnaire, noun } = props;
  const { draft, state, answer, submit, discard, locked } = useDraftSave(
    form,
    props.patientId,
    props.save,
    props.now,
  );
  const saving = state.status === 'saving';
  const notReady = props.notReady(draft);
  return (
    <form
      className={`${form}-form`}
      aria-label={props.label}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <QuestionnaireForm
        idPrefix={form}
        items={questionnaire.item ?? []}
        answers={draft.answers}
        onAnswer={answer}
        {...(props.calculated ? { calculated: props.calculated(draft) } : {})}
        {...(props.after ? { after: props.after(draft) } : {})}
        disabled={saving || locked}
      />
      {notReady !== undefined && <p className="hint">{notReady}</p>}
      <button type="submit" disabled={notReady !== undefined || saving}>
        {saving ? 'Saving…' : locked ? `Retry saving the ${noun}` : `Save ${noun}`}
      </button>
      <DraftStatus
        state={state}
        locked={locked}
        onDiscard={discard}
        what="Your answers"
        testId={`${form}-save-error`}
      />
      {state.status === 'saved' && props.saved(state.result)}
    </form>
  );
}
