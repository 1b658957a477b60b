import { describe, expect, it } from 'vitest';
import type { Interaction } from '../../../src/sandbox/fhir/scopes.ts';
import { allows, grantFor, parseScope, parseScopes } from '../../../src/sandbox/fhir/scopes.ts';

const ALL: Interaction[] = ['create', 'read', 'update', 'delete', 'search'];

describe('parseScope', () => {
  it.each<[string, Interaction[]]>([
    ['patient/Observation.read', ['read', 'search']],
    ['patient/Observation.write', ['create', 'update', 'delete']],
    ['patient/Observation.*', ALL],
    ['patient/Observation.rs', ['read', 'search']],
    ['patient/Observation.cruds', ALL],
    ['patient/Observation.c', ['create']],
    ['patient/Observation.cu', ['create', 'update']],
    ['user/Observation.d', ['delete']],
    ['system/*.s', ['search']],
  ])('reads %s as %j', (scope, interactions) => {
    expect([...(parseScope(scope)?.interactions ?? [])].sort()).toEqual([...interactions].sort());
  });

  it.each([
    ['patient/Observation.rs', 'patient', 'Observation'],
    ['user/*.read', 'user', '*'],
    ['system/Patient.cruds', 'system', 'Patient'],
  ])('reads the context and resource type of %s', (scope, context, resourceType) => {
    expect(parseScope(scope)).toMatchObject({ context, resourceType, raw: scope });
  });

  it.each([
    ['openid'],
    ['fhirUser'],
    ['launch'],
    ['launch/patient'],
    ['offline_access'],
    ['patient/Observation.sr'], // v2 letters out of order
    ['patient/Observation.rr'],
    ['patient/Observation.x'],
    ['patient/Observation.'],
    ['patient/observation.rs'], // resource types are capitalised
    ['group/Observation.rs'],
    ['patient/Observation.rs?category=laboratory'], // query-narrowed: not enforceable here, grants nothing
  ])('grants no resource access for %s', (scope) => {
    expect(parseScope(scope)).toBeUndefined();
  });
});

describe('grantFor / allows', () => {
  const table: [string[], string, Interaction, ReturnType<typeof grantFor>][] = [
    // v2, per interaction
    [['patient/Observation.rs'], 'Observation', 'read', 'launch-patient'],
    [['patient/Observation.rs'], 'Observation', 'search', 'launch-patient'],
    [['patient/Observation.rs'], 'Observation', 'create', 'denied'],
    [['patient/Observation.rs'], 'Observation', 'update', 'denied'],
    [['patient/Observation.rs'], 'Observation', 'delete', 'denied'],
    [['patient/Observation.c'], 'Observation', 'create', 'launch-patient'],
    [['patient/Observation.c'], 'Observation', 'read', 'denied'],
    [['patient/Observation.u'], 'Observation', 'update', 'launch-patient'],
    [['patient/Observation.d'], 'Observation', 'delete', 'launch-patient'],
    [['patient/Observation.s'], 'Observation', 'read', 'denied'],
    // v1
    [['patient/Observation.read'], 'Observation', 'read', 'launch-patient'],
    [['patient/Observation.read'], 'Observation', 'search', 'launch-patient'],
    [['patient/Observation.read'], 'Observation', 'create', 'denied'],
    [['patient/Observation.write'], 'Observation', 'create', 'launch-patient'],
    [['patient/Observation.write'], 'Observation', 'update', 'launch-patient'],
    [['patient/Observation.write'], 'Observation', 'delete', 'launch-patient'],
    [['patient/Observation.write'], 'Observation', 'read', 'denied'],
    [['patient/Observation.write'], 'Observation', 'search', 'denied'],
    [['patient/*.*'], 'Condition', 'delete', 'launch-patient'],
    // resource type
    [['patient/Observation.rs'], 'Condition', 'read', 'denied'],
    [['patient/*.rs'], 'Condition', 'read', 'launch-patient'],
    // user/ and system/ are not confined to a patient, and win over patient/
    [['user/Observation.rs'], 'Observation', 'read', 'any-patient'],
    [['system/*.read'], 'Patient', 'search', 'any-patient'],
    [['patient/Observation.rs', 'user/Observation.r'], 'Observation', 'read', 'any-patient'],
    [['patient/Observation.rs', 'user/Observation.r'], 'Observation', 'search', 'launch-patient'],
    // non-resource scopes grant nothing
    [['openid', 'fhirUser', 'launch'], 'Patient', 'read', 'denied'],
    [[], 'Patient', 'read', 'denied'],
  ];

  it.each(table)('%j on %s/%s → %s', (scopes, resourceType, interaction, expected) => {
    const parsed = parseScopes(scopes);
    expect(grantFor(parsed, { resourceType, interaction })).toBe(expected);
    expect(allows(parsed, { resourceType, interaction })).toBe(expected !== 'denied');
  });
});
