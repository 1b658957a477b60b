/** Small builders of the FHIR R4 resources every scenario needs; ids are always explicit. */
import type {
  CodeableConcept,
  Coding,
  Condition,
  Dosage,
  Medication,
  Patient,
  Reference,
} from 'fhir/r4';
import { CANONICAL_BASE } from '../../domain/codes/canonical.ts';
import { type Clock, dateAgo, yearsInDays } from './clock.ts';
import { DOSE_UNITS, type DrugCode, ROUTES, SYSTEM, TIMING_CODES } from './codes.ts';

/** Identifier system of the sandbox's medical record numbers (synthetic). */
export const MRN_SYSTEM = `${CANONICAL_BASE}/sandbox/mrn`;
export const PCP: Reference = { reference: 'Practitioner/pcp-1' };

export const ref = (resourceType: string, id: string): Reference => ({
  reference: `${resourceType}/${id}`,
});

export interface PersonSpec {
  id: string;
  mrn: string;
  given: readonly string[];
  family: string;
  gender: 'male' | 'female';
  /** Age in whole years at asOf; `birthdayDaysAgo` days past the last birthday (< 365). */
  ageYears: number;
  birthdayDaysAgo: number;
  line: string;
  city: string;
  state: string;
  postalCode: string;
  phone: string;
}

export function buildPatient(clock: Clock, p: PersonSpec): Patient {
  return {
    resourceType: 'Patient',
    id: p.id,
    identifier: [
      {
        use: 'usual',
        type: {
          coding: [{ system: SYSTEM.identifierType, code: 'MR', display: 'Medical record number' }],
        },
        system: MRN_SYSTEM,
        value: p.mrn,
      },
    ],
    active: true,
    name: [{ use: 'official', family: p.family, given: [...p.given] }],
    telecom: [{ system: 'phone', value: p.phone, use: 'home' }],
    gender: p.gender,
    birthDate: dateAgo(clock, yearsInDays(p.ageYears) + p.birthdayDaysAgo),
    address: [
      {
        use: 'home',
        line: [p.line],
        city: p.city,
        state: p.state,
        postalCode: p.postalCode,
        country: 'US',
      },
    ],
    generalPractitioner: [PCP],
  };
}

export interface ConditionSpec {
  id: string;
  patientId: string;
  codes: readonly Coding[];
  onsetDaysAgo: number;
  /** Resolved conditions carry an abatement date. */
  abatedDaysAgo?: number;
}

export function buildCondition(clock: Clock, c: ConditionSpec): Condition {
  const abated = c.abatedDaysAgo;
  return {
    resourceType: 'Condition',
    id: c.id,
    clinicalStatus: {
      coding: [
        { system: SYSTEM.conditionClinical, code: abated === undefined ? 'active' : 'resolved' },
      ],
    },
    verificationStatus: { coding: [{ system: SYSTEM.conditionVerification, code: 'confirmed' }] },
    category: [
      {
        coding: [
          {
            system: SYSTEM.conditionCategory,
            code: 'problem-list-item',
            display: 'Problem List Item',
          },
        ],
      },
    ],
    code: {
      coding: c.codes.map((coding) => ({ ...coding })),
      text: c.codes[0]?.display ?? 'Condition',
    },
    subject: ref('Patient', c.patientId),
    onsetDateTime: dateAgo(clock, c.onsetDaysAgo),
    ...(abated === undefined ? {} : { abatementDateTime: dateAgo(clock, abated) }),
    recordedDate: dateAgo(clock, c.onsetDaysAgo),
    recorder: PCP,
  };
}

export function drugConcept(drug: DrugCode): CodeableConcept {
  return {
    coding: [{ system: SYSTEM.rxnorm, code: drug.rxcui, display: drug.name }],
    text: drug.name,
  };
}

/** A Medication resource (stand-alone or contained) with its opioid ingredient's strength. */
export function buildMedication(id: string, drug: DrugCode): Medication {
  const doseUnit = DOSE_UNITS[drug.unit];
  return {
    resourceType: 'Medication',
    id,
    code: drugConcept(drug),
    status: 'active',
    ingredient: [
      {
        itemCodeableConcept: {
          coding: [
            { system: SYSTEM.rxnorm, code: drug.ingredient.rxcui, display: drug.ingredient.name },
          ],
        },
        isActive: true,
        strength: {
          numerator: {
            value: drug.strength.value,
            unit: drug.strength.unit,
            system: SYSTEM.ucum,
            code: drug.strength.unit,
          },
          denominator: { value: 1, unit: doseUnit.unit, system: SYSTEM.ucum, code: doseUnit.code },
        },
      },
    ],
  };
}

export interface DosageSpec {
  drug: DrugCode;
  text: string;
  unitsPerDose: number;
  /** A GTSAbbreviation code (written as timing.code and repeat), or only a repeat. */
  timing:
    | { code: keyof typeof TIMING_CODES }
    | { repeat: { frequency: number; period: number; periodUnit: 'h' | 'd' } };
  asNeeded?: { maxUnitsPerDay: number };
  /** Write the dose unit as "TAB" instead of "tablet" (EHRs differ; both are UCUM {tbl}). */
  unitLabel?: string;
}

export function buildDosage(d: DosageSpec): Dosage {
  const doseUnit = DOSE_UNITS[d.drug.unit];
  const repeat = 'code' in d.timing ? { ...TIMING_CODES[d.timing.code] } : { ...d.timing.repeat };
  const timing =
    'code' in d.timing
      ? {
          repeat,
          code: {
            coding: [{ system: SYSTEM.gtsAbbreviation, code: d.timing.code }],
            text: d.timing.code,
          },
        }
      : { repeat };
  const unitQuantity = (value: number) => ({
    value,
    unit: d.unitLabel ?? doseUnit.unit,
    system: SYSTEM.ucum,
    code: doseUnit.code,
  });
  return {
    sequence: 1,
    text: d.text,
    timing,
    ...(d.asNeeded
      ? {
          asNeededBoolean: true,
          maxDosePerPeriod: {
            numerator: unitQuantity(d.asNeeded.maxUnitsPerDay),
            denominator: { value: 1, unit: 'day', system: SYSTEM.ucum, code: 'd' },
          },
        }
      : {}),
    route: { coding: [d.drug.unit === 'patch' ? ROUTES.transdermal : ROUTES.oral] },
    doseAndRate: [{ doseQuantity: unitQuantity(d.unitsPerDose) }],
  };
}
