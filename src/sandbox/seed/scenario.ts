/** What every scenario module receives and returns. */
import type { Resource } from 'fhir/r4';
import type { Clock } from './clock.ts';
import type { PegContext } from './peg.ts';
import type { Rng } from './prng.ts';

export interface SeedPatient {
  id: string;
  name: string;
  scenario: string;
  /** What the app should show for this patient (for the README and the simulator). */
  expected: string;
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

/** Two decimals, as the score is stored (for the `expected` texts). */
export const fmt = (n: number): string => n.toFixed(2);
