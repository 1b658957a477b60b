/**
 * The opioid picture the pathway shows beside the PEG: every medication record's MME result, the
 * summary at `asOf` (current total, dose trajectory) and the risk prompts (naloxone,
 * benzodiazepines). It only calls the MME engine (src/domain/mme), which decides what counts, the
 * trajectory and the prompts; nothing about doses is decided here.
 */
import type { Condition, Medication, MedicationRequest, MedicationStatement } from 'fhir/r4';
import {
  computeMmeForResources,
  headlineWindow,
  medicationResolver,
  opioidRiskContext,
  summariseMme,
  type MedicationMmeResult,
  type MmeSummary,
  type OpioidRiskContext,
} from '../mme/mme.ts';

export interface MedicationRecords {
  readonly statements: readonly MedicationStatement[];
  readonly requests: readonly MedicationRequest[];
  /** Medications the records reference (`_include`d, or in the same Bundle/export). */
  readonly medications: readonly Medication[];
}

/** The trajectory's headline (the engine's `no-opioids` is `none`). */
export type MmeTrajectory = 'decreasing' | 'stable' | 'increasing' | 'stopped' | 'none';

export interface MmeOverview {
  /** Every record's result, reconciled (statements of an order and renewals marked). */
  readonly results: readonly MedicationMmeResult[];
  readonly summary: MmeSummary;
  readonly trajectory: MmeTrajectory;
  /** The rate of the window the headline follows (headlineWindow), % per month; null without one. */
  readonly percentPerMonth: number | null;
  readonly risk: OpioidRiskContext;
  /** Whether any opioid is on record at all (counted or not). */
  readonly anyOpioid: boolean;
}

/** The engine's entry point, as evaluatePathwayWith takes it. */
export type MmeOverviewOf = (
  records: MedicationRecords,
  conditions: readonly Condition[] | undefined,
  asOfDay: string,
) => MmeOverview;

/**
 * MME of every record, the summary and the risk prompts on `asOfDay` ('YYYY-MM-DD', the clinic's
 * day). `conditions`: the chart's Conditions (an opioid use disorder makes methadone and
 * buprenorphine treatment, not pain MME, and prompts naloxone); none when they were not read.
 */
export function mmeOverview(
  records: MedicationRecords,
  conditions: readonly Condition[] | undefined,
  asOfDay: string,
): MmeOverview {
  const resources = [
    ...records.statements,
    ...records.requests,
    ...records.medications,
    ...(conditions ?? []),
  ];
  const results = computeMmeForResources(resources);
  const summary = summariseMme(results, { asOf: asOfDay });
  const risk = opioidRiskContext({
    resources,
    resolve: medicationResolver(resources),
    results,
    summary,
  });
  const trajectory = summary.trajectory;
  const headline =
    trajectory.kind === 'no-opioids' ? undefined : headlineWindow(trajectory.windows);
  return {
    results,
    summary,
    trajectory: trajectory.kind === 'no-opioids' ? 'none' : trajectory.kind,
    percentPerMonth: headline?.percentPerMonth ?? null,
    risk,
    anyOpioid: results.some((r) => r.reason !== 'not-an-opioid'),
  };
}
