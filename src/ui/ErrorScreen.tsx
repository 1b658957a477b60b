import { nextStep, type FhirError } from '../fhir/errors.ts';

const TITLES: Record<FhirError['kind'], string> = {
  'no-launch': 'No patient chart to open',
  'session-expired': 'Your session has ended',
  forbidden: 'The EHR refused access',
  network: 'The EHR could not be reached',
  timeout: 'The EHR did not answer in time',
  conflict: 'A different record was saved first',
  'rate-limited': 'The EHR is busy',
  server: 'The EHR reported an error',
  malformed: 'The EHR sent data the app cannot read',
  aborted: 'The request was cancelled',
  changed: 'The record was changed meanwhile',
  config: 'CLBP Pathway is not configured for this EHR',
};

/** A whole-page error: what happened and what to do, never "see console". */
export function ErrorScreen({ error }: { error: FhirError }) {
  return (
    <main className="error-screen" aria-busy="false" data-error-kind={error.kind}>
      <h1>{TITLES[error.kind]}</h1>
      <p>{error.message}</p>
      <p>
        <strong>What to do:</strong> {nextStep(error.kind)}
      </p>
    </main>
  );
}
