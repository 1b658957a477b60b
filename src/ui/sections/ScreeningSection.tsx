import { lazy, Suspense, useMemo, useState } from 'react';
import type { Forms } from '../useForms.ts';
import type { EligibilityConfig } from '../../domain/screening/eligibilityConfig.ts';
import { asksPregnancy, durationFromChart } from '../../domain/screening/prefill.ts';
import { loadDraft } from '../drafts.ts';
import { ProblemListConfirm } from '../screening/ProblemListConfirm.tsx';
import { EligibilityFindings, UrgentVerdict } from '../screening/EligibilityFindings.tsx';
import { ReferralForm } from '../screening/ReferralForm.tsx';
import { screeningView, VERDICT_TEXT, type ScreeningView } from '../screening/screeningView.ts';
import { loaded, type SectionProps } from './sectionProps.ts';

// Shown only when the clinician opens them: loaded then, so the first screen stays small.
const ScreeningForm = lazy(() =>
  import('../screening/ScreeningForm.tsx').then((m) => ({ default: m.ScreeningForm })),
);
const ClearanceForm = lazy(() =>
  import('../screening/ClearanceForm.tsx').then((m) => ({ default: m.ClearanceForm })),
);
const formLoading = <p className="loading">Loading the form…</p>;

interface ScreeningSectionProps extends SectionProps {
  readonly programme: string;
  readonly eligibility: EligibilityConfig;
  readonly forms: Forms;
  /** Write scopes the referral lacks (the screening works without them). */
  readonly referralMissing: readonly string[];
}

/** The problem list is written only when a clinician confirms it: its scope is not the form's. */
const isProblemListScope = (scope: string): boolean => scope.startsWith('patient/Condition.');

/** The verdict, what contradicts the chart, and the criteria with their evidence. */
function Verdict({ props, view }: { props: ScreeningSectionProps; view: ScreeningView }) {
  const { eligibility: result, screening } = props.pathway;
  return (
    <>
      {view.referred ? (
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
      {view.contradictions.map((c) => (
        <p className="notice" data-testid="contradiction" key={c.question}>
          The screening of {c.answered ?? 'an unknown date'} answered &ldquo;No&rdquo; to &ldquo;
          {c.question}&rdquo;, while the chart has: {c.chart} —{' '}
          {[...new Set(c.conditions)].join('; ')}. Check with the patient.
        </p>
      ))}
      <details className="criteria" open={!view.referred} data-testid="criteria">
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
    </>
  );
}

/** Red flags awaiting evaluation: those no clearance here ends, and the clearance form. */
function RedFlagEvaluation(props: {
  section: ScreeningSectionProps;
  view: ScreeningView;
  canWrite: boolean;
}) {
  const { session, reload } = props.section;
  const { clearable, notClearable } = props.view;
  const [open, setOpen] = useState(() => loadDraft('clearance', session.patientId) !== undefined);
  // Focus moves into the form the clinician opens, and back to its button when they close it
  // (Close or Escape: the ticks and the note stay a draft in this tab).
  const [focus, setFocus] = useState<'form' | 'button'>();
  return (
    <>
      {notClearable.length > 0 && (
        <p className="notice" data-testid="not-clearable">
          {notClearable.map((f) => f.label).join('; ')}: cannot be cleared here. A cauda equina sign
          needs the emergency pathway; update the chart after the evaluation.
        </p>
      )}
      {props.canWrite && clearable.length > 0 && !open && (
        <button
          type="button"
          className="clearance-opener"
          ref={(button) => {
            if (button !== null && focus === 'button') {
              setFocus(undefined);
              button.focus();
            }
          }}
          onClick={() => {
            setOpen(true);
            setFocus('form');
          }}
        >
          {loadDraft('clearance', session.patientId) === undefined ? '' : 'Resume the draft: '}
          Record a clinician&apos;s evaluation of the red flag{clearable.length > 1 ? 's' : ''}
        </button>
      )}
      {props.canWrite && open && (
        <Suspense fallback={formLoading}>
          <ClearanceForm
            session={session}
            now={() => new Date()}
            flags={clearable}
            onSaved={() => {
              setOpen(false);
              reload(['questionnaireResponses']);
            }}
            onCancel={() => {
              setOpen(false);
              setFocus('button');
            }}
            focusOnOpen={focus === 'form'}
          />
        </Suspense>
      )}
    </>
  );
}

/** The screening form, or the button that opens it (or why screening is off). */
function Screening({
  props,
  screeningMissing,
}: {
  props: ScreeningSectionProps;
  screeningMissing: readonly string[];
}) {
  const { state, asOf, session, reload, forms } = props;
  if (props.readOnly) {
    return null;
  }
  if (screeningMissing.length > 0) {
    return (
      <p className="notice">
        Screening is off: the EHR did not grant {screeningMissing.join(', ')}.
      </p>
    );
  }
  if (!forms.open.screening) {
    return (
      <button
        type="button"
        ref={forms.opener('screening')}
        onClick={() => {
          forms.setOpen('screening', true);
        }}
      >
        {props.pathway.screening
          ? 'Screen again'
          : loadDraft('screening', session.patientId) === undefined
            ? 'Screen for chronic low back pain'
            : 'Resume the screening draft'}
      </button>
    );
  }
  return (
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
  );
}

/** The referral form when eligible, else why referring is not available. */
function Referral({ props, view }: { props: ScreeningSectionProps; view: ScreeningView }) {
  const result = props.pathway.eligibility;
  if (props.readOnly) {
    return null;
  }
  if (result.verdict === 'eligible' && props.referralMissing.length > 0) {
    return (
      <p className="notice" data-testid="referral-off">
        Eligible, but referring is off: the EHR did not grant {props.referralMissing.join(', ')}.
      </p>
    );
  }
  if (result.verdict === 'eligible') {
    return (
      <ReferralForm
        session={props.session}
        programme={props.programme}
        now={() => new Date()}
        reason={view.referralReason}
        supportingInfo={view.supportingInfo}
        onPlaced={() => {
          props.reload(['referrals']);
        }}
      />
    );
  }
  return view.referred ? null : (
    <p className="referral-unavailable" data-testid="referral-unavailable">
      Referral to the group programme is not available:{' '}
      {result.reasons.map((r) => r.message).join(' ')}
    </p>
  );
}

export function ScreeningSection(props: ScreeningSectionProps) {
  const { state, asOf, session, reload, missingWrite, pathway } = props;
  const conditions = loaded(state, 'conditions')?.matches;
  const { chronicMonths } = props.eligibility;
  const view = useMemo(
    () => screeningView(pathway, conditions ?? [], chronicMonths, asOf),
    [pathway, conditions, chronicMonths, asOf],
  );
  const screeningMissing = missingWrite.filter((scope) => !isProblemListScope(scope));
  const canWrite = !props.readOnly && screeningMissing.length === 0;
  return (
    <>
      <Verdict props={props} view={view} />
      <RedFlagEvaluation section={props} view={view} canWrite={canWrite} />
      {view.problemListFrom !== undefined &&
        !props.readOnly &&
        !missingWrite.some(isProblemListScope) && (
          <ProblemListConfirm
            session={session}
            screening={view.problemListFrom}
            now={() => new Date()}
            onAdded={() => {
              reload(['conditions']);
            }}
          />
        )}
      <Screening props={props} screeningMissing={screeningMissing} />
      <Referral props={props} view={view} />
    </>
  );
}
