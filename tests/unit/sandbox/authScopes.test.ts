import { describe, expect, it } from 'vitest';
import { loadClients } from '../../../src/sandbox/auth/clients.ts';
import type { RegisteredClient } from '../../../src/sandbox/auth/clients.ts';
import { decideScopes, describeScope, refusedByRule } from '../../../src/sandbox/auth/scopes.ts';

const clients = loadClients('http://127.0.0.1:5173');
const app = clients.get('clbp-pathway') as RegisteredClient;
const backend = clients.get('clbp-research') as RegisteredClient;

describe('narrowing rules', () => {
  it.each([
    ['patient/MedicationStatement.rs', 'MedicationStatement', true],
    ['patient/MedicationRequest.rs', 'MedicationStatement', false],
    ['patient/*.rs', 'MedicationStatement', true],
    ['patient/Observation.crs', 'patient/Observation', true],
    ['user/Observation.crs', 'patient/Observation', false],
    ['offline_access', 'offline_access', true],
    ['online_access', 'offline_access', false],
  ])('%s refused by rule %s: %s', (scope, rule, refused) => {
    expect(refusedByRule(scope, rule)).toBe(refused);
  });
});

describe('decideScopes', () => {
  it('grants the app its patient, user, launch and identity scopes but no system scope', () => {
    const requested = [
      'launch',
      'openid',
      'fhirUser',
      'patient/Patient.r',
      'user/Practitioner.rs',
      'system/Patient.rs',
    ];
    expect(decideScopes(requested, app, [])).toEqual({
      granted: ['launch', 'openid', 'fhirUser', 'patient/Patient.r', 'user/Practitioner.rs'],
      refused: ['system/Patient.rs'],
    });
  });

  it('grants the backend client system scopes only', () => {
    expect(decideScopes(['system/*.rs', 'patient/Patient.r', 'launch'], backend, [])).toEqual({
      granted: ['system/*.rs'],
      refused: ['patient/Patient.r', 'launch'],
    });
  });

  it('refuses unknown scopes and collapses duplicates', () => {
    expect(
      decideScopes(['patient/Patient.r', 'patient/Patient.r', 'admin', 'patient/Foo.zz'], app, []),
    ).toEqual({
      granted: ['patient/Patient.r'],
      refused: ['admin', 'patient/Foo.zz'],
    });
  });

  it('applies every narrowing rule', () => {
    const requested = [
      'launch',
      'offline_access',
      'patient/Observation.crs',
      'patient/Condition.rs',
    ];
    expect(decideScopes(requested, app, ['Observation', 'offline_access']).granted).toEqual([
      'launch',
      'patient/Condition.rs',
    ]);
  });
});

describe('describeScope', () => {
  it('words a v2 scope for the consent screen', () => {
    expect(describeScope('patient/Observation.crs')).toBe(
      'Create, read, search Observation records of this patient',
    );
  });

  it('words the offline_access scope', () => {
    expect(describeScope('offline_access')).toContain('offline access');
  });
});
