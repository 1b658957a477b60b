import { matchesSearchRequest, parseSearchRequest } from '@medplum/core';
import type { Observation, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createFhirRepository,
  loadResources,
  type SandboxRepository,
} from '../../../src/sandbox/fhir/fhirServer.ts';
import { filterKeys, indexKeys } from '../../../src/sandbox/fhir/searchIndex.ts';
import { Operator } from '@medplum/core';

const LOINC = 'http://loinc.org';

function observation(id: string, patient: string, code: string, extra: Partial<Observation> = {}) {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: LOINC, code }], text: `text ${code}` },
    subject: { reference: patient },
    effectiveDateTime: `2026-01-${String(10 + (id.length % 10)).padStart(2, '0')}T10:00:00Z`,
    ...extra,
  } satisfies Observation;
}

const SEED: Resource[] = [
  observation('a1', 'Patient/a', '91147-9'),
  observation('a2', 'Patient/a', '75893-8'),
  observation('a3', 'Patient/a', '8867-4'),
  observation('b1', 'Patient/b', '91147-9'),
  observation('b2', 'Patient/b', '91147-9', { performer: [{ reference: 'Patient/a' }] }),
  observation('c1', 'http://other.example/fhir/Patient/a', '91147-9'),
  observation('d1', 'Group/a', '91147-9'),
  observation('e1', 'Patient/a', 'x', {
    code: { text: 'no coding' },
    component: [{ code: { coding: [{ system: LOINC, code: '91147-9' }] } }],
  }),
];

/** What medplum's matcher says over every stored resource: the answer without an index. */
async function fullScan(repo: SandboxRepository, query: Record<string, string>) {
  const request = parseSearchRequest('Observation', query);
  const all = (await repo.search(parseSearchRequest('Observation', { _count: '1000' }))).entry;
  return (all ?? [])
    .map((e) => e.resource as Resource)
    .filter((r) => matchesSearchRequest(r, request))
    .map((r) => r.id);
}

const QUERIES: Record<string, string>[] = [
  { patient: 'a' },
  { patient: 'Patient/a' },
  { subject: 'Patient/a' },
  { subject: 'Group/a' },
  { patient: 'a', code: `${LOINC}|91147-9` },
  { patient: 'Patient/a,Patient/b', code: `${LOINC}|91147-9,${LOINC}|75893-8` },
  { code: `${LOINC}|91147-9` },
  { code: '91147-9' },
  { code: 'text 8867-4' },
  { 'code:not': `${LOINC}|91147-9`, patient: 'a' },
  { 'patient-compartment': 'Patient/a' },
  { 'patient-compartment': 'Patient/a', code: `${LOINC}|91147-9` },
  { performer: 'Patient/a' },
];

describe('the sandbox search pre-filter', () => {
  let repo: SandboxRepository;
  beforeAll(async () => {
    repo = await createFhirRepository();
    await loadResources(repo, SEED);
  });

  it('reads references and coding codes anywhere in a resource as keys', () => {
    expect([...indexKeys(SEED[4])].sort()).toEqual([
      'code:91147-9',
      'ref:Patient/a',
      'ref:Patient/b',
      'refid:a',
      'refid:b',
    ]);
  });

  it.each([
    [
      { code: 'patient', operator: Operator.EQUALS, value: 'Patient/a' },
      'reference',
      ['ref:Patient/a'],
    ],
    [{ code: 'patient', operator: Operator.EQUALS, value: 'a' }, 'reference', ['refid:a']],
    [{ code: 'patient', operator: Operator.NOT, value: 'a' }, 'reference', undefined],
    [{ code: 'code', operator: Operator.EQUALS, value: `${LOINC}|X` }, 'token', ['code:x']],
    [{ code: 'code', operator: Operator.EQUALS, value: 'X' }, 'token', undefined],
    [{ code: 'code', operator: Operator.EQUALS, value: `${LOINC}|` }, 'token', undefined],
    [{ code: 'status', operator: Operator.EQUALS, value: 'final' }, 'token', undefined],
  ])('narrows %j (a %s parameter) by %j', (filter, type, keys) => {
    expect(filterKeys(filter, type)).toEqual(keys);
  });

  it.each(QUERIES)('finds exactly what a full scan finds for %j', async (query) => {
    const found = await repo.search(parseSearchRequest('Observation', { ...query, _count: '100' }));
    expect(found.entry?.map((e) => e.resource?.id) ?? []).toEqual(await fullScan(repo, query));
  });

  it('stays exact across creates, updates, deletes and a rolled-back transaction', async () => {
    await repo.createResource(observation('n1', 'Patient/a', '91147-9'));
    await repo.updateResource(observation('a1', 'Patient/b', '91147-9'));
    await repo.deleteResource('Observation', 'a2');
    await expect(
      repo.withTransaction(async () => {
        await repo.createResource(observation('t1', 'Patient/a', '91147-9'));
        await repo.updateResource(observation('b1', 'Patient/a', '75893-8'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    for (const query of QUERIES) {
      const found = await repo.search(
        parseSearchRequest('Observation', { ...query, _count: '100' }),
      );
      expect({ query, ids: found.entry?.map((e) => e.resource?.id) ?? [] }).toEqual({
        query,
        ids: await fullScan(repo, query),
      });
    }
    const mine = await repo.search(
      parseSearchRequest('Observation', { patient: 'a', code: `${LOINC}|91147-9` }),
    );
    expect(mine.entry?.map((e) => e.resource?.id)).toEqual(['n1']);
  });
});
