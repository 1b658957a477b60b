/** The performance patient's five years of monthly orders and past non-opioid statements. */
import type { Resource } from 'fhir/r4';
import { CLINIC_MINUTES } from './clock.ts';
import { DRUGS } from './codes.ts';
import { buildMedicationRequest, buildMedicationStatement } from './medications.ts';
import type { ScenarioContext } from './scenario.ts';

/**
 * Monthly orders over five years. Opioid: hydrocodone 5 mg / acetaminophen 325 mg three times a
 * day = 15 mg/day × 1 (CDC 2022) = 15 MME/day; only the newest order is active.
 */
export function medicationHistory(
  ctx: ScenarioContext,
  opts: { patientId: string; months: number; historyDays: number },
  /** Prefix of the resource ids (default the patient id). */
  prefix = opts.patientId,
): Resource[] {
  const { patientId, months, historyDays } = opts;
  const out: Resource[] = [];
  for (let j = 0; j < months; j++) {
    const daysAgo = 25 + (months - 1 - j) * 30;
    const status = j === months - 1 ? 'active' : 'completed';
    const tag = String(j + 1).padStart(2, '0');
    const minuteOfDay = ctx.rng.int(CLINIC_MINUTES.first, CLINIC_MINUTES.last);
    out.push(
      buildMedicationRequest(ctx.clock, {
        id: `${prefix}-hydrocodone-${tag}`,
        patientId,
        dosage: {
          drug: DRUGS.hydrocodoneApap5,
          text: '1 tablet by mouth three times a day',
          unitsPerDose: 1,
          timing: { code: 'TID' },
        },
        authoredDaysAgo: daysAgo,
        minuteOfDay,
        status,
        supply: { quantity: 90, days: 30 },
        validDays: 30,
      }),
      buildMedicationRequest(ctx.clock, {
        id: `${prefix}-gabapentin-${tag}`,
        patientId,
        dosage: {
          drug: DRUGS.gabapentin300,
          text: '1 capsule by mouth three times a day',
          unitsPerDose: 1,
          timing: { code: 'TID' },
        },
        authoredDaysAgo: daysAgo,
        minuteOfDay,
        status,
        supply: { quantity: 90, days: 30 },
        validDays: 30,
      }),
    );
  }
  // Ibuprofen, taken in the first two years, recorded quarter by quarter.
  for (let q = 0; q < 8; q++) {
    const start = historyDays - q * 91;
    out.push(
      buildMedicationStatement(ctx.clock, {
        id: `${prefix}-ibuprofen-${String(q + 1)}`,
        patientId,
        source: { kind: 'concept' },
        dosage: {
          drug: DRUGS.ibuprofen600,
          text: '1 tablet by mouth three times a day with food',
          unitsPerDose: 1,
          timing: { code: 'TID' },
        },
        startDaysAgo: start,
        endDaysAgo: start - 90,
      }),
    );
  }
  return out;
}
