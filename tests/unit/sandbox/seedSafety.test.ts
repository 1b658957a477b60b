/**
 * The sandbox's clinical-safety patients say what the README promises, read through the app's own
 * domain code: the cleared red flag, the benzodiazepine with ≥ 50 MME/day and no naloxone, the
 * abrupt stop, and the naloxone prompt at 154 MME/day.
 */
import type {
  Condition,
  Observation,
  Patient,
  Questionnaire,
  QuestionnaireResponse,
  Resource,
} from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { addDays, isoDate, localDayIndex } from '../../../src/domain/fhir-primitives/dates.ts';
import {
  computeMmeForResources,
  medicationResolver,
  opioidRiskContext,
  summariseMme,
} from '../../../src/domain/mme/mme.ts';
import { readClearanceResponse } from '../../../src/domain/screening/clearance.ts';
import { evaluateEligibility } from '../../../src/domain/screening/eligibility.ts';
import { readScreeningResponse } from '../../../src/domain/screening/screening.ts';
import { readPegRecords } from '../../../src/domain/peg/records.ts';
import { OPIOID_STOPPED_LAST_DAY_AGO } from '../../../src/sandbox/seed/safetyPatients.ts';
import { generateSeed } from '../../../src/sandbox/seed/seed.ts';

const AS_OF = new Date('2026-11-21T19:35:00Z');
const seed = generateSeed({ asOf: AS_OF });
const day = isoDate(localDayIndex(AS_OF));

function chart(patientId: string): Resource[] {
  const ref = `Patient/${patientId}`;
  return seed.resources.filter(
    (r) =>
      (r.resourceType === 'Patient' && r.id === patientId) ||
      (r as { subject?: { reference?: string } }).subject?.reference === ref,
  );
}

function eligibility(patientId: string) {
  const resources = chart(patientId);
  const of = <T extends Resource>(type: T['resourceType']) =>
    resources.filter((r): r is T => r.resourceType === type);
  const responses = of<QuestionnaireResponse>('QuestionnaireResponse');
  const questionnaires = seed.resources.filter(
    (r): r is Questionnaire => r.resourceType === 'Questionnaire',
  );
  const pegs = readPegRecords(responses, of<Observation>('Observation'), questionnaires);
  return evaluateEligibility({
    asOf: AS_OF,
    birthDate: of<Patient>('Patient')[0]?.birthDate,
    conditions: of<Condition>('Condition'),
    screenings: responses
      .map(readScreeningResponse)
      .flatMap((r) => (r.kind === 'screening' ? [r.answers] : [])),
    clearances: responses
      .map(readClearanceResponse)
      .flatMap((r) => (r.kind === 'clearance' ? [r.clearance] : [])),
    observations: of<Observation>('Observation'),
    latestPeg: pegs.history.at(-1),
  });
}

function opioids(patientId: string) {
  const resources = [
    ...chart(patientId),
    ...seed.resources.filter((r) => r.resourceType === 'Medication'),
  ];
  const results = computeMmeForResources(resources);
  const summary = summariseMme(results, { asOf: day });
  const risk = opioidRiskContext({
    resources,
    resolve: medicationResolver(resources),
    results,
    summary,
  });
  return { summary, risk };
}

describe('the clinical-safety sandbox patients', () => {
  it('red-flag-cleared: eligible, its cancer history cleared by Dr. Elena Morgan 24 days ago', () => {
    const result = eligibility('red-flag-cleared');
    expect(result.verdict).toBe('eligible');
    expect(result.redFlags.map((f) => [f.id, f.status])).toEqual([
      ['cancerOrWeightLoss', 'cleared'],
      ['cancer-history', 'cleared'],
    ]);
    expect(result.redFlags[1]?.clearance).toMatchObject({
      authorName: 'Dr. Elena Morgan',
      note: expect.stringContaining('Basal cell carcinoma') as unknown,
    });
  });

  it('clbp-red-flag: still needs evaluation (its prostate cancer has not been cleared)', () => {
    expect(eligibility('clbp-red-flag').verdict).toBe('needs-evaluation');
  });

  it('opioid-benzo: 60 MME/day, a naloxone prompt for the dose and the benzodiazepine, and the Rec 11 flag', () => {
    const { summary, risk } = opioids('opioid-benzo');
    expect(summary.current).toBe(60);
    expect(risk.prompts.map((p) => p.kind)).toEqual([
      'offer-naloxone',
      'concurrent-benzodiazepine',
    ]);
    expect(risk.prompts[0]).toMatchObject({
      reasons: [{ kind: 'dose', mmePerDay: 60 }, { kind: 'benzodiazepine' }],
    });
    expect(risk.benzodiazepines.map((b) => b.label)).toEqual(['alprazolam 0.5 MG Oral Tablet']);
  });

  it('opioid-stopped: stopped 21 days ago after two years, faster than the usual taper', () => {
    const { summary } = opioids('opioid-stopped');
    expect(summary.current).toBe(0);
    expect(summary.trajectory).toMatchObject({
      kind: 'stopped',
      fasterThanUsualTaper: true,
      lastMmePerDay: 40,
      lastDay: isoDate(addDays(localDayIndex(AS_OF), -OPIOID_STOPPED_LAST_DAY_AGO)),
      daysTakenAtLeast: true,
    });
  });

  it('fentanyl-patch: a naloxone prompt at 154 MME/day, from the patch and the methadone', () => {
    expect(opioids('fentanyl-patch').risk.prompts).toEqual([
      {
        kind: 'offer-naloxone',
        recommendation: 8,
        reasons: [
          {
            kind: 'dose',
            mmePerDay: 154,
            records: [
              expect.objectContaining({ mmePerDay: 60 }),
              expect.objectContaining({ mmePerDay: 94 }),
            ],
          },
        ],
      },
    ]);
  });

  it('opioid-taper: decreasing, faster than the usual taper over the last month (40 → 30)', () => {
    expect(opioids('opioid-taper').summary.trajectory).toMatchObject({
      kind: 'decreasing',
      fasterThanUsualTaper: true,
    });
  });
});
