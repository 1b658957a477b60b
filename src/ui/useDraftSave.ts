import { formatISO } from 'date-fns/formatISO';
import { useCallback, useRef, useState } from 'react';
import { normalizeError, type FhirError } from '../fhir/errors.ts';
import type { FormAnswer, FormAnswers } from '../fhir/questionnaireAnswers.ts';
import {
  clearDraft,
  loadDraft,
  newDraft,
  sending,
  storeDraft,
  unsent,
  type Draft,
  type SentDraft,
} from './drafts.ts';

export type SaveState<R> =
  | { readonly status: 'editing' }
  | { readonly status: 'saving' }
  | { readonly status: 'saved'; readonly result: R }
  | { readonly status: 'failed'; readonly error: FhirError };

/**
 * A form's draft (restored from this tab's storage) and its save: the draft is written on every
 * change and cleared only when the EHR confirms; a save in flight cannot be started twice.
 */
export function useDraftSave<R>(
  form: string,
  patientId: string,
  save: (draft: SentDraft) => Promise<R>,
  now: () => Date,
  initialAnswers: FormAnswers = {},
) {
  const [draft, setDraft] = useState<Draft>(
    () => loadDraft(form, patientId) ?? { ...newDraft(), answers: initialAnswers },
  );
  const [state, setState] = useState<SaveState<R>>({ status: 'editing' });
  const inFlight = useRef(false);

  const update = useCallback(
    (change: (d: Draft) => Draft) => {
      setDraft((current) => {
        if (current.sentAt !== undefined) {
          // Sent once: the EHR may hold these answers already, so they stay as sent.
          return current;
        }
        const next = change(current);
        storeDraft(form, patientId, next);
        return next;
      });
      setState((s) => (s.status === 'saved' ? { status: 'editing' } : s));
    },
    [form, patientId],
  );

  const answer = useCallback(
    (linkId: string, value: FormAnswer) => {
      update((d) => ({ ...d, answers: { ...d.answers, [linkId]: value } }));
    },
    [update],
  );

  const setExtra = useCallback(
    (name: string, value: string) => {
      update((d) => ({ ...d, extra: { ...d.extra, [name]: value } }));
    },
    [update],
  );

  const submit = useCallback(async () => {
    if (inFlight.current) {
      return;
    }
    inFlight.current = true;
    setState({ status: 'saving' });
    const sent = sending(draft, formatISO(now()));
    storeDraft(form, patientId, sent);
    setDraft(sent);
    try {
      const result = await save(sent);
      clearDraft(form, patientId);
      setDraft(newDraft());
      setState({ status: 'saved', result });
    } catch (error) {
      const failure = normalizeError(error);
      if (failure.kind === 'conflict') {
        // The EHR holds other answers under this submission: these were not saved, so they are
        // editable again and a new save gets a new submission.
        const again = unsent(sent);
        storeDraft(form, patientId, again);
        setDraft(again);
      }
      setState({ status: 'failed', error: failure });
    } finally {
      inFlight.current = false;
    }
  }, [draft, form, patientId, save, now]);

  /** Drops the answers (sent or not) and starts a new, empty record. */
  const discard = useCallback(() => {
    clearDraft(form, patientId);
    setDraft(newDraft());
    setState({ status: 'editing' });
  }, [form, patientId]);

  return { draft, state, answer, setExtra, submit, discard, locked: draft.sentAt !== undefined };
}
