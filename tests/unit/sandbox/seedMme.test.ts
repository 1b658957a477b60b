import type { Medication, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { computeMedicationMme, totalMmePerDay } from '../../../src/domain/mme/mme.ts';
import { generateSeed } from '../../../src/sandbox/seed/seed.ts';

const seed = generateSeed({ asOf: new Date('2026-11-21T19:35:00Z') });
const AS_OF_DAY = '2026-11-21';

function results(patientId: string) {
  const medications = new Map(
    seed.resources
      .filter((r): r is Medication => r.resourceType === 'Medication')
      .map((m) => [`Medication/${m.id ?? ''}`, m]),
  );
  const mine = seed.resources.filter(
    (r: Resource) =>
      (r.resourceType === 'MedicationStatement' || r.resourceType === 'MedicationRequest') &&
      (r as { subject?: { reference?: string } }).subject?.reference === `Patient/${patientId}`,
  );
  return mine.map((r) => computeMedicationMme(r, (ref) => medications.get(ref)));
}

describe('the app’s MME engine reads the designed doses from the seed', () => {
  it.each([
    ['clbp-eligible', [40], 40],
    ['opioid-taper', [120, 90, 60, 45, 40, 30], 30],
    ['fentanyl-patch', [60, 94], 154],
    ['no-back-pain', [], 0],
  ])('%s: MME/day per medication %j, %d on the sandbox day', (patientId, perMedication, today) => {
    const all = results(patientId);
    expect(all.map((r) => r.mmePerDay)).toEqual(perMedication);
    expect(totalMmePerDay(all, AS_OF_DAY)).toBe(today);
  });

  it('heavy-history counts 15 MME/day today from its active hydrocodone order, never gabapentin or ibuprofen', () => {
    const all = results('heavy-history');
    expect(all.filter((r) => r.kind === 'unknown')).toEqual([]);
    expect(new Set(all.filter((r) => r.kind === 'counted').map((r) => r.mmePerDay))).toEqual(
      new Set([15]),
    );
    expect(all.filter((r) => r.kind === 'excluded').length).toBe(68);
    expect(totalMmePerDay(all, AS_OF_DAY)).toBe(15);
  });
});
