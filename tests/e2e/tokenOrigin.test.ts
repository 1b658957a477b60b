/**
 * The bearer token goes only to the FHIR server, whatever URLs the server hands back. A second
 * loopback server ("elsewhere") records every request it receives; a hostile EHR points `clbp bulk`
 * at it through its status URL and manifest, `clbp export` through `next` links and a redirect,
 * and the app (real sandbox, real browser, one search answer rewritten on the way) through a
 * `next` link and a redirect. Elsewhere must never see an Authorization header (the browser never
 * reaches it: the page's Content-Security-Policy allows only the EHR), and each refusal is one
 * line naming the URL.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runClbp } from '../support/cli.ts';
import { appTestContext, launchPatient } from './support/app.ts';

const KEY_FILE = join(import.meta.dirname, '../fixtures/backend-client.private.jwk.json');
const SECRET = 'secret-token-for-the-ehr-only';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
}

async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; origin: string }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/fhir+json', ...headers });
  res.end(JSON.stringify(body));
}

const PATIENT = { resourceType: 'Patient', id: 'p1' };

let elsewhere: { server: Server; origin: string };
const seenElsewhere: Seen[] = [];
let ehr: { server: Server; origin: string };
/** What the hostile EHR answers this test. */
let mode:
  | 'status-elsewhere'
  | 'file-needs-token'
  | 'file-public'
  | 'next-elsewhere'
  | 'redirect-elsewhere' = 'next-elsewhere';

beforeAll(async () => {
  elsewhere = await listen((req, res) => {
    seenElsewhere.push({
      method: req.method ?? 'GET',
      url: req.url ?? '',
      authorization: req.headers.authorization,
    });
    if (req.url?.startsWith('/files/')) {
      res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
      res.end(`${JSON.stringify(PATIENT)}\n`);
      return;
    }
    json(res, 200, { resourceType: 'Bundle', type: 'searchset', entry: [] });
  });
  ehr = await listen((req, res) => {
    const url = new URL(req.url ?? '/', ehr.origin);
    const fhir = `${ehr.origin}/fhir`;
    if (url.pathname === '/fhir/.well-known/smart-configuration') {
      json(res, 200, { token_endpoint: `${ehr.origin}/token` });
    } else if (url.pathname === '/token') {
      json(res, 200, { access_token: SECRET, token_type: 'bearer', expires_in: 300 });
    } else if (url.pathname === '/fhir/Patient/$export') {
      const status =
        mode === 'status-elsewhere' ? `${elsewhere.origin}/status/1` : `${ehr.origin}/status/1`;
      res.writeHead(202, { 'Content-Location': status }).end();
    } else if (url.pathname === '/status/1' && req.method === 'DELETE') {
      res.writeHead(202).end();
    } else if (url.pathname === '/status/1') {
      json(res, 200, {
        transactionTime: '2026-01-01T00:00:00Z',
        request: `${fhir}/Patient/$export`,
        requiresAccessToken: mode === 'file-needs-token',
        output: [{ type: 'Patient', url: `${elsewhere.origin}/files/Patient.ndjson` }],
        error: [],
      });
    } else if (mode === 'redirect-elsewhere' && url.pathname.startsWith('/fhir/')) {
      res.writeHead(307, { Location: `${elsewhere.origin}${url.pathname}${url.search}` }).end();
    } else if (url.pathname === '/fhir/Patient/p1') {
      json(res, 200, PATIENT);
    } else {
      const type = url.pathname.replace('/fhir/', '');
      json(res, 200, {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [],
        link: [{ relation: 'next', url: `${elsewhere.origin}/fhir/${type}?page=2` }],
      });
    }
  });
});
afterAll(async () => {
  await Promise.all(
    [elsewhere.server, ehr.server].map((s) => new Promise((resolve) => s.close(resolve))),
  );
});

let out: string;
beforeEach(async () => {
  seenElsewhere.length = 0;
  out = await mkdtemp(join(tmpdir(), 'clbp-token-origin-'));
  return () => rm(out, { recursive: true, force: true });
});

async function bulk(): Promise<{ code: number; stderr: string }> {
  return runClbp([
    'bulk',
    '--fhir',
    `${ehr.origin}/fhir`,
    '--patient-level',
    '--type',
    'Patient',
    '--client-id',
    'clbp-research',
    '--key',
    KEY_FILE,
    '--out',
    out,
  ]);
}

const lastLine = (text: string): string => text.trim().split('\n').at(-1) ?? '';

describe('clbp bulk', () => {
  it('refuses a status URL on another server, and sends it nothing', async () => {
    mode = 'status-elsewhere';
    const { code, stderr } = await bulk();
    expect(code).toBe(1);
    expect(lastLine(stderr)).toBe(
      `clbp bulk: the export status URL: the server pointed to ${elsewhere.origin}/status/1, on another server than its FHIR server (${ehr.origin}/fhir); not followed.`,
    );
    expect(seenElsewhere).toEqual([]);
  });

  it('refuses a file on another server that the manifest says needs the token', async () => {
    mode = 'file-needs-token';
    const { code, stderr } = await bulk();
    expect(code).toBe(1);
    expect(lastLine(stderr)).toContain(`${elsewhere.origin}/files/Patient.ndjson`);
    expect(lastLine(stderr)).toContain('the token goes only to the FHIR server');
    expect(seenElsewhere).toEqual([]);
  });

  it('fetches a file that needs no token from another server, without the token', async () => {
    mode = 'file-public';
    const { code } = await bulk();
    expect(code).toBe(0);
    expect(seenElsewhere).toEqual([
      { method: 'GET', url: '/files/Patient.ndjson', authorization: undefined },
    ]);
    expect(await readFile(join(out, 'Patient.001.ndjson'), 'utf8')).toContain('"id":"p1"');
  });
});

const exportP1 = (): Promise<{ code: number; stderr: string }> =>
  runClbp([
    'export',
    '--fhir',
    `${ehr.origin}/fhir`,
    '--patient',
    'p1',
    '--token',
    SECRET,
    '--out',
    join(out, 'p1.json'),
  ]);

describe('clbp export', () => {
  it('does not follow a next link to another server, and says which', async () => {
    mode = 'next-elsewhere';
    const { code, stderr } = await exportP1();
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^clbp export: \\w+ search: the server pointed to ${elsewhere.origin}/fhir/\\w+\\?page=2, outside its FHIR server`,
      ),
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(seenElsewhere).toEqual([]);
  });

  it('sends no token to another server that a redirect leads to', async () => {
    mode = 'redirect-elsewhere';
    await exportP1();
    expect(seenElsewhere.length).toBeGreaterThan(0);
    expect(seenElsewhere.filter((seen) => seen.authorization !== undefined)).toEqual([]);
  });
});

describe('the app in the browser', () => {
  const app = appTestContext();

  it('does not follow a next link to another server; the section names the URL', async () => {
    const { page, sandbox } = app;
    const foreign = `${elsewhere.origin}/fhir/Condition?page=2`;
    await page.route(/\/fhir\/Condition\?/, async (route) => {
      const response = await route.fetch();
      const bundle = (await response.json()) as Record<string, unknown>;
      await route.fulfill({
        response,
        json: { ...bundle, link: [{ relation: 'next', url: foreign }] },
      });
    });
    await launchPatient(page, sandbox, 'clbp-eligible');
    await expect(page.getByText(foreign, { exact: false }).first().isVisible()).resolves.toBe(true);
    expect(seenElsewhere).toEqual([]);
  });
  it('sends nothing to another server that a redirect leads to (the page allows only the EHR)', async () => {
    const { page, sandbox } = app;
    await page.route(/\/fhir\/Condition\?/, (route) =>
      route.fulfill({
        status: 307,
        headers: { Location: `${elsewhere.origin}/fhir/Condition?redirected=1` },
      }),
    );
    await launchPatient(page, sandbox, 'clbp-eligible');
    await expect(page.textContent('section#screening')).resolves.toContain(
      'Condition search could not reach the EHR',
    );
    expect(seenElsewhere).toEqual([]);
  });
});
