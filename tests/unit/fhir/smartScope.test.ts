/** The one SMART resource-scope grammar the app, the sandbox's auth server and its FHIR server share. */
import { describe, expect, it } from 'vitest';
import { parseResourceScope, splitScope } from '../../../src/fhir/smartScope.ts';

describe('parseResourceScope', () => {
  it.each([
    ['patient/Observation.read', 'patient', 'Observation', 'rs', undefined],
    ['patient/Observation.write', 'patient', 'Observation', 'cud', undefined],
    ['user/*.*', 'user', '*', 'cruds', undefined],
    ['patient/Observation.crs', 'patient', 'Observation', 'crs', undefined],
    ['user/Observation.d', 'user', 'Observation', 'd', undefined],
    ['system/Patient.rs', 'system', 'Patient', 'rs', undefined],
    [
      'patient/Observation.rs?category=vital-signs',
      'patient',
      'Observation',
      'rs',
      'category=vital-signs',
    ],
  ])('reads %s as %s / %s / %s', (scope, context, resourceType, letters, query) => {
    expect(parseResourceScope(scope)).toEqual({
      context,
      resourceType,
      letters,
      query,
      raw: scope,
    });
  });

  it.each([
    'patient/Observation.sr', // v2 letters out of order
    'patient/Observation.rr',
    'patient/Observation.x',
    'patient/Observation.',
    'patient/observation.rs', // resource types are capitalised
    'group/Patient.rs',
    'launch/patient',
    'launch',
    'openid',
    'fhirUser',
    'offline_access',
  ])('does not take %s for a resource scope', (scope) => {
    expect(parseResourceScope(scope)).toBeUndefined();
  });
});

describe('splitScope', () => {
  it('splits on any whitespace and drops empty parts', () => {
    expect(splitScope('  launch  openid\tpatient/Patient.r\n')).toEqual([
      'launch',
      'openid',
      'patient/Patient.r',
    ]);
    expect(splitScope(undefined)).toEqual([]);
  });
});
