/**
 * Synthetic research cohort for `clbp outcomes` and `npm run sandbox -- --cohort <n>`: n patients,
 * about half referred to the mindfulness group-visit programme (ServiceRequest + completed Task),
 * each with PEG at baseline, week 8, month 6 and month 12 in varied FHIR shapes, some with opioid
 * MedicationStatements, and a Group of the referred patients.
 *
 * The PEG changes are drawn from STATED effects (default: OPTIMUM's published mean changes,
 * clinical.md). Items are integers 0–10 (rounded and clamped), so the realised mean change of a
 * cohort differs from the generating one by rounding and by clamping at 0 and 10 (which pulls
 * large drops from low baselines towards zero) as well as by sampling error.
 */
import type {
  Group,
  MedicationStatement,
  Observation,
  Patient,
  Resource,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import {
  MINDFULNESS_GMV_CODE,
  PATHWAY_CODE_SYSTEM,
  PROGRAMME_ORGANIZATION_ID,
} from '../domain/codes/canonical.ts';
import type { FollowUpId } from '../domain/pathway/followUp.ts';
import type { Clock } from './seed/clock.ts';
import { createClock, dateAgo, instantAgo, yearsInDays } from './seed/clock.ts';
import type { DrugCode } from './seed/codes.ts';
import { DRUGS, REFERRAL_CATEGORY, SYSTEM } from './seed/codes.ts';
import { MRN_SYSTEM, PCP, ref } from './seed/fhirBuilders.ts';
import { buildMedicationStatement } from './seed/medications.ts';
import type { PegAnswers, PegContext } from './seed/peg.ts';
import { itemPegObservations, ourPeg, pegScore } from './seed/peg.ts';
import type { Rng } from './seed/prng.ts';
import { createRng, deriveSeed } from './seed/prng.ts';
import { REFERRAL_SERVICE_TEXT } from '../domain/pathway/referral.ts';
import { eligibleScreening } from './seed/screening.ts';

export type ArmEffects = Readonly<Record<FollowUpId, number>>;

export interface CohortEffects {
  /** Generating mean PEG change from baseline, referred arm. */
  readonly referred: ArmEffects;
  /** Generating mean PEG change from baseline, not-referred arm. */
  readonly notReferred: ArmEffects;
  /** SD of one patient's change at each time point (both arms). */
  readonly individualSd: number;
  /** Share of opioid users whose dose is stepped down after baseline, by arm (illustrative). */
  readonly opioidStepDownShare: { readonly referred: number; readonly notReferred: number };
  /** Share of patients with no PEG at each time point, by arm (illustrative attrition). */
  readonly missingFollowUp: {
    readonly referred: ArmEffects;
    readonly notReferred: ArmEffects;
  };
}

/**
 * OPTIMUM's mean changes (JAMA Intern Med 2026; clinical.md): week 8 −1.16 vs −0.27, month 6
 * −1.21 vs −0.59, month 12 −1.52 vs −0.78. The individual SD of 2.0 is this generator's choice,
 * back-calculated from the trial's 95% CIs (half-width ≈ 0.39 with ~225 per arm ⇒ SE ≈ 0.20 ⇒
 * SD ≈ 0.20 / √(2/225) ≈ 2.1). The opioid step-down shares and the missing follow-ups (more in
 * the comparison arm, growing with time) are illustrative only (no trial source); missingness is
 * at random, so complete-case estimates stay unbiased and the attrition columns are exercised.
 */
export const OPTIMUM_EFFECTS: CohortEffects = {
  referred: { week8: -1.16, month6: -1.21, month12: -1.52 },
  notReferred: { week8: -0.27, month6: -0.59, month12: -0.78 },
  individualSd: 2.0,
  opioidStepDownShare: { referred: 0.6, notReferred: 0.2 },
  missingFollowUp: {
    referred: { week8: 0.08, month6: 0.15, month12: 0.2 },
    notReferred: { week8: 0.12, month6: 0.2, month12: 0.28 },
  },
};

export interface CohortOptions {
  readonly n: number;
  readonly asOf: Date;
  readonly seed?: number;
  readonly effects?: CohortEffects;
}

export interface Cohort {
  readonly resources: Resource[];
  readonly groupId: string;
  readonly effects: CohortEffects & { readonly differences: ArmEffects };
}

export const COHORT_GROUP_ID = 'clbp-cohort-referred';
const DEFAULT_SEED = 20_260_401;
/** Follow-ups: nominal day after baseline and the ± jitter of real visits. */
const FOLLOW_UPS: readonly { id: FollowUpId; day: number; jitter: number }[] = [
  { id: 'week8', day: 56, jitter: 7 },
  { id: 'month6', day: 183, jitter: 14 },
  { id: 'month12', day: 365, jitter: 14 },
];
/** Baseline 380–730 days before asOf: every follow-up (≤ day 379) is at least a day in the past. */
const BASELINE_DAYS_AGO = { min: 380, max: 730 } as const;
const REFERRAL_MINUTE = 23 * 60 + 30;

/**
 * RxNorm 1049621 "oxycodone hydrochloride 5 MG Oral Tablet" (CDC OMTK extract of RxNorm
 * 2020-10-20, checked at development time; Apache-2.0, NLM attribution as in seed/codes.ts).
 */
const OXYCODONE_5: DrugCode = {
  rxcui: '1049621',
  name: 'oxycodone hydrochloride 5 MG Oral Tablet',
  ingredient: { rxcui: '7804', name: 'Oxycodone' },
  strength: { value: 5, unit: 'mg' },
  unit: 'tablet',
};
type Frequency = 'QID' | 'TID' | 'BID';
const REGIMENS: readonly { drug: DrugCode; timing: Frequency }[] = [
  { drug: OXYCODONE_5, timing: 'QID' },
  { drug: DRUGS.oxycodone10, timing: 'BID' },
  { drug: DRUGS.tramadol50, timing: 'TID' },
  { drug: DRUGS.hydrocodoneApap5, timing: 'QID' },
  { drug: DRUGS.morphineEr30, timing: 'BID' },
];
const STEP_DOWN: Readonly<Record<Frequency, Frequency | undefined>> = {
  QID: 'TID',
  TID: 'BID',
  BID: undefined,
};
const OPIOID_SHARE = 0.35;

/** The whole cohort in memory (fine up to some 100,000 patients; see cohortResources). */
export function generateCohort(options: CohortOptions): Cohort {
  const effects = options.effects ?? OPTIMUM_EFFECTS;
  return {
    resources: [...cohortResources(options)],
    groupId: COHORT_GROUP_ID,
    effects: {
      ...effects,
      differences: {
        week8: effects.referred.week8 - effects.notReferred.week8,
        month6: effects.referred.month6 - effects.notReferred.month6,
        month12: effects.referred.month12 - effects.notReferred.month12,
      },
    },
  };
}

/** The same resources one at a time (the Group last), for writing very large cohorts. */
export function* cohortResources(options: CohortOptions): Generator<Resource> {
  if (!Number.isInteger(options.n) || options.n < 1) {
    throw new Error(`generateCohort: n must be a positive whole number, got ${String(options.n)}`);
  }
  const clock = createClock(options.asOf);
  const seed = options.seed ?? DEFAULT_SEED;
  const effects = options.effects ?? OPTIMUM_EFFECTS;
  const members: string[] = [];
  for (let i = 1; i <= options.n; i += 1) {
    const id = `cohort-${String(i).padStart(7, '0')}`;
    const rng = createRng(deriveSeed(seed, id));
    const referred = rng.next() < 0.5;
    if (referred) {
      members.push(id);
    }
    yield* patientResources({ clock, rng, patientId: id }, referred, effects);
  }
  const group: Group = {
    resourceType: 'Group',
    id: COHORT_GROUP_ID,
    type: 'person',
    actual: true,
    name: 'Synthetic cohort: referred to mindfulness group medical visits',
    quantity: members.length,
    member: members.map((id) => ({ entity: ref('Patient', id) })),
  };
  yield group;
}

function* patientResources(
  ctx: PegContext,
  referred: boolean,
  effects: CohortEffects,
): Generator<Resource> {
  const { rng, clock, patientId } = ctx;
  const baselineDaysAgo = rng.int(BASELINE_DAYS_AGO.min, BASELINE_DAYS_AGO.max);
  yield patient(clock, rng, patientId);
  // Screened (the app's own screening: eligible) a few days before the baseline PEG.
  yield eligibleScreening(
    `${patientId}-screening`,
    patientId,
    instantAgo(clock, baselineDaysAgo + rng.int(1, 10), 10 * 60),
  );
  const baseline = pegItems(rng, clampScore(6 + 1.4 * normal(rng)), 0.7);
  const baselineScore = pegScore(baseline);
  yield* pegResources(ctx, 'baseline', baselineDaysAgo, baseline);
  if (referred) {
    yield* referral(clock, rng, patientId, baselineDaysAgo);
  }
  const arm = referred ? effects.referred : effects.notReferred;
  const missing = referred ? effects.missingFollowUp.referred : effects.missingFollowUp.notReferred;
  for (const followUp of FOLLOW_UPS) {
    const change = arm[followUp.id] + effects.individualSd * normal(rng);
    const daysAgo = baselineDaysAgo - followUp.day - rng.int(-followUp.jitter, followUp.jitter);
    const items = pegItems(rng, baselineScore + change, 0.5);
    // Drawn whether or not the PEG is kept, so the other patients' data stay the same.
    if (rng.next() >= missing[followUp.id]) {
      yield* pegResources(ctx, followUp.id, daysAgo, items);
    }
  }
  if (rng.next() < OPIOID_SHARE) {
    const share = referred
      ? effects.opioidStepDownShare.referred
      : effects.opioidStepDownShare.notReferred;
    yield* opioids(clock, rng, patientId, baselineDaysAgo, rng.next() < share);
  }
}

function patient(clock: Clock, rng: Rng, id: string): Patient {
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ system: MRN_SYSTEM, value: `COH-${id.slice(-7)}` }],
    active: true,
    name: [{ use: 'official', family: 'Cohort', given: [`Synthetic ${id.slice(-7)}`] }],
    gender: rng.next() < 0.7 ? 'female' : 'male',
    birthDate: dateAgo(clock, yearsInDays(rng.int(25, 80)) + rng.int(0, 364)),
    generalPractitioner: [PCP],
  };
}

/** One administration in one of four shapes an EHR may hold. */
function pegResources(
  ctx: PegContext,
  label: string,
  daysAgo: number,
  answers: PegAnswers,
): Resource[] {
  const ids = {
    response: `${ctx.patientId}-peg-qr-${label}`,
    observation: `${ctx.patientId}-peg-${label}`,
  };
  const shape = ctx.rng.next();
  if (shape < 0.9) {
    const [response, observation] = ourPeg(ctx, ids, daysAgo, answers);
    if (shape < 0.45) {
      return [response, observation];
    }
    if (shape < 0.7) {
      return [response];
    }
    // A score Observation on its own (e.g. from a flowsheet): nothing to derive from.
    const standalone: Observation = { ...observation };
    delete standalone.derivedFrom;
    return [standalone];
  }
  return itemPegObservations(
    ctx,
    ids.observation,
    daysAgo,
    answers,
    shape < 0.95 ? 'integer' : 'quantity',
  );
}

function* referral(
  clock: Clock,
  rng: Rng,
  patientId: string,
  daysAgo: number,
): Generator<Resource> {
  const authoredOn = instantAgo(clock, daysAgo, REFERRAL_MINUTE);
  const request: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: `${patientId}-referral`,
    status: rng.next() < 0.8 ? 'completed' : 'active',
    intent: 'order',
    category: [{ coding: [REFERRAL_CATEGORY] }],
    code: {
      coding: [{ system: PATHWAY_CODE_SYSTEM, code: MINDFULNESS_GMV_CODE }],
      text: REFERRAL_SERVICE_TEXT,
    },
    subject: ref('Patient', patientId),
    occurrencePeriod: { start: dateAgo(clock, daysAgo - 7), end: dateAgo(clock, daysAgo - 63) },
    authoredOn,
    requester: PCP,
    performer: [ref('Organization', PROGRAMME_ORGANIZATION_ID)],
  };
  const task: Task = {
    resourceType: 'Task',
    id: `${patientId}-referral-task`,
    status: 'completed',
    intent: 'order',
    code: { coding: [{ system: SYSTEM.taskCode, code: 'fulfill' }] },
    focus: ref('ServiceRequest', `${patientId}-referral`),
    for: ref('Patient', patientId),
    authoredOn,
    lastModified: instantAgo(clock, daysAgo - 63, REFERRAL_MINUTE),
    requester: PCP,
    owner: ref('Organization', PROGRAMME_ORGANIZATION_ID),
  };
  yield request;
  yield task;
}

function* opioids(
  clock: Clock,
  rng: Rng,
  patientId: string,
  baselineDaysAgo: number,
  stepDown: boolean,
): Generator<MedicationStatement> {
  const regimen = rng.pick(REGIMENS);
  const startDaysAgo = baselineDaysAgo + rng.int(90, 700);
  const lower = stepDown ? STEP_DOWN[regimen.timing] : undefined;
  const changeDaysAgo = baselineDaysAgo - rng.int(30, 150);
  const dosage = (timing: Frequency) => ({
    drug: regimen.drug,
    text: `1 ${regimen.drug.unit} by mouth ${timing}`,
    unitsPerDose: 1,
    timing: { code: timing },
  });
  yield buildMedicationStatement(clock, {
    id: `${patientId}-opioid-1`,
    patientId,
    source: { kind: 'concept' },
    dosage: dosage(regimen.timing),
    startDaysAgo,
    ...(stepDown ? { endDaysAgo: changeDaysAgo + 1 } : {}),
  });
  if (lower !== undefined) {
    yield buildMedicationStatement(clock, {
      id: `${patientId}-opioid-2`,
      patientId,
      source: { kind: 'concept' },
      dosage: dosage(lower),
      startDaysAgo: changeDaysAgo,
    });
  }
}

/** Three integer items 0–10 scattered around a target score. */
function pegItems(rng: Rng, target: number, itemSd: number): PegAnswers {
  const item = (): number => Math.min(10, Math.max(0, Math.round(target + itemSd * normal(rng))));
  return [item(), item(), item()];
}

/**
 * Baseline scores are drawn around 6 (SD 1.4, a generator choice) and kept within 3.3–9.7, so
 * every patient has at least the moderate interference (PEG ≥ 3) the programme enrols.
 */
function clampScore(value: number): number {
  return Math.min(9.7, Math.max(3.3, value));
}

/** Standard normal deviate (Box–Muller). */
function normal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
