import type { Questionnaire } from 'fhir/r4';
import { useEffect, useRef, type ReactNode } from 'react';
import type { FormAnswers } from '../../fhir/questionnaireAnswers.ts';
import type { Draft, SentDraft } from '../drafts.ts';
import { DraftStatus } from '../DraftStatus.tsx';
import { useDraftSave } from '../useDraftSave.ts';
import { useEscapeToClose } from '../useEscapeToClose.ts';
import { QuestionnaireForm } from './QuestionnaireForm.tsx';

interface QuestionnaireDraftFormProps<R> {
  /** Draft storage key and element id prefix, e.g. 'peg'. */
  readonly form: string;
  readonly patientId: string;
  readonly questionnaire: Questionnaire;
  /** The form's heading and accessible name ("Record a PEG", "Month 6 follow-up PEG"). */
  readonly label: string;
  /** Closes the form; the answers stay a draft in this tab (Escape does the same). */
  readonly onCancel?: (() => void) | undefined;
  /** Takes keyboard focus when it opens (opened by the clinician, not restored by a reload). */
  readonly focusOnOpen?: boolean | undefined;
  /** "PEG" or "screening": the button says "Save PEG", "Retry saving the PEG". */
  readonly noun: string;
  readonly save: (draft: SentDraft) => Promise<R>;
  readonly now: () => Date;
  /** Why the answers cannot be saved yet (undefined when they can). */
  readonly notReady: (draft: Draft) => string | undefined;
  readonly calculated?: (draft: Draft) => Readonly<Record<string, string>>;
  /** Groups offering one "none of these" answer (QuestionnaireForm), with the button text. */
  readonly noneOfThese?: Readonly<Record<string, string>>;
  /** Answers a new draft starts with (chart pre-fills the clinician confirms or changes). */
  readonly initialAnswers?: FormAnswers | undefined;
  /** Content shown right after an item (by linkId), from the answers so far. */
  readonly after?: (draft: Draft) => Readonly<Record<string, ReactNode>>;
  readonly saved: (result: R) => ReactNode;
}

/**
 * A form rendered from a Questionnaire whose answers are a draft until the EHR confirms them:
 * the save, its retry, the lock once sent and the failure message are the same for every form.
 */
export function QuestionnaireDraftForm<R>(props: QuestionnaireDraftFormProps<R>) {
  const { form, questionnaire, noun, focusOnOpen, onCancel } = props;
  const { draft, state, answer, submit, discard, locked } = useDraftSave(
    form,
    props.patientId,
    props.save,
    props.now,
    props.initialAnswers,
  );
  const saving = state.status === 'saving';
  const notReady = props.notReady(draft);
  const heading = useRef<HTMLHeadingElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEscapeToClose(formRef, onCancel, saving);
  useEffect(() => {
    if (focusOnOpen === true) {
      heading.current?.scrollIntoView({ block: 'start' });
      heading.current?.focus();
    }
  }, [focusOnOpen]);
  return (
    <form
      ref={formRef}
      className={`${form}-form`}
      aria-label={props.label}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${form}-form-title`} ref={heading} tabIndex={-1}>
        {props.label}
      </h3>
      <p className="hint">
        Questions marked <span aria-hidden="true">*</span>
        <span className="visually-hidden">with an asterisk</span> are required.
        {onCancel !== undefined && ' Escape closes the form and keeps your answers as a draft.'}
      </p>
      <QuestionnaireForm
        idPrefix={form}
        items={questionnaire.item ?? []}
        answers={draft.answers}
        onAnswer={answer}
        {...(props.calculated ? { calculated: props.calculated(draft) } : {})}
        {...(props.after ? { after: props.after(draft) } : {})}
        {...(props.noneOfThese ? { noneOfThese: props.noneOfThese } : {})}
        disabled={saving || locked}
      />
      {notReady !== undefined && <p className="hint">{notReady}</p>}
      <div className="form-actions">
        <button type="submit" disabled={notReady !== undefined || saving}>
          {saving ? 'Saving…' : locked ? `Retry saving the ${noun}` : `Save ${noun}`}
        </button>
        {onCancel !== undefined && (
          <button type="button" className="secondary" onClick={onCancel} disabled={saving}>
            Close (keep the draft)
          </button>
        )}
      </div>
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
