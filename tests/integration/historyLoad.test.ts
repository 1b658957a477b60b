/**
 * A long chart in two round trips (fhir/historySearch.ts, fhir/summaryLoad.ts): the newest page
 * first, then every older record, each once, whatever the server does with `_sort`.
 */
import type { Observation, Resource } from 'fhir/r4';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardFor } from '../../src/fhir/guards.ts';
import { searchNewestFirst } from '../../src/fhir/historySearch.ts';
import type { SearchResult } from '../../src/fhir/search.ts';
import { SUMMARY_KEYS } from '../../src/fhir/summary.ts';
import { loadSummary, type SummaryEvent } from '../../src/fhir/summaryLoad.ts';
import { createTransport } from '../../src/fhir/transport.ts';
import { BASE, fakeFhirHandlers } from './support/fakeFhir.ts';

/** A monthly PEG score, the `i`-th month of 2020 onwards. */
function peg(i: number): Observation {
  const month = new Date(Date.UTC(2020, i, 15, 16));
  return {
    resourceType: 'Observation',
    id: `peg-${String(i)}`,
    status: 'final',
    subject: { reference: 'Patient/a' },
    code: { coding: [{ system: 'http://loinc.org', code: '91147-9' }] },
    effectiveDateTime: month.toISOString(),
    valueQuantity: { value: i % 10 },
  };
}

const pegs = Array.from({ length: 250 }, (_, i) => peg(i));
const patient: Resource = { resourceType: 'Patient', id: 'a' };
const server = setupServer();

beforeAll(() => {
  server.listen({ onUnhandledFrame: 'error' });
});
afterEach(() => {
  server.resetHandlers();
});
afterAll(() => {
  server.close();
});

const transport = () =>
  createTransport({
    baseUrl: BASE,
    auth: { token: () => Promise.resolve('token-1') },
    sleep: () => Promise.resolve(),
    maxConcurrent: 6,
  });

const search = {
  label: 'Observation search',
  guard: guardFor('Observation'),
  resourceType: 'Observation',
  params: [['patient', 'a']] as const,
  includes: [],
  order: {
    sortParam: 'date',
    firstPage: 100,
    dateOf: (o: Observation) => o.effectiveDateTime,
  },
};

type PegSearch = SearchResult<Observation>;

const ids = (result: SearchResult<Observation>) => result.matches.map((o) => o.id).sort();

describe('a search read newest first', () => {
  it('answers with the newest page and says after which date it is complete, then reads every older record once', async () => {
    server.use(...fakeFhirHandlers(pegs));
    const first = await searchNewestFirst(transport(), search);
    expect(first.result.matches.map((o) => o.id).slice(0, 2)).toEqual(['peg-249', 'peg-248']);
    expect(first.result.matches).toHaveLength(100);
    expect(first.result.incomplete).toEqual({ completeAfter: peg(150).effectiveDateTime });
    const whole = await first.rest?.();
    expect(whole?.incomplete).toBeUndefined();
    expect(ids(whole as SearchResult<Observation>)).toEqual(pegs.map((p) => p.id).sort());
    // First page, then the rest in one page of up to 1,000 (the server counted 250).
    expect(whole?.pages).toBe(2);
  });

  it('answers whole at once when the first page holds every record', async () => {
    server.use(...fakeFhirHandlers(pegs.slice(0, 40)));
    const first = await searchNewestFirst(transport(), search);
    expect(first.rest).toBeUndefined();
    expect(first.result.incomplete).toBeUndefined();
    expect(first.result.matches).toHaveLength(40);
  });

  it('still reads every record from a server that ignores _sort, and claims no date', async () => {
    server.use(...fakeFhirHandlers(pegs, 1000, { ignoreSort: true }));
    const first = await searchNewestFirst(transport(), search);
    expect(first.result.incomplete).toEqual({ completeAfter: undefined });
    const whole = await first.rest?.();
    expect(ids(whole as SearchResult<Observation>)).toEqual(pegs.map((p) => p.id).sort());
  });

  it('says so when the pages end before every record the server counted', async () => {
    server.use(
      http.get(`${BASE}/Observation`, ({ request }) => {
        const older = new URL(request.url).searchParams.get('_sort') === 'date';
        return HttpResponse.json({
          resourceType: 'Bundle',
          type: 'searchset',
          total: 250,
          entry: (older ? pegs.slice(0, 20) : pegs.slice(150).reverse()).map((resource) => ({
            resource,
            search: { mode: 'match' },
          })),
          link: older ? [] : [{ relation: 'next', url: `${BASE}/Observation?page=2` }],
        });
      }),
    );
    const first = await searchNewestFirst(transport(), search);
    await expect(first.rest?.()).rejects.toMatchObject({
      kind: 'malformed',
      message: 'Observation search: the EHR counted 250 records but its pages held 120.',
    });
  });
});

describe('the summary at launch', () => {
  const only = new Set(['patient', 'conditions', 'pegObservations'] as const);

  /** The PEG Observation search's answers in order ('error' for a failure). */
  const pegAnswers = (events: readonly SummaryEvent[]): (PegSearch | 'error')[] =>
    events.flatMap((e): (PegSearch | 'error')[] =>
      e.key !== 'pegObservations' ? [] : 'data' in e ? [e.data as PegSearch] : ['error'],
    );

  async function load(): Promise<SummaryEvent[]> {
    const events: SummaryEvent[] = [];
    await loadSummary(transport(), 'a', new Set(only), (e) => events.push(e)).done;
    return events;
  }

  it('shows the newest PEGs first, then all of them; the Patient read only when no include brought it', async () => {
    server.use(...fakeFhirHandlers([patient, ...pegs]));
    const events = await load();
    const answers = pegAnswers(events);
    expect(answers.map((a) => (a === 'error' ? a : a.matches.length))).toEqual([100, 250]);
    expect(answers.map((a) => (a === 'error' ? a : a.incomplete))).toEqual([
      { completeAfter: peg(150).effectiveDateTime },
      undefined,
    ]);
    expect(events.filter((e) => e.key === 'patient')).toEqual([{ key: 'patient', data: patient }]);
    expect(
      SUMMARY_KEYS.filter((k) => !only.has(k as never)).some((k) =>
        events.some((e) => e.key === k),
      ),
    ).toBe(false);
  });

  it('keeps the newest PEGs on screen with the error when the older ones cannot be read', async () => {
    server.use(
      http.get(`${BASE}/Observation`, ({ request }) =>
        new URL(request.url).searchParams.get('_sort') === 'date'
          ? HttpResponse.json(
              {
                resourceType: 'OperationOutcome',
                issue: [{ severity: 'error', code: 'exception', diagnostics: 'disk on fire' }],
              },
              { status: 500 },
            )
          : undefined,
      ),
      ...fakeFhirHandlers([patient, ...pegs]),
    );
    const events = await load();
    const last = pegAnswers(events).at(-1);
    expect(last !== 'error' && last?.matches).toHaveLength(100);
    expect(last !== 'error' && last?.incomplete).toMatchObject({
      completeAfter: peg(150).effectiveDateTime,
      error: { kind: 'server', status: 500 },
    });
  });

  it('shows nothing of a first page whose dates are not newest first, until every record is in', async () => {
    server.use(...fakeFhirHandlers([patient, ...pegs], 1000, { ignoreSort: true }));
    const events = await load();
    const answers = pegAnswers(events);
    expect(answers).toHaveLength(1);
    expect(answers[0] !== 'error' && answers[0]?.matches).toHaveLength(250);
  });

  it('reads the older medication records before the older PEGs, which wait for them', async () => {
    // 300 orders: more than the first page of 250 holds, so both searches have a rest to read.
    const orders: Resource[] = Array.from({ length: 300 }, (_, i) => ({
      resourceType: 'MedicationRequest',
      id: `mr-${String(i)}`,
      status: 'completed',
      intent: 'order',
      subject: { reference: 'Patient/a' },
      medicationCodeableConcept: { text: 'oxycodone 5 mg tablet' },
      authoredOn: new Date(Date.UTC(2015, 0, 1 + i * 7)).toISOString(),
    }));
    server.use(...fakeFhirHandlers([patient, ...pegs, ...orders]));
    const log: string[] = [];
    const started = (request: Request) => {
      const sort = new URL(request.url).searchParams.get('_sort') ?? '';
      return `${new URL(request.url).pathname.split('/').at(-1) ?? ''} ${sort}`;
    };
    const onStart = ({ request }: { request: Request }) => log.push(`start ${started(request)}`);
    const onEnd = ({ request }: { request: Request }) => log.push(`end ${started(request)}`);
    server.events.on('request:start', onStart);
    server.events.on('response:mocked', onEnd);
    try {
      const events: SummaryEvent[] = [];
      const keys = new Set([
        'patient',
        'conditions',
        'pegObservations',
        'medicationRequests',
      ] as const);
      await loadSummary(transport(), 'a', keys, (e) => events.push(e)).done;
      const whole = events.filter((e) => e.key === 'medicationRequests' && 'data' in e).at(-1);
      expect(whole !== undefined && 'data' in whole && whole.data.matches).toHaveLength(300);
      expect(pegAnswers(events).map((a) => (a === 'error' ? a : a.matches.length))).toEqual([
        100, 250,
      ]);
    } finally {
      server.events.removeListener('request:start', onStart);
      server.events.removeListener('response:mocked', onEnd);
    }
    const medicationsDone = log.indexOf('end MedicationRequest authoredon');
    const olderPegs = log.indexOf('start Observation date');
    expect(medicationsDone).toBeGreaterThan(-1);
    expect(olderPegs).toBeGreaterThan(medicationsDone);
    // The first pages went out together, before either rest.
    expect(log.indexOf('start Observation -date')).toBeLessThan(medicationsDone);
  });
});
