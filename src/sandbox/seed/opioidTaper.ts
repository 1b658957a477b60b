/**
 * Two years of opioid MedicationStatements coming down from 120 to 30 MME/day, naming the drug in
 * all three ways (code, Medication resource, contained Medication) and the timing both as a
 * GTSAbbreviation code and as a bare repeat.
 */
import type { Resource } from 'fhir/r4';
import { yearsInDays } from './clock.ts';
import { CONDITIONS, DRUGS } from './codes.ts';
import { buildCondition, buildMedication, buildPatient, type DosageSpec } from './fhirBuilders.ts';
import { buildMedicationStatement, type MedicationSource } from './medications.ts';
import { scoreOnlyPeg } from './peg.ts';
import { pegContext, type ScenarioContext, type ScenarioResult } from './scenario.ts';

const ID = 'opioid-taper';

interface TaperStep {
  /** Designed MME/day = mg per unit × units per day × CDC 2022 factor. */
  mmePerDay: number;
  /** The step starts this many days before asOf and lasts until the next step starts. */
  startDaysAgo: number;
  source: MedicationSource;
  dosage: DosageSpec;
}

/**
 * The taper, oldest first; each step lasts until the day before the next. Slow for the first 18
 * months, then a step a month (60 → 45 → 40 → 30): each of the last three month-on-month changes
 * falls by more than 10%, so the trajectory is "decreasing", faster than the CDC 2022 usual taper.
 *  1. morphine ER 60 mg BID:        120 mg × 1   = 120
 *  2. morphine ER 30 mg TID:         90 mg × 1   =  90
 *  3. oxycodone ER 20 mg q12h:       40 mg × 1.5 =  60
 *  4. oxycodone 10 mg 3×/day:        30 mg × 1.5 =  45
 *  5. hydrocodone/APAP 10 mg QID:    40 mg × 1   =  40
 *  6. hydrocodone/APAP 7.5 mg QID:   30 mg × 1   =  30 (current)
 */
export const OPIOID_TAPER_STEPS: readonly TaperStep[] = [
  {
    mmePerDay: 120,
    startDaysAgo: 730,
    source: { kind: 'concept' },
    dosage: {
      drug: DRUGS.morphineEr60,
      text: '1 tablet by mouth twice daily',
      unitsPerDose: 1,
      timing: { code: 'BID' },
    },
  },
  {
    mmePerDay: 90,
    startDaysAgo: 365,
    source: { kind: 'reference', medicationId: `${ID}-med-morphine-er-30` },
    dosage: {
      drug: DRUGS.morphineEr30,
      text: '1 TAB PO TID',
      unitsPerDose: 1,
      timing: { code: 'TID' },
      unitLabel: 'TAB',
    },
  },
  {
    mmePerDay: 60,
    startDaysAgo: 180,
    source: { kind: 'contained' },
    dosage: {
      drug: DRUGS.oxycodoneEr20,
      text: '1 tablet by mouth every 12 hours',
      unitsPerDose: 1,
      timing: { repeat: { frequency: 1, period: 12, periodUnit: 'h' } },
    },
  },
  {
    mmePerDay: 45,
    startDaysAgo: 75,
    source: { kind: 'concept' },
    dosage: {
      drug: DRUGS.oxycodone10,
      text: '1 tablet by mouth three times a day',
      unitsPerDose: 1,
      timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd' } },
    },
  },
  {
    mmePerDay: 40,
    startDaysAgo: 45,
    source: { kind: 'reference', medicationId: `${ID}-med-hydrocodone-apap-10` },
    dosage: {
      drug: DRUGS.hydrocodoneApap10,
      text: '1 TAB PO QID',
      unitsPerDose: 1,
      timing: { code: 'QID' },
      unitLabel: 'TAB',
    },
  },
  {
    mmePerDay: 30,
    startDaysAgo: 15,
    source: { kind: 'contained' },
    dosage: {
      drug: DRUGS.hydrocodoneApap7_5,
      text: '1 tablet by mouth four times a day',
      unitsPerDose: 1,
      timing: { code: 'QID' },
    },
  },
];

export function opioidTaper(ctx: ScenarioContext): ScenarioResult {
  const statements = OPIOID_TAPER_STEPS.map((step, i) => {
    const { startDaysAgo } = step;
    const next = OPIOID_TAPER_STEPS[i + 1];
    return buildMedicationStatement(ctx.clock, {
      id: `${ID}-statement-${String(i + 1)}`,
      patientId: ID,
      source: step.source,
      dosage: step.dosage,
      startDaysAgo,
      ...(next === undefined ? {} : { endDaysAgo: next.startDaysAgo + 1 }),
    });
  });
  const medications: Resource[] = OPIOID_TAPER_STEPS.flatMap((step) =>
    step.source.kind === 'reference'
      ? [buildMedication(step.source.medicationId, step.dosage.drug)]
      : [],
  );
  const peg = pegContext(ctx, ID);
  const earlier = [7, 6, 6] as const;
  const latest = [5, 5, 4] as const;
  return {
    patient: {
      id: ID,
      name: 'Raymond Tessier',
      scenario:
        'Chronic low back pain; two years of opioid MedicationStatements coming down from 120 to 30 MME/day',
    },
    resources: [
      buildPatient(ctx.clock, {
        id: ID,
        mrn: 'SBX-100004',
        given: ['Raymond'],
        family: 'Tessier',
        gender: 'male',
        ageYears: 58,
        birthdayDaysAgo: 201,
        line: '77 Pleasant Street',
        city: 'Lowell',
        state: 'MA',
        postalCode: '01852',
        phone: '978-555-0152',
      }),
      buildCondition(ctx.clock, {
        id: `${ID}-clbp`,
        patientId: ID,
        codes: CONDITIONS.chronicLowBackPain,
        onsetDaysAgo: yearsInDays(5),
      }),
      ...medications,
      ...statements,
      scoreOnlyPeg(peg, `${ID}-peg-1`, 400, earlier),
      scoreOnlyPeg(peg, `${ID}-peg-2`, 25, latest),
    ],
  };
}
