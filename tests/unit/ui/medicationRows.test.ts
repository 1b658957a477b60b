import { describe, expect, it } from 'vitest';
import type { MedicationMmeResult } from '../../../src/domain/mme/mme.ts';
import { medicationRows } from '../../../src/ui/opioids/opioidView.ts';

/** A counted order, as the MME engine returns it (only what the rows look at matters). */
function order(
  id: string,
  start: string,
  end: string | null,
  opts: { label?: string; mme?: number } = {},
): MedicationMmeResult {
  const mme = opts.mme ?? 15;
  return {
    id,
    resourceType: 'MedicationRequest',
    reference: `MedicationRequest/${id}`,
    label: opts.label ?? 'hydrocodone 5 mg / acetaminophen 325 mg',
    interval: { start, end },
    ingredients: [],
    explanation: `${String(mme)} MME/day`,
    basedOn: [],
    priorPrescription: null,
    supersededBy: null,
    totalGroup: null,
    kind: 'counted',
    mmePerDay: mme,
    reason: null,
  };
}

const newestFirst = (...results: MedicationMmeResult[]) =>
  [...results].sort((a, b) => (b.interval.start ?? '').localeCompare(a.interval.start ?? ''));

const ids = (rows: ReturnType<typeof medicationRows>) =>
  rows.map((row) => row.records.map((r) => r.id));

describe('medicationRows', () => {
  it('shows monthly refills of one product at one dose as one row with their date range', () => {
    const rows = medicationRows(
      newestFirst(
        order('jan', '2026-01-01', '2026-01-30'),
        order('feb', '2026-01-31', '2026-03-01'),
        // Filled two days late: still the same run.
        order('mar', '2026-03-04', '2026-04-02'),
      ),
    );
    expect(ids(rows)).toEqual([['mar', 'feb', 'jan']]);
    expect(rows[0]).toMatchObject({ start: '2026-01-01', end: '2026-04-02' });
    expect(rows[0]?.result.id).toBe('mar');
  });

  it('starts a new row at a change of dose, and again when the dose comes back', () => {
    const rows = medicationRows(
      newestFirst(
        order('a', '2026-01-01', '2026-01-30', { mme: 30 }),
        order('b', '2026-01-31', '2026-03-01', { mme: 60 }),
        order('c', '2026-03-02', '2026-03-31', { mme: 30 }),
      ),
    );
    expect(ids(rows)).toEqual([['c'], ['b'], ['a']]);
  });

  it('starts a new row after a gap of a whole supply', () => {
    const rows = medicationRows(
      newestFirst(
        order('a', '2026-01-01', '2026-01-30'),
        // 30-day supply ended 30 Jan; nothing until 2 Mar (a whole 30-day supply missed).
        order('b', '2026-03-02', '2026-03-31'),
      ),
    );
    expect(ids(rows)).toEqual([['b'], ['a']]);
  });

  it('keeps a run whole across another product taken at the same time', () => {
    const rows = medicationRows(
      newestFirst(
        order('h1', '2026-01-01', '2026-01-30'),
        order('o1', '2026-01-15', '2026-02-13', { label: 'oxycodone 5 mg', mme: 30 }),
        order('h2', '2026-01-31', '2026-03-01'),
      ),
    );
    expect(ids(rows)).toEqual([['o1'], ['h2', 'h1']]);
  });

  it('never joins an open-ended or undated record to a run', () => {
    const rows = medicationRows(
      newestFirst(order('a', '2026-01-01', null), order('b', '2026-01-10', '2026-02-08')),
    );
    expect(ids(rows)).toEqual([['b'], ['a']]);
  });

  it('marks a methadone row (RxNorm ingredient 6813) for the CDC caution, and no other', () => {
    const methadone: MedicationMmeResult = {
      ...order('m', '2026-01-01', null, { label: 'methadone 10 mg' }),
      ingredients: [
        { name: 'methadone', rxcui: '6813', dailyDose: 20, unit: 'mg', factor: 4.7, mmePerDay: 94 },
      ],
    };
    const rows = medicationRows(newestFirst(methadone, order('h', '2026-01-10', null)));
    expect(rows.map((row) => [row.result.id, row.methadone])).toEqual([
      ['h', false],
      ['m', true],
    ]);
  });
});
