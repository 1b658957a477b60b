import type { MedicationRequest, MedicationStatement } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import type { MedicationMmeResult } from '../../../src/domain/mme/mme.ts';
import { computeMedicationMme, mmeTimeline, summariseMme } from '../../../src/domain/mme/mme.ts';
import { RX, dosage, noMedications, request, rxnorm, statement } from './builders.ts';

const AS_OF = '2026-11-21';

/** Morphine (factor 1) dosed in mg, so MME/day equals the daily mg. */
function morphine(id: string, mme: number, start: string, end?: string): MedicationMmeResult {
  return computeMedicationMme(
    statement(
      { medicationCodeableConcept: rxnorm(RX.morphine15) },
      {
        id,
        dosage: [dosage(mme, 'mg', 1)],
        effectivePeriod: end === undefined ? { start } : { start, end },
      },
    ),
    noMedications,
  );
}

const oxy = { medicationCodeableConcept: rxnorm(RX.oxycodone5) };

describe('active interval of each medication', () => {
  it.each<
    [string, MedicationStatement | MedicationRequest, { start: string | null; end: string | null }]
  >([
    [
      'a statement period',
      statement(oxy, {
        effectivePeriod: { start: '2026-01-01', end: '2026-03-31T23:00:00-07:00' },
      }),
      { start: '2026-01-01', end: '2026-03-31' },
    ],
    [
      'an active statement dated once stays open',
      statement(oxy, { effectiveDateTime: '2026-05-01T09:00:00-06:00' }),
      { start: '2026-05-01', end: null },
    ],
    [
      'a completed statement dated once is that day',
      statement(oxy, { status: 'completed', effectiveDateTime: '2026-05-01' }),
      { start: '2026-05-01', end: '2026-05-01' },
    ],
    ['a statement with no dates is open both ways', statement(oxy), { start: null, end: null }],
    [
      'an order for 30 days of supply',
      request(oxy, {
        authoredOn: '2026-06-01',
        dispenseRequest: { expectedSupplyDuration: { value: 30, code: 'd' } },
      }),
      { start: '2026-06-01', end: '2026-06-30' },
    ],
    [
      'an order for 30 days with 2 refills',
      request(oxy, {
        authoredOn: '2026-06-01',
        dispenseRequest: {
          numberOfRepeatsAllowed: 2,
          expectedSupplyDuration: { value: 30, code: 'd' },
        },
      }),
      { start: '2026-06-01', end: '2026-08-29' },
    ],
    [
      'an order for 1 month (30.4375 days) of supply',
      request(oxy, {
        authoredOn: '2026-06-01',
        dispenseRequest: { expectedSupplyDuration: { value: 1, code: 'mo' } },
      }),
      { start: '2026-06-01', end: '2026-07-01' },
    ],
    [
      'an order with a validity period and no supply duration',
      request(oxy, {
        authoredOn: '2026-06-20',
        dispenseRequest: { validityPeriod: { start: '2026-07-01', end: '2026-12-31' } },
      }),
      { start: '2026-07-01', end: '2026-12-31' },
    ],
    [
      'an active order with no end stays open',
      request(oxy, { authoredOn: '2026-06-01' }),
      { start: '2026-06-01', end: null },
    ],
    [
      'an order "for 10 days" (boundsDuration)',
      request(oxy, {
        authoredOn: '2026-06-01',
        dosageInstruction: [
          {
            ...dosage(1, 'tablet', 4),
            timing: {
              repeat: {
                frequency: 4,
                period: 1,
                periodUnit: 'd',
                boundsDuration: { value: 10, code: 'd' },
              },
            },
          },
        ],
      }),
      { start: '2026-06-01', end: '2026-06-10' },
    ],
    [
      'a statement dated once "for 2 weeks"',
      statement(oxy, {
        effectiveDateTime: '2026-05-01',
        dosage: [
          {
            ...dosage(1, 'tablet', 4),
            timing: {
              repeat: {
                frequency: 4,
                period: 1,
                periodUnit: 'd',
                boundsDuration: { value: 2, code: 'wk' },
              },
            },
          },
        ],
      }),
      { start: '2026-05-01', end: '2026-05-14' },
    ],
    [
      'an undated statement with a boundsPeriod',
      statement(oxy, {
        dosage: [
          {
            ...dosage(1, 'tablet', 4),
            timing: {
              repeat: {
                frequency: 4,
                period: 1,
                periodUnit: 'd',
                boundsPeriod: { start: '2026-02-01', end: '2026-02-28' },
              },
            },
          },
        ],
      }),
      { start: '2026-02-01', end: '2026-02-28' },
    ],
    [
      'a stopped order with no end is its day',
      request(oxy, { status: 'stopped', authoredOn: '2026-06-01' }),
      { start: '2026-06-01', end: '2026-06-01' },
    ],
  ])('%s', (_name, resource, interval) => {
    expect(computeMedicationMme(resource, noMedications).interval).toEqual(interval);
  });
});

describe('daily MME series', () => {
  const results = [
    morphine('a', 30, '2026-01-10', '2026-01-20'),
    morphine('b', 60, '2026-01-15'),
    computeMedicationMme(
      statement(oxy, { id: 'no-dose', effectivePeriod: { start: '2026-01-01' } }),
      noMedications,
    ),
  ];
  const series = mmeTimeline(results, { from: '2026-01-08', to: '2026-01-28', asOf: '2026-01-25' });
  const on = (date: string): number | undefined => series.find((p) => p.date === date)?.mmePerDay;

  it.each([
    ['2026-01-09', 0],
    ['2026-01-10', 30],
    ['2026-01-14', 30],
    ['2026-01-15', 90],
    ['2026-01-20', 90],
    ['2026-01-21', 60],
    ['2026-01-25', 60],
    ['2026-01-26', 0],
  ])(
    'on %s the total is %d MME/day (open ends stop at asOf, unknown doses add nothing)',
    (date, mme) => {
      expect(on(date)).toBe(mme);
    },
  );

  it('covers every day of the window, inclusive', () => {
    expect(series.map((p) => p.date)).toHaveLength(21);
    expect(series[0]?.date).toBe('2026-01-08');
    expect(series.at(-1)?.date).toBe('2026-01-28');
  });

  it('counts a medication of unknown start from the first day of the window', () => {
    const undated = computeMedicationMme(
      statement(oxy, { dosage: [dosage(1, 'tablet', 4)] }),
      noMedications,
    );
    expect(
      mmeTimeline([undated], { from: '2026-01-01', to: '2026-01-03', asOf: '2026-01-02' }).map(
        (p) => p.mmePerDay,
      ),
    ).toEqual([30, 30, 0]);
  });

  it('gives an empty series for a reversed or invalid window', () => {
    expect(mmeTimeline(results, { from: '2026-02-01', to: '2026-01-01', asOf: AS_OF })).toEqual([]);
    expect(mmeTimeline(results, { from: 'soon', to: '2026-01-01', asOf: AS_OF })).toEqual([]);
  });
});

describe('summary at asOf', () => {
  it('reports current, highest, and the changes over 90 days and 12 months', () => {
    const results = [
      morphine('old', 50, '2025-06-01', '2026-02-28'),
      morphine('peak', 120, '2026-03-01', '2026-04-30'),
      morphine('mid', 100, '2026-05-01', '2026-09-30'),
      morphine('now', 60, '2026-10-01'),
    ];
    const summary = summariseMme(results, { asOf: AS_OF });
    expect(summary.current).toBe(60);
    expect(summary.highest).toEqual({ mmePerDay: 120, date: '2026-03-01' });
    expect(summary.change90d).toEqual({
      since: '2026-08-23',
      from: 100,
      to: 60,
      difference: -40,
      percent: -40,
    });
    expect(summary.change12m).toEqual({
      since: '2025-11-21',
      from: 50,
      to: 60,
      difference: 10,
      percent: 20,
    });
  });

  it('calls a stop a stop, with the last day taken', () => {
    const summary = summariseMme([morphine('a', 100, '2026-01-01', '2026-10-31')], { asOf: AS_OF });
    expect(summary.trajectory).toMatchObject({
      kind: 'stopped',
      lastDay: '2026-10-31',
      lastMmePerDay: 100,
    });
    expect(summary.current).toBe(0);
  });

  it('says no opioids when nothing was counted in the past 12 months', () => {
    const summary = summariseMme([morphine('a', 100, '2024-01-01', '2024-03-01')], { asOf: AS_OF });
    expect(summary.trajectory).toEqual({ kind: 'no-opioids' });
    expect(summary.highest).toEqual({ mmePerDay: 0, date: null });
  });

  it("evaluates at the asOf it is given, not at today's date", () => {
    const results = [
      morphine('a', 100, '2026-06-01', '2026-09-01'),
      morphine('b', 50, '2026-09-02'),
    ];
    expect(summariseMme(results, { asOf: '2026-08-21' }).current).toBe(100);
  });
});
