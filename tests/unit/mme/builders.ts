/** Small FHIR builders for the MME tests: each returns plain JSON as an EHR would send it. */
import type { Dosage, Medication, MedicationRequest, MedicationStatement } from 'fhir/r4';

export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** RxCUIs from the generated table (RxNorm 2020-10-20). */
export const RX = {
  hydrocodone5Apap325: '857002',
  oxycodone5: '1049621',
  oxycodone10: '1049683',
  oxycodoneEr10: '1049502',
  fentanyl12Patch: '577057',
  fentanyl25Patch: '245134',
  fentanyl50Patch: '245135',
  codeine30Apap300: '993781',
  methadone10: '864706',
  morphineSolution2PerMl: '892589',
  morphine15: '892582',
  oxycodoneSolution1PerMl: '1049604',
  hydromorphone2: '897696',
  tramadol50: '835603',
  tapentadol50: '825411',
  buprenorphine8Sl: '351265',
  buprenorphinePatch10: '904870',
  meperidine50: '861467',
  fentanylBuccal200: '668364',
} as const;

export function rxnorm(
  code: string,
  display?: string,
): NonNullable<MedicationRequest['medicationCodeableConcept']> {
  return { coding: [{ system: RXNORM, code, ...(display === undefined ? {} : { display }) }] };
}

export function named(text: string): NonNullable<MedicationRequest['medicationCodeableConcept']> {
  return { text };
}

/** A Dosage: `dose` of `unit` `times` per `period` `periodUnit`. */
export function dosage(
  dose: number,
  unit: string,
  times: number,
  period = 1,
  periodUnit: 'h' | 'd' | 'wk' | 'mo' = 'd',
): Dosage {
  return {
    timing: { repeat: { frequency: times, period, periodUnit } },
    doseAndRate: [{ doseQuantity: { value: dose, unit } }],
  };
}

export function request(
  medication: Partial<MedicationRequest>,
  extra: Partial<MedicationRequest> = {},
): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: 'req-1',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    ...medication,
    ...extra,
  };
}

export function statement(
  medication: Partial<MedicationStatement>,
  extra: Partial<MedicationStatement> = {},
): MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    id: 'stmt-1',
    status: 'active',
    subject: { reference: 'Patient/p1' },
    ...medication,
    ...extra,
  };
}

export function medication(id: string, code: string): Medication {
  return { resourceType: 'Medication', id, code: rxnorm(code) };
}

export const noMedications = (): Medication | undefined => undefined;
