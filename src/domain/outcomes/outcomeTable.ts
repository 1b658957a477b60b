/**
 * The trial-style outcome table: per arm and time point, n and mean PEG change with its 95% CI,
 * the between-arm difference (Welch's t-test), responder shares and the median MME/day change of
 * the patients on opioids at baseline.
 * Patients are added one at a time, so only change scores (a few numbers per analysed patient,
 * with the patient's stream order) are kept. Patients may arrive in any order (a spilled cohort
 * comes back one partition at a time): the columns are put back in stream order before summing,
 * so the floating-point sums, and so every number of the table, do not depend on it.
 */
import type { Estimate, Proportion } from '../stats/descriptive.ts';
import { median, proportion } from '../stats/descriptive.ts';
import type { MeanCi, WelchResult } from '../stats/tInference.ts';
import { meanWithCi, welchTTest } from '../stats/tInference.ts';
import type { TimePoint } from './analysisPlan.ts';
import {
  CONFIDENCE_LEVEL,
  MCID_POINTS,
  MODERATE_IMPROVEMENT_FRACTION,
  SCORE_EPSILON,
  TIME_POINTS,
} from './analysisPlan.ts';
import type { ArmId, ArmMode, ExclusionReason, PatientEvidence } from './armAssignment.ts';
import { armLabel, assignPatient, baselineRule } from './armAssignment.ts';

/**
 * Median MME/day change (follow-up day − baseline day) among the patients ON OPIOIDS AT BASELINE:
 * total MME/day > 0 on the baseline PEG's day. Patients without opioids that day (most patients,
 * including everyone without opioid records) are not in it: counted as 0 they would pin the
 * median at 0 by construction. `n` = patients in the median; `reduced` = those of them whose
 * MME/day on the follow-up day is below baseline (with most doses unchanged the median is 0 while
 * some patients did reduce); `unknownDose` = patients left out because an opioid of unknown dose
 * covers the baseline or the follow-up day.
 */
export type MmeChange =
  | { kind: 'median'; value: number; n: number; reduced: number; unknownDose: number }
  | { kind: 'not-computed'; reason: 'no-medication-records' }
  | {
      kind: 'not-computed';
      reason: 'none-on-opioids-at-baseline' | 'opioid-doses-unknown';
      unknownDose: number;
    };

export interface ArmAtTimePoint {
  readonly n: number;
  readonly meanChange: MeanCi;
  /** Share with a drop of at least MCID_POINTS. */
  readonly improvedOnePoint: Proportion;
  /** Share with a drop of at least 30% of baseline (patients with baseline 0 are not counted). */
  readonly improvedThirtyPercent: Proportion;
  readonly medianMmeChange: MmeChange;
}

export interface TimePointRow {
  readonly timePoint: TimePoint;
  readonly intervention: ArmAtTimePoint;
  readonly comparison: ArmAtTimePoint;
  /** intervention − comparison mean change; negative favours the intervention arm. */
  readonly difference: WelchResult;
}

export interface ArmSummary {
  readonly id: ArmId;
  readonly label: string;
  readonly baselineRule: string;
  /** Patients with a baseline PEG (the analysed set). */
  readonly withBaseline: number;
  readonly baselineMean: MeanCi;
  readonly excluded: Readonly<Record<ExclusionReason, number>>;
}

export interface OutcomeReport {
  readonly armMode: ArmMode;
  readonly arms: { readonly intervention: ArmSummary; readonly comparison: ArmSummary };
  readonly rows: readonly TimePointRow[];
}

/** Change scores of one arm at one time point, as parallel columns (no object per patient). */
interface ChangeColumns {
  readonly change: number[];
  readonly baseline: number[];
  /** Stream order of the patient of each `change` (and `baseline`) entry. */
  readonly order: number[];
  /** MME/day change of each patient on opioids at baseline whose doses are known. */
  readonly mme: number[];
  readonly mmeOrder: number[];
  /** Patients left out of `mme` because an opioid of unknown dose covers either day. */
  mmeUnknown: number;
}

interface ArmTally {
  baselines: number[];
  baselineOrder: number[];
  excluded: Record<ExclusionReason, number>;
  /** Indexed like TIME_POINTS. */
  changes: ChangeColumns[];
}

/** Accumulates patients, then {@link OutcomeTally.report} computes the table. */
export class OutcomeTally {
  private readonly mode: ArmMode;
  private mmeEngine = false;
  private added = 0;
  private readonly arms: Record<ArmId, ArmTally> = {
    intervention: emptyTally(),
    comparison: emptyTally(),
  };

  constructor(mode: ArmMode) {
    this.mode = mode;
  }

  /**
   * `order`: the patient's position in the stream (default: the order of the calls); the table
   * is computed as if patients had been added in that order.
   */
  add(patient: PatientEvidence, order: number = this.added): void {
    this.added += 1;
    const assignment = assignPatient(patient, this.mode);
    const tally = this.arms[assignment.arm];
    if (assignment.kind === 'excluded') {
      tally.excluded[assignment.reason] += 1;
      return;
    }
    const { baseline } = assignment;
    tally.baselines.push(baseline.score);
    tally.baselineOrder.push(order);
    const mmeOnDay = patient.mmeOnDay;
    if (mmeOnDay !== undefined) {
      this.mmeEngine = true;
    }
    assignment.followUps.forEach((followUp, index) => {
      if (followUp === undefined) {
        return;
      }
      const columns = tally.changes[index];
      if (columns === undefined) {
        return;
      }
      columns.change.push(followUp.score - baseline.score);
      columns.baseline.push(baseline.score);
      columns.order.push(order);
      if (mmeOnDay !== undefined) {
        tallyMme(columns, mmeOnDay(baseline.day), mmeOnDay(followUp.day), order);
      }
    });
  }

  report(): OutcomeReport {
    const rows = TIME_POINTS.map((timePoint, index): TimePointRow => {
      const a = inStreamOrder(this.arms.intervention.changes[index] ?? emptyColumns());
      const b = inStreamOrder(this.arms.comparison.changes[index] ?? emptyColumns());
      return {
        timePoint,
        intervention: summarise(a, this.mmeEngine),
        comparison: summarise(b, this.mmeEngine),
        difference: welchTTest(a.change, b.change, CONFIDENCE_LEVEL),
      };
    });
    return {
      armMode: this.mode,
      arms: {
        intervention: this.armSummary('intervention'),
        comparison: this.armSummary('comparison'),
      },
      rows,
    };
  }

  private armSummary(arm: ArmId): ArmSummary {
    const tally = this.arms[arm];
    return {
      id: arm,
      label: armLabel(this.mode, arm),
      baselineRule: baselineRule(this.mode, arm),
      withBaseline: tally.baselines.length,
      baselineMean: meanWithCi(byOrder(tally.baselines, tally.baselineOrder), CONFIDENCE_LEVEL),
      excluded: { ...tally.excluded },
    };
  }
}

function emptyTally(): ArmTally {
  return {
    baselines: [],
    baselineOrder: [],
    excluded: { 'no-peg': 0, 'referred-without-baseline-peg': 0, 'referral-without-date': 0 },
    changes: TIME_POINTS.map(emptyColumns),
  };
}

function emptyColumns(): ChangeColumns {
  return { change: [], baseline: [], order: [], mme: [], mmeOrder: [], mmeUnknown: 0 };
}

/** The columns in stream order (the order columns are spent on it and left empty). */
function inStreamOrder(columns: ChangeColumns): ChangeColumns {
  return {
    change: byOrder(columns.change, columns.order),
    baseline: byOrder(columns.baseline, columns.order),
    order: [],
    mme: byOrder(columns.mme, columns.mmeOrder),
    mmeOrder: [],
    mmeUnknown: columns.mmeUnknown,
  };
}

/** `values` sorted by their `order` (unchanged when already in order, as in one in-memory pass). */
function byOrder(values: readonly number[], order: readonly number[]): number[] {
  if (order.every((o, i) => i === 0 || (order[i - 1] ?? o) <= o)) {
    return [...values];
  }
  return order
    .map((_, i) => i)
    .sort((x, y) => (order[x] ?? 0) - (order[y] ?? 0))
    .map((i) => values[i] ?? 0);
}

/** MME/day on the baseline and follow-up days (undefined = an opioid of unknown dose). */
function tallyMme(
  columns: ChangeColumns,
  before: number | undefined,
  after: number | undefined,
  order: number,
): void {
  if (before === undefined) {
    // Whether the patient was on opioids at baseline cannot be told.
    columns.mmeUnknown += 1;
  } else if (before > 0) {
    if (after === undefined) {
      columns.mmeUnknown += 1;
    } else {
      columns.mme.push(after - before);
      columns.mmeOrder.push(order);
    }
  }
}

function summarise(columns: ChangeColumns, mmeEngine: boolean): ArmAtTimePoint {
  const { change, baseline } = columns;
  const indices = change.map((_, i) => i);
  const withBaseline = indices.filter((i) => (baseline[i] ?? 0) > 0);
  return {
    n: change.length,
    meanChange: meanWithCi(change, CONFIDENCE_LEVEL),
    improvedOnePoint: proportion(change, (c) => c <= -MCID_POINTS + SCORE_EPSILON),
    improvedThirtyPercent: proportion(
      withBaseline,
      (i) =>
        (change[i] ?? 0) <= -MODERATE_IMPROVEMENT_FRACTION * (baseline[i] ?? 0) + SCORE_EPSILON,
    ),
    medianMmeChange: mmeSummary(columns, mmeEngine),
  };
}

function mmeSummary(columns: ChangeColumns, mmeEngine: boolean): MmeChange {
  if (!mmeEngine) {
    return { kind: 'not-computed', reason: 'no-medication-records' };
  }
  const unknownDose = columns.mmeUnknown;
  const m: Estimate = median(columns.mme);
  if (m.kind === 'value') {
    const reduced = columns.mme.filter((change) => change < 0).length;
    return { kind: 'median', value: m.value, n: columns.mme.length, reduced, unknownDose };
  }
  return {
    kind: 'not-computed',
    reason: unknownDose > 0 ? 'opioid-doses-unknown' : 'none-on-opioids-at-baseline',
    unknownDose,
  };
}
