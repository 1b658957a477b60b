import { useEffect, useState } from 'react';
import { normalizeError } from '../fhir/errors.ts';
import { ensureQuestionnaires, type PublicationStatus } from '../fhir/questionnairePublish.ts';
import type { Session } from '../fhir/session.ts';

type State = { kind: 'checking' } | PublicationStatus | { kind: 'failed'; message: string };

function text(state: State): string {
  switch (state.kind) {
    case 'checking':
      return 'Checking that the EHR has the form definitions…';
    case 'on-ehr':
      return 'Form definitions (PEG, CLBP screening): on the EHR.';
    case 'created':
      return `Form definitions loaded onto the EHR now: ${state.created.join(', ')}.`;
    case 'not-on-ehr':
      return `Form definitions not on the EHR: ${state.missing.join(', ')}. Saved answers name them by these canonical URLs; your EHR team can load them (README, "for the EHR team").`;
    case 'failed':
      return `Form definitions could not be checked: ${state.message}`;
  }
}

/**
 * Makes sure the EHR can resolve what the app's QuestionnaireResponses answer (once per launch, in
 * the background: nothing waits for it) and says where the definitions stand. It starts once the
 * summary has loaded (`start`), so it never competes with the chart's own requests.
 */
export function QuestionnaireStatus({
  session,
  start,
}: {
  readonly session: Session;
  readonly start: boolean;
}) {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [started, setStarted] = useState(false);
  if (start && !started) {
    setStarted(true);
  }
  useEffect(() => {
    if (!started) {
      return;
    }
    let live = true;
    ensureQuestionnaires(session.transport, session.grantedScope).then(
      (status) => {
        if (live) {
          setState(status);
        }
      },
      (error: unknown) => {
        if (live) {
          setState({ kind: 'failed', message: normalizeError(error).message });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [session, started]);
  return (
    <p className="chart-note" data-testid="questionnaire-status" data-kind={state.kind}>
      {text(state)}
    </p>
  );
}
