import type { Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  COMPARTMENT_PARAM,
  compartmentSearchParam,
  compartmentStanding,
  indexPatientCompartment,
} from '../../../src/sandbox/fhir/compartment.ts';
import { ensureDefinitionsIndexed } from '../../../src/sandbox/fhir/searchParameters.ts';

beforeAll(() => {
  ensureDefinitionsIndexed();
  indexPatientCompartment();
});

describe('compartmentStanding', () => {
  it.each<[string, Resource, string]>([
    ['the patient itself', { resourceType: 'Patient', id: 'a' }, 'own'],
    ['another patient', { resourceType: 'Patient', id: 'b' }, 'other'],
    [
      'an Observation about the patient',
      {
        resourceType: 'Observation',
        status: 'final',
        code: {},
        subject: { reference: 'Patient/a' },
      },
      'own',
    ],
    [
      'an Observation about another patient',
      {
        resourceType: 'Observation',
        status: 'final',
        code: {},
        subject: { reference: 'Patient/b' },
      },
      'other',
    ],
    [
      "another patient's Observation the patient performed (performer is a compartment parameter)",
      {
        resourceType: 'Observation',
        status: 'final',
        code: {},
        subject: { reference: 'Patient/b' },
        performer: [{ reference: 'Patient/a' }],
      },
      'own',
    ],
    [
      'an Observation with no subject',
      { resourceType: 'Observation', status: 'final', code: {} },
      'other',
    ],
    [
      'an AllergyIntolerance of the patient',
      { resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/a' } },
      'own',
    ],
    [
      'a MedicationStatement of the patient',
      {
        resourceType: 'MedicationStatement',
        status: 'active',
        subject: { reference: 'Patient/a' },
        medicationCodeableConcept: {},
      },
      'own',
    ],
    ['a Medication (outside the compartment)', { resourceType: 'Medication' }, 'shared'],
    [
      'a Questionnaire (outside the compartment)',
      { resourceType: 'Questionnaire', status: 'active' },
      'shared',
    ],
    ['a Practitioner (outside the compartment)', { resourceType: 'Practitioner' }, 'shared'],
    ['an Organization (outside the compartment)', { resourceType: 'Organization' }, 'shared'],
  ])('places %s', (_, resource, standing) => {
    expect(compartmentStanding(resource, 'a')).toBe(standing);
  });
});

describe('compartmentSearchParam', () => {
  it.each([
    ['Patient', ['_id', 'a']],
    ['Observation', [COMPARTMENT_PARAM, 'Patient/a']],
    ['QuestionnaireResponse', [COMPARTMENT_PARAM, 'Patient/a']],
    ['ServiceRequest', [COMPARTMENT_PARAM, 'Patient/a']],
    ['Medication', undefined],
    ['Questionnaire', undefined],
  ])('confines a %s search with %j', (type, expected) => {
    expect(compartmentSearchParam(type, 'a')).toEqual(expected);
  });
});
