/**
 * Risk context beside the dose (CDC 2022 Recommendations 8 and 11; clinical.md "Risk context"):
 * a naloxone prompt when the dose is ≥ 50 MME/day, with concurrent benzodiazepines, or with an
 * opioid use disorder, and no naloxone on record; a flag for benzodiazepines taken with opioids.
 * Prompts for the clinician, each naming the records it rests on; never an order.
 *
 * Substance use disorders other than opioid use disorder are not detected (no value set for them
 * here): the prompt says what it checked (SUBSTANCE_USE_CHECKED in doseChangeText.ts).
 *
 * Naloxone on record means a naloxone product for overdose reversal (naloxone alone:
 * NALOXONE_RESCUE_MEDICATIONS), never buprenorphine/naloxone or naloxone/pentazocine, which the
 * CDC `naloxone-medications` value set also lists.
 */
import { BENZODIAZEPINE_MEDICATIONS } from '../codes/cdcValueSets.generated.ts';
import type { CdcValueSet } from '../codes/cdcValueSets.generated.ts';
import { NALOXONE_RESCUE_MEDICATIONS } from '../codes/naloxoneRescue.ts';
import { codingInValueSet } from '../codes/valueSets.ts';
import type { ActiveInterval } from './activity.ts';
import {
  activeInterval,
  intentExclusion,
  isActiveOn,
  settingExclusion,
  statusExclusion,
} from './activity.ts';
import { medicationCodings } from './medication.ts';
import type { MedicationResolver } from './medication.ts';
import type { OudCondition } from './oudTreatment.ts';
import { oudConditions } from './oudTreatment.ts';
import { reconcileMme } from './reconcile.ts';
import { NALOXONE_MME_PER_DAY } from './referenceLevels.ts';
import type { MedicationMmeResult } from './result.ts';
import { bool, isRecord, str } from '../fhir-primitives/json.ts';
import type { MmeSummary } from './summary.ts';

/** A medication record a prompt rests on. */
export interface MedicationRecord {
  /** 'MedicationRequest/id' or 'MedicationStatement/id', when the record has an id. */
  readonly reference: string | undefined;
  readonly label: string;
  readonly status: string | undefined;
  readonly interval: ActiveInterval;
}

/** An opioid record active on asOf, with its MME/day when counted (null when not in the total). */
export interface OpioidRecord {
  readonly reference: string | undefined;
  readonly label: string;
  readonly mmePerDay: number | null;
}

export type NaloxoneReason =
  | {
      readonly kind: 'dose';
      readonly mmePerDay: number;
      /** The counted opioid records the dose adds up from. */
      readonly records: readonly OpioidRecord[];
    }
  | { readonly kind: 'benzodiazepine'; readonly records: readonly MedicationRecord[] }
  | { readonly kind: 'opioid-use-disorder'; readonly conditions: readonly OudCondition[] };

export type RiskPrompt =
  | {
      readonly kind: 'offer-naloxone';
      readonly recommendation: 8;
      readonly reasons: readonly NaloxoneReason[];
    }
  | {
      readonly kind: 'concurrent-benzodiazepine';
      readonly recommendation: 11;
      readonly benzodiazepines: readonly MedicationRecord[];
      /** The opioid records active on asOf (counted or left out of the total). */
      readonly opioids: readonly OpioidRecord[];
    };

export interface OpioidRiskContext {
  readonly prompts: readonly RiskPrompt[];
  /**
   * Naloxone for overdose reversal on record, any date (naloxone alone, NALOXONE_RESCUE_MEDICATIONS;
   * combination products such as buprenorphine/naloxone do not count).
   */
  readonly naloxone: readonly MedicationRecord[];
  /** Benzodiazepines active on asOf (value set `benzodiazepine-medications`). */
  readonly benzodiazepines: readonly MedicationRecord[];
  readonly opioidUseDisorder: readonly OudCondition[];
}

/** A record of the patient taking it: a status, intent and setting that count, not doNotPerform. */
function taken(resourceType: 'MedicationStatement' | 'MedicationRequest', resource: unknown) {
  return (
    statusExclusion(resourceType, str(resource, 'status')) === null &&
    intentExclusion(resourceType, str(resource, 'intent')) === null &&
    settingExclusion(resource) === null &&
    bool(resource, 'doNotPerform') !== true
  );
}

function recordsIn(
  set: CdcValueSet,
  resources: readonly unknown[],
  resolve: MedicationResolver,
): MedicationRecord[] {
  return resources.flatMap((resource) => {
    const type = isRecord(resource) ? resource['resourceType'] : undefined;
    if (type !== 'MedicationStatement' && type !== 'MedicationRequest') {
      return [];
    }
    const { codings, label } = medicationCodings(resource, resolve);
    if (!taken(type, resource) || codingInValueSet(set, codings) === undefined) {
      return [];
    }
    const id = str(resource, 'id');
    return [
      {
        reference: id === undefined ? undefined : `${type}/${id}`,
        label,
        status: str(resource, 'status'),
        interval: activeInterval(type, resource),
      },
    ];
  });
}

/**
 * The risk prompts at `summary.asOf` from the patient's medication records and Conditions
 * (`resources`, as for computeMmeForResources) and their MME results.
 */
export function opioidRiskContext(input: {
  readonly resources: readonly unknown[];
  readonly resolve: MedicationResolver;
  readonly results: readonly MedicationMmeResult[];
  readonly summary: MmeSummary;
}): OpioidRiskContext {
  const { resources, resolve, summary } = input;
  const asOf = summary.asOf;
  const naloxone = recordsIn(NALOXONE_RESCUE_MEDICATIONS, resources, resolve);
  const benzodiazepines = recordsIn(BENZODIAZEPINE_MEDICATIONS, resources, resolve).filter((r) =>
    isActiveOn(r.interval, asOf),
  );
  const opioidUseDisorder = oudConditions(resources);
  const leftOut = new Set(summary.notInTotal.records.map((r) => `${r.resourceType}/${r.id}`));
  const opioids: OpioidRecord[] = reconcileMme(input.results).flatMap((r) =>
    isActiveOn(r.interval, asOf) &&
    (r.kind === 'counted' || leftOut.has(`${r.resourceType}/${r.id}`))
      ? [
          {
            reference: r.reference ?? undefined,
            label: r.label,
            mmePerDay: r.kind === 'counted' ? r.mmePerDay : null,
          },
        ]
      : [],
  );
  const prompts: RiskPrompt[] = [];
  const concurrent = benzodiazepines.length > 0 && opioids.length > 0;
  const reasons: NaloxoneReason[] = [
    ...(summary.current >= NALOXONE_MME_PER_DAY
      ? [
          {
            kind: 'dose' as const,
            mmePerDay: summary.current,
            records: opioids.filter((r) => r.mmePerDay !== null),
          },
        ]
      : []),
    ...(concurrent ? [{ kind: 'benzodiazepine' as const, records: benzodiazepines }] : []),
    ...(opioidUseDisorder.length > 0
      ? [{ kind: 'opioid-use-disorder' as const, conditions: opioidUseDisorder }]
      : []),
  ];
  if (reasons.length > 0 && naloxone.length === 0) {
    prompts.push({ kind: 'offer-naloxone', recommendation: 8, reasons });
  }
  if (concurrent) {
    prompts.push({
      kind: 'concurrent-benzodiazepine',
      recommendation: 11,
      benzodiazepines,
      opioids,
    });
  }
  return { prompts, naloxone, benzodiazepines, opioidUseDisorder };
}
