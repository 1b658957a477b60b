import { describe, expect, it } from 'vitest';
import {
  grants,
  missingWrites,
  patientSelfScope,
  programmeScope,
  requestedScope,
} from '../../../src/fhir/scopes.ts';

describe('the scopes CLBP Pathway asks for', () => {
  it('asks, in SMART v2, for exactly what its features read and write', () => {
    expect(requestedScope('v2', 'ehr').split(' ')).toEqual([
      'launch',
      'openid',
      'fhirUser',
      'online_access',
      'patient/Patient.r',
      'patient/Condition.crs',
      'patient/QuestionnaireResponse.crs',
      'patient/Observation.crs',
      'patient/Questionnaire.rs',
      'patient/MedicationStatement.rs',
      'patient/MedicationRequest.rs',
      'patient/Medication.rs',
      'patient/ServiceRequest.crus',
      'patient/Task.crus',
      'patient/Encounter.rs',
    ]);
  });

  it('asks the programme workspace for user/ scopes only: the queue, the charts of a page of patients, cohorts and attendance, PEG requests and PEGs by phone', () => {
    expect(programmeScope('v2', 'ehr').split(' ')).toEqual([
      'launch',
      'openid',
      'fhirUser',
      'online_access',
      'user/Task.crus',
      'user/ServiceRequest.rs',
      'user/Patient.rs',
      'user/Practitioner.r',
      'user/Condition.rs',
      'user/Observation.crs',
      'user/QuestionnaireResponse.crs',
      'user/Questionnaire.rs',
      'user/MedicationStatement.rs',
      'user/MedicationRequest.rs',
      'user/Medication.rs',
      'user/Encounter.crus',
      'user/Group.crus',
      'user/Appointment.crs',
    ]);
    const standalone = programmeScope('v1', 'standalone').split(' ');
    expect(standalone).not.toContain('launch');
    expect(standalone).not.toContain('launch/patient');
    expect(standalone).toEqual(expect.arrayContaining(['user/Task.read', 'user/Task.write']));
    expect(standalone.filter((s) => s.startsWith('patient/'))).toEqual([]);
  });

  it("asks the patient's own mode for patient/ scopes only: its requests, answers, PEG history and referral", () => {
    expect(patientSelfScope('v2', 'standalone').split(' ')).toEqual([
      'launch/patient',
      'openid',
      'fhirUser',
      'online_access',
      'patient/Patient.r',
      'patient/Task.rus',
      'patient/QuestionnaireResponse.cr',
      'patient/Observation.crs',
      'patient/ServiceRequest.s',
      'patient/Encounter.r',
    ]);
    const portal = patientSelfScope('v1', 'ehr').split(' ');
    expect(portal[0]).toBe('launch');
    expect(portal.filter((s) => /^(user|system)\//.test(s))).toEqual([]);
    expect(portal).toEqual(expect.arrayContaining(['patient/Task.read', 'patient/Task.write']));
  });

  it('spells the same needs in SMART v1 for EHRs that still use it', () => {
    const v1 = requestedScope('v1', 'standalone').split(' ');
    expect(v1[0]).toBe('launch/patient');
    expect(v1).toContain('patient/Observation.read');
    expect(v1).toContain('patient/Observation.write');
    expect(v1).toContain('patient/MedicationStatement.read');
    expect(v1).not.toContain('patient/MedicationStatement.write');
  });

  it('asks to create Questionnaires (user level) only where the EHR configuration says so', () => {
    expect(requestedScope('v2', 'ehr')).not.toContain('Questionnaire.c');
    expect(requestedScope('v2', 'ehr', { publishQuestionnaires: true }).split(' ')).toContain(
      'user/Questionnaire.c',
    );
    expect(requestedScope('v1', 'ehr', { publishQuestionnaires: true }).split(' ')).toContain(
      'user/Questionnaire.write',
    );
  });

  it.each([
    ['user/Questionnaire.c', 'Questionnaire', 'c', true],
    ['patient/Observation.rs', 'Observation', 'rs', true],
    ['patient/Observation.rs', 'Observation', 'c', false],
    ['patient/Observation.read', 'Observation', 'rs', true],
    ['patient/Observation.write', 'Observation', 'c', true],
    ['patient/*.read', 'Task', 'rs', true],
    ['patient/Observation.*', 'Observation', 'crus', true],
    ['user/Observation.rs', 'Observation', 'rs', true],
    ['system/Observation.rs', 'Observation', 'rs', false],
    ['patient/Condition.rs', 'Observation', 'r', false],
  ])('reads %s as granting %s.%s: %s', (granted, type, access, expected) => {
    expect(grants(granted, type, access)).toBe(expected);
  });

  it('names the write scope a narrowed grant lacks, for the feature that cannot save', () => {
    const granted = requestedScope('v2', 'ehr').replace('ServiceRequest.crus', 'ServiceRequest.rs');
    const lacking = Object.entries(missingWrites(granted)).filter(([, m]) => m.length > 0);
    expect(lacking).toEqual([['referral', ['patient/ServiceRequest.cu']]]);
  });

  it('reports nothing missing when the EHR did not say what it granted', () => {
    expect(Object.values(missingWrites('')).flat()).toEqual([]);
  });
});
