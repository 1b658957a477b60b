/**
 * The smallest set of SMART scopes the app's features need, per feature, so a narrowed grant can say
 * exactly which feature is off and which scope would turn it back on.
 * SMART App Launch 2.x scopes: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
import { parseResourceScope, splitScope } from './smartScope.ts';

export type ScopeVersion = 'v1' | 'v2';

/** c = create, r = read, u = update, s = search (SMART v2 order: c r u d s). */
type Access = 'r' | 's' | 'cr' | 'rs' | 'rus' | 'crs' | 'crus';

interface ResourceNeed {
  readonly resourceType: string;
  readonly access: Access;
}

export type FeatureId = 'summary' | 'screening' | 'peg' | 'opioids' | 'referral';

export interface Feature {
  readonly id: FeatureId;
  readonly label: string;
  readonly needs: readonly ResourceNeed[];
}

/** What each feature reads and writes; the README's data table is generated from the same list. */
export const FEATURES: readonly Feature[] = [
  { id: 'summary', label: 'Patient summary', needs: [{ resourceType: 'Patient', access: 'r' }] },
  {
    id: 'screening',
    label: 'Screening and eligibility',
    needs: [
      // c: the problem-list entry a clinician confirms after a screening
      { resourceType: 'Condition', access: 'crs' },
      { resourceType: 'QuestionnaireResponse', access: 'crs' },
      // c: the screening's findings (Task Force result, red flags, pregnancy status) and the
      // finding of an urgent red flag, written the moment it is answered
      { resourceType: 'Observation', access: 'crs' },
    ],
  },
  {
    id: 'peg',
    label: 'PEG',
    needs: [
      { resourceType: 'Observation', access: 'crs' },
      { resourceType: 'QuestionnaireResponse', access: 'crs' },
      { resourceType: 'Questionnaire', access: 'rs' },
    ],
  },
  {
    id: 'opioids',
    label: 'Opioids (MME)',
    needs: [
      { resourceType: 'MedicationStatement', access: 'rs' },
      { resourceType: 'MedicationRequest', access: 'rs' },
      { resourceType: 'Medication', access: 'rs' },
    ],
  },
  {
    id: 'referral',
    label: 'Referral',
    needs: [
      { resourceType: 'ServiceRequest', access: 'crus' },
      { resourceType: 'Task', access: 'crus' },
      // The group sessions attended (Encounter.basedOn the referral), read only.
      { resourceType: 'Encounter', access: 'rs' },
    ],
  },
];

const CONTEXT_SCOPES = ['openid', 'fhirUser', 'online_access'] as const;

function mergedNeeds(): Map<string, Set<string>> {
  const merged = new Map<string, Set<string>>();
  for (const feature of FEATURES) {
    for (const need of feature.needs) {
      const letters = merged.get(need.resourceType) ?? new Set<string>();
      for (const letter of need.access) {
        letters.add(letter);
      }
      merged.set(need.resourceType, letters);
    }
  }
  return merged;
}

function v2Suffix(letters: ReadonlySet<string>): string {
  return Array.from('cruds')
    .filter((l) => letters.has(l))
    .join('');
}

function v1Suffixes(letters: ReadonlySet<string>): string[] {
  const suffixes: string[] = [];
  if (letters.has('r') || letters.has('s')) {
    suffixes.push('read');
  }
  if (letters.has('c') || letters.has('u') || letters.has('d')) {
    suffixes.push('write');
  }
  return suffixes;
}

function scopesFor(
  context: 'patient' | 'user',
  needs: ReadonlyMap<string, ReadonlySet<string>>,
  version: ScopeVersion,
): string[] {
  const scopes: string[] = [];
  for (const [type, letters] of needs) {
    if (version === 'v2') {
      scopes.push(`${context}/${type}.${v2Suffix(letters)}`);
    } else {
      scopes.push(...v1Suffixes(letters).map((s) => `${context}/${type}.${s}`));
    }
  }
  return scopes;
}

/** The resource scopes, e.g. `patient/Observation.crs` (v2) or `patient/Observation.read` (v1). */
export function resourceScopes(version: ScopeVersion): string[] {
  return scopesFor('patient', mergedNeeds(), version);
}

/**
 * What the programme workspace (clinic staff, no patient open) reads and writes, as `user/`
 * scopes. The referral queue is one Task search with its referrals, patients and referring
 * clinicians `_include`d, and a decision updates the Task. Each page of patients is shown with the
 * clinician's own searches asked for the page's patients at once (chartBatch.ts: Conditions, PEG
 * Observations and QuestionnaireResponses with their Questionnaires, MedicationStatements and
 * MedicationRequests with their Medications, referrals with their Tasks and session Encounters),
 * so the latest PEG, MME/day, sessions and follow-ups come from the one pathway function.
 */
export const PROGRAMME_NEEDS: readonly ResourceNeed[] = [
  // c: a PEG request Task for the patient (follow-ups, domain/pathway/pegRequest.ts)
  { resourceType: 'Task', access: 'crus' },
  { resourceType: 'ServiceRequest', access: 'rs' },
  { resourceType: 'Patient', access: 'rs' },
  { resourceType: 'Practitioner', access: 'r' },
  { resourceType: 'Condition', access: 'rs' },
  // c: a follow-up PEG taken by phone (the clinician's PEG write, pegWrite.ts)
  { resourceType: 'Observation', access: 'crs' },
  { resourceType: 'QuestionnaireResponse', access: 'crs' },
  { resourceType: 'Questionnaire', access: 'rs' },
  { resourceType: 'MedicationStatement', access: 'rs' },
  { resourceType: 'MedicationRequest', access: 'rs' },
  { resourceType: 'Medication', access: 'rs' },
  // Cohorts and sessions (domain/pathway/cohort.ts): a Group per cohort, an Appointment per
  // session, an Encounter per patient and session (attendance), read back after each write.
  { resourceType: 'Encounter', access: 'crus' },
  { resourceType: 'Group', access: 'crus' },
  { resourceType: 'Appointment', access: 'crs' },
];

/** The scope string of the programme workspace: `launch` (EHR launch only), identity, user/ scopes. */
export function programmeScope(version: ScopeVersion, launch: 'ehr' | 'standalone'): string {
  return entryScope(launch === 'ehr' ? ['launch'] : [], 'user', PROGRAMME_NEEDS, version);
}

/** An entry's scope string: its launch scopes, identity, then its needs in one context. */
function entryScope(
  launch: readonly string[],
  context: 'patient' | 'user',
  needs: readonly ResourceNeed[],
  version: ScopeVersion,
): string {
  const merged = new Map(needs.map((n) => [n.resourceType, new Set(n.access)]));
  return [...launch, ...CONTEXT_SCOPES, ...scopesFor(context, merged, version)].join(' ');
}

/**
 * What the patient's own mode (a patient signed in as themselves) reads and writes, as `patient/`
 * scopes, the smallest set: the PEG requests addressed to them (Task: search, read again before
 * answering, update to completed), their answers (QuestionnaireResponse: create, read back a
 * record a retry finds), the PEG score (Observation: create, search the history), and, for the
 * follow-up schedule where no request was made, their referral (ServiceRequest: search) with its
 * group sessions (Encounter, read through `_revinclude`). The Patient read gives the greeting.
 */
const PATIENT_SELF_NEEDS: readonly ResourceNeed[] = [
  { resourceType: 'Patient', access: 'r' },
  { resourceType: 'Task', access: 'rus' },
  { resourceType: 'QuestionnaireResponse', access: 'cr' },
  { resourceType: 'Observation', access: 'crs' },
  { resourceType: 'ServiceRequest', access: 's' },
  { resourceType: 'Encounter', access: 'r' },
];

/**
 * The scope string of the patient's own mode: `launch` (a portal's EHR launch) or
 * `launch/patient` (standalone), identity, and patient/ scopes only.
 */
export function patientSelfScope(version: ScopeVersion, launch: 'ehr' | 'standalone'): string {
  return entryScope(
    [launch === 'ehr' ? 'launch' : 'launch/patient'],
    'patient',
    PATIENT_SELF_NEEDS,
    version,
  );
}

/**
 * Creating the app's Questionnaires on the EHR (src/fhir/questionnairePublish.ts): a user-level
 * write on a shared definition, asked for only where the EHR's configuration says so.
 */
export const PUBLISH_QUESTIONNAIRE_SCOPE: Readonly<Record<ScopeVersion, string>> = {
  v2: 'user/Questionnaire.c',
  v1: 'user/Questionnaire.write',
};

/** The scope string to ask for: launch context, identity, refresh, and the resource scopes. */
export function requestedScope(
  version: ScopeVersion,
  launch: 'ehr' | 'standalone',
  options: { readonly publishQuestionnaires?: boolean } = {},
): string {
  const context = launch === 'ehr' ? 'launch' : 'launch/patient';
  const publish =
    options.publishQuestionnaires === true ? [PUBLISH_QUESTIONNAIRE_SCOPE[version]] : [];
  return [context, ...CONTEXT_SCOPES, ...resourceScopes(version), ...publish].join(' ');
}

/** Whether a granted scope string lets the app do `access` (v2 letters) on `resourceType`. */
export function grants(granted: string, resourceType: string, access: string): boolean {
  const allowed = new Set<string>();
  for (const scope of splitScope(granted).map(parseResourceScope)) {
    if (
      scope !== undefined &&
      scope.context !== 'system' &&
      (scope.resourceType === resourceType || scope.resourceType === '*')
    ) {
      for (const letter of scope.letters) {
        allowed.add(letter);
      }
    }
  }
  return Array.from(access).every((l) => allowed.has(l));
}

/**
 * The write scopes each feature lacks under this grant: such a feature shows its data but cannot
 * save. (Missing read scopes show per request: the request is not made and its sections say so.)
 * An empty grant means the EHR did not say, so nothing is reported missing.
 */
export function missingWrites(granted: string): Record<FeatureId, string[]> {
  const result = {} as Record<FeatureId, string[]>;
  for (const feature of FEATURES) {
    result[feature.id] =
      granted.trim() === ''
        ? []
        : feature.needs.flatMap((need) => {
            const write = need.access.replace(/[rs]/g, '');
            return write !== '' && !grants(granted, need.resourceType, write)
              ? [`patient/${need.resourceType}.${write}`]
              : [];
          });
  }
  return result;
}
