import type { Condition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { evaluateEligibility } from '../../../src/domain/screening/eligibility.ts';
import type { CriterionId, EligibilityInput } from '../../../src/domain/screening/eligibility.ts';
import {
  DEFAULT_ELIGIBILITY_CONFIG,
  RED_FLAG_RULES,
} from '../../../src/domain/screening/eligibilityConfig.ts';
import { CONDITION_LIST_LABELS } from '../../../src/domain/codes/conditionLists.ts';
import { RED_FLAGS, SCREENING_LINK_IDS } from '../../../src/domain/screening/screening.ts';
import type { RedFlagKey, ScreeningAnswers } from '../../../src/domain/screening/screening.ts';

const asOf = new Date(2026, 2, 15, 12, 0); // 15 March 2026, noon local (TZ pinned by the test script)
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const SCT = 'http://snomed.info/sct';
const noFlags = Object.fromEntries(RED_FLAGS.map((f) => [f.key, false])) as Record<
  RedFlagKey,
  boolean
>;

const AUTHORED = '2026-03-01T10:00:00-07:00';
const screening: ScreeningAnswers = {
  duration: '1-5-years',
  frequency: 'every-day',
  redFlags: noFlags,
  pregnant: false,
  telehealthAble: true,
  source: 'QuestionnaireResponse/s1',
  authored: AUTHORED,
};

/** `screening`: the one screening on record (undefined: none); other fields as in EligibilityInput. */
type Overrides = Partial<Omit<EligibilityInput, 'screenings'>> & {
  screening?: ScreeningAnswers | undefined;
};

function input(overrides: Overrides = {}): EligibilityInput {
  const { screening: one, ...rest } = overrides;
  const screenings = 'screening' in overrides ? (one === undefined ? [] : [one]) : [screening];
  return {
    asOf,
    birthDate: '1970-05-01',
    conditions: [],
    screenings,
    latestPeg: { date: '2026-03-10', score: 5.67, sources: ['QuestionnaireResponse/p1'] },
    activeReferral: undefined,
    ...rest,
  };
}

function condition(system: string, code: string, extra: Partial<Condition> = {}): Condition {
  return {
    resourceType: 'Condition',
    id: `c-${code}`,
    subject: { reference: 'Patient/p1' },
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
      ],
    },
    code: { coding: [{ system, code }] },
    ...extra,
  };
}
const status = (code: string) => ({ coding: [{ code }] });

function finding(result: ReturnType<typeof evaluateEligibility>, criterion: CriterionId) {
  return result.findings.filter((f) => f.criterion === criterion);
}

describe('evaluateEligibility', () => {
  it('finds an adult with Task Force CLBP, PEG 5.67, no red flags, able to join, eligible', () => {
    const result = evaluateEligibility(input());
    expect(result.verdict).toBe('eligible');
    expect(result.reasons).toEqual([]);
    expect(result.urgent).toBe(false);
    expect(finding(result, 'pain-interference')[0]?.evidence).toEqual([
      {
        kind: 'peg',
        date: '2026-03-10',
        score: 5.67,
        sources: ['QuestionnaireResponse/p1'],
        outOfDate: false,
      },
    ]);
  });

  it.each([
    ['2008-03-15', 'met', 'eligible'],
    ['2008-03-16', 'not-met', 'not-eligible'],
    ['2007', 'met', 'eligible'],
    ['2008', 'unknown', 'needs-screening'],
    ['2008-02', 'met', 'eligible'],
    ['2008-03', 'unknown', 'needs-screening'],
    ['not-a-date', 'unknown', 'needs-screening'],
    [undefined, 'unknown', 'needs-screening'],
  ])(
    'with birth date %s on 2026-03-15 the age criterion is %s → %s',
    (birthDate, criterion, verdict) => {
      const result = evaluateEligibility(input({ birthDate }));
      expect(finding(result, 'adult')[0]?.status).toBe(criterion);
      expect(result.verdict).toBe(verdict);
    },
  );

  it('is not eligible when back pain is under 3 months, citing the duration answer', () => {
    const result = evaluateEligibility(
      input({ screening: { ...screening, duration: '1-3-months' } }),
    );
    expect(result.verdict).toBe('not-eligible');
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toMatchObject({
      criterion: 'chronic-low-back-pain',
      status: 'not-met',
    });
    expect(result.reasons[0]?.evidence).toContainEqual({
      kind: 'screening-answer',
      linkId: 'clbp-duration',
      answer: '1-3-months',
      response: 'QuestionnaireResponse/s1',
      authored: AUTHORED,
      outOfDate: false,
    });
  });

  it('is not eligible when back pain is present on less than half the days', () => {
    const result = evaluateEligibility(
      input({ screening: { ...screening, frequency: 'less-than-half' } }),
    );
    expect(result.reasons.map((r) => r.criterion)).toEqual(['chronic-low-back-pain']);
  });

  describe('chart evidence standing in for the duration question', () => {
    const withoutDuration: ScreeningAnswers = { ...screening, duration: undefined };

    it.each([
      ['a chronic low back pain code', [condition(SCT, '278860009')], 'met'],
      [
        'M54.50 with onset exactly 3 months ago',
        [condition(ICD, 'M54.50', { onsetDateTime: '2025-12-15' })],
        'met',
      ],
      [
        'M54.50 with onset 1 day short of 3 months',
        [condition(ICD, 'M54.50', { onsetDateTime: '2025-12-16' })],
        'unknown',
      ],
      [
        'M54.50 recorded 4 months ago, no onset',
        [condition(ICD, 'M54.50', { recordedDate: '2025-11-01' })],
        'met',
      ],
      ['M54.50 alongside G89.29', [condition(ICD, 'M54.50'), condition(ICD, 'G89.29')], 'met'],
      ['G89.29 alone (no back pain code)', [condition(ICD, 'G89.29')], 'unknown'],
      [
        'a refuted chronic low back pain code',
        [condition(SCT, '278860009', { verificationStatus: status('refuted') })],
        'unknown',
      ],
      [
        'a resolved chronic low back pain code',
        [condition(SCT, '278860009', { clinicalStatus: status('resolved') })],
        'unknown',
      ],
    ])('with %s, CLBP is %s', (_label, conditions, expected) => {
      const result = evaluateEligibility(input({ screening: withoutDuration, conditions }));
      expect(finding(result, 'chronic-low-back-pain')[0]?.status).toBe(expected);
    });

    it('still needs the frequency question even with a chronic code on the chart', () => {
      const result = evaluateEligibility(
        input({
          screening: { ...screening, frequency: undefined },
          conditions: [condition(SCT, '278860009')],
        }),
      );
      expect(result.verdict).toBe('needs-screening');
      expect(finding(result, 'chronic-low-back-pain')[0]?.status).toBe('unknown');
    });

    it('does not let the chart override a "less than 3 months" answer', () => {
      const result = evaluateEligibility(
        input({
          screening: { ...screening, duration: 'lt-1-month' },
          conditions: [condition(SCT, '278860009')],
        }),
      );
      expect(result.verdict).toBe('not-eligible');
    });
  });

  it.each([
    [2.99, 'not-eligible'],
    [3, 'eligible'],
    [3.01, 'eligible'],
    [10, 'eligible'],
    [0, 'not-eligible'],
  ])('with a latest PEG of %f the verdict is %s (cut point 3)', (score, verdict) => {
    expect(
      evaluateEligibility(input({ latestPeg: { date: '2026-03-01', score, sources: [] } })).verdict,
    ).toBe(verdict);
  });

  it('needs screening without a PEG', () => {
    const result = evaluateEligibility(input({ latestPeg: undefined }));
    expect(result.verdict).toBe('needs-screening');
    expect(result.reasons.map((r) => r.criterion)).toEqual(['pain-interference']);
  });

  it('uses the clinic configuration for the PEG cut point', () => {
    const latestPeg = { date: '2026-03-01', score: 3.5, sources: [] };
    expect(
      evaluateEligibility(input({ latestPeg }), { ...DEFAULT_ELIGIBILITY_CONFIG, minPeg: 4 })
        .verdict,
    ).toBe('not-eligible');
  });

  it.each(
    RED_FLAGS.map((f) => [f.key, f.linkId, RED_FLAG_RULES[f.key].urgency !== 'evaluate'] as const),
  )(
    'sends a patient with red flag %s (%s) to clinician evaluation (urgent: %s)',
    (key, linkId, urgent) => {
      const result = evaluateEligibility(
        input({ screening: { ...screening, redFlags: { ...noFlags, [key]: true } } }),
      );
      expect(result.verdict).toBe('needs-evaluation');
      expect(result.urgent).toBe(urgent);
      expect(result.reasons[0]?.evidence).toEqual([
        {
          kind: 'screening-answer',
          linkId,
          answer: true,
          response: 'QuestionnaireResponse/s1',
          authored: AUTHORED,
          outOfDate: false,
        },
      ]);
    },
  );

  it('puts a red flag before an exclusion, and still lists the exclusion', () => {
    const result = evaluateEligibility(
      input({
        latestPeg: { date: '2026-03-01', score: 2, sources: [] },
        screening: { ...screening, redFlags: { ...noFlags, saddleAnaesthesia: true } },
      }),
    );
    expect(result).toMatchObject({ verdict: 'needs-evaluation', urgent: true });
    expect(result.reasons.map((r) => r.criterion)).toEqual(['pain-interference', 'no-red-flags']);
  });

  it.each([
    [
      'a resolved history of cancer (Z85.3)',
      condition(ICD, 'Z85.3', { clinicalStatus: status('resolved') }),
      'cancer-history',
    ],
    ['SNOMED malignant neoplastic disease', condition(SCT, '363346000'), 'cancer-history'],
    ['HIV disease (B20)', condition(ICD, 'B20'), 'immunosuppression'],
    ['intravenous drug user (SNOMED 228388006)', condition(SCT, '228388006'), 'iv-drug-use'],
    ['a lumbar vertebra fracture (S32.010A)', condition(ICD, 'S32.010A'), 'vertebral-fracture'],
  ])('flags %s on the chart for clinician evaluation', (_label, chartCondition, list) => {
    const result = evaluateEligibility(input({ conditions: [chartCondition] }));
    expect(result.verdict).toBe('needs-evaluation');
    expect(result.urgent).toBe(false);
    expect(finding(result, 'no-red-flags')[0]?.evidence).toContainEqual(
      expect.objectContaining({ kind: 'condition', conditionId: chartCondition.id, list }),
    );
  });

  it.each([
    [
      'a history of cancer (Z85.3)',
      [condition(ICD, 'Z85.3')],
      ['History of cancer on the chart (Personal history of malignant neoplasm (Z85.3))'],
    ],
    [
      'HIV disease (B20)',
      [condition(ICD, 'B20')],
      ['Immunosuppression on the chart (Human immunodeficiency virus [HIV] disease (B20))'],
    ],
    [
      'an intravenous drug user record',
      [condition(SCT, '228388006')],
      ['Intravenous drug use on the chart (Intravenous drug user (228388006))'],
    ],
    [
      'a lumbar fracture (S32.010A)',
      [condition(ICD, 'S32.010A')],
      [
        'Vertebral fracture or spinal cord injury on the chart (Fracture of lumbar vertebra (S32.010A))',
      ],
    ],
    [
      'metastatic cancer and HIV',
      [condition(ICD, 'C78.00'), condition(ICD, 'B20')],
      [
        'History of cancer on the chart (Malignant neoplasms (C78.00))',
        'Immunosuppression on the chart (Human immunodeficiency virus [HIV] disease (B20))',
      ],
    ],
  ])('names a chart red flag from %s in clinical words', (_label, conditions, words) => {
    const result = evaluateEligibility(input({ conditions }));
    expect(finding(result, 'no-red-flags').map((f) => f.message)).toEqual(
      words.map((w) => `${w}: clinician evaluation needed.`),
    );
  });

  it('names the unanswered Task Force questions in words, not by their internal keys', () => {
    const result = evaluateEligibility(
      input({ screening: { ...screening, duration: undefined, frequency: undefined } }),
    );
    expect(finding(result, 'chronic-low-back-pain')[0]?.message).toBe(
      'Ask the NIH Task Force questions (how long low back pain has been a problem; how often in the past 6 months).',
    );
  });

  it('never shows an internal key in any message a clinician reads', () => {
    const internalKeys = [
      ...Object.keys(CONDITION_LIST_LABELS).filter((key) => key.includes('-')),
      ...Object.values(SCREENING_LINK_IDS).filter((id) => id.includes('-')),
      'no-red-flags',
      'not-pregnant',
      'no-metastatic-cancer',
      'pain-interference',
      '(duration',
      '(frequency',
    ];
    const everyCode = [
      condition(ICD, 'Z85.3'),
      condition(ICD, 'C78.00'),
      condition(ICD, 'B20'),
      condition(SCT, '228388006'),
      condition(ICD, 'S32.010A'),
      condition(ICD, 'M81.0'),
      condition(ICD, 'Z79.52'),
      condition(ICD, 'Z33.1'),
      condition(ICD, 'M54.50'),
      condition(ICD, 'G89.29'),
    ];
    const messages = [
      input({ conditions: everyCode }),
      input({ conditions: everyCode, screening: undefined, birthDate: undefined }),
      input({ screening: { ...screening, duration: undefined }, conditions: everyCode }),
      input({ birthDate: '2008', latestPeg: undefined, activeReferral: { reference: 'x' } }),
    ].flatMap((i) => evaluateEligibility(i).findings.map((f) => f.message));
    expect(messages.length).toBeGreaterThan(10);
    for (const key of internalKeys) {
      expect(messages.filter((m) => m.includes(key))).toEqual([]);
    }
  });

  it('shows osteoporosis as context of a spinal fracture, but not as a red flag alone', () => {
    const alone = evaluateEligibility(input({ conditions: [condition(ICD, 'M81.0')] }));
    expect(alone.verdict).toBe('eligible');
    const withFracture = evaluateEligibility(
      input({ conditions: [condition(ICD, 'M81.0'), condition(ICD, 'S32.010A')] }),
    );
    expect(
      finding(withFracture, 'no-red-flags')[0]?.evidence.map((e) =>
        e.kind === 'condition' ? e.list : e.kind,
      ),
    ).toEqual(['vertebral-fracture', 'osteoporosis']);
  });

  it('ignores an inactive IV drug use record', () => {
    const result = evaluateEligibility(
      input({ conditions: [condition(SCT, '228388006', { clinicalStatus: status('inactive') })] }),
    );
    expect(result.verdict).toBe('eligible');
  });

  it('excludes current metastatic cancer (and flags it as cancer history for evaluation)', () => {
    const result = evaluateEligibility(input({ conditions: [condition(ICD, 'C78.00')] }));
    expect(finding(result, 'no-metastatic-cancer')[0]).toMatchObject({ status: 'not-met' });
    expect(result.verdict).toBe('needs-evaluation');
  });

  describe('pregnancy', () => {
    it('excludes a patient the clinician records as pregnant', () => {
      const result = evaluateEligibility(input({ screening: { ...screening, pregnant: true } }));
      expect(result.verdict).toBe('not-eligible');
      expect(result.reasons[0]?.evidence).toContainEqual(
        expect.objectContaining({ linkId: 'pregnant', answer: true }),
      );
    });

    it('asks for evaluation when only the chart shows a current pregnancy', () => {
      const result = evaluateEligibility(
        input({
          screening: { ...screening, pregnant: undefined },
          conditions: [condition(ICD, 'Z33.1')],
        }),
      );
      expect(result.verdict).toBe('needs-evaluation');
    });

    it('trusts a newer "not pregnant" answer over an older chart code, and says so', () => {
      const result = evaluateEligibility(
        input({ conditions: [condition(ICD, 'O09.90', { recordedDate: '2026-01-10' })] }),
      );
      expect(result.verdict).toBe('eligible');
      expect(finding(result, 'not-pregnant')[0]?.message).toContain('update the problem list');
    });

    it('needs screening when the question is unanswered and the chart is silent', () => {
      expect(
        evaluateEligibility(input({ screening: { ...screening, pregnant: undefined } })).verdict,
      ).toBe('needs-screening');
    });
  });

  it.each([
    [false, 'not-eligible'],
    [undefined, 'needs-screening'],
  ])('with "able to join telehealth" = %s the verdict is %s', (telehealthAble, verdict) => {
    expect(
      evaluateEligibility(input({ screening: { ...screening, telehealthAble } })).verdict,
    ).toBe(verdict);
  });

  it('is not eligible again while a referral is active, citing it', () => {
    const result = evaluateEligibility(
      input({ activeReferral: { reference: 'ServiceRequest/sr1' } }),
    );
    expect(result.verdict).toBe('not-eligible');
    expect(result.reasons[0]?.evidence).toEqual([
      { kind: 'referral', reference: 'ServiceRequest/sr1' },
    ]);
  });

  it('lists every unanswered question when the patient has not been screened', () => {
    const result = evaluateEligibility(input({ screening: undefined }));
    expect(result.verdict).toBe('needs-screening');
    expect(result.reasons.map((r) => r.criterion)).toEqual([
      'chronic-low-back-pain',
      'no-red-flags',
      'not-pregnant',
      'telehealth',
    ]);
  });
});
