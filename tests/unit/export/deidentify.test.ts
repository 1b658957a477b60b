import type { Bundle, Patient, QuestionnaireResponse, ServiceRequest, Task } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  deidentifyBundle,
  pseudonymousReference,
  REDACTED,
  shiftDate,
} from '../../../src/domain/deidentify/deidentify.ts';

const pseudonym = (type: string, id: string): string => `p-${type.toLowerCase()}-${id.length}`;
const OPTIONS = { shiftDays: -40, pseudonym };
const BASE = 'https://ehr.example/fhir';

const patient: Patient = {
  resourceType: 'Patient',
  id: 'pat-1',
  meta: { lastUpdated: '2026-03-01T10:00:00Z' },
  text: {
    status: 'generated',
    div: '<div xmlns="http://www.w3.org/1999/xhtml">Jane Doe, MRN 123</div>',
  },
  identifier: [{ system: 'urn:mrn', value: '123' }],
  name: [{ family: 'Doe', given: ['Jane'] }],
  telecom: [{ system: 'phone', value: '919-555-0100' }],
  address: [{ line: ['1 Main St'], city: 'Durham', postalCode: '27701' }],
  contact: [{ name: { family: 'Doe', given: ['John'] } }],
  gender: 'female',
  birthDate: '1970-03-15',
};
const referral: ServiceRequest = {
  resourceType: 'ServiceRequest',
  id: 'ref-1',
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/pat-1', display: 'Jane Doe' },
  authoredOn: '2026-02-10T09:30:00-07:00',
  occurrencePeriod: { start: '2026-02-17', end: '2026-04-14' },
  note: [{ text: 'Jane prefers mornings; call her husband John' }],
  patientInstruction: 'Jane, log in 10 minutes early',
};
const task: Task = {
  resourceType: 'Task',
  id: 'task-1',
  status: 'completed',
  intent: 'order',
  focus: { reference: `${BASE}/ServiceRequest/ref-1/_history/2` },
  for: { reference: 'Patient/pat-1' },
  lastModified: '2026-04-14T16:00:00Z',
};
const response: QuestionnaireResponse = {
  resourceType: 'QuestionnaireResponse',
  id: 'qr-1',
  status: 'completed',
  subject: { reference: 'Patient/pat-1' },
  authored: '2026-02-10',
  item: [
    { linkId: 'pain', answer: [{ valueInteger: 6 }] },
    { linkId: 'comment', answer: [{ valueString: 'My name is Jane and it hurts' }] },
  ],
};
const bundle: Bundle = {
  resourceType: 'Bundle',
  id: 'export-1',
  type: 'collection',
  entry: [patient, referral, task, response].map((resource) => ({
    fullUrl: `${BASE}/${resource.resourceType}/${resource.id ?? ''}`,
    resource,
  })),
};

function entries(b: Bundle): Record<string, unknown>[] {
  return (b.entry ?? []).map((e) => e.resource as unknown as Record<string, unknown>);
}

describe('de-identifying a patient extract', () => {
  const out = deidentifyBundle(bundle, OPTIONS);
  const text = JSON.stringify(out);
  const [p, s, t, q] = entries(out);

  it('leaves no name, address, phone, MRN or narrative of the patient anywhere', () => {
    for (const secret of [
      'Doe',
      'Jane',
      'John',
      '919-555',
      'Main St',
      'Durham',
      '27701',
      'urn:mrn',
      '<div',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(Object.keys(p ?? {}).sort()).toEqual(['birthDate', 'gender', 'id', 'resourceType']);
  });

  it('drops free-text notes and instructions and redacts free-text answers', () => {
    expect(s).not.toHaveProperty('note');
    expect(s).not.toHaveProperty('patientInstruction');
    expect((q as unknown as QuestionnaireResponse).item?.[1]?.answer).toEqual([
      { valueString: REDACTED },
    ]);
    expect((q as unknown as QuestionnaireResponse).item?.[0]?.answer).toEqual([
      { valueInteger: 6 },
    ]);
  });

  it('moves every date by the same number of days, keeping time of day and zone', () => {
    expect(p?.['birthDate']).toBe('1970-02-03');
    expect(s?.['authoredOn']).toBe('2026-01-01T09:30:00-07:00');
    expect(s?.['occurrencePeriod']).toEqual({ start: '2026-01-08', end: '2026-03-05' });
    expect(t?.['lastModified']).toBe('2026-03-05T16:00:00Z');
    expect(q?.['authored']).toBe('2026-01-01');
  });

  it('keeps the interval between referral and task completion to the millisecond', () => {
    const before = Date.parse(task.lastModified ?? '') - Date.parse(referral.authoredOn ?? '');
    const after = Date.parse(String(t?.['lastModified'])) - Date.parse(String(s?.['authoredOn']));
    expect(after).toBe(before);
  });

  it('replaces ids and keeps every reference pointing at the right resource, without the EHR base URL', () => {
    expect(p?.['id']).toBe(pseudonym('Patient', 'pat-1'));
    expect(s?.['subject']).toEqual({ reference: `Patient/${pseudonym('Patient', 'pat-1')}` });
    expect((t as unknown as Task).focus?.reference).toBe(
      `ServiceRequest/${pseudonym('ServiceRequest', 'ref-1')}`,
    );
    expect(text).not.toContain('ehr.example');
    expect(out.entry?.every((e) => e.fullUrl === undefined)).toBe(true);
    expect(out).not.toHaveProperty('id');
  });

  it('does not change the input', () => {
    expect(patient.name?.[0]?.family).toBe('Doe');
  });
});

describe('shifting a FHIR date', () => {
  it.each([
    ['2026-03-01', -1, '2026-02-28'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-03-08T02:30:00-07:00', 7, '2026-03-15T02:30:00-07:00'],
    ['2026-03-01T12:00:00.123Z', 365, '2027-03-01T12:00:00.123Z'],
  ])('moves %s by %i days to %s', (value, days, expected) => {
    expect(shiftDate(value, days)).toBe(expected);
  });

  // A partial date moves as the middle of its period (2 July; the 16th of a 31-day month).
  it.each([
    ['1970', -10, '1970'],
    ['1970', -182, '1970'],
    ['1970', -183, '1969'],
    ['1970', 182, '1970'],
    ['1970', 183, '1971'],
    ['2026', -1, '2026'],
    ['2026', 200, '2027'],
    ['2026-03', -15, '2026-03'],
    ['2026-03', -16, '2026-02'],
    ['2026-03', 15, '2026-03'],
    ['2026-03', 16, '2026-04'],
    ['2026-03', -40, '2026-02'],
  ])('keeps the precision of %s moved by %i days: %s', (value, days, expected) => {
    expect(shiftDate(value, days)).toBe(expected);
  });

  it.each(['not a date', '55423-8', '2026-13-01', '2026-02-45x', '2026-02-30', '2026-00'])(
    'refuses "%s"',
    (value) => {
      expect(shiftDate(value, 10)).toBeUndefined();
    },
  );

  it('never touches codes, even four-digit ones that look like a year', () => {
    const medication = {
      resourceType: 'Medication' as const,
      id: 'm',
      code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7804' }] },
    };
    const out = deidentifyBundle(
      { resourceType: 'Bundle', type: 'collection', entry: [{ resource: medication }] },
      OPTIONS,
    );
    expect(JSON.stringify(out)).toContain('"code":"7804"');
  });
});

describe('pseudonymous references', () => {
  it.each([
    ['Patient/pat-1', 'Patient/p-patient-5'],
    ['#med1', '#med1'],
    ['urn:uuid:0d1c', 'urn:uuid:0d1c'],
    [`${BASE}/Medication/m-22/_history/1`, 'Medication/p-medication-4'],
    ['https://elsewhere.example/some/page', undefined],
    ['not a reference', undefined],
  ])('rewrites %s as %s', (reference, expected) => {
    expect(pseudonymousReference(reference, pseudonym)).toBe(expected);
  });
});
