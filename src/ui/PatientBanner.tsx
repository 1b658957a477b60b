import type { Patient } from 'fhir/r4';
import { humanNameText } from '../domain/fhir-primitives/names.ts';
import type { RequestState } from './useSummary.ts';

function patientName(patient: Patient): string {
  return humanNameText(patient.name, 'Unnamed patient');
}

/** Shown only when the EHR asks for it (`need_patient_banner`); otherwise the EHR shows its own. */
export function PatientBanner({ patient }: { patient: RequestState<Patient> }) {
  if (patient.status !== 'ok' && patient.status !== 'refreshing') {
    return (
      <header className="patient-banner" aria-label="Patient">
        {patient.status === 'error' ? 'Patient details could not be loaded.' : 'Loading patient…'}
      </header>
    );
  }
  const p = patient.data;
  return (
    <header className="patient-banner" aria-label="Patient">
      <strong data-testid="patient-name">{patientName(p)}</strong>
      {p.birthDate !== undefined && <span> · born {p.birthDate}</span>}
      {p.gender !== undefined && <span> · {p.gender}</span>}
    </header>
  );
}
