/**
 * The small scenarios: an eligible patient, a red flag, no back pain, a minor, and a fentanyl
 * patch with methadone. Each keeps to the facts its scenario needs.
 */
import { CLINIC_MINUTES, yearsInDays } from './clock.ts';
import { CONDITIONS, DRUGS } from './codes.ts';
import { buildCondition, buildPatient } from './fhirBuilders.ts';
import { buildMedicationRequest } from './medications.ts';
import { foreignPeg, itemPegObservations, ourPeg } from './peg.ts';
import { pegContext, type ScenarioContext, type ScenarioResult } from './scenario.ts';

const minute = (ctx: ScenarioContext) => ctx.rng.int(CLINIC_MINUTES.first, CLINIC_MINUTES.last);

export function clbpEligible(ctx: ScenarioContext): ScenarioResult {
  const id = 'clbp-eligible';
  const peg = pegContext(ctx, id);
  const earlier = [6, 6, 6] as const;
  const latest = [7, 6, 6] as const;
  // Tramadol 50 mg, 1 tablet every 6 h as needed, max 4/day: counted at its maximum,
  // 4 × 50 mg = 200 mg/day × 0.2 (CDC 2022) = 40 MME/day.
  return {
    patient: {
      id,
      name: 'Dolores Reyes',
      scenario:
        'Adult (54) with chronic low back pain for 2 years, two PEGs around 6, low-dose tramadol, no red flag',
    },
    resources: [
      buildPatient(ctx.clock, {
        id,
        mrn: 'SBX-100001',
        given: ['Dolores', 'Ann'],
        family: 'Reyes',
        gender: 'female',
        ageYears: 54,
        birthdayDaysAgo: 143,
        line: '14 Elm Park Road',
        city: 'Worcester',
        state: 'MA',
        postalCode: '01609',
        phone: '508-555-0141',
      }),
      buildCondition(ctx.clock, {
        id: `${id}-clbp`,
        patientId: id,
        codes: CONDITIONS.chronicLowBackPain,
        onsetDaysAgo: yearsInDays(2),
      }),
      ...ourPeg(peg, { response: `${id}-peg-qr-1`, observation: `${id}-peg-1` }, 100, earlier),
      ...ourPeg(peg, { response: `${id}-peg-qr-2`, observation: `${id}-peg-2` }, 12, latest),
      buildMedicationRequest(ctx.clock, {
        id: `${id}-tramadol`,
        patientId: id,
        dosage: {
          drug: DRUGS.tramadol50,
          text: '1 tablet by mouth every 6 hours as needed for pain, max 4 tablets a day',
          unitsPerDose: 1,
          timing: { code: 'Q6H' },
          asNeeded: { maxUnitsPerDay: 4 },
        },
        authoredDaysAgo: 12,
        minuteOfDay: minute(ctx),
        status: 'active',
        supply: { quantity: 120, days: 30 },
        validDays: 180,
      }),
    ],
  };
}

export function clbpRedFlag(ctx: ScenarioContext): ScenarioResult {
  const id = 'clbp-red-flag';
  const peg = pegContext(ctx, id);
  const earlier = [6, 5, 5] as const;
  const latest = [6, 6, 5] as const;
  return {
    patient: {
      id,
      name: 'Walter Kowalski',
      scenario: 'Chronic low back pain with a history of prostate cancer (resolved): a red flag',
    },
    resources: [
      buildPatient(ctx.clock, {
        id,
        mrn: 'SBX-100002',
        given: ['Walter', 'James'],
        family: 'Kowalski',
        gender: 'male',
        ageYears: 67,
        birthdayDaysAgo: 41,
        line: '220 Carson Street',
        city: 'Pittsburgh',
        state: 'PA',
        postalCode: '15203',
        phone: '412-555-0117',
      }),
      buildCondition(ctx.clock, {
        id: `${id}-clbp`,
        patientId: id,
        codes: CONDITIONS.chronicLowBackPain,
        onsetDaysAgo: yearsInDays(3),
      }),
      buildCondition(ctx.clock, {
        id: `${id}-prostate-cancer`,
        patientId: id,
        codes: CONDITIONS.prostateCancer,
        onsetDaysAgo: yearsInDays(6),
        abatedDaysAgo: yearsInDays(4),
      }),
      ...itemPegObservations(peg, `${id}-peg-item-1`, 95, earlier, 'integer'),
      ...ourPeg(peg, { response: `${id}-peg-qr-2`, observation: `${id}-peg-2` }, 20, latest),
    ],
  };
}

export function noBackPain(ctx: ScenarioContext): ScenarioResult {
  const id = 'no-back-pain';
  return {
    patient: {
      id,
      name: 'Miriam Adeyemi',
      scenario: 'Adult (45) with hypertension only',
    },
    resources: [
      buildPatient(ctx.clock, {
        id,
        mrn: 'SBX-100003',
        given: ['Miriam'],
        family: 'Adeyemi',
        gender: 'female',
        ageYears: 45,
        birthdayDaysAgo: 290,
        line: '8 Alston Avenue',
        city: 'Durham',
        state: 'NC',
        postalCode: '27701',
        phone: '919-555-0163',
      }),
      buildCondition(ctx.clock, {
        id: `${id}-hypertension`,
        patientId: id,
        codes: CONDITIONS.hypertension,
        onsetDaysAgo: yearsInDays(5),
      }),
    ],
  };
}

export function minor(ctx: ScenarioContext): ScenarioResult {
  const id = 'minor';
  const answers = [5, 5, 4] as const;
  return {
    patient: {
      id,
      name: 'Jordan Pike',
      scenario: '16-year-old with low back pain for 8 months',
    },
    resources: [
      buildPatient(ctx.clock, {
        id,
        mrn: 'SBX-100008',
        given: ['Jordan', 'Lee'],
        family: 'Pike',
        gender: 'male',
        ageYears: 16,
        birthdayDaysAgo: 120,
        line: '31 Tremont Street',
        city: 'Boston',
        state: 'MA',
        postalCode: '02108',
        phone: '617-555-0188',
      }),
      buildCondition(ctx.clock, {
        id: `${id}-lbp`,
        patientId: id,
        codes: CONDITIONS.lowBackPain,
        onsetDaysAgo: 240,
      }),
      ...ourPeg(
        pegContext(ctx, id),
        { response: `${id}-peg-qr-1`, observation: `${id}-peg-1` },
        30,
        answers,
      ),
    ],
  };
}

/**
 * Designed MME/day (CDC 2022 factors): fentanyl 25 mcg/hr patch × 2.4 = 60; methadone 10 mg
 * twice daily = 20 mg/day × 4.7 = 94; total 154.
 */
export function fentanylPatch(ctx: ScenarioContext): ScenarioResult {
  const id = 'fentanyl-patch';
  const answers = [7, 7, 7] as const;
  return {
    patient: {
      id,
      name: 'Linda Haskins',
      scenario:
        'Chronic low back pain on a fentanyl 25 mcg/hr patch plus methadone 10 mg twice daily (MedicationRequests)',
    },
    resources: [
      buildPatient(ctx.clock, {
        id,
        mrn: 'SBX-100005',
        given: ['Linda', 'Marie'],
        family: 'Haskins',
        gender: 'female',
        ageYears: 61,
        birthdayDaysAgo: 77,
        line: '402 Main Street',
        city: 'Springfield',
        state: 'MA',
        postalCode: '01103',
        phone: '413-555-0129',
      }),
      buildCondition(ctx.clock, {
        id: `${id}-clbp`,
        patientId: id,
        codes: CONDITIONS.chronicLowBackPain,
        onsetDaysAgo: yearsInDays(4),
      }),
      foreignPeg(pegContext(ctx, id), `${id}-peg-acme-1`, 15, answers),
      buildMedicationRequest(ctx.clock, {
        id: `${id}-fentanyl`,
        patientId: id,
        dosage: {
          drug: DRUGS.fentanylPatch25,
          text: 'Apply 1 patch to the skin every 72 hours; remove the old patch',
          unitsPerDose: 1,
          timing: { repeat: { frequency: 1, period: 72, periodUnit: 'h' } },
        },
        authoredDaysAgo: 10,
        minuteOfDay: minute(ctx),
        status: 'active',
        supply: { quantity: 10, days: 30 },
        validDays: 30,
      }),
      buildMedicationRequest(ctx.clock, {
        id: `${id}-methadone`,
        patientId: id,
        dosage: {
          drug: DRUGS.methadone10,
          text: '1 tablet by mouth twice daily',
          unitsPerDose: 1,
          timing: { code: 'BID' },
        },
        authoredDaysAgo: 10,
        minuteOfDay: minute(ctx),
        status: 'active',
        supply: { quantity: 60, days: 30 },
        validDays: 30,
      }),
    ],
  };
}
