import { lazy, Suspense, useState } from 'react';
import type { Forms } from '../useForms.ts';
import { isFollowedReferral } from '../../domain/pathway/referral.ts';
import { lowBackPainChart } from '../../domain/screening/chartEvidence.ts';
import type { EligibilityVerdict } from '../../domain/screening/eligibility.ts';
import type { EligibilityConfig } from '../../domain/screening/eligibilityConfig.ts';
import { answerContradictions } from '../../domain/screening/contradictions.ts';
import { asksPregnancy, durationFromChart } from '../../domain/screening/prefill.ts';
import { classifyTaskForce } from '../../domain/screening/screening.ts';
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

interface ScreeningSectionProps extends SectionProps {
  readonly programme: string;
  readonly eligibility: EligibilityConfig;
  readonly forms: Forms;
  /** Write scopes the referral lacks (the screening works without them). */
  readonly referralMissing: readonly string[];
}

/** The problem list is written only when a clinician confirms it: its scope is not the form's. */
const isProblemListScope = (scope: string): boolean => scope.startsWith('patient/Condition.');

export function ScreeningSection(props: ScreeningSectionProps) {
  const { state, asOf, session, reload, missingWrite, programme, pathway, forms } = props;
  const screeningOpen = forms.open.screening;
  const [clearanceOpen, setClearanceOpen] = useState(
    () => loadDraft('clearance', session.patientId) !== undefined,
  );
  const { screening, eligibility: result } = pathway;
  const latestPeg = pathway.peg.latest;
  const reasonCondition = result.findings
    .filter((f) => f.criterion === 'chronic-low-back-pain')
    .flatMap((f) => f.evidence)
    .find((e) => e.kind === 'condition')?.conditionId;
  const latestObservation =
    latestPeg?.sources.find((s) => s.startsWith('Observation/')) ?? latestPeg?.sources[0];
  const supportingInfo = [screening?.source, latestObservation].filter(
    (s): s is string => s !== undefined,
  );
  const screeningMissing = missingWrite.filter((scope) => !isProblemListScope(scope));
  const canWrite = !props.readOnly && screeningMissing.length === 0;
  const canRefer = !props.readOnly && props.referralMissing.length === 0;
  // A referred patient is past eligibility: the open referral is not a reason to say "Not eligible".
  const referred = pathway.referrals.some((r) => isFollowedReferral(r.request, r.task));
  const chart = lowBackPainChart(
    loaded(state, 'conditions')?.matches ?? [],
    props.eligibility.chronicMonths,
    asOf,
  );
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
      {referred ? (
        <p className="verdict" data-testid="eligibility-verdict" data-verdict="referred">
          <strong>Referred to the mindfulness group programme</strong> (see Referral).
        </p>
      ) : (
        <p
          className={`verdict verdict-${result.verdict}`}
          data-testid="eligibility-verdict"
          data-verdict={result.verdict}
        >
          <strong>{VERDICT_TEXT[result.verdict]}</strong>
        </p>
      )}
      <UrgentVerdict result={result} />
      {answerContradictions(result.redFlags, screening).map((c) => (
        <p className="notice" data-testid="contradiction" key={c.question}>
          The screening of {c.answered ?? 'an unknown date'} answered &ldquo;No&rdquo; to &ldquo;
          {c.question}&rdquo;, while the chart has: {c.chart} —{' '}
          {[...new Set(c.conditions)].join('; ')}. Check with the patient.
        </p>
      ))}
      <details className="criteria" open={!referred} data-testid="criteria">
        <summary>Eligibility criteria and what they rest on</summary>
        <EligibilityFindings findings={result.findings} />
      </details>
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
      {confirmable && !props.readOnly && !missingWrite.some(isProblemListScope) && (
        <ProblemListConfirm
          session={session}
          screening={screening.source}
          now={() => new Date()}
          onAdded={() => {
            reload(['conditions']);
          }}
        />
      )}
      {props.readOnly ? null : !canWrite ? (
        <p className="notice">
          Screening is off: the EHR did not grant {screeningMissing.join(', ')}.
        </p>
      ) : screeningOpen ? (
        <Suspense fallback={formLoading}>
          <ScreeningForm
            session={session}
            now={() => new Date()}
            focusOnOpen={forms.focus === 'screening'}
            askPregnancy={asksPregnancy(loaded(state, 'patient'), props.eligibility)}
            duration={durationFromChart(
              loaded(state, 'conditions')?.matches ?? [],
              asOf,
              props.eligibility.chronicMonths,
            )}
            onSaved={() => {
              forms.setOpen('screening', false);
              reload(['questionnaireResponses', 'pegObservations']);
            }}
            onCancel={() => {
              forms.setOpen('screening', false);
            }}
          />
        </Suspense>
      ) : (
        <button
          type="button"
          onClick={() => {
            forms.setOpen('screening', true);
          }}
        >
          {screening
            ? 'Screen again'
            : loadDraft('screening', session.patientId) === undefined
              ? 'Screen for chronic low back pain'
              : 'Resume the screening draft'}
        </button>
      )}
      {props.readOnly ? null : result.verdict === 'eligible' && !canRefer ? (
        <p className="notice" data-testid="referral-off">
          Eligible, but referring is off: the EHR did not grant {props.referralMissing.join(', ')}.
        </p>
      ) : result.verdict === 'eligible' ? (
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
        !referred && (
          <p className="referral-unavailable" data-testid="referral-unavailable">
            Referral to the group programme is not available:{' '}
            {result.reasons.map((r) => r.message).join(' ')}
          </p>
        )
      )}
    </>
  );
}
