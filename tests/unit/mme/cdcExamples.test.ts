import { describe, expect, it } from 'vitest';
import { computeMedicationMme } from '../../../src/domain/mme/mme.ts';
import { RX, dosage, noMedications, request, rxnorm, statement } from './builders.ts';

describe('the CDC worked examples', () => {
  it('counts hydrocodone 5 mg / acetaminophen 325 mg, 1 tablet four times a day, as 20 MME/day', () => {
    const result = computeMedicationMme(
      request(
        { medicationCodeableConcept: rxnorm(RX.hydrocodone5Apap325) },
        { dosageInstruction: [dosage(1, 'tablet', 4)] },
      ),
      noMedications,
    );
    expect(result).toMatchObject({ kind: 'counted', mmePerDay: 20 });
    expect(result.explanation).toBe('hydrocodone 5 mg × 1 tablet × 4/day × 1 = 20 MME/day');
  });

  it('counts oxycodone ER 10 mg, 1 tablet twice a day, as 30 MME/day', () => {
    const result = computeMedicationMme(
      request(
        { medicationCodeableConcept: rxnorm(RX.oxycodoneEr10) },
        { dosageInstruction: [dosage(1, 'tablet', 2)] },
      ),
      noMedications,
    );
    expect(result).toMatchObject({ kind: 'counted', mmePerDay: 30 });
    expect(result.ingredients).toEqual([
      { name: 'oxycodone', rxcui: '7804', dailyDose: 20, unit: 'mg', factor: 1.5, mmePerDay: 30 },
    ]);
  });

  it('counts 120 oxycodone 10 mg tablets dispensed for 30 days, with no dosage, as 60 MME/day', () => {
    const result = computeMedicationMme(
      request(
        { medicationCodeableConcept: rxnorm(RX.oxycodone10) },
        {
          dispenseRequest: {
            quantity: { value: 120, unit: 'TAB' },
            expectedSupplyDuration: { value: 30, unit: 'days', code: 'd' },
          },
        },
      ),
      noMedications,
    );
    expect(result).toMatchObject({ kind: 'counted', mmePerDay: 60 });
    expect(result.explanation).toBe('oxycodone 10 mg × 120 tablets ÷ 30 days × 1.5 = 60 MME/day');
  });

  it('counts a 25 mcg/hr fentanyl patch as 60 MME/day', () => {
    const result = computeMedicationMme(
      statement(
        { medicationCodeableConcept: rxnorm(RX.fentanyl25Patch) },
        { dosage: [dosage(1, 'patch', 1, 72, 'h')] },
      ),
      noMedications,
    );
    expect(result).toMatchObject({ kind: 'counted', mmePerDay: 60 });
    expect(result.ingredients[0]).toMatchObject({ dailyDose: 25, unit: 'mcg/hr', factor: 2.4 });
  });
});
