/**
 * What one resource contributes to its patient's evidence, read where the resource is parsed (the
 * outcome analysis's first pass) by the domain's own readers: a PEG administration read from a
 * QuestionnaireResponse, a screening's answers, a referral's day, a Task's status, a medication
 * record's dose segment (the per-record MME, from the MME engine), the birth date. Records are
 * JSON-safe and small, so the analytic engine can keep and group them by patient instead of the
 * resources; `evidenceFromRecords` (patientEvidence.ts) turns one patient's records into evidence.
 *
 * PEG Observations stay whole: their reading groups a patient's Observations by instant
 * (pegFromObservations), so it runs per patient; only the elements that reader uses are kept.
 */
import type { CodeableConcept, Condition, Observation, QuestionnaireResponse, Task } from 'fhir/r4';
import { SCREENING_QUESTIONNAIRE_URL } from '../codes/canonical.ts';
import { hasLoinc } from '../fhir-primitives/codings.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';
import type { ValueCarrier } from '../peg/observations.ts';
import type { PegAdministration } from '../peg/peg.ts';
import { PEG_ITEMS, PEG_SCORE_LOINC } from '../peg/peg.ts';
import { pegFromQuestionnaireResponse } from '../peg/questionnaireResponse.ts';
import type { ScreeningAnswers } from '../screening/screening.ts';
import { screeningOf } from './eligibilityAtIndex.ts';
import type { MmeSegment } from './mmeSource.ts';
import { medicationSegment } from './mmeSource.ts';
import type { Definitions, EvidenceCounts, SkipReason } from './patientEvidence.ts';
import { programmeReferral } from './programmeReferral.ts';
import type { Json } from './resourceShape.ts';
import { asObservation, asQuestionnaireResponse } from './resourceShape.ts';

/** A dose segment's days and MME/day, with ±Infinity and NaN written as strings (JSON has neither). */
type SegmentJson = readonly [number | string, number | string, number | string];

export type PatientRecord =
  | { readonly kind: 'birth-date'; readonly birthDate: string | undefined }
  | { readonly kind: 'condition'; readonly condition: Condition }
  | { readonly kind: 'task'; readonly focus: string; readonly status: string }
  | { readonly kind: 'screening'; readonly day: number; readonly answers: ScreeningAnswers }
  | { readonly kind: 'peg'; readonly administration: PegAdministration }
  | { readonly kind: 'peg-observation'; readonly observation: Observation }
  | { readonly kind: 'referral'; readonly day: number; readonly key: string | undefined }
  | { readonly kind: 'undated-referral' }
  | { readonly kind: 'mme'; readonly segment: SegmentJson };

/** Top-level elements the PEG Observation reader uses (peg/observations.ts, peg/peg.ts). */
const PEG_OBSERVATION_ELEMENTS = [
  'resourceType',
  'id',
  'identifier',
  'status',
  'code',
  'subject',
  'effectiveDateTime',
  'effectiveInstant',
  'effectivePeriod',
  'valueQuantity',
  'valueInteger',
  'valueCodeableConcept',
  'component',
  'derivedFrom',
] as const;

function skip(counts: EvidenceCounts, reason: SkipReason): void {
  counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
}

function writeNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

export function segmentOf(record: { readonly segment: SegmentJson }): MmeSegment {
  const [fromDay, toDay, mmePerDay] = record.segment.map(Number) as [number, number, number];
  return { fromDay, toDay, mmePerDay };
}

function isPegObservation(observation: Observation): boolean {
  const codings = observation.code.coding;
  return (
    hasLoinc(codings, PEG_SCORE_LOINC) || PEG_ITEMS.some((item) => hasLoinc(codings, item.loinc))
  );
}

/** A concept as the PEG readers use it: its codings' system and code (no display, no text). */
function codesOf(concept: CodeableConcept): CodeableConcept {
  return {
    coding: (concept.coding ?? []).map(({ system, code }) => ({
      ...(system === undefined ? {} : { system }),
      ...(code === undefined ? {} : { code }),
    })),
  };
}

/**
 * A value as the PEG readers use it (peg/observations.ts pegItemValue): a quantity's number, an
 * integer, a coded answer's codes; a quantity without a number is passed over there, so it goes.
 */
function valueOf(carrier: ValueCarrier): ValueCarrier {
  return {
    ...(carrier.valueQuantity?.value === undefined
      ? {}
      : { valueQuantity: { value: carrier.valueQuantity.value } }),
    ...(carrier.valueInteger === undefined ? {} : { valueInteger: carrier.valueInteger }),
    ...(carrier.valueCodeableConcept === undefined
      ? {}
      : { valueCodeableConcept: codesOf(carrier.valueCodeableConcept) }),
  };
}

/**
 * The elements of a PEG Observation its reader uses, and of its code, value and components only
 * what that reader reads: a kept Observation is most of the records' bytes (the units, displays
 * and texts about half of it).
 */
function pegObservationRecord(observation: Observation): PatientRecord {
  const kept: Record<string, unknown> = {};
  for (const element of PEG_OBSERVATION_ELEMENTS) {
    if (observation[element] !== undefined) {
      kept[element] = observation[element];
    }
  }
  kept.code = codesOf(observation.code);
  delete kept.valueQuantity;
  delete kept.valueInteger;
  delete kept.valueCodeableConcept;
  Object.assign(kept, valueOf(observation));
  if (observation.component !== undefined) {
    kept.component = observation.component.map((component) => ({
      // A component without a code stays without one (the reader decides what that means).
      ...((component.code as CodeableConcept | undefined) === undefined
        ? {}
        : { code: codesOf(component.code) }),
      ...valueOf(component),
    }));
  }
  return { kind: 'peg-observation', observation: kept as unknown as Observation };
}

function responseRecords(
  response: QuestionnaireResponse,
  definitions: Definitions,
  counts: EvidenceCounts,
): PatientRecord[] {
  if (response.questionnaire?.split('|')[0] === SCREENING_QUESTIONNAIRE_URL) {
    const screening = screeningOf(response);
    return screening === undefined ? [] : [{ kind: 'screening', ...screening }];
  }
  const questionnaire = definitions.questionnaireFor(response);
  if (questionnaire === undefined) {
    // Not every response is a PEG; only one that names no known Questionnaire is counted.
    skip(counts, 'peg-response-questionnaire-not-found');
    return [];
  }
  const reading = pegFromQuestionnaireResponse(response, questionnaire);
  switch (reading.kind) {
    case 'administration':
      return [{ kind: 'peg', administration: reading.administration }];
    case 'incomplete':
      skip(counts, 'peg-response-incomplete');
      return [];
    case 'invalid':
      skip(counts, 'peg-response-invalid');
      return [];
    case 'not-final':
      skip(counts, 'peg-response-not-final');
      return [];
    case 'not-peg':
      return [];
  }
}

function readRecords(
  resource: Json,
  definitions: Definitions,
  counts: EvidenceCounts,
): PatientRecord[] {
  switch (resource.resourceType) {
    case 'Patient':
      return [
        {
          kind: 'birth-date',
          birthDate: typeof resource.birthDate === 'string' ? resource.birthDate : undefined,
        },
      ];
    case 'Condition':
      return [{ kind: 'condition', condition: resource as unknown as Condition }];
    case 'Task': {
      const task = resource as unknown as Task;
      const focus = task.focus?.reference;
      return focus === undefined
        ? []
        : [{ kind: 'task', focus: normalizeReference(focus), status: task.status }];
    }
    case 'QuestionnaireResponse': {
      const response = asQuestionnaireResponse(resource);
      if (response === undefined) {
        skip(counts, 'malformed-resource');
        return [];
      }
      return responseRecords(response, definitions, counts);
    }
    case 'Observation': {
      const observation = asObservation(resource);
      if (observation === undefined) {
        skip(counts, 'malformed-resource');
        return [];
      }
      return isPegObservation(observation) ? [pegObservationRecord(observation)] : [];
    }
    case 'ServiceRequest': {
      const referral = programmeReferral(resource);
      counts.referrals += referral.kind === 'not-a-referral' ? 0 : 1;
      switch (referral.kind) {
        case 'referral':
          return [{ kind: 'referral', day: referral.day, key: referral.key }];
        case 'undated-referral':
          return [{ kind: 'undated-referral' }];
        case 'not-a-referral':
          return [];
      }
      return [];
    }
    case 'MedicationStatement':
    case 'MedicationRequest': {
      counts.medications += 1;
      const outcome = medicationSegment(resource, (ref) => definitions.medication(ref));
      if (outcome.kind === 'not-counted') {
        return [];
      }
      counts[outcome.kind === 'counted' ? 'opioidsCounted' : 'opioidsUnknown'] += 1;
      const { fromDay, toDay, mmePerDay } = outcome.segment;
      return [
        {
          kind: 'mme',
          segment: [writeNumber(fromDay), writeNumber(toDay), writeNumber(mmePerDay)],
        },
      ];
    }
    default:
      return [];
  }
}

/**
 * The records one resource gives its patient (none for a resource the analysis does not use).
 * Unusable resources are counted in `counts.skipped`; a resource that passes the shape checks but
 * still breaks a reader deeper down is counted as malformed, never thrown.
 */
export function patientRecords(
  resource: Json,
  definitions: Definitions,
  counts: EvidenceCounts,
): PatientRecord[] {
  counts.resources += 1;
  try {
    return readRecords(resource, definitions, counts);
  } catch {
    skip(counts, 'malformed-resource');
    return [];
  }
}
