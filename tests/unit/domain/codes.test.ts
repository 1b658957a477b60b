import { describe, expect, it } from 'vitest';
import { findMatch, matchesRule, normalizeIcd10 } from '../../../src/domain/codes/codeMatch.ts';
import { LOW_BACK_PAIN_CODES } from '../../../src/domain/codes/lowBackPain.ts';
import { PREGNANCY_CODES } from '../../../src/domain/codes/pregnancy.ts';
import {
  CANCER_HISTORY_CODES,
  IMMUNOSUPPRESSION_CODES,
  METASTATIC_CANCER_CODES,
  VERTEBRAL_FRACTURE_CODES,
} from '../../../src/domain/codes/redFlagConditions.ts';

const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const SCT = 'http://snomed.info/sct';
const icd = (code: string) => [{ system: ICD, code }];
const lbp = (system: string, code: string) =>
  findMatch(LOW_BACK_PAIN_CODES, [{ system, code }])?.entry;

describe('ICD-10-CM matching', () => {
  it.each([
    ['M54.50', 'M5450'],
    ['m54.50', 'M5450'],
    [' M54.50 ', 'M5450'],
    ['G89.29', 'G8929'],
  ])('normalises %s to %s', (code, normalized) => {
    expect(normalizeIcd10(code)).toBe(normalized);
  });

  it.each(['M54.50', 'M5450', 'm54.50'])('matches low back pain written as %s', (code) => {
    expect(lbp(ICD, code)?.rule).toMatchObject({ code: 'M54.50' });
  });

  it('matches the legacy header M54.5 exactly, without swallowing M54.50/M54.59', () => {
    expect(lbp(ICD, 'M54.5')?.rule).toMatchObject({ code: 'M54.5' });
    expect(lbp(ICD, 'M54.59')?.rule).toMatchObject({ code: 'M54.59' });
    expect(lbp(ICD, 'M54.6')).toBeUndefined();
  });

  it('accepts the ICD-10-CM OID as the system', () => {
    expect(lbp('urn:oid:2.16.840.1.113883.6.90', 'M54.42')?.lowBackPain).toBe(true);
  });

  it('does not match the same code under another system (e.g. WHO ICD-10 or no system)', () => {
    expect(lbp('http://hl7.org/fhir/sid/icd-10', 'M54.50')).toBeUndefined();
    expect(findMatch(LOW_BACK_PAIN_CODES, [{ code: 'M54.50' }])).toBeUndefined();
  });

  it.each([
    ['C00.0', true],
    ['C96.9', true],
    ['C7A.010', true],
    ['C97', false],
    ['D00.0', false],
    ['Z85.3', true],
    ['Z85038', true],
    ['Z86.010', false],
  ])('counts %s as cancer history: %s', (code, expected) => {
    expect(findMatch(CANCER_HISTORY_CODES, icd(code)) !== undefined).toBe(expected);
  });

  it.each([
    ['C77.0', true],
    ['C78.00', true],
    ['C79.51', true],
    ['C7B.02', true],
    ['C80.0', true],
    ['C80.1', false],
    ['C76.0', false],
    ['C50.911', false],
  ])('counts %s as metastatic cancer: %s', (code, expected) => {
    expect(findMatch(METASTATIC_CANCER_CODES, icd(code)) !== undefined).toBe(expected);
  });

  it.each([
    ['O09.90', true],
    ['O9A.111', true],
    ['Z33.1', true],
    ['Z3A.20', true],
    ['Z33.2', false],
    ['N80.0', false],
  ])('counts %s as possible pregnancy: %s', (code, expected) => {
    expect(findMatch(PREGNANCY_CODES, icd(code)) !== undefined).toBe(expected);
  });

  it.each([
    ['S32.010A', true],
    ['S22.000A', true],
    ['S34.109A', true],
    ['S32.401A', false],
  ])('counts %s as a vertebral fracture or spinal cord injury: %s', (code, expected) => {
    expect(findMatch(VERTEBRAL_FRACTURE_CODES, icd(code)) !== undefined).toBe(expected);
  });

  it('counts the immunodeficiency block D80–D84 but not D86 (sarcoidosis)', () => {
    expect(findMatch(IMMUNOSUPPRESSION_CODES, icd('D84.9'))).toBeDefined();
    expect(findMatch(IMMUNOSUPPRESSION_CODES, icd('D86.0'))).toBeUndefined();
  });
});

describe('SNOMED CT matching (explicit concepts, no hierarchy)', () => {
  it.each([
    ['279039007', true, false],
    ['278860009', true, true],
    ['134407002', true, true],
    ['161891005', true, false],
  ])('reads %s as low back pain %s, chronic %s', (code, lowBackPain, chronic) => {
    expect(lbp(SCT, code)).toMatchObject({ lowBackPain, chronic });
  });

  it('does not match a concept that is not listed, nor a SNOMED code against an ICD-10 rule', () => {
    expect(lbp(SCT, '209580008')).toBeUndefined();
    expect(
      matchesRule(
        { kind: 'icd10', code: 'M54.50', descendants: false, display: '' },
        { system: SCT, code: 'M54.50' },
      ),
    ).toBe(false);
  });

  it('never matches by display text', () => {
    expect(
      findMatch(LOW_BACK_PAIN_CODES, [
        { system: SCT, code: '22298006', display: 'Low back pain' } as {
          system: string;
          code: string;
        },
      ]),
    ).toBeUndefined();
  });

  it('marks G89.29 and G89.4 as chronicity codes, not low back pain', () => {
    expect(lbp(ICD, 'G89.29')).toMatchObject({ lowBackPain: false, chronic: true });
    expect(lbp(ICD, 'G89.4')).toMatchObject({ lowBackPain: false, chronic: true });
  });
});
