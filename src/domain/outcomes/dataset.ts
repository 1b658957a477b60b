/**
 * The analysis dataset: one row per analysed patient and time point (and one row per excluded
 * patient, with the reason), for researchers' own models in R, Stata or Python. Every value
 * comes from the same assignment and verdicts as the printed table. DATASET_COLUMNS is its data
 * dictionary (written beside the data).
 */
import { isoDate } from '../fhir-primitives/dates.ts';
import { reaches30Percent, reachesMcid } from '../peg/change.ts';
import { FOLLOW_UP_TIME_POINTS } from '../pathway/followUp.ts';
import type { ArmMode, PatientEvidence } from './armAssignment.ts';
import { armLabel, assignPatient } from './armAssignment.ts';
import { timePointWindow } from './timeWindows.ts';

export type DatasetValue = string | number | boolean | null;

export interface DatasetColumn {
  readonly name: string;
  /** DuckDB/SQL type. */
  readonly type: 'VARCHAR' | 'DATE' | 'DOUBLE' | 'INTEGER' | 'BOOLEAN';
  readonly description: string;
}

export const DATASET_COLUMNS: readonly DatasetColumn[] = [
  {
    name: 'patient',
    type: 'VARCHAR',
    description:
      "The patient's FHIR reference (Patient/<id>); pseudonymous when the export was de-identified.",
  },
  {
    name: 'arm',
    type: 'VARCHAR',
    description: "'intervention' (referred, or in the Group) or 'comparison'.",
  },
  {
    name: 'arm_label',
    type: 'VARCHAR',
    description:
      'The arm as the table names it (Referred / Not referred / Group <id> / Not in group).',
  },
  {
    name: 'analysed',
    type: 'BOOLEAN',
    description:
      'true: the patient has a baseline and is in the table; false: excluded (see exclusion), one row with no time point.',
  },
  {
    name: 'exclusion',
    type: 'VARCHAR',
    description:
      'Why an excluded patient is not analysed: no-peg, referral-without-date, referred-without-baseline-peg, not-eligible-at-referral, never-eligible.',
  },
  {
    name: 'index_date',
    type: 'DATE',
    description:
      'The index event: the first programme referral (referred), else the baseline PEG day (the first day the patient was eligible, or the first PEG by Group).',
  },
  {
    name: 'eligible_at_index',
    type: 'BOOLEAN',
    description:
      "Eligible for the programme on the index day by the app's criteria (arms by referral); null with arms by Group (not checked).",
  },
  {
    name: 'programme_task',
    type: 'VARCHAR',
    description:
      "Status of the programme's Task for the first referral: requested, accepted, in-progress (first session attended), completed (programme finished), rejected or cancelled; null without a Task (its last version in the input, not as of as_of). The dataset's only attendance measure: the per-session attendance the programme workspace records (an Encounter per patient and session, basedOn the referral) is not read into it.",
  },
  {
    name: 'baseline_date',
    type: 'DATE',
    description: 'Day of the baseline PEG (as recorded, in its own time zone).',
  },
  {
    name: 'baseline_peg',
    type: 'DOUBLE',
    description: 'Baseline PEG, the exact mean of the three items (0–10; 7/7/6 = 6.666…).',
  },
  {
    name: 'time_point',
    type: 'VARCHAR',
    description:
      'week8, month6 or month12 (OPTIMUM), due 8 weeks / 6 / 12 months after the baseline PEG.',
  },
  {
    name: 'due_date',
    type: 'DATE',
    description: "The time point's due day (calendar arithmetic from baseline_date).",
  },
  {
    name: 'window_start',
    type: 'DATE',
    description: 'First day a PEG counts for this time point (inclusive).',
  },
  {
    name: 'window_end',
    type: 'DATE',
    description: 'Last day a PEG counts for this time point (inclusive).',
  },
  {
    name: 'followup_status',
    type: 'VARCHAR',
    description:
      'followed-up: a PEG in the window; lost-to-follow-up: the window closed by as_of without one; not-yet-due: the window had not closed by as_of and holds no PEG yet (neither a follow-up nor a loss: leave it out of attrition).',
  },
  {
    name: 'as_of',
    type: 'DATE',
    description:
      "The day the data stand for (clbp outcomes --as-of; by default the clbp bulk export's transactionTime, else the day of the run): the analysis as it stood that day (PEGs and referrals dated after it left out; followup_status as of it). The same on every row.",
  },
  {
    name: 'followup_date',
    type: 'DATE',
    description:
      'Day of the follow-up PEG (nearest the due day in the window, the earlier on a tie); null when missing.',
  },
  {
    name: 'followup_peg',
    type: 'DOUBLE',
    description:
      'Follow-up PEG, exact mean; null when missing (lost to follow-up or not yet due, see followup_status; not imputed).',
  },
  {
    name: 'change',
    type: 'DOUBLE',
    description: 'followup_peg − baseline_peg (negative = improvement); null when missing.',
  },
  {
    name: 'days_from_baseline',
    type: 'INTEGER',
    description: 'followup_date − baseline_date in days; null when missing.',
  },
  {
    name: 'reaches_mcid',
    type: 'BOOLEAN',
    description:
      "A drop of ≥ 1 point (OPTIMUM's MCID), the PEG module's reachesMcid; null when missing.",
  },
  {
    name: 'reaches_30pct',
    type: 'BOOLEAN',
    description:
      "A drop of ≥ 30% of baseline (IMMPACT), the PEG module's reaches30Percent; false for a 0 baseline; null when missing.",
  },
  {
    name: 'mme_baseline',
    type: 'DOUBLE',
    description:
      'Total opioid MME/day (CDC 2022 factors) on the baseline day; null when an opioid of unknown dose covers it or the input has no medication records.',
  },
  {
    name: 'mme_followup',
    type: 'DOUBLE',
    description:
      'Total opioid MME/day on the follow-up day; null as mme_baseline, or when the follow-up is missing.',
  },
];

export type DatasetRow = Readonly<Record<string, DatasetValue>>;

function dateOrNull(day: number | undefined): string | null {
  return day === undefined ? null : isoDate(day);
}

function numberOrNull(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : value;
}

/** The patient's rows: three per analysed patient (one per time point), one if excluded. */
export function datasetRows(
  patient: string,
  evidence: PatientEvidence,
  mode: ArmMode,
  asOfDay: number,
): DatasetRow[] {
  const assignment = assignPatient(evidence, mode, asOfDay);
  const common = {
    patient,
    as_of: isoDate(asOfDay),
    arm: assignment.arm,
    arm_label: armLabel(mode, assignment.arm),
    programme_task: evidence.programmeTask ?? null,
  };
  const empty = Object.fromEntries(DATASET_COLUMNS.map((c) => [c.name, null]));
  if (assignment.kind === 'excluded') {
    return [{ ...empty, ...common, analysed: false, exclusion: assignment.reason }];
  }
  const { baseline, indexDay } = assignment;
  const mme = evidence.mmeOnDay;
  return FOLLOW_UP_TIME_POINTS.map((timePoint, i) => {
    const window = timePointWindow(baseline.day, timePoint);
    const outcome = assignment.followUps[i];
    const followUp = outcome?.kind === 'followed-up' ? outcome.peg : undefined;
    return {
      ...empty,
      ...common,
      analysed: true,
      index_date: isoDate(indexDay),
      eligible_at_index: mode.kind === 'referral' ? true : null,
      baseline_date: isoDate(baseline.day),
      baseline_peg: baseline.score,
      time_point: timePoint.id,
      due_date: isoDate(window.due),
      window_start: isoDate(window.from),
      window_end: isoDate(window.to),
      followup_status: outcome?.kind ?? null,
      followup_date: dateOrNull(followUp?.day),
      followup_peg: followUp?.score ?? null,
      change: followUp === undefined ? null : followUp.score - baseline.score,
      days_from_baseline: followUp === undefined ? null : followUp.day - baseline.day,
      reaches_mcid: followUp === undefined ? null : reachesMcid(baseline.score, followUp.score),
      reaches_30pct:
        followUp === undefined ? null : reaches30Percent(baseline.score, followUp.score),
      mme_baseline: numberOrNull(mme?.(baseline.day)),
      mme_followup: followUp === undefined ? null : numberOrNull(mme?.(followUp.day)),
    };
  });
}

/** The data dictionary as Markdown. */
export function dataDictionaryMarkdown(): string {
  const rows = DATASET_COLUMNS.map((c) => `| \`${c.name}\` | ${c.type} | ${c.description} |`);
  return [
    '# clbp_analysis: data dictionary',
    '',
    "One row per analysed patient and time point (week 8, month 6, month 12), and one row per excluded patient (analysed = false). Files: clbp_analysis.parquet and clbp_analysis.csv (same rows). Observational data: arms are not randomised. Attrition is followup_status = 'lost-to-follow-up'; a 'not-yet-due' row (its window still open on as_of) is neither a follow-up nor a loss.",
    '',
    '| column | type | meaning |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
