/**
 * THE patient pathway: from one chart, where the patient is (state), on what evidence, and the one
 * next action. `clbp pathway`, the EHR simulator and tests call `evaluatePathway` (pathway.ts), the
 * app calls `evaluatePathwayWith` with the MME engine once its chunk has arrived (the engine and
 * its RxNorm table are the largest part of the app); the words all of them show come from
 * status.ts. Pure: `asOf` is a parameter.
 */
import { changeFromBaseline, type PegChange } from '../peg/change.ts';
import { instantOf, localDayOf } from '../fhir-primitives/dates.ts';
import type { PegAdministration } from '../peg/peg.ts';
import type { Observation, QuestionnaireResponse } from 'fhir/r4';
import {
  combinePegReadings,
  readPegObservations,
  readPegResponses,
  type PegReading,
  type PegRecords,
} from '../peg/records.ts';
import { evaluateEligibility, type EligibilityResult } from '../screening/eligibility.ts';
import {
  DEFAULT_ELIGIBILITY_CONFIG,
  type EligibilityConfig,
} from '../screening/eligibilityConfig.ts';
import { readClearanceResponse } from '../screening/clearance.ts';
import { chartSex } from '../screening/prefill.ts';
import { readScreenings, type ScreeningAnswers } from '../screening/screening.ts';
import { referralAnchor, selectBaseline, type Baseline } from './baseline.ts';
import { notRead, STATE_PARTS, type ChartPart, type PathwayChart } from './chart.ts';
import { followUpSchedule, type FollowUpSchedule } from './followUp.ts';
import type { MmeOverview, MmeOverviewOf } from './mmeOverview.ts';
import { followedReferral, openReferral, programmeReferrals } from './referrals.ts';
import type { ProgrammeReferral } from './referrals.ts';
import { pathwayState, type NextAction, type PathwayState } from './state.ts';

export type { NextAction, PathwayState, PathwayStateKind } from './state.ts';

export interface PegOverview {
  readonly records: PegRecords;
  readonly latest: PegAdministration | undefined;
  /** Undefined without a referral to anchor it (there is no baseline outside the programme). */
  readonly baseline: Baseline | undefined;
  /** Latest against baseline, when the latest PEG came after the baseline. */
  readonly change: PegChange | undefined;
  /**
   * The baseline may be among the older PEGs not in hand yet (chart.olderPegs): baseline, change
   * and follow-up schedule are then undefined rather than wrong.
   */
  readonly baselineWaits: boolean;
}

export interface Pathway {
  /** The clinic's day the pathway is evaluated for ('YYYY-MM-DD'). */
  readonly asOf: string;
  readonly state: PathwayState;
  readonly nextAction: NextAction;
  readonly eligibility: EligibilityResult;
  readonly screening: ScreeningAnswers | undefined;
  readonly peg: PegOverview;
  /** Every programme referral, newest first. */
  readonly referrals: readonly ProgrammeReferral[];
  /** The referral the follow-ups hang off (open or completed), else the newest one. */
  readonly referral: ProgrammeReferral | undefined;
  readonly followUps: FollowUpSchedule | undefined;
  /** Undefined when the medications were not read (or no MME engine was given). */
  readonly mme: MmeOverview | undefined;
  readonly notRead: readonly ChartPart[];
}

/** Whether `date` is strictly after `completeAfter` (instants; an unknown one never is). */
function newerThan(date: string, completeAfter: string | undefined): boolean {
  const at = instantOf(date);
  const after = completeAfter === undefined ? undefined : instantOf(completeAfter);
  return at !== undefined && after !== undefined && at > after;
}

function pegOverview(
  records: PegRecords,
  referral: ProgrammeReferral | undefined,
  olderPegs: PathwayChart['olderPegs'],
): PegOverview & { anchor: ReturnType<typeof referralAnchor> } {
  const latest = records.history.at(-1);
  const anchor = referral === undefined ? undefined : referralAnchor(referral);
  const found = anchor === undefined ? undefined : selectBaseline(records.history, anchor.day);
  const closest = found?.kind === 'baseline' ? found.administration : undefined;
  // With older PEGs still to come, the baseline is sure only when the one found is newer than all
  // of them (the closest before the start); otherwise it waits rather than guess.
  const baselineWaits =
    anchor !== undefined &&
    olderPegs !== undefined &&
    (closest === undefined || !newerThan(closest.date, olderPegs.completeAfter));
  const baseline = baselineWaits ? undefined : found;
  const base = baselineWaits ? undefined : closest;
  const change =
    base !== undefined && latest !== undefined && latest !== base
      ? changeFromBaseline(base, latest)
      : undefined;
  return {
    records,
    latest,
    baseline,
    baselineWaits,
    change,
    anchor: baselineWaits ? undefined : anchor,
  };
}

const responseReadings = new WeakMap<readonly QuestionnaireResponse[], Map<string, PegReading>>();
const observationReadings = new WeakMap<readonly Observation[], PegReading>();

/**
 * The chart's PEGs. The app evaluates the pathway again as each of its searches answers, with the
 * same arrays for the searches that did not change: each array is read once (a pure function's
 * results kept per array), so a long history is not read again when another search answers.
 */
function pegRecordsOf(chart: PathwayChart): PegRecords {
  const responses = chart.questionnaireResponses ?? [];
  const forms = chart.questionnaires.map((q) => `${q.url ?? ''}|${q.version ?? ''}`).join(' ');
  const byForms = responseReadings.get(responses) ?? new Map<string, PegReading>();
  responseReadings.set(responses, byForms);
  const fromResponses = byForms.get(forms) ?? readPegResponses(responses, chart.questionnaires);
  byForms.set(forms, fromResponses);
  const observations = chart.pegObservations ?? [];
  const fromObservations =
    observationReadings.get(observations) ?? readPegObservations(observations);
  observationReadings.set(observations, fromObservations);
  return combinePegReadings(fromResponses, fromObservations);
}

/**
 * The pathway of one patient on `asOf`. Parts of the chart that were not read leave their part of
 * the answer unknown; without the parts in STATE_PARTS the state is `unknown`. `mmeOf` is the
 * MME engine's overview (mmeOverview.ts); without it `mme` stays undefined (nothing in the state
 * depends on it).
 */
export function evaluatePathwayWith(
  mmeOf: MmeOverviewOf | undefined,
  chart: PathwayChart,
  asOf: Date,
  config: EligibilityConfig = DEFAULT_ELIGIBILITY_CONFIG,
): Pathway {
  const asOfDay = localDayOf(asOf);
  const missing = notRead(chart);
  const records = pegRecordsOf(chart);
  const referrals =
    chart.referrals === undefined
      ? []
      : programmeReferrals(chart.referrals.requests, chart.referrals.tasks, chart.sessions);
  const followed = followedReferral(referrals);
  const open = openReferral(referrals);
  const responses = chart.questionnaireResponses ?? [];
  const screenings = readScreenings(responses);
  const screening = screenings[0];
  const clearances = responses
    .map((response) => readClearanceResponse(response))
    .flatMap((reading) => (reading.kind === 'clearance' ? [reading.clearance] : []));
  const { anchor, ...peg } = pegOverview(records, followed, chart.olderPegs);
  const eligibility = evaluateEligibility(
    {
      asOf,
      birthDate: chart.patient?.birthDate,
      sex: chartSex(chart.patient),
      conditions: chart.conditions ?? [],
      screenings,
      clearances,
      observations: chart.pegObservations ?? [],
      latestPeg: peg.latest,
      activeReferral: open === undefined ? undefined : { reference: open.reference },
    },
    config,
  );
  const followUps =
    anchor === undefined ? undefined : followUpSchedule(anchor, records.history, asOf);
  const { state, nextAction } = pathwayState({
    missing: missing.filter((part) => STATE_PARTS.includes(part)),
    eligibility,
    screening,
    followed,
    newest: referrals[0],
    followUps,
    history: records.history,
  });
  return {
    asOf: asOfDay,
    state,
    nextAction,
    eligibility,
    screening,
    peg,
    referrals,
    referral: followed ?? referrals[0],
    followUps,
    mme:
      chart.medications === undefined || mmeOf === undefined
        ? undefined
        : mmeOf(chart.medications, chart.conditions, asOfDay),
    notRead: missing,
  };
}
