/**
 * Methadone or buprenorphine given for opioid use disorder is treatment, not pain MME
 * (clinical.md "Opioid dose"; CDC 2022 MME table: "These conversion factors should not be applied
 * to dosage decisions related to the management of opioid use disorder"). An opioid use disorder
 * on the chart (CDC value set `opioid-misuse-disorders`) marks the methadone and buprenorphine
 * records as OUD treatment: shown, not counted, and said why.
 */
import { OPIOID_MISUSE_DISORDERS } from '../codes/cdcValueSets.generated.ts';
import { codingInValueSet } from '../codes/valueSets.ts';
import { BUPRENORPHINE_RXCUI } from './factors.ts';
import type { MedicationMmeResult } from './result.ts';
import { isRecord, rec, recs, str } from '../fhir-primitives/json.ts';

/** Methadone (RxNorm ingredient 6813). */
export const METHADONE_RXCUI = '6813';

/** An opioid use disorder Condition on the chart. */
export interface OudCondition {
  readonly reference: string | undefined;
  readonly code: string;
  readonly display: string | undefined;
}

/**
 * clinicalStatus codes after which the disorder no longer marks treatment. Remission still does:
 * a patient in remission on methadone or buprenorphine is in treatment. *verify*
 */
const ENDED = ['inactive', 'resolved'];
const DISCARDED = ['refuted', 'entered-in-error'];

function statusCode(resource: unknown, key: string): string | undefined {
  return recs(rec(resource, key), 'coding')
    .map((c) => str(c, 'code'))
    .find((c) => c !== undefined);
}

/** The opioid use disorder Conditions among `resources` (other resources are skipped). */
export function oudConditions(resources: Iterable<unknown>): OudCondition[] {
  const found: OudCondition[] = [];
  for (const resource of resources) {
    if (!isRecord(resource) || resource['resourceType'] !== 'Condition') {
      continue;
    }
    const clinical = statusCode(resource, 'clinicalStatus');
    const verification = statusCode(resource, 'verificationStatus');
    if (
      (clinical !== undefined && ENDED.includes(clinical)) ||
      (verification !== undefined && DISCARDED.includes(verification))
    ) {
      continue;
    }
    const codings = recs(rec(resource, 'code'), 'coding').map((c) => ({
      system: str(c, 'system'),
      code: str(c, 'code'),
      display: str(c, 'display'),
    }));
    const match = codingInValueSet(OPIOID_MISUSE_DISORDERS, codings);
    if (match?.code !== undefined) {
      const id = str(resource, 'id');
      found.push({
        reference: id === undefined ? undefined : `Condition/${id}`,
        code: match.code,
        display: codings.find((c) => c.code === match.code)?.display,
      });
    }
  }
  return found;
}

const TREATMENT = [METHADONE_RXCUI, BUPRENORPHINE_RXCUI];

/**
 * With an opioid use disorder on the chart, methadone and buprenorphine results become excluded
 * (`oud-treatment`); other results are returned as they are. Without one, the input itself.
 */
export function applyOudTreatment(
  results: readonly MedicationMmeResult[],
  oud: readonly OudCondition[],
): readonly MedicationMmeResult[] {
  const [first] = oud;
  if (first === undefined) {
    return results;
  }
  const condition = `${first.display ?? 'opioid use disorder'} (${first.code}${first.reference === undefined ? '' : `, ${first.reference}`})`;
  return results.map((r): MedicationMmeResult => {
    const treatment = r.ingredients.some((i) => TREATMENT.includes(i.rxcui));
    if (!treatment || (r.kind === 'excluded' && r.reason !== 'buprenorphine')) {
      return r;
    }
    return {
      ...r,
      kind: 'excluded',
      mmePerDay: null,
      reason: 'oud-treatment',
      totalGroup: null,
      explanation: `not counted: opioid use disorder treatment, not pain MME (${condition} on the chart); ${r.explanation}`,
    };
  });
}
