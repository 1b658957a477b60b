/**
 * The EHR sandbox as one object: FHIR server (/fhir), SMART authorization server (/auth), EHR
 * simulator (/, /ehr) on one origin, and the built app on a second origin, as in a real deployment.
 * Exported for tests (port 0); src/sandbox/main.ts runs it from the command line.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Patient as MedplumPatient } from '@medplum/fhirtypes';
import type { Practitioner, Resource } from 'fhir/r4';
import type { TokenVerifier } from './accessContext.ts';
import { appConfigFromEnv } from '../fhir/appConfig.ts';
import { assertBuilt, createAppHandler } from './appServer.ts';
import { createAuthServer } from './auth/authServer.ts';
import type { AuthControls } from './auth/authServer.ts';
import type { Person } from './auth/pages.ts';
import type { LaunchContext } from './auth/state.ts';
import { generateCohort } from './cohort.ts';
import { DEFAULT_APP_PORT, DEFAULT_SANDBOX_PORT, configFromEnv, intSetting } from './config.ts';
import { createEhrHandler } from './ehr/ehrSimulator.ts';
import {
  BulkExports,
  createFhirHandler,
  createFhirRepository,
  faultsFromEnv,
  loadResources,
} from './fhir/fhirServer.ts';
import type { SandboxRepository } from './fhir/fhirServer.ts';
import type { FhirFaults } from './fhir/fhirServer.ts';
import { patientStatus } from './ehr/patientPathway.ts';
import { programmeStaffIds } from './seed/programmeStaff.ts';
import { generateSeed } from './seed/seed.ts';
import type { SeedPatient } from './seed/seed.ts';

export interface SandboxOptions {
  /** Sandbox (FHIR + auth + EHR) port; 0 picks a free one. Default 8110. */
  port?: number;
  /** App server port; 0 picks a free one. Default 5173. */
  appPort?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** The vite build output. Default <repo>/dist. */
  distDir?: string;
  /** The seed's "today". Default: now. */
  asOf?: Date;
  /** Fault switches (SANDBOX_*). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Adds a synthetic research cohort of this many patients (generateCohort, seeded) to the seed. */
  cohort?: number;
  /**
   * Serves the built app beside the EHR. Default true. False for tests of the FHIR and
   * authorization servers alone (bulk export, the command line), which then need no build.
   */
  serveApp?: boolean;
  /** Also seeds the 30,000-resource performance patient `heavy-30k` (generateSeed). Default false. */
  heavy30k?: boolean;
}

export interface SandboxAuth extends AuthControls {
  readonly verifyToken: TokenVerifier;
  smartConfiguration(): Record<string, unknown>;
  /** Registers an EHR launch directly (what /ehr/launch does) and returns the launch id. */
  createLaunch(context: LaunchContext): string;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:8110/fhir */
  readonly fhirBase: string;
  /** The sandbox origin (EHR simulator, auth server, FHIR server). */
  readonly origin: string;
  /** The app server's origin; '' when started with serveApp: false. */
  readonly appOrigin: string;
  /** The EHR launch URL for a patient: it redirects to the app's launch page with iss and launch. */
  launchUrl(patient: string, practitioner?: string): string;
  /** The EHR's programme entry for a staff member: the app's launch with no patient in context. */
  programmeLaunchUrl(practitioner: string): string;
  /** The EHR's patient portal launch: the patient signed in as themselves (patient mode). */
  portalLaunchUrl(patient: string): string;
  readonly faults: FhirFaults;
  readonly auth: SandboxAuth;
  readonly repo: SandboxRepository;
  /** The seeded test patients (id, name, scenario, expected). */
  readonly patients: readonly SeedPatient[];
  close(): Promise<void>;
}

const DEFAULT_DIST_DIR = resolve(import.meta.dirname, '../../dist');

function practitionerName(p: Practitioner): string {
  const n = p.name?.[0];
  const text = [...(n?.prefix ?? []), ...(n?.given ?? []), n?.family ?? ''].join(' ').trim();
  return text === '' ? (p.id ?? 'unknown') : text;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (err: Error): void => {
      reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => {
      done();
    });
    server.closeAllConnections();
  });
}

function internalError(res: ServerResponse, err: unknown): void {
  if (!res.headersSent) {
    res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
  }
  res.end(`Internal sandbox error: ${err instanceof Error ? err.message : String(err)}`);
}

/** The seed (and the research cohort, if asked) in a new repository, with the people it holds. */
async function seededRepository(o: SandboxOptions) {
  const asOf = o.asOf ?? new Date();
  const seed = generateSeed({ asOf, heavy30k: o.heavy30k === true });
  const repo = await createFhirRepository();
  await loadResources(repo, seed.resources);
  if (o.cohort !== undefined) {
    await loadResources(repo, generateCohort({ n: o.cohort, asOf }).resources);
  }
  const practitioners: Person[] = seed.resources
    .filter((r: Resource): r is Practitioner => r.resourceType === 'Practitioner')
    .map((p) => ({ id: p.id ?? '', name: practitionerName(p) }));
  const staffIds = programmeStaffIds(seed.resources);
  return {
    repo,
    patients: seed.patients,
    practitioners,
    programmeStaff: practitioners.filter((p) => staffIds.has(p.id)),
  };
}

/** A patient's display name from the repository, undefined when there is no such patient. */
function patientNames(repo: SandboxRepository): (id: string) => Promise<string | undefined> {
  return async (id) => {
    try {
      const p = await repo.readResource<MedplumPatient>('Patient', id);
      const n = p.name?.[0];
      return [...(n?.given ?? []), n?.family ?? ''].join(' ').trim() || id;
    } catch {
      return undefined;
    }
  };
}

/** The built app's server: the app launches only from this sandbox (issPrefix). */
function appServerFor(distDir: string, env: NodeJS.ProcessEnv, fhirBase: () => string): Server {
  const appHandler = createAppHandler({
    distDir,
    // A crafted launch link naming another server as iss is refused; CLBP_* variables override,
    // as in a deployment (.env.example).
    config: () =>
      appConfigFromEnv(env, {
        clientId: 'clbp-pathway',
        standaloneIss: fhirBase(),
        issPrefix: fhirBase(),
        // The sandbox plays an EHR that lets the app load its own Questionnaires.
        publishQuestionnaires: true,
      }),
  });
  return createServer((req, res) => {
    appHandler(req, res).catch((err: unknown) => {
      internalError(res, err);
    });
  });
}

/** The EHR's launch links: /ehr/<path> with the given parameters, on the sandbox's origin. */
function ehrLink(
  origin: string,
  path: string,
  params: Readonly<Record<string, string | undefined>>,
) {
  const u = new URL(`/ehr/${path}`, origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) {
      u.searchParams.set(name, value);
    }
  }
  return u.href;
}

/** The sandbox origin's one handler: /fhir to the FHIR server, then the auth server, the EHR. */
function routeRequests(to: {
  readonly fhir: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  readonly auth: { handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> };
  readonly ehr: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  readonly faults: FhirFaults;
  readonly origin: () => string;
}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', to.origin());
    if (url.pathname === '/fhir' || url.pathname.startsWith('/fhir/')) {
      await to.fhir(req, res);
      return;
    }
    if (url.pathname.startsWith('/auth/') && req.method !== 'OPTIONS' && to.faults.latencyMs > 0) {
      // SANDBOX_LATENCY_MS applies to the authorization server as to /fhir (the FHIR handler adds
      // its own), so a launch benchmark pays it on the authorize redirect and the token exchange.
      await sleep(to.faults.latencyMs);
    }
    if ((await to.auth.handle(req, res, url)) || (await to.ehr(req, res, url))) {
      return;
    }
    if (url.pathname === '/favicon.ico') {
      // The sandbox has no icon (its pages declare none, as the app's do): a browser that asks
      // anyway gets an empty answer, not a 404 in its console.
      res.writeHead(204, { 'Cache-Control': 'public, max-age=86400' });
      res.end();
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`Not found: ${url.pathname}. The EHR simulator is at /, the FHIR server at /fhir.`);
  };
}

/** The sandbox's origins, known once its servers listen. */
interface Origins {
  readonly origin: () => string;
  readonly appOrigin: () => string;
}

/**
 * The FHIR server, the SMART authorization server and the EHR simulator over the seeded
 * repository, behind one request handler for the sandbox's origin.
 */
async function sandboxServices(
  env: NodeJS.ProcessEnv,
  seeded: Awaited<ReturnType<typeof seededRepository>>,
  origins: Origins,
) {
  const { repo, practitioners, programmeStaff } = seeded;
  const fhirBase = (): string => `${origins.origin()}/fhir`;
  const patientName = patientNames(repo);
  const patients: Person[] = seeded.patients.map((p) => ({
    id: p.id,
    name: p.name,
    detail: p.scenario,
  }));
  const auth = await createAuthServer({
    origin: origins.origin,
    fhirBase,
    appOrigin: origins.appOrigin,
    config: configFromEnv(env),
    directory: {
      patients: () => Promise.resolve(patients),
      practitioners: () => Promise.resolve(practitioners),
      patientExists: async (id) => (await patientName(id)) !== undefined,
    },
  });
  const faults = faultsFromEnv(env);
  // Work time per exported type, so that a client really polls (0 = as fast as possible).
  const bulkExports = new BulkExports({
    repo,
    stepMs: intSetting(env, 'SANDBOX_EXPORT_STEP_MS', 300, 0, 60_000),
  });
  const fhir = createFhirHandler({
    repo,
    verifyToken: auth.verifyToken,
    publicBaseUrl: fhirBase,
    allowedOrigins: () => [origins.appOrigin()],
    smartConfiguration: () => auth.smartConfiguration(),
    oauthUris: () => ({ authorize: auth.urls().authorize, token: auth.urls().token }),
    faults,
    bulkExports,
  });
  const launchUri = (): string => {
    const app = auth.clients().get('clbp-pathway');
    if (app?.type !== 'public') {
      throw new Error('clients.json must register the public client "clbp-pathway"');
    }
    return app.launchUri;
  };
  const ehr = createEhrHandler({
    patients: () =>
      Promise.all(
        seeded.patients.map(async (p) => ({
          ...p,
          ...(await patientStatus(repo, p.id, new Date())),
        })),
      ),
    practitioners: () => practitioners,
    programmeStaff: () => programmeStaff,
    patientName,
    createLaunch: (c) => auth.createLaunch(c),
    launchUri,
    fhirBase,
    appOrigin: origins.appOrigin,
  });

  const dispatch = routeRequests({ fhir, auth, ehr, faults, origin: origins.origin });
  return { auth, faults, bulkExports, dispatch, fhirBase };
}

export async function startSandbox(o: SandboxOptions = {}): Promise<Sandbox> {
  const env = o.env ?? process.env;
  const host = o.host ?? '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const distDir = o.distDir ?? DEFAULT_DIST_DIR;
  const serveApp = o.serveApp ?? true;
  if (serveApp) {
    assertBuilt(distDir);
  }

  const seeded = await seededRepository(o);
  let origin = '';
  let appOrigin = '';
  const services = await sandboxServices(env, seeded, {
    origin: () => origin,
    appOrigin: () => appOrigin,
  });
  const { auth, faults, bulkExports, dispatch, fhirBase } = services;
  const sandboxServer = createServer((req, res) => {
    dispatch(req, res).catch((err: unknown) => {
      internalError(res, err);
    });
  });
  const appServer = appServerFor(distDir, env, fhirBase);

  const port = await listen(sandboxServer, o.port ?? DEFAULT_SANDBOX_PORT, host);
  origin = `http://${urlHost}:${port}`;
  if (serveApp) {
    try {
      const appPort = await listen(appServer, o.appPort ?? DEFAULT_APP_PORT, host);
      appOrigin = `http://${urlHost}:${appPort}`;
    } catch (err) {
      await close(sandboxServer);
      throw err;
    }
  }

  return {
    fhirBase: fhirBase(),
    origin,
    appOrigin,
    launchUrl: (patient, practitioner) => ehrLink(origin, 'launch', { patient, practitioner }),
    programmeLaunchUrl: (practitioner) => ehrLink(origin, 'programme', { practitioner }),
    portalLaunchUrl: (patient) => ehrLink(origin, 'portal', { patient }),
    faults,
    auth: {
      ...auth.controls,
      verifyToken: auth.verifyToken,
      smartConfiguration: () => auth.smartConfiguration(),
      createLaunch: (c) => auth.createLaunch(c),
    },
    repo: seeded.repo,
    patients: seeded.patients,
    close: async () => {
      bulkExports.close();
      await Promise.all([close(sandboxServer), serveApp ? close(appServer) : undefined]);
    },
  };
}
