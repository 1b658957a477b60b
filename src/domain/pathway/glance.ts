/**
 * The first screen's compact row, in words: the PEG (latest, change from baseline), the opioid
 * dose (current, trajectory, risk prompts) and the referral (stage, next follow-up). Pure; every
 * number and verdict comes from the pathway (one definition each), only the wording is here.
 * Dates are calendar days 'YYYY-MM-DD', the one date format of the app.
 */
import type { PegChange } from '../peg/change.ts';
import type { Pathway } from './evaluate.ts';
import { followUpName } from './status.ts';

export interface GlanceCell {
  /** The headline ("5.33", "40 MME/day", "Referred"). */
  readonly value: string;
  /** What it means, one short line (no FHIR ids). */
  readonly detail: string;
  /** A word a clinician must not miss: a worsening, a risk prompt, a dose stopped fast. */
  readonly flag?: string | undefined;
}

export interface Glance {
  readonly peg: GlanceCell;
  readonly mme: GlanceCell;
  readonly referral: GlanceCell;
}

const signed = (n: number, digits: number): string =>
  `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toFixed(digits)}`;

/**
 * A change from baseline in points and percent, with the way it went: a rise is a worsening and
 * is called one ("+3.33 points (+50%): worse"); an improvement names the verdicts it reaches.
 */
export function pegChangeText(change: Extract<PegChange, { kind: 'change' }>): string {
  const percent = change.percent.kind === 'percent' ? ` (${signed(change.percent.value, 0)}%)` : '';
  const points = `${signed(change.points, 2)} points${percent}`;
  switch (change.direction) {
    case 'worse':
      return `${points}: worse`;
    case 'unchanged':
      return `${points}: unchanged`;
    case 'better': {
      const reached = [
        change.reachesMcid ? 'the 1-point MCID' : undefined,
        change.reaches30Percent ? 'a 30% improvement' : undefined,
      ].filter((r) => r !== undefined);
      return `${points}: better${reached.length > 0 ? `, reaches ${reached.join(' and ')}` : ''}`;
    }
  }
}

function pegCell(pathway: Pathway): GlanceCell {
  const { latest, baseline, change } = pathway.peg;
  if (latest === undefined) {
    return { value: 'No PEG', detail: 'None on record' };
  }
  const on = `on ${latest.date.slice(0, 10)}`;
  if (change?.kind === 'change' && baseline?.kind === 'baseline') {
    return {
      value: latest.score.toFixed(2),
      detail: `${on}; from baseline ${baseline.administration.score.toFixed(2)}: ${pegChangeText(change)}`,
      flag: change.direction === 'worse' ? 'Worse than baseline' : undefined,
    };
  }
  const isBaseline = baseline?.kind === 'baseline' && baseline.administration === latest;
  return { value: latest.score.toFixed(2), detail: `${on}${isBaseline ? ' (baseline)' : ''}` };
}

const TRAJECTORY_TEXT = {
  decreasing: 'decreasing',
  stable: 'stable',
  increasing: 'increasing',
  stopped: 'stopped',
  none: 'none on record',
} as const;

const PROMPT_TEXT = {
  'offer-naloxone': 'Offer naloxone',
  'concurrent-benzodiazepine': 'Benzodiazepine with opioids',
} as const;

function mmeCell(pathway: Pathway): GlanceCell {
  const mme = pathway.mme;
  if (mme === undefined) {
    return pathway.notRead.includes('medications')
      ? { value: 'Not read', detail: 'The medications could not be read' }
      : { value: '…', detail: 'Working out the dose' };
  }
  if (!mme.anyOpioid) {
    return { value: 'No opioid', detail: 'None on record' };
  }
  // A stop is −100% within its window: the longest window's average ("−33% a month" over three
  // months for a stop three weeks ago) would read as a gradual reduction.
  const rate =
    mme.percentPerMonth === null || mme.trajectory === 'stopped'
      ? ''
      : ` (${signed(mme.percentPerMonth, 0)}% a month)`;
  const trajectory = mme.summary.trajectory;
  const faster = trajectory.kind !== 'no-opioids' && trajectory.fasterThanUsualTaper;
  // A dose begun within the windows was taken for a shorter time: the taper rates depend on it.
  const longest = trajectory.kind === 'no-opioids' ? undefined : trajectory.windows.at(-1);
  const started =
    trajectory.kind !== 'no-opioids' && trajectory.startedWithinWindows && longest !== undefined
      ? `, started within the last ${longest.months === 1 ? 'month' : `${String(longest.months)} months`}`
      : '';
  const prompts = mme.risk.prompts.map((p) => PROMPT_TEXT[p.kind]);
  return {
    value: `${String(Math.round(mme.summary.current * 10) / 10)} MME/day`,
    detail: `${TRAJECTORY_TEXT[mme.trajectory]}${rate}${started}${faster ? ', faster than the usual taper' : ''}`,
    flag: prompts.length > 0 ? prompts.join('; ') : undefined,
  };
}

const STAGE_TEXT = {
  awaiting: 'Referred',
  scheduled: 'Accepted',
  'on-hold': 'On hold',
  'in-programme': 'In programme',
  completed: 'Completed',
  declined: 'Declined',
  cancelled: 'Cancelled',
  failed: 'Failed',
} as const;

function referralCell(pathway: Pathway): GlanceCell {
  const referral = pathway.referral;
  if (referral === undefined) {
    return pathway.notRead.includes('referrals')
      ? { value: 'Not read', detail: 'The referrals could not be read' }
      : { value: 'Not referred', detail: 'No programme referral on record' };
  }
  const referred = `referred ${referral.referredOn ?? 'on an unknown date'}`;
  const schedule = pathway.followUps;
  const next =
    schedule?.points.find((p) => p.status === 'due' || p.status === 'overdue') ??
    schedule?.points.find((p) => p.status === 'upcoming');
  const followUp =
    next === undefined
      ? ''
      : `; ${followUpName(next)} ${next.status === 'upcoming' ? 'due' : next.status} ${next.dueDate}${
          schedule?.provisional === true ? ' (provisional)' : ''
        }`;
  return { value: STAGE_TEXT[referral.stage], detail: `${referred}${followUp}` };
}

/** The compact row of the first screen. */
export function glance(pathway: Pathway): Glance {
  return { peg: pegCell(pathway), mme: mmeCell(pathway), referral: referralCell(pathway) };
}
