import { PEG_MAX, PEG_MCID_PERCENT, PEG_MCID_POINTS, PEG_MIN, pegMean, roundScore } from './peg.ts';
import type { PegAdministration } from './peg.ts';
import { calendarDayOf, instantOf } from '../fhir-primitives/dates.ts';

/** An administration with its date read once: its calendar day and its instant. */
interface Dated {
  readonly administration: PegAdministration;
  /** The recorded calendar day (the day rule), or the raw date when it is not a full date. */
  readonly day: string;
  /** Epoch ms for ordering within a day; an unreadable date sorts last. */
  readonly instant: number;
}

function dated(administration: PegAdministration): Dated {
  const { date } = administration;
  return {
    administration,
    day: calendarDayOf(date) ?? date,
    instant: instantOf(date) ?? Number.POSITIVE_INFINITY,
  };
}

/**
 * Chronological order under the day rule: by recorded calendar day first, then by instant within
 * a day. Instants alone would put a date-only '2026-03-01' (read as UTC midnight) before a PEG
 * taken the evening of 28 February in Denver, so "the latest PEG on or before the referral day"
 * would be the wrong one.
 */
function chronological(a: Dated, b: Dated): number {
  const byDay = a.day < b.day ? -1 : a.day > b.day ? 1 : 0;
  return (
    byDay ||
    a.instant - b.instant ||
    (a.administration.date < b.administration.date
      ? -1
      : a.administration.date > b.administration.date
        ? 1
        : 0)
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
  if (group.length === 1) {
    return group[0];
  }
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
 * Observations), collapsing records of the same administration and sorting oldest first by
 * recorded calendar day, then instant.
 *
 * Two records are one administration (transitively) when they share a resource reference or
 * identifier, when one is derived from the other (Observation.derivedFrom → QuestionnaireResponse),
 * or when they are for the same subject at the same instant with the same 2-decimal score (an EHR
 * that stored both shapes without linking them; the score, not the exact mean, so a score-only
 * 91147-9 of 5.67 meets the item Observations of the same administration, mean 5.666…).
 *
 * Cost O(n log n) for n records: each date is parsed once, and the links are found through maps
 * of keys and of (subject, instant, score), not by comparing every pair (195-437 ms on the main
 * thread for a 30,000-resource chart's 1,140 records).
 */
export function mergePegHistory(
  administrations: readonly PegAdministration[],
): PegAdministration[] {
  const records = administrations.map(dated);
  const parent = records.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) {
      root = parent[root] ?? root;
    }
    for (let i = index; parent[i] !== root;) {
      const next = parent[i] ?? root;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  const union = (a: number, b: number): void => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  };
  /** First record holding each key (all records holding it end up in one group). */
  const byKey = new Map<string, number>();
  const byMoment = new Map<string, number>();
  records.forEach(({ administration, instant }, index) => {
    for (const key of administration.keys) {
      const other = byKey.get(key);
      if (other === undefined) {
        byKey.set(key, index);
      } else {
        union(index, other);
      }
    }
    const when = Number.isFinite(instant) ? String(instant) : `raw:${administration.date}`;
    const moment = `${administration.subject ?? ''}\u0000${when}\u0000${administration.score}`;
    const other = byMoment.get(moment);
    if (other === undefined) {
      byMoment.set(moment, index);
    } else {
      union(index, other);
    }
  });
  records.forEach(({ administration }, index) => {
    for (const source of administration.derivedFrom) {
      const other = byKey.get(source);
      if (other !== undefined) {
        union(index, other);
      }
    }
  });
  const groups = new Map<number, [PegAdministration, ...PegAdministration[]]>();
  records.forEach(({ administration }, index) => {
    const root = find(index);
    const group = groups.get(root);
    if (group === undefined) {
      groups.set(root, [administration]);
    } else {
      group.push(administration);
    }
  });
  return [...groups.values()]
    .map((group) => dated(mergeGroup(group)))
    .sort(chronological)
    .map((d) => d.administration);
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
