import { useEffect, useMemo, useState } from 'react';
import { loadDraft } from './drafts.ts';
import type { Session } from '../fhir/session.ts';
import type { FeatureId } from '../fhir/scopes.ts';
import { enabledRequests, type SummaryKey } from '../fhir/summary.ts';
import { sectionAccess } from './access.ts';
import { PatientBanner } from './PatientBanner.tsx';
import { SectionFrame } from './SectionFrame.tsx';
import { OpioidSection } from './sections/OpioidSection.tsx';
import { PegSection } from './sections/PegSection.tsx';
import { ReferralSection } from './sections/ReferralSection.tsx';
import { ScreeningSection } from './sections/ScreeningSection.tsx';
import { applySmartStyle } from './smartStyle.ts';
import { useSummary } from './useSummary.ts';
import { useFollowUp, usePegRecords } from './sections/pegRecords.ts';

export interface AppProps {
  readonly session: Session;
  /** The day the summary is computed for (the clinic's today). */
  readonly asOf: Date;
  /** `Organization/<id>` of the group-visit programme (config.json). */
  readonly programme: string;
}

export function App({ session, asOf, programme }: AppProps) {
  const enabled = useMemo(() => enabledRequests(session.grantedScope), [session.grantedScope]);
  const access = useMemo(() => sectionAccess(session.grantedScope), [session.grantedScope]);
  const { state, retry } = useSummary(session, enabled);
  const busy = Object.values(state).some(
    (s) => s.status === 'loading' || s.status === 'refreshing',
  );
  const [pegFormOpen, setPegFormOpen] = useState(
    () => loadDraft('peg', session.patientId) !== undefined,
  );
  const recordPeg = () => {
    setPegFormOpen(true);
    document.getElementById('peg')?.scrollIntoView();
  };

  useEffect(() => {
    if (session.smartStyleUrl !== undefined) {
      void applySmartStyle(session.smartStyleUrl);
    }
  }, [session.smartStyleUrl]);

  const off = Object.entries(access).filter(([, a]) => a.missingRead.length > 0);
  const frame = { state, retry };
  const reload = (keys: readonly SummaryKey[]) => {
    keys.forEach(retry);
  };
  const peg = usePegRecords(state);
  const followUp = useFollowUp(state, peg, asOf);
  const section = (id: FeatureId) => ({
    peg,
    followUp,
    state,
    asOf,
    session,
    reload,
    missingWrite: access[id].missingWrite,
  });
  return (
    <>
      {session.needPatientBanner && <PatientBanner patient={state.patient} />}
      <main aria-busy={busy} aria-labelledby="app-title">
        <h1 id="app-title">CLBP Pathway</h1>
        {off.length > 0 && (
          <p className="notice" role="status" data-testid="narrowed-grant">
            The EHR granted fewer permissions than CLBP Pathway asks for. Off:{' '}
            {off.map(([id, a]) => `${id} (needs ${a.missingRead.join(', ')})`).join('; ')}.
          </p>
        )}
        <SectionFrame
          id="screening"
          title="Screening and eligibility"
          needs={[
            'patient',
            'conditions',
            'questionnaireResponses',
            'pegObservations',
            'pegQuestionnaires',
            'referrals',
          ]}
          missingScopes={access.screening.missingRead}
          {...frame}
        >
          {() => <ScreeningSection {...section('screening')} programme={programme} />}
        </SectionFrame>
        <SectionFrame
          id="peg"
          title="PEG"
          needs={['pegObservations', 'questionnaireResponses', 'pegQuestionnaires']}
          missingScopes={access.peg.missingRead}
          {...frame}
        >
          {() => (
            <PegSection {...section('peg')} formOpen={pegFormOpen} setFormOpen={setPegFormOpen} />
          )}
        </SectionFrame>
        <SectionFrame
          id="opioids"
          title="Opioids (MME)"
          needs={['medicationStatements', 'medicationRequests']}
          missingScopes={access.opioids.missingRead}
          {...frame}
        >
          {() => <OpioidSection {...section('opioids')} />}
        </SectionFrame>
        <SectionFrame
          id="referral"
          title="Referral"
          needs={['referrals', 'pegObservations', 'questionnaireResponses', 'pegQuestionnaires']}
          missingScopes={access.referral.missingRead}
          {...frame}
        >
          {() => <ReferralSection {...section('referral')} onRecordPeg={recordPeg} />}
        </SectionFrame>
      </main>
    </>
  );
}
