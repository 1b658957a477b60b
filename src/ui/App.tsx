import { useCallback, useEffect, useMemo, useState } from 'react';
import type { OpioidSection as OpioidSectionType } from './sections/OpioidSection.tsx';
import type { EligibilityConfig } from '../domain/screening/eligibilityConfig.ts';
import { isPatientUser, type Session } from '../fhir/session.ts';
import { missingWrites, type FeatureId } from '../fhir/scopes.ts';
import { OPIOID_SOURCES, SUMMARY_KEYS, enabledRequests, type SummaryKey } from '../fhir/summary.ts';
import { PatientBanner } from './PatientBanner.tsx';
import { PathwayStatus } from './PathwayStatus.tsx';
import { QuestionnaireStatus } from './QuestionnaireStatus.tsx';
import { SectionFrame, readScopeOf } from './SectionFrame.tsx';
import { PegSection } from './sections/PegSection.tsx';
import { ReferralSection } from './sections/ReferralSection.tsx';
import { ScreeningSection } from './sections/ScreeningSection.tsx';
import { applySmartStyle } from './smartStyle.ts';
import { historyLoading, olderLoading, useSummary } from './useSummary.ts';
import { useOpioidView, useOpioidViewInput } from './opioids/useOpioidView.ts';
import { usePathway } from './usePathway.ts';
import { useForms } from './useForms.ts';

// The opioid section carries the MME engine and its RxNorm table, the largest part of the app: it
// is its own chunk, fetched as soon as the app starts (alongside the launch and the data
// requests), so the initial JavaScript stays within its budget without a later wait.
const opioidModule = import('./sections/OpioidSection.tsx');

/**
 * The opioid section's component once its chunk has arrived. Rendered in the same render that
 * clears the page's busy state, so `aria-busy="false"` still means every section is on screen.
 */
function useOpioidSection(): typeof OpioidSectionType | undefined {
  const [section, setSection] = useState<typeof OpioidSectionType>();
  useEffect(() => {
    let live = true;
    void opioidModule.then((m) => {
      if (live) {
        setSection(() => m.OpioidSection);
      }
    });
    return () => {
      live = false;
    };
  }, []);
  return section;
}

export interface AppProps {
  readonly session: Session;
  /** The day the summary is computed for (the clinic's today). */
  readonly asOf: Date;
  /** `Organization/<id>` of the group-visit programme (config.json). */
  readonly programme: string;
  /** The clinic's eligibility thresholds (config.json, defaults in the domain). */
  readonly eligibility: EligibilityConfig;
}

export function App({ session, asOf, programme, eligibility }: AppProps) {
  const enabled = useMemo(() => enabledRequests(session.grantedScope), [session.grantedScope]);
  const access = useMemo(() => missingWrites(session.grantedScope), [session.grantedScope]);
  const { state, retry } = useSummary(session, enabled);
  const OpioidSection = useOpioidSection();
  const opioidInput = useOpioidViewInput(state, asOf);
  const opioids = useOpioidView(opioidInput);
  // Busy until every section shows what it is for: older PEGs may load after, the opioid totals
  // wait for every medication record.
  const busy =
    OpioidSection === undefined ||
    (opioidInput !== undefined && opioids === undefined) ||
    Object.values(state).some((s) => s.status === 'loading' || s.status === 'refreshing') ||
    OPIOID_SOURCES.some((k) => olderLoading(state[k]));

  useEffect(() => {
    if (session.smartStyleUrl !== undefined) {
      void applySmartStyle(session.smartStyleUrl);
    }
  }, [session.smartStyleUrl]);

  const notGranted = SUMMARY_KEYS.filter((k) => state[k].status === 'off').map(readScopeOf);
  const cannotSave = [...new Set(Object.values(access).flat())];
  const frame = { state, retry };
  const reload = useCallback(
    (keys: readonly SummaryKey[]) => {
      keys.forEach(retry);
    },
    [retry],
  );
  const forms = useForms(session.patientId, reload);
  const readOnly = isPatientUser(session.fhirUser);
  const pathway = usePathway(state, session.grantedScope, asOf, eligibility, opioids?.overview);
  const section = (id: FeatureId) => ({
    pathway,
    state,
    asOf,
    session,
    reload,
    missingWrite: access[id],
    readOnly,
  });
  return (
    <>
      {session.needPatientBanner && <PatientBanner patient={state.patient} />}
      <main
        aria-busy={busy}
        aria-labelledby="app-title"
        data-history={historyLoading(state) ? 'loading' : 'complete'}
      >
        <h1 id="app-title">CLBP Pathway</h1>
        <PathwayStatus
          pathway={pathway}
          loading={busy}
          onAction={readOnly ? undefined : forms.act}
        />
        {readOnly && (
          <p className="notice" role="status" data-testid="read-only">
            Read-only view: you are signed in as the patient or on the patient&apos;s behalf.
            Screening, PEGs and referrals are recorded by the care team.
          </p>
        )}
        {(notGranted.length > 0 || (cannotSave.length > 0 && !readOnly)) && (
          <p className="notice" role="status" data-testid="narrowed-grant">
            The EHR granted fewer permissions than CLBP Pathway asks for.
            {notGranted.length > 0 && ` Not read: ${notGranted.join(', ')}.`}
            {cannotSave.length > 0 && ` Cannot save: ${cannotSave.join(', ')}.`} The sections below
            say what each one could not do.
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
            'referrals',
          ]}
          uses={['pegQuestionnaires']}
          {...frame}
        >
          {() => (
            <ScreeningSection
              {...section('screening')}
              programme={programme}
              eligibility={eligibility}
              forms={forms}
              referralMissing={access.referral}
            />
          )}
        </SectionFrame>
        <SectionFrame
          id="peg"
          title="PEG"
          needs={[]}
          needsOneOf={['pegObservations', 'questionnaireResponses']}
          uses={['pegQuestionnaires', 'referrals']}
          {...frame}
        >
          {() => <PegSection {...section('peg')} forms={forms} />}
        </SectionFrame>
        <SectionFrame
          id="opioids"
          title="Opioids (MME)"
          needs={[]}
          needsOneOf={OPIOID_SOURCES}
          whole={OPIOID_SOURCES}
          uses={['conditions']}
          {...frame}
        >
          {() =>
            OpioidSection === undefined || opioids === undefined ? (
              <p className="loading">Computing the doses…</p>
            ) : (
              <OpioidSection {...section('opioids')} view={opioids.view} />
            )
          }
        </SectionFrame>
        <SectionFrame
          id="referral"
          title="Referral"
          needs={['referrals']}
          uses={['pegObservations', 'questionnaireResponses', 'pegQuestionnaires']}
          {...frame}
        >
          {() => <ReferralSection {...section('referral')} onAction={forms.act} />}
        </SectionFrame>
        <QuestionnaireStatus session={session} start={!busy} />
      </main>
    </>
  );
}
