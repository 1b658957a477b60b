/**
 * What a clinician entered in a record, in one comparable form, so that a record a retry finds
 * (a conditional create answered 200: "already there") can be told apart from the one sent: the
 * same submission may have been saved with other answers (a duplicated browser tab shares the
 * draft). Server-side additions (ids, meta, narrative, resolved references, timestamps the server
 * normalises) are left out; only entered content is compared.
 */
import type { JsonRecord as Json } from '../domain/fhir-primitives/json.ts';
import { isRecord, rec, recs, str } from '../domain/fhir-primitives/json.ts';

const records = (value: unknown): readonly Json[] =>
  Array.isArray(value) ? value.filter((v): v is Json => isRecord(v)) : [];

const coded = (coding: Json): string =>
  `${str(coding, 'system') ?? ''}|${str(coding, 'code') ?? ''}`;

/**
 * A value[x] as one comparable token: codings and concepts by system|code (never display text),
 * quantities by value and unit.
 */
function valueOf(holder: Json): unknown {
  for (const [key, value] of Object.entries(holder)) {
    if (!key.startsWith('value')) {
      continue;
    }
    if (isRecord(value) && 'coding' in value) {
      return codes(holder, key);
    }
    if (isRecord(value) && 'code' in value && !('value' in value)) {
      return coded(value);
    }
    if (isRecord(value) && 'value' in value) {
      return [Number(value['value']), value['code'] ?? value['unit'] ?? null];
    }
    return typeof value === 'string' ? value.trim() : value;
  }
  return null;
}

function codes(holder: Json, key: string): string[] {
  return recs(rec(holder, key), 'coding').map(coded).sort();
}

/** linkId → answers, for every item at any depth. */
function answers(items: unknown, into: [string, unknown[]][] = []): [string, unknown[]][] {
  for (const item of records(items)) {
    const given = records(item['answer']);
    if (given.length > 0) {
      into.push([String(item['linkId']), given.map(valueOf)]);
    }
    answers(item['item'], into);
    for (const answer of given) {
      answers(answer['item'], into);
    }
  }
  return into;
}

function entered(resource: Json): unknown {
  switch (resource['resourceType']) {
    case 'QuestionnaireResponse':
      return answers(resource['item']).sort(([a], [b]) => a.localeCompare(b));
    case 'Observation':
      return {
        code: codes(resource, 'code'),
        value: valueOf(resource),
        components: records(resource['component'])
          .map((c) => [codes(c, 'code').join(','), valueOf(c)])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      };
    case 'ServiceRequest':
      return {
        code: codes(resource, 'code'),
        notes: records(resource['note']).map((n) => (str(n, 'text') ?? '').trim()),
        occurrence: resource['occurrencePeriod'] ?? resource['occurrenceDateTime'] ?? null,
      };
    case 'Condition':
      return { code: codes(resource, 'code'), status: codes(resource, 'clinicalStatus') };
    default:
      return null; // nothing a clinician typed (a Task follows its ServiceRequest)
  }
}

/** Whether a stored record holds what was entered in the one sent (see the module comment). */
export function sameEnteredContent(sent: unknown, stored: unknown): boolean {
  if (!isRecord(sent) || !isRecord(stored) || sent['resourceType'] !== stored['resourceType']) {
    return false;
  }
  return JSON.stringify(entered(sent)) === JSON.stringify(entered(stored));
}
