/**
 * The dose trajectory and the risk prompts in words, so the app, the CLI and a pathway status line
 * say the same thing: facts, rates and the guideline's words (guidelineWords.ts), never "tapering"
 * and never an instruction to reduce.
 */
import { formatNumber } from './format.ts';
import { FASTER_THAN_USUAL_TAPER } from './guidelineWords.ts';
import { NALOXONE_MME_PER_DAY } from './referenceLevels.ts';
import type { NaloxoneReason, RiskPrompt } from './riskContext.ts';
import type { DoseChangeWindow, DoseTrajectory } from './trajectory.ts';

/** What the naloxone prompt's substance use reason rests on, shown wherever the prompt is. */
export const SUBSTANCE_USE_CHECKED =
  'Checked: opioid use disorder codes (CDC value set opioid-misuse-disorders); other substance use disorders not checked.';

const DIRECTION_WORDS: Readonly<Record<Exclude<DoseTrajectory['kind'], 'no-opioids'>, string>> = {
  decreasing: 'Decreasing',
  stable: 'Stable',
  increasing: 'Increasing',
  stopped: 'Stopped',
};

const span = (months: number): string =>
  months === 1 ? 'the last month' : `the last ${months} months`;

function signed(value: number): string {
  return `${value > 0 ? '+' : value < 0 ? '−' : ''}${formatNumber(Math.abs(value))}`;
}

/** "120 → 30 MME/day over the last month (−75% a month)". */
function windowText(w: DoseChangeWindow): string {
  switch (w.direction) {
    case 'none':
      return `none over ${span(w.months)}`;
    case 'started':
      return `started within ${span(w.months)} (none on ${w.since}; ${formatNumber(w.to)} MME/day now)`;
    case 'decreasing':
    case 'stable':
    case 'increasing':
    case 'stopped':
      return `${formatNumber(w.from)} → ${formatNumber(w.to)} MME/day over ${span(w.months)}${
        w.percentPerMonth === null ? '' : ` (${signed(w.percentPerMonth)}% a month)`
      }`;
  }
}

/** One sentence: the trajectory, its windows, and the mark when faster than the usual taper. */
export function trajectoryText(trajectory: DoseTrajectory): string {
  if (trajectory.kind === 'no-opioids') {
    return 'No counted opioid in the last 12 months.';
  }
  const windows = trajectory.windows.map(windowText).join('; ');
  const stop =
    trajectory.kind === 'stopped'
      ? ` Last opioid day ${trajectory.lastDay} at ${formatNumber(trajectory.lastMmePerDay)} MME/day, after ${
          trajectory.daysTakenAtLeast ? 'at least ' : ''
        }${trajectory.daysTaken} day${trajectory.daysTaken === 1 ? '' : 's'} in a row.`
      : '';
  // How long a dose that began within the windows was taken: the guideline's taper rates depend on
  // it (a stop says it already).
  const taken =
    trajectory.kind !== 'stopped' && trajectory.startedWithinWindows
      ? ` Taken ${String(trajectory.daysTaken)} day${trajectory.daysTaken === 1 ? '' : 's'} in a row.`
      : '';
  const faster = trajectory.fasterThanUsualTaper
    ? ` ${FASTER_THAN_USUAL_TAPER.charAt(0).toUpperCase()}${FASTER_THAN_USUAL_TAPER.slice(1)}.`
    : '';
  return `${DIRECTION_WORDS[trajectory.kind]}: ${windows}.${stop}${taken}${faster}`;
}

function reasonText(reason: NaloxoneReason): string {
  switch (reason.kind) {
    case 'dose':
      return `the dose is ${formatNumber(reason.mmePerDay)} MME/day (≥ ${NALOXONE_MME_PER_DAY})`;
    case 'benzodiazepine':
      return `a benzodiazepine is taken with opioids (${reason.records.map((r) => r.label).join('; ')})`;
    case 'opioid-use-disorder':
      return `opioid use disorder is on the chart (${reason.conditions
        .map((c) => `${c.display ?? 'opioid use disorder'}, ${c.code}`)
        .join('; ')})`;
  }
}

/** The prompt's headline, with the recommendation number and what it rests on. */
export function riskPromptText(prompt: RiskPrompt): string {
  switch (prompt.kind) {
    case 'offer-naloxone':
      return `Offer naloxone (CDC 2022 Recommendation 8): no naloxone for overdose reversal is on record, and ${prompt.reasons
        .map(reasonText)
        .join('; and ')}.`;
    case 'concurrent-benzodiazepine':
      return `Benzodiazepine with opioids (CDC 2022 Recommendation 11): ${prompt.benzodiazepines
        .map((r) => r.label)
        .join('; ')} taken with ${prompt.opioids.map((r) => r.label).join('; ')}.`;
  }
}
