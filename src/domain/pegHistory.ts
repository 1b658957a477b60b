import { PEG_MAX, PEG_MCID_PERCENT, PEG_MCID_POINTS, PEG_MIN, roundScore } from './peg.ts';
import type { PegAdministration } from './peg.ts';

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * The calendar day ('YYYY-MM-DD') a FHIR date/dateTime was recorded on, in the zone it was
 * recorded in (its own offset), or undefined for a partial date ('2026', '2026-03').
 */
export function calendarDayOf(value: string): string | undefined {
  const match = DAY_PATTERN.exec(value);
  return match === null ? undefined : `${match[1]}-${match[2]}-${match[3]}`;
}

/** The local calendar day of an instant ('YYYY-MM-DD'), e.g. of `asOf`. */
export function localDayOf(instant: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`;
}

function instantOf(date: string): number {
  const parsed = Date.parse(date);
  return Number.isFinite(parsed) ? parsed : Number.POSITIVE_INFINITY;
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
    (a.subject === b.subject && instantOf(a.date) === instantOf(b.date) && a.score === b.score)
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
 * applied transitively) and sorting by date, oldest first.
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
  return [...groups.values()]
    .map(mergeGroup)
    .sort((a, b) => instantOf(a.date) - instantOf(b.date) || a.date.localeCompare(b.date));
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
      /** current − baseline, 2 decimals; negative = improvement. */
      points: number;
      /** (current − baseline) / baseline × 100; negative = improvement. */
      percent: PercentChange;
      /** Drop ≥ PEG_MCID_POINTS (OPTIMUM MCID). */
      reachesMcid: boolean;
      /** Drop ≥ PEG_MCID_PERCENT % of baseline (IMMPACT); false for a 0 baseline. */
      reaches30Percent: boolean;
    }
  | { kind: 'invalid'; reason: string };

function isScore(value: number): boolean {
  return Number.isFinite(value) && value >= PEG_MIN && value <= PEG_MAX;
}

/** True when the score dropped by at least the OPTIMUM MCID (1 point). Scores are 0-10 means. */
export function reachesMcid(baseline: number, current: number): boolean {
  return roundScore(baseline - current) >= PEG_MCID_POINTS;
}

/**
 * True when the score dropped by at least 30% of baseline (IMMPACT). A 0 baseline cannot drop,
 * so the answer is false (not an error). Compared at 6 decimals so 10 → 7 counts as 30%.
 */
export function reaches30Percent(baseline: number, current: number): boolean {
  if (baseline <= 0) {
    return false;
  }
  const drop = ((baseline - current) / baseline) * 100;
  return Math.round(drop * 1e6) / 1e6 >= PEG_MCID_PERCENT;
}

/** Change of the PEG mean score from baseline to current, with the MCID and 30% verdicts. */
export function changeFromBaseline(baseline: number, current: number): PegChange {
  if (!isScore(baseline) || !isScore(current)) {
    return { kind: 'invalid', reason: `PEG scores must be 0-10 (got ${baseline} → ${current})` };
  }
  return {
    kind: 'change',
    points: roundScore(current - baseline),
    percent:
      baseline === 0
        ? { kind: 'undefined', reason: 'zero-baseline' }
        : { kind: 'percent', value: roundScore(((current - baseline) / baseline) * 100) },
    reachesMcid: reachesMcid(baseline, current),
    reaches30Percent: reaches30Percent(baseline, current),
  };
}
