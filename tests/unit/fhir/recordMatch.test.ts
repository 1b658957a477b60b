/** A record a retry finds is "the same" only when what the clinician entered is the same. */
import { describe, expect, it } from 'vitest';
import { sameEnteredContent } from '../../../src/fhir/recordMatch.ts';

const LOINC = 'http://loinc.org';
const answer = (code: string) => [{ valueCoding: { system: LOINC, code, display: code } }];
const peg = (pain: string, score: number) => ({
  resourceType: 'QuestionnaireResponse',
  status: 'completed',
  item: [
    { linkId: 'pain', answer: answer(pain) },
    { linkId: 'score', answer: [{ valueDecimal: score }] },
  ],
});

describe('sameEnteredContent', () => {
  it('takes the stored copy of what was sent as the same, whatever the server added', () => {
    const stored = {
      ...peg('LA6114-8', 6),
      id: 'qr-1',
      meta: { versionId: '1', lastUpdated: '2026-03-16T21:00:00Z' },
      text: { status: 'generated', div: '<div/>' },
      item: peg('LA6114-8', 6).item.map((i) => ({ ...i, text: 'added by the server' })),
    };
    expect(sameEnteredContent(peg('LA6114-8', 6), stored)).toBe(true);
  });

  it.each([
    ['another pain answer', peg('LA6115-5', 6)],
    ['another score', peg('LA6114-8', 6.33)],
    ['an answer left out', { ...peg('LA6114-8', 6), item: peg('LA6114-8', 6).item.slice(0, 1) }],
    ['another resource type', { ...peg('LA6114-8', 6), resourceType: 'Observation' }],
  ])('tells a response with %s apart', (_, stored) => {
    expect(sameEnteredContent(peg('LA6114-8', 6), stored)).toBe(false);
  });

  it('compares an Observation by its code, value and components', () => {
    const obs = (value: number, component: number) => ({
      resourceType: 'Observation',
      code: { coding: [{ system: LOINC, code: '91147-9' }] },
      valueQuantity: { value, code: '{score}' },
      component: [
        {
          code: { coding: [{ system: LOINC, code: '75893-2' }] },
          valueQuantity: { value: component },
        },
      ],
    });
    expect(sameEnteredContent(obs(6, 6), { ...obs(6, 6), id: 'x' })).toBe(true);
    expect(sameEnteredContent(obs(6, 6), obs(6, 7))).toBe(false);
  });

  it('compares a coded finding by its codes, not by its display text', () => {
    const finding = (code: string, display: string) => ({
      resourceType: 'Observation',
      code: { coding: [{ system: LOINC, code: '82810-3' }] },
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code, display }] },
    });
    expect(sameEnteredContent(finding('60001007', 'Not pregnant'), finding('60001007', 'x'))).toBe(
      true,
    );
    expect(sameEnteredContent(finding('60001007', 'Not pregnant'), finding('77386006', ''))).toBe(
      false,
    );
  });

  it('compares a referral by its note and preferred start, not by server fields', () => {
    const referral = (note: string) => ({
      resourceType: 'ServiceRequest',
      code: { coding: [{ system: 'urn:x', code: 'gmv' }] },
      note: [{ text: note, time: '2026-03-16T14:00:00-06:00' }],
      occurrencePeriod: { start: '2026-04-01' },
    });
    expect(
      sameEnteredContent(referral('prefers mornings'), {
        ...referral('prefers mornings'),
        status: 'active',
        id: 'sr-1',
      }),
    ).toBe(true);
    expect(sameEnteredContent(referral('prefers mornings'), referral('prefers evenings'))).toBe(
      false,
    );
  });
});
