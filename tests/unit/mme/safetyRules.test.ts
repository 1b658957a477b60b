/**
 * MME counts only what it can honestly count (clinical.md "Opioid dose"): oral and transdermal
 * routes, ambulatory records, orders (not proposals or plans), no OUD treatment; every active
 * opioid record left out is named. And the risk context beside the dose (CDC 2022
 * Recommendations 8 and 11). Dates are relative to asOf.
 */
import type { Condition, MedicationRequest } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  computeMedicationMme,
  computeMmeForResources,
  medicationResolver,
  opioidRiskContext,
  summariseMme,
} from '../../../src/domain/mme/mme.ts';
import { addMonths, dayIndex, isoDate } from '../../../src/domain/fhir-primitives/dates.ts';
import { NALOXONE_MEDICATIONS } from '../../../src/domain/codes/cdcValueSets.generated.ts';
import { NALOXONE_RESCUE_MEDICATIONS } from '../../../src/domain/codes/naloxoneRescue.ts';
import { RX, dosage, noMedications, request, rxnorm, statement } from './builders.ts';

const AS_OF = '2026-11-21';
const asOfDay = dayIndex(AS_OF) ?? 0;
const daysAgo = (days: number) => isoDate(asOfDay - days);

const HYDROMORPHONE_1MG_PER_ML_INJECTION = '897653';
const ALPRAZOLAM_0_5 = '308048';
const NALOXONE_4MG_NASAL = '1725059';
const SUBOXONE_8_2 = '1010606';

/** A current order: authored 10 days ago for 30 days. */
function order(code: string, extra: Partial<MedicationRequest> = {}): MedicationRequest {
  return request(
    { medicationCodeableConcept: rxnorm(code) },
    {
      id: `rx-${code}`,
      authoredOn: daysAgo(10),
      dispenseRequest: { expectedSupplyDuration: { value: 30, unit: 'd', code: 'd' } },
      ...extra,
    },
  );
}

const every3h = { timing: { repeat: { frequency: 1, period: 3, periodUnit: 'h' as const } } };

describe('route', () => {
  it('does not count IV hydromorphone 1 mg every 3 h (40 MME/day by the oral factor), and says why', () => {
    const result = computeMedicationMme(
      order(HYDROMORPHONE_1MG_PER_ML_INJECTION, {
        dosageInstruction: [
          { ...every3h, doseAndRate: [{ doseQuantity: { value: 1, unit: 'mL' } }] },
        ],
      }),
      noMedications,
    );
    expect(result).toMatchObject({ kind: 'excluded', reason: 'route-not-counted' });
    expect(result.explanation).toContain(
      'hydromorphone by the injected or intravenous route: the CDC 2022 factor is for oral hydromorphone; not counted in the total',
    );
  });

  it('counts oral hydromorphone 2 mg every 3 h: 16 mg × 5 = 80 MME/day', () => {
    const result = computeMedicationMme(
      order(RX.hydromorphone2, {
        dosageInstruction: [{ ...every3h, ...dosage(1, 'tablet', 1), timing: every3h.timing }],
      }),
      noMedications,
    );
    expect(result).toMatchObject({ kind: 'counted', mmePerDay: 80 });
  });

  it('reads an intravenous Dosage.route when the product names no form', () => {
    const result = computeMedicationMme(
      request(
        { medicationCodeableConcept: { text: 'hydromorphone' } },
        {
          dosageInstruction: [
            {
              ...every3h,
              route: {
                coding: [
                  {
                    system: 'http://snomed.info/sct',
                    code: '47625008',
                    display: 'Intravenous route',
                  },
                ],
              },
              doseAndRate: [{ doseQuantity: { value: 1, unit: 'mg' } }],
            },
          ],
        },
      ),
      noMedications,
    );
    expect(result).toMatchObject({ kind: 'excluded', reason: 'route-not-counted' });
  });

  // The product names no dose form, so only the coded route (no display, no text) can say it.
  const codedRoute = (system: string, code: string) =>
    computeMedicationMme(
      request(
        { medicationCodeableConcept: { text: 'hydromorphone' } },
        {
          dosageInstruction: [
            {
              ...every3h,
              route: { coding: [{ system, code }] },
              doseAndRate: [{ doseQuantity: { value: 2, unit: 'mg' } }],
            },
          ],
        },
      ),
      noMedications,
    );
  const SCT = 'http://snomed.info/sct';
  const V3 = 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration';

  it.each([
    // hydromorphone 2 mg every 3 h = 16 mg/day × 5 = 80 MME/day when oral
    ['SNOMED 26643006 Oral route', SCT, '26643006', { kind: 'counted', mmePerDay: 80 }],
    [
      'SNOMED OID 26643006',
      'urn:oid:2.16.840.1.113883.6.96',
      '26643006',
      { kind: 'counted', mmePerDay: 80 },
    ],
    ['v3 PO Swallow, oral', V3, 'PO', { kind: 'counted', mmePerDay: 80 }],
    [
      'SNOMED 47625008 Intravenous route',
      SCT,
      '47625008',
      { kind: 'excluded', reason: 'route-not-counted' },
    ],
    [
      'SNOMED 78421000 Intramuscular route',
      SCT,
      '78421000',
      { kind: 'excluded', reason: 'route-not-counted' },
    ],
    [
      'SNOMED 34206005 Subcutaneous route',
      SCT,
      '34206005',
      { kind: 'excluded', reason: 'route-not-counted' },
    ],
    [
      'SNOMED 37161004 Per rectum',
      SCT,
      '37161004',
      { kind: 'excluded', reason: 'route-not-counted' },
    ],
    [
      'SNOMED 37839007 Sublingual route',
      SCT,
      '37839007',
      { kind: 'excluded', reason: 'route-not-counted' },
    ],
    ['v3 IM Injection, intramuscular', V3, 'IM', { kind: 'excluded', reason: 'route-not-counted' }],
    ['an unknown SNOMED code', SCT, '999999999', { kind: 'unknown', reason: 'route-unknown' }],
  ])('reads a coded route with no display: %s', (_label, system, code, expected) => {
    expect(codedRoute(system, code)).toMatchObject(expected);
  });

  it('does not count buccal fentanyl (no CDC 2022 factor)', () => {
    const result = computeMedicationMme(
      order(RX.fentanylBuccal200, { dosageInstruction: [dosage(1, 'tablet', 4)] }),
      noMedications,
    );
    expect(result).toMatchObject({ kind: 'excluded', reason: 'no-cdc-2022-factor' });
  });
});

describe('intent and setting', () => {
  const oxy = (extra: Partial<MedicationRequest>) =>
    computeMedicationMme(
      order(RX.oxycodone5, { dosageInstruction: [dosage(1, 'tablet', 4)], ...extra }),
      noMedications,
    );

  it.each(['order', 'original-order', 'reflex-order', 'filler-order', 'instance-order'] as const)(
    'counts a request with intent %s',
    (intent) => {
      expect(oxy({ intent })).toMatchObject({ kind: 'counted', mmePerDay: 30 });
    },
  );

  it.each(['proposal', 'plan', 'option'] as const)('shows and does not count a %s', (intent) => {
    const result = oxy({ intent });
    expect(result).toMatchObject({ kind: 'excluded', reason: 'intent-not-an-order' });
    expect(result.explanation).toBe(
      `not counted: the request is a ${intent}, not an order (intent "${intent}")`,
    );
  });

  it('does not count an inpatient order', () => {
    const inpatient = [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
            code: 'inpatient',
          },
        ],
      },
    ];
    expect(oxy({ category: inpatient })).toMatchObject({
      kind: 'excluded',
      reason: 'not-ambulatory',
    });
    expect(
      oxy({
        category: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
                code: 'community',
              },
            ],
          },
        ],
      }),
    ).toMatchObject({ kind: 'counted' });
  });

  it('does not count an inpatient MedicationStatement', () => {
    const result = computeMedicationMme(
      statement(
        { medicationCodeableConcept: rxnorm(RX.oxycodone5) },
        {
          category: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/medication-statement-category',
                code: 'inpatient',
              },
            ],
          },
          dosage: [dosage(1, 'tablet', 4)],
        },
      ),
      noMedications,
    );
    expect(result).toMatchObject({ kind: 'excluded', reason: 'not-ambulatory' });
  });
});

describe('opioid use disorder treatment', () => {
  const methadone = order(RX.methadone10, {
    id: 'methadone',
    dosageInstruction: [dosage(1, 'tablet', 2)],
  });
  const oud = (
    code: string,
    status = 'active',
    system = 'http://hl7.org/fhir/sid/icd-10-cm',
  ): Condition => ({
    resourceType: 'Condition',
    id: 'oud',
    subject: { reference: 'Patient/p1' },
    clinicalStatus: { coding: [{ code: status }] },
    code: { coding: [{ system, code, display: 'Opioid dependence' }] },
  });
  const methadoneResult = (conditions: Condition[]) =>
    computeMmeForResources([methadone, ...conditions]).find((r) => r.id === 'methadone');

  it('counts methadone 10 mg twice daily at 4.7 without an OUD diagnosis: 94 MME/day', () => {
    expect(methadoneResult([])).toMatchObject({ kind: 'counted', mmePerDay: 94 });
  });

  it.each([
    ['opioid dependence, uncomplicated (F11.20)', oud('F11.20')],
    ['opioid dependence in remission (F11.21)', oud('F11.21', 'remission')],
    ['SNOMED opioid dependence (75544000)', oud('75544000', 'active', 'http://snomed.info/sct')],
  ])(
    'treats methadone as OUD treatment with %s on the chart, and says why',
    (_label, condition) => {
      const result = methadoneResult([condition]);
      expect(result).toMatchObject({ kind: 'excluded', reason: 'oud-treatment', mmePerDay: null });
      expect(result?.explanation).toMatch(
        /^not counted: opioid use disorder treatment, not pain MME \(Opioid dependence \(/,
      );
    },
  );

  it('counts methadone again once the disorder is resolved', () => {
    expect(methadoneResult([oud('F11.20', 'resolved')])).toMatchObject({ kind: 'counted' });
  });

  it('leaves the other opioids counted', () => {
    const oxy = order(RX.oxycodone5, { id: 'oxy', dosageInstruction: [dosage(1, 'tablet', 4)] });
    const results = computeMmeForResources([methadone, oxy, oud('F11.20')]);
    expect(results.map((r) => [r.id, r.kind])).toEqual([
      ['methadone', 'excluded'],
      ['oxy', 'counted'],
    ]);
  });
});

describe('every active opioid record left out of the total is named', () => {
  it('lists IV hydromorphone, a proposal, buccal fentanyl and buprenorphine, not ended or non-opioid ones', () => {
    const results = computeMmeForResources([
      order(RX.oxycodone5, { id: 'counted', dosageInstruction: [dosage(1, 'tablet', 4)] }),
      order(HYDROMORPHONE_1MG_PER_ML_INJECTION, {
        id: 'iv',
        dosageInstruction: [
          { ...every3h, doseAndRate: [{ doseQuantity: { value: 1, unit: 'mL' } }] },
        ],
      }),
      order(RX.oxycodone10, {
        id: 'proposal',
        intent: 'proposal',
        dosageInstruction: [dosage(1, 'tablet', 4)],
      }),
      order(RX.fentanylBuccal200, { id: 'buccal', dosageInstruction: [dosage(1, 'tablet', 4)] }),
      order(RX.buprenorphine8Sl, { id: 'bup', dosageInstruction: [dosage(1, 'tablet', 1)] }),
      order(RX.oxycodone5, {
        id: 'ended',
        authoredOn: daysAgo(200),
        dosageInstruction: [dosage(1, 'tablet', 4)],
      }),
      order(ALPRAZOLAM_0_5, { id: 'benzo', dosageInstruction: [dosage(1, 'tablet', 2)] }),
    ]);
    const summary = summariseMme(results, { asOf: AS_OF });
    expect(summary.current).toBe(30);
    expect(summary.notInTotal.records.map((r) => [r.id, r.reason])).toEqual([
      ['iv', 'route-not-counted'],
      ['proposal', 'intent-not-an-order'],
      ['buccal', 'no-cdc-2022-factor'],
      ['bup', 'buprenorphine'],
    ]);
  });
});

describe('risk context (CDC 2022 Recommendations 8 and 11)', () => {
  const FENTANYL_AND_METHADONE = [
    order(RX.fentanyl25Patch, {
      id: 'patch',
      dosageInstruction: [
        {
          timing: { repeat: { frequency: 1, period: 72, periodUnit: 'h' } },
          doseAndRate: [{ doseQuantity: { value: 1, unit: 'patch' } }],
        },
      ],
    }),
    order(RX.methadone10, { id: 'methadone', dosageInstruction: [dosage(1, 'tablet', 2)] }),
  ];

  function context(resources: unknown[]) {
    const results = computeMmeForResources(resources);
    const summary = summariseMme(results, { asOf: AS_OF });
    return opioidRiskContext({
      resources,
      resolve: medicationResolver(resources),
      results,
      summary,
    });
  }

  it('prompts naloxone at 154 MME/day with no naloxone on record, naming the records the dose adds up from', () => {
    const { prompts } = context(FENTANYL_AND_METHADONE);
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatchObject({
      kind: 'offer-naloxone',
      recommendation: 8,
      reasons: [
        {
          kind: 'dose',
          mmePerDay: 154,
          records: [
            { reference: 'MedicationRequest/patch', mmePerDay: 60 },
            { reference: 'MedicationRequest/methadone', mmePerDay: 94 },
          ],
        },
      ],
    });
  });

  it.each([
    [50, true],
    [49.5, false],
  ])('prompts naloxone at %f MME/day: %s (≥ 50, CDC 2022 p14)', (mme, prompted) => {
    const morphine = order(RX.morphine15, {
      dosageInstruction: [
        {
          timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
          doseAndRate: [{ doseQuantity: { value: mme, unit: 'mg' } }],
        },
      ],
    });
    expect(context([morphine]).prompts.length > 0).toBe(prompted);
  });

  it('flags a benzodiazepine taken with opioids, and prompts naloxone for it even at a low dose', () => {
    const tramadol = order(RX.tramadol50, {
      id: 'tramadol',
      dosageInstruction: [dosage(1, 'tablet', 2)],
    });
    const alprazolam = order(ALPRAZOLAM_0_5, {
      id: 'alprazolam',
      dosageInstruction: [dosage(1, 'tablet', 2)],
    });
    const found = context([tramadol, alprazolam]);
    expect(found.prompts.map((p) => p.kind)).toEqual([
      'offer-naloxone',
      'concurrent-benzodiazepine',
    ]);
    expect(found.prompts[1]).toMatchObject({
      recommendation: 11,
      benzodiazepines: [{ reference: 'MedicationRequest/alprazolam', status: 'active' }],
      opioids: [{ reference: 'MedicationRequest/tramadol', mmePerDay: 20 }],
    });
  });

  it('does not flag a benzodiazepine that ended, or one taken without opioids', () => {
    const ended = order(ALPRAZOLAM_0_5, {
      authoredOn: daysAgo(100),
      dosageInstruction: [dosage(1, 'tablet', 2)],
    });
    const tramadol = order(RX.tramadol50, { dosageInstruction: [dosage(1, 'tablet', 2)] });
    expect(context([tramadol, ended]).prompts).toEqual([]);
    const current = order(ALPRAZOLAM_0_5, { dosageInstruction: [dosage(1, 'tablet', 2)] });
    expect(context([current]).prompts).toEqual([]);
  });

  it.each([
    ['a naloxone 4 mg nasal spray', NALOXONE_4MG_NASAL],
    ['a naloxone 0.4 mg/mL injection', '1191222'],
    ['a naloxone 5 mg/0.4 mL auto-injector', '1855730'],
  ])('does not prompt naloxone with %s on record, and names it', (_label, code) => {
    const naloxone = order(code, { id: 'naloxone', authoredOn: isoDate(addMonths(asOfDay, -20)) });
    const found = context([...FENTANYL_AND_METHADONE, naloxone]);
    expect(found.prompts).toEqual([]);
    expect(found.naloxone.map((r) => r.reference)).toEqual(['MedicationRequest/naloxone']);
  });

  // In the CDC naloxone-medications value set, but the naloxone is an abuse deterrent taken with
  // the opioid, not a rescue dose: the patient has no naloxone to reverse an overdose.
  it.each([
    ['buprenorphine/naloxone 8/2 mg film (Suboxone)', SUBOXONE_8_2],
    ['buprenorphine/naloxone 5.7/1.4 mg tablet (Zubsolv)', '1431104'],
    ['buprenorphine/naloxone 4.2/0.7 mg buccal film (Bunavail)', '1544853'],
    ['naloxone 0.5 mg / pentazocine 50 mg tablet', '312289'],
  ])('still prompts naloxone with only %s on record', (_label, code) => {
    const combination = order(code, { id: 'combination' });
    const found = context([...FENTANYL_AND_METHADONE, combination]);
    expect(found.prompts.map((p) => p.kind)).toEqual(['offer-naloxone']);
    expect(found.naloxone).toEqual([]);
  });

  it('takes its 21 naloxone-alone products from the CDC value set (50 codes, 29 combinations)', () => {
    const codes = (set: typeof NALOXONE_MEDICATIONS) => set.codes.flatMap(([, c]) => c);
    const rescue = codes(NALOXONE_RESCUE_MEDICATIONS);
    expect(rescue).toHaveLength(21);
    expect(codes(NALOXONE_MEDICATIONS)).toHaveLength(50);
    expect(rescue.filter((c) => !codes(NALOXONE_MEDICATIONS).includes(c))).toEqual([]);
    expect(rescue.filter((c) => [SUBOXONE_8_2, '1431104', '312289', '351267'].includes(c))).toEqual(
      [],
    );
  });

  it('still prompts when the naloxone record was entered in error or only proposed', () => {
    const wrong = order(NALOXONE_4MG_NASAL, { status: 'entered-in-error' });
    const proposed = order(NALOXONE_4MG_NASAL, { intent: 'proposal' });
    expect(context([...FENTANYL_AND_METHADONE, wrong, proposed]).prompts).toHaveLength(1);
  });

  it('prompts naloxone for an opioid use disorder on the chart', () => {
    const oud: Condition = {
      resourceType: 'Condition',
      id: 'oud',
      subject: { reference: 'Patient/p1' },
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F11.20' }] },
    };
    expect(context([oud]).prompts).toEqual([
      {
        kind: 'offer-naloxone',
        recommendation: 8,
        reasons: [
          {
            kind: 'opioid-use-disorder',
            conditions: [{ reference: 'Condition/oud', code: 'F11.20', display: undefined }],
          },
        ],
      },
    ]);
  });
});
