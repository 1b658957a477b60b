import type { Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { evaluatePathway } from '../../../src/domain/pathway/pathway.ts';
import { pathwayRecord } from '../../../src/domain/pathway/record.ts';
import { chartFromResources, patientOf } from '../../../src/fhir/pathwayChart.ts';
import { generateSeed } from '../../../src/sandbox/seed/seed.ts';

const AS_OF = new Date('2026-11-21T19:35:00Z');
const seed = generateSeed({ asOf: AS_OF });
const shared = seed.resources.filter(
  (r) => r.resourceType === 'Questionnaire' || r.resourceType === 'Medication',
);

function recordOf(id: string) {
  const own: Resource[] = seed.resources.filter((r) => patientOf(r) === id);
  return pathwayRecord(id, evaluatePathway(chartFromResources([...own, ...shared]), AS_OF));
}

describe("the pathway record's red flags come from the eligibility findings", () => {
  it('names the chart finding of a cancer history that needs evaluation, not urgent', () => {
    const record = recordOf('clbp-red-flag');
    expect(record.state).toBe('needs-evaluation');
    expect(record.redFlags).toEqual([
      expect.objectContaining({
        code: 'C61',
        source: 'Condition/clbp-red-flag-prostate-cancer',
        urgent: false,
        urgency: 'evaluate',
        cleared: false,
      }),
    ]);
  });

  it('keeps a red flag a clinician cleared, marked cleared, and lets the patient be eligible', () => {
    const record = recordOf('red-flag-cleared');
    expect(record.state).toBe('eligible');
    expect(record.redFlags.length).toBeGreaterThan(0);
    expect(record.redFlags.every((f) => f.cleared && !f.urgent)).toBe(true);
    expect(record.redFlags.map((f) => f.source)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Condition\//),
        expect.stringMatching(/^answer QuestionnaireResponse\//),
      ]),
    );
  });
});

describe("the pathway record's dose trajectory and risk prompts come from the MME engine", () => {
  it('prompts naloxone and flags the benzodiazepine, each naming the alprazolam record', () => {
    const record = recordOf('opioid-benzo');
    expect(record.mme).toMatchObject({
      current: 60,
      trajectory: 'stable',
      fasterThanGuideline: false,
    });
    const alprazolam = record.prompts.find((p) => p.kind === 'benzodiazepine')?.basis ?? [];
    expect(alprazolam).toHaveLength(1);
    expect(alprazolam[0]).toMatch(/^MedicationRequest\//);
    const naloxone = record.prompts.find((p) => p.kind === 'naloxone');
    expect(naloxone?.recommendation).toBe(8);
    expect(naloxone?.basis).toEqual(expect.arrayContaining([alprazolam[0]]));
  });

  it('prompts naloxone at 154 MME/day, resting on the counted patch and methadone orders', () => {
    const record = recordOf('fentanyl-patch');
    expect(record.mme?.current).toBe(154);
    expect(record.prompts).toEqual([
      {
        kind: 'naloxone',
        recommendation: 8,
        basis: [
          expect.stringMatching(/^MedicationRequest\//),
          expect.stringMatching(/^MedicationRequest\//),
        ],
      },
    ]);
  });

  it('marks a stop as faster than the usual taper, with no prompt', () => {
    const record = recordOf('opioid-stopped');
    expect(record.mme).toEqual({
      current: 0,
      trajectory: 'stopped',
      percentPerMonth: -33.33,
      fasterThanGuideline: true,
    });
    expect(record.prompts).toEqual([]);
  });
});

describe('the pathway record says who entered a PEG', () => {
  it("a PEG the patient answered on the portal (the response's author is the Patient)", () => {
    expect(recordOf('fentanyl-patch').peg).toMatchObject({
      latest: 7,
      latestReportedBy: 'patient-reported',
      baseline: null,
      baselineReportedBy: null,
    });
  });

  it('PEGs a clinician entered (author a Practitioner), the latest and the baseline', () => {
    expect(recordOf('referred-followup').peg).toMatchObject({
      latestReportedBy: 'recorded in clinic',
      baselineReportedBy: 'recorded in clinic',
    });
  });
});
