import { lazy, Suspense, useMemo, useState } from 'react';
import { lowBackPainChart } from '../../domain/screening/chartEvidence.ts';
import {
  evaluateEligibility,
  type EligibilityVerdict,
} from '../../domain/screening/eligibility.ts';
import type { EligibilityConfig } from '../../domain/screening/eligibilityConfig.ts';
import {
  classifyTaskForce,
  readScreeningResponse,
  type ScreeningAnswers,
} from '../../domain/screening/screening.ts';
import { readClearanceResponse } from '../../domain/screening/clearance.ts';
import { loadDraft } from '../drafts.ts';
import { ProblemListConfirm } from '../screening/ProblemListConfirm.tsx';
import { EligibilityFindings, UrgentVerdict } from '../screening/EligibilityFindings.tsx';
import { ReferralForm } from '../screening/ReferralForm.tsx';
import { loaded, type SectionProps } from './sectionProps.ts';

// Shown only when the clinician opens them: loaded then, so the first screen stays small.
const ScreeningForm = lazy(() =>
  import('../screening/ScreeningForm.tsx').then((m) => ({ default: m.ScreeningForm })),
);
const ClearanceForm = lazy(() =>
  import('../screening/ClearanceForm.tsx').then((m) => ({ default: m.ClearanceForm })),
);
const formLoading = <p className="loading">Loading the form…</p>;

const VERDICT_TEXT: Record<EligibilityVerdict, string> = {
  eligible: 'Eligible for the mindfulness group medical visits',
  'not-eligible': 'Not eligible',
  'needs-evaluation': 'Needs evaluation: clinician evaluation needed before any referral',
  'needs-screening': 'Needs screening',
};

export function ScreeningSection(
  props: SectionProps & { readonly programme: string; readonly eligibility: EligibilityConfig },
) {
  const { state, asOf, session, reload, missingWrite, programme, peg } = props;
  const [screeningOpen, setScreeningOpen] = useState(
    () => loadDraft('screening', session.patientId) !== undefined,
  );
  const [clearanceOpen, setClearanceOpen] = useState(
    () => loadDraft('clearance', session.patientId) !== undefined,
  );
  const patient = loaded(state, 'patient');
  const conditions = loaded(state, 'conditions');
  const responses = loaded(state, 'questionnaireResponses');

  const { screenings, clearances } = useMemo(() => {
    const matches = responses?.matches ?? [];
    return {
      screenings: matches
        .map((qr) => readScreeningResponse(qr))
        .flatMap((r) => (r.kind === 'screening' ? [r.answers] : [])),
      clearances: matches
        .map((qr) => readClearanceResponse(qr))
        .flatMap((r) => (r.kind === 'clearance' ? [r.clearance] : [])),
    };
  }, [responses]);
  const screening = useMemo(
    (): ScreeningAnswers | undefined =>
      [...screenings].sort((a, b) => (b.authored ?? '').localeCompare(a.authored ?? ''))[0],
    [screenings],
  );
  const observations = loaded(state, 'pegObservations');

  const standing = props.followUp.active;
  const latestPeg = peg.history.at(-1);
  const result = evaluateEligibility(
    {
      asOf,
      birthDate: patient?.birthDate,
      conditions: conditions?.matches ?? [],
      screenings,
      clearances,
      observations: observations?.matches ?? [],
      latestPeg,
      activeReferral: standing ? { reference: `ServiceRequest/${standing.request.id}` } : undefined,
    },
    props.eligibility,
  );
  const chart = lowBackPainChart(conditions?.matches ?? [], props.eligibility.chronicMonths, asOf);
  const reasonCondition = (chart.chronic[0] ?? chart.lowBackPain[0])?.conditionId;
  const latestObservation =
    latestPeg?.sources.find((s) => s.startsWith('Observation/')) ?? latestPeg?.sources[0];
  const supportingInfo = [screening?.source, latestObservation].filter(
    (s): s is string => s !== undefined,
  );
  const canWrite = missingWrite.length === 0;
  // A screening that meets the Task Force definition, and no chronic low back pain on the problem
  // list: the clinician may confirm it (never added without that).
  const confirmable =
    screening?.source !== undefined &&
    classifyTaskForce(screening.duration, screening.frequency).kind === 'clbp' &&
    chart.chronic.length === 0;
  const pending = result.redFlags.filter((f) => f.status === 'needs-evaluation');
  const clearable = pending.filter((f) => f.clearable);
  const notClearable = pending.filter((f) => !f.clearable);

  return (
    <>
      <p
        className={`verdict verdict-${result.verdict}`}
        data-testid="eligibility-verdict"
        data-verdict={result.verdict}
      >
        <strong>{VERDICT_TEXT[result.verdict]}</strong>
      </p>
      <UrgentVerdict result={result} />
      <EligibilityFindings findings={result.findings} />
      {screening?.authored !== undefined && (
        <p>
          Latest screening: {screening.authored.slice(0, 10)}. Answers count for{' '}
          {props.eligibility.screeningMaxAgeMonths} months (from {result.screeningSince}); the PEG
          for {props.eligibility.pegMaxAgeDays} days.
        </p>
      )}
      {notClearable.length > 0 && (
        <p className="notice" data-testid="not-clearable">
          {notClearable.map((f) => f.label).join('; ')}: cannot be cleared here. A cauda equina sign
          needs the emergency pathway; update the chart after the evaluation.
        </p>
      )}
      {canWrite && clearable.length > 0 && !clearanceOpen && (
        <button
          type="button"
          onClick={() => {
            setClearanceOpen(true);
          }}
        >
          Record a clinician&apos;s evaluation of the red flag{clearable.length > 1 ? 's' : ''}
        </button>
      )}
      {canWrite && clearanceOpen && (
        <Suspense fallback={formLoading}>
          <ClearanceForm
            session={session}
            now={() => new Date()}
            flags={clearable}
            onSaved={() => {
              setClearanceOpen(false);
              reload(['questionnaireResponses']);
            }}
            onCancel={() => {
              setClearanceOpen(false);
            }}
          />
        </Suspense>
      )}
      {confirmable && canWrite && (
        <ProblemListConfirm
          session={session}
          screening={screening.source}
          now={() => new Date()}
          onAdded={() => {
            reload(['conditions']);
          }}
        />
      )}
      {!canWrite ? (
        <p className="notice">
          Screening and referral are off: the EHR did not grant {missingWrite.join(', ')}.
        </p>
      ) : screeningOpen ? (
        <Suspense fallback={formLoading}>
          <ScreeningForm
            session={session}
            now={() => new Date()}
            onSaved={() => {
              setScreeningOpen(false);
              reload(['questionnaireResponses']);
            }}
          />
        </Suspense>
      ) : (
        <button
          type="button"
          onClick={() => {
            setScreeningOpen(true);
          }}
        >
          {screening ? 'Screen again' : 'Screen for chronic low back pain'}
        </button>
      )}
      {result.verdict === 'eligible' && canWrite ? (
        <ReferralForm
          session={session}
          programme={programme}
          now={() => new Date()}
          reason={reasonCondition === undefined ? undefined : `Condition/${reasonCondition}`}
          supportingInfo={supportingInfo}
          onPlaced={() => {
            reload(['referrals']);
          }}
        />
      ) : (
        result.verdict !== 'eligible' && (
          <p className="referral-unavailable" data-testid="referral-unavailable">
            Referral to the group programme is not available:{' '}
            {result.reasons.map((r) => r.message).join(' ')}
          </p>
        )
      )}
    </>
  );
}
