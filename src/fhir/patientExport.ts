/**
 * One patient's CLBP pathway data as a FHIR `collection` Bundle (for `clbp export`): the Patient,
 * low back pain Conditions, PEG QuestionnaireResponses and Observations, opioid
 * MedicationStatements/Requests with their Medications, the mindfulness programme referrals
 * (ServiceRequests) and their Tasks, and wearable activity and sleep Observations.
 *
 * The searches are independent and run in parallel through fhir-kit-client; each follows its
 * `next` links to the end. Selection beyond what a search can say (which Conditions are low back
 * pain, which medications are opioids) uses the domain tables.
 */
import type { Client } from 'fhir-kit-client';
import type {
  Bundle,
  Condition,
  FhirResource,
  Medication,
  Patient,
  QuestionnaireResponse,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import {
  MINDFULNESS_GMV_CODE,
  PATHWAY_CODE_SYSTEM,
  PEG_QUESTIONNAIRE_URL,
} from '../domain/codes/canonical.ts';
import { findMatch } from '../domain/codes/codeMatch.ts';
import { LOW_BACK_PAIN_CODES } from '../domain/codes/lowBackPain.ts';
import { WEARABLE_CODES } from '../domain/codes/wearables.ts';
import { computeMmeForResources } from '../domain/mme/mme.ts';
import { PEG_ITEMS, PEG_PANEL_LOINC, PEG_SCORE_LOINC } from '../domain/peg/peg.ts';
import { LOINC_SYSTEM } from '../domain/fhir-primitives/codings.ts';
import { FhirError, normalizeError } from './errors.ts';

/** PEG panel, score and item codes, then the wearable codes: the Observations the export keeps. */
export const EXPORTED_OBSERVATION_CODES: readonly { system: string; code: string }[] = [
  ...[PEG_PANEL_LOINC, PEG_SCORE_LOINC, ...PEG_ITEMS.map((i) => i.loinc)].map((code) => ({
    system: LOINC_SYSTEM,
    code,
  })),
  ...WEARABLE_CODES.map(({ system, code }) => ({ system, code })),
];

/** Longest chain of `next` pages followed per search (a guard against a server that loops). */
const MAX_PAGES = 200;

function isBundle(value: unknown): value is Bundle {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { resourceType?: unknown }).resourceType === 'Bundle'
  );
}

/** fhir-kit-client throws Errors carrying `response.status` and `response.data`. */
function fromKitError(err: unknown, request: string): FhirError {
  const response = (err as { response?: { status?: unknown; data?: unknown } }).response;
  if (typeof response?.status !== 'number') {
    return normalizeError(err, request);
  }
  const data = response.data as { issue?: { diagnostics?: string; details?: { text?: string } }[] };
  const issue = data.issue?.[0];
  const detail = issue?.diagnostics ?? issue?.details?.text;
  const status = response.status;
  return new FhirError({
    kind: status === 401 ? 'session-expired' : status === 403 ? 'forbidden' : 'server',
    message: `${request} failed: HTTP ${status}${detail === undefined ? '' : ` (${detail})`}`,
    status,
    request,
  });
}

/** Every resource of a search (all pages), `_include`d ones too. */
async function searchAll(
  client: Client,
  resourceType: string,
  searchParams: Record<string, string>,
): Promise<FhirResource[]> {
  const request = `${resourceType} search`;
  const resources: FhirResource[] = [];
  try {
    let page: unknown = await client.search({ resourceType, searchParams });
    for (let n = 0; isBundle(page); n += 1) {
      for (const entry of page.entry ?? []) {
        if (entry.resource) {
          resources.push(entry.resource as FhirResource);
        }
      }
      const next = n < MAX_PAGES ? client.nextPage({ bundle: page as never }) : undefined;
      page = next === undefined ? undefined : await next;
    }
  } catch (err) {
    throw fromKitError(err, request);
  }
  return resources;
}

function ofType<T extends FhirResource>(
  resources: readonly FhirResource[],
  type: T['resourceType'],
): T[] {
  return resources.filter((r): r is T => r.resourceType === type);
}

function isLowBackPain(c: Condition): boolean {
  return (
    findMatch(
      LOW_BACK_PAIN_CODES.filter((e) => e.lowBackPain),
      c.code?.coding,
    ) !== undefined
  );
}

const PEG_ITEM_CODES = new Set(PEG_ITEMS.map((i) => i.loinc));

/** A response to the app's PEG form, or to a form whose item linkIds are the PEG LOINC codes. */
function isPegResponse(r: QuestionnaireResponse): boolean {
  const canonical = r.questionnaire?.split('|')[0];
  return (
    canonical === PEG_QUESTIONNAIRE_URL || (r.item ?? []).some((i) => PEG_ITEM_CODES.has(i.linkId))
  );
}

function isProgrammeReferral(s: ServiceRequest): boolean {
  return (s.code?.coding ?? []).some(
    (c) => c.system === PATHWAY_CODE_SYSTEM && c.code === MINDFULNESS_GMV_CODE,
  );
}

/**
 * Reads the patient's pathway data and returns it as a `collection` Bundle (entries with
 * `fullUrl` = the server's absolute URL of each resource).
 * @param timestamp - the Bundle's timestamp (the caller's "now")
 * @throws FhirError when a request fails (404 for an unknown patient)
 */
export async function exportPatient(
  client: Client,
  fhirBase: string,
  patientId: string,
  timestamp: Date,
): Promise<Bundle> {
  const patientRef = `Patient/${patientId}`;
  const codes = EXPORTED_OBSERVATION_CODES.map((c) => `${c.system}|${c.code}`).join(',');
  const [patient, conditions, observations, responses, statements, requests, referrals, tasks] =
    await Promise.all([
      client.read({ resourceType: 'Patient', id: patientId }).catch((err: unknown) => {
        throw fromKitError(err, `Patient/${patientId} read`);
      }) as Promise<Patient>,
      searchAll(client, 'Condition', { patient: patientId }),
      searchAll(client, 'Observation', { patient: patientId, code: codes }),
      searchAll(client, 'QuestionnaireResponse', { patient: patientId }),
      searchAll(client, 'MedicationStatement', {
        patient: patientId,
        _include: 'MedicationStatement:medication',
      }),
      searchAll(client, 'MedicationRequest', {
        patient: patientId,
        _include: 'MedicationRequest:medication',
      }),
      searchAll(client, 'ServiceRequest', { patient: patientId }),
      searchAll(client, 'Task', { subject: patientRef }),
    ]);

  const medicationUses = [...statements, ...requests];
  const opioidUses = new Set(
    computeMmeForResources(medicationUses)
      .filter((r) => r.reason !== 'not-an-opioid')
      .map((r) => `${r.resourceType}/${r.id}`),
  );
  const keptUses = medicationUses.filter(
    (r) =>
      (r.resourceType === 'MedicationStatement' || r.resourceType === 'MedicationRequest') &&
      opioidUses.has(`${r.resourceType}/${r.id ?? ''}`),
  );
  const medicationRefs = new Set(
    keptUses.map(
      (r) => (r as { medicationReference?: { reference?: string } }).medicationReference?.reference,
    ),
  );
  const medications = ofType<Medication>(medicationUses, 'Medication').filter((m) =>
    medicationRefs.has(`Medication/${m.id ?? ''}`),
  );
  const kept = ofType<ServiceRequest>(referrals, 'ServiceRequest').filter(isProgrammeReferral);
  const keptRefs = new Set(kept.map((s) => `ServiceRequest/${s.id ?? ''}`));
  const resources: FhirResource[] = [
    patient,
    ...ofType<Condition>(conditions, 'Condition').filter(isLowBackPain),
    ...ofType<QuestionnaireResponse>(responses, 'QuestionnaireResponse').filter(isPegResponse),
    ...ofType(observations, 'Observation'),
    ...keptUses,
    ...uniqueById(medications),
    ...kept,
    ...ofType<Task>(tasks, 'Task').filter((t) => keptRefs.has(t.focus?.reference ?? '')),
  ];
  const base = fhirBase.replace(/\/$/, '');
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: timestamp.toISOString(),
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
    })),
  };
}

function uniqueById<T extends FhirResource>(resources: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const r of resources) {
    seen.set(r.id ?? '', r);
  }
  return [...seen.values()];
}
