/**
 * One patient's evidence for the outcome analysis from that patient's resources (the analytic
 * engine hands them over grouped by patient, so nothing is compacted or spilled here): PEG
 * administrations read by the PEG module's own readers (QuestionnaireResponses of any PEG
 * Questionnaire, score and item Observations) and merged by its history rule, each kept with its
 * EXACT mean (`pegMean`), programme referrals, and opioid dose segments from the MME engine.
 * Questionnaires and Medications, which other resources refer to, are `Definitions`.
 */
import type {
  Task,
  Condition,
  Medication,
  Observation,
  Questionnaire,
  QuestionnaireResponse,
} from 'fhir/r4';
import { SCREENING_QUESTIONNAIRE_URL } from '../codes/canonical.ts';
import { hasLoinc } from '../fhir-primitives/codings.ts';
import { fullDayIndex } from '../fhir-primitives/dates.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';
import { mergePegHistory } from '../peg/history.ts';
import { pegFromObservations } from '../peg/observations.ts';
import type { PegAdministration } from '../peg/peg.ts';
import { PEG_ITEMS, PEG_SCORE_LOINC, pegMean } from '../peg/peg.ts';
import { pegFromQuestionnaireResponse } from '../peg/questionnaireResponse.ts';
import type { PatientEvidence } from './armAssignment.ts';
import { eligibilityOn, screeningsOf } from './eligibilityAtIndex.ts';
import type { EligibilityConfig } from '../screening/eligibilityConfig.ts';
import { medicationSegment, mmeOnDay } from './mmeSource.ts';
import { programmeReferral } from './programmeReferral.ts';
import type { Json } from './resourceShape.ts';
import {
  asObservation,
  asQuestionnaire,
  asQuestionnaireResponse,
  questionnaireKeys,
} from './resourceShape.ts';
import type { DatedScore } from './timeWindows.ts';

/** Why a resource that looked relevant did not contribute; counted and printed with the table. */
export type SkipReason =
  | 'peg-response-questionnaire-not-found'
  | 'peg-response-incomplete'
  | 'peg-response-invalid'
  | 'peg-response-not-final'
  | 'peg-observation-unusable'
  | 'peg-without-subject'
  | 'peg-without-calendar-day'
  | 'malformed-resource';

export interface EvidenceCounts {
  resources: number;
  pegAdministrations: number;
  referrals: number;
  /** MedicationStatements and MedicationRequests read. */
  medications: number;
  /** Opioids with a computed MME/day, and opioids whose dose could not be computed. */
  opioidsCounted: number;
  opioidsUnknown: number;
  skipped: Partial<Record<SkipReason, number>>;
}

export function emptyCounts(): EvidenceCounts {
  return {
    resources: 0,
    pegAdministrations: 0,
    referrals: 0,
    medications: 0,
    opioidsCounted: 0,
    opioidsUnknown: 0,
    skipped: {},
  };
}

function skip(counts: EvidenceCounts, reason: SkipReason, n = 1): void {
  if (n > 0) {
    counts.skipped[reason] = (counts.skipped[reason] ?? 0) + n;
  }
}

/** Questionnaires (by canonical URL with and without version, and by id) and Medications (by id). */
export class Definitions {
  private readonly questionnaires = new Map<string, Questionnaire>();
  private readonly medications = new Map<string, Medication>();

  add(resource: Json): void {
    if (resource.resourceType === 'Medication' && typeof resource.id === 'string') {
      this.medications.set(`Medication/${resource.id}`, resource as unknown as Medication);
      return;
    }
    const questionnaire = asQuestionnaire(resource);
    for (const key of questionnaire === undefined ? [] : questionnaireKeys(questionnaire)) {
      this.questionnaires.set(key, questionnaire as Questionnaire);
    }
  }

  medication(reference: string): Medication | undefined {
    return this.medications.get(normalizeReference(reference));
  }

  questionnaireFor(response: QuestionnaireResponse): Questionnaire | undefined {
    const reference = response.questionnaire;
    if (reference === undefined) {
      return undefined;
    }
    return (
      this.questionnaires.get(reference) ??
      this.questionnaires.get(reference.split('|')[0] ?? reference) ??
      this.questionnaires.get(normalizeReference(reference))
    );
  }
}

export interface EvidenceOptions {
  readonly inGroup: boolean;
  /** Whether the input holds any medication record (else doses are not computed at all). */
  readonly medicationRecords: boolean;
  /** The programme's eligibility thresholds (the app's table). */
  readonly eligibility: EligibilityConfig;
}

function responseAdministration(
  resource: Json,
  definitions: Definitions,
  counts: EvidenceCounts,
): PegAdministration | undefined {
  const response = asQuestionnaireResponse(resource);
  if (response === undefined) {
    skip(counts, 'malformed-resource');
    return undefined;
  }
  const questionnaire = definitions.questionnaireFor(response);
  if (questionnaire === undefined) {
    // Not every response is a PEG; only one that names no known Questionnaire is counted.
    skip(counts, 'peg-response-questionnaire-not-found');
    return undefined;
  }
  const reading = pegFromQuestionnaireResponse(response, questionnaire);
  switch (reading.kind) {
    case 'administration':
      return reading.administration;
    case 'incomplete':
      skip(counts, 'peg-response-incomplete');
      return undefined;
    case 'invalid':
      skip(counts, 'peg-response-invalid');
      return undefined;
    case 'not-final':
      skip(counts, 'peg-response-not-final');
      return undefined;
    case 'not-peg':
      return undefined;
  }
}

function readsAsScreening(response: QuestionnaireResponse): boolean {
  return response.questionnaire?.split('|')[0] === SCREENING_QUESTIONNAIRE_URL;
}

function isPegObservation(observation: Observation): boolean {
  const codings = observation.code.coding;
  return (
    hasLoinc(codings, PEG_SCORE_LOINC) || PEG_ITEMS.some((item) => hasLoinc(codings, item.loinc))
  );
}

/**
 * The evidence of one patient from all of that patient's resources (any order). Resources of
 * other types are ignored; unusable ones are counted in `counts.skipped`.
 */
export function patientEvidence(
  resources: readonly Json[],
  definitions: Definitions,
  counts: EvidenceCounts,
  options: EvidenceOptions,
): PatientEvidence {
  const administrations: PegAdministration[] = [];
  const observations: Observation[] = [];
  const referralDays: number[] = [];
  let undatedReferral = false;
  const mme: number[] = [];
  let birthDate: string | undefined;
  const conditions: Condition[] = [];
  const responses: QuestionnaireResponse[] = [];
  const referrals: { day: number; key: string | undefined }[] = [];
  const taskStatus = new Map<string, string>();
  for (const resource of resources) {
    counts.resources += 1;
    try {
      switch (resource.resourceType) {
        case 'Patient':
          birthDate = typeof resource.birthDate === 'string' ? resource.birthDate : undefined;
          break;
        case 'Condition':
          conditions.push(resource as unknown as Condition);
          break;
        case 'Task': {
          const task = resource as unknown as Task;
          const focus = task.focus?.reference;
          if (focus !== undefined) {
            taskStatus.set(normalizeReference(focus), task.status);
          }
          break;
        }
        case 'QuestionnaireResponse': {
          const response = asQuestionnaireResponse(resource);
          if (response !== undefined && readsAsScreening(response)) {
            responses.push(response);
            break;
          }
          const administration = responseAdministration(resource, definitions, counts);
          if (administration !== undefined) {
            administrations.push(administration);
          }
          break;
        }
        case 'Observation': {
          const observation = asObservation(resource);
          if (observation === undefined) {
            skip(counts, 'malformed-resource');
          } else if (isPegObservation(observation)) {
            observations.push(observation);
          }
          break;
        }
        case 'ServiceRequest': {
          const referral = programmeReferral(resource);
          if (referral.kind === 'referral') {
            referralDays.push(referral.day);
            referrals.push({ day: referral.day, key: referral.key });
          } else if (referral.kind === 'undated-referral') {
            undatedReferral = true;
          }
          counts.referrals += referral.kind === 'not-a-referral' ? 0 : 1;
          break;
        }
        case 'MedicationStatement':
        case 'MedicationRequest': {
          counts.medications += 1;
          const outcome = medicationSegment(resource, (ref) => definitions.medication(ref));
          if (outcome.kind !== 'not-counted') {
            counts[outcome.kind === 'counted' ? 'opioidsCounted' : 'opioidsUnknown'] += 1;
            mme.push(outcome.segment.fromDay, outcome.segment.toDay, outcome.segment.mmePerDay);
          }
          break;
        }
        default:
          break;
      }
    } catch {
      // A resource that passed the shape checks but still broke a reader deeper down.
      skip(counts, 'malformed-resource');
    }
  }
  const reading = pegFromObservations(observations);
  administrations.push(...reading.administrations);
  skip(counts, 'peg-observation-unusable', reading.skipped.length);
  const pegs: DatedScore[] = [];
  for (const administration of mergePegHistory(administrations)) {
    const day = fullDayIndex(administration.date);
    if (day === undefined) {
      skip(counts, 'peg-without-calendar-day');
      continue;
    }
    counts.pegAdministrations += 1;
    // The exact mean (7/7/6 is 20/3, not 6.67), as the screen's change verdicts use it.
    pegs.push({ day, score: pegMean(administration) });
  }
  const facts = { birthDate, conditions, screenings: screeningsOf(responses) };
  const first = referrals.sort((a, b) => a.day - b.day)[0];
  const programmeTask = first?.key === undefined ? undefined : taskStatus.get(first.key);
  return {
    ...(programmeTask === undefined ? {} : { programmeTask }),
    pegs,
    eligibility: (day: number, score: number) =>
      eligibilityOn(facts, day, score, options.eligibility),
    referralDays: referralDays.sort((a, b) => a - b),
    undatedReferral,
    inGroup: options.inGroup,
    ...(options.medicationRecords ? { mmeOnDay: (day: number) => mmeOnDay(mme, day) } : {}),
  };
}
