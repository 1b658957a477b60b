/**
 * A follow-up is lost only once its window has closed: on the analysis's as-of day, a patient
 * with no PEG in a window still open (or not yet open) is "not yet due", in neither n nor the
 * lost-to-follow-up count, in the table, the analysis dataset and the programme's results alike;
 * PEGs and referrals dated after the day are not there yet.
 * Windows from a baseline PEG on 2026-01-10 (the follow-up schedule: week 8 ± 2 weeks, months 6
 * and 12 ± 1 month, calendar arithmetic), written out by hand:
 *   week 8   2026-02-21 … 2026-03-21
 *   month 6  2026-06-10 … 2026-08-10
 *   month 12 2026-12-10 … 2027-02-10
 */
import { describe, expect, it } from 'vitest';
import type { PatientEvidence } from '../../../src/domain/outcomes/armAssignment.ts';
import { datasetRows } from '../../../src/domain/outcomes/dataset.ts';
import { formatReport } from '../../../src/domain/outcomes/formatReport.ts';
import { OutcomeTally } from '../../../src/domain/outcomes/outcomeTable.ts';
import { emptyCounts } from '../../../src/domain/outcomes/patientEvidence.ts';
import { parseIsoDay } from '../../../src/domain/fhir-primitives/dates.ts';

const MODE = { kind: 'group', groupId: 'g' } as const;

function day(iso: string): number {
  const index = parseIsoDay(iso);
  if (index === undefined) {
    throw new Error(iso);
  }
  return index;
}

/** A Group member with a baseline PEG on 2026-01-10 and the follow-up PEGs given. */
function member(...followUps: string[]): PatientEvidence {
  return {
    pegs: [
      { day: day('2026-01-10'), score: 6 },
      ...followUps.map((d) => ({ day: day(d), score: 4 })),
    ],
    referralDays: [],
    undatedReferral: false,
    inGroup: true,
  };
}

/** [n, lost to follow-up, not yet due] at week 8, month 6 and month 12. */
function cells(asOf: string, ...patients: PatientEvidence[]): [number, number, number][] {
  const tally = new OutcomeTally(MODE, day(asOf));
  for (const patient of patients) {
    tally.add(patient);
  }
  return tally
    .report()
    .rows.map((row) => [row.intervention.n, row.intervention.missing, row.intervention.notYetDue]);
}

describe('a missing follow-up on the as-of day', () => {
  it.each([
    // as of, week 8, month 6, month 12 as [n, lost, not yet due]
    ['2026-02-15', [0, 0, 1], [0, 0, 1], [0, 0, 1]], // before the week-8 window opens
    ['2026-03-21', [0, 0, 1], [0, 0, 1], [0, 0, 1]], // the week-8 window's last day
    ['2026-03-22', [0, 1, 0], [0, 0, 1], [0, 0, 1]], // the day after: lost at week 8
    ['2026-08-10', [0, 1, 0], [0, 0, 1], [0, 0, 1]], // the month-6 window's last day
    ['2026-08-11', [0, 1, 0], [0, 1, 0], [0, 0, 1]],
    ['2027-02-10', [0, 1, 0], [0, 1, 0], [0, 0, 1]],
    ['2027-02-11', [0, 1, 0], [0, 1, 0], [0, 1, 0]], // every window closed: lost at all three
  ] as const)('as of %s is counted %j, %j, %j', (asOf, week8, month6, month12) => {
    expect(cells(asOf, member())).toEqual([week8, month6, month12]);
  });

  it('counts a PEG taken in a window that is still open as a follow-up, not as not yet due', () => {
    expect(cells('2026-03-10', member('2026-03-01'))).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 1],
    ]);
  });

  it('keeps patients referred last month out of the month-6 attrition (the QA screenshot)', () => {
    const recent = { ...member(), pegs: [{ day: day('2026-11-02'), score: 7 }] };
    const [, month6] = cells('2026-12-04', member('2026-03-07', '2026-07-10'), recent);
    expect(month6).toEqual([1, 0, 1]);
  });
});

describe('the analysis as it stood on the as-of day', () => {
  it('leaves out a PEG dated after it: the open window is not yet due, not followed up', () => {
    expect(cells('2026-03-01', member('2026-03-07'))).toEqual([
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
    ]);
  });

  it('leaves out a referral dated after it: the patient is not referred yet', () => {
    // Referred on 2026-01-20, the baseline PEG (2026-01-10) within the referral's look-back.
    const referredLater: PatientEvidence = { ...member(), referralDays: [day('2026-01-20')] };
    const arm = (asOf: string) => {
      const tally = new OutcomeTally({ kind: 'referral' }, day(asOf));
      tally.add(referredLater);
      const { intervention, comparison } = tally.report().arms;
      return [intervention.withBaseline, comparison.withBaseline];
    };
    expect(arm('2026-01-19')).toEqual([0, 1]);
    expect(arm('2026-01-20')).toEqual([1, 0]);
  });
});

describe('what the as-of day leaves out, counted', () => {
  // A data lock on a past day, or an export whose records are written in UTC (an evening PEG
  // falls on the next calendar day), leaves records of the input out of the analysis: the
  // researcher is told how many, not left to wonder why the table holds fewer than the input.
  it('says how many PEGs and referrals dated after the as-of day were left out, and of how many patients', () => {
    const tally = new OutcomeTally({ kind: 'referral' }, day('2026-03-01'));
    tally.add(member('2026-03-07', '2026-07-10')); // two PEGs after it
    tally.add({ ...member(), referralDays: [day('2026-03-02')] }); // a referral after it
    tally.add(member('2026-02-20')); // nothing after it
    const report = tally.report();
    expect(report.leftOutAfterAsOf).toEqual({ patients: 2, pegs: 2, referrals: 1 });
    const md = formatReport(
      report,
      { asOfSource: '--as-of', files: ['x'], malformedLines: 0, counts: emptyCounts() },
      'md',
    );
    expect(md).toContain(
      'Left out as dated after 2026-03-01: 2 PEG administrations and 1 referral, of 2 patients.',
    );
  });

  it('adds up the counts of tallies made apart (worker threads)', () => {
    const a = new OutcomeTally(MODE, day('2026-03-01'));
    a.add(member('2026-03-07'));
    const b = new OutcomeTally(MODE, day('2026-03-01'));
    b.add(member('2026-03-08', '2026-03-09'));
    a.append(b.state);
    expect(a.report().leftOutAfterAsOf).toEqual({ patients: 2, pegs: 3, referrals: 0 });
  });

  it('says so when nothing is dated after the as-of day', () => {
    const tally = new OutcomeTally(MODE, day('2026-03-01'));
    tally.add(member('2026-02-20'));
    const md = formatReport(
      tally.report(),
      { asOfSource: '--as-of', files: ['x'], malformedLines: 0, counts: emptyCounts() },
      'md',
    );
    expect(md).toContain('No PEG or referral in the input is dated after 2026-03-01.');
  });
});

describe('the analysis dataset and the printed table on the as-of day', () => {
  it('gives each time point its follow-up status and the as-of day', () => {
    const rows = datasetRows('Patient/a', member('2026-03-07'), MODE, day('2026-08-11'));
    expect(
      rows.map((r) => [r.time_point, r.followup_status, r.as_of, r.followup_peg, r.window_end]),
    ).toEqual([
      ['week8', 'followed-up', '2026-08-11', 4, '2026-03-21'],
      ['month6', 'lost-to-follow-up', '2026-08-11', null, '2026-08-10'],
      ['month12', 'not-yet-due', '2026-08-11', null, '2027-02-10'],
    ]);
  });

  it('prints a Not yet due column, the lost share of those due, and the as-of day in the method', () => {
    const tally = new OutcomeTally(MODE, day('2026-03-22'));
    tally.add(member());
    tally.add(member('2026-03-07'));
    tally.add({ ...member(), pegs: [{ day: day('2026-03-01'), score: 5 }] });
    const md = formatReport(
      tally.report(),
      { asOfSource: '--as-of', files: ['x'], malformedLines: 0, counts: emptyCounts() },
      'md',
    );
    expect(md).toContain('| n | Lost to follow-up | Not yet due |');
    expect(md).toContain('| Week 8 | Group g | 1 | 1 (50.0%) | 1 |');
    expect(md).toContain('Follow-ups as of 2026-03-22 (--as-of)');
    const csv = formatReport(
      tally.report(),
      { asOfSource: '--as-of', files: ['x'], malformedLines: 0, counts: emptyCounts() },
      'csv',
    );
    const [header, week8] = csv.split('\n').map((line) => line.split(','));
    const column = (name: string) => week8?.[header?.indexOf(name) ?? -1];
    expect([
      column('intervention_lost_to_follow_up'),
      column('intervention_not_yet_due'),
      column('as_of'),
    ]).toEqual(['1', '1', '2026-03-22']);
  });
});
