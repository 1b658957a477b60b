/**
 * Where the patient is on the pathway and the one next action, from what pathway.ts has read.
 * Order of precedence: a referral under way (or completed) decides the state, and a follow-up PEG
 * that is due or overdue on a firm schedule comes first within it; without one, a declined or
 * cancelled referral not followed by a new screening; otherwise the eligibility verdict.
 */
import { calendarDayOf } from '../fhir-primitives/dates.ts';
import type { PegAdministration } from '../peg/peg.ts';
import type { EligibilityResult } from '../screening/eligibility.ts';
import type { RedFlagUrgency } from '../screening/eligibilityConfig.ts';
import type { ScreeningAnswers } from '../screening/screening.ts';
import type { ChartPart } from './chart.ts';
import type { FollowUpPoint, FollowUpSchedule } from './followUp.ts';
import type { ProgrammeReferral } from './referrals.ts';

export type PathwayState =
  /** A part the state depends on was not read: nothing is claimed. */
  | { readonly kind: 'unknown'; readonly missing: readonly ChartPart[] }
  | { readonly kind: 'not-screened' }
  | { readonly kind: 'screening-incomplete' }
  | { readonly kind: 'needs-peg' }
  | {
      readonly kind: 'needs-evaluation';
      readonly urgent: boolean;
      /** The most pressing red flag's urgency (eligibility.urgency), null without one. */
      readonly urgency: RedFlagUrgency | null;
    }
  | { readonly kind: 'not-eligible' }
  | { readonly kind: 'eligible' }
  | {
      readonly kind: 'referred' | 'scheduled' | 'on-hold' | 'in-programme' | 'completed';
      readonly referral: ProgrammeReferral;
    }
  | {
      readonly kind: 'follow-up-due' | 'follow-up-overdue';
      readonly referral: ProgrammeReferral;
      readonly point: FollowUpPoint;
    }
  | { readonly kind: 'declined' | 'cancelled'; readonly referral: ProgrammeReferral };

export type PathwayStateKind = PathwayState['kind'];

export type NextAction =
  /** Load what could not be read (retry, or ask for the scope). */
  | { readonly kind: 'load'; readonly missing: readonly ChartPart[] }
  | { readonly kind: 'screen'; readonly again: boolean }
  | { readonly kind: 'record-peg' }
  | { readonly kind: 'evaluate'; readonly urgent: boolean; readonly urgency: RedFlagUrgency | null }
  | { readonly kind: 'refer'; readonly again: boolean }
  | { readonly kind: 'record-follow-up-peg'; readonly point: FollowUpPoint }
  /** The programme has the next step; nothing is due from the clinician. */
  | { readonly kind: 'wait-for-programme' }
  | { readonly kind: 'none' };

export interface StateInput {
  /** Parts in STATE_PARTS that were not read. */
  readonly missing: readonly ChartPart[];
  readonly eligibility: EligibilityResult;
  readonly screening: ScreeningAnswers | undefined;
  readonly followed: ProgrammeReferral | undefined;
  readonly newest: ProgrammeReferral | undefined;
  readonly followUps: FollowUpSchedule | undefined;
  readonly history: readonly PegAdministration[];
}

interface Decision {
  readonly state: PathwayState;
  readonly nextAction: NextAction;
}

function fromEligibility(
  eligibility: EligibilityResult,
  screening: ScreeningAnswers | undefined,
  again: boolean,
): Decision {
  switch (eligibility.verdict) {
    case 'needs-evaluation':
      return {
        state: {
          kind: 'needs-evaluation',
          urgent: eligibility.urgent,
          urgency: eligibility.urgency,
        },
        nextAction: { kind: 'evaluate', urgent: eligibility.urgent, urgency: eligibility.urgency },
      };
    case 'not-eligible':
      return { state: { kind: 'not-eligible' }, nextAction: { kind: 'none' } };
    case 'eligible':
      return { state: { kind: 'eligible' }, nextAction: { kind: 'refer', again } };
    case 'needs-screening': {
      if (screening === undefined) {
        return { state: { kind: 'not-screened' }, nextAction: { kind: 'screen', again: false } };
      }
      const onlyPeg = eligibility.reasons.every((r) => r.criterion === 'pain-interference');
      return onlyPeg
        ? { state: { kind: 'needs-peg' }, nextAction: { kind: 'record-peg' } }
        : {
            state: { kind: 'screening-incomplete' },
            nextAction: { kind: 'screen', again: true },
          };
    }
  }
}

/**
 * The follow-up to act on, on a firm (not provisional) schedule: the one due now, else the last
 * one whose window closed while no later window has opened and no PEG was recorded since its window
 * opened (a late PEG is the clinical action done, even if it misses the window).
 */
export function actionableFollowUp(
  schedule: FollowUpSchedule | undefined,
  history: readonly PegAdministration[],
): FollowUpPoint | undefined {
  if (schedule === undefined || schedule.provisional) {
    return undefined;
  }
  const due = schedule.points.find((p) => p.status === 'due');
  if (due !== undefined) {
    return due;
  }
  const closed = schedule.points.filter(
    (p, i) =>
      p.status === 'overdue' && schedule.points.slice(i + 1).every((l) => l.status === 'upcoming'),
  );
  const last = closed.at(-1);
  if (last === undefined) {
    return undefined;
  }
  const lateDone = history.some((a) => {
    const day = calendarDayOf(a.date);
    return day !== undefined && day >= last.window.start;
  });
  return lateDone ? undefined : last;
}

const STAGE_STATE = {
  awaiting: 'referred',
  scheduled: 'scheduled',
  'on-hold': 'on-hold',
  'in-programme': 'in-programme',
  completed: 'completed',
} as const;

function fromReferral(
  referral: ProgrammeReferral,
  followUps: FollowUpSchedule | undefined,
  history: readonly PegAdministration[],
): Decision {
  const point = actionableFollowUp(followUps, history);
  if (point !== undefined) {
    return {
      state: {
        kind: point.status === 'due' ? 'follow-up-due' : 'follow-up-overdue',
        referral,
        point,
      },
      nextAction: { kind: 'record-follow-up-peg', point },
    };
  }
  switch (referral.stage) {
    case 'awaiting':
    case 'scheduled':
    case 'on-hold':
    case 'in-programme':
      return {
        state: { kind: STAGE_STATE[referral.stage], referral },
        nextAction: { kind: 'wait-for-programme' },
      };
    case 'completed':
      return { state: { kind: 'completed', referral }, nextAction: { kind: 'none' } };
    case 'declined':
    case 'cancelled':
    case 'failed':
      return {
        state: { kind: referral.stage === 'declined' ? 'declined' : 'cancelled', referral },
        nextAction: { kind: 'none' },
      };
  }
}

/** When a declined, cancelled or failed referral ended: its Task's last change, else its day. */
function endedOn(referral: ProgrammeReferral): string {
  return (
    calendarDayOf(referral.task?.lastModified ?? referral.request.authoredOn ?? '') ??
    referral.referredOn ??
    ''
  );
}

export function pathwayState(input: StateInput): Decision {
  if (input.missing.length > 0) {
    return {
      state: { kind: 'unknown', missing: input.missing },
      nextAction: { kind: 'load', missing: input.missing },
    };
  }
  if (input.followed !== undefined) {
    return fromReferral(input.followed, input.followUps, input.history);
  }
  const ended = input.newest;
  if (ended !== undefined) {
    const screenedSince = (calendarDayOf(input.screening?.authored ?? '') ?? '') > endedOn(ended);
    const next = fromEligibility(input.eligibility, input.screening, true);
    return screenedSince
      ? next
      : {
          state: { kind: ended.stage === 'declined' ? 'declined' : 'cancelled', referral: ended },
          nextAction: next.nextAction,
        };
  }
  return fromEligibility(input.eligibility, input.screening, false);
}
