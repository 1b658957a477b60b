/**
 * The result types of the MME engine (one MedicationStatement or MedicationRequest), re-exported by
 * mme.ts. Kept apart so that mme.ts (computation) and reconcile.ts (de-duplication) share them.
 */
import type { ActiveInterval } from './activity.ts';
import type { DailyUnknownReason } from './dailyDose.ts';
import type { ProductUnknownReason } from './medication.ts';

/**
 * Why a medication is shown but not counted:
 * - `not-an-opioid`: the product has no opioid ingredient;
 * - `buprenorphine`: listed, never counted (CDC 2022);
 * - `no-cdc-2022-factor`: an opioid without a 2022 factor (meperidine, levorphanol, pentazocine,
 *   butorphanol, dihydrocodeine, transmucosal/nasal/injected fentanyl …);
 * - `status`: a status that does not count (entered-in-error, not-taken, cancelled, draft, unknown);
 * - `do-not-perform`: a request marked doNotPerform;
 * - `duplicate-of-request`: a MedicationStatement whose `basedOn` names a MedicationRequest of the
 *   same input that is counted; the request carries the dose (set by reconcileMme);
 * - `route-not-counted`: an opioid by a route the CDC 2022 factor is not for (injected,
 *   intravenous, rectal, transmucosal …);
 * - `intent-not-an-order`: a MedicationRequest that is a proposal, plan or option;
 * - `not-ambulatory`: an inpatient record;
 * - `oud-treatment`: methadone or buprenorphine with an opioid use disorder on the chart
 *   (treatment, not pain MME; set by applyOudTreatment).
 */
export type ExclusionReason =
  | 'not-an-opioid'
  | 'buprenorphine'
  | 'no-cdc-2022-factor'
  | 'status'
  | 'do-not-perform'
  | 'duplicate-of-request'
  | 'route-not-counted'
  | 'intent-not-an-order'
  | 'not-ambulatory'
  | 'oud-treatment';

/**
 * Why an opioid's MME could not be computed. Drug: `no-medication`, `unresolved-reference`,
 * `unknown-rxcui` (not in the 2020 table and no readable name), `unparseable-name`. Dose:
 * `no-dosage`, `no-dose-quantity`, `unsupported-dose-unit`, `no-frequency`, `dose-unit-mismatch`
 * (tablets of a liquid …), `no-strength`, `ambiguous-dose` (mg of a two-opioid product),
 * `no-supply-duration`, `patch-wear-unknown`, `dose-out-of-range`. Route: `route-unknown` (no dose
 * form or dosage route says how it is taken). Input: `not-a-medication-resource`.
 */
export type UnknownReason =
  ProductUnknownReason | DailyUnknownReason | 'route-unknown' | 'not-a-medication-resource';

/** One opioid ingredient of a medication, as the UI and CLI show it. */
export interface IngredientMme {
  readonly name: string;
  readonly rxcui: string;
  /** mg/day, or for patches mcg/hr worn at once; null when it could not be computed. */
  readonly dailyDose: number | null;
  readonly unit: 'mg' | 'mcg/hr';
  /** CDC 2022 factor, or null for buprenorphine and opioids without a 2022 factor. */
  readonly factor: number | null;
  readonly mmePerDay: number | null;
}

/**
 * What every result carries, whatever its kind.
 *
 * How totals avoid counting one prescription twice (totalMmePerDay, mmeTimeline, summariseMme all
 * apply reconcileMme first, so callers may pass raw computeMedicationMme results):
 * - a MedicationStatement `basedOn` a counted MedicationRequest of the input becomes `excluded`
 *   with reason `duplicate-of-request`;
 * - a MedicationRequest named as `priorPrescription` by another request of the input ends the day
 *   before that one starts (`supersededBy` names it);
 * - counted results with the same `totalGroup` (same patient, same product, same MME/day) count
 *   once on each day where their intervals overlap; different groups add up.
 * Each result keeps its own `mmePerDay`, so the table still lists every record.
 */
interface ResultBase {
  readonly id: string;
  readonly resourceType: string;
  /** "MedicationRequest/<id>" / "MedicationStatement/<id>", or null when the resource has no id. */
  readonly reference: string | null;
  /** What the record calls the medication (code text or display). */
  readonly label: string;
  readonly interval: ActiveInterval;
  readonly ingredients: readonly IngredientMme[];
  readonly explanation: string;
  /** MedicationRequests this MedicationStatement is basedOn, as "MedicationRequest/<id>". */
  readonly basedOn: readonly string[];
  /** The MedicationRequest this request renews (priorPrescription), as "MedicationRequest/<id>". */
  readonly priorPrescription: string | null;
  /** The request that renewed this one (set by reconcileMme), or null. */
  readonly supersededBy: string | null;
  /**
   * Counted results only: "<subject>|<product>|<MME/day>", where product is the opioid
   * ingredients with strengths and the dose form. Overlapping days of one group count once.
   */
  readonly totalGroup: string | null;
}

/**
 * MME of one medication: `counted` (mmePerDay is a finite number ≥ 0), `excluded` or `unknown`
 * (mmePerDay null, `reason` says why, `explanation` says it in words). `interval` is when it was
 * taken (inclusive ISO dates; null = open), used by mmeTimeline and isActiveOn.
 */
export type MedicationMmeResult =
  | (ResultBase & { readonly kind: 'counted'; readonly mmePerDay: number; readonly reason: null })
  | (ResultBase & {
      readonly kind: 'excluded';
      readonly mmePerDay: null;
      readonly reason: ExclusionReason;
    })
  | (ResultBase & {
      readonly kind: 'unknown';
      readonly mmePerDay: null;
      readonly reason: UnknownReason;
    });
