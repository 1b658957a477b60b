/**
 * One patient's evidence for the outcome analysis from that patient's records (patientRecord.ts:
 * what each resource gives, read by the domain's own readers in the first pass; the analytic
 * engine groups the records by patient): PEG administrations from QuestionnaireResponses of any
 * PEG Questionnaire and from score and item Observations, merged by the PEG history rule, each
 * kept with its EXACT mean (`pegMean`), programme referrals, and opioid dose segments from the MME
 * engine. Questionnaires and Medications, which other resources refer to, are `Definitions`.
 */
import type { Condition, Medication, Questionnaire, QuestionnaireResponse } from 'fhir/r4';
import { fullDayIndex } from '../fhir-primitives/dates.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';
import { mergePegHistory } from '../peg/history.ts';
import type { PegObservationReadingPart } from '../peg/observations.ts';
import { pegFromObservationFacts } from '../peg/observations.ts';
import type { PegAdministration } from '../peg/peg.ts';
import { pegMean } from '../peg/peg.ts';
import type { ScreeningAnswers } from '../screening/screening.ts';
import type { PatientEvidence } from './armAssignment.ts';
import { eligibilityOn } from './eligibilityAtIndex.ts';
import type { EligibilityConfig } from '../screening/eligibilityConfig.ts';
import { mmeOnDay } from './mmeSource.ts';
import type { PatientRecord } from './patientRecord.ts';
import { patientRecords, pegObservationReading, segmentOf } from './patientRecord.ts';
import type { Json } from './resourceShape.ts';
import { asQuestionnaire, questionnaireKeys } from './resourceShape.ts';
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

/** The counts of several parts of a run, added up. */
export function sumCounts(parts: readonly EvidenceCounts[]): EvidenceCounts {
  const total = emptyCounts();
  for (const part of parts) {
    total.resources += part.resources;
    total.pegAdministrations += part.pegAdministrations;
    total.referrals += part.referrals;
    total.medications += part.medications;
    total.opioidsCounted += part.opioidsCounted;
    total.opioidsUnknown += part.opioidsUnknown;
    for (const [reason, n] of Object.entries(part.skipped) as [SkipReason, number][]) {
      skip(total, reason, n);
    }
  }
  return total;
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

/**
 * One patient's evidence from that patient's records (`patientRecords`, any order): the PEG
 * Observations' facts read together (pegFromObservationFacts groups them by instant), every administration
 * merged by the PEG history rule and kept with its exact mean, the chart facts for eligibility on
 * a day, the first referral's Task status, the dose segments.
 */
export function evidenceFromRecords(
  records: readonly PatientRecord[],
  counts: EvidenceCounts,
  options: EvidenceOptions,
): PatientEvidence {
  const administrations: PegAdministration[] = [];
  const observations: PegObservationReadingPart[] = [];
  const referrals: { day: number; key: string | undefined }[] = [];
  let undatedReferral = false;
  const mme: number[] = [];
  let birthDate: string | undefined;
  const conditions: Condition[] = [];
  const screenings: { day: number; answers: ScreeningAnswers }[] = [];
  const taskStatus = new Map<string, string>();
  for (const record of records) {
    switch (record.kind) {
      case 'birth-date':
        birthDate = record.birthDate;
        break;
      case 'condition':
        conditions.push(record.condition);
        break;
      case 'task':
        taskStatus.set(record.focus, record.status);
        break;
      case 'screening':
        screenings.push({ day: record.day, answers: record.answers });
        break;
      case 'peg':
        administrations.push(record.administration);
        break;
      case 'peg-observation':
        observations.push(pegObservationReading(record));
        break;
      case 'referral':
        referrals.push({ day: record.day, key: record.key });
        break;
      case 'undated-referral':
        undatedReferral = true;
        break;
      case 'mme': {
        const segment = segmentOf(record);
        mme.push(segment.fromDay, segment.toDay, segment.mmePerDay);
        break;
      }
    }
  }
  const reading = pegFromObservationFacts(observations);
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
  const facts = { birthDate, conditions, screenings: screenings.sort((a, b) => a.day - b.day) };
  referrals.sort((a, b) => a.day - b.day);
  const first = referrals[0];
  const programmeTask = first?.key === undefined ? undefined : taskStatus.get(first.key);
  return {
    ...(programmeTask === undefined ? {} : { programmeTask }),
    pegs,
    eligibility: (day: number, score: number) =>
      eligibilityOn(facts, day, score, options.eligibility),
    referralDays: referrals.map((referral) => referral.day),
    undatedReferral,
    inGroup: options.inGroup,
    ...(options.medicationRecords ? { mmeOnDay: (day: number) => mmeOnDay(mme, day) } : {}),
  };
}

/** The evidence of one patient from all of that patient's resources (any order). */
export function patientEvidence(
  resources: readonly Json[],
  definitions: Definitions,
  counts: EvidenceCounts,
  options: EvidenceOptions,
): PatientEvidence {
  const records = resources.flatMap((resource) => patientRecords(resource, definitions, counts));
  return evidenceFromRecords(records, counts, options);
}
