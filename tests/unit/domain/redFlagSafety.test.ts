/**
 * Red flags a clinician relies on: complete chart code families, urgency, and a clinician's
 * clearance ("evaluated; does not preclude the programme") that unblocks only the finding it
 * covers. Dates are relative to asOf.
 */
import type { Condition, QuestionnaireResponse } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  RED_FLAG_CODE_SYSTEM,
  RED_FLAG_EVALUATION_QUESTIONNAIRE_URL,
} from '../../../src/domain/codes/canonical.ts';
import { findMatch } from '../../../src/domain/codes/codeMatch.ts';
import {
  CAUDA_EQUINA_SYNDROME_CODES,
  IMMUNOSUPPRESSIVE_DRUG_CODES,
  SPINAL_INFECTION_CODES,
  VERTEBRAL_FRACTURE_CODES,
} from '../../../src/domain/codes/redFlagConditions.ts';
import type { RedFlagClearance } from '../../../src/domain/screening/clearance.ts';
import {
  DOES_NOT_PRECLUDE,
  RED_FLAG_EVALUATION_LINK_IDS as L,
  clearanceCovering,
  readClearanceResponse,
} from '../../../src/domain/screening/clearance.ts';
import type { EligibilityInput } from '../../../src/domain/screening/eligibility.ts';
import { evaluateEligibility } from '../../../src/domain/screening/eligibility.ts';
import type { RedFlagId } from '../../../src/domain/screening/eligibilityConfig.ts';
import { RED_FLAGS } from '../../../src/domain/screening/screening.ts';
import type { RedFlagKey, ScreeningAnswers } from '../../../src/domain/screening/screening.ts';

const asOf = new Date(2026, 2, 15, 12, 0); // 15 March 2026, noon local (TZ pinned by the test script)
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const noFlags = Object.fromEntries(RED_FLAGS.map((f) => [f.key, false])) as Record<
  RedFlagKey,
  boolean
>;

/** A local dateTime `days` before asOf at `hour`, with the Denver offset of that date. */
function daysAgo(days: number, hour = 10): string {
  const d = new Date(2026, 2, 15 - days, hour, 0);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00:00${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

function screening(overrides: Partial<ScreeningAnswers> = {}): ScreeningAnswers {
  return {
    duration: '1-5-years',
    frequency: 'every-day',
    redFlags: noFlags,
    pregnant: false,
    telehealthAble: true,
    source: 'QuestionnaireResponse/s1',
    authored: daysAgo(10),
    ...overrides,
  };
}

function condition(code: string, extra: Partial<Condition> = {}): Condition {
  return {
    resourceType: 'Condition',
    id: `c-${code}`,
    subject: { reference: 'Patient/p1' },
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
      ],
    },
    code: { coding: [{ system: ICD, code }] },
    recordedDate: daysAgo(400).slice(0, 10),
    ...extra,
  };
}

function input(overrides: Partial<EligibilityInput> = {}): EligibilityInput {
  return {
    asOf,
    birthDate: '1960-05-01',
    conditions: [],
    screenings: [screening()],
    latestPeg: { date: daysAgo(5), score: 5.67, sources: ['Observation/p1'] },
    ...overrides,
  };
}

function clearance(
  findings: { redFlag: RedFlagId; records?: string[] }[],
  authored = daysAgo(2),
): RedFlagClearance {
  return {
    source: 'QuestionnaireResponse/clear-1',
    authored,
    author: 'Practitioner/pcp-1',
    authorName: 'Dr. Elena Morgan',
    note: 'Prostate cancer treated 2020, PSA undetectable',
    findings: findings.map((f) => ({ redFlag: f.redFlag, records: f.records ?? [] })),
  };
}

const ICD10 = (code: string) => [{ system: ICD, code }];

describe('chart red-flag code families (clinical.md "Red flags found in the chart")', () => {
  it.each([
    ['G83.4', CAUDA_EQUINA_SYNDROME_CODES, true],
    ['G83.9', CAUDA_EQUINA_SYNDROME_CODES, false],
    ['M46.26', SPINAL_INFECTION_CODES, true],
    ['M46.20', SPINAL_INFECTION_CODES, true],
    ['M46.36', SPINAL_INFECTION_CODES, true],
    ['M46.46', SPINAL_INFECTION_CODES, true],
    ['G06.1', SPINAL_INFECTION_CODES, true],
    ['M46.1', SPINAL_INFECTION_CODES, false],
    ['M46.56', SPINAL_INFECTION_CODES, true],
    ['G06.0', SPINAL_INFECTION_CODES, false],
    ['S22.000A', VERTEBRAL_FRACTURE_CODES, true],
    ['S32.010A', VERTEBRAL_FRACTURE_CODES, true],
    ['M80.08XA', VERTEBRAL_FRACTURE_CODES, true],
    ['M80.08XS', VERTEBRAL_FRACTURE_CODES, true],
    ['M80.051A', VERTEBRAL_FRACTURE_CODES, false],
    ['M80.88XA', VERTEBRAL_FRACTURE_CODES, true],
    ['M80.871A', VERTEBRAL_FRACTURE_CODES, false],
    ['M48.46XA', VERTEBRAL_FRACTURE_CODES, true],
    ['M48.50XA', VERTEBRAL_FRACTURE_CODES, true],
    ['M48.56XA', VERTEBRAL_FRACTURE_CODES, true],
    ['M48.06', VERTEBRAL_FRACTURE_CODES, false],
    ['Z79.52', IMMUNOSUPPRESSIVE_DRUG_CODES, true],
    ['Z79.620', IMMUNOSUPPRESSIVE_DRUG_CODES, true],
    ['Z79.60', IMMUNOSUPPRESSIVE_DRUG_CODES, true],
    ['Z79.69', IMMUNOSUPPRESSIVE_DRUG_CODES, true],
    ['Z79.51', IMMUNOSUPPRESSIVE_DRUG_CODES, false],
    ['Z79.4', IMMUNOSUPPRESSIVE_DRUG_CODES, false],
  ])('matches %s: %s', (code, table, expected) => {
    expect(findMatch(table, ICD10(code)) !== undefined).toBe(expected);
  });

  it.each([
    ['cauda equina syndrome (G83.4)', 'G83.4', 'cauda-equina-syndrome'],
    ['vertebral osteomyelitis (M46.26)', 'M46.26', 'spinal-infection'],
    ['an osteoporotic vertebral fracture (M80.08XA)', 'M80.08XA', 'vertebral-fracture'],
    ['an immunosuppressive biologic (Z79.620)', 'Z79.620', 'immunosuppressive-drugs'],
    ['long-term systemic steroids (Z79.52)', 'Z79.52', 'immunosuppressive-drugs'],
    ['a spinal epidural abscess (G06.1)', 'G06.1', 'spinal-infection'],
    ['a collapsed vertebra (M48.50XA)', 'M48.50XA', 'vertebral-fracture'],
  ])('never reads a chart with %s as eligible', (_label, code, id) => {
    const result = evaluateEligibility(input({ conditions: [condition(code)] }));
    expect(result.verdict).toBe('needs-evaluation');
    expect(result.redFlags.map((f) => [f.id, f.status])).toEqual([[id, 'needs-evaluation']]);
    expect(result.findings.filter((f) => f.message.startsWith('No red flag'))).toEqual([]);
  });

  it('says what it checked when it finds no red flag', () => {
    const result = evaluateEligibility(input({ conditions: [condition('M54.50')] }));
    expect(result.verdict).toBe('eligible');
    expect(result.findings.map((f) => f.message)).toContain(
      'No red flag: no red-flag question answered "yes" in a current screening, and no Condition on the chart from the project\'s red-flag code lists.',
    );
  });

  it('ignores a resolved vertebral osteomyelitis, but keeps a resolved cancer as history', () => {
    const resolved = { clinicalStatus: { coding: [{ code: 'resolved' }] } };
    expect(
      evaluateEligibility(input({ conditions: [condition('M46.26', resolved)] })).verdict,
    ).toBe('eligible');
    expect(evaluateEligibility(input({ conditions: [condition('C61', resolved)] })).verdict).toBe(
      'needs-evaluation',
    );
  });
});

describe('urgency', () => {
  it.each(RED_FLAGS.filter((f) => f.caudaEquina).map((f) => [f.text, f.key] as const))(
    'makes "%s" an emergency that no clearance lifts',
    (_text, key) => {
      const result = evaluateEligibility(
        input({
          screenings: [screening({ redFlags: { ...noFlags, [key]: true } })],
          clearances: [clearance([{ redFlag: key, records: ['QuestionnaireResponse/s1'] }])],
        }),
      );
      expect(result).toMatchObject({
        verdict: 'needs-evaluation',
        urgent: true,
        urgency: 'emergency',
      });
      expect(result.redFlags[0]).toMatchObject({ id: key, clearable: false });
      expect(result.reasons.find((r) => r.redFlag === key)?.message).toMatch(
        /^Possible cauda equina syndrome: .* Emergency: same-day emergency evaluation/,
      );
    },
  );

  it('makes a progressive neurological deficit urgent (not an emergency)', () => {
    const result = evaluateEligibility(
      input({
        screenings: [screening({ redFlags: { ...noFlags, progressiveNeurologicalDeficit: true } })],
      }),
    );
    expect(result).toMatchObject({ urgent: true, urgency: 'urgent' });
  });

  it('counts a lone urgent answer saved before the form was finished, beside an older full screening', () => {
    const urgentRecord: ScreeningAnswers = {
      redFlags: { saddleAnaesthesia: true },
      source: 'QuestionnaireResponse/urgent-1',
      authored: daysAgo(0, 9),
    };
    const result = evaluateEligibility(input({ screenings: [screening(), urgentRecord] }));
    expect(result).toMatchObject({ verdict: 'needs-evaluation', urgency: 'emergency' });
    // The Task Force answers of the older full screening still hold.
    expect(result.findings.find((f) => f.criterion === 'chronic-low-back-pain')?.status).toBe(
      'met',
    );
  });
});

describe("a clinician's clearance", () => {
  const cancer = condition('C61', {
    id: 'prostate',
    clinicalStatus: { coding: [{ code: 'resolved' }] },
  });

  it('clears a resolved prostate cancer for that finding only: eligible, with who and when', () => {
    const result = evaluateEligibility(
      input({
        conditions: [cancer],
        clearances: [clearance([{ redFlag: 'cancer-history', records: ['Condition/prostate'] }])],
      }),
    );
    expect(result.verdict).toBe('eligible');
    const cleared = result.findings.find((f) => f.redFlag === 'cancer-history');
    expect(cleared?.status).toBe('met');
    expect(cleared?.message).toBe(
      `History of cancer on the chart: evaluated by Dr. Elena Morgan on ${daysAgo(2).slice(0, 10)}: does not preclude the programme.`,
    );
    expect(cleared?.evidence).toContainEqual({
      kind: 'clearance',
      clearance: expect.objectContaining({
        note: 'Prostate cancer treated 2020, PSA undetectable',
      }) as unknown,
    });
    expect(result.redFlags[0]).toMatchObject({
      status: 'cleared',
      clearance: { author: 'Practitioner/pcp-1' },
    });
  });

  it('clears a basal cell carcinoma (C44.311) the same way', () => {
    const bcc = condition('C44.311', { id: 'bcc' });
    expect(evaluateEligibility(input({ conditions: [bcc] })).verdict).toBe('needs-evaluation');
    expect(
      evaluateEligibility(
        input({
          conditions: [bcc],
          clearances: [clearance([{ redFlag: 'cancer-history', records: ['Condition/bcc'] }])],
        }),
      ).verdict,
    ).toBe('eligible');
  });

  it('does not clear another red flag on the same chart', () => {
    const result = evaluateEligibility(
      input({
        conditions: [cancer, condition('Z79.620', { id: 'biologic' })],
        clearances: [clearance([{ redFlag: 'cancer-history', records: ['Condition/prostate'] }])],
      }),
    );
    expect(result.verdict).toBe('needs-evaluation');
    expect(result.redFlags.map((f) => [f.id, f.status])).toEqual([
      ['cancer-history', 'cleared'],
      ['immunosuppressive-drugs', 'needs-evaluation'],
    ]);
  });

  it('needs a new evaluation for a cancer recorded after the clearance', () => {
    const newer = condition('C18.9', { id: 'colon', recordedDate: daysAgo(1).slice(0, 10) });
    const result = evaluateEligibility(
      input({
        conditions: [cancer, newer],
        clearances: [clearance([{ redFlag: 'cancer-history', records: ['Condition/prostate'] }])],
      }),
    );
    expect(result.verdict).toBe('needs-evaluation');
    expect(result.redFlags[0]?.status).toBe('needs-evaluation');
  });

  it('covers the "yes" it cites, not another "yes" given before it that it did not list', () => {
    const yes = (authored: string, source: string) =>
      screening({ redFlags: { ...noFlags, cancerOrWeightLoss: true }, authored, source });
    const cleared = [
      clearance(
        [{ redFlag: 'cancerOrWeightLoss', records: ['QuestionnaireResponse/a'] }],
        daysAgo(3, 15),
      ),
    ];
    expect(
      evaluateEligibility(
        input({
          screenings: [yes(daysAgo(3, 14), 'QuestionnaireResponse/a')],
          clearances: cleared,
        }),
      ).verdict,
    ).toBe('eligible');
    // given before the clearance, but not the answer it was recorded against
    expect(
      evaluateEligibility(
        input({
          screenings: [yes(daysAgo(3, 12), 'QuestionnaireResponse/b')],
          clearances: cleared,
        }),
      ).verdict,
    ).toBe('needs-evaluation');
    expect(
      evaluateEligibility(
        input({
          screenings: [yes(daysAgo(3, 16), 'QuestionnaireResponse/c')],
          clearances: cleared,
        }),
      ).verdict,
    ).toBe('needs-evaluation');
  });

  it('clears nothing when it cites no record (it never saw what it would cover)', () => {
    const result = evaluateEligibility(
      input({ conditions: [cancer], clearances: [clearance([{ redFlag: 'cancer-history' }])] }),
    );
    expect(result.verdict).toBe('needs-evaluation');
    expect(result.redFlags[0]?.status).toBe('needs-evaluation');
  });

  it('does not cover an older cancer it did not list, even one recorded only by onset', () => {
    // no recordedDate: the date used to fall back to the onset, years before the clearance
    const melanoma = condition('C43.9', {
      id: 'melanoma',
      recordedDate: undefined,
      onsetDateTime: '2015-06-01',
    });
    const result = evaluateEligibility(
      input({
        conditions: [cancer, melanoma],
        clearances: [clearance([{ redFlag: 'cancer-history', records: ['Condition/prostate'] }])],
      }),
    );
    expect(result.verdict).toBe('needs-evaluation');
    expect(result.redFlags[0]?.status).toBe('needs-evaluation');
  });

  it('never covers a Condition without an id (it cannot be cited)', () => {
    const anonymous: Condition = { ...condition('C61', { recordedDate: '2019-01-01' }) };
    delete anonymous.id;
    expect(
      evaluateEligibility(
        input({
          conditions: [anonymous],
          clearances: [clearance([{ redFlag: 'cancer-history', records: ['Condition/C61'] }])],
        }),
      ).verdict,
    ).toBe('needs-evaluation');
  });

  it('never clears a cauda equina syndrome code on the chart (emergency pathway, problem list)', () => {
    const result = evaluateEligibility(
      input({
        conditions: [condition('G83.4', { id: 'ces' })],
        clearances: [clearance([{ redFlag: 'cauda-equina-syndrome', records: ['Condition/ces'] }])],
      }),
    );
    expect(result.verdict).toBe('needs-evaluation');
    expect(result.redFlags[0]).toMatchObject({ clearable: false, status: 'needs-evaluation' });
  });

  it('matches records by reference even without a date', () => {
    const found = clearanceCovering(
      'cancer-history',
      [{ reference: 'Condition/x', date: undefined }],
      [clearance([{ redFlag: 'cancer-history', records: ['Condition/x'] }])],
    );
    expect(found?.source).toBe('QuestionnaireResponse/clear-1');
    expect(
      clearanceCovering(
        'cancer-history',
        [{ reference: 'Condition/y', date: undefined }],
        [clearance([{ redFlag: 'cancer-history', records: ['Condition/x'] }])],
      ),
    ).toBeUndefined();
  });
});

describe('reading a clearance from the chart', () => {
  function response(overrides: Partial<QuestionnaireResponse> = {}): QuestionnaireResponse {
    return {
      resourceType: 'QuestionnaireResponse',
      id: 'clear-1',
      questionnaire: `${RED_FLAG_EVALUATION_QUESTIONNAIRE_URL}|1.0.0`,
      status: 'completed',
      subject: { reference: 'Patient/p1' },
      authored: '2026-03-13T10:00:00-06:00',
      author: { reference: 'Practitioner/pcp-1', display: 'Dr. Elena Morgan' },
      item: [
        {
          linkId: L.finding,
          item: [
            {
              linkId: L.redFlag,
              answer: [{ valueCoding: { system: RED_FLAG_CODE_SYSTEM, code: 'cancer-history' } }],
            },
            { linkId: L.record, answer: [{ valueReference: { reference: 'Condition/prostate' } }] },
          ],
        },
        { linkId: L.outcome, answer: [{ valueCoding: { ...DOES_NOT_PRECLUDE } }] },
        { linkId: L.note, answer: [{ valueString: ' PSA undetectable ' }] },
      ],
      ...overrides,
    };
  }

  it('reads who, when, which finding and the note', () => {
    expect(readClearanceResponse(response())).toEqual({
      kind: 'clearance',
      clearance: {
        source: 'QuestionnaireResponse/clear-1',
        authored: '2026-03-13T10:00:00-06:00',
        author: 'Practitioner/pcp-1',
        authorName: 'Dr. Elena Morgan',
        note: 'PSA undetectable',
        findings: [{ redFlag: 'cancer-history', records: ['Condition/prostate'] }],
      },
    });
  });

  it.each([
    ['another Questionnaire', { questionnaire: 'http://x/Questionnaire/y' }, 'not-clearance'],
    ['an entered-in-error one', { status: 'entered-in-error' as const }, 'not-clearance'],
    ['one without a date', { authored: undefined }, 'invalid'],
    [
      'an unknown red flag code',
      {
        item: [
          {
            linkId: L.finding,
            item: [
              {
                linkId: L.redFlag,
                answer: [{ valueCoding: { system: RED_FLAG_CODE_SYSTEM, code: 'x' } }],
              },
            ],
          },
          { linkId: L.outcome, answer: [{ valueCoding: { ...DOES_NOT_PRECLUDE } }] },
        ],
      },
      'invalid',
    ],
    ['one without the outcome', { item: [] }, 'invalid'],
  ])('does not count %s', (_label, overrides, kind) => {
    expect(readClearanceResponse(response(overrides as Partial<QuestionnaireResponse>)).kind).toBe(
      kind,
    );
  });
});
