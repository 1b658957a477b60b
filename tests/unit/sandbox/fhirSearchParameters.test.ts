import { beforeAll, describe, expect, it } from 'vitest';
import { globalSchema } from '@medplum/core';
import {
  ensureDefinitionsIndexed,
  expressionForType,
  unionTerms,
} from '../../../src/sandbox/fhir/searchParameters.ts';

const CLINICAL_PATIENT =
  'AllergyIntolerance.patient | CarePlan.subject.where(resolve() is Patient) | Observation.subject.where(resolve() is Patient) | Procedure.subject.where(resolve() is Patient)';

describe('expressionForType', () => {
  it('keeps only the Observation term of clinical-patient', () => {
    expect(expressionForType(CLINICAL_PATIENT, 'Observation')).toBe(
      'Observation.subject.where((resolve() is Patient))',
    );
  });

  it('keeps a parenthesised term of its type', () => {
    const expr =
      'Observation.effective | (RiskAssessment.occurrence as dateTime) | Procedure.performed';
    expect(expressionForType(expr, 'RiskAssessment')).toBe(
      '(RiskAssessment.occurrence as dateTime)',
    );
  });

  it('does not confuse MedicationRequest terms with Medication', () => {
    expect(expressionForType('MedicationRequest.code | Medication.code', 'Medication')).toBe(
      'Medication.code',
    );
  });

  it('keeps several terms of the same type', () => {
    expect(
      expressionForType(
        'Observation.code | Observation.component.code | Condition.code',
        'Observation',
      ),
    ).toBe('Observation.code | Observation.component.code');
  });

  it('leaves single-term expressions and types without a term alone', () => {
    expect(expressionForType('Observation.code', 'Observation')).toBeUndefined();
    expect(expressionForType(CLINICAL_PATIENT, 'Patient')).toBeUndefined();
  });

  it('does not split a union sign inside a string literal', () => {
    expect(unionTerms("Patient.extension.where(url = 'a|b').value | Patient.name")).toHaveLength(2);
  });
});

describe('ensureDefinitionsIndexed', () => {
  beforeAll(() => {
    ensureDefinitionsIndexed();
  });

  it.each([
    ['Observation', 'patient', 'Observation.subject.where((resolve() is Patient))'],
    ['Condition', 'patient', 'Condition.subject.where((resolve() is Patient))'],
    ['MedicationRequest', 'patient', 'MedicationRequest.subject.where((resolve() is Patient))'],
    ['Observation', 'date', 'Observation.effective'],
    ['Observation', 'code', 'Observation.code'],
  ])('narrows %s?%s to its own type', (type, code, expected) => {
    expect(globalSchema.types[type]?.searchParams?.[code]?.expression).toBe(expected);
  });
});
