/**
 * Compact per-patient evidence for the outcome analysis, fed one resource at a time. It keeps
 * only what the table needs: PEG administrations as a few numbers each (compactPeg.ts), referral
 * days, Group membership and opioid dose segments. Questionnaires (few) are kept whole; separate
 * PEG item Observations are kept compact (compactItems.ts) until the end, because their three
 * items may be anywhere in the stream. PEG reading and de-duplication are peg*.ts's, not re-implemented here.
 */
import type { Questionnaire, QuestionnaireResponse } from 'fhir/r4';
import { MINDFULNESS_GMV_CODE, PATHWAY_CODE_SYSTEM } from '../canonical.ts';
import { PEG_ITEMS, PEG_SCORE_LOINC, hasLoinc, normalizeReference } from '../peg.ts';
import type { PegAdministration } from '../peg.ts';
import { mergePegHistory } from '../pegHistory.ts';
import { pegFromObservations } from '../pegObservations.ts';
import { pegFromQuestionnaireResponse } from '../pegResponse.ts';
import type { PatientEvidence } from './armAssignment.ts';
import { calendarDay } from './calendar.ts';
import { appendCompact, decodeCompact } from './compactPeg.ts';
import { appendItem, readItems } from './compactItems.ts';
import type { MmeSource } from './mmeSource.ts';
import { mmeOnDay } from './mmeSource.ts';
import type { Json } from './resourceShape.ts';
import {
  asGroup,
  asObservation,
  asQuestionnaire,
  asQuestionnaireResponse,
  asServiceRequest,
  questionnaireKeys,
  subjectKey,
} from './resourceShape.ts';
import type { DatedScore } from './timeWindows.ts';

/** Referral statuses that count (active or done); draft, on-hold, revoked, entered-in-error do not. */
const REFERRAL_STATUSES: readonly string[] = ['active', 'completed'];

interface PatientRecord {
  peg: number[];
  /** Compact PEG item Observations (compactItems.ts), read at the end. */
  items?: number[];
  referralDays?: number[];
  undatedReferral?: boolean;
  mme?: number[];
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
  skipped: Partial<Record<SkipReason, number>>;
}

export interface OutcomeStoreOptions {
  /** With `group:<id>` arms: the Group whose members are the intervention arm. */
  readonly groupId?: string;
  readonly mme?: MmeSource;
}

export class OutcomeStore {
  readonly counts: StoreCounts = { resources: 0, pegAdministrations: 0, referrals: 0, skipped: {} };
  private readonly questionnaires = new Map<string, Questionnaire>();
  private readonly patients = new Map<string, PatientRecord>();
  private readonly options: OutcomeStoreOptions;
  private groupMembers: Set<string> | undefined;

  constructor(options: OutcomeStoreOptions = {}) {
    this.options = options;
  }

  /** Whether the Group named in the options was found in the input. */
  get groupFound(): boolean {
    return this.groupMembers !== undefined;
  }

  /** First pass: remember a Questionnaire by canonical URL (with and without version) and id. */
  addQuestionnaire(resource: Json): void {
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
   * Each patient's evidence, one at a time (pegs de-duplicated and sorted). Drains the store:
   * a patient's compact data is released as soon as their evidence is handed out, so the table
   * being built never doubles the memory held.
   */
  *drainEvidence(): Generator<PatientEvidence> {
    for (const [key, record] of this.patients) {
      const evidence = this.evidenceOf(key, record);
      this.patients.delete(key);
      this.groupMembers?.delete(key);
      yield evidence;
    }
    // Group members with no PEG or referral at all are still members (counted as 'no-peg').
    const membersWithoutData = this.groupMembers?.size ?? 0;
    for (let i = 0; i < membersWithoutData; i += 1) {
      yield { pegs: [], referralDays: [], undatedReferral: false, inGroup: true };
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
    const request = asServiceRequest(resource);
    const subject = subjectKey(resource);
    if (
      request === undefined ||
      subject === undefined ||
      !REFERRAL_STATUSES.includes(request.status) ||
      !(request.code?.coding ?? []).some(
        (c) => c.system === PATHWAY_CODE_SYSTEM && c.code === MINDFULNESS_GMV_CODE,
      )
    ) {
      return;
    }
    this.counts.referrals += 1;
    const record = this.record(subject);
    const day = request.authoredOn === undefined ? undefined : calendarDay(request.authoredOn);
    if (day === undefined) {
      record.undatedReferral = true;
      return;
    }
    record.referralDays ??= [];
    record.referralDays.push(day);
  }

  private addGroup(resource: Json): void {
    const group = asGroup(resource);
    if (
      group === undefined ||
      this.options.groupId === undefined ||
      group.id !== this.options.groupId
    ) {
      return;
    }
    this.groupMembers ??= new Set();
    for (const member of group.member ?? []) {
      const reference = member.entity.reference;
      if (member.inactive !== true && reference !== undefined) {
        this.groupMembers.add(normalizeReference(reference));
      }
    }
  }

  private addMedication(resource: Json): void {
    const source = this.options.mme;
    const subject = subjectKey(resource);
    if (source === undefined || subject === undefined) {
      return;
    }
    const segments = source.segments(resource);
    if (segments.length > 0) {
      const record = this.record(subject);
      record.mme ??= [];
      for (const segment of segments) {
        record.mme.push(segment.fromDay, segment.toDay, segment.mmePerDay);
      }
    }
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
      const day = calendarDay(administration.date);
      if (day !== undefined) {
        pegs.push({ day, score: administration.score });
      }
    }
    const source = this.options.mme;
    const mme = record.mme ?? [];
    return {
      pegs,
      referralDays: [...(record.referralDays ?? [])].sort((a, b) => a - b),
      undatedReferral: record.undatedReferral === true,
      inGroup: this.groupMembers?.has(key) === true,
      ...(source === undefined ? {} : { mmeOnDay: (day: number) => mmeOnDay(mme, day) }),
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
      record = { peg: [] };
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
