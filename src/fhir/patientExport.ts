/**
 * One patient's CLBP pathway data as a FHIR `collection` Bundle (for `clbp export`): the Patient,
 * low back pain Conditions, PEG QuestionnaireResponses and Observations, opioid
 * MedicationStatements/Requests with their Medications, the mindfulness programme referrals
 * (ServiceRequests) and their Tasks, and wearable activity and sleep Observations.
 *
 * The searches are independent and run in parallel through the one FHIR transport (which follows
 * `next` links only under the FHIR base); each follows its pages to the end. Selection beyond what a
 * search can say (which Conditions are low back pain, which medications are opioids) uses the
 * domain tables.
 */
import type {
  Bundle,
  Condition,
  FhirResource,
  Medication,
  QuestionnaireResponse,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import { PEG_QUESTIONNAIRE_URL } from '../domain/codes/canonical.ts';
import { findMatch } from '../domain/codes/codeMatch.ts';
import { LOW_BACK_PAIN_CODES } from '../domain/codes/lowBackPain.ts';
import { WEARABLE_CODES } from '../domain/codes/wearables.ts';
import { computeMmeForResources } from '../domain/mme/mme.ts';
import { isProgrammeReferral } from '../domain/pathway/referral.ts';
import { PEG_ITEMS, PEG_PANEL_LOINC, PEG_SCORE_LOINC } from '../domain/peg/peg.ts';
import { LOINC_SYSTEM } from '../domain/fhir-primitives/codings.ts';
import { guardFor, isResource } from './guards.ts';
import { readResource, searchAll, searchPath } from './search.ts';
import type { FhirTransport } from './transport.ts';

/** PEG panel, score and item codes, then the wearable codes: the Observations the export keeps. */
const EXPORTED_OBSERVATION_CODES: readonly { system: string; code: string }[] = [
  ...[PEG_PANEL_LOINC, PEG_SCORE_LOINC, ...PEG_ITEMS.map((i) => i.loinc)].map((code) => ({
    system: LOINC_SYSTEM,
    code,
  })),
  ...WEARABLE_CODES.map(({ system, code }) => ({ system, code })),
];

/** Every resource of a search (all pages), `_include`d ones too. */
async function searchEverything(
  transport: FhirTransport,
  resourceType: string,
  params: readonly (readonly [string, string])[],
): Promise<FhirResource[]> {
  const { matches, included } = await searchAll(transport, searchPath(resourceType, params), {
    label: `${resourceType} search`,
    guard: isResource,
    resourceType,
  });
  return [...matches, ...included.values()] as FhirResource[];
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

/**
 * The opioid medication records (what the MME engine reads as an opioid) and the Medications
 * they name, from the medication searches' matches and includes.
 */
function opioidRecords(medicationUses: readonly FhirResource[]): {
  keptUses: FhirResource[];
  medications: Medication[];
} {
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
  return { keptUses, medications };
}

/**
 * Reads the patient's pathway data and returns it as a `collection` Bundle (entries with
 * `fullUrl` = the server's absolute URL of each resource).
 * @param timestamp - the Bundle's timestamp (the caller's "now")
 * @throws FhirError when a request fails (404 for an unknown patient)
 */
export async function exportPatient(
  transport: FhirTransport,
  patientId: string,
  timestamp: Date,
): Promise<Bundle> {
  const patientRef = `Patient/${patientId}`;
  const codes = EXPORTED_OBSERVATION_CODES.map((c) => `${c.system}|${c.code}`).join(',');
  const [patient, conditions, observations, responses, statements, requests, referrals, tasks] =
    await Promise.all([
      readResource(transport, `Patient/${encodeURIComponent(patientId)}`, {
        label: `Patient/${patientId} read`,
        guard: guardFor('Patient'),
      }),
      searchEverything(transport, 'Condition', [['patient', patientId]]),
      searchEverything(transport, 'Observation', [
        ['patient', patientId],
        ['code', codes],
      ]),
      searchEverything(transport, 'QuestionnaireResponse', [['patient', patientId]]),
      searchEverything(transport, 'MedicationStatement', [
        ['patient', patientId],
        ['_include', 'MedicationStatement:medication'],
      ]),
      searchEverything(transport, 'MedicationRequest', [
        ['patient', patientId],
        ['_include', 'MedicationRequest:medication'],
      ]),
      searchEverything(transport, 'ServiceRequest', [['patient', patientId]]),
      searchEverything(transport, 'Task', [['subject', patientRef]]),
    ]);

  const { keptUses, medications } = opioidRecords([...statements, ...requests]);
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
  const base = transport.baseUrl;
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
