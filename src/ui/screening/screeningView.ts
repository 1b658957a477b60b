/**
 * The screening section's view model, pure (no React): the verdict it shows, the red flags a
 * clinician can or cannot clear here, what a referral would cite, and whether the problem list may
 * be confirmed from the screening. Every decision comes from the pathway (domain/pathway) and the
 * screening domain; this only picks what the section shows.
 */
import type { Condition } from 'fhir/r4';
import type { Pathway } from '../../domain/pathway/evaluate.ts';
import { isFollowedReferral } from '../../domain/pathway/referral.ts';
import { lowBackPainChart } from '../../domain/screening/chartEvidence.ts';
import { answerContradictions, type Contradiction } from '../../domain/screening/contradictions.ts';
import type { EligibilityVerdict, RedFlagFinding } from '../../domain/screening/eligibility.ts';
import { classifyTaskForce } from '../../domain/screening/screening.ts';

export const VERDICT_TEXT: Record<EligibilityVerdict, string> = {
  eligible: 'Eligible for the mindfulness group medical visits',
  'not-eligible': 'Not eligible',
  'needs-evaluation': 'Needs evaluation: clinician evaluation needed before any referral',
  'needs-screening': 'Needs screening',
};

export interface ScreeningView {
  /** A referred patient is past eligibility: the open referral is never shown as "Not eligible". */
  readonly referred: boolean;
  readonly contradictions: readonly Contradiction[];
  /** Red flags awaiting evaluation that a clinician's clearance may end. */
  readonly clearable: readonly RedFlagFinding[];
  /** Red flags awaiting evaluation that no clearance here ends (cauda equina: emergency). */
  readonly notClearable: readonly RedFlagFinding[];
  /** The referral's reason: the chart's chronic low back pain Condition the eligibility cites. */
  readonly referralReason: string | undefined;
  /** The referral's supporting information: the screening and the latest PEG it rests on. */
  readonly supportingInfo: readonly string[];
  /**
   * The screening response a clinician may add chronic low back pain to the problem list from: a
   * screening that meets the Task Force definition while the problem list has none.
   */
  readonly problemListFrom: string | undefined;
}

/**
 * @param conditions the chart's Conditions (none when they were not read).
 * @param chronicMonths the clinic's chronic threshold (eligibility config).
 */
export function screeningView(
  pathway: Pathway,
  conditions: readonly Condition[],
  chronicMonths: number,
  asOf: Date,
): ScreeningView {
  const { screening, eligibility } = pathway;
  const latestPeg = pathway.peg.latest;
  const referralCondition = eligibility.findings
    .filter((f) => f.criterion === 'chronic-low-back-pain')
    .flatMap((f) => f.evidence)
    .find((e) => e.kind === 'condition')?.conditionId;
  const latestObservation =
    latestPeg?.sources.find((s) => s.startsWith('Observation/')) ?? latestPeg?.sources[0];
  const pending = eligibility.redFlags.filter((f) => f.status === 'needs-evaluation');
  const meetsTaskForce =
    screening !== undefined &&
    classifyTaskForce(screening.duration, screening.frequency).kind === 'clbp';
  const onProblemList = lowBackPainChart(conditions, chronicMonths, asOf).chronic.length > 0;
  return {
    referred: pathway.referrals.some((r) => isFollowedReferral(r.request, r.task)),
    contradictions: answerContradictions(eligibility.redFlags, screening),
    clearable: pending.filter((f) => f.clearable),
    notClearable: pending.filter((f) => !f.clearable),
    referralReason: referralCondition === undefined ? undefined : `Condition/${referralCondition}`,
    supportingInfo: [screening?.source, latestObservation].filter(
      (s): s is string => s !== undefined,
    ),
    problemListFrom: meetsTaskForce && !onProblemList ? screening.source : undefined,
  };
}
