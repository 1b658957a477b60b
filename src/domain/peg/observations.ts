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
import { isRecord } from '../fhir-primitives/json.ts';

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
  for (const coding of objectsOf(carrier.valueCodeableConcept?.coding)) {
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

/**
 * The entries of an array element that are objects: a malformed entry (null, a string, a list) is passed
 * over, so one bad identifier or derivedFrom does not stop the patient's other PEGs being read.
 */
function objectsOf<T>(entries: readonly T[] | undefined): T[] {
  const list: readonly T[] = Array.isArray(entries) ? entries : [];
  return list.filter((entry) => isRecord(entry));
}

function derivedFromKeys(observation: Observation): string[] {
  return objectsOf(observation.derivedFrom).flatMap((reference) => {
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

/**
 * What one PEG Observation gives the PEG reading on its own (`pegObservationFact`): its code (the
 * score or an item), its effective time and subject, its recorded value, a score's items from its
 * components, and the references and keys that link it to other records. The reading groups a
 * patient's facts by subject and instant (`pegFromObservationFacts`), so an analysis can read each
 * Observation where it is parsed and keep only its fact until the patient's others are known.
 */
export interface PegObservationFact {
  readonly code: 'score' | PegItemKey;
  readonly date: string;
  readonly subject?: string;
  /** The recorded value (a quantity's number, an integer, a LOINC 0–10 answer code). */
  readonly value?: number;
  /** A score's items from its components, when they make a complete valid PEG. */
  readonly components?: PegItemValues;
  readonly reference?: string;
  readonly keys: readonly string[];
  readonly derivedFrom: readonly string[];
}

export type PegObservationReadingPart =
  | { readonly kind: 'fact'; readonly fact: PegObservationFact }
  | { readonly kind: 'skipped'; readonly skip: PegObservationSkip }
  | { readonly kind: 'not-peg' };

/** One Observation read on its own: its PEG fact, why it cannot be one, or not a PEG code. */
export function pegObservationFact(observation: Observation): PegObservationReadingPart {
  const isScore = hasLoinc(observation.code.coding, PEG_SCORE_LOINC);
  const itemKey = isScore ? undefined : itemKeyOf(observation.code.coding);
  if (!isScore && itemKey === undefined) {
    return { kind: 'not-peg' };
  }
  const date = effectiveDate(observation);
  const reference = referenceOf(observation);
  if (!USABLE_OBSERVATION_STATUSES.includes(observation.status) || date === undefined) {
    return {
      kind: 'skipped',
      skip: {
        reference,
        reason: date === undefined ? 'no effective time' : `status ${observation.status}`,
      },
    };
  }
  const subject =
    observation.subject?.reference === undefined
      ? undefined
      : normalizeReference(observation.subject.reference);
  const value = pegItemValue(observation);
  const components = isScore ? itemsFromComponents(observation) : undefined;
  return {
    kind: 'fact',
    fact: {
      code: itemKey ?? 'score',
      date,
      ...(subject === undefined ? {} : { subject }),
      ...(value === undefined ? {} : { value }),
      ...(components === undefined ? {} : { components }),
      ...(reference === undefined ? {} : { reference }),
      keys: resourceKeys('Observation', observation.id, objectsOf(observation.identifier)),
      derivedFrom: derivedFromKeys(observation),
    },
  };
}

interface Bucket {
  readonly date: string;
  readonly subject: string | undefined;
  readonly scores: PegObservationFact[];
  readonly items: Map<PegItemKey, PegObservationFact[]>;
}

function bucketKey(subject: string | undefined, date: string): string {
  const instant = instantOf(date);
  return `${subject ?? ''}|${instant === undefined ? date : String(instant)}`;
}

function administrationOf(
  bucket: Bucket,
  recorded: number,
  items: PegItemValues | undefined,
  used: readonly PegObservationFact[],
): PegAdministration {
  return {
    date: bucket.date,
    score: roundScore(recorded),
    mean: exactPegMean(recorded, items),
    ...(items === undefined ? {} : { items }),
    ...(bucket.subject === undefined ? {} : { subject: bucket.subject }),
    sources: used.flatMap((fact) => fact.reference ?? []),
    keys: used.flatMap((fact) => fact.keys),
    derivedFrom: used.flatMap((fact) => fact.derivedFrom),
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
    answers[key] = only.value;
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
      skipped.push(...itemObservations.map((o) => ({ reference: o.reference, reason })));
      return [];
    }
    return [administrationOf(bucket, itemsMean(fromItems), fromItems, itemObservations)];
  }
  const attachItems = bucket.scores.length === 1;
  if (!attachItems && itemObservations.length > 0) {
    const reason = `several ${PEG_SCORE_LOINC} Observations share ${bucket.date}; item Observations not attributed`;
    skipped.push(...itemObservations.map((o) => ({ reference: o.reference, reason })));
  }
  return bucket.scores.flatMap((observation) => {
    const items = observation.components ?? (attachItems ? fromItems : undefined);
    const recorded = observation.value;
    const score = recorded ?? (items === undefined ? undefined : itemsMean(items));
    if (score === undefined || score < PEG_MIN || score > PEG_MAX) {
      skipped.push({
        reference: observation.reference,
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
 * PEG administrations from Observations read one by one (`pegObservationFact`, in the
 * Observations' order): score and item facts grouped by subject and effective time (same
 * instant), as `pegFromObservations` describes.
 */
export function pegFromObservationFacts(
  parts: readonly PegObservationReadingPart[],
): PegObservationReading {
  const skipped: PegObservationSkip[] = [];
  const buckets = new Map<string, Bucket>();
  for (const part of parts) {
    if (part.kind === 'skipped') {
      skipped.push(part.skip);
      continue;
    }
    if (part.kind === 'not-peg') {
      continue;
    }
    const { fact } = part;
    const key = bucketKey(fact.subject, fact.date);
    const bucket: Bucket = buckets.get(key) ?? {
      date: fact.date,
      subject: fact.subject,
      scores: [],
      items: new Map(),
    };
    buckets.set(key, bucket);
    if (fact.code === 'score') {
      bucket.scores.push(fact);
    } else {
      bucket.items.set(fact.code, [...(bucket.items.get(fact.code) ?? []), fact]);
    }
  }
  const administrations = [...buckets.values()].flatMap((bucket) => readBucket(bucket, skipped));
  return { administrations, skipped };
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
  return pegFromObservationFacts(observations.map(pegObservationFact));
}
