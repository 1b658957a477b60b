import type { Observation, Questionnaire, QuestionnaireResponse, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import pegQuestionnaire from '../../../questionnaires/peg.json' with { type: 'json' };
import {
  PEG_QUESTIONNAIRE_URL,
  PEG_QUESTIONNAIRE_VERSION,
} from '../../../src/domain/codes/canonical.ts';
import type { PegAdministration } from '../../../src/domain/peg/peg.ts';
import { mergePegHistory } from '../../../src/domain/peg/history.ts';
import { pegFromObservations } from '../../../src/domain/peg/observations.ts';
import { pegFromQuestionnaireResponse } from '../../../src/domain/peg/questionnaireResponse.ts';
import { generateSeed } from '../../../src/sandbox/seed/seed.ts';

const seed = generateSeed({ asOf: new Date('2026-11-21T19:35:00Z'), heavy30k: true });
const OURS = `${PEG_QUESTIONNAIRE_URL}|${PEG_QUESTIONNAIRE_VERSION}`;
const LOINC = 'http://loinc.org';
const ITEM_CODES = ['75893-8', '91145-3', '91146-1'];

const responses = seed.resources.filter(
  (r): r is QuestionnaireResponse => r.resourceType === 'QuestionnaireResponse',
);
const observations = seed.resources.filter(
  (r): r is Observation => r.resourceType === 'Observation',
);
const questionnaires = seed.resources.filter(
  (r): r is Questionnaire => r.resourceType === 'Questionnaire',
);
const pegScoreObservations = observations.filter((o) =>
  o.code.coding?.some((c) => c.system === LOINC && c.code === '91147-9'),
);
const ours = responses.filter((r) => r.questionnaire === OURS);
// Other vendors' PEG forms: not one of the app's own Questionnaires (PEG, screening, evaluation).
const foreign = responses.filter(
  (r) => !(r.questionnaire ?? '').startsWith('http://fhir.clbp-pathway.org/'),
);

// The LOINC 0-10 answer list LL2335-9, as given in the project brief.
const ANSWER_CODE_VALUES: [string, number][] = [
  ['LA6111-4', 0],
  ['LA6112-2', 1],
  ['LA6113-0', 2],
  ['LA6114-8', 3],
  ['LA6115-5', 4],
  ['LA10137-0', 5],
  ['LA10138-8', 6],
  ['LA10139-6', 7],
  ['LA10140-4', 8],
  ['LA10141-2', 9],
  ['LA13942-0', 10],
];
const valueOf = new Map(ANSWER_CODE_VALUES);
const round2 = (x: number) => Math.round(x * 100) / 100;

describe('PEG records in the sandbox seed', () => {
  it('answers our PEG Questionnaire with LOINC 0-10 codings and a score to 2 decimals', () => {
    expect(ours.length).toBeGreaterThan(40);
    for (const r of ours) {
      expect(r).toMatchObject({ status: 'completed', author: { reference: 'Practitioner/pcp-1' } });
      expect(r.item?.map((i) => i.linkId)).toEqual([
        'peg-pain',
        'peg-enjoyment',
        'peg-activity',
        'peg-score',
      ]);
      const values = (r.item ?? []).slice(0, 3).map((i) => {
        const coding = i.answer?.[0]?.valueCoding;
        expect(coding?.system).toBe(LOINC);
        return valueOf.get(coding?.code ?? '') ?? NaN;
      });
      expect(r.item?.[3]?.answer?.[0]?.valueDecimal).toBe(
        round2((values[0]! + values[1]! + values[2]!) / 3),
      );
    }
  });

  it('derives a 91147-9 Observation from each of our responses with the same items and score', () => {
    const derived = pegScoreObservations.filter((o) => o.derivedFrom !== undefined);
    expect(derived.length).toBe(ours.length);
    for (const o of derived) {
      const response = ours.find(
        (r) => `QuestionnaireResponse/${r.id ?? ''}` === o.derivedFrom?.[0]?.reference,
      );
      expect(o).toMatchObject({ status: 'final', effectiveDateTime: response?.authored });
      expect(o.category?.[0]?.coding?.[0]?.code).toBe('survey');
      expect(o.valueQuantity).toEqual({
        value: response?.item?.[3]?.answer?.[0]?.valueDecimal,
        unit: '{score}',
        system: 'http://unitsofmeasure.org',
        code: '{score}',
      });
      expect(o.component?.map((c) => c.code.coding?.[0]?.code)).toEqual(ITEM_CODES);
      expect(o.component?.map((c) => c.valueQuantity?.value)).toEqual(
        response?.item?.slice(0, 3).map((i) => valueOf.get(i.answer?.[0]?.valueCoding?.code ?? '')),
      );
    }
  });

  it('holds another vendor’s PEG form, answered with integers and never turned into an Observation', () => {
    expect(foreign.length).toBeGreaterThan(0);
    for (const r of foreign) {
      const [url, version] = (r.questionnaire ?? '').split('|');
      const form = questionnaires.find((q) => q.url === url && q.version === version);
      expect(form?.item?.map((i) => i.code?.[0]?.code)).toEqual(ITEM_CODES);
      expect(form?.item?.map((i) => i.linkId)).toEqual(['1', '2', '3']);
      expect(r.item?.every((i) => Number.isInteger(i.answer?.[0]?.valueInteger))).toBe(true);
      const ref = `QuestionnaireResponse/${r.id ?? ''}`;
      expect(observations.filter((o) => o.derivedFrom?.some((d) => d.reference === ref))).toEqual(
        [],
      );
    }
  });

  it('has item Observations without a score, and score Observations without items', () => {
    const items = observations.filter((o) => ITEM_CODES.includes(o.code.coding?.[0]?.code ?? ''));
    const times = new Set(
      items.map((o) => `${o.subject?.reference ?? ''}@${o.effectiveDateTime ?? ''}`),
    );
    expect(items.length).toBe(times.size * 3);
    for (const t of times) {
      expect(
        pegScoreObservations.filter(
          (o) => `${o.subject?.reference ?? ''}@${o.effectiveDateTime ?? ''}` === t,
        ),
      ).toEqual([]);
    }
    expect(items.some((o) => o.valueInteger !== undefined)).toBe(true);
    expect(items.some((o) => o.valueQuantity !== undefined)).toBe(true);
    expect(pegScoreObservations.filter((o) => o.component === undefined).length).toBeGreaterThan(0);
  });
});

describe('the app’s PEG readers find every designed administration', () => {
  const forms = [pegQuestionnaire as Questionnaire, ...questionnaires];
  function history(patientId: string): PegAdministration[] {
    const mine = (r: Resource) =>
      (r as { subject?: { reference?: string } }).subject?.reference === `Patient/${patientId}`;
    const fromResponses = responses.filter(mine).flatMap((r) => {
      const form = forms.find((q) => q.url === r.questionnaire?.split('|')[0]);
      const reading = form ? pegFromQuestionnaireResponse(r, form) : undefined;
      return reading?.kind === 'administration' ? [reading.administration] : [];
    });
    const fromObservations = pegFromObservations(observations.filter(mine));
    expect(fromObservations.skipped).toEqual([]);
    return mergePegHistory([...fromResponses, ...fromObservations.administrations]);
  }

  it.each([
    ['clbp-eligible', [6, 6.33]],
    ['clbp-red-flag', [5.33, 5.67]],
    ['no-back-pain', []],
    ['opioid-taper', [6.33, 4.67]],
    ['fentanyl-patch', [7]],
    ['referred-followup', [6.67, 5.33]],
    ['minor', [4.67]],
  ])('%s reads as PEG scores %j', (patientId, scores) => {
    expect(history(patientId).map((a) => a.score)).toEqual(scores);
  });

  const shapes = (administrations: readonly PegAdministration[]): Record<string, number> => {
    const shapeOf = (a: PegAdministration): string => {
      const types = a.sources.map((source) => source.split('/')[0]);
      if (types.includes('QuestionnaireResponse')) {
        return types.includes('Observation') ? 'response+observation' : 'response only';
      }
      return a.items === undefined ? 'score only' : 'items';
    };
    const counts: Record<string, number> = {};
    for (const a of administrations) {
      counts[shapeOf(a)] = (counts[shapeOf(a)] ?? 0) + 1;
    }
    return counts;
  };

  it('heavy-history reads as 60 monthly administrations from all four shapes', () => {
    expect(shapes(history('heavy-history'))).toEqual({
      'response+observation': 42,
      'response only': 6,
      items: 6,
      'score only': 6,
    });
  });

  it('heavy-30k reads as 600 monthly administrations over fifty years, none merged across copies', () => {
    const all = history('heavy-30k');
    expect(shapes(all)).toEqual({
      'response+observation': 420,
      'response only': 60,
      items: 60,
      'score only': 60,
    });
    const days = all.map((a) => a.date.slice(0, 10));
    expect(new Set(days).size).toBe(600);
    expect([...days].sort()).toEqual(days);
  });
});
