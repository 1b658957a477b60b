/**
 * The pathway in words: the status line and the next action's label, the same on the app's first
 * screen, in `clbp pathway`, in the EHR simulator and in the README's patient table. The status
 * line carries no dates (those sit beside it), so it reads the same whatever day the sandbox
 * started.
 */
import type { RedFlagUrgency } from '../screening/eligibilityConfig.ts';
import { PROGRAMME_SESSIONS } from './referral.ts';
import type { ProgrammeReferral } from './referrals.ts';
import type { ChartPart } from './chart.ts';
import type { FollowUpPoint } from './followUp.ts';
import type { NextAction, Pathway, PathwayState } from './pathway.ts';

/** The chart parts in words, for "could not be read". */
const CHART_PART_TEXT: Readonly<Record<ChartPart, string>> = {
  patient: 'the patient record',
  conditions: 'the problem list',
  questionnaireResponses: 'the questionnaire responses',
  pegObservations: 'the PEG observations',
  medications: 'the medications',
  referrals: 'the referrals',
  sessions: 'the group sessions',
};

/** "week-8 PEG", "month-6 PEG". */
export function followUpName(point: Pick<FollowUpPoint, 'label'>): string {
  return `${point.label.toLowerCase().replace(' ', '-')} PEG`;
}

/** "— session 5 of 8" while it runs; "— attended 7 of 8 sessions" once it is over. */
function sessions(referral: ProgrammeReferral): string {
  const n = referral.sessionsAttended;
  if (n === undefined || n === 0) {
    return '';
  }
  return referral.stage === 'completed'
    ? ` — attended ${String(n)} of ${String(PROGRAMME_SESSIONS)} sessions`
    : ` — session ${String(n)} of ${String(PROGRAMME_SESSIONS)}`;
}

/** The referral's stage as the start of a status line. */
function stagePhrase(referral: ProgrammeReferral): string {
  switch (referral.stage) {
    case 'awaiting':
      return 'Referred — awaiting the programme';
    case 'scheduled':
      // The programme's finer step (cohort.ts writes "Scheduled in cohort …" when it adds the patient).
      return referral.businessStatus?.startsWith('Scheduled in cohort ') === true
        ? `Referred — accepted by the programme, scheduled in cohort ${referral.businessStatus.slice('Scheduled in cohort '.length)}`
        : 'Referred — accepted by the programme, waiting for a cohort';
    case 'on-hold':
      return 'Referred — on hold with the programme';
    case 'in-programme':
      return `In the mindfulness programme${sessions(referral)}`;
    case 'completed':
      return `Completed the mindfulness programme${sessions(referral)}`;
    case 'declined':
      return 'Referral declined by the programme';
    case 'cancelled':
      return 'Referral cancelled';
    case 'failed':
      return referral.reason === undefined
        ? 'Referral failed'
        : `Referral closed: ${referral.reason}`;
  }
}

function list(parts: readonly string[]): string {
  return parts.length <= 1
    ? (parts[0] ?? '')
    : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`;
}

function provisional(pathway: Pathway): string {
  return pathway.followUps?.provisional === true
    ? ' — follow-up PEGs provisional until the first session'
    : '';
}

/** One line saying where the patient is (no dates). */
export function statusLine(pathway: Pathway): string {
  const state: PathwayState = pathway.state;
  switch (state.kind) {
    case 'unknown':
      return `Cannot tell where this patient is: ${list(state.missing.map((p) => CHART_PART_TEXT[p]))} could not be read`;
    case 'not-screened':
      return 'Not yet screened for chronic low back pain';
    case 'screening-incomplete':
      return 'Screening incomplete';
    case 'needs-peg':
      return 'Screened — a PEG is needed before a referral';
    case 'needs-evaluation': {
      if (state.urgency === 'emergency') {
        return 'Emergency: possible cauda equina syndrome — same-day emergency evaluation';
      }
      if (state.urgency === 'urgent') {
        return 'Urgent: progressive neurological deficit — urgent clinician evaluation';
      }
      const flags = pathway.eligibility.redFlags
        .filter((f) => f.status === 'needs-evaluation')
        .map((f) => f.label.toLowerCase());
      return flags.length === 0
        ? 'Needs clinician evaluation'
        : `Needs clinician evaluation: ${list([...new Set(flags)])}`;
    }
    case 'not-eligible':
      return 'Not eligible for the mindfulness programme';
    case 'eligible':
      return 'Eligible for the mindfulness group programme';
    case 'referred':
    case 'scheduled':
    case 'on-hold':
      return `${stagePhrase(state.referral)}${provisional(pathway)}`;
    case 'in-programme':
    case 'completed':
      return stagePhrase(state.referral);
    case 'follow-up-due':
      return `${stagePhrase(state.referral)} — ${followUpName(state.point)} due now`;
    case 'follow-up-overdue':
      return `${stagePhrase(state.referral)} — ${followUpName(state.point)} overdue`;
    case 'declined':
    case 'cancelled':
      return `${stagePhrase(state.referral)}${state.referral.reason === undefined ? '' : `: ${state.referral.reason}`}`;
  }
}

const EVALUATE_TEXT: Readonly<Record<RedFlagUrgency, string>> = {
  emergency: 'Arrange same-day emergency evaluation',
  urgent: 'Evaluate urgently, before any referral',
  evaluate: 'Evaluate the red flag before any referral',
};

/** The next action as a button or a sentence. */
export function nextActionText(action: NextAction): string {
  switch (action.kind) {
    case 'load':
      return `Load ${list(action.missing.map((p) => CHART_PART_TEXT[p]))} again`;
    case 'screen':
      return action.again ? 'Complete the screening' : 'Screen for chronic low back pain';
    case 'record-peg':
      return 'Record a PEG';
    case 'evaluate':
      return EVALUATE_TEXT[action.urgency ?? 'evaluate'];
    case 'refer':
      return action.again
        ? 'Refer again to the mindfulness group programme'
        : 'Refer to the mindfulness group programme';
    case 'record-follow-up-peg':
      return `Record the ${followUpName(action.point)}`;
    case 'wait-for-programme':
      return 'Nothing due now: the programme contacts the patient';
    case 'none':
      return 'No pathway action';
  }
}
