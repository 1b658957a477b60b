/**
 * Compact per-patient evidence for the outcome analysis, fed one resource at a time. It keeps
 * only what the table needs: PEG administrations as a few numbers each (compactPeg.ts), referral
 * days, Group membership and opioid dose segments. Questionnaires (few) are kept whole; separate
 * PEG item Observations are kept compact (compactItems.ts) until the end, because their three
 * items may be anywhere in the stream. PEG reading and de-duplication are peg*.ts's, not re-implemented here.
 * A large cohort's records can be taken out ({@link OutcomeStore.spill}) and put back a part at a
 * time ({@link OutcomeStore.restore}); the caller keeps them on disk in between (src/cli).
 */
import type { Medication, Questionnaire, QuestionnaireResponse } from 'fhir/r4';
import { PEG_ITEMS, PEG_SCORE_LOINC } from '../peg/peg.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';
import { hasLoinc } from '../fhir-primitives/codings.ts';
import type { PegAdministration } from '../peg/peg.ts';
import { mergePegHistory } from '../peg/history.ts';
import { pegFromObservations } from '../peg/observations.ts';
import { pegFromQuestionnaireResponse } from '../peg/questionnaireResponse.ts';
import type { PatientEvidence } from './armAssignment.ts';
import { fullDayIndex } from '../fhir-primitives/dates.ts';
import { appendCompact, decodeCompact } from './compactPeg.ts';
import { appendItem, readItems } from './compactItems.ts';
import { medicationSegment, mmeOnDay } from './mmeSource.ts';
import { activeGroupMembers, programmeReferral } from './programmeReferral.ts';
import type { Json } from './resourceShape.ts';
import {
  asObservation,
  asQuestionnaire,
  asQuestionnaireResponse,
  questionnaireKeys,
  subjectKey,
} from './resourceShape.ts';
import type { CompactRecord } from './recordCodec.ts';
import { decodeLine, encodeMember, encodeRecord, mergeRecord } from './recordCodec.ts';
import type { DatedScore } from './timeWindows.ts';

/**
 * Every field exists from the start (one fixed object shape, fields inside the object): PEG
 * administrations (compactPeg.ts), compact PEG item Observations (compactItems.ts, read at the
 * end), referral days, and opioid dose segments as (fromDay, toDay, mmePerDay) triples.
 */
type PatientRecord = CompactRecord;

/** A patient's evidence and the position of their first appearance in the stream. */
export interface OrderedEvidence {
  readonly order: number;
  readonly evidence: PatientEvidence;
}

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

export interface StoreCounts {
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

export interface OutcomeStoreOptions {
  /** With `group:<id>` arms: the Group whose members are the intervention arm. */
  readonly groupId?: string;
}

export class OutcomeStore {
  readonly counts: StoreCounts = {
    resources: 0,
    pegAdministrations: 0,
    referrals: 0,
    medications: 0,
    opioidsCounted: 0,
    opioidsUnknown: 0,
    skipped: {},
  };
  private readonly medications = new Map<string, Medication>();
  private readonly questionnaires = new Map<string, Questionnaire>();
  private readonly patients = new Map<string, PatientRecord>();
  private readonly options: OutcomeStoreOptions;
  private groupMembers: Set<string> | undefined;
  private groupSeen = false;
  private nextOrder = 0;

  constructor(options: OutcomeStoreOptions = {}) {
    this.options = options;
  }

  /** Whether the Group named in the options was found in the input. */
  get groupFound(): boolean {
    return this.groupSeen;
  }

  /** Patients (and Group members) whose records are held in memory now. */
  get heldPatients(): number {
    return this.patients.size + (this.groupMembers?.size ?? 0);
  }

  /**
   * First pass: remember Questionnaires (by canonical URL with and without version, and by id)
   * and Medications (by id), which later resources refer to.
   */
  addDefinition(resource: Json): void {
    if (resource.resourceType === 'Medication' && typeof resource.id === 'string') {
      this.medications.set(`Medication/${resource.id}`, resource as unknown as Medication);
      return;
    }
    const questionnaire = asQuestionnaire(resource);
    if (questionnaire === undefined) {
      return;
    }
    for (const key of questionnaireKeys(questionnaire)) {
      this.questionnaires.set(key, questionnaire);
    }
  }

  /** Second pass: every resource; irrelevant types are ignored. */
  add(resource: Json): void {
    this.counts.resources += 1;
    try {
      this.dispatch(resource);
    } catch {
      // A resource that passed the shape checks but still broke a reader deeper down.
      this.skip('malformed-resource');
    }
  }

  /**
   * Each held patient's evidence, one at a time (pegs de-duplicated and sorted), with the order of
   * their first appearance. Drains the store: a patient's compact data is released as soon as
   * their evidence is handed out, so the table being built never doubles the memory held.
   * Only call it once the whole stream has been added (a Group, Medications and item
   * Observations may come last).
   */
  *drainEvidence(): Generator<OrderedEvidence> {
    for (const [key, record] of this.patients) {
      const evidence = this.evidenceOf(key, record);
      this.patients.delete(key);
      this.groupMembers?.delete(key);
      yield { order: record.order, evidence };
    }
    // Group members with no PEG or referral at all are still members (counted as 'no-peg').
    const membersWithoutData = this.groupMembers?.size ?? 0;
    this.groupMembers?.clear();
    for (let i = 0; i < membersWithoutData; i += 1) {
      yield {
        order: -1,
        evidence: { pegs: [], referralDays: [], undatedReferral: false, inGroup: true },
      };
    }
  }

  /**
   * Takes every held record (and Group member) out of memory as text lines (recordCodec.ts),
   * keyed by patient. Records of one patient spilled at different times are merged back in the
   * order they were spilled by {@link restore}, which gives back exactly the record one long
   * in-memory run would have built.
   */
  *spill(): Generator<{ key: string; line: string }> {
    for (const [key, record] of this.patients) {
      yield { key, line: encodeRecord(key, record) };
    }
    this.patients.clear();
    for (const member of this.groupMembers ?? []) {
      yield { key: member, line: encodeMember(member) };
    }
    this.groupMembers?.clear();
  }

  /** Puts back one line from {@link spill}; lines of one patient must come in spill order. */
  restore(line: string): void {
    const spilled = decodeLine(line);
    if (spilled.kind === 'member') {
      this.groupMembers ??= new Set();
      this.groupMembers.add(spilled.key);
      return;
    }
    const held = this.patients.get(spilled.key);
    if (held === undefined) {
      this.patients.set(spilled.key, spilled.record);
    } else {
      mergeRecord(held, spilled.record);
    }
  }

  private dispatch(resource: Json): void {
    switch (resource.resourceType) {
      case 'QuestionnaireResponse':
        this.addResponse(resource);
        return;
      case 'Observation':
        this.addObservation(resource);
        return;
      case 'ServiceRequest':
        this.addReferral(resource);
        return;
      case 'Group':
        this.addGroup(resource);
        return;
      case 'MedicationStatement':
      case 'MedicationRequest':
        this.addMedication(resource);
        return;
      default:
        return;
    }
  }

  private addResponse(resource: Json): void {
    const response = asQuestionnaireResponse(resource);
    if (response === undefined) {
      this.skip('malformed-resource');
      return;
    }
    const questionnaire = this.questionnaireFor(response);
    if (questionnaire === undefined) {
      this.skip('peg-response-questionnaire-not-found');
      return;
    }
    const reading = pegFromQuestionnaireResponse(response, questionnaire);
    switch (reading.kind) {
      case 'administration':
        this.addAdministration(subjectKey(resource), reading.administration);
        return;
      case 'incomplete':
        this.skip('peg-response-incomplete');
        return;
      case 'invalid':
        this.skip('peg-response-invalid');
        return;
      case 'not-final':
        this.skip('peg-response-not-final');
        return;
      case 'not-peg':
        return;
    }
  }

  private addObservation(resource: Json): void {
    const observation = asObservation(resource);
    if (observation === undefined) {
      this.skip('malformed-resource');
      return;
    }
    const codings = observation.code.coding;
    if (hasLoinc(codings, PEG_SCORE_LOINC)) {
      const reading = pegFromObservations([observation]);
      for (const administration of reading.administrations) {
        this.addAdministration(subjectKey(resource), administration);
      }
      this.skip('peg-observation-unusable', reading.skipped.length);
      return;
    }
    if (PEG_ITEMS.some((item) => hasLoinc(codings, item.loinc))) {
      const subject = subjectKey(resource);
      if (subject === undefined) {
        this.skip('peg-without-subject');
        return;
      }
      const record = this.record(subject);
      record.items ??= [];
      if (!appendItem(record.items, observation)) {
        this.skip('peg-observation-unusable');
      }
    }
  }

  private addAdministration(subject: string | undefined, administration: PegAdministration): void {
    if (subject === undefined) {
      this.skip('peg-without-subject');
      return;
    }
    if (appendCompact(this.record(subject).peg, administration)) {
      this.counts.pegAdministrations += 1;
    } else {
      this.skip('peg-without-calendar-day');
    }
  }

  private addReferral(resource: Json): void {
    const referral = programmeReferral(resource);
    if (referral.kind === 'not-a-referral') {
      return;
    }
    this.counts.referrals += 1;
    const record = this.record(referral.subject);
    if (referral.kind === 'undated-referral') {
      record.undatedReferral = true;
      return;
    }
    record.referralDays ??= [];
    record.referralDays.push(referral.day);
  }

  private addGroup(resource: Json): void {
    if (resource.id !== this.options.groupId || this.options.groupId === undefined) {
      return;
    }
    const members = activeGroupMembers(resource);
    if (members !== undefined) {
      this.groupSeen = true;
      this.groupMembers ??= new Set();
      for (const member of members) {
        this.groupMembers.add(member);
      }
    }
  }

  private addMedication(resource: Json): void {
    this.counts.medications += 1;
    const subject = subjectKey(resource);
    if (subject === undefined) {
      return;
    }
    const outcome = medicationSegment(resource, (reference) =>
      this.medications.get(normalizeReference(reference)),
    );
    if (outcome.kind === 'not-counted') {
      return;
    }
    if (outcome.kind === 'counted') {
      this.counts.opioidsCounted += 1;
    } else {
      this.counts.opioidsUnknown += 1;
    }
    const record = this.record(subject);
    record.mme ??= [];
    record.mme.push(outcome.segment.fromDay, outcome.segment.toDay, outcome.segment.mmePerDay);
  }

  private evidenceOf(key: string, record: PatientRecord): PatientEvidence {
    const administrations = decodeCompact(record.peg, key);
    if (record.items !== undefined) {
      const reading = readItems(record.items, key);
      administrations.push(...reading.administrations);
      this.skip('peg-observation-unusable', reading.skipped);
      this.counts.pegAdministrations += reading.administrations.length;
    }
    const pegs: DatedScore[] = [];
    for (const administration of mergePegHistory(administrations)) {
      const day = fullDayIndex(administration.date);
      if (day !== undefined) {
        pegs.push({ day, score: administration.score });
      }
    }
    const mme = record.mme ?? [];
    return {
      pegs,
      referralDays: [...(record.referralDays ?? [])].sort((a, b) => a - b),
      undatedReferral: record.undatedReferral,
      inGroup: this.groupMembers?.has(key) === true,
      // Without any medication record in the input there is nothing to say about doses; with
      // some, a patient without opioid records is on 0 MME/day.
      ...(this.counts.medications === 0 ? {} : { mmeOnDay: (day: number) => mmeOnDay(mme, day) }),
    };
  }

  private questionnaireFor(response: QuestionnaireResponse): Questionnaire | undefined {
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

  private record(subject: string): PatientRecord {
    let record = this.patients.get(subject);
    if (record === undefined) {
      record = {
        order: this.nextOrder,
        peg: [],
        items: undefined,
        referralDays: undefined,
        undatedReferral: false,
        mme: undefined,
      };
      this.nextOrder += 1;
      this.patients.set(subject, record);
    }
    return record;
  }

  private skip(reason: SkipReason, count = 1): void {
    if (count > 0) {
      this.counts.skipped[reason] = (this.counts.skipped[reason] ?? 0) + count;
    }
  }
}
