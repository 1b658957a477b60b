/**
 * A patient referred to the group visits about seven months ago: ServiceRequest + Task as the app
 * writes them, baseline and week-8 PEG on file, month 6 due now.
 */
import type { ServiceRequest, Task } from 'fhir/r4';
import { PROGRAMME_ORGANIZATION_ID } from '../../domain/codes/canonical.ts';
import { referralEntries } from '../../fhir/referralWrite.ts';
import { dateAgo, instantAgo, yearsInDays } from './clock.ts';
import { CONDITIONS } from './codes.ts';
import { buildCondition, buildPatient, PCP, ref } from './fhirBuilders.ts';
import { ourPeg, pegScore } from './peg.ts';
import { fmt, pegContext, type ScenarioContext, type ScenarioResult } from './scenario.ts';

const ID = 'referred-followup';
/** ~6.6 months: month 6 after the baseline (≈182 days) fell due about 2–3 weeks before asOf. */
export const REFERRAL_DAYS_AGO = 200;
const WEEK_8_DAYS_AGO = REFERRAL_DAYS_AGO - 56;
/** After every PEG minute of the day (clinic hours end at 23:00 UTC). */
const REFERRAL_MINUTE = 23 * 60 + 30;

export const GMV_SERVICE_TEXT =
  'Mindfulness group medical visits for chronic low back pain — 8 weekly telehealth sessions';

export function referredFollowup(ctx: ScenarioContext): ScenarioResult {
  const peg = pegContext(ctx, ID);
  const baseline = [7, 7, 6] as const;
  const week8 = [6, 5, 5] as const;
  const [baselineResponse, baselineObservation] = ourPeg(
    peg,
    { response: `${ID}-peg-qr-baseline`, observation: `${ID}-peg-baseline` },
    REFERRAL_DAYS_AGO,
    baseline,
  );
  const week8Peg = ourPeg(
    peg,
    { response: `${ID}-peg-qr-week8`, observation: `${ID}-peg-week8` },
    WEEK_8_DAYS_AGO,
    week8,
  );
  const authoredOn = instantAgo(ctx.clock, REFERRAL_DAYS_AGO, REFERRAL_MINUTE);
  // Built by the app's own referral builder, then stored as the EHR would have them (ids
  // assigned, the Task's focus resolved) and moved on by the programme (Task in progress).
  const [requestEntry, taskEntry] = referralEntries({
    submissionId: ctx.rng.uuid(),
    context: { patientId: ID, enterer: PCP.reference, encounter: undefined },
    programme: `Organization/${PROGRAMME_ORGANIZATION_ID}`,
    authoredOn,
    reason: `Condition/${ID}-clbp`,
    supportingInfo: [`Observation/${baselineObservation.id ?? ''}`],
    note: '',
    preferredStart: dateAgo(ctx.clock, REFERRAL_DAYS_AGO),
  });
  const serviceRequest = {
    ...(requestEntry?.resource as ServiceRequest),
    id: `${ID}-referral`,
  };
  const task: Task = {
    ...(taskEntry?.resource as Task),
    id: `${ID}-referral-task`,
    status: 'in-progress',
    focus: ref('ServiceRequest', serviceRequest.id),
    lastModified: instantAgo(ctx.clock, REFERRAL_DAYS_AGO - 9, REFERRAL_MINUTE),
  };
  return {
    patient: {
      id: ID,
      name: 'Anita Desai',
      scenario: `Chronic low back pain, referred ${String(REFERRAL_DAYS_AGO)} days (~7 months) ago; baseline and week-8 PEG on file`,
      expected: `Already referred (${String(REFERRAL_DAYS_AGO)} days ago; ServiceRequest active, Task in-progress with the programme): no new referral offered. PEG baseline ${fmt(pegScore(baseline))} → week 8 ${fmt(pegScore(week8))} (−${fmt(pegScore(baseline) - pegScore(week8))}, at least the 1-point MCID). Month-6 PEG due now; month 12 later.`,
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
      baselineResponse,
      baselineObservation,
      ...week8Peg,
      serviceRequest,
      task,
    ],
  };
}
