import { describe, expect, it } from 'vitest';
import type { PatientEvidence } from '../../../src/domain/outcomes/armAssignment.ts';
import { fullDayIndex } from '../../../src/domain/fhir-primitives/dates.ts';
import { formatReport } from '../../../src/domain/outcomes/formatReport.ts';
import type { MmeChange } from '../../../src/domain/outcomes/outcomeTable.ts';
import { OutcomeTally } from '../../../src/domain/outcomes/outcomeTable.ts';

const BASELINE = fullDayIndex('2025-01-06')!;
const WEEK_8 = BASELINE + 56;
const MODE = { kind: 'group', groupId: 'g' } as const;
/** After every window here has closed. */
const AS_OF_DAY = fullDayIndex('2026-06-01')!;

/** A Group member with a PEG at baseline and at week 8, and MME/day on those two days. */
function patient(mme: {
  baseline: number | undefined;
  week8: number | undefined;
}): PatientEvidence {
  return {
    pegs: [
      { day: BASELINE, score: 6 },
      { day: WEEK_8, score: 5 },
    ],
    referralDays: [],
    undatedReferral: false,
    inGroup: true,
    mmeOnDay: (day) => (day === BASELINE ? mme.baseline : day === WEEK_8 ? mme.week8 : 0),
  };
}

function week8Median(patients: readonly PatientEvidence[]): MmeChange | undefined {
  const tally = new OutcomeTally(MODE, AS_OF_DAY);
  patients.forEach((p) => {
    tally.add(p);
  });
  return tally.report().rows.find((row) => row.timePoint.id === 'week8')?.intervention
    .medianMmeChange;
}

describe('median MME/day change among patients on opioids at baseline', () => {
  const cohort = [
    patient({ baseline: 30, week8: 20 }), // −10
    patient({ baseline: 60, week8: 0 }), // stopped: −60
    patient({ baseline: 90, week8: 90 }), // 0
    patient({ baseline: 0, week8: 40 }), // started after baseline: not in the median
    patient({ baseline: 0, week8: 0 }), // no opioids: not in the median
    patient({ baseline: 0, week8: 0 }),
    patient({ baseline: undefined, week8: 30 }), // unknown dose at baseline
    patient({ baseline: 30, week8: undefined }), // unknown dose at week 8
  ];

  it('takes the median of the three patients on opioids at baseline (−10), not of everyone (0)', () => {
    expect(week8Median(cohort)).toEqual({
      kind: 'median',
      value: -10,
      n: 3,
      reduced: 2,
      unknownDose: 2,
    });
  });

  it('shows a median of 0 with the patients who did reduce when most doses are unchanged', () => {
    expect(
      week8Median([
        patient({ baseline: 30, week8: 30 }),
        patient({ baseline: 60, week8: 60 }),
        patient({ baseline: 90, week8: 45 }),
      ]),
    ).toEqual({ kind: 'median', value: 0, n: 3, reduced: 1, unknownDose: 0 });
  });

  it('counts a patient who stops opioids after baseline as a full drop', () => {
    expect(week8Median([patient({ baseline: 45, week8: 0 })])).toEqual({
      kind: 'median',
      value: -45,
      n: 1,
      reduced: 1,
      unknownDose: 0,
    });
  });

  it.each([
    [
      'nobody takes opioids',
      [patient({ baseline: 0, week8: 0 }), patient({ baseline: 0, week8: 25 })],
      { kind: 'not-computed', reason: 'none-on-opioids-at-baseline', unknownDose: 0 },
    ],
    [
      'every opioid user has an unknown dose',
      [patient({ baseline: 30, week8: undefined }), patient({ baseline: 0, week8: 0 })],
      { kind: 'not-computed', reason: 'opioid-doses-unknown', unknownDose: 1 },
    ],
  ])('does not compute a median when %s', (_label, patients, expected) => {
    expect(week8Median(patients)).toEqual(expected);
  });

  it('says there are no medication records when the input has none', () => {
    const noEngine: PatientEvidence = {
      pegs: patient({ baseline: 0, week8: 0 }).pegs,
      referralDays: [],
      undatedReferral: false,
      inGroup: true,
    };
    expect(week8Median([noEngine])).toEqual({
      kind: 'not-computed',
      reason: 'no-medication-records',
    });
  });

  it('prints the n on opioids at baseline in the table cell and the definition in the method', () => {
    const tally = new OutcomeTally(MODE, AS_OF_DAY);
    cohort.forEach((p) => {
      tally.add(p);
    });
    const run = {
      asOfSource: '--as-of',
      files: ['x.ndjson'],
      malformedLines: 0,
      counts: {
        resources: 0,
        pegAdministrations: 16,
        referrals: 0,
        medications: 8,
        opioidsCounted: 6,
        opioidsUnknown: 2,
        skipped: {},
      },
    };
    const md = formatReport(tally.report(), run, 'md');
    expect(md).toContain('| -10.00 (n 3 on opioids at baseline, 2 reduced; 2 dose unknown) |');
    expect(md).toContain('| – (n 0 on opioids at baseline) |');
    expect(md).toContain('Median MME/day change (on opioids at baseline)');
    expect(md).toContain('not in the median (counted as 0 they would make it 0 by construction)');
  });
});
