/**
 * The research table scores a PEG as the screen does: the exact mean of the three items, with
 * the PEG module's verdicts. PEG 7/7/6 → 5/5/4 is exactly a 30% drop (20/3 → 14/3); on 2-decimal
 * scores (6.67 → 4.67) it would be 29.99% and miss.
 */
import type { QuestionnaireResponse } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  Definitions,
  emptyCounts,
  patientEvidence,
} from '../../../src/domain/outcomes/patientEvidence.ts';
import type { Json } from '../../../src/domain/outcomes/resourceShape.ts';
import { OutcomeTally } from '../../../src/domain/outcomes/outcomeTable.ts';
import { DEFAULT_ELIGIBILITY_CONFIG } from '../../../src/domain/screening/eligibilityConfig.ts';
import { pegAnswerCodeFor } from '../../../src/domain/peg/peg.ts';
import { eligibleScreening } from '../../../src/sandbox/seed/screening.ts';
import { PEG_QUESTIONNAIRE } from '../../../src/fhir/questionnaires.ts';
import { parseIsoDay } from '../../../src/domain/fhir-primitives/dates.ts';

function peg(
  id: string,
  authored: string,
  [p, e, g]: [number, number, number],
): QuestionnaireResponse {
  const answer = (value: number) => [
    { valueCoding: { system: 'http://loinc.org', code: pegAnswerCodeFor(value) ?? '' } },
  ];
  return {
    resourceType: 'QuestionnaireResponse',
    id,
    status: 'completed',
    questionnaire: PEG_QUESTIONNAIRE.url ?? '',
    subject: { reference: 'Patient/p1' },
    authored,
    item: [
      { linkId: 'peg-pain', answer: answer(p) },
      { linkId: 'peg-enjoyment', answer: answer(e) },
      { linkId: 'peg-activity', answer: answer(g) },
    ],
  };
}

describe('exact PEG means in the research table', () => {
  const definitions = new Definitions();
  definitions.add(PEG_QUESTIONNAIRE as unknown as Json);
  const evidence = patientEvidence(
    [
      { resourceType: 'Patient', id: 'p1', birthDate: '1970-01-01' },
      eligibleScreening('s1', 'p1', '2025-01-02T09:00:00-07:00'),
      peg('b', '2025-01-10T09:00:00-07:00', [7, 7, 6]),
      peg('f', '2025-03-07T09:00:00-07:00', [5, 5, 4]),
    ].map((r) => r as unknown as Json),
    definitions,
    emptyCounts(),
    { inGroup: false, medicationRecords: false, eligibility: DEFAULT_ELIGIBILITY_CONFIG },
  );

  it('keeps each administration as the exact mean of its items', () => {
    expect(evidence.pegs.map((p) => p.score)).toEqual([20 / 3, 14 / 3]);
  });

  it('counts 7/7/6 → 5/5/4 as a 30% responder, as the screen does', () => {
    const tally = new OutcomeTally({ kind: 'referral' }, parseIsoDay('2026-01-01') ?? 0);
    tally.add(evidence);
    const week8 = tally.report().rows[0]?.comparison;
    expect(week8?.n).toBe(1);
    expect(week8?.improvedThirtyPercent).toMatchObject({ successes: 1, n: 1 });
    expect(week8?.improvedOnePoint).toMatchObject({ successes: 1, n: 1 });
  });
});
