/**
 * The app's Questionnaires on the EHR, so a stored QuestionnaireResponse can be resolved to the
 * questions it answers: looked up by canonical URL and version, and, when the grant lets the app
 * create Questionnaires, created once (conditional create on url + version, so two launches at
 * once still create one). Without that grant the responses keep referring to the canonical
 * `url|version` and the EHR team loads the files of `questionnaires/` (README).
 */
import type { BundleEntry, Questionnaire } from 'fhir/r4';
import { guardFor } from './guards.ts';
import { grants } from './scopes.ts';
import { searchAll, searchPath } from './search.ts';
import {
  PEG_QUESTIONNAIRE,
  RED_FLAG_EVALUATION_QUESTIONNAIRE,
  SCREENING_QUESTIONNAIRE,
} from './questionnaires.ts';
import { submitTransaction } from './transaction.ts';
import type { FhirTransport } from './transport.ts';

const APP_QUESTIONNAIRES: readonly Questionnaire[] = [
  PEG_QUESTIONNAIRE,
  SCREENING_QUESTIONNAIRE,
  RED_FLAG_EVALUATION_QUESTIONNAIRE,
];

/** `url|version`, the canonical a QuestionnaireResponse names. */
function canonicalOf(q: Questionnaire): string {
  return `${q.url ?? ''}|${q.version ?? ''}`;
}

export type PublicationStatus =
  /** Every one of the app's Questionnaires was on the EHR already. */
  | { readonly kind: 'on-ehr' }
  /** The app created the missing ones now. */
  | { readonly kind: 'created'; readonly created: readonly string[] }
  /** Missing, and the grant does not let the app create them: the EHR team loads them. */
  | { readonly kind: 'not-on-ehr'; readonly missing: readonly string[] };

/** Conditional creates of the given Questionnaires, matched on url and version. */
function publishEntries(questionnaires: readonly Questionnaire[]): BundleEntry[] {
  return questionnaires.map((q) => ({
    fullUrl: `urn:uuid:${crypto.randomUUID()}`,
    resource: q,
    request: {
      method: 'POST',
      url: 'Questionnaire',
      ifNoneExist: new URLSearchParams({ url: q.url ?? '', version: q.version ?? '' }).toString(),
    },
  }));
}

/**
 * Checks which of the app's Questionnaires the EHR has (one search by url) and creates the missing
 * ones when `grantedScope` allows creating Questionnaires. Rejects with a FhirError.
 */
export async function ensureQuestionnaires(
  transport: FhirTransport,
  grantedScope: string,
): Promise<PublicationStatus> {
  const label = 'Questionnaire lookup';
  const found = await searchAll(
    transport,
    searchPath('Questionnaire', [['url', APP_QUESTIONNAIRES.map((q) => q.url ?? '').join(',')]]),
    { label, guard: guardFor('Questionnaire'), resourceType: 'Questionnaire' },
  );
  const present = new Set(found.matches.map(canonicalOf));
  const missing = APP_QUESTIONNAIRES.filter((q) => !present.has(canonicalOf(q)));
  if (missing.length === 0) {
    return { kind: 'on-ehr' };
  }
  if (!grants(grantedScope, 'Questionnaire', 'c')) {
    return { kind: 'not-on-ehr', missing: missing.map(canonicalOf) };
  }
  await submitTransaction(transport, publishEntries(missing), 'Publishing the Questionnaires');
  return { kind: 'created', created: missing.map(canonicalOf) };
}
