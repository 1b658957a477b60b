/**
 * What one resource contributes to its patient's evidence, read where the resource is parsed (the
 * outcome analysis's first pass) by the domain's own readers: a PEG administration read from a
 * QuestionnaireResponse, a screening's answers, a referral's day, a Task's status, a medication
 * record's dose segment (the per-record MME, from the MME engine), the birth date. Records are
 * JSON-safe and small, so the analytic engine can keep and group them by patient instead of the
 * resources; `evidenceFromRecords` (patientEvidence.ts) turns one patient's records into evidence.
 *
 * A PEG Observation gives its fact (peg/observations.ts pegObservationFact: code, time, value,
 * items, keys): the reading groups a patient's facts by instant, so that part runs per patient.
 */
import type { Condition, QuestionnaireResponse, Task } from 'fhir/r4';
import { SCREENING_QUESTIONNAIRE_URL } from '../codes/canonical.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';
import type {
  PegObservationFact,
  PegObservationReadingPart,
  PegObservationSkip,
} from '../peg/observations.ts';
import { pegObservationFact } from '../peg/observations.ts';
import type { PegAdministration } from '../peg/peg.ts';
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
  | { readonly kind: 'peg-observation'; readonly reading: PegObservationRecordReading }
  | { readonly kind: 'referral'; readonly day: number; readonly key: string | undefined }
  | { readonly kind: 'undated-referral' }
  | { readonly kind: 'mme'; readonly segment: SegmentJson };

function skip(counts: EvidenceCounts, reason: SkipReason): void {
  counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
}

function writeNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

/** A PEG Observation's fact as a record: a value JSON cannot hold (±Infinity, NaN) as a string. */
type PegObservationRecordReading =
  | {
      readonly kind: 'fact';
      readonly fact: Omit<PegObservationFact, 'value'> & { readonly value?: number | string };
    }
  | { readonly kind: 'skipped'; readonly skip: PegObservationSkip };

function pegObservationRecord(
  reading: Exclude<PegObservationReadingPart, { kind: 'not-peg' }>,
): PatientRecord {
  if (reading.kind === 'skipped') {
    return { kind: 'peg-observation', reading };
  }
  const { value } = reading.fact;
  return {
    kind: 'peg-observation',
    reading:
      value === undefined || Number.isFinite(value)
        ? reading
        : { kind: 'fact', fact: { ...reading.fact, value: writeNumber(value) } },
  };
}

/** The PEG Observation reading a record holds, its value a number again. */
export function pegObservationReading(
  record: Extract<PatientRecord, { kind: 'peg-observation' }>,
): PegObservationReadingPart {
  const { reading } = record;
  if (reading.kind === 'skipped' || typeof reading.fact.value !== 'string') {
    return reading as PegObservationReadingPart;
  }
  return { kind: 'fact', fact: { ...reading.fact, value: Number(reading.fact.value) } };
}

export function segmentOf(record: { readonly segment: SegmentJson }): MmeSegment {
  const [fromDay, toDay, mmePerDay] = record.segment.map(Number) as [number, number, number];
  return { fromDay, toDay, mmePerDay };
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
      const reading = pegObservationFact(observation);
      return reading.kind === 'not-peg' ? [] : [pegObservationRecord(reading)];
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
