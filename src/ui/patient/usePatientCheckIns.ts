import { useCallback, useEffect, useMemo, useState } from 'react';
import { patientCheckInsView, type PatientCheckInsView } from '../../domain/pathway/checkIns.ts';
import { loadCheckIns, type CheckInsData } from '../../fhir/checkInsLoad.ts';
import { normalizeError, type FhirError } from '../../fhir/errors.ts';
import type { Session } from '../../fhir/session.ts';

type CheckInsState =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: FhirError }
  | {
      readonly status: 'ok';
      readonly data: CheckInsData;
      readonly view: PatientCheckInsView;
    };

/** The patient's check-ins and history, read at once and again on `reload` (after a save). */
export function usePatientCheckIns(session: Session, asOf: Date) {
  const [read, setRead] = useState<
    | { status: 'loading' }
    | { status: 'error'; error: FhirError }
    | { status: 'ok'; data: CheckInsData }
  >({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    loadCheckIns(session.transport, session.patientId, session.grantedScope).then(
      (data) => {
        if (live) {
          setRead({ status: 'ok', data });
        }
      },
      (error: unknown) => {
        if (live) {
          setRead({ status: 'error', error: normalizeError(error) });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [session, round]);
  const reload = useCallback(() => {
    setRound((r) => r + 1);
  }, []);
  const state = useMemo((): CheckInsState => {
    return read.status === 'ok'
      ? { status: 'ok', data: read.data, view: patientCheckInsView(read.data, asOf) }
      : read;
  }, [read, asOf]);
  return { state, reload };
}
