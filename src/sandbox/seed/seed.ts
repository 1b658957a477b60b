/**
 * The sandbox's synthetic patients, generated at every start with all dates relative to `asOf`.
 * Output is deterministic for a given (asOf, seed): ids are explicit, randomness comes from a
 * seeded PRNG with one stream per patient.
 */
import type { Organization, Practitioner, Questionnaire, Resource } from 'fhir/r4';
import { CANONICAL_BASE, PROGRAMME_ORGANIZATION_ID } from '../../domain/codes/canonical.ts';
import { createClock } from './clock.ts';
import { heavy30k, heavyHistory } from './heavyHistory.ts';
import { opioidTaper } from './opioidTaper.ts';
import pegQuestionnaire from '../../../questionnaires/peg.json' with { type: 'json' };
import screeningQuestionnaire from '../../../questionnaires/clbp-screening.json' with { type: 'json' };
import redFlagEvaluationQuestionnaire from '../../../questionnaires/clbp-red-flag-evaluation.json' with { type: 'json' };
import { FOREIGN_PEG_QUESTIONNAIRE } from './peg.ts';
import { programmeStaff } from './programmeStaff.ts';
import { recruitingCohort } from './programmeReferral.ts';
import { createRng, deriveSeed } from './prng.ts';
import { inProgramme, referredFollowup } from './referredFollowup.ts';
import type { ScenarioContext, ScenarioResult, SeedPatient } from './scenario.ts';
import { opioidBenzo, opioidStopped, redFlagCleared } from './safetyPatients.ts';
import { clbpEligible, clbpRedFlag, fentanylPatch, minor, noBackPain } from './simplePatients.ts';

export type { SeedPatient } from './scenario.ts';

export interface Seed {
  resources: Resource[];
  patients: SeedPatient[];
}

export const DEFAULT_SEED = 20_260_521;

const STAFF_SYSTEM = `${CANONICAL_BASE}/sandbox/staff`;

/** Patient id → its scenario; the id also names the patient's PRNG stream. */
const SCENARIOS: readonly (readonly [string, (ctx: ScenarioContext) => ScenarioResult])[] = [
  ['clbp-eligible', clbpEligible],
  ['clbp-red-flag', clbpRedFlag],
  ['no-back-pain', noBackPain],
  ['opioid-taper', opioidTaper],
  ['fentanyl-patch', fentanylPatch],
  ['referred-followup', referredFollowup],
  ['in-programme', inProgramme],
  ['heavy-history', heavyHistory],
  ['minor', minor],
  ['red-flag-cleared', redFlagCleared],
  ['opioid-benzo', opioidBenzo],
  ['opioid-stopped', opioidStopped],
];

/**
 * The 30,000-resource performance patient, seeded only when asked (`npm start`, the benchmarks,
 * the end-to-end test that opens it): ten times heavy-history would slow every other test's
 * sandbox start and every export of the whole server.
 */
const HEAVY_30K: readonly [string, (ctx: ScenarioContext) => ScenarioResult] = [
  'heavy-30k',
  heavy30k,
];

/** The scenario patients' ids, in the seed's order (tests that visit every sandbox patient). */
export const SCENARIO_PATIENT_IDS: readonly string[] = SCENARIOS.map(([id]) => id);

function staff(): Resource[] {
  const pcp: Practitioner = {
    resourceType: 'Practitioner',
    id: 'pcp-1',
    identifier: [{ system: STAFF_SYSTEM, value: 'pcp-1' }],
    active: true,
    name: [
      { use: 'official', family: 'Morgan', given: ['Elena'], prefix: ['Dr.'], suffix: ['MD'] },
    ],
    telecom: [{ system: 'phone', value: '508-555-0100', use: 'work' }],
    gender: 'female',
    qualification: [{ code: { text: 'Doctor of Medicine (family medicine)' } }],
  };
  const coordinator: Practitioner = {
    resourceType: 'Practitioner',
    id: 'coordinator-1',
    identifier: [{ system: STAFF_SYSTEM, value: 'coordinator-1' }],
    active: true,
    name: [{ use: 'official', family: 'Brooks', given: ['Samuel'] }],
    telecom: [
      { system: 'phone', value: '508-555-0102', use: 'work' },
      { system: 'email', value: 'gmv-coordinator@example.org', use: 'work' },
    ],
    gender: 'male',
    qualification: [{ code: { text: 'Mindfulness group medical visit programme coordinator' } }],
  };
  const programme: Organization = {
    resourceType: 'Organization',
    id: PROGRAMME_ORGANIZATION_ID,
    identifier: [{ system: STAFF_SYSTEM, value: PROGRAMME_ORGANIZATION_ID }],
    active: true,
    type: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/organization-type',
            code: 'prov',
            display: 'Healthcare Provider',
          },
        ],
      },
    ],
    name: 'Mindfulness Group Medical Visits Programme',
    telecom: [{ system: 'phone', value: '508-555-0101', use: 'work' }],
    address: [
      {
        use: 'work',
        line: ['55 Lake Avenue North'],
        city: 'Worcester',
        state: 'MA',
        postalCode: '01655',
        country: 'US',
      },
    ],
  };
  // The app's own Questionnaires too, so the server can resolve the canonicals its responses cite.
  return [
    pcp,
    coordinator,
    programme,
    ...programmeStaff(STAFF_SYSTEM),
    FOREIGN_PEG_QUESTIONNAIRE,
    PEG_QUESTIONNAIRE,
    SCREENING_QUESTIONNAIRE,
    RED_FLAG_EVALUATION_QUESTIONNAIRE,
  ];
}

/**
 * Generates every sandbox resource and the patient list.
 *
 * @param opts.asOf - the sandbox's "today"; every date is whole days before asOf's UTC day
 *   (birth dates included), so the data never ages. Throws on an invalid Date.
 * @param opts.seed - PRNG seed (default DEFAULT_SEED); same asOf and seed give deep-equal output.
 * @param opts.heavy30k - also seed the 30,000-resource patient `heavy-30k` (default false).
 */
const PEG_QUESTIONNAIRE = pegQuestionnaire as Questionnaire;
const SCREENING_QUESTIONNAIRE = screeningQuestionnaire as Questionnaire;
const RED_FLAG_EVALUATION_QUESTIONNAIRE = redFlagEvaluationQuestionnaire as Questionnaire;

export function generateSeed(opts: { asOf: Date; seed?: number; heavy30k?: boolean }): Seed {
  const clock = createClock(opts.asOf);
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) {
    throw new Error(`generateSeed: seed must be an integer, got ${String(seed)}`);
  }
  const resources: Resource[] = [...staff(), ...recruitingCohort(clock)];
  const patients: SeedPatient[] = [];
  const scenarios = opts.heavy30k === true ? [...SCENARIOS, HEAVY_30K] : SCENARIOS;
  for (const [id, scenario] of scenarios) {
    const result = scenario({ clock, rng: createRng(deriveSeed(seed, id)) });
    if (result.patient.id !== id) {
      throw new Error(`Scenario ${id} produced patient ${result.patient.id}`);
    }
    patients.push(result.patient);
    resources.push(...result.resources);
  }
  return { resources, patients };
}
