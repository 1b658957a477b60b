/**
 * Two patients referred to the group visits, with the programme's record of them: one who
 * completed the programme about five months ago with month 6 due now, one in it today.
 */
import type { Task } from 'fhir/r4';
import { PROGRAMME_ORGANIZATION_ID } from '../../domain/codes/canonical.ts';
import { FOLLOW_UP_TIME_POINTS, timePointWindow } from '../../domain/pathway/followUp.ts';
import { pegRequestTask } from '../../domain/pathway/pegRequest.ts';
import { CLINIC_MINUTES, dateAgo, instantAgo, yearsInDays, type Clock } from './clock.ts';
import { CONDITIONS } from './codes.ts';
import { buildCondition, buildPatient } from './fhirBuilders.ts';
import { ourPeg } from './peg.ts';
import { eligibleScreening } from './screening.ts';
import { programmeReferral } from './programmeReferral.ts';
import { pegContext, type ScenarioContext, type ScenarioResult } from './scenario.ts';

const ID = 'referred-followup';
/** ~6.6 months: month 6 after the programme start fell due about 10 days before asOf. */
export const REFERRAL_DAYS_AGO = 200;
/** The first group session, a week after the referral. */
const START_DAYS_AGO = REFERRAL_DAYS_AGO - 7;
const WEEK_8_DAYS_AGO = START_DAYS_AGO - 56;

/**
 * The programme's request that the patient answer the month-6 PEG (pegRequest.ts), made when its
 * window opened: what the patient sees as "Month 6 check-in due" in the patient mode.
 */
function month6Request(clock: Clock): Task {
  const point = FOLLOW_UP_TIME_POINTS.find((p) => p.id === 'month6');
  if (point === undefined) {
    throw new Error('no month-6 time point');
  }
  const window = timePointWindow(dateAgo(clock, START_DAYS_AGO), point);
  const opened = Math.round(
    (clock.dayStart - Date.parse(`${window.start}T00:00:00Z`)) / 86_400_000,
  );
  return {
    ...pegRequestTask({
      patientId: ID,
      referral: `ServiceRequest/${ID}-referral`,
      timePoint: 'month6',
      window,
      authoredOn: instantAgo(clock, opened, 16 * 60),
      requester: `Organization/${PROGRAMME_ORGANIZATION_ID}`,
    }),
    id: `${ID}-peg-request-month6`,
  };
}

export function referredFollowup(ctx: ScenarioContext): ScenarioResult {
  const peg = pegContext(ctx, ID);
  const baseline = ourPeg(
    peg,
    { response: `${ID}-peg-qr-baseline`, observation: `${ID}-peg-baseline` },
    REFERRAL_DAYS_AGO,
    [7, 7, 6],
  );
  const week8 = ourPeg(
    peg,
    { response: `${ID}-peg-qr-week8`, observation: `${ID}-peg-week8` },
    WEEK_8_DAYS_AGO,
    [6, 5, 5],
  );
  return {
    patient: {
      id: ID,
      name: 'Anita Desai',
      scenario: `Chronic low back pain, referred ${String(REFERRAL_DAYS_AGO)} days ago; attended 7 of 8 group sessions (programme completed); baseline and week-8 PEG on file; a month-6 PEG check-in request to the patient`,
    },
    resources: [
      buildPatient(ctx.clock, {
        id: ID,
        mrn: 'SBX-100006',
        given: ['Anita'],
        family: 'Desai',
        gender: 'female',
        ageYears: 49,
        birthdayDaysAgo: 12,
        line: '5 Salisbury Street',
        city: 'Worcester',
        state: 'MA',
        postalCode: '01608',
        phone: '508-555-0176',
      }),
      buildCondition(ctx.clock, {
        id: `${ID}-clbp`,
        patientId: ID,
        codes: CONDITIONS.chronicLowBackPain,
        onsetDaysAgo: yearsInDays(3),
      }),
      // Screened at the visit that referred them, before its PEG and the referral.
      eligibleScreening(
        `${ID}-screening`,
        ID,
        instantAgo(ctx.clock, REFERRAL_DAYS_AGO, CLINIC_MINUTES.first),
      ),
      ...baseline,
      ...week8,
      ...programmeReferral(ctx, {
        patientId: ID,
        referralDaysAgo: REFERRAL_DAYS_AGO,
        taskStatus: 'completed',
        startDaysAgo: START_DAYS_AGO,
        attendedWeeks: [0, 1, 2, 3, 5, 6, 7],
        endDaysAgo: START_DAYS_AGO - 49,
        supportingInfo: [
          `QuestionnaireResponse/${ID}-screening`,
          `Observation/${baseline[1].id ?? ''}`,
        ],
        cohort: { id: 'cohort-completed', completed: true },
      }),
      month6Request(ctx.clock),
    ],
  };
}

export function inProgramme(ctx: ScenarioContext): ScenarioResult {
  const id = 'in-programme';
  const baseline = ourPeg(
    pegContext(ctx, id),
    { response: `${id}-peg-qr-baseline`, observation: `${id}-peg-baseline` },
    49,
    [7, 6, 6],
  );
  return {
    patient: {
      id,
      name: 'Marcus Bell',
      scenario:
        'Chronic low back pain, referred 7 weeks ago; first group session 5 weeks ago, 5 of 8 sessions attended; baseline PEG at the referral',
    },
    resources: [
      buildPatient(ctx.clock, {
        id,
        mrn: 'SBX-100009',
        given: ['Marcus'],
        family: 'Bell',
        gender: 'male',
        ageYears: 58,
        birthdayDaysAgo: 200,
        line: '77 Pleasant Street',
        city: 'Worcester',
        state: 'MA',
        postalCode: '01609',
        phone: '508-555-0193',
      }),
      buildCondition(ctx.clock, {
        id: `${id}-clbp`,
        patientId: id,
        codes: CONDITIONS.chronicLowBackPain,
        onsetDaysAgo: yearsInDays(6),
      }),
      eligibleScreening(`${id}-screening`, id, instantAgo(ctx.clock, 49, CLINIC_MINUTES.first)),
      ...baseline,
      ...programmeReferral(ctx, {
        patientId: id,
        referralDaysAgo: 49,
        taskStatus: 'in-progress',
        startDaysAgo: 35,
        attendedWeeks: [0, 1, 2, 3, 4],
        supportingInfo: [
          `QuestionnaireResponse/${id}-screening`,
          `Observation/${baseline[1].id ?? ''}`,
        ],
        cohort: { id: 'cohort-running', completed: false },
      }),
    ],
  };
}
