import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MedicationMmeResult } from '../../../src/domain/mme/mme.ts';
import {
  computeMedicationMme,
  computeMmeForResources,
  medicationResolver,
  mmeTimeline,
  opioidRiskContext,
  summariseMme,
} from '../../../src/domain/mme/mme.ts';
import { RX, RXNORM } from './builders.ts';

/** Anything JSON can hold, with FHIR-ish keys mixed in so the engine's paths are reached. */
const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer({ min: -5, max: 200 }),
  fc.constantFrom(
    '',
    'abc',
    'mg',
    'TAB',
    '{tbl}',
    'mL',
    'ug/h',
    'd',
    'h',
    'wk',
    'NaN',
    '-1',
    '1e309',
  ),
  fc.constant([]),
  fc.constant({}),
);

const quantity = fc.record(
  {
    value: fc.oneof(fc.double(), fc.integer({ min: -3, max: 500 }), junk),
    unit: fc.oneof(
      fc.constantFrom(
        'tablet',
        'TAB',
        '{tbl}',
        'mL',
        'mg',
        'mcg',
        'ug/h',
        'patch',
        'd',
        'h',
        'spoon',
      ),
      junk,
    ),
    code: fc.oneof(fc.constantFrom('mg', 'mL', '{tbl}', 'd', 'h', 'wk', 'mo'), junk),
  },
  { requiredKeys: [] },
);

const timing = fc.record(
  {
    repeat: fc.oneof(
      fc.record(
        {
          frequency: fc.oneof(fc.integer({ min: -2, max: 12 }), junk),
          frequencyMax: fc.oneof(fc.integer({ min: 0, max: 12 }), junk),
          period: fc.oneof(fc.double({ min: -1, max: 100 }), junk),
          periodMax: fc.oneof(fc.double({ min: 0, max: 100 }), junk),
          periodUnit: fc.oneof(fc.constantFrom('s', 'min', 'h', 'd', 'wk', 'mo', 'a', 'x'), junk),
          timeOfDay: fc.oneof(fc.array(fc.string(), { maxLength: 4 }), junk),
          boundsPeriod: fc.oneof(
            fc.record({ start: fc.oneof(fc.string(), junk), end: fc.oneof(fc.string(), junk) }),
            junk,
          ),
        },
        { requiredKeys: [] },
      ),
      junk,
    ),
    code: fc.oneof(
      fc.record(
        {
          coding: fc.array(
            fc.record({
              code: fc.oneof(
                fc.constantFrom('BID', 'Q4H', 'Q0H', 'Q-1H', 'QOD', 'TID'),
                fc.string(),
                junk,
              ),
            }),
            { maxLength: 2 },
          ),
          text: fc.oneof(fc.string(), junk),
        },
        { requiredKeys: [] },
      ),
      junk,
    ),
  },
  { requiredKeys: [] },
);

const dosage = fc.oneof(
  fc.record(
    {
      sequence: fc.oneof(fc.integer({ min: 0, max: 3 }), junk),
      text: fc.oneof(fc.string(), junk),
      asNeededBoolean: fc.oneof(fc.boolean(), junk),
      timing: fc.oneof(timing, junk),
      doseAndRate: fc.oneof(
        fc.array(
          fc.record(
            {
              doseQuantity: fc.oneof(quantity, junk),
              doseRange: fc.oneof(
                fc.record({ low: quantity, high: quantity }, { requiredKeys: [] }),
                junk,
              ),
              rateQuantity: fc.oneof(quantity, junk),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
        junk,
      ),
      maxDosePerPeriod: fc.oneof(
        fc.record({ numerator: quantity, denominator: quantity }, { requiredKeys: [] }),
        junk,
      ),
      maxDosePerAdministration: fc.oneof(quantity, junk),
    },
    { requiredKeys: [] },
  ),
  junk,
);

const concept = fc.oneof(
  fc.record(
    {
      coding: fc.oneof(
        fc.array(
          fc.record(
            {
              system: fc.oneof(fc.constant(RXNORM), fc.string(), junk),
              code: fc.oneof(fc.constantFrom(...Object.values(RX), '9999999'), fc.string(), junk),
              display: fc.oneof(
                fc.constantFrom(
                  'oxycodone hydrochloride 5 MG Oral Tablet',
                  '72 HR fentanyl 0.025 MG/HR Transdermal System',
                  '1 MG / MG',
                ),
                fc.string(),
                junk,
              ),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
        junk,
      ),
      text: fc.oneof(
        fc.string(),
        fc.constantFrom(
          'acetaminophen 325 MG / hydrocodone bitartrate 5 MG Oral Tablet',
          'oxycodone',
        ),
        junk,
      ),
    },
    { requiredKeys: [] },
  ),
  junk,
);

const medication = fc.record(
  {
    resourceType: fc.oneof(fc.constant('Medication'), junk),
    id: fc.oneof(fc.constantFrom('m1', 'm2'), junk),
    code: concept,
    form: concept,
    ingredient: fc.oneof(
      fc.array(
        fc.record(
          {
            itemCodeableConcept: concept,
            strength: fc.oneof(
              fc.record({ numerator: quantity, denominator: quantity }, { requiredKeys: [] }),
              junk,
            ),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      junk,
    ),
  },
  { requiredKeys: [] },
);

const resource = fc.record(
  {
    resourceType: fc.oneof(fc.constantFrom('MedicationStatement', 'MedicationRequest'), junk),
    id: fc.oneof(fc.string(), junk),
    status: fc.oneof(
      fc.constantFrom('active', 'completed', 'stopped', 'on-hold', 'entered-in-error'),
      junk,
    ),
    medicationCodeableConcept: concept,
    medicationReference: fc.oneof(
      fc.record(
        {
          reference: fc.oneof(fc.constantFrom('#m1', 'Medication/m2', 'Medication/none'), junk),
          display: fc.oneof(fc.string(), junk),
        },
        { requiredKeys: [] },
      ),
      junk,
    ),
    contained: fc.oneof(fc.array(medication, { maxLength: 2 }), junk),
    dosage: fc.oneof(fc.array(dosage, { maxLength: 3 }), dosage),
    dosageInstruction: fc.oneof(fc.array(dosage, { maxLength: 3 }), dosage),
    dispenseRequest: fc.oneof(
      fc.record(
        {
          quantity,
          expectedSupplyDuration: quantity,
          numberOfRepeatsAllowed: junk,
          validityPeriod: junk,
        },
        { requiredKeys: [] },
      ),
      junk,
    ),
    effectivePeriod: fc.oneof(
      fc.record(
        {
          start: fc.oneof(fc.constantFrom('2026-01-01', '2026-02-30', '2026'), fc.string(), junk),
          end: fc.oneof(fc.string(), junk),
        },
        { requiredKeys: [] },
      ),
      junk,
    ),
    effectiveDateTime: fc.oneof(fc.constantFrom('2026-03-04T10:00:00-07:00', 'yesterday'), junk),
    authoredOn: fc.oneof(fc.constantFrom('2025-12-01', '2025-13-01'), fc.string(), junk),
    intent: fc.oneof(fc.constantFrom('order', 'proposal', 'plan', 'instance-order'), junk),
    category: fc.oneof(fc.array(concept, { maxLength: 2 }), concept, junk),
    doNotPerform: fc.oneof(fc.boolean(), junk),
  },
  { requiredKeys: [] },
);

/** Conditions, some of them opioid use disorders (F11.20, SNOMED 75544000), many malformed. */
const condition = fc.record(
  {
    resourceType: fc.oneof(fc.constant('Condition'), junk),
    id: fc.oneof(fc.string(), junk),
    clinicalStatus: fc.oneof(
      fc.record({ coding: fc.array(fc.record({ code: fc.oneof(fc.string(), junk) })) }),
      junk,
    ),
    code: fc.oneof(
      fc.record({
        coding: fc.oneof(
          fc.array(
            fc.record(
              {
                system: fc.oneof(
                  fc.constantFrom('http://hl7.org/fhir/sid/icd-10-cm', 'http://snomed.info/sct'),
                  junk,
                ),
                code: fc.oneof(fc.constantFrom('F11.20', 'f1120', '75544000'), fc.string(), junk),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 2 },
          ),
          junk,
        ),
      }),
      junk,
    ),
  },
  { requiredKeys: [] },
);

function isSound(result: MedicationMmeResult): boolean {
  const numbers = result.ingredients.flatMap((i) => [i.dailyDose, i.factor, i.mmePerDay]);
  const finite = numbers.every((n) => n === null || (Number.isFinite(n) && n >= 0));
  switch (result.kind) {
    case 'counted':
      return (
        finite &&
        Number.isFinite(result.mmePerDay) &&
        result.mmePerDay >= 0 &&
        !result.explanation.includes('NaN')
      );
    case 'excluded':
    case 'unknown':
      // Read as unknown: the types promise null, the test checks the runtime value.
      return (
        finite &&
        (result.mmePerDay as unknown) === null &&
        typeof result.reason === 'string' &&
        result.reason.length > 0 &&
        result.explanation !== ''
      );
  }
}

describe('the MME engine on malformed input', () => {
  it('never throws and always gives a finite MME or a reason', () => {
    fc.assert(
      fc.property(resource, fc.array(medication, { maxLength: 2 }), (input, medications) => {
        const result = computeMedicationMme(input, medicationResolver(medications));
        expect(isSound(result)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts values that are not objects at all', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(computeMedicationMme(input, () => undefined)).toMatchObject({
          kind: 'unknown',
          reason: 'not-a-medication-resource',
        });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the timeline and summary finite for any results', () => {
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 20 }), (inputs) => {
        const results = inputs.map((input) => computeMedicationMme(input, () => undefined));
        const series = mmeTimeline(results, {
          from: '2025-11-01',
          to: '2026-03-31',
          asOf: '2026-02-15',
        });
        expect(series).toHaveLength(151);
        expect(series.every((p) => Number.isFinite(p.mmePerDay) && p.mmePerDay >= 0)).toBe(true);
        const summary = summariseMme(results, { asOf: '2026-02-15' });
        expect(
          Number.isFinite(summary.current) && Number.isFinite(summary.change90d.difference),
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps OUD treatment, the trajectory, the left-out list and the risk prompts sound', () => {
    fc.assert(
      fc.property(
        fc.array(resource, { maxLength: 12 }),
        fc.array(condition, { maxLength: 3 }),
        (inputs, conditions) => {
          const resources = [...inputs, ...conditions];
          const results = computeMmeForResources(resources);
          expect(results.every(isSound)).toBe(true);
          const summary = summariseMme(results, { asOf: '2026-02-15' });
          const windows =
            summary.trajectory.kind === 'no-opioids' ? [] : summary.trajectory.windows;
          expect(
            windows.every((w) => w.percentPerMonth === null || Number.isFinite(w.percentPerMonth)),
          ).toBe(true);
          expect(summary.notInTotal.count).toBe(summary.notInTotal.records.length);
          const risk = opioidRiskContext({
            resources,
            resolve: medicationResolver(resources),
            results,
            summary,
          });
          expect(Array.isArray(risk.prompts)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
