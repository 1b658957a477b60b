import { describe, expect, it } from 'vitest';
import type { ScheduleAnchor } from '../../../src/domain/pathway/baseline.ts';
import { followUpSchedule } from '../../../src/domain/pathway/followUp.ts';
import type { FollowUpId } from '../../../src/domain/pathway/followUp.ts';

const start: ScheduleAnchor = { kind: 'programme-start', day: '2026-01-05' };
const at = (day: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 12, 0);
};
const peg = (date: string, score = 4) => ({ date, score, sources: [`Observation/${date}`] });

function statusOf(asOf: string, administrations: ReturnType<typeof peg>[], id: FollowUpId) {
  return followUpSchedule(start, administrations, at(asOf)).points.find((p) => p.id === id)?.status;
}

describe('follow-up PEG schedule (week 8, month 6, month 12 from the programme start)', () => {
  it('puts the due dates and windows at week 8 ±2 weeks and months 6 and 12 ±1 month', () => {
    const schedule = followUpSchedule(start, [], at('2026-01-06'));
    expect(schedule).toEqual({
      anchor: start,
      provisional: false,
      points: [
        {
          id: 'week8',
          label: 'Week 8',
          dueDate: '2026-03-02',
          window: { start: '2026-02-16', end: '2026-03-16' },
          status: 'upcoming',
        },
        {
          id: 'month6',
          label: 'Month 6',
          dueDate: '2026-07-05',
          window: { start: '2026-06-05', end: '2026-08-05' },
          status: 'upcoming',
        },
        {
          id: 'month12',
          label: 'Month 12',
          dueDate: '2027-01-05',
          window: { start: '2026-12-05', end: '2027-02-05' },
          status: 'upcoming',
        },
      ],
    });
  });

  it.each([
    ['2026-02-15', 'upcoming'],
    ['2026-02-16', 'due'],
    ['2026-03-02', 'due'],
    ['2026-03-16', 'due'],
    ['2026-03-17', 'overdue'],
  ] as const)('without a follow-up PEG, week 8 on %s is %s', (asOf, expected) => {
    expect(statusOf(asOf, [], 'week8')).toBe(expected);
  });

  it.each([
    ['2026-06-04', 'upcoming'],
    ['2026-06-05', 'due'],
    ['2026-08-05', 'due'],
    ['2026-08-06', 'overdue'],
  ] as const)('without a follow-up PEG, month 6 on %s is %s', (asOf, expected) => {
    expect(statusOf(asOf, [], 'month6')).toBe(expected);
  });

  it.each([
    ['2026-02-15T10:00:00-07:00', 'overdue'],
    ['2026-02-16T10:00:00-07:00', 'done'],
    ['2026-03-16T23:00:00-06:00', 'done'],
    ['2026-03-17T08:00:00-06:00', 'overdue'],
  ] as const)('a PEG on %s leaves week 8 (asOf 2026-04-01) %s', (date, expected) => {
    expect(statusOf('2026-04-01', [peg(date)], 'week8')).toBe(expected);
  });

  it('marks a time point done with the PEG closest to its due date', () => {
    const schedule = followUpSchedule(
      start,
      [peg('2026-02-20', 6), peg('2026-03-03', 3), peg('2026-03-15', 2)],
      at('2026-04-01'),
    );
    const week8 = schedule.points[0];
    expect(week8).toMatchObject({
      status: 'done',
      administration: { date: '2026-03-03', score: 3 },
    });
  });

  it('breaks a tie between PEGs a day either side of the due date by the earlier, across a DST change', () => {
    // Week 8 from 2026-01-11 is 2026-03-08, the day Denver springs forward (a 23-hour day).
    const schedule = followUpSchedule(
      { kind: 'programme-start', day: '2026-01-11' },
      [peg('2026-03-09T09:00:00-06:00', 2), peg('2026-03-07T09:00:00-07:00', 3)],
      at('2026-04-01'),
    );
    const week8 = schedule.points[0];
    expect(week8).toMatchObject({
      dueDate: '2026-03-08',
      status: 'done',
      administration: { date: '2026-03-07T09:00:00-07:00' },
    });
  });

  it('counts a PEG recorded this evening (local offset) as done today, judged on asOf’s local day', () => {
    // 18:30 in Denver is already the next day in UTC; both sides use the local day.
    const evening = new Date(2026, 2, 2, 18, 45);
    const schedule = followUpSchedule(start, [peg('2026-03-02T18:30:00-07:00')], evening);
    expect(schedule.points[0]?.status).toBe('done');
  });

  it('does not count a PEG on the start day (the baseline), nor PEGs recorded after asOf', () => {
    expect(statusOf('2026-03-01', [peg('2026-03-10')], 'week8')).toBe('due');
    const schedule = followUpSchedule(start, [peg('2026-01-05')], at('2026-03-20'));
    expect(schedule.points[0]?.status).toBe('overdue');
  });

  it('keeps month-end starts on the last day of shorter months', () => {
    const schedule = followUpSchedule(
      { kind: 'programme-start', day: '2025-08-31' },
      [],
      at('2025-09-01'),
    );
    expect(schedule.points[1]?.dueDate).toBe('2026-02-28');
  });

  it('times week 8 from a programme start on 11 January, not from an earlier baseline PEG', () => {
    const schedule = followUpSchedule(
      { kind: 'programme-start', day: '2026-01-11' },
      [],
      at('2026-01-28'),
    );
    expect(schedule.points[0]).toMatchObject({ dueDate: '2026-03-08', status: 'upcoming' });
  });

  it('marks a schedule timed from the referral as provisional', () => {
    const schedule = followUpSchedule(
      { kind: 'referral', day: '2026-01-05' },
      [],
      at('2026-01-06'),
    );
    expect(schedule.provisional).toBe(true);
    expect(schedule.points.map((p) => p.dueDate)).toEqual([
      '2026-03-02',
      '2026-07-05',
      '2027-01-05',
    ]);
  });
});
