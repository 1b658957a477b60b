/**
 * Per-EHR launch configuration, read at run time from `/config.json` (served beside the app), so one
 * build runs against any EHR. Fields are documented in the README and `.env.example`.
 */
import { PROGRAMME_ORGANIZATION_ID } from '../domain/codes/canonical.ts';
import {
  DEFAULT_ELIGIBILITY_CONFIG,
  type EligibilityConfig,
} from '../domain/screening/eligibilityConfig.ts';
import type { ScopeVersion } from './scopes.ts';
import { isRecord } from '../domain/fhir-primitives/json.ts';
import { destinationOf } from './tokenOrigin.ts';

export interface EhrConfig {
  /** Applies when the launching `iss` starts with this prefix; the first match wins. */
  readonly issPrefix?: string;
  readonly clientId: string;
  /** Defaults to the app's own `index.html` beside `launch/`. */
  readonly redirectUri?: string;
  /** Overrides the computed minimal scope list (space separated). */
  readonly scope?: string;
  /** Overrides the programme workspace's computed `user/` scope list (space separated). */
  readonly programmeScope?: string;
  /** Overrides the patient mode's computed `patient/` scope list (space separated). */
  readonly patientScope?: string;
  /** `v1` for EHRs that still spell scopes `patient/Observation.read`. */
  readonly scopeVersion: ScopeVersion;
  /**
   * Ask for `user/Questionnaire.c` and create the app's Questionnaires on the EHR when missing.
   * Off by default: most EHR teams load definitions themselves (README, "for the EHR team").
   */
  readonly publishQuestionnaires?: boolean;
}

export interface AppConfig {
  readonly ehrs: readonly EhrConfig[];
  /** FHIR base for a standalone launch, when the user opens the launch page without `iss`. */
  readonly standaloneIss?: string;
  /** `Organization/<id>` of the group-visit programme that receives referrals (Task.owner). */
  readonly programme: string;
  /** The clinic's eligibility thresholds: the defaults (src/domain/screening/eligibilityConfig.ts) overridden. */
  readonly eligibility: EligibilityConfig;
}

type NumericSetting = Exclude<keyof EligibilityConfig, 'askPregnancyWhenMale'>;

const ELIGIBILITY_LIMITS: Readonly<Record<NumericSetting, readonly [number, number]>> = {
  minAgeYears: [0, 120],
  minPeg: [0, 10],
  chronicMonths: [0, 120],
  screeningMaxAgeMonths: [1, 120],
  pegMaxAgeDays: [1, 3650],
};

function parseEligibility(raw: unknown): EligibilityConfig {
  if (raw === undefined) {
    return DEFAULT_ELIGIBILITY_CONFIG;
  }
  if (!isRecord(raw)) {
    throw new ConfigError('config.json: "eligibility" must be an object');
  }
  const config: Record<string, number | boolean> = { ...DEFAULT_ELIGIBILITY_CONFIG };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'askPregnancyWhenMale') {
      if (typeof value !== 'boolean') {
        throw new ConfigError(
          'config.json: "eligibility.askPregnancyWhenMale" must be true or false',
        );
      }
      config[key] = value;
      continue;
    }
    const limits = ELIGIBILITY_LIMITS[key as NumericSetting] as
      readonly [number, number] | undefined;
    if (limits === undefined) {
      throw new ConfigError(
        `config.json: "eligibility.${key}" is not a setting (${[...Object.keys(ELIGIBILITY_LIMITS), 'askPregnancyWhenMale'].join(', ')})`,
      );
    }
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < limits[0] ||
      value > limits[1]
    ) {
      throw new ConfigError(
        `config.json: "eligibility.${key}" must be a number from ${limits[0]} to ${limits[1]}`,
      );
    }
    config[key] = value;
  }
  return config as unknown as EligibilityConfig;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Fetches and checks the run-time configuration at `url` (config.json beside the page): the one
 * reader of the launch page and the app. Throws ConfigError saying what is wrong.
 */
export async function loadAppConfig(url: URL): Promise<AppConfig> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`config.json could not be loaded (${reason}).`, { cause: err });
  }
  if (!response.ok) {
    throw new ConfigError(`config.json could not be loaded (HTTP ${response.status}).`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (err) {
    throw new ConfigError('config.json is not valid JSON.', { cause: err });
  }
  return parseAppConfig(body);
}

function optionalString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(`config.json: "${key}" must be a non-empty string`);
  }
  return value;
}

function parseEhr(raw: unknown, where: string): EhrConfig {
  if (!isRecord(raw)) {
    throw new ConfigError(`config.json: ${where} must be an object`);
  }
  const clientId = optionalString(raw, 'clientId');
  if (clientId === undefined) {
    throw new ConfigError(`config.json: ${where} needs a "clientId"`);
  }
  const version = raw['scopeVersion'] ?? 'v2';
  if (version !== 'v1' && version !== 'v2') {
    throw new ConfigError(`config.json: ${where}.scopeVersion must be "v1" or "v2"`);
  }
  const issPrefix = optionalString(raw, 'issPrefix');
  const redirectUri = optionalString(raw, 'redirectUri');
  const scope = optionalString(raw, 'scope');
  const programmeScope = optionalString(raw, 'programmeScope');
  const patientScope = optionalString(raw, 'patientScope');
  const publish = raw['publishQuestionnaires'];
  if (
    publish !== undefined &&
    typeof publish !== 'boolean' &&
    publish !== 'true' &&
    publish !== 'false'
  ) {
    throw new ConfigError(`config.json: ${where}.publishQuestionnaires must be true or false`);
  }
  return {
    clientId,
    scopeVersion: version,
    ...(publish === true || publish === 'true' ? { publishQuestionnaires: true } : {}),
    ...(issPrefix === undefined ? {} : { issPrefix }),
    ...(redirectUri === undefined ? {} : { redirectUri }),
    ...(scope === undefined ? {} : { scope }),
    ...(programmeScope === undefined ? {} : { programmeScope }),
    ...(patientScope === undefined ? {} : { patientScope }),
  };
}

/**
 * Reads config.json: either `{ "ehrs": [ … ] }` or, for a single EHR, the fields of one entry at the
 * top level (`{ "clientId": "clbp-pathway" }`). Throws ConfigError with the offending field.
 */
export function parseAppConfig(raw: unknown): AppConfig {
  if (!isRecord(raw)) {
    throw new ConfigError('config.json must be a JSON object');
  }
  const standaloneIss = optionalString(raw, 'standaloneIss');
  const programme = optionalString(raw, 'programme') ?? `Organization/${PROGRAMME_ORGANIZATION_ID}`;
  if (!/^Organization\/[A-Za-z0-9\-.]{1,64}$/.test(programme)) {
    throw new ConfigError('config.json: "programme" must be a reference like "Organization/<id>"');
  }
  const list = raw['ehrs'];
  let ehrs: EhrConfig[];
  if (list === undefined) {
    ehrs = [parseEhr(raw, 'the top level')];
  } else if (Array.isArray(list) && list.length > 0) {
    ehrs = list.map((e, i) => parseEhr(e, `ehrs[${i}]`));
  } else {
    throw new ConfigError('config.json: "ehrs" must be a non-empty array');
  }
  return {
    ehrs,
    programme,
    eligibility: parseEligibility(raw['eligibility']),
    ...(standaloneIss === undefined ? {} : { standaloneIss }),
  };
}

/**
 * Whether `iss` is the prefix URL or below it as a path, compared as parsed, normalised URLs (the
 * token-origin rule's own test): `https://ehr.example/fhir` is under `https://ehr.example`;
 * `https://ehr.example.evil.com`, `https://ehr.example/fhir/../evil` and an iss with credentials,
 * a query or a fragment are not.
 */
function underPrefix(iss: string, prefix: string): boolean {
  if (!URL.canParse(iss)) {
    return false;
  }
  const url = new URL(iss);
  const plain = url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  return plain && !/\/\.\.?(\/|$)|%2e/i.test(iss) && destinationOf(prefix, iss, 'fhir');
}

/** The configuration for the EHR at `iss`; throws ConfigError when none applies. */
export function ehrConfigFor(config: AppConfig, iss: string): EhrConfig {
  const match = config.ehrs.find((e) => e.issPrefix === undefined || underPrefix(iss, e.issPrefix));
  if (!match) {
    throw new ConfigError(`This app is not configured for the EHR at ${iss}.`);
  }
  return match;
}

/** Environment variables a deployment sets to write config.json (see .env.example). */
export function appConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  defaults: {
    clientId: string;
    standaloneIss?: string;
    issPrefix?: string;
    publishQuestionnaires?: boolean;
  },
): Record<string, string> {
  const pick = (key: string): string | undefined => {
    const value = env[key];
    return value === undefined || value === '' ? undefined : value;
  };
  const entries: [string, string | undefined][] = [
    ['clientId', pick('CLBP_CLIENT_ID') ?? defaults.clientId],
    ['redirectUri', pick('CLBP_REDIRECT_URI')],
    ['scope', pick('CLBP_SCOPE')],
    ['programmeScope', pick('CLBP_PROGRAMME_SCOPE')],
    ['patientScope', pick('CLBP_PATIENT_SCOPE')],
    ['scopeVersion', pick('CLBP_SCOPE_VERSION') ?? 'v2'],
    ['issPrefix', pick('CLBP_ISS_PREFIX') ?? defaults.issPrefix],
    ['standaloneIss', pick('CLBP_STANDALONE_ISS') ?? defaults.standaloneIss],
    ['programme', pick('CLBP_PROGRAMME')],
    [
      'publishQuestionnaires',
      pick('CLBP_PUBLISH_QUESTIONNAIRES') ??
        (defaults.publishQuestionnaires === true ? 'true' : undefined),
    ],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== undefined));
}
