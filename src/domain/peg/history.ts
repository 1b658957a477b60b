import { PEG_MAX, PEG_MCID_PERCENT, PEG_MCID_POINTS, PEG_MIN, pegMean, roundScore } from './peg.ts';
import type { PegAdministration } from './peg.ts';
import { calendarDayOf, instantOf } from '../fhir-primitives/dates.ts';

/** Instant for ordering within a day; an unreadable date sorts last. */
function orderInstant(date: string): number {
  return instantOf(date) ?? Number.POSITIVE_INFINITY;
}

/**
 * Chronological order under the day rule: by recorded calendar day first, then by instant within
 * a day. Instants alone would put a date-only '2026-03-01' (read as UTC midnight) before a PEG
 * taken the evening of 28 February in Denver, so "the latest PEG on or before the referral day"
 * would be the wrong one.
 */
function chronological(a: PegAdministration, b: PegAdministration): number {
  const dayA = calendarDayOf(a.date) ?? a.date;
  const dayB = calendarDayOf(b.date) ?? b.date;
  return (
    dayA.localeCompare(dayB) ||
    orderInstant(a.date) - orderInstant(b.date) ||
    a.date.localeCompare(b.date)
  );
}

function intersects(a: readonly string[], b: readonly string[]): boolean {
  return a.some((value) => b.includes(value));
}

/**
 * Two records are one administration when they share a resource reference or identifier, when
 * one is derived from the other (Observation.derivedFrom → QuestionnaireResponse), or when they
 * are for the same subject at the same instant with the same score (an EHR that stored both
 * shapes without linking them).
 */
function sameAdministration(a: PegAdministration, b: PegAdministration): boolean {
  return (
    intersects(a.keys, b.keys) ||
    intersects(a.derivedFrom, b.keys) ||
    intersects(b.derivedFrom, a.keys) ||
    // The 2-decimal score, not the exact mean: a score-only 91147-9 (5.67) and the item
    // Observations of the same administration (mean 5.666…) must still meet.
    (a.subject === b.subject &&
      orderInstant(a.date) === orderInstant(b.date) &&
      a.score === b.score)
  );
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function isResponse(administration: PegAdministration): boolean {
  return administration.sources.some((source) => source.startsWith('QuestionnaireResponse/'));
}

function mergeGroup(
  group: readonly [PegAdministration, ...PegAdministration[]],
): PegAdministration {
  // The QuestionnaireResponse is the record of what was asked, so its date and score lead.
  const lead = group.find(isResponse) ?? group.find((a) => a.items !== undefined) ?? group[0];
  const items = lead.items ?? group.find((a) => a.items !== undefined)?.items;
  return {
    ...lead,
    ...(items === undefined ? {} : { items }),
    sources: unique(group.flatMap((a) => a.sources)),
    keys: unique(group.flatMap((a) => a.keys)),
    derivedFrom: unique(group.flatMap((a) => a.derivedFrom)),
  };
}

/**
 * Merges PEG administrations read from every source (QuestionnaireResponses, score and item
 * Observations), collapsing records of the same administration (see `sameAdministration`,
 * applied transitively) and sorting oldest first by recorded calendar day, then instant.
 */
export function mergePegHistory(
  administrations: readonly PegAdministration[],
): PegAdministration[] {
  const groupOf = administrations.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (groupOf[root] !== root) {
      root = groupOf[root] ?? root;
    }
    return root;
  };
  administrations.forEach((a, i) => {
    administrations.forEach((b, j) => {
      if (j > i && sameAdministration(a, b)) {
        groupOf[find(j)] = find(i);
      }
    });
  });
  const groups = new Map<number, [PegAdministration, ...PegAdministration[]]>();
  administrations.forEach((administration, index) => {
    const root = find(index);
    const group = groups.get(root);
    if (group === undefined) {
      groups.set(root, [administration]);
    } else {
      group.push(administration);
    }
  });
  return [...groups.values()].map(mergeGroup).sort(chronological);
}

export type BaselineSelection =
  | { kind: 'baseline'; administration: PegAdministration; rule: 'on-or-before-referral' | 'first' }
  | { kind: 'none'; reason: 'no-administrations' | 'none-on-or-before-referral' };

/**
 * The baseline PEG: with a referral date, the latest administration on or before the referral's
 * calendar day (the PEG the referral was made on, clinical.md); without one, the first.
 * `history` must be sorted (mergePegHistory's output).
 */
export function selectBaseline(
  history: readonly PegAdministration[],
  referralDate?: string,
): BaselineSelection {
  if (history.length === 0) {
    return { kind: 'none', reason: 'no-administrations' };
  }
  if (referralDate === undefined) {
    const [first] = history;
    return first === undefined
      ? { kind: 'none', reason: 'no-administrations' }
      : { kind: 'baseline', administration: first, rule: 'first' };
  }
  const referralDay = calendarDayOf(referralDate) ?? referralDate;
  const candidates = history.filter((a) => (calendarDayOf(a.date) ?? a.date) <= referralDay);
  const latest = candidates.at(-1);
  return latest === undefined
    ? { kind: 'none', reason: 'none-on-or-before-referral' }
    : { kind: 'baseline', administration: latest, rule: 'on-or-before-referral' };
}

export type PercentChange =
  | { kind: 'percent'; value: number }
  /** A 0 baseline has no relative change (and no room to improve). */
  | { kind: 'undefined'; reason: 'zero-baseline' };

export type PegChange =
  | {
      kind: 'change';
      /** current − baseline from the exact means, rounded to 2 decimals; negative = improvement. */
      points: number;
      /** (current − baseline) / baseline × 100, exact means, 2 decimals; negative = improvement. */
      percent: PercentChange;
      /** Drop ≥ PEG_MCID_POINTS (OPTIMUM MCID). */
      reachesMcid: boolean;
      /** Drop ≥ PEG_MCID_PERCENT % of baseline (IMMPACT); false for a 0 baseline. */
      reaches30Percent: boolean;
    }
  | { kind: 'invalid'; reason: string };

/** What a change is computed from: the stored score, and the exact mean or items when known. */
export type PegScored = Pick<PegAdministration, 'score' | 'mean' | 'items'>;

/**
 * Slack for binary floating point in the verdicts: means of integer items are thirds, which a
 * double cannot hold exactly (20/3 − 14/3 may come out a hair under 2). Real differences between
 * PEG scores are far larger (≥ 1/30 on the thirds grid, ≥ 0.01 between 2-decimal scores).
 */
const EPSILON = 1e-9;

function isScore(value: number): boolean {
  return Number.isFinite(value) && value >= PEG_MIN && value <= PEG_MAX;
}

/**
 * True when the mean dropped by at least the OPTIMUM MCID (1 point). Pass exact means
 * (`pegMean`), not 2-decimal scores.
 */
export function reachesMcid(baselineMean: number, currentMean: number): boolean {
  return baselineMean - currentMean >= PEG_MCID_POINTS - EPSILON;
}

/**
 * True when the mean dropped by at least 30% of baseline (IMMPACT). A 0 baseline cannot drop,
 * so the answer is false (not an error). Pass exact means (`pegMean`): 7/7/6 → 5/5/4 is exactly
 * 30% (20/3 → 14/3), while the stored 6.67 → 4.67 is 29.99%.
 */
export function reaches30Percent(baselineMean: number, currentMean: number): boolean {
  if (baselineMean <= 0) {
    return false;
  }
  return baselineMean - currentMean >= (PEG_MCID_PERCENT / 100) * baselineMean - EPSILON;
}

/**
 * Change of the PEG from a baseline administration to a current one, with the MCID and 30%
 * verdicts, all computed from the unrounded means (`pegMean`); only the reported points and
 * percent are rounded (2 decimals). 7/7/6 → 6/5/5 is −1.33 points, −20%.
 */
export function changeFromBaseline(baseline: PegScored, current: PegScored): PegChange {
  const from = pegMean(baseline);
  const to = pegMean(current);
  if (!isScore(from) || !isScore(to)) {
    return { kind: 'invalid', reason: `PEG scores must be 0-10 (got ${from} → ${to})` };
  }
  return {
    kind: 'change',
    points: roundScore(to - from),
    percent:
      from === 0
        ? { kind: 'undefined', reason: 'zero-baseline' }
        : { kind: 'percent', value: roundScore(((to - from) / from) * 100) },
    reachesMcid: reachesMcid(from, to),
    reaches30Percent: reaches30Percent(from, to),
  };
}
