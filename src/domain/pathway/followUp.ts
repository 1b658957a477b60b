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

function dayDistance(a: string, b: string): number {
  return daysBetween(dayIndex(a) ?? 0, dayIndex(b) ?? 0);
}

export type FollowUpId = 'week-8' | 'month-6' | 'month-12';

export interface FollowUpTimePoint {
  readonly id: FollowUpId;
  readonly label: string;
  /** Due this long after the baseline PEG. */
  readonly offset: Duration;
  /** A PEG from `before` ahead of the due date to `after` past it completes the time point. */
  readonly window: { readonly before: Duration; readonly after: Duration };
}

/**
 * Follow-up PEG time points. Time points: OPTIMUM (NCT04129450) secondary outcome at week 8,
 * primary at month 6, secondary at month 12, counted from the baseline PEG (clinical.md).
 * Windows are a PROJECT DECISION (the reference gives none): ±2 weeks around week 8 (the
 * 8-week programme ends then), ±1 month around months 6 and 12. They do not overlap.
 */
export const FOLLOW_UP_TIME_POINTS: readonly FollowUpTimePoint[] = [
  {
    id: 'week-8',
    label: 'Week 8',
    offset: { weeks: 8 },
    window: { before: { weeks: 2 }, after: { weeks: 2 } },
  },
  {
    id: 'month-6',
    label: 'Month 6',
    offset: { months: 6 },
    window: { before: { months: 1 }, after: { months: 1 } },
  },
  {
    id: 'month-12',
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
  /** Calendar days 'YYYY-MM-DD' (local to the baseline's recorded date). */
  readonly dueDate: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly status: FollowUpStatus;
  /** The PEG that completed it (the one closest to the due date; the earlier on a tie). */
  readonly administration?: Pick<PegAdministration, 'date' | 'score' | 'sources'>;
}

export type FollowUpSchedule =
  | { kind: 'schedule'; baselineDate: string; points: FollowUpPoint[] }
  | { kind: 'no-baseline' }
  | { kind: 'invalid-baseline-date'; date: string };

/**
 * The follow-up PEG schedule from a baseline PEG (see pegHistory.selectBaseline), with each time
 * point's status on `asOf`. `administrations` is the patient's PEG history (any order); those
 * after `asOf`'s local day are ignored so the answer depends only on what was known on `asOf`.
 * PEG days are the days as recorded (`calendarDayOf`), "today" is `localDayOf(asOf)`: see
 * calendarDayOf for why writers must record local offsets.
 */
export function followUpSchedule(
  baseline: Pick<PegAdministration, 'date'> | undefined,
  administrations: readonly Pick<PegAdministration, 'date' | 'score' | 'sources'>[],
  asOf: Date,
): FollowUpSchedule {
  if (baseline === undefined) {
    return { kind: 'no-baseline' };
  }
  const baselineDay = calendarDayOf(baseline.date);
  if (baselineDay === undefined) {
    return { kind: 'invalid-baseline-date', date: baseline.date };
  }
  const baselineIndex = dayIndex(baselineDay) ?? 0;
  const today = localDayOf(asOf);
  const known = administrations.flatMap((administration) => {
    const day = calendarDayOf(administration.date);
    return day !== undefined && day > baselineDay && day <= today ? [{ administration, day }] : [];
  });
  const points = FOLLOW_UP_TIME_POINTS.map((point): FollowUpPoint => {
    const due = add(localDate(baselineIndex), point.offset);
    const dueDate = localDayOf(due);
    const start = localDayOf(sub(due, point.window.before));
    const end = localDayOf(add(due, point.window.after));
    const inWindow = known
      .filter(({ day }) => day >= start && day <= end)
      .sort(
        (a, b) =>
          dayDistance(a.day, dueDate) - dayDistance(b.day, dueDate) || a.day.localeCompare(b.day),
      );
    const done = inWindow[0]?.administration;
    const status: FollowUpStatus =
      done !== undefined ? 'done' : today < start ? 'upcoming' : today <= end ? 'due' : 'overdue';
    return {
      id: point.id,
      label: point.label,
      dueDate,
      window: { start, end },
      status,
      ...(done === undefined ? {} : { administration: done }),
    };
  });
  return { kind: 'schedule', baselineDate: baselineDay, points };
}
