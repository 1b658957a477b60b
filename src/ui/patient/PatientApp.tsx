/**
 * The patient's own page (a patient signed in as themselves, from a portal or a standalone
 * launch): the follow-up check-ins asked of them now, the PEG form for each, and their own PEG
 * history. Mobile first, plain words, nothing clinical beyond that (no MME, no eligibility).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckIn } from '../../domain/pathway/checkIns.ts';
import { nextStep } from '../../fhir/errors.ts';
import type { Session } from '../../fhir/session.ts';
import { PegForm } from '../peg/PegForm.tsx';
import { applySmartStyle } from '../smartStyle.ts';
import { CheckInCard } from './CheckInCard.tsx';
import { PatientHistory } from './PatientHistory.tsx';
import { usePatientCheckIns } from './usePatientCheckIns.ts';
import { longDay } from './words.ts';
import './patient.css';

export interface PatientAppProps {
  readonly session: Session;
  readonly asOf: Date;
}

/** Which check-in's form is open, kept in this tab so a reload reopens it with its draft. */
const openKey = (patientId: string): string => `clbp-pathway:check-in-open:${patientId}`;

export function PatientApp({ session, asOf }: PatientAppProps) {
  const { state, reload } = usePatientCheckIns(session, asOf);
  const [open, setOpen] = useState<string | null>(() =>
    sessionStorage.getItem(openKey(session.patientId)),
  );
  const [focusForm, setFocusForm] = useState(false);
  const [thanks, setThanks] = useState({ text: '', n: 0 });
  const thanksRef = useRef<HTMLParagraphElement>(null);
  // The check-in whose form was closed unsaved: its button takes focus back once it is shown.
  const returnFocus = useRef<string | null>(null);
  const opener = useCallback(
    (key: string) => (button: HTMLButtonElement | null) => {
      if (button !== null && returnFocus.current === key) {
        returnFocus.current = null;
        button.focus();
      }
    },
    [],
  );

  useEffect(() => {
    if (session.smartStyleUrl !== undefined) {
      void applySmartStyle(session.smartStyleUrl);
    }
  }, [session.smartStyleUrl]);
  useEffect(() => {
    if (thanks.n > 0) {
      thanksRef.current?.focus();
    }
  }, [thanks]);

  const choose = useCallback(
    (checkIn: CheckIn | undefined) => {
      if (checkIn === undefined) {
        sessionStorage.removeItem(openKey(session.patientId));
        setOpen(null);
        return;
      }
      sessionStorage.setItem(openKey(session.patientId), checkIn.key);
      setOpen(checkIn.key);
      setFocusForm(true);
      setThanks((t) => ({ text: '', n: t.n }));
    },
    [session.patientId],
  );

  const view = state.status === 'ok' ? state.view : undefined;
  const current = view?.checkIns.due.find((c) => c.key === open);
  const onSaved = useCallback(() => {
    const title = current?.title ?? 'check-in';
    choose(undefined);
    setThanks((t) => ({
      text: `Thank you. Your ${title} answers were sent to your care team.`,
      n: t.n + 1,
    }));
    reload();
  }, [choose, current, reload]);
  const given = view === undefined ? undefined : firstName(state);

  return (
    <main className="patient-mode" aria-busy={state.status === 'loading'}>
      <header>
        <h1>Your back pain check-ins</h1>
        {given !== undefined && <p className="greeting">Hello, {given}.</p>}
      </header>
      <p role="status" tabIndex={-1} ref={thanksRef} className="thanks" data-testid="thanks">
        {thanks.text}
      </p>
      {state.status === 'loading' && <p>Loading your check-ins…</p>}
      {state.status === 'error' && (
        <div role="alert" className="request-error" data-testid="check-ins-error">
          <p>Your check-ins could not be loaded. {state.error.message}</p>
          <p>
            {nextStep(state.error.kind)}{' '}
            <button type="button" onClick={reload}>
              Try again
            </button>
          </p>
        </div>
      )}
      {view !== undefined && current !== undefined && (
        <section aria-label={current.title} className="check-in-form">
          <PegForm
            session={session}
            now={() => new Date()}
            label={current.title}
            onSaved={onSaved}
            onCancel={() => {
              returnFocus.current = current.key;
              choose(undefined);
            }}
            focusOnOpen={focusForm}
            requestId={current.request?.task.id}
            noun="answers"
          />
        </section>
      )}
      {view !== undefined && current === undefined && (
        <>
          <section aria-labelledby="due-heading">
            <h2 id="due-heading">Due now</h2>
            {view.checkIns.due.length === 0 ? (
              <p data-testid="nothing-due">
                Nothing is due now.
                {view.checkIns.next !== undefined &&
                  ` Your next check-in (${view.checkIns.next.title}) opens on ${longDay(view.checkIns.next.opens)}.`}
              </p>
            ) : (
              <ul className="check-ins" data-testid="check-ins">
                {view.checkIns.due.map((checkIn) => (
                  <CheckInCard
                    key={checkIn.key}
                    checkIn={checkIn}
                    onStart={choose}
                    buttonRef={opener(checkIn.key)}
                  />
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="history-heading">
            <h2 id="history-heading">Your answers so far</h2>
            <PatientHistory history={view.history} />
          </section>
        </>
      )}
    </main>
  );
}

function firstName(state: ReturnType<typeof usePatientCheckIns>['state']): string | undefined {
  if (state.status !== 'ok') {
    return undefined;
  }
  const name = state.data.patient?.name?.[0];
  return name?.given?.[0] ?? name?.text;
}
