import { describe, expect, it } from 'vitest';
import type { PatientEvidence } from '../../../src/domain/outcomes/armAssignment.ts';
import { assignPatient } from '../../../src/domain/outcomes/armAssignment.ts';

const REFERRAL = { kind: 'referral' } as const;
const GROUP = { kind: 'group', groupId: 'cohort-a' } as const;
/** Long after every window below has closed. */
const AS_OF_DAY = 10_000;

function patient(overrides: Partial<PatientEvidence>): PatientEvidence {
  return { pegs: [], referralDays: [], undatedReferral: false, inGroup: false, ...overrides };
}

const HISTORY = [
  { day: 100, score: 8 },
  { day: 130, score: 7 },
  { day: 186, score: 5 },
];

describe('arm assignment by referral', () => {
  it('puts a referred patient in the intervention arm with the PEG at referral as baseline', () => {
    const result = assignPatient(
      patient({ pegs: HISTORY, referralDays: [130] }),
      REFERRAL,
      AS_OF_DAY,
    );
    expect(result).toMatchObject({
      kind: 'analysed',
      arm: 'intervention',
      baseline: { day: 130, score: 7 },
    });
    expect(result.kind === 'analysed' ? result.followUps : undefined).toEqual([
      { kind: 'followed-up', peg: { day: 186, score: 5 } },
      { kind: 'lost-to-follow-up' },
      { kind: 'lost-to-follow-up' },
    ]);
  });

  it('anchors on the first of several referrals', () => {
    const result = assignPatient(
      patient({ pegs: HISTORY, referralDays: [100, 186] }),
      REFERRAL,
      AS_OF_DAY,
    );
    expect(result).toMatchObject({ arm: 'intervention', baseline: { day: 100 } });
  });

  it("uses a non-referred patient's first PEG as baseline", () => {
    const result = assignPatient(patient({ pegs: HISTORY }), REFERRAL, AS_OF_DAY);
    expect(result).toMatchObject({
      kind: 'analysed',
      arm: 'comparison',
      baseline: { day: 100, score: 8 },
    });
  });

  it('excludes a referred patient whose only PEG came after the referral', () => {
    const result = assignPatient(
      patient({ pegs: [{ day: 140, score: 6 }], referralDays: [130] }),
      REFERRAL,
      AS_OF_DAY,
    );
    expect(result).toEqual({
      kind: 'excluded',
      arm: 'intervention',
      reason: 'referred-without-baseline-peg',
    });
  });

  it('excludes a referral without a date rather than moving the patient to the other arm', () => {
    const result = assignPatient(
      patient({ pegs: HISTORY, undatedReferral: true }),
      REFERRAL,
      AS_OF_DAY,
    );
    expect(result).toEqual({
      kind: 'excluded',
      arm: 'intervention',
      reason: 'referral-without-date',
    });
  });

  it('excludes a patient with no PEG at all', () => {
    expect(assignPatient(patient({ referralDays: [130] }), REFERRAL, AS_OF_DAY)).toEqual({
      kind: 'excluded',
      arm: 'intervention',
      reason: 'no-peg',
    });
  });
});

describe('arm assignment by Group membership', () => {
  it.each([
    [true, 'intervention'],
    [false, 'comparison'],
  ] as const)('a patient in the group: %s → %s arm, baseline = first PEG', (inGroup, arm) => {
    // A referral is ignored in group mode: membership alone decides the arm and the baseline.
    const result = assignPatient(
      patient({ pegs: HISTORY, inGroup, referralDays: [130] }),
      GROUP,
      AS_OF_DAY,
    );
    expect(result).toMatchObject({ kind: 'analysed', arm, baseline: { day: 100, score: 8 } });
  });
});
