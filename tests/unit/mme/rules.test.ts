import type { Dosage, Medication } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  computeMedicationMme,
  computeMmeForResources,
  medicationResolver,
} from '../../../src/domain/mme/mme.ts';
import {
  RX,
  dosage,
  medication,
  named,
  noMedications,
  request,
  rxnorm,
  statement,
} from './builders.ts';

type Expected = { kind: 'counted'; mme: number } | { kind: 'excluded' | 'unknown'; reason: string };

const counted = (mme: number): Expected => ({ kind: 'counted', mme });
const excluded = (reason: string): Expected => ({ kind: 'excluded', reason });
const unknown = (reason: string): Expected => ({ kind: 'unknown', reason });

const oxy5 = { medicationCodeableConcept: rxnorm(RX.oxycodone5) };
const prn = (d: Dosage): Dosage => ({ ...d, asNeededBoolean: true });
const withCode = (
  code: string,
  dose: Dosage['doseAndRate'] = [{ doseQuantity: { value: 1, unit: 'tablet' } }],
): Dosage => ({
  timing: {
    code: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation', code }],
    },
  },
  doseAndRate: dose,
});

const cases: [string, unknown, Expected][] = [
  // Tablets and combination products
  [
    'oxycodone 5 mg, 1 tablet 4 times a day: 30',
    request(oxy5, { dosageInstruction: [dosage(1, 'tablet', 4)] }),
    counted(30),
  ],
  [
    'acetaminophen 300 mg / codeine 30 mg, 2 tablets every 4 h: 54',
    request(
      { medicationCodeableConcept: rxnorm(RX.codeine30Apap300) },
      { dosageInstruction: [dosage(2, 'tablet', 1, 4, 'h')] },
    ),
    counted(54),
  ],
  [
    'tramadol 50 mg, 14 tablets a week: 20',
    request(
      { medicationCodeableConcept: rxnorm(RX.tramadol50) },
      { dosageInstruction: [dosage(14, 'tablet', 1, 1, 'wk')] },
    ),
    counted(20),
  ],
  [
    'tapentadol 50 mg twice a day: 40',
    request(
      { medicationCodeableConcept: rxnorm(RX.tapentadol50) },
      { dosageInstruction: [dosage(1, '{tbl}', 2)] },
    ),
    counted(40),
  ],
  [
    'hydromorphone 2 mg, TAB (non-UCUM) every 6 h: 40',
    request(
      { medicationCodeableConcept: rxnorm(RX.hydromorphone2) },
      { dosageInstruction: [dosage(1, 'TAB', 1, 6, 'h')] },
    ),
    counted(40),
  ],
  [
    'methadone 10 mg three times a day: 141',
    request(
      { medicationCodeableConcept: rxnorm(RX.methadone10) },
      { dosageInstruction: [dosage(1, 'tablet', 3)] },
    ),
    counted(141),
  ],
  // Doses in mass units
  [
    'oxycodone 10 mg tablets, dose written as 5 mg 4/day: 30',
    request(
      { medicationCodeableConcept: rxnorm(RX.oxycodone10) },
      { dosageInstruction: [dosage(5, 'mg', 4)] },
    ),
    counted(30),
  ],
  [
    'hydromorphone 2000 mcg every 6 h: 40',
    request(
      { medicationCodeableConcept: rxnorm(RX.hydromorphone2) },
      { dosageInstruction: [dosage(2000, 'mcg', 1, 6, 'h')] },
    ),
    counted(40),
  ],
  [
    'hydromorphone 2000 ug (UCUM) every 6 h: 40',
    request(
      { medicationCodeableConcept: rxnorm(RX.hydromorphone2) },
      { dosageInstruction: [dosage(2000, 'ug', 1, 6, 'h')] },
    ),
    counted(40),
  ],
  // Liquids
  [
    'morphine 2 mg/mL, 5 mL every 4 h: 60',
    request(
      { medicationCodeableConcept: rxnorm(RX.morphineSolution2PerMl) },
      { dosageInstruction: [dosage(5, 'mL', 1, 4, 'h')] },
    ),
    counted(60),
  ],
  [
    'oxycodone 1 mg/mL, 10 ML (non-UCUM) 3/day: 45',
    request(
      { medicationCodeableConcept: rxnorm(RX.oxycodoneSolution1PerMl) },
      { dosageInstruction: [dosage(10, 'ML', 3)] },
    ),
    counted(45),
  ],
  [
    'a liquid dosed in tablets cannot be converted',
    request(
      { medicationCodeableConcept: rxnorm(RX.morphineSolution2PerMl) },
      { dosageInstruction: [dosage(1, 'tablet', 4)] },
    ),
    unknown('dose-unit-mismatch'),
  ],
  // Patches
  [
    'two 25 mcg/hr patches worn together: 120',
    statement(
      { medicationCodeableConcept: rxnorm(RX.fentanyl25Patch) },
      { dosage: [dosage(2, 'patch', 1, 72, 'h')] },
    ),
    counted(120),
  ],
  [
    'a 25 mcg/hr patch changed every 48 h is still 60',
    statement(
      { medicationCodeableConcept: rxnorm(RX.fentanyl25Patch) },
      { dosage: [dosage(1, 'patch', 1, 48, 'h')] },
    ),
    counted(60),
  ],
  [
    'two dosage lines of one 12 mcg/hr patch each add up: 57.6',
    statement(
      { medicationCodeableConcept: rxnorm(RX.fentanyl12Patch) },
      { dosage: [dosage(1, 'patch', 1, 72, 'h'), dosage(1, 'patch', 1, 72, 'h')] },
    ),
    counted(57.6),
  ],
  [
    'a patch dose given as 50 ug/h: 120',
    statement(
      { medicationCodeableConcept: rxnorm(RX.fentanyl50Patch) },
      { dosage: [{ doseAndRate: [{ doseQuantity: { value: 50, unit: 'ug/h' } }] }] },
    ),
    counted(120),
  ],
  [
    '10 patches of 72 h for 30 days, no dosage: one patch worn, 60',
    request(
      { medicationCodeableConcept: rxnorm(RX.fentanyl25Patch) },
      {
        dispenseRequest: {
          quantity: { value: 10 },
          expectedSupplyDuration: { value: 30, code: 'd' },
        },
      },
    ),
    counted(60),
  ],
  // As needed, ranges and caps
  [
    'PRN 1–2 tablets every 4–6 h counts 2 tablets every 4 h: 90',
    request(oxy5, {
      dosageInstruction: [
        prn({
          timing: { repeat: { frequency: 1, period: 4, periodMax: 6, periodUnit: 'h' } },
          doseAndRate: [
            {
              doseRange: { low: { value: 1, unit: 'tablet' }, high: { value: 2, unit: 'tablet' } },
            },
          ],
        }),
      ],
    }),
    counted(90),
  ],
  [
    'PRN capped by maxDosePerPeriod 6 tablets/day: 45',
    request(oxy5, {
      dosageInstruction: [
        {
          ...prn(dosage(2, 'tablet', 1, 4, 'h')),
          maxDosePerPeriod: {
            numerator: { value: 6, unit: 'tablet' },
            denominator: { value: 1, unit: 'd', code: 'd' },
          },
        },
      ],
    }),
    counted(45),
  ],
  [
    'PRN with a cap above the maximum keeps the maximum: 90',
    request(oxy5, {
      dosageInstruction: [
        {
          ...prn(dosage(2, 'tablet', 1, 4, 'h')),
          maxDosePerPeriod: {
            numerator: { value: 20, unit: 'tablet' },
            denominator: { value: 24, code: 'h' },
          },
        },
      ],
    }),
    counted(90),
  ],
  [
    'PRN with no frequency but a cap of 4 tablets/day: 30',
    request(oxy5, {
      dosageInstruction: [
        prn({
          doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
          maxDosePerPeriod: {
            numerator: { value: 4, unit: 'tablet' },
            denominator: { value: 1, code: 'd' },
          },
        }),
      ],
    }),
    counted(30),
  ],
  [
    'frequency 1–2 per day counts 2 a day: 15',
    request(oxy5, {
      dosageInstruction: [
        {
          timing: { repeat: { frequency: 1, frequencyMax: 2, period: 1, periodUnit: 'd' } },
          doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
        },
      ],
    }),
    counted(15),
  ],
  [
    'a dose range without a high value is not a dose',
    request(oxy5, {
      dosageInstruction: [
        {
          timing: { repeat: { frequency: 4, period: 1, periodUnit: 'd' } },
          doseAndRate: [{ doseRange: { low: { value: 1, unit: 'tablet' } } }],
        },
      ],
    }),
    unknown('no-dose-quantity'),
  ],
  // Timing codes and times of day
  ...(
    [
      ['QD', 7.5],
      ['BID', 15],
      ['TID', 22.5],
      ['QID', 30],
      ['Q4H', 45],
      ['Q6H', 30],
      ['Q8H', 22.5],
      ['Q12H', 15],
    ] as const
  ).map(([code, mme]): [string, unknown, Expected] => [
    `timing code ${code} only: ${mme}`,
    request(oxy5, { dosageInstruction: [withCode(code)] }),
    counted(mme),
  ]),
  [
    'three timeOfDay entries: 3 a day, 22.5',
    request(oxy5, {
      dosageInstruction: [
        {
          timing: { repeat: { timeOfDay: ['08:00:00', '14:00:00', '20:00:00'] } },
          doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
        },
      ],
    }),
    counted(22.5),
  ],
  [
    '"morning and bedtime" (when MORN, HS): 2 a day, 15',
    request(oxy5, {
      dosageInstruction: [
        {
          timing: { repeat: { when: ['MORN', 'HS'] } },
          doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
        },
      ],
    }),
    counted(15),
  ],
  [
    '"after meals" (when PC) counts the three meals: 22.5',
    request(oxy5, {
      dosageInstruction: [
        {
          timing: { repeat: { when: ['PC'] } },
          doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
        },
      ],
    }),
    counted(22.5),
  ],
  // Several dosage entries
  [
    'two dosage lines (morning 2, evening 1 tablet) add up: 22.5',
    request(oxy5, { dosageInstruction: [dosage(2, 'tablet', 1), dosage(1, 'tablet', 1)] }),
    counted(22.5),
  ],
  [
    'consecutive steps (sequence 1, 2) count the highest: 30',
    request(oxy5, {
      dosageInstruction: [
        { ...dosage(2, 'tablet', 2), sequence: 1 },
        { ...dosage(1, 'tablet', 2), sequence: 2 },
      ],
    }),
    counted(30),
  ],
  [
    'a text-only instruction beside a real one is ignored: 30',
    request(oxy5, { dosageInstruction: [dosage(1, 'tablet', 4), { text: 'Take with food' }] }),
    counted(30),
  ],
  // Missing or unusable dosage
  ['a statement without dosage is unknown', statement(oxy5), unknown('no-dosage')],
  [
    'a dosage with a frequency but no dose is unknown',
    statement(oxy5, {
      dosage: [{ timing: { repeat: { frequency: 4, period: 1, periodUnit: 'd' } } }],
    }),
    unknown('no-dose-quantity'),
  ],
  [
    'a dose with no frequency is unknown',
    statement(oxy5, {
      dosage: [{ doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }] }],
    }),
    unknown('no-frequency'),
  ],
  [
    'a dose in spoonfuls is unknown',
    statement(oxy5, { dosage: [dosage(1, 'spoonful', 4)] }),
    unknown('unsupported-dose-unit'),
  ],
  [
    'an absurd dose (1e301 tablets) is out of range, not Infinity',
    statement(oxy5, { dosage: [dosage(1e301, 'tablet', 2)] }),
    unknown('dose-out-of-range'),
  ],
  [
    'an absurd period (5e-324 s) is no usable frequency, not NaN',
    statement(oxy5, {
      dosage: [
        { ...dosage(1, 'tablet', 1), timing: { repeat: { period: 5e-324, periodUnit: 's' } } },
      ],
    }),
    unknown('no-frequency'),
  ],
  [
    'a dispensed quantity without supply duration is unknown',
    request(oxy5, { dispenseRequest: { quantity: { value: 120, unit: 'tablet' } } }),
    unknown('no-supply-duration'),
  ],
  // Identifying the drug
  [
    'an RxCUI newer than the table, with its RxNorm name in display: 30',
    request(
      { medicationCodeableConcept: rxnorm('9999999', 'oxycodone hydrochloride 5 MG Oral Tablet') },
      { dosageInstruction: [dosage(1, 'tablet', 4)] },
    ),
    counted(30),
  ],
  [
    'a name in text only: 20',
    request(
      {
        medicationCodeableConcept: named(
          'acetaminophen 325 MG / hydrocodone bitartrate 5 MG Oral Tablet',
        ),
      },
      { dosageInstruction: [dosage(1, 'tablet', 4)] },
    ),
    counted(20),
  ],
  [
    'an unknown RxCUI without a name is unknown',
    request(
      { medicationCodeableConcept: rxnorm('9999999') },
      { dosageInstruction: [dosage(1, 'tablet', 4)] },
    ),
    unknown('unknown-rxcui'),
  ],
  [
    'a brand name alone cannot be identified',
    request(
      { medicationCodeableConcept: named('Percocet') },
      { dosageInstruction: [dosage(1, 'tablet', 4)] },
    ),
    unknown('unparseable-name'),
  ],
  [
    '"Oxycodone" in mg with no route stated is not counted: route unknown',
    request(
      { medicationCodeableConcept: named('Oxycodone') },
      { dosageInstruction: [dosage(5, 'mg', 4)] },
    ),
    unknown('route-unknown'),
  ],
  [
    '"Oxycodone" in mg by the oral route (Dosage.route) counts: 30',
    request(
      { medicationCodeableConcept: named('Oxycodone') },
      { dosageInstruction: [{ ...dosage(5, 'mg', 4), route: { text: 'Oral route' } }] },
    ),
    counted(30),
  ],
  [
    '"Oxycodone" dosed in tablets has no strength: unknown',
    request(
      { medicationCodeableConcept: named('Oxycodone') },
      { dosageInstruction: [dosage(1, 'tablet', 4)] },
    ),
    unknown('no-strength'),
  ],
  [
    'a resource with no medication is unknown',
    request({}, { dosageInstruction: [dosage(1, 'tablet', 4)] }),
    unknown('no-medication'),
  ],
  // Not counted
  [
    'buprenorphine 8 mg sublingual is shown, never counted',
    request(
      { medicationCodeableConcept: rxnorm(RX.buprenorphine8Sl) },
      { dosageInstruction: [dosage(2, 'tablet', 1)] },
    ),
    excluded('buprenorphine'),
  ],
  [
    'a buprenorphine patch is never counted',
    statement(
      { medicationCodeableConcept: rxnorm(RX.buprenorphinePatch10) },
      { dosage: [dosage(1, 'patch', 1, 1, 'wk')] },
    ),
    excluded('buprenorphine'),
  ],
  [
    'meperidine has no 2022 factor',
    request(
      { medicationCodeableConcept: rxnorm(RX.meperidine50) },
      { dosageInstruction: [dosage(1, 'tablet', 4)] },
    ),
    excluded('no-cdc-2022-factor'),
  ],
  [
    'buccal fentanyl has no 2022 factor',
    request(
      { medicationCodeableConcept: rxnorm(RX.fentanylBuccal200) },
      { dosageInstruction: [dosage(1, 'tablet', 4)] },
    ),
    excluded('no-cdc-2022-factor'),
  ],
  [
    'levorphanol parsed from its name has no 2022 factor',
    request(
      { medicationCodeableConcept: named('levorphanol tartrate 3 MG Oral Tablet') },
      { dosageInstruction: [dosage(1, 'tablet', 3)] },
    ),
    excluded('no-cdc-2022-factor'),
  ],
  [
    'ibuprofen is not an opioid',
    request(
      { medicationCodeableConcept: named('ibuprofen 600 MG Oral Tablet') },
      { dosageInstruction: [dosage(1, 'tablet', 3)] },
    ),
    excluded('not-an-opioid'),
  ],
  [
    'a doNotPerform request does not count',
    request(oxy5, { dosageInstruction: [dosage(1, 'tablet', 4)], doNotPerform: true }),
    excluded('do-not-perform'),
  ],
  [
    'an Observation is not a medication',
    { resourceType: 'Observation', id: 'o1', status: 'final' },
    unknown('not-a-medication-resource'),
  ],
];

const statusCases: [string, 'MedicationStatement' | 'MedicationRequest', string, Expected][] = [
  ['an active statement', 'MedicationStatement', 'active', counted(30)],
  ['a completed statement', 'MedicationStatement', 'completed', counted(30)],
  ['an intended statement', 'MedicationStatement', 'intended', counted(30)],
  ['an on-hold statement', 'MedicationStatement', 'on-hold', counted(30)],
  ['a stopped statement (within its dates)', 'MedicationStatement', 'stopped', counted(30)],
  ['a not-taken statement', 'MedicationStatement', 'not-taken', excluded('status')],
  ['an entered-in-error statement', 'MedicationStatement', 'entered-in-error', excluded('status')],
  ['a statement of unknown status', 'MedicationStatement', 'unknown', excluded('status')],
  ['an active request', 'MedicationRequest', 'active', counted(30)],
  ['a completed request', 'MedicationRequest', 'completed', counted(30)],
  ['an on-hold request', 'MedicationRequest', 'on-hold', counted(30)],
  ['a cancelled request', 'MedicationRequest', 'cancelled', excluded('status')],
  ['an entered-in-error request', 'MedicationRequest', 'entered-in-error', excluded('status')],
  ['a draft request', 'MedicationRequest', 'draft', excluded('status')],
];

/** The part of a result the tables compare: MME for counted, the reason otherwise. */
function outcome(result: ReturnType<typeof computeMedicationMme>): Expected {
  return result.kind === 'counted'
    ? { kind: 'counted', mme: result.mmePerDay }
    : { kind: result.kind, reason: result.reason };
}

describe('MME per medication', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    expect(outcome(computeMedicationMme(resource, noMedications))).toEqual(expected);
  });

  it.each(statusCases)('%s: %s %s', (_name, resourceType, status, expected) => {
    const base = { medicationCodeableConcept: rxnorm(RX.oxycodone5) };
    const resource =
      resourceType === 'MedicationStatement'
        ? statement(base, { status: status as 'active', dosage: [dosage(1, 'tablet', 4)] })
        : request(base, {
            status: status as 'active',
            dosageInstruction: [dosage(1, 'tablet', 4)],
          });
    const result = computeMedicationMme(resource, noMedications);
    expect(outcome(result)).toEqual(expected);
    expect(result.explanation).not.toBe('');
  });

  it('shows the dose of buprenorphine while not counting it', () => {
    const result = computeMedicationMme(
      request(
        { medicationCodeableConcept: rxnorm(RX.buprenorphine8Sl) },
        { dosageInstruction: [dosage(2, 'tablet', 1)] },
      ),
      noMedications,
    );
    expect(result.ingredients).toEqual([
      {
        name: 'buprenorphine',
        rxcui: '1819',
        dailyDose: 16,
        unit: 'mg',
        factor: null,
        mmePerDay: null,
      },
    ]);
    expect(result.explanation).toBe(
      'buprenorphine 8 mg × 2 tablets × 1/day = 16 mg/day; buprenorphine is not counted in total MME/day (CDC 2022)',
    );
  });

  it('explains a PRN order capped by maxDosePerPeriod', () => {
    const result = computeMedicationMme(
      request(oxy5, {
        dosageInstruction: [
          {
            ...prn(dosage(2, 'tablet', 1, 4, 'h')),
            maxDosePerPeriod: {
              numerator: { value: 6, unit: 'tablet' },
              denominator: { value: 1, code: 'd' },
            },
          },
        ],
      }),
      noMedications,
    );
    expect(result.explanation).toBe(
      'oxycodone 5 mg × 2 tablets × every 4 h (6/day) as needed, capped at max 6 tablets/day = 30 mg/day × 1.5 = 45 MME/day',
    );
  });
});

describe('explanations', () => {
  it.each<[string, unknown, string]>([
    [
      'a dispensed patch supply',
      request(
        { medicationCodeableConcept: rxnorm(RX.fentanyl25Patch) },
        {
          dispenseRequest: {
            quantity: { value: 10, unit: 'patch' },
            expectedSupplyDuration: { value: 30, code: 'd' },
          },
        },
      ),
      'fentanyl 25 mcg/hr × (10 patches ÷ 30 days × 3 days each = 1 patch worn at once) × 2.4 = 60 MME/day',
    ],
    [
      'a dose in micrograms',
      request(
        { medicationCodeableConcept: rxnorm(RX.hydromorphone2) },
        { dosageInstruction: [dosage(500, 'mcg', 1, 6, 'h')] },
      ),
      'hydromorphone 500 mcg × every 6 h (4/day) × 5 = 10 MME/day',
    ],
    [
      'a liquid',
      request(
        { medicationCodeableConcept: rxnorm(RX.morphineSolution2PerMl) },
        { dosageInstruction: [dosage(5, 'mL', 1, 4, 'h')] },
      ),
      'morphine 2 mg/mL × 5 mL × every 4 h (6/day) × 1 = 60 MME/day',
    ],
    [
      'two dosage lines',
      request(oxy5, { dosageInstruction: [dosage(2, 'tablet', 1), dosage(1, 'tablet', 1)] }),
      '(oxycodone 5 mg × 2 tablets × 1/day + oxycodone 5 mg × 1 tablet × 1/day) = 15 mg/day × 1.5 = 22.5 MME/day',
    ],
    [
      'an opioid without a 2022 factor',
      request(
        { medicationCodeableConcept: rxnorm(RX.meperidine50) },
        { dosageInstruction: [dosage(1, 'tablet', 4)] },
      ),
      'meperidine 50 mg × 1 tablet × 4/day = 200 mg/day; meperidine has no CDC 2022 conversion factor; not counted in the total',
    ],
    [
      'a dose that cannot be computed',
      statement(oxy5),
      'oxycodone: MME unknown: no usable dosage and no dispensed quantity with a supply duration',
    ],
  ])('explains %s', (_name, resource, text) => {
    expect(computeMedicationMme(resource, noMedications).explanation).toBe(text);
  });
});

describe('an ingredient-level RxNorm code (7804 oxycodone)', () => {
  const coded = { medicationCodeableConcept: rxnorm('7804') };

  it('counts a dose written in mg when the dosage says it is oral', () => {
    const oral = {
      ...dosage(10, 'mg', 3),
      route: {
        coding: [{ system: 'http://snomed.info/sct', code: '26643006', display: 'Oral route' }],
      },
    };
    const result = computeMedicationMme(
      request(coded, { dosageInstruction: [oral] }),
      noMedications,
    );
    expect(outcome(result)).toEqual(counted(45));
  });

  it('does not count it when no route is stated, and says why', () => {
    const result = computeMedicationMme(
      request(coded, { dosageInstruction: [dosage(10, 'mg', 3)] }),
      noMedications,
    );
    expect(outcome(result)).toEqual(unknown('route-unknown'));
    expect(result.explanation).toBe(
      'oxycodone 10 mg × 3/day = 30 mg/day; the route of this oxycodone is not stated (no dose form or dosage route): the CDC 2022 factor is for oral oxycodone, so it is not counted',
    );
  });

  it('cannot count tablets of unknown strength', () => {
    const result = computeMedicationMme(
      request(coded, { dosageInstruction: [dosage(1, 'tablet', 3)] }),
      noMedications,
    );
    expect(outcome(result)).toEqual(unknown('no-strength'));
  });
});

describe('computeMmeForResources', () => {
  it('computes every statement and request of a result set, resolving its Medications', () => {
    const results = computeMmeForResources([
      medication('m1', RX.oxycodone5),
      request(
        { medicationReference: { reference: 'Medication/m1' } },
        { id: 'r1', dosageInstruction: [dosage(1, 'tablet', 4)] },
      ),
      statement(
        { medicationCodeableConcept: rxnorm(RX.fentanyl25Patch) },
        { id: 's1', dosage: [dosage(1, 'patch', 1, 72, 'h')] },
      ),
      { resourceType: 'Patient', id: 'p1' },
    ]);
    expect(results.map((r) => [r.id, r.mmePerDay])).toEqual([
      ['r1', 30],
      ['s1', 60],
    ]);
  });
});

describe('medicationReference', () => {
  const dosed = { dosageInstruction: [dosage(1, 'tablet', 4)] };

  it('resolves a contained Medication', () => {
    const resource = request(
      { medicationReference: { reference: '#m1' } },
      { ...dosed, contained: [medication('m1', RX.oxycodone5)] },
    );
    expect(outcome(computeMedicationMme(resource, noMedications))).toEqual(counted(30));
  });

  it('resolves a Medication from the same Bundle by relative reference', () => {
    const resolve = medicationResolver([medication('m2', RX.oxycodone5)]);
    const resource = request({ medicationReference: { reference: 'Medication/m2' } }, dosed);
    expect(outcome(computeMedicationMme(resource, resolve))).toEqual(counted(30));
  });

  it("resolves an _include'd Medication by absolute, versioned reference", () => {
    const resolve = medicationResolver([medication('m3', RX.hydrocodone5Apap325)]);
    const resource = request(
      { medicationReference: { reference: 'https://ehr.example/fhir/Medication/m3/_history/2' } },
      dosed,
    );
    expect(outcome(computeMedicationMme(resource, resolve))).toEqual(counted(20));
  });

  it('resolves a urn:uuid fullUrl', () => {
    const resolve = medicationResolver([], [['urn:uuid:6f1c', medication('x', RX.oxycodone5)]]);
    const resource = request({ medicationReference: { reference: 'urn:uuid:6f1c' } }, dosed);
    expect(outcome(computeMedicationMme(resource, resolve))).toEqual(counted(30));
  });

  it("uses the Medication's ingredient list when its code is not in the table", () => {
    const med: Medication = {
      resourceType: 'Medication',
      id: 'm4',
      code: { text: 'Oxycodone IR (house formulary)' },
      form: { text: 'Oral Tablet' },
      ingredient: [
        {
          itemCodeableConcept: { text: 'acetaminophen' },
          strength: {
            numerator: { value: 325, unit: 'mg' },
            denominator: { value: 1, unit: 'TAB' },
          },
        },
        {
          itemCodeableConcept: {
            coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7804' }],
          },
          strength: {
            numerator: { value: 5, code: 'mg' },
            denominator: { value: 1, code: '{tbl}' },
          },
        },
      ],
    };
    const result = computeMedicationMme(
      request({ medicationReference: { reference: 'Medication/m4' } }, dosed),
      medicationResolver([med]),
    );
    expect(outcome(result)).toEqual(counted(30));
    expect(result.label).toBe('Oxycodone IR (house formulary)');
  });

  it('gives unknown when the reference cannot be resolved', () => {
    const resource = request({ medicationReference: { reference: 'Medication/missing' } }, dosed);
    expect(outcome(computeMedicationMme(resource, noMedications))).toEqual(
      unknown('unresolved-reference'),
    );
  });

  it('never lets a throwing resolver escape', () => {
    const throwing = (): Medication => {
      throw new Error('boom');
    };
    const resource = request({ medicationReference: { reference: 'Medication/x' } }, dosed);
    expect(outcome(computeMedicationMme(resource, throwing))).toEqual(
      unknown('unresolved-reference'),
    );
  });
});
