/**
 * De-identification where identifying data hides beyond the obvious fields: contained Medications
 * and their '#id' references, extensions holding addresses and names, free text in dosages, codes
 * and choice values, the export time, and partial dates.
 */
import type { Bundle, Condition, Medication, MedicationStatement, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { deidentifyBundle, REDACTED } from '../../../src/domain/deidentify/deidentify.ts';
import { computeMmeForResources } from '../../../src/domain/mme/mme.ts';

const pseudonym = (type: string, id: string): string => `x${type.length}${id.length}`;
const OPTIONS = { shiftDays: -10, pseudonym };
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

const medication: Medication = {
  resourceType: 'Medication',
  id: 'med',
  code: {
    coding: [
      {
        system: RXNORM,
        code: '1049563',
        display: '12 HR oxycodone hydrochloride 20 MG Extended Release Oral Tablet',
      },
    ],
    text: 'Oxy for Jane Roe per Dr Who',
  },
};

/** 12 HR oxycodone 20 mg ER tablet, 1 every 12 h: 40 mg/day × 1.5 = 60 MME/day (CDC 2022). */
const statement: MedicationStatement = {
  resourceType: 'MedicationStatement',
  id: 'stmt-1',
  contained: [medication],
  status: 'active',
  medicationReference: { reference: '#med', display: 'Jane Roe’s oxycodone' },
  subject: { reference: 'https://ehr.example/fhir/Patient/pat-1' },
  effectivePeriod: { start: '2026-01-10' },
  dosage: [
    {
      text: 'Jane: 1 tablet every 12 hours, call 919-555-0100 if drowsy',
      timing: { repeat: { frequency: 1, period: 12, periodUnit: 'h' } },
      doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
    },
  ],
};

const patient: Patient = {
  resourceType: 'Patient',
  id: 'pat-1',
  birthDate: '1970',
  extension: [
    {
      url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace',
      valueAddress: { city: 'Springfield', state: 'IL' },
    },
    {
      url: 'http://example.org/fhir/StructureDefinition/mothers-name',
      valueHumanName: { family: 'Roe', given: ['Mary'] },
    },
    {
      url: 'http://example.org/fhir/StructureDefinition/emergency-phone',
      valueContactPoint: { system: 'phone', value: '919-555-0199' },
    },
    {
      url: 'http://example.org/fhir/StructureDefinition/nested',
      extension: [{ url: 'home', valueAddress: { line: ['1 Elm St'] } }],
    },
  ],
  gender: 'female',
};

const condition: Condition = {
  resourceType: 'Condition',
  id: 'cond-1',
  subject: { reference: 'Patient/pat-1' },
  code: {
    coding: [{ system: 'http://snomed.info/sct', code: '279039007', display: 'Low back pain' }],
    text: 'Back pain since the fall at Acme Warehouse',
  },
  onsetString: 'after the fall at Acme Warehouse, spring 2019',
  recordedDate: '2026-01-10',
};

const bundle: Bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  timestamp: '2026-03-16T21:00:00Z',
  link: [{ relation: 'self', url: 'https://ehr.example/fhir/Patient/pat-1/$everything' }],
  entry: [patient, condition, statement].map((resource) => ({
    fullUrl: `https://ehr.example/fhir/${resource.resourceType}/${resource.id ?? ''}`,
    resource,
  })),
};

const out = deidentifyBundle(bundle, OPTIONS);
const text = JSON.stringify(out);
const [p, c, s] = (out.entry ?? []).map((e) => e.resource);

describe('de-identifying contained Medications', () => {
  it('keeps the contained id so the #med reference still resolves', () => {
    const st = s as MedicationStatement;
    expect(st.medicationReference).toEqual({ reference: '#med' });
    expect(st.contained?.[0]?.id).toBe('med');
    expect(st.id).toBe(pseudonym('MedicationStatement', 'stmt-1'));
  });

  it('gives the same MME/day after de-identification as before', () => {
    const before = computeMmeForResources([statement]);
    const after = computeMmeForResources([s]);
    expect(before.map((r) => [r.kind, r.mmePerDay])).toEqual([['counted', 60]]);
    expect(after.map((r) => [r.kind, r.mmePerDay])).toEqual([['counted', 60]]);
  });
});

describe('identifying data outside the top level of a person', () => {
  it.each(['Springfield', 'Roe', 'Mary', '919-555', 'Elm St', 'Jane', 'Dr Who', 'Acme'])(
    'leaves no trace of "%s"',
    (secret) => {
      expect(text).not.toContain(secret);
    },
  );

  it('drops extensions left with no value, including nested ones', () => {
    expect(p).not.toHaveProperty('extension');
  });

  it('redacts free-text choice values and drops code and dosage texts, keeping codings', () => {
    const cond = c as Condition;
    expect(cond.onsetString).toBe(REDACTED);
    expect(cond.code).toEqual({
      coding: [{ system: 'http://snomed.info/sct', code: '279039007', display: 'Low back pain' }],
    });
    expect((s as MedicationStatement).dosage?.[0]).not.toHaveProperty('text');
  });
});

describe('what would undo the pseudonymisation', () => {
  it('drops the EHR base URL from references, fullUrls and links', () => {
    expect(text).not.toContain('ehr.example');
    expect((s as MedicationStatement).subject).toEqual({
      reference: `Patient/${pseudonym('Patient', 'pat-1')}`,
    });
  });

  it('drops the export time, which would bound the date shift', () => {
    expect(out).not.toHaveProperty('timestamp');
    expect(out).not.toHaveProperty('link');
  });

  it('keeps a year-only birth date in its year for a small shift', () => {
    expect((p as Patient).birthDate).toBe('1970');
    expect((c as Condition).recordedDate).toBe('2025-12-31');
  });
});
