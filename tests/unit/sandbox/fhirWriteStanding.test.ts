/**
 * What a `patient/` token may write: only resources wholly in the launch patient's chart.
 */
import type { Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexPatientCompartment } from '../../../src/sandbox/fhir/compartment.ts';
import { ensureDefinitionsIndexed } from '../../../src/sandbox/fhir/searchParameters.ts';
import { writeStanding } from '../../../src/sandbox/fhir/writeStanding.ts';

beforeAll(() => {
  ensureDefinitionsIndexed();
  indexPatientCompartment();
});

const obs = (extra: Partial<Record<string, unknown>>): Resource => ({
  resourceType: 'Observation',
  status: 'final',
  code: {},
  ...extra,
});
const ref = (reference: string): { reference: string } => ({ reference });
// A transaction replaces its entries' urn:uuid fullUrls with the ids they get before checking.
const REQUEST_OF_SAME_TRANSACTION = 'ServiceRequest/new-request';
const PATIENT_OF_SAME_TRANSACTION = 'Patient/new-patient';

describe('writeStanding for launch patient "a"', () => {
  it.each<[string, Resource, string]>([
    ['the patient itself', { resourceType: 'Patient', id: 'a' }, 'own'],
    ['another patient', { resourceType: 'Patient', id: 'b' }, 'refused'],
    ['a new Patient', { resourceType: 'Patient' }, 'refused'],
    ['an Observation about the patient', obs({ subject: ref('Patient/a') }), 'own'],
    [
      'an Observation about the patient performed by a practitioner',
      obs({ subject: ref('Patient/a'), performer: [ref('Practitioner/pcp-1')] }),
      'own',
    ],
    [
      "another patient's Observation naming the patient as performer",
      obs({ subject: ref('Patient/b'), performer: [ref('Patient/a')] }),
      'refused',
    ],
    [
      "the patient's Observation naming another patient as performer",
      obs({ subject: ref('Patient/a'), performer: [ref('Patient/b')] }),
      'refused',
    ],
    [
      'an Observation about another patient by absolute URL',
      obs({ subject: ref('http://ehr.example/fhir/Patient/b') }),
      'refused',
    ],
    [
      "the patient's Observation by a versioned reference",
      obs({ subject: ref('Patient/a/_history/2') }),
      'own',
    ],
    ['an Observation without a subject', obs({ performer: [ref('Patient/a')] }), 'missing'],
    ['an Observation about a Group', obs({ subject: ref('Group/g') }), 'missing'],
    [
      'an Observation about a Patient known only by identifier',
      obs({ subject: { type: 'Patient', identifier: { value: 'MRN-1' } } }),
      'refused',
    ],
    [
      'an Observation about a urn:uuid (no entry of the transaction)',
      obs({ subject: ref('urn:uuid:00000000-0000-4000-8000-000000000000') }),
      'refused',
    ],
    [
      'an Observation about a Patient created in the same transaction',
      obs({ subject: ref(PATIENT_OF_SAME_TRANSACTION) }),
      'refused',
    ],
    [
      'a Task for the patient whose focus is a ServiceRequest of the same transaction',
      {
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        for: ref('Patient/a'),
        focus: ref(REQUEST_OF_SAME_TRANSACTION),
      },
      'own',
    ],
    [
      'a Task without `for`',
      {
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        focus: ref(REQUEST_OF_SAME_TRANSACTION),
      },
      'missing',
    ],
    [
      'a Condition of the patient asserted by a practitioner',
      {
        resourceType: 'Condition',
        subject: ref('Patient/a'),
        asserter: ref('Practitioner/pcp-1'),
      },
      'own',
    ],
    [
      'a Condition whose subject is a urn:uuid that is no entry of the transaction',
      {
        resourceType: 'Condition',
        subject: ref('urn:uuid:00000000-0000-4000-8000-000000000000'),
      },
      'refused',
    ],
    [
      'a Condition of the patient and another patient as asserter',
      {
        resourceType: 'Condition',
        subject: ref('Patient/a'),
        asserter: ref('Patient/b'),
      },
      'refused',
    ],
    ['a Medication (shared by every chart)', { resourceType: 'Medication' }, 'shared'],
  ])('places %s', (_, resource, kind) => {
    expect(writeStanding(resource, 'a').kind).toBe(kind);
  });

  it('names the element that must reference the patient when it is empty', () => {
    expect(writeStanding(obs({}), 'a')).toEqual({
      kind: 'missing',
      element: 'Observation.subject',
    });
    const condition = { resourceType: 'Condition', subject: undefined } as unknown as Resource;
    expect(writeStanding(condition, 'a')).toEqual({
      kind: 'missing',
      element: 'Condition.subject',
    });
  });
});
