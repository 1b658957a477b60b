/**
 * Renders an OutcomeReport as Markdown, CSV (one wide row per time point) or JSON, always with
 * the method and the windows, so a table never travels without how it was made.
 */
import { formatDuration } from 'date-fns/formatDuration';
import type { Proportion } from '../stats/descriptive.ts';
import type { AncovaResult } from '../stats/ancova.ts';
import type { MeanCi, WelchResult } from '../stats/tInference.ts';
import {
  BASELINE_LOOKBACK_DAYS,
  CONFIDENCE_LEVEL,
  MCID_POINTS,
  MODERATE_IMPROVEMENT_FRACTION,
} from './analysisPlan.ts';
import { FOLLOW_UP_TIME_POINTS } from '../pathway/followUp.ts';
import type { EvidenceCounts as StoreCounts } from './patientEvidence.ts';
import type { ArmAtTimePoint, MmeChange, OutcomeReport } from './outcomeTable.ts';

export type ReportFormat = 'md' | 'csv' | 'json';

export interface RunInfo {
  /** Where the report's as-of day came from, in words ("--as-of", "the bulk export's …"). */
  readonly asOfSource: string;
  readonly files: readonly string[];
  readonly malformedLines: number;
  readonly counts: StoreCounts;
}

const PCT = Math.round(CONFIDENCE_LEVEL * 100);

export const METHOD = [
  "Change = follow-up PEG − baseline PEG (negative = improvement); time points count from the baseline PEG, the trial's rule (the clinic screen counts from the programme start once known).",
  `Per arm: mean change with a ${PCT}% CI from Student's t on n − 1 df.`,
  `Between arms: difference in mean change (intervention − comparison) by Welch's unequal-variance t-test on the change scores; ${PCT}% CI and two-sided p with Welch–Satterthwaite df; t distribution from jStat.`,
  `Responders: a drop of ≥ ${MCID_POINTS} point (OPTIMUM's MCID) and a drop of ≥ ${MODERATE_IMPROVEMENT_FRACTION * 100}% of baseline (IMMPACT's moderately important change, defined for pain intensity and extrapolated to the PEG; patients with baseline 0 are left out of that share).`,
  'Median MME/day change: among patients on opioids at baseline only (total opioid MME/day > 0 on the baseline PEG day), total MME/day (CDC 2022 factors, the MME engine) on the follow-up PEG day − on the baseline PEG day; the cell gives that n and how many of them had a lower MME/day at follow-up ("reduced"). Patients without opioids on the baseline day, including everyone without opioid records, are not in the median (counted as 0 they would make it 0 by construction), so an opioid started after baseline is not shown here. A patient with an opioid of unknown dose on either day is left out and counted as "dose unknown".',
  `Adjusted difference: ANCOVA of the change on arm and baseline PEG (common within-arm slope), the same complete cases; ${PCT}% CI and two-sided p on n − 3 df.`,
  "Scores are the exact means of the three items (7/7/6 is 20/3, not 6.67), and the responder verdicts are the PEG module's own (reachesMcid, reaches30Percent), as the app shows them.",
  "Every statistic is exact, not an approximation: each analysed patient's change is added, in patient order, to running sums (count and sum for the mean; Welford's sum of squared deviations for the SD and Welch's test; the ANCOVA sums), and the MME/day changes are kept whole for their median. The input is read once, resource by resource, into each patient's small records (by the app's own readers); the embedded DuckDB engine sorts them by patient, and the patients are then analysed one at a time, in that order.",
].join(' ');

/**
 * The method with the as-of day: which missing follow-ups are losses and which are not yet due.
 */
export function methodText(report: OutcomeReport, run: Pick<RunInfo, 'asOfSource'>): string {
  return `${METHOD} Follow-ups as of ${report.asOf} (${run.asOfSource}), the analysis as it stood that day (PEGs and referrals dated after it are left out): a patient with a baseline but no PEG in a window that closed by then is lost to follow-up at that time point (share of those whose window closed); one whose window had not closed by then is not yet due, in neither n nor the lost share; no value is imputed.`;
}

/** How many records of the input the as-of day left out (dated after it). */
export function leftOutText(report: OutcomeReport): string {
  const { patients, pegs, referrals } = report.leftOutAfterAsOf;
  if (patients === 0) {
    return `No PEG or referral in the input is dated after ${report.asOf}.`;
  }
  const plural = (n: number, word: string) => `${String(n)} ${word}${n === 1 ? '' : 's'}`;
  return `Left out as dated after ${report.asOf}: ${plural(pegs, 'PEG administration')} and ${plural(referrals, 'referral')}, of ${plural(patients, 'patient')}.`;
}

export function windowsText(): string {
  const windows = FOLLOW_UP_TIME_POINTS.map(
    (tp) =>
      `${tp.label}: due ${formatDuration(tp.offset)} after baseline, window ${formatDuration(tp.window.before)} before to ${formatDuration(tp.window.after)} after`,
  ).join('; ');
  return `Follow-up PEG = the one nearest its due date within an inclusive window (ties: the earlier), in calendar arithmetic from the baseline's date (the app's follow-up schedule). ${windows}. Referral baseline look-back: ${BASELINE_LOOKBACK_DAYS} days.`;
}

export function formatReport(report: OutcomeReport, run: RunInfo, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return markdown(report, run);
    case 'csv':
      return csv(report);
    case 'json':
      return `${JSON.stringify({ design: OBSERVATIONAL, method: methodText(report, run), asOfSource: run.asOfSource, windows: windowsText(), timePoints: FOLLOW_UP_TIME_POINTS, ...report, input: run }, jsonNumbers, 2)}\n`;
  }
}

function markdown(report: OutcomeReport, run: RunInfo): string {
  const { intervention, comparison } = report.arms;
  const lines = [
    `# PEG outcomes: ${intervention.label} vs ${comparison.label}`,
    '',
    `Arms by ${armModeText(report)}.`,
    '',
    `**${OBSERVATIONAL}**`,
    '',
    `- ${intervention.label}: ${intervention.withBaseline} patients with a baseline; baseline = ${intervention.baselineRule}; mean baseline PEG ${meanOnly(intervention.baselineMean)}.`,
    `- ${comparison.label}: ${comparison.withBaseline} patients with a baseline; baseline = ${comparison.baselineRule}; mean baseline PEG ${meanOnly(comparison.baselineMean)}.`,
    '',
    `| Time point | Arm | n | Lost to follow-up | Not yet due | Mean change (${PCT}% CI) | ≥ ${MCID_POINTS}-point drop | ≥ ${MODERATE_IMPROVEMENT_FRACTION * 100}% drop | Median MME/day change (on opioids at baseline) |`,
    '| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
    ...report.rows.flatMap((row) => [
      armRow(row.timePoint.label, intervention.label, row.intervention),
      armRow(row.timePoint.label, comparison.label, row.comparison),
    ]),
    '',
    `| Time point | Difference in mean change (${PCT}% CI), Welch | p | t | df | Adjusted for baseline PEG (${PCT}% CI), ANCOVA | p |`,
    '| --- | --- | ---: | ---: | ---: | --- | ---: |',
    ...report.rows.map((row) => differenceRow(row.timePoint.label, row.difference, row.adjusted)),
    '',
    `Method: ${methodText(report, run)}`,
    '',
    leftOutText(report),
    '',
    `Windows: ${windowsText()}`,
    '',
    `Excluded: ${exclusions(report)}.`,
    '',
    `Input: ${run.files.length} file(s), ${run.counts.resources} resources, ${run.counts.pegAdministrations} PEG records, ${run.counts.referrals} programme referrals, ${run.counts.medications} medication records (${run.counts.opioidsCounted} opioids with MME, ${run.counts.opioidsUnknown} of unknown dose), ${run.malformedLines} malformed line(s)${skippedText(run.counts)}.`,
  ];
  return `${lines.join('\n')}\n`;
}

function armModeText(report: OutcomeReport): string {
  switch (report.armMode.kind) {
    case 'referral':
      return 'referral to the mindfulness group-visit programme';
    case 'group':
      return `membership of Group/${report.armMode.groupId}`;
  }
}

function armRow(timePoint: string, arm: string, cell: ArmAtTimePoint): string {
  const lost =
    cell.n + cell.missing === 0
      ? '–'
      : `${cell.missing} (${((100 * cell.missing) / (cell.n + cell.missing)).toFixed(1)}%)`;
  return `| ${timePoint} | ${arm} | ${cell.n} | ${lost} | ${cell.notYetDue} | ${meanCi(cell.meanChange)} | ${share(cell.improvedOnePoint)} | ${share(cell.improvedThirtyPercent)} | ${mme(cell.medianMmeChange)} |`;
}

function differenceRow(timePoint: string, d: WelchResult, a: AncovaResult): string {
  const adjusted =
    a.kind === 'insufficient'
      ? `not estimable (${a.reason}) | –`
      : `${fix(a.difference)} (${fix(a.lower)} to ${fix(a.upper)}) | ${pValue(a.p)}`;
  if (d.kind === 'insufficient') {
    return `| ${timePoint} | not estimable (${d.reason}) | – | – | – | ${adjusted} |`;
  }
  return `| ${timePoint} | ${fix(d.difference)} (${fix(d.lower)} to ${fix(d.upper)}) | ${pValue(d.p)} | ${fix(d.t)} | ${d.df.toFixed(1)} | ${adjusted} |`;
}

/** Said with every table: arms chosen by referral or Group are not randomised. */
export const OBSERVATIONAL =
  'Observational comparison, not a randomised trial: patients were not assigned to the arms by chance, so a difference may come from who was referred (or put in the Group) rather than from the programme. The adjusted estimate corrects for baseline PEG only.';

function csv(report: OutcomeReport): string {
  const armColumns = (prefix: string): string[] =>
    [
      'label',
      'n',
      'mean_change',
      'ci_lower',
      'ci_upper',
      'drop_1pt',
      'drop_1pt_denominator',
      'drop_30pct',
      'drop_30pct_denominator',
      'median_mme_change',
      'median_mme_change_n',
      'mme_reduced',
      'mme_dose_unknown',
      'lost_to_follow_up',
      'not_yet_due',
    ].map((c) => `${prefix}_${c}`);
  const header = [
    'time_point',
    'due_after_baseline',
    'window_before',
    'window_after',
    ...armColumns('intervention'),
    ...armColumns('comparison'),
    'difference',
    'difference_ci_lower',
    'difference_ci_upper',
    't',
    'df',
    'p',
    'adjusted_difference',
    'adjusted_ci_lower',
    'adjusted_ci_upper',
    'adjusted_p',
    'as_of',
  ];
  const armCells = (label: string, cell: ArmAtTimePoint): string[] => {
    const m = cell.meanChange;
    return [
      quote(label),
      String(cell.n),
      ...(m.kind === 'estimate'
        ? [num(m.mean), num(m.lower), num(m.upper)]
        : [m.mean === undefined ? '' : num(m.mean), '', '']),
      String(cell.improvedOnePoint.successes),
      String(cell.improvedOnePoint.n),
      String(cell.improvedThirtyPercent.successes),
      String(cell.improvedThirtyPercent.n),
      ...mmeCells(cell.medianMmeChange),
      String(cell.missing),
      String(cell.notYetDue),
    ];
  };
  const rows = report.rows.map((row) => {
    const d = row.difference;
    return [
      row.timePoint.id,
      formatDuration(row.timePoint.offset),
      formatDuration(row.timePoint.window.before),
      formatDuration(row.timePoint.window.after),
      ...armCells(report.arms.intervention.label, row.intervention),
      ...armCells(report.arms.comparison.label, row.comparison),
      ...(d.kind === 'estimate'
        ? [num(d.difference), num(d.lower), num(d.upper), num(d.t), num(d.df), num(d.p)]
        : ['', '', '', '', '', '']),
      ...(row.adjusted.kind === 'estimate'
        ? [row.adjusted.difference, row.adjusted.lower, row.adjusted.upper, row.adjusted.p].map(num)
        : ['', '', '', '']),
      report.asOf,
    ].join(',');
  });
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

function exclusions(report: OutcomeReport): string {
  const parts: string[] = [];
  for (const arm of [report.arms.intervention, report.arms.comparison]) {
    const { excluded } = arm;
    parts.push(
      `${arm.label}: ${excluded['no-peg']} without any PEG, ${excluded['referred-without-baseline-peg']} without a PEG at referral, ${excluded['referral-without-date']} with an undated referral, ${excluded['not-eligible-at-referral']} not eligible on the referral day, ${excluded['never-eligible']} never eligible on a PEG day (age, screening, red flags, pregnancy, PEG below the threshold, or not screened)`,
    );
  }
  return parts.join('; ');
}

function skippedText(counts: StoreCounts): string {
  const entries = Object.entries(counts.skipped);
  return entries.length === 0
    ? ''
    : `; skipped: ${entries.map(([k, v]) => `${k} ${v}`).join(', ')}`;
}

function meanCi(m: MeanCi): string {
  if (m.kind === 'insufficient') {
    return m.mean === undefined ? '–' : `${fix(m.mean)} (n too small for a CI)`;
  }
  return `${fix(m.mean)} (${fix(m.lower)} to ${fix(m.upper)})`;
}

function meanOnly(m: MeanCi): string {
  return m.kind === 'estimate'
    ? `${fix(m.mean)} (SD ${fix(m.sd)})`
    : m.mean === undefined
      ? '–'
      : fix(m.mean);
}

function share(p: Proportion): string {
  return p.share.kind === 'value'
    ? `${(p.share.value * 100).toFixed(1)}% (${p.successes}/${p.n})`
    : '–';
}

function mme(m: MmeChange): string {
  if (m.kind === 'median') {
    return `${fix(m.value)} (n ${m.n} on opioids at baseline, ${m.reduced} reduced${unknownText(m.unknownDose)})`;
  }
  switch (m.reason) {
    case 'no-medication-records':
      return 'not computed (no medication records)';
    case 'none-on-opioids-at-baseline':
      return '– (n 0 on opioids at baseline)';
    case 'opioid-doses-unknown':
      return `– (n 0 on opioids at baseline${unknownText(m.unknownDose)})`;
  }
}

function unknownText(unknownDose: number): string {
  return unknownDose === 0 ? '' : `; ${unknownDose} dose unknown`;
}

/** CSV: median, its n, how many reduced, and those left out for an unknown dose. */
function mmeCells(m: MmeChange): string[] {
  if (m.kind === 'median') {
    return [num(m.value), String(m.n), String(m.reduced), String(m.unknownDose)];
  }
  return m.reason === 'no-medication-records'
    ? ['', '', '', '']
    : ['', '0', '0', String(m.unknownDose)];
}

function pValue(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function fix(value: number): string {
  return value.toFixed(2);
}

function num(value: number): string {
  return String(Number(value.toPrecision(10)));
}

function quote(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** JSON has no Infinity; open-ended windows never occur, but keep the output valid regardless. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
