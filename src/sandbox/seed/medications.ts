/** MedicationRequest and MedicationStatement builders with the shapes EHRs actually send. */
import type { MedicationRequest, MedicationStatement, Reference } from 'fhir/r4';
import { type Clock, dateAgo, instantAgo } from './clock.ts';
import { DOSE_UNITS, type DrugCode, SYSTEM } from './codes.ts';
import {
  buildDosage,
  buildMedication,
  type DosageSpec,
  drugConcept,
  PCP,
  ref,
} from './fhirBuilders.ts';

export interface RequestSpec {
  id: string;
  patientId: string;
  dosage: DosageSpec;
  authoredDaysAgo: number;
  minuteOfDay: number;
  status: 'active' | 'completed';
  /** Units dispensed and the days they should last. */
  supply: { quantity: number; days: number };
  validDays: number;
  encounter?: Reference;
}

export function buildMedicationRequest(clock: Clock, s: RequestSpec): MedicationRequest {
  const doseUnit = DOSE_UNITS[s.dosage.drug.unit];
  return {
    resourceType: 'MedicationRequest',
    id: s.id,
    status: s.status,
    intent: 'order',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
            code: 'community',
            display: 'Community',
          },
        ],
      },
    ],
    medicationCodeableConcept: drugConcept(s.dosage.drug),
    subject: ref('Patient', s.patientId),
    ...(s.encounter ? { encounter: s.encounter } : {}),
    authoredOn: instantAgo(clock, s.authoredDaysAgo, s.minuteOfDay),
    requester: PCP,
    dosageInstruction: [buildDosage(s.dosage)],
    dispenseRequest: {
      validityPeriod: {
        start: dateAgo(clock, s.authoredDaysAgo),
        end: dateAgo(clock, s.authoredDaysAgo - s.validDays),
      },
      numberOfRepeatsAllowed: 0,
      quantity: {
        value: s.supply.quantity,
        unit: doseUnit.unit,
        system: SYSTEM.ucum,
        code: doseUnit.code,
      },
      expectedSupplyDuration: {
        value: s.supply.days,
        unit: 'days',
        system: SYSTEM.ucum,
        code: 'd',
      },
    },
  };
}

/** How a statement names its drug: a code, a separate Medication resource, or a contained one. */
export type MedicationSource =
  { kind: 'concept' } | { kind: 'reference'; medicationId: string } | { kind: 'contained' };

export interface StatementSpec {
  id: string;
  patientId: string;
  source: MedicationSource;
  dosage: DosageSpec;
  startDaysAgo: number;
  /** The last day taken; absent for the current statement (status active). */
  endDaysAgo?: number;
}

const CONTAINED_ID = 'med';

export function buildMedicationStatement(clock: Clock, s: StatementSpec): MedicationStatement {
  const drug: DrugCode = s.dosage.drug;
  const medication = (() => {
    switch (s.source.kind) {
      case 'concept':
        return { medicationCodeableConcept: drugConcept(drug) };
      case 'reference':
        return {
          medicationReference: { ...ref('Medication', s.source.medicationId), display: drug.name },
        };
      case 'contained':
        return {
          contained: [buildMedication(CONTAINED_ID, drug)],
          medicationReference: { reference: `#${CONTAINED_ID}`, display: drug.name },
        };
    }
  })();
  return {
    resourceType: 'MedicationStatement',
    id: s.id,
    ...('contained' in medication ? { contained: medication.contained } : {}),
    status: s.endDaysAgo === undefined ? 'active' : 'completed',
    ...('medicationCodeableConcept' in medication
      ? { medicationCodeableConcept: medication.medicationCodeableConcept }
      : { medicationReference: medication.medicationReference }),
    effectivePeriod: {
      start: dateAgo(clock, s.startDaysAgo),
      ...(s.endDaysAgo === undefined ? {} : { end: dateAgo(clock, s.endDaysAgo) }),
    },
    dateAsserted: dateAgo(clock, s.startDaysAgo),
    informationSource: PCP,
    subject: ref('Patient', s.patientId),
    dosage: [buildDosage(s.dosage)],
  };
}
