import { useCallback, useRef, useState } from 'react';
import type { NextAction } from '../domain/pathway/state.ts';
import type { SummaryKey } from '../fhir/summary.ts';
import { CHART_PART_KEYS } from '../fhir/pathwayChart.ts';
import { loadDraft } from './drafts.ts';

/** The forms the first screen's next action can open. */
export type FormId = 'screening' | 'peg';

export interface Forms {
  readonly open: Readonly<Record<FormId, boolean>>;
  /** The form the clinician just opened: it takes keyboard focus once it has rendered. */
  readonly focus: FormId | undefined;
  readonly setOpen: (form: FormId, open: boolean) => void;
  /**
   * The ref of the button that opens `form`: once the form has closed (Close, Escape or a save),
   * the button takes keyboard focus back, as a dialog's opener does; otherwise focus would fall to
   * the page and a keyboard or screen reader user would lose their place.
   */
  readonly opener: (form: FormId) => (button: HTMLButtonElement | null) => void;
  /** Runs the first screen's next action: opens its form, or moves to its section. */
  readonly act: (action: NextAction) => void;
}

/** Moves to a section and gives it focus (its heading), so a keyboard user lands there too. */
function goTo(section: string): void {
  const element = document.getElementById(section);
  element?.scrollIntoView({ block: 'start' });
  document.getElementById(`${section}-heading`)?.focus();
}

/**
 * Which forms are open (a form with a draft in this tab opens again after a reload) and what the
 * first screen's next action does.
 */
export function useForms(patientId: string, reload: (keys: readonly SummaryKey[]) => void): Forms {
  const [open, setOpenState] = useState<Record<FormId, boolean>>(() => ({
    screening: loadDraft('screening', patientId) !== undefined,
    peg: loadDraft('peg', patientId) !== undefined,
  }));
  const [focus, setFocus] = useState<FormId>();
  // The form just closed whose opener has not taken focus back yet (once, on its first render).
  const returnFocus = useRef<FormId>(undefined);
  const setOpen = useCallback((form: FormId, value: boolean) => {
    setOpenState((current) => ({ ...current, [form]: value }));
    setFocus(value ? form : undefined);
    returnFocus.current = value ? undefined : form;
  }, []);
  const opener = useCallback(
    (form: FormId) => (button: HTMLButtonElement | null) => {
      if (button !== null && returnFocus.current === form) {
        returnFocus.current = undefined;
        button.focus();
      }
    },
    [],
  );
  const act = useCallback(
    (action: NextAction) => {
      switch (action.kind) {
        case 'screen':
          setOpen('screening', true);
          return;
        case 'record-peg':
        case 'record-follow-up-peg':
          setOpen('peg', true);
          return;
        case 'evaluate':
          goTo('screening');
          return;
        case 'refer':
          goTo('screening');
          document.getElementById('referral-note')?.focus();
          return;
        case 'load':
          reload(action.missing.flatMap((part) => CHART_PART_KEYS[part]));
          return;
        case 'wait-for-programme':
        case 'none':
          return;
      }
    },
    [setOpen, reload],
  );
  return { open, focus, setOpen, opener, act };
}
