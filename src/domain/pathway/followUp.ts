/**
 * THE follow-up PEG schedule: OPTIMUM's time points (week 8, month 6, month 12) with their
 * windows, timed from an anchor (baseline.ts): the programme start, provisionally the referral,
 * or for research tables the baseline PEG (the trial's rule).
 */
import { add } from 'date-fns/add';
import { sub } from 'date-fns/sub';
import type { Duration } from 'date-fns';
import type { PegAdministration } from '../peg/peg.ts';
import {
  calendarDayOf,
  dayIndex,
  daysBetween,
  localDate,
  localDayOf,
} from '../fhir-primitives/dates.ts';
import { isProvisional, type ScheduleAnchor } from './baseline.ts';

/** Whole days between two 'YYYY-MM-DD' days. */
function distance(a: string, b: string): number {
  return daysBetween(dayIndex(a) ?? 0, dayIndex(b) ?? 0);
}

/** The time points' ids, the same in the app, `clbp pathway` and the outcome tables. */
export type FollowUpId = 'week8' | 'month6' | 'month12';

export interface FollowUpTimePoint {
  readonly id: FollowUpId;
  readonly label: string;
  /** Due this long after the anchor (programme start; research: the baseline PEG). */
  readonly offset: Duration;
  /** A PEG from `before` ahead of the due date to `after` past it completes the time point. */
  readonly window: { readonly before: Duration; readonly after: Duration };
}

/**
 * Follow-up PEG time points. Time points: OPTIMUM (NCT04129450) secondary outcome at week 8,
 * primary at month 6, secondary at month 12; the trial counted them from the baseline PEG, taken
 * just before the programme began; a clinic counts them from the programme start (clinical.md).
 * Windows are a PROJECT DECISION (the reference gives none): ±2 weeks around week 8 (the
 * 8-week programme ends then), ±1 month around months 6 and 12. They do not overlap.
 */
export const FOLLOW_UP_TIME_POINTS: readonly FollowUpTimePoint[] = [
  {
    id: 'week8',
    label: 'Week 8',
    offset: { weeks: 8 },
    window: { before: { weeks: 2 }, after: { weeks: 2 } },
  },
  {
    id: 'month6',
    label: 'Month 6',
    offset: { months: 6 },
    window: { before: { months: 1 }, after: { months: 1 } },
  },
  {
    id: 'month12',
    label: 'Month 12',
    offset: { months: 12 },
    window: { before: { months: 1 }, after: { months: 1 } },
  },
];

/**
 * done: a PEG on a day inside the window (on or before asOf); due: asOf is inside the window;
 * overdue: the window closed without a PEG; upcoming: the window has not opened.
 */
export type FollowUpStatus = 'done' | 'due' | 'overdue' | 'upcoming';

export interface FollowUpPoint {
  readonly id: FollowUpId;
  readonly label: string;
  /** Calendar days 'YYYY-MM-DD'. */
  readonly dueDate: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly status: FollowUpStatus;
  /** The PEG that completed it (the one closest to the due date; the earlier on a tie). */
  readonly administration?: Pick<PegAdministration, 'date' | 'score' | 'sources' | 'reportedBy'>;
}

export interface FollowUpSchedule {
  readonly anchor: ScheduleAnchor;
  /** Timed from the referral because the programme has not started: dates will move. */
  readonly provisional: boolean;
  readonly points: readonly FollowUpPoint[];
}

/**
 * The follow-up PEG schedule from an anchor day, with each time point's status on `asOf`.
 * `administrations` is the patient's PEG history (any order); only those after the anchor day and
 * on or before `asOf`'s local day count, so the answer depends only on what was known on `asOf`.
 * PEG days are the days as recorded (`calendarDayOf`), "today" is `localDayOf(asOf)`.
 */
export function followUpSchedule(
  anchor: ScheduleAnchor,
  administrations: readonly Pick<PegAdministration, 'date' | 'score' | 'sources' | 'reportedBy'>[],
  asOf: Date,
): FollowUpSchedule {
  const today = localDayOf(asOf);
  const known = administrations.flatMap((administration) => {
    const day = calendarDayOf(administration.date);
    return day !== undefined && day > anchor.day && day <= today ? [{ administration, day }] : [];
  });
  const points = FOLLOW_UP_TIME_POINTS.map((point): FollowUpPoint => {
    const window = timePointWindow(anchor.day, point);
    const inWindow = known
      .filter(({ day }) => day >= window.start && day <= window.end)
      .sort(
        (a, b) =>
          distance(a.day, window.due) - distance(b.day, window.due) || a.day.localeCompare(b.day),
      );
    const done = inWindow[0]?.administration;
    const status = timePointStatus(window, done !== undefined, today);
    return {
      id: point.id,
      label: point.label,
      dueDate: window.due,
      window: { start: window.start, end: window.end },
      status,
      ...(done === undefined ? {} : { administration: done }),
    };
  });
  return { anchor, provisional: isProvisional(anchor), points };
}

/**
 * A time point's status on the day `today` from its inclusive window and whether a PEG in it
 * completed it. Days are 'YYYY-MM-DD' strings (the schedule) or day numbers (the research
 * tables), which order alike. The research tables read 'overdue' as lost to follow-up, and 'due'
 * or 'upcoming' (the window has not closed) as not yet due.
 */
export function timePointStatus<Day extends string | number>(
  window: { readonly start: Day; readonly end: Day },
  done: boolean,
  today: Day,
): FollowUpStatus {
  if (done) {
    return 'done';
  }
  return today < window.start ? 'upcoming' : today <= window.end ? 'due' : 'overdue';
}

/**
 * Due day and inclusive window of a time point from an anchor day, in calendar arithmetic
 * (date-fns on the local calendar date: 6 months after 31 January is 31 July).
 */
export function timePointWindow(
  anchorDay: string,
  point: Pick<FollowUpTimePoint, 'offset' | 'window'>,
): { due: string; start: string; end: string } {
  const due = add(localDate(dayIndex(anchorDay) ?? 0), point.offset);
  return {
    due: localDayOf(due),
    start: localDayOf(sub(due, point.window.before)),
    end: localDayOf(add(due, point.window.after)),
  };
}
