/**
 * A save whose conditional create answers "already there" is "saved" only when the record there
 * holds what was sent; the same submission with other answers (a duplicated tab) is a conflict.
 */
import type { Bundle, QuestionnaireResponse } from 'fhir/r4';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conditionalCreate, submitTransaction } from '../../src/fhir/transaction.ts';
import { createTransport } from '../../src/fhir/transport.ts';
import { BASE } from './support/fakeFhir.ts';

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
  createTransport({ baseUrl: BASE, auth: { token: () => Promise.resolve('t') } });

const response = (pain: string): QuestionnaireResponse => ({
  resourceType: 'QuestionnaireResponse',
  status: 'completed',
  item: [{ linkId: 'pain', answer: [{ valueCoding: { system: 'http://loinc.org', code: pain } }] }],
});

/** The EHR answers the transaction: 200, the record found, with or without the record itself. */
function found(stored: QuestionnaireResponse, inline: boolean) {
  const record = { ...stored, id: 'qr-1', meta: { versionId: '1' } };
  return [
    http.post(`${BASE}/`, () =>
      HttpResponse.json({
        resourceType: 'Bundle',
        type: 'transaction-response',
        entry: [
          {
            ...(inline ? { resource: record } : {}),
            response: { status: '200', location: 'QuestionnaireResponse/qr-1/_history/1' },
          },
        ],
      } satisfies Bundle),
    ),
    http.get(`${BASE}/QuestionnaireResponse/qr-1`, () => HttpResponse.json(record)),
  ];
}

describe('a record found by a retry', () => {
  it.each([true, false])(
    'counts as saved when it holds what was sent (record in the answer: %s)',
    async (inline) => {
      server.use(...found(response('LA6114-8'), inline));
      const entry = conditionalCreate('urn:uuid:a', response('LA6114-8'), 'sub-1');
      await expect(submitTransaction(transport(), [entry], 'Saving the PEG')).resolves.toEqual([
        { resourceType: 'QuestionnaireResponse', id: 'qr-1', status: 200 },
      ]);
    },
  );

  it.each([true, false])(
    'is a conflict, never "saved", when it holds other answers (record in the answer: %s)',
    async (inline) => {
      server.use(...found(response('LA6115-5'), inline));
      const entry = conditionalCreate('urn:uuid:a', response('LA6114-8'), 'sub-1');
      const saving = submitTransaction(transport(), [entry], 'Saving the PEG');
      await expect(saving).rejects.toThrow(
        'already holds a record of this submission with other answers (QuestionnaireResponse/qr-1',
      );
      await expect(saving).rejects.toHaveProperty('kind', 'conflict');
    },
  );
});
