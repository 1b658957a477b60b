/**
 * The run's outcome tally folds the change scores of each appended batch into running sums
 * instead of keeping them (its memory does not grow with the number of patients): the table must
 * be the one of a tally that was given every patient itself, whatever the batches, and exactly
 * (the same floating-point sums in the same order); the patient's numbers are worked out by hand
 * for one cell.
 */
import { describe, expect, it } from 'vitest';
import type { PatientEvidence } from '../../../src/domain/outcomes/armAssignment.ts';
import { OutcomeTally } from '../../../src/domain/outcomes/outcomeTable.ts';
import { parseIsoDay } from '../../../src/domain/fhir-primitives/dates.ts';
import { ancova, armSums } from '../../../src/domain/stats/ancova.ts';
import { meanWithCi, welchTTest } from '../../../src/domain/stats/tInference.ts';

const MODE = { kind: 'group', groupId: 'g' } as const;
const AS_OF = parseIsoDay('2027-06-01') ?? 0;
const BASELINE = parseIsoDay('2026-01-10') ?? 0;
const WEEK_8 = parseIsoDay('2026-03-07') ?? 0;

/** Patient i: a baseline PEG and a lower week-8 one, in the Group when i is even, some on opioids. */
function patient(i: number): PatientEvidence {
  const baseline = 4 + (i % 5) + (i % 3) / 3;
  return {
    pegs: [
      { day: BASELINE, score: baseline },
      { day: WEEK_8, score: Math.max(0, baseline - (i % 4) - 0.1 * (i % 7)) },
    ],
    referralDays: [],
    undatedReferral: false,
    inGroup: i % 2 === 0,
    mmeOnDay: (day) => (i % 6 === 0 ? (day === BASELINE ? 60 : 30 + i) : 0),
  };
}

/** An estimate, or the test fails here. */
function estimateOf<T extends { kind: string }>(
  value: T | undefined,
): Extract<T, { kind: 'estimate' }> {
  if (value?.kind !== 'estimate') {
    throw new Error(`expected an estimate, got ${JSON.stringify(value)}`);
  }
  return value as Extract<T, { kind: 'estimate' }>;
}

const PATIENTS = Array.from({ length: 200 }, (_, i) => patient(i));

describe('the outcome tally folding appended batches into sums', () => {
  const one = new OutcomeTally(MODE, AS_OF);
  PATIENTS.forEach((p) => {
    one.add(p);
  });
  const expected = one.report();

  for (const size of [1, 7, 64, 200]) {
    it(`gives exactly the table of one tally in batches of ${size}`, () => {
      const run = new OutcomeTally(MODE, AS_OF);
      for (let start = 0; start < PATIENTS.length; start += size) {
        const batch = new OutcomeTally(MODE, AS_OF);
        PATIENTS.slice(start, start + size).forEach((p) => {
          batch.add(p);
        });
        run.append(batch.state);
      }
      expect(run.report()).toEqual(expected);
    });
  }

  it('gives the hand-computed week-8 cell of two patients', () => {
    const tally = new OutcomeTally(MODE, AS_OF);
    // Group members: 6 → 4 (change −2), 5 → 4.5 (change −0.5).
    for (const [b, f] of [
      [6, 4],
      [5, 4.5],
    ] as const) {
      tally.add({
        pegs: [
          { day: BASELINE, score: b },
          { day: WEEK_8, score: f },
        ],
        referralDays: [],
        undatedReferral: false,
        inGroup: true,
      });
    }
    const cell = tally.report().rows[0]?.intervention;
    expect(cell?.n).toBe(2);
    // mean −1.25; deviations ±0.75, sample variance 2 × 0.5625 / 1 = 1.125
    expect(cell?.meanChange.kind === 'estimate' && cell.meanChange.mean).toBe(-1.25);
    expect(cell?.meanChange.kind === 'estimate' && cell.meanChange.sd).toBeCloseTo(
      Math.sqrt(1.125),
      12,
    );
    // A drop of ≥ 1 point: 1 of 2; of ≥ 30%: 2/6 = 33% yes, 0.5/5 = 10% no.
    expect(cell?.improvedOnePoint.successes).toBe(1);
    expect(cell?.improvedThirtyPercent.successes).toBe(1);
  });

  it('gives the week-8 cell the array statistics give on the change scores', () => {
    const row = expected.rows[0];
    const arm = (even: boolean) => {
      const points = PATIENTS.filter((_, i) => (i % 2 === 0) === even).map((p) => {
        const [baseline, followUp] = p.pegs;
        return { x: baseline?.score ?? 0, y: (followUp?.score ?? 0) - (baseline?.score ?? 0) };
      });
      return { points, changes: points.map((point) => point.y) };
    };
    const intervention = arm(true);
    const comparison = arm(false);
    const fromArrays = estimateOf(meanWithCi(intervention.changes));
    const folded = estimateOf(row?.intervention.meanChange);
    expect(folded.n).toBe(100);
    expect(folded.mean).toBe(fromArrays.mean); // the same sum in the same order
    expect(folded.sd).toBeCloseTo(fromArrays.sd, 12); // Welford against two passes
    const welch = estimateOf(welchTTest(intervention.changes, comparison.changes));
    const difference = estimateOf(row?.difference);
    expect(difference.difference).toBe(welch.difference);
    expect(difference.standardError).toBeCloseTo(welch.standardError, 12);
    expect(row?.adjusted).toEqual(ancova(armSums(intervention.points), armSums(comparison.points)));
  });

  it('gives no Welch test for two arms of identical changes (no variance to test against)', () => {
    const tally = new OutcomeTally(MODE, AS_OF);
    for (let i = 0; i < 6; i += 1) {
      for (const [inGroup, followUp] of [
        [true, 4],
        [false, 14 / 3],
      ] as const) {
        tally.add({
          pegs: [
            { day: BASELINE, score: 7 },
            { day: WEEK_8, score: followUp },
          ],
          referralDays: [],
          undatedReferral: false,
          inGroup,
        });
      }
    }
    expect(tally.report().rows[0]?.difference).toEqual({
      kind: 'insufficient',
      reason: 'zero-variance',
    });
  });

  it('has no patients to hand over once it has folded them', () => {
    const run = new OutcomeTally(MODE, AS_OF);
    run.add(patient(0));
    run.report();
    expect(() => run.state).toThrow(/no state to hand over/);
  });
});
