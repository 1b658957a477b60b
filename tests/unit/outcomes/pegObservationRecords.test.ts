/**
 * The research analysis reads each PEG Observation where it is parsed into a small fact
 * (peg/observations.ts pegObservationFact) and keeps it, as JSON, until the patient's other
 * Observations are known. The administrations it then reads must be the app's: the Observations
 * below (a score with components, a score alone, separate items, two scores sharing an instant
 * with items beside them, an amended and a preliminary one, one without a time, an incomplete set
 * of items) give the same PEG days, exact means and unusable count through the records as
 * pegFromObservations and the PEG history rule give on the whole Observations.
 */
import type { Identifier, Observation, Reference } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { fullDayIndex, parseIsoDay } from '../../../src/domain/fhir-primitives/dates.ts';
import type { PatientRecord } from '../../../src/domain/outcomes/patientRecord.ts';
import {
  patientRecords,
  pegObservationReading,
} from '../../../src/domain/outcomes/patientRecord.ts';
import {
  Definitions,
  emptyCounts,
  evidenceFromRecords,
} from '../../../src/domain/outcomes/patientEvidence.ts';
import type { Json } from '../../../src/domain/outcomes/resourceShape.ts';
import { mergePegHistory } from '../../../src/domain/peg/history.ts';
import {
  pegFromObservationFacts,
  pegFromObservations,
} from '../../../src/domain/peg/observations.ts';
import { pegAnswerCodeFor, pegMean } from '../../../src/domain/peg/peg.ts';
import { DEFAULT_ELIGIBILITY_CONFIG } from '../../../src/domain/screening/eligibilityConfig.ts';

const LOINC = 'http://loinc.org';
const code = (c: string) => ({ coding: [{ system: LOINC, code: c, display: 'shown, not read' }] });
const qty = (value: number) => ({ value, unit: '{score}', system: 'http://unitsofmeasure.org' });

function observation(id: string, loinc: string, extra: Partial<Observation>): Observation {
  return {
    resourceType: 'Observation',
    id,
    identifier: [{ system: 'urn:example:submission', value: `${id}-submission` }],
    status: 'final',
    code: code(loinc),
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2026-02-01T09:00:00-07:00',
    ...extra,
  };
}

const items = (pain: number, enjoyment: number, activity: number) => [
  { code: code('75893-8'), valueQuantity: qty(pain) },
  { code: code('91145-3'), valueInteger: enjoyment },
  {
    code: code('91146-1'),
    valueCodeableConcept: { coding: [{ system: LOINC, code: pegAnswerCodeFor(activity) ?? '' }] },
  },
];

const OBSERVATIONS: Observation[] = [
  // A score with its items as components (7/7/6: the exact mean 20/3), the last as an answer code.
  observation('with-components', '91147-9', {
    effectiveDateTime: '2026-01-05T09:00:00-07:00',
    valueQuantity: qty(6.67),
    component: items(7, 7, 6),
  }),
  // A score alone, amended.
  observation('score-only', '91147-9', {
    status: 'amended',
    effectiveDateTime: '2026-01-12T09:00:00-07:00',
    valueQuantity: qty(5),
  }),
  // Separate items at one instant (given as an instant and as a period start).
  observation('pain', '75893-8', {
    effectiveDateTime: '2026-01-19T16:00:00Z',
    valueQuantity: qty(4),
  }),
  observation('enjoyment', '91145-3', {
    effectiveDateTime: undefined,
    effectiveInstant: '2026-01-19T16:00:00.000Z',
    valueInteger: 5,
  }),
  observation('activity', '91146-1', {
    effectiveDateTime: undefined,
    effectivePeriod: { start: '2026-01-19T09:00:00-07:00' },
    valueQuantity: qty(6),
  }),
  // Two scores at one instant with an item beside them: the item is not attributed.
  observation('twin-a', '91147-9', {
    effectiveDateTime: '2026-01-26T09:00:00Z',
    valueQuantity: qty(3),
  }),
  observation('twin-b', '91147-9', {
    effectiveDateTime: '2026-01-26T09:00:00Z',
    valueQuantity: qty(4),
  }),
  observation('twin-item', '75893-8', {
    effectiveDateTime: '2026-01-26T09:00:00Z',
    valueInteger: 2,
  }),
  // Unusable: preliminary, without a time, a score out of range, items missing one.
  observation('preliminary', '91147-9', { status: 'preliminary', valueQuantity: qty(2) }),
  observation('no-time', '91147-9', { effectiveDateTime: undefined, valueQuantity: qty(2) }),
  observation('out-of-range', '91147-9', {
    effectiveDateTime: '2026-02-09T09:00:00Z',
    valueQuantity: qty(11),
  }),
  observation('lonely-pain', '75893-8', {
    effectiveDateTime: '2026-02-16T09:00:00Z',
    valueInteger: 1,
  }),
  // A follow-up recorded twice: a score with components, and a copy with the same identifier
  // and another value (one administration, by the identifier alone; the components lead).
  observation('follow-up', '91147-9', {
    effectiveDateTime: '2026-03-02T09:00:00-07:00',
    component: items(3, 3, 4),
  }),
  observation('follow-up-copy', '91147-9', {
    identifier: [{ system: 'urn:example:submission', value: 'follow-up-submission' }],
    effectiveDateTime: '2026-03-02T09:00:00-07:00',
    valueQuantity: qty(3.5),
  }),
  // A score derived from a QuestionnaireResponse read apart (RESPONSE below): one administration,
  // the response's.
  observation('from-response', '91147-9', {
    effectiveDateTime: '2026-04-06T09:00:00-06:00',
    valueQuantity: qty(4.2),
    derivedFrom: [{ reference: 'QuestionnaireResponse/qr-1' }],
  }),
  // A score JSON gave as Infinity (1e999): out of range, whatever its components say.
  observation('infinite', '91147-9', {
    effectiveDateTime: '2026-04-13T09:00:00-06:00',
    valueQuantity: qty(Number.POSITIVE_INFINITY),
    component: items(4, 4, 4),
  }),
  // Malformed identifier and derivedFrom entries are passed over; the score is read.
  observation('odd-entries', '91147-9', {
    effectiveDateTime: '2026-04-20T09:00:00-06:00',
    valueQuantity: qty(6),
    identifier: [null as unknown as Identifier],
    derivedFrom: [null as unknown as Reference],
  }),
  // Not a PEG code: no record.
  observation('blood-pressure', '85354-9', { valueQuantity: qty(120) }),
];

/** The PEG the QuestionnaireResponse qr-1 gave (what its reader writes as a 'peg' record). */
const RESPONSE: PatientRecord = {
  kind: 'peg',
  administration: {
    date: '2026-04-06T09:00:00-06:00',
    score: 4,
    mean: 4,
    items: { pain: 4, enjoyment: 4, activity: 4 },
    subject: 'Patient/p1',
    sources: ['QuestionnaireResponse/qr-1'],
    keys: ['QuestionnaireResponse/qr-1'],
    derivedFrom: [],
  },
};

describe('PEG Observations read one by one into records (clbp outcomes)', () => {
  const counts = emptyCounts();
  const records = [
    ...OBSERVATIONS.flatMap((o) => patientRecords(o as unknown as Json, new Definitions(), counts)),
    RESPONSE,
  ];
  // Through JSON, as the records travel between the first pass and the per-patient step.
  const travelled = JSON.parse(JSON.stringify(records)) as PatientRecord[];
  const evidence = evidenceFromRecords(travelled, counts, {
    inGroup: false,
    medicationRecords: false,
    eligibility: DEFAULT_ELIGIBILITY_CONFIG,
  });

  it('gives the administrations, exact means and unusable Observations worked out by hand', () => {
    const day = (iso: string) => parseIsoDay(iso);
    expect(evidence.pegs).toEqual([
      { day: day('2026-01-05'), score: 20 / 3 },
      { day: day('2026-01-12'), score: 5 },
      { day: day('2026-01-19'), score: 5 },
      { day: day('2026-01-26'), score: 3 },
      { day: day('2026-01-26'), score: 4 },
      { day: day('2026-03-02'), score: 10 / 3 },
      { day: day('2026-04-06'), score: 4 },
      { day: day('2026-04-20'), score: 6 },
    ]);
    // preliminary, no-time, out-of-range, lonely-pain, twin-item (not attributed), infinite
    expect(counts.skipped['peg-observation-unusable']).toBe(6);
  });

  it('keeps every fact whole through JSON: the same administrations, sources, keys and skips', () => {
    const facts = travelled.flatMap((record) =>
      record.kind === 'peg-observation' ? [pegObservationReading(record)] : [],
    );
    const app = pegFromObservations(OBSERVATIONS);
    expect(pegFromObservationFacts(facts)).toEqual(app);
    const merged = mergePegHistory(app.administrations);
    const followUp = merged.find((a) => a.date.startsWith('2026-03-02'));
    expect(followUp?.sources).toEqual(['Observation/follow-up', 'Observation/follow-up-copy']);
    const derived = app.administrations.find((a) => a.date.startsWith('2026-04-06'));
    expect(derived?.derivedFrom).toEqual(['QuestionnaireResponse/qr-1']);
    expect(app.skipped.map((skip) => skip.reference)).toContain('Observation/infinite');
  });

  it('gives the administrations the app reads from the whole Observations', () => {
    const app = pegFromObservations(OBSERVATIONS);
    const expected = mergePegHistory([...app.administrations, RESPONSE.administration]).map(
      (a) => ({
        day: fullDayIndex(a.date),
        score: pegMean(a),
      }),
    );
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(evidence.pegs).toEqual(expected);
    expect(counts.skipped['peg-observation-unusable']).toBe(app.skipped.length);
  });

  it('keeps one record per PEG Observation, none for other codes', () => {
    expect(records.map((r) => r.kind)).toEqual([
      ...Array.from({ length: OBSERVATIONS.length - 1 }, () => 'peg-observation'),
      'peg',
    ]);
  });
});
