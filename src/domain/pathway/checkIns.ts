/**
 * The patient's own check-ins: which follow-up PEGs the patient is asked to answer now, from the
 * PEG request Tasks addressed to them (pegRequest.ts) and, where no request was made, the
 * follow-up the schedule says is due (the same rule as the clinician's next action, state.ts).
 */
import type { Encounter, Observation, ServiceRequest, Task } from 'fhir/r4';
import { localDayOf } from '../fhir-primitives/dates.ts';
import type { PegAdministration } from '../peg/peg.ts';
import { readPegRecords } from '../peg/records.ts';
import { referralAnchor } from './baseline.ts';
import { followUpSchedule, type FollowUpId, type FollowUpSchedule } from './followUp.ts';
import { checkInTitle, pegRequests, type PegRequest } from './pegRequest.ts';
import { followedReferral, programmeReferrals } from './referrals.ts';
import { actionableFollowUp } from './state.ts';

export interface CheckIn {
  /** Stable key: the Task reference, else 'schedule:<time point>'. */
  readonly key: string;
  readonly timePoint: FollowUpId | undefined;
  /** "Month 6 check-in". */
  readonly title: string;
  /** due: answer now; overdue: the window has closed but an answer still helps. */
  readonly status: 'due' | 'overdue';
  /** Last day of the window ('YYYY-MM-DD'), when known. */
  readonly dueBy: string | undefined;
  /** The request it answers; undefined when only the schedule asks. */
  readonly request: PegRequest | undefined;
}

export interface CheckIns {
  readonly due: readonly CheckIn[];
  /** Open requests whose window has not opened yet: the next one, for "your next check-in". */
  readonly next: { readonly title: string; readonly opens: string } | undefined;
}

/**
 * The check-ins on `today` ('YYYY-MM-DD'): open requests whose window has opened (or that have
 * none), then the schedule's due or overdue follow-up when no request of that time point exists
 * (answered or not). `schedule` is undefined when the referral was not read.
 */
export function patientCheckIns(
  requests: readonly PegRequest[],
  schedule: FollowUpSchedule | undefined,
  history: readonly PegAdministration[],
  today: string,
): CheckIns {
  const due: CheckIn[] = [];
  const upcoming: { title: string; opens: string }[] = [];
  for (const request of requests) {
    if (!request.open) {
      continue;
    }
    const { start, end } = request.window;
    const title = checkInTitle(request.label);
    if (start !== undefined && start > today) {
      upcoming.push({ title, opens: start });
      continue;
    }
    due.push({
      key: request.reference,
      timePoint: request.timePoint,
      title,
      status: end !== undefined && end < today ? 'overdue' : 'due',
      dueBy: end,
      request,
    });
  }
  const point = actionableFollowUp(schedule, history);
  if (point !== undefined && !requests.some((r) => r.timePoint === point.id)) {
    due.push({
      key: `schedule:${point.id}`,
      timePoint: point.id,
      title: checkInTitle(point.label),
      status: point.status === 'due' ? 'due' : 'overdue',
      dueBy: point.window.end,
      request: undefined,
    });
  }
  // Where no request is pending, the schedule's next window (only on a firm schedule: a
  // provisional one moves when the programme starts).
  const scheduled = schedule?.provisional === false ? schedule.points : [];
  const nextPoint = scheduled.find((p) => p.status === 'upcoming');
  if (nextPoint !== undefined && !requests.some((r) => r.timePoint === nextPoint.id)) {
    upcoming.push({ title: checkInTitle(nextPoint.label), opens: nextPoint.window.start });
  }
  upcoming.sort((a, b) => a.opens.localeCompare(b.opens));
  return { due, next: upcoming[0] };
}

/** What the patient's own page reads (src/fhir/checkInsLoad.ts). */
export interface PatientRecords {
  readonly requests: readonly Task[];
  readonly pegObservations: readonly Observation[];
  /** Undefined when the referral was not read: only requests then ask for a check-in. */
  readonly referrals:
    | {
        readonly requests: readonly ServiceRequest[];
        readonly tasks: readonly Task[];
        readonly sessions: readonly Encounter[];
      }
    | undefined;
}

export interface PatientCheckInsView {
  readonly checkIns: CheckIns;
  /** The patient's PEG scores, oldest first (score 0–10 as stored, 2 decimals). */
  readonly history: readonly { readonly date: string; readonly score: number }[];
}

/** The patient's page on `asOf`: the check-ins asked for now and their PEG history. */
export function patientCheckInsView(records: PatientRecords, asOf: Date): PatientCheckInsView {
  const { history } = readPegRecords([], records.pegObservations, []);
  const referral =
    records.referrals === undefined
      ? undefined
      : followedReferral(
          programmeReferrals(
            records.referrals.requests,
            records.referrals.tasks,
            records.referrals.sessions,
          ),
        );
  const anchor = referral === undefined ? undefined : referralAnchor(referral);
  const schedule = anchor === undefined ? undefined : followUpSchedule(anchor, history, asOf);
  return {
    checkIns: patientCheckIns(pegRequests(records.requests), schedule, history, localDayOf(asOf)),
    history: history.map((a) => ({ date: a.date, score: a.score })),
  };
}
