/**
 * The trial-style outcome table: per arm and time point, n and mean PEG change with its 95% CI,
 * the between-arm difference (Welch's t-test), responder shares and the median MME/day change of
 * the patients on opioids at baseline.
 * Patients are added one at a time (in patient-key order from the engine, so the floating-point
 * sums and every number of the table are the same on every run). A tally keeps the change scores
 * of the patients added to it (a batch's, handed over by a worker thread); appended to the run's
 * tally they are folded into running sums, so the run's memory does not grow with the number of
 * patients (only the MME/day changes of patients on opioids at baseline are kept, for their
 * median).
 */
import type { Estimate, Proportion, RunningMoments } from '../stats/descriptive.ts';
import { addToMoments, emptyMoments, median, proportionOf } from '../stats/descriptive.ts';
import type { MeanCi, WelchResult } from '../stats/tInference.ts';
import { meanWithCi, welchTTest } from '../stats/tInference.ts';
import type { FollowUpTimePoint } from '../pathway/followUp.ts';
import { CONFIDENCE_LEVEL } from './analysisPlan.ts';
import { isoDate } from '../fhir-primitives/dates.ts';
import { FOLLOW_UP_TIME_POINTS } from '../pathway/followUp.ts';
import { reaches30Percent, reachesMcid } from '../peg/change.ts';
import type { AncovaResult, RunningArmSums } from '../stats/ancova.ts';
import { addToArmSums, ancova, emptyArmSums } from '../stats/ancova.ts';
import type { ArmId, ArmMode, ExclusionReason, PatientEvidence } from './armAssignment.ts';
import { armLabel, assignPatient, baselineRule, leftOutAfter } from './armAssignment.ts';

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
  /**
   * Patients with a baseline but no PEG in this time point's window, which closed by the as-of
   * day (lost to follow-up here).
   */
  readonly missing: number;
  /** Patients with a baseline whose window had not closed by the as-of day and holds no PEG. */
  readonly notYetDue: number;
  readonly meanChange: MeanCi;
  /** Share with a drop of at least MCID_POINTS. */
  readonly improvedOnePoint: Proportion;
  /** Share with a drop of at least 30% of baseline (patients with baseline 0 are not counted). */
  readonly improvedThirtyPercent: Proportion;
  readonly medianMmeChange: MmeChange;
}

export interface TimePointRow {
  readonly timePoint: FollowUpTimePoint;
  readonly intervention: ArmAtTimePoint;
  readonly comparison: ArmAtTimePoint;
  /** intervention − comparison mean change; negative favours the intervention arm. */
  readonly difference: WelchResult;
  /** The same difference adjusted for baseline PEG (ANCOVA), complete cases. */
  readonly adjusted: AncovaResult;
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
  /** The day the follow-ups are counted on ('YYYY-MM-DD'): windows open then are not yet due. */
  readonly asOf: string;
  /** What the as-of day left out of the analysis: PEGs and referrals dated after it. */
  readonly leftOutAfterAsOf: LeftOutAfterAsOf;
  readonly arms: { readonly intervention: ArmSummary; readonly comparison: ArmSummary };
  readonly rows: readonly TimePointRow[];
}

/** Change scores of one arm at one time point, as parallel columns (no object per patient). */
interface ChangeColumns {
  readonly change: number[];
  readonly baseline: number[];
  readonly followUp: number[];
  missing: number;
  notYetDue: number;
  /** MME/day change of each patient on opioids at baseline whose doses are known. */
  readonly mme: number[];
  /** Patients left out of `mme` because an opioid of unknown dose covers either day. */
  mmeUnknown: number;
}

interface ArmTally {
  baselines: number[];
  excluded: Record<ExclusionReason, number>;
  /** Indexed like FOLLOW_UP_TIME_POINTS. */
  changes: ChangeColumns[];
}

/** What the table needs of one arm at one time point, folded from change scores in order. */
interface ChangeSummary {
  readonly change: RunningMoments;
  /** Baseline (x) and change (y) sums for ANCOVA. */
  readonly sums: RunningArmSums;
  /** Patients with a drop of at least MCID_POINTS; those with baseline > 0, and of them with a 30% drop. */
  improvedOnePoint: number;
  withBaseline: number;
  improvedThirtyPercent: number;
  missing: number;
  notYetDue: number;
  /** Every MME/day change (the median needs them): patients on opioids at baseline only. */
  readonly mme: number[];
  mmeUnknown: number;
}

interface ArmSummaryTally {
  readonly baselines: RunningMoments;
  readonly excluded: Record<ExclusionReason, number>;
  /** Indexed like FOLLOW_UP_TIME_POINTS. */
  readonly changes: ChangeSummary[];
}

/** Records of the input dated after the as-of day (left out), and how many patients had any. */
export interface LeftOutAfterAsOf {
  patients: number;
  pegs: number;
  referrals: number;
}

/** What a tally holds (plain data, so a worker thread can hand it over). */
export interface TallyState {
  readonly asOfDay: number;
  readonly leftOut: Readonly<LeftOutAfterAsOf>;
  readonly mmeEngine: boolean;
  readonly arms: Readonly<Record<ArmId, ArmTally>>;
}

/**
 * Accumulates patients, then {@link OutcomeTally.report} computes the table. `asOfDay` (a
 * calendar day number) is the day the data stand for: a time point whose window is still open
 * then is not yet due, not lost to follow-up.
 */
export class OutcomeTally {
  private readonly mode: ArmMode;
  private readonly asOfDay: number;
  private mmeEngine = false;
  private readonly leftOut: LeftOutAfterAsOf = { patients: 0, pegs: 0, referrals: 0 };
  /** The patients added here and not yet folded into `folded`. */
  private arms: Record<ArmId, ArmTally> = {
    intervention: emptyTally(),
    comparison: emptyTally(),
  };
  /** The patients folded so far (by `append` and `report`). */
  private readonly folded: Record<ArmId, ArmSummaryTally> = {
    intervention: emptySummaryTally(),
    comparison: emptySummaryTally(),
  };
  private hasFolded = false;

  /**
   * The patients added so far, as plain data (a batch's tally, which a worker thread hands over
   * to be appended). Only a tally that has not folded any (no `append`, no `report`) has them all.
   */
  get state(): TallyState {
    if (this.hasFolded) {
      throw new Error('a tally that has folded its patients into sums has no state to hand over');
    }
    return {
      asOfDay: this.asOfDay,
      leftOut: this.leftOut,
      mmeEngine: this.mmeEngine,
      arms: this.arms,
    };
  }

  /**
   * Adds the patients of another tally (same arm mode) after this one's, in their order: the
   * table is the same as if they had been added here one by one. Their change scores are folded
   * into this tally's running sums, not kept.
   */
  append(other: TallyState): void {
    if (other.asOfDay !== this.asOfDay) {
      throw new Error('tallies of different as-of days cannot be added together');
    }
    this.flush();
    this.mmeEngine ||= other.mmeEngine;
    this.leftOut.patients += other.leftOut.patients;
    this.leftOut.pegs += other.leftOut.pegs;
    this.leftOut.referrals += other.leftOut.referrals;
    this.fold(other.arms);
  }

  /** Folds the patients added here (in their order) into the running sums. */
  private flush(): void {
    this.hasFolded = true;
    this.fold(this.arms);
    this.arms = { intervention: emptyTally(), comparison: emptyTally() };
  }

  private fold(arms: Readonly<Record<ArmId, ArmTally>>): void {
    for (const arm of ['intervention', 'comparison'] as const) {
      const into = this.folded[arm];
      const from = arms[arm];
      for (const baseline of from.baselines) {
        addToMoments(into.baselines, baseline);
      }
      for (const reason of Object.keys(into.excluded) as ExclusionReason[]) {
        into.excluded[reason] += from.excluded[reason];
      }
      into.changes.forEach((summary, index) => {
        const columns = from.changes[index];
        if (columns !== undefined) {
          foldColumns(summary, columns);
        }
      });
    }
  }

  constructor(mode: ArmMode, asOfDay: number) {
    this.mode = mode;
    this.asOfDay = asOfDay;
  }

  add(patient: PatientEvidence): void {
    const { pegs, referrals } = leftOutAfter(patient, this.asOfDay);
    if (pegs + referrals > 0) {
      this.leftOut.patients += 1;
      this.leftOut.pegs += pegs;
      this.leftOut.referrals += referrals;
    }
    const assignment = assignPatient(patient, this.mode, this.asOfDay);
    const tally = this.arms[assignment.arm];
    if (assignment.kind === 'excluded') {
      tally.excluded[assignment.reason] += 1;
      return;
    }
    const { baseline } = assignment;
    tally.baselines.push(baseline.score);
    const mmeOnDay = patient.mmeOnDay;
    if (mmeOnDay !== undefined) {
      this.mmeEngine = true;
    }
    assignment.followUps.forEach((outcome, index) => {
      const columns = tally.changes[index];
      if (columns === undefined) {
        return;
      }
      if (outcome.kind === 'lost-to-follow-up') {
        columns.missing += 1;
        return;
      }
      if (outcome.kind === 'not-yet-due') {
        columns.notYetDue += 1;
        return;
      }
      const followUp = outcome.peg;
      columns.change.push(followUp.score - baseline.score);
      columns.baseline.push(baseline.score);
      columns.followUp.push(followUp.score);
      if (mmeOnDay !== undefined) {
        tallyMme(columns, mmeOnDay(baseline.day), mmeOnDay(followUp.day));
      }
    });
  }

  report(): OutcomeReport {
    this.flush();
    const rows = FOLLOW_UP_TIME_POINTS.map((timePoint, index): TimePointRow => {
      const a = this.folded.intervention.changes[index] ?? emptySummary();
      const b = this.folded.comparison.changes[index] ?? emptySummary();
      return {
        timePoint,
        intervention: summarise(a, this.mmeEngine),
        comparison: summarise(b, this.mmeEngine),
        difference: welchTTest(a.change, b.change, CONFIDENCE_LEVEL),
        adjusted: ancova(a.sums, b.sums, CONFIDENCE_LEVEL),
      };
    });
    return {
      armMode: this.mode,
      asOf: isoDate(this.asOfDay),
      leftOutAfterAsOf: { ...this.leftOut },
      arms: {
        intervention: this.armSummary('intervention'),
        comparison: this.armSummary('comparison'),
      },
      rows,
    };
  }

  private armSummary(arm: ArmId): ArmSummary {
    const tally = this.folded[arm];
    return {
      id: arm,
      label: armLabel(this.mode, arm),
      baselineRule: baselineRule(this.mode, arm),
      withBaseline: tally.baselines.n,
      baselineMean: meanWithCi(tally.baselines, CONFIDENCE_LEVEL),
      excluded: { ...tally.excluded },
    };
  }
}

/** Appends in place without spreading (a spread of a million numbers overflows the stack). */
function pushAll(target: number[], values: readonly number[]): void {
  for (const value of values) {
    target.push(value);
  }
}

/** Folds change scores into a summary, patient by patient in their order. */
function foldColumns(summary: ChangeSummary, columns: ChangeColumns): void {
  columns.change.forEach((change, i) => {
    const baseline = columns.baseline[i] ?? 0;
    const followUp = columns.followUp[i] ?? 0;
    addToMoments(summary.change, change);
    addToArmSums(summary.sums, baseline, change);
    // The PEG module's verdicts on exact means, as the screen shows them.
    summary.improvedOnePoint += reachesMcid(baseline, followUp) ? 1 : 0;
    if (baseline > 0) {
      summary.withBaseline += 1;
      summary.improvedThirtyPercent += reaches30Percent(baseline, followUp) ? 1 : 0;
    }
  });
  pushAll(summary.mme, columns.mme);
  summary.missing += columns.missing;
  summary.notYetDue += columns.notYetDue;
  summary.mmeUnknown += columns.mmeUnknown;
}

function emptyExclusions(): Record<ExclusionReason, number> {
  return {
    'no-peg': 0,
    'referred-without-baseline-peg': 0,
    'referral-without-date': 0,
    'not-eligible-at-referral': 0,
    'never-eligible': 0,
  };
}

function emptySummary(): ChangeSummary {
  return {
    change: emptyMoments(),
    sums: emptyArmSums(),
    improvedOnePoint: 0,
    withBaseline: 0,
    improvedThirtyPercent: 0,
    missing: 0,
    notYetDue: 0,
    mme: [],
    mmeUnknown: 0,
  };
}

function emptySummaryTally(): ArmSummaryTally {
  return {
    baselines: emptyMoments(),
    excluded: emptyExclusions(),
    changes: FOLLOW_UP_TIME_POINTS.map(emptySummary),
  };
}

function emptyTally(): ArmTally {
  return {
    baselines: [],
    excluded: emptyExclusions(),
    changes: FOLLOW_UP_TIME_POINTS.map(emptyColumns),
  };
}

function emptyColumns(): ChangeColumns {
  return {
    change: [],
    baseline: [],
    followUp: [],
    missing: 0,
    notYetDue: 0,
    mme: [],
    mmeUnknown: 0,
  };
}

/** MME/day on the baseline and follow-up days (undefined = an opioid of unknown dose). */
function tallyMme(
  columns: ChangeColumns,
  before: number | undefined,
  after: number | undefined,
): void {
  if (before === undefined) {
    // Whether the patient was on opioids at baseline cannot be told.
    columns.mmeUnknown += 1;
  } else if (before > 0) {
    if (after === undefined) {
      columns.mmeUnknown += 1;
    } else {
      columns.mme.push(after - before);
    }
  }
}

function summarise(summary: ChangeSummary, mmeEngine: boolean): ArmAtTimePoint {
  return {
    n: summary.change.n,
    missing: summary.missing,
    notYetDue: summary.notYetDue,
    meanChange: meanWithCi(summary.change, CONFIDENCE_LEVEL),
    improvedOnePoint: proportionOf(summary.improvedOnePoint, summary.change.n),
    improvedThirtyPercent: proportionOf(summary.improvedThirtyPercent, summary.withBaseline),
    medianMmeChange: mmeSummary(summary, mmeEngine),
  };
}

function mmeSummary(columns: ChangeSummary, mmeEngine: boolean): MmeChange {
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
