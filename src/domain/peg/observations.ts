import type { CodeableConcept, Coding, Observation, Quantity } from 'fhir/r4';
import {
  PEG_ITEMS,
  PEG_ITEM_KEYS,
  PEG_MAX,
  PEG_MIN,
  PEG_SCORE_LOINC,
  exactPegMean,
  itemsMean,
  pegValueFromAnswerCode,
  roundScore,
  scorePeg,
} from './peg.ts';
import { identifierKey, normalizeReference, resourceKeys } from '../fhir-primitives/references.ts';
import { hasLoinc } from '../fhir-primitives/codings.ts';
import type { PegAdministration, PegAnswers, PegItemKey, PegItemValues } from './peg.ts';
import { instantOf } from '../fhir-primitives/dates.ts';

/** Observation statuses whose value is a result (FHIR R4 observation-status). */
const USABLE_OBSERVATION_STATUSES: readonly string[] = ['final', 'amended', 'corrected'];

export interface PegObservationSkip {
  readonly reference: string | undefined;
  readonly reason: string;
}

export interface PegObservationReading {
  readonly administrations: PegAdministration[];
  /** PEG Observations that could not become an administration, with why. */
  readonly skipped: PegObservationSkip[];
}

export interface ValueCarrier {
  valueQuantity?: Quantity | undefined;
  valueInteger?: number | undefined;
  valueCodeableConcept?: CodeableConcept | undefined;
}

/** A PEG item's number as recorded: a quantity, an integer, or a LOINC 0–10 answer code. */
function pegItemValue(carrier: ValueCarrier): number | undefined {
  if (carrier.valueQuantity?.value !== undefined) {
    return carrier.valueQuantity.value;
  }
  if (carrier.valueInteger !== undefined) {
    return carrier.valueInteger;
  }
  for (const coding of carrier.valueCodeableConcept?.coding ?? []) {
    const value = pegValueFromAnswerCode(coding);
    if (value !== undefined) {
      return value;
    }
  }
  return undefined;
}

function itemKeyOf(codings: readonly Coding[] | undefined): PegItemKey | undefined {
  return PEG_ITEMS.find((item) => hasLoinc(codings, item.loinc))?.key;
}

function effectiveDate(observation: Observation): string | undefined {
  return (
    observation.effectiveDateTime ??
    observation.effectiveInstant ??
    observation.effectivePeriod?.start
  );
}

function referenceOf(observation: Observation): string | undefined {
  return observation.id === undefined ? undefined : `Observation/${observation.id}`;
}

function derivedFromKeys(observation: Observation): string[] {
  return (observation.derivedFrom ?? []).flatMap((reference) => {
    const keys: string[] = [];
    if (reference.reference !== undefined) {
      keys.push(normalizeReference(reference.reference));
    }
    const key =
      reference.identifier === undefined ? undefined : identifierKey(reference.identifier);
    if (key !== undefined) {
      keys.push(key);
    }
    return keys;
  });
}

function itemsFromComponents(observation: Observation): PegItemValues | undefined {
  const answers: PegAnswers = {};
  for (const component of observation.component ?? []) {
    const key = itemKeyOf(component.code.coding);
    if (key !== undefined) {
      answers[key] = pegItemValue(component);
    }
  }
  const score = scorePeg(answers);
  return score.kind === 'score' ? score.items : undefined;
}

interface Bucket {
  readonly date: string;
  readonly subject: string | undefined;
  readonly scores: Observation[];
  readonly items: Map<PegItemKey, Observation[]>;
}

function bucketKey(subject: string | undefined, date: string): string {
  const instant = instantOf(date);
  return `${subject ?? ''}|${instant === undefined ? date : String(instant)}`;
}

function administrationOf(
  bucket: Bucket,
  recorded: number,
  items: PegItemValues | undefined,
  used: readonly Observation[],
): PegAdministration {
  return {
    date: bucket.date,
    score: roundScore(recorded),
    mean: exactPegMean(recorded, items),
    ...(items === undefined ? {} : { items }),
    ...(bucket.subject === undefined ? {} : { subject: bucket.subject }),
    sources: used.flatMap((observation) => referenceOf(observation) ?? []),
    keys: used.flatMap((observation) =>
      resourceKeys('Observation', observation.id, observation.identifier ?? []),
    ),
    derivedFrom: used.flatMap(derivedFromKeys),
  };
}

/** Item values from separate item Observations: only when each item has exactly one. */
function itemsFromItemObservations(bucket: Bucket): PegItemValues | undefined {
  const answers: PegAnswers = {};
  for (const key of PEG_ITEM_KEYS) {
    const found = bucket.items.get(key) ?? [];
    const [only] = found;
    if (found.length !== 1 || only === undefined) {
      return undefined;
    }
    answers[key] = pegItemValue(only);
  }
  const score = scorePeg(answers);
  return score.kind === 'score' ? score.items : undefined;
}

function readBucket(bucket: Bucket, skipped: PegObservationSkip[]): PegAdministration[] {
  const itemObservations = [...bucket.items.values()].flat();
  const fromItems = itemsFromItemObservations(bucket);
  if (bucket.scores.length === 0) {
    if (fromItems === undefined) {
      const present = PEG_ITEM_KEYS.filter((key) => (bucket.items.get(key) ?? []).length > 0);
      const reason = `item Observations at ${bucket.date} do not give exactly one valid 0-10 value for each PEG item (found: ${present.join(', ') || 'none'})`;
      skipped.push(...itemObservations.map((o) => ({ reference: referenceOf(o), reason })));
      return [];
    }
    return [administrationOf(bucket, itemsMean(fromItems), fromItems, itemObservations)];
  }
  const attachItems = bucket.scores.length === 1;
  if (!attachItems && itemObservations.length > 0) {
    const reason = `several ${PEG_SCORE_LOINC} Observations share ${bucket.date}; item Observations not attributed`;
    skipped.push(...itemObservations.map((o) => ({ reference: referenceOf(o), reason })));
  }
  return bucket.scores.flatMap((observation) => {
    const components = itemsFromComponents(observation);
    const items = components ?? (attachItems ? fromItems : undefined);
    const recorded = pegItemValue(observation);
    const score = recorded ?? (items === undefined ? undefined : itemsMean(items));
    if (score === undefined || score < PEG_MIN || score > PEG_MAX) {
      skipped.push({
        reference: referenceOf(observation),
        reason:
          score === undefined
            ? 'no score value and no complete components'
            : `score ${score} is outside 0-10`,
      });
      return [];
    }
    const used = attachItems ? [observation, ...itemObservations] : [observation];
    return [administrationOf(bucket, score, items, used)];
  });
}

/**
 * Reads PEG administrations from Observations of any of three shapes: 91147-9 with the items as
 * components, 91147-9 alone (score only, `items` absent), and separate item Observations
 * (75893-8 / 91145-3 / 91146-1) grouped by subject and effective time (same instant). A 91147-9
 * and item Observations at the same subject and instant are one administration. Observations
 * that are not PEG codes are ignored; unusable PEG ones are returned in `skipped` with a reason.
 * A recorded 91147-9 value wins over a mean recomputed from its items.
 */
export function pegFromObservations(observations: readonly Observation[]): PegObservationReading {
  const skipped: PegObservationSkip[] = [];
  const buckets = new Map<string, Bucket>();
  for (const observation of observations) {
    const isScore = hasLoinc(observation.code.coding, PEG_SCORE_LOINC);
    const itemKey = isScore ? undefined : itemKeyOf(observation.code.coding);
    if (!isScore && itemKey === undefined) {
      continue;
    }
    const date = effectiveDate(observation);
    if (!USABLE_OBSERVATION_STATUSES.includes(observation.status) || date === undefined) {
      skipped.push({
        reference: referenceOf(observation),
        reason: date === undefined ? 'no effective time' : `status ${observation.status}`,
      });
      continue;
    }
    const subject =
      observation.subject?.reference === undefined
        ? undefined
        : normalizeReference(observation.subject.reference);
    const key = bucketKey(subject, date);
    const bucket: Bucket = buckets.get(key) ?? { date, subject, scores: [], items: new Map() };
    buckets.set(key, bucket);
    if (itemKey === undefined) {
      bucket.scores.push(observation);
    } else {
      bucket.items.set(itemKey, [...(bucket.items.get(itemKey) ?? []), observation]);
    }
  }
  const administrations = [...buckets.values()].flatMap((bucket) => readBucket(bucket, skipped));
  return { administrations, skipped };
}
