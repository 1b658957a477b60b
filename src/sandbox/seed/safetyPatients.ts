/**
 * The clinical-safety scenarios (issue 10): a chart red flag a clinician has cleared; an opioid
 * dose of at least 50 MME/day with a benzodiazepine and no naloxone; an opioid stopped abruptly
 * after two years. The screening and the clearance are written by the app's own writers.
 */
import type { QuestionnaireResponse } from 'fhir/r4';
import { RED_FLAGS, SCREENING_LINK_IDS } from '../../domain/screening/screening.ts';
import { clearanceResponse } from '../../fhir/clearanceWrite.ts';
import { screeningResponse } from '../../fhir/screeningWrite.ts';
import { CLINIC_MINUTES, instantAgo, yearsInDays } from './clock.ts';
import { CONDITIONS, DRUGS } from './codes.ts';
import { buildCondition, buildPatient } from './fhirBuilders.ts';
import { buildMedicationRequest, buildMedicationStatement } from './medications.ts';
import { ourPeg } from './peg.ts';
import { pegContext, type ScenarioContext, type ScenarioResult } from './scenario.ts';
import { ELIGIBLE_SCREENING_ANSWERS } from './screening.ts';

const minute = (ctx: ScenarioContext) => ctx.rng.int(CLINIC_MINUTES.first, CLINIC_MINUTES.last);

const CANCER_QUESTION = RED_FLAGS.find((flag) => flag.key === 'cancerOrWeightLoss');

/**
 * A resolved basal cell carcinoma (C44.311) is a history of cancer, a red flag. The clinician
 * screened the patient (answering "history of cancer": yes, truthfully) and the next day recorded
 * that the finding was evaluated and does not preclude the programme, citing the Condition and
 * the screening. Eligible, with the clearance shown: who, when and the note.
 */
export function redFlagCleared(ctx: ScenarioContext): ScenarioResult {
  const id = 'red-flag-cleared';
  const peg = [6, 5, 6] as const;
  const screeningId = `${id}-screening`;
  const conditionId = `${id}-bcc`;
  const screeningAuthored = instantAgo(ctx.clock, 25, minute(ctx));
  const clearedAuthored = instantAgo(ctx.clock, 24, minute(ctx));
  const screening: QuestionnaireResponse = {
    id: screeningId,
    ...screeningResponse({
      submissionId: `${screeningId}-submission`,
      context: { patientId: id, enterer: 'Practitioner/pcp-1', encounter: undefined },
      authored: screeningAuthored,
      answers: {
        ...ELIGIBLE_SCREENING_ANSWERS,
        [CANCER_QUESTION?.linkId ?? SCREENING_LINK_IDS.redFlagGroup]: {
          kind: 'boolean',
          value: true,
        },
      },
    }),
  };
  const clearance = clearanceResponse({
    submissionId: `${id}-clearance-submission`,
    context: { patientId: id, enterer: 'Practitioner/pcp-1', encounter: undefined },
    authored: clearedAuthored,
    note: 'Basal cell carcinoma of the nose excised 3 years ago, no recurrence at dermatology follow-up: does not preclude the group programme.',
    findings: [
      { redFlag: 'cancer-history', records: [`Condition/${conditionId}`] },
      { redFlag: 'cancerOrWeightLoss', records: [`QuestionnaireResponse/${screeningId}`] },
    ],
  });
  return {
    patient: {
      id,
      name: 'Margaret Lindqvist',
      scenario:
        'Chronic low back pain; a resolved basal cell carcinoma (C44.311) on the chart, evaluated by a clinician and cleared',
    },
    resources: [
      buildPatient(ctx.clock, {
        id,
        mrn: 'SBX-100009',
        given: ['Margaret', 'Anne'],
        family: 'Lindqvist',
        gender: 'female',
        ageYears: 63,
        birthdayDaysAgo: 200,
        line: '9 Harvard Street',
        city: 'Worcester',
        state: 'MA',
        postalCode: '01609',
        phone: '508-555-0176',
      }),
      buildCondition(ctx.clock, {
        id: `${id}-clbp`,
        patientId: id,
        codes: CONDITIONS.chronicLowBackPain,
        onsetDaysAgo: yearsInDays(3),
      }),
      buildCondition(ctx.clock, {
        id: conditionId,
        patientId: id,
        codes: CONDITIONS.basalCellCarcinomaNose,
        onsetDaysAgo: yearsInDays(4),
        abatedDaysAgo: yearsInDays(3),
      }),
      screening,
      {
        ...clearance,
        id: `${id}-clearance`,
        author: { reference: 'Practitioner/pcp-1', display: 'Dr. Elena Morgan' },
        source: { reference: 'Practitioner/pcp-1', display: 'Dr. Elena Morgan' },
      },
      ...ourPeg(
        pegContext(ctx, id),
        { response: `${id}-peg-qr-1`, observation: `${id}-peg-1` },
        18,
        peg,
      ),
    ],
  };
}

/**
 * Oxycodone 10 mg four times a day (40 mg × 1.5 = 60 MME/day) with alprazolam 0.5 mg twice a day,
 * and no naloxone on record: the naloxone prompt (≥ 50 MME/day and a benzodiazepine; CDC 2022
 * Recommendation 8) and the concurrent benzodiazepine flag (Recommendation 11).
 */
export function opioidBenzo(ctx: ScenarioContext): ScenarioResult {
  const id = 'opioid-benzo';
  const peg = [7, 6, 7] as const;
  return {
    patient: {
      id,
      name: 'Victor Castillo',
      scenario:
        'Chronic low back pain on oxycodone 10 mg four times a day for two years and alprazolam 0.5 mg twice a day; no naloxone on record',
    },
    resources: [
      buildPatient(ctx.clock, {
        id,
        mrn: 'SBX-100010',
        given: ['Victor'],
        family: 'Castillo',
        gender: 'male',
        ageYears: 58,
        birthdayDaysAgo: 33,
        line: '77 Penn Avenue',
        city: 'Pittsburgh',
        state: 'PA',
        postalCode: '15222',
        phone: '412-555-0190',
      }),
      buildCondition(ctx.clock, {
        id: `${id}-clbp`,
        patientId: id,
        codes: CONDITIONS.chronicLowBackPain,
        onsetDaysAgo: yearsInDays(6),
      }),
      buildMedicationStatement(ctx.clock, {
        id: `${id}-oxycodone`,
        patientId: id,
        source: { kind: 'concept' },
        dosage: {
          drug: DRUGS.oxycodone10,
          text: '1 tablet by mouth four times a day',
          unitsPerDose: 1,
          timing: { code: 'QID' },
        },
        startDaysAgo: yearsInDays(2),
      }),
      buildMedicationRequest(ctx.clock, {
        id: `${id}-alprazolam`,
        patientId: id,
        dosage: {
          drug: DRUGS.alprazolam0_5,
          text: '1 tablet by mouth twice a day',
          unitsPerDose: 1,
          timing: { code: 'BID' },
        },
        authoredDaysAgo: 20,
        minuteOfDay: minute(ctx),
        status: 'active',
        supply: { quantity: 60, days: 30 },
        validDays: 90,
      }),
      ...ourPeg(
        pegContext(ctx, id),
        { response: `${id}-peg-qr-1`, observation: `${id}-peg-1` },
        10,
        peg,
      ),
    ],
  };
}

/** Days before asOf of the last day hydrocodone was taken (the stop is the day after). */
export const OPIOID_STOPPED_LAST_DAY_AGO = 21;

/**
 * Two years of hydrocodone/acetaminophen 10 mg four times a day (40 MME/day), stopped at once 21
 * days ago: "Stopped", 40 → 0 over the last month, faster than the guideline's usual taper.
 */
export function opioidStopped(ctx: ScenarioContext): ScenarioResult {
  const id = 'opioid-stopped';
  const peg = [8, 7, 7] as const;
  return {
    patient: {
      id,
      name: 'Denise Okoro',
      scenario:
        'Chronic low back pain; hydrocodone/acetaminophen 10 mg four times a day for two years, stopped at once 21 days ago',
    },
    resources: [
      buildPatient(ctx.clock, {
        id,
        mrn: 'SBX-100011',
        given: ['Denise'],
        family: 'Okoro',
        gender: 'female',
        ageYears: 49,
        birthdayDaysAgo: 310,
        line: '15 Duke Street',
        city: 'Durham',
        state: 'NC',
        postalCode: '27701',
        phone: '919-555-0134',
      }),
      buildCondition(ctx.clock, {
        id: `${id}-clbp`,
        patientId: id,
        codes: CONDITIONS.chronicLowBackPain,
        onsetDaysAgo: yearsInDays(5),
      }),
      buildMedicationStatement(ctx.clock, {
        id: `${id}-hydrocodone`,
        patientId: id,
        source: { kind: 'concept' },
        dosage: {
          drug: DRUGS.hydrocodoneApap10,
          text: '1 tablet by mouth four times a day',
          unitsPerDose: 1,
          timing: { code: 'QID' },
        },
        startDaysAgo: yearsInDays(2),
        endDaysAgo: OPIOID_STOPPED_LAST_DAY_AGO,
      }),
      ...ourPeg(
        pegContext(ctx, id),
        { response: `${id}-peg-qr-1`, observation: `${id}-peg-1` },
        7,
        peg,
      ),
    ],
  };
}
