/**
 * The programme's follow-up list across patients: for each patient in or past the programme, the
 * time points (followUp.ts, timed from the programme start) whose window is open today or closed
 * recently, with their status (due, overdue, done), the window, and any PEG request sent to the
 * patient (pegRequest.ts). Nothing here re-derives a schedule: each row is a point of the
 * patient's own pathway (evaluate.ts).
 */
import { add } from 'date-fns/add';
import { sub } from 'date-fns/sub';
import { dayIndex, localDate, localDayOf } from '../fhir-primitives/dates.ts';
import type { Pathway } from './evaluate.ts';
import { FOLLOW_UP_TIME_POINTS, type FollowUpPoint } from './followUp.ts';
import type { PegRequest } from './pegRequest.ts';

/**
 * How long an overdue (or done) time point stays on the list after its window closed: a PROJECT
 * DECISION (the reference gives none), long enough for staff to chase a missed follow-up by
 * phone, short enough that the list stays about today's work. *Verify* with the clinic.
 */
export const FOLLOW_UP_LIST_GRACE_DAYS = 90;

export interface FollowUpRow {
  /** 'Patient/<id>'. */
  readonly patient: string;
  readonly point: FollowUpPoint;
  /** 'ServiceRequest/<id>' of the referral the schedule hangs off. */
  readonly referral: string;
  /** The newest PEG request for this time point, if one was sent. */
  readonly request: PegRequest | undefined;
}

/** Whether a point belongs on today's list: its window opened and closed at most GRACE days ago. */
function onList(point: FollowUpPoint, today: string): boolean {
  const closedSince = (dayIndex(today) ?? 0) - (dayIndex(point.window.end) ?? 0);
  return point.window.start <= today && closedSince <= FOLLOW_UP_LIST_GRACE_DAYS;
}

/**
 * The rows of one patient's pathway on `today` ('YYYY-MM-DD'). Only a programme that has started
 * counts (a provisional schedule, timed from the referral, is not yet a follow-up to chase).
 */
export function followUpRows(
  patient: string,
  pathway: Pathway,
  requests: readonly PegRequest[],
  today: string,
): FollowUpRow[] {
  const schedule = pathway.followUps;
  const referral = pathway.referral;
  if (schedule === undefined || schedule.provisional || referral === undefined) {
    return [];
  }
  return schedule.points
    .filter((point) => onList(point, today))
    .map((point) => ({
      patient,
      point,
      referral: referral.reference,
      request: requests
        .filter((r) => r.timePoint === point.id && r.referral === referral.reference)
        .sort((a, b) => (b.task.authoredOn ?? '').localeCompare(a.task.authoredOn ?? ''))[0],
    }));
}

/** Overdue first, then due, then done; within each, the earliest due date first. */
export function sortFollowUpRows(rows: readonly FollowUpRow[]): FollowUpRow[] {
  const rank = { overdue: 0, due: 1, done: 2, upcoming: 3 } as const;
  return [...rows].sort(
    (a, b) =>
      rank[a.point.status] - rank[b.point.status] || a.point.dueDate.localeCompare(b.point.dueDate),
  );
}

/**
 * The programme starts ('YYYY-MM-DD', inclusive) whose schedule can put a row on today's list:
 * from the latest window close plus the grace period back, to the earliest window opening back.
 * Used to leave out, before any chart is read, patients who cannot be on the list.
 */
export function followUpStartRange(today: string): { from: string; to: string } {
  const day = localDate(dayIndex(today) ?? 0);
  // A window opened by today: start ≤ today − offset + before. Still on the list: its end is at
  // most GRACE days ago, start ≥ today − GRACE − offset − after. A day either side covers the
  // month-end clamping of calendar arithmetic.
  const opened = FOLLOW_UP_TIME_POINTS.map((p) => add(sub(day, p.offset), p.window.before));
  const listed = FOLLOW_UP_TIME_POINTS.map((p) =>
    sub(sub(day, p.offset), { ...p.window.after, days: FOLLOW_UP_LIST_GRACE_DAYS }),
  );
  const latest = opened.reduce((a, b) => (a > b ? a : b));
  const earliest = listed.reduce((a, b) => (a < b ? a : b));
  return {
    from: localDayOf(sub(earliest, { days: 1 })),
    to: localDayOf(add(latest, { days: 1 })),
  };
}
