/** What every scenario module receives and returns. */
import type { Resource } from 'fhir/r4';
import type { Clock } from './clock.ts';
import type { PegContext } from './peg.ts';
import type { Rng } from './prng.ts';

export interface SeedPatient {
  id: string;
  name: string;
  /** The data, in words. What the app shows is the pathway's business (domain/pathway). */
  scenario: string;
}

export interface ScenarioContext {
  clock: Clock;
  /** This patient's own random stream (see deriveSeed). */
  rng: Rng;
}

export interface ScenarioResult {
  patient: SeedPatient;
  resources: Resource[];
}

export const pegContext = (ctx: ScenarioContext, patientId: string): PegContext => ({
  clock: ctx.clock,
  rng: ctx.rng,
  patientId,
});
