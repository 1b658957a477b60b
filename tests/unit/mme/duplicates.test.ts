/**
 * One prescription counts once: an order, its early renewal (priorPrescription), the patient's
 * statement basedOn it, and overlapping fills of one product at one dose.
 */
import type { MedicationRequest, MedicationStatement } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  computeMedicationMme,
  computeMmeForResources,
  mmeTimeline,
  summariseMme,
  totalMmePerDay,
} from '../../../src/domain/mme/mme.ts';
import { RX, dosage, noMedications, request, rxnorm, statement } from './builders.ts';

const oxy5 = { medicationCodeableConcept: rxnorm(RX.oxycodone5) };
const qid = [dosage(1, 'tablet', 4)]; // oxycodone 5 mg four times a day = 30 MME/day

function order(id: string, authoredOn: string, extra: Partial<MedicationRequest> = {}) {
  return request(oxy5, {
    id,
    authoredOn,
    dosageInstruction: qid,
    dispenseRequest: { expectedSupplyDuration: { value: 30, code: 'd' } },
    ...extra,
  });
}

function taken(id: string, start: string, extra: Partial<MedicationStatement> = {}) {
  return statement(oxy5, { id, dosage: qid, effectivePeriod: { start }, ...extra });
}

const original = order('rx-1', '2026-01-01');
const renewal = order('rx-2', '2026-01-20', {
  priorPrescription: { reference: 'MedicationRequest/rx-1' },
});
const patientSays = taken('ms-1', '2026-01-20', {
  basedOn: [{ reference: 'MedicationRequest/rx-2' }],
  effectivePeriod: { start: '2026-01-20', end: '2026-02-18' },
});

const window = { from: '2025-12-31', to: '2026-02-20', asOf: '2026-02-20' };
const on = (series: { date: string; mmePerDay: number }[], date: string) =>
  series.find((p) => p.date === date)?.mmePerDay;
const raw = (resources: unknown[]) => resources.map((r) => computeMedicationMme(r, noMedications));

describe('an order, its early renewal and a statement based on the renewal', () => {
  const results = computeMmeForResources([original, renewal, patientSays]);
  const series = mmeTimeline(raw([original, renewal, patientSays]), window);

  it.each([
    ['2025-12-31', 0],
    ['2026-01-01', 30],
    ['2026-01-19', 30],
    ['2026-01-20', 30],
    ['2026-01-30', 30],
    ['2026-02-18', 30],
    ['2026-02-19', 0],
  ])('on %s the patient takes %d MME/day, counted once', (date, mme) => {
    expect(on(series, date)).toBe(mme);
  });

  it('lists every record, each with its own MME/day', () => {
    expect(results.map((r) => [r.id, r.kind])).toEqual([
      ['rx-1', 'counted'],
      ['rx-2', 'counted'],
      ['ms-1', 'excluded'],
    ]);
    expect(results.slice(0, 2).map((r) => r.mmePerDay)).toEqual([30, 30]);
  });

  it('marks the statement as a duplicate of the request it is based on, naming it', () => {
    const statementResult = results[2];
    expect(statementResult?.reason).toBe('duplicate-of-request');
    expect(statementResult?.explanation).toContain('MedicationRequest/rx-2');
  });

  it('ends the original order the day before its renewal starts', () => {
    expect(results[0]).toMatchObject({
      interval: { start: '2026-01-01', end: '2026-01-19' },
      supersededBy: 'MedicationRequest/rx-2',
    });
  });

  it.each([
    ['2026-01-10', 30],
    ['2026-01-25', 30],
  ])('the total on %s is %d MME/day', (asOf, mme) => {
    expect(totalMmePerDay(raw([original, renewal, patientSays]), asOf)).toBe(mme);
  });
});

describe('overlapping records without links', () => {
  const refill = order('rx-3', '2026-01-20');
  const higher = request(oxy5, {
    id: 'rx-4',
    authoredOn: '2026-01-20',
    dosageInstruction: [dosage(2, 'tablet', 4)],
    dispenseRequest: { expectedSupplyDuration: { value: 30, code: 'd' } },
  });
  const otherProduct = request(
    { medicationCodeableConcept: rxnorm(RX.morphine15) },
    {
      id: 'rx-5',
      authoredOn: '2026-01-20',
      dosageInstruction: [dosage(2, 'tablet', 1)],
      dispenseRequest: { expectedSupplyDuration: { value: 30, code: 'd' } },
    },
  );
  const otherPatient = order('rx-6', '2026-01-20', { subject: { reference: 'Patient/p2' } });

  it.each<[string, unknown[], number]>([
    ['an early refill of the same tablets at the same dose counts once', [original, refill], 30],
    [
      'a statement of the same product and dose without basedOn counts once',
      [original, taken('ms-2', '2026-01-10')],
      30,
    ],
    ['the same product at a different dose adds up', [original, higher], 90],
    ['a different product adds up', [original, otherProduct], 60],
    ['two patients are never merged', [original, otherPatient], 60],
  ])('%s', (_name, resources, mme) => {
    expect(totalMmePerDay(raw(resources), '2026-01-25')).toBe(mme);
    expect(on(mmeTimeline(raw(resources), window), '2026-01-25')).toBe(mme);
  });

  it.each<[string, unknown[], number]>([
    ['an early refill of the same tablets', [original, refill], 30],
    ['two different doses', [original, higher], 90],
    [
      'an undated statement of the same product and dose beside its order',
      [original, statement(oxy5, { id: 'ms-4', dosage: qid })],
      30,
    ],
  ])(
    'without asOf, %s add up to %d MME/day (overlaps of one product and dose once)',
    (_n, resources, mme) => {
      expect(totalMmePerDay(raw(resources))).toBe(mme);
    },
  );

  it('keeps counting the refill after the first order ends', () => {
    const series = mmeTimeline(raw([original, refill]), window);
    expect([on(series, '2026-01-30'), on(series, '2026-01-31'), on(series, '2026-02-18')]).toEqual([
      30, 30, 30,
    ]);
  });

  it('does not let a cancelled renewal end the original order', () => {
    const cancelled = order('rx-7', '2026-01-10', {
      status: 'cancelled',
      priorPrescription: { reference: 'MedicationRequest/rx-1' },
    });
    expect(totalMmePerDay(raw([original, cancelled]), '2026-01-25')).toBe(30);
  });

  it('keeps a statement whose request is not in the input', () => {
    const alone = taken('ms-3', '2026-01-10', {
      basedOn: [{ reference: 'MedicationRequest/elsewhere' }],
    });
    expect(computeMmeForResources([alone])[0]?.kind).toBe('counted');
  });
});

describe('active opioid records left out of the total', () => {
  const noDose = request(oxy5, { id: 'rx-nodose', authoredOn: '2026-01-01' });
  const ended = request(oxy5, { id: 'rx-old', status: 'completed', authoredOn: '2025-01-01' });
  const buprenorphine = request(
    { medicationCodeableConcept: rxnorm(RX.buprenorphine8Sl) },
    { id: 'rx-bup', authoredOn: '2026-01-01', dosageInstruction: [dosage(1, 'film', 1)] },
  );

  it('are counted and named in the summary (uncomputed and buprenorphine), ended ones are not', () => {
    const summary = summariseMme(raw([original, noDose, ended, buprenorphine]), {
      asOf: '2026-01-25',
    });
    expect(summary.notInTotal).toEqual({
      count: 2,
      records: [
        {
          id: 'rx-nodose',
          resourceType: 'MedicationRequest',
          label: expect.any(String) as unknown,
          kind: 'unknown',
          reason: 'no-dosage',
          explanation: expect.stringContaining('no usable dosage') as unknown,
        },
        {
          id: 'rx-bup',
          resourceType: 'MedicationRequest',
          label: expect.any(String) as unknown,
          kind: 'excluded',
          reason: 'buprenorphine',
          explanation: expect.stringContaining('buprenorphine is not counted') as unknown,
        },
      ],
    });
    expect(summary.current).toBe(30);
  });
});
