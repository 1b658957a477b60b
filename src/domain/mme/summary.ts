/**
 * What a clinician reads off the MME series at `asOf`: the current total, the highest in the past
 * 12 months, the change over 90 days and over 12 months, the dose trajectory (trajectory.ts), and
 * the active opioid records left out of the total. Pure: `asOf` is a parameter. The 50 and 90 MME/day reference
 * lines are the UI's business, never a trigger here.
 */
import { isActiveOn } from './activity.ts';
import { addMonths, dayIndex, isoDate } from '../fhir-primitives/dates.ts';
import { reconcileMme } from './reconcile.ts';
import type { ExclusionReason, MedicationMmeResult, UnknownReason } from './result.ts';
import type { DoseTrajectory } from './trajectory.ts';
import { doseTrajectory } from './trajectory.ts';
import type { MmePoint } from './timeline.ts';
import { mmeTimeline } from './timeline.ts';
import { clean } from '../fhir-primitives/json.ts';

export interface MmeChange {
  /** The earlier day compared (ISO date). */
  readonly since: string;
  readonly from: number;
  readonly to: number;
  readonly difference: number;
  /** Relative change in percent, or null when `from` is 0. */
  readonly percent: number | null;
}

/**
 * An opioid record active on asOf whose dose is not in the total: its dose could not be computed
 * (`unknown`), or it is excluded for a clinical reason (buprenorphine, no CDC 2022 factor, a route
 * or setting the factors are not for, a proposal or plan, OUD treatment). The view must say so.
 */
export interface NotInTotalRecord {
  readonly id: string;
  readonly resourceType: string;
  readonly label: string;
  readonly kind: 'excluded' | 'unknown';
  readonly reason: UnknownReason | ExclusionReason;
  readonly explanation: string;
}

/** Exclusions that leave an active opioid record out of the total (others are not opioid use). */
const LEFT_OUT: readonly ExclusionReason[] = [
  'buprenorphine',
  'no-cdc-2022-factor',
  'route-not-counted',
  'intent-not-an-order',
  'not-ambulatory',
  'oud-treatment',
];

export interface MmeSummary {
  readonly asOf: string;
  readonly current: number;
  /** Highest daily total in the 12 months up to asOf, and its first day (null when none). */
  readonly highest: { readonly mmePerDay: number; readonly date: string | null };
  readonly change90d: MmeChange;
  readonly change12m: MmeChange;
  /** Decreasing, stable, increasing or stopped, with rates per month (trajectory.ts). */
  readonly trajectory: DoseTrajectory;
  /** Opioid records active on asOf that are not in `current` (see activeNotInTotal). */
  readonly notInTotal: { readonly count: number; readonly records: readonly NotInTotalRecord[] };
}

/**
 * The results (after reconcileMme) whose interval covers `asOf` (ISO date) and that the total
 * leaves out: `unknown` ones, and opioids excluded for a clinical reason (LEFT_OUT). Records that
 * are not opioid use (not an opioid, a status that does not count, doNotPerform, a statement of a
 * counted request) are not listed.
 */
function activeNotInTotal(
  results: readonly MedicationMmeResult[],
  asOf: string,
): NotInTotalRecord[] {
  return reconcileMme(results).flatMap((r) =>
    (r.kind === 'unknown' || (r.kind === 'excluded' && LEFT_OUT.includes(r.reason))) &&
    isActiveOn(r.interval, asOf)
      ? [
          {
            id: r.id,
            resourceType: r.resourceType,
            label: r.label,
            kind: r.kind,
            reason: r.reason,
            explanation: r.explanation,
          },
        ]
      : [],
  );
}

function change(series: readonly MmePoint[], index: number, current: number): MmeChange {
  const point = series[Math.max(index, 0)];
  const from = point?.mmePerDay ?? 0;
  return {
    since: point?.date ?? '',
    from,
    to: current,
    difference: clean(current - from),
    percent: from === 0 ? null : clean(((current - from) / from) * 100),
  };
}

/**
 * Summary of the MME series at `asOf` (ISO date). An invalid asOf gives zeros and 'no-opioids'.
 * "Over 90 days" compares asOf with the day 90 days earlier; "over 12 months" with the same
 * calendar day a year earlier. The trajectory covers the 12 months up to asOf.
 */
export function summariseMme(
  results: readonly MedicationMmeResult[],
  options: { readonly asOf: string },
): MmeSummary {
  const asOf = dayIndex(options.asOf);
  if (asOf === undefined) {
    const none: MmeChange = { since: '', from: 0, to: 0, difference: 0, percent: null };
    return {
      asOf: options.asOf,
      current: 0,
      highest: { mmePerDay: 0, date: null },
      change90d: none,
      change12m: none,
      trajectory: { kind: 'no-opioids' },
      notInTotal: { count: 0, records: [] },
    };
  }
  const linked = reconcileMme(results);
  // The trajectory windows (at most 3 months) lie within the 12-month series.
  const first = addMonths(asOf, -12);
  const series = mmeTimeline(linked, {
    from: isoDate(first),
    to: isoDate(asOf),
    asOf: isoDate(asOf),
  });
  const current = series[series.length - 1]?.mmePerDay ?? 0;
  let highest: { mmePerDay: number; date: string | null } = { mmePerDay: 0, date: null };
  for (const point of series) {
    if (point.mmePerDay > highest.mmePerDay) {
      highest = { mmePerDay: point.mmePerDay, date: point.date };
    }
  }
  const notInTotal = activeNotInTotal(linked, isoDate(asOf));
  return {
    asOf: isoDate(asOf),
    current,
    highest,
    change90d: change(series, asOf - 90 - first, current),
    change12m: change(series, 0, current),
    trajectory: doseTrajectory(series, first),
    notInTotal: { count: notInTotal.length, records: notInTotal },
  };
}
