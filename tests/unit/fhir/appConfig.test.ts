import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  appConfigFromEnv,
  ehrConfigFor,
  loadAppConfig,
  parseAppConfig,
} from '../../../src/fhir/appConfig.ts';

describe('the run-time EHR configuration', () => {
  it('reads a single-EHR config with defaults', () => {
    const config = parseAppConfig({ clientId: 'clbp-pathway' });
    expect(config.ehrs).toEqual([{ clientId: 'clbp-pathway', scopeVersion: 'v2' }]);
    expect(config.programme).toBe('Organization/optimum-gmv-programme');
  });

  it.each([
    [true, { publishQuestionnaires: true }],
    ['true', { publishQuestionnaires: true }],
    [false, {}],
    [undefined, {}],
  ])('reads publishQuestionnaires %s', (value, expected) => {
    const config = parseAppConfig({ clientId: 'c', publishQuestionnaires: value });
    expect(config.ehrs[0]).toEqual({ clientId: 'c', scopeVersion: 'v2', ...expected });
  });

  it('refuses a publishQuestionnaires that is not true or false', () => {
    expect(() => parseAppConfig({ clientId: 'c', publishQuestionnaires: 'yes' })).toThrow(
      /publishQuestionnaires must be true or false/,
    );
  });

  it('picks the first EHR whose issPrefix matches the launching iss', () => {
    const config = parseAppConfig({
      ehrs: [
        { issPrefix: 'https://a.example/', clientId: 'a', scopeVersion: 'v1' },
        { clientId: 'fallback' },
      ],
    });
    expect(ehrConfigFor(config, 'https://a.example/fhir').clientId).toBe('a');
    expect(ehrConfigFor(config, 'https://b.example/fhir').clientId).toBe('fallback');
  });

  it.each([
    [null, 'JSON object'],
    [{}, 'clientId'],
    [{ clientId: 'x', scopeVersion: 'v3' }, 'scopeVersion'],
    [{ ehrs: [] }, 'non-empty array'],
    [{ clientId: 'x', programme: 'Practitioner/1' }, 'programme'],
  ])('refuses %j with a message naming the problem', (raw, message) => {
    expect(() => parseAppConfig(raw)).toThrow(ConfigError);
    expect(() => parseAppConfig(raw)).toThrow(message);
  });

  it('matches the prefix as a URL, not as text: a look-alike host is refused', () => {
    const config = parseAppConfig({ ehrs: [{ issPrefix: 'https://ehr.example', clientId: 'a' }] });
    expect(ehrConfigFor(config, 'https://ehr.example/fhir/r4').clientId).toBe('a');
    expect(() => ehrConfigFor(config, 'https://ehr.example.evil.com/fhir')).toThrow(
      'not configured',
    );
  });

  it.each([
    ['https://ehr.example/fhir/../evil', 'a dot-dot path out of the prefix'],
    ['https://ehr.example/fhir/%2e%2e/evil', 'an encoded dot-dot'],
    ['https://ehr.example/fhir-evil', 'a longer path that only starts like the prefix'],
    ['https://ehr.example:8443/fhir', 'another port'],
    ['http://ehr.example/fhir', 'plain http'],
    ['https://user@ehr.example/fhir', 'credentials'],
    ['https://ehr.example/fhir?iss=https://evil.example', 'a query'],
    ['not a url', 'no URL at all'],
  ])('refuses %s (%s) under the prefix https://ehr.example/fhir', (iss) => {
    const config = parseAppConfig({
      ehrs: [{ issPrefix: 'https://ehr.example/fhir', clientId: 'a' }],
    });
    expect(ehrConfigFor(config, 'https://ehr.example/fhir/r4').clientId).toBe('a');
    expect(() => ehrConfigFor(config, iss)).toThrow('not configured');
  });

  it('refuses an EHR it has no configuration for', () => {
    const config = parseAppConfig({ ehrs: [{ issPrefix: 'https://a.example/', clientId: 'a' }] });
    expect(() => ehrConfigFor(config, 'https://evil.example/fhir')).toThrow('not configured');
  });

  it('builds config.json from the CLBP_* environment variables', () => {
    const written = appConfigFromEnv(
      {
        CLBP_CLIENT_ID: 'epic-123',
        CLBP_SCOPE_VERSION: 'v1',
        CLBP_PROGRAMME: 'Organization/gmv',
        CLBP_SCOPE: '',
      },
      { clientId: 'clbp-pathway' },
    );
    expect(written).toEqual({
      clientId: 'epic-123',
      scopeVersion: 'v1',
      programme: 'Organization/gmv',
    });
    expect(parseAppConfig(written).ehrs[0]?.scopeVersion).toBe('v1');
  });
});

describe("a clinic's eligibility thresholds in config.json", () => {
  it('uses the defaults when config.json says nothing', () => {
    expect(parseAppConfig({ clientId: 'x' }).eligibility).toEqual({
      minAgeYears: 18,
      minPeg: 3,
      chronicMonths: 3,
      screeningMaxAgeMonths: 6,
      pegMaxAgeDays: 30,
      askPregnancyWhenMale: false,
    });
  });

  it('overrides only the thresholds it names', () => {
    const config = parseAppConfig({ clientId: 'x', eligibility: { minPeg: 4 } });
    expect(config.eligibility).toEqual({
      minAgeYears: 18,
      minPeg: 4,
      chronicMonths: 3,
      screeningMaxAgeMonths: 6,
      pegMaxAgeDays: 30,
      askPregnancyWhenMale: false,
    });
  });

  it('lets a clinic change how long screening answers and the PEG hold', () => {
    const config = parseAppConfig({
      clientId: 'x',
      eligibility: { screeningMaxAgeMonths: 3, pegMaxAgeDays: 14 },
    });
    expect(config.eligibility).toMatchObject({ screeningMaxAgeMonths: 3, pegMaxAgeDays: 14 });
  });

  it('lets a clinic ask the pregnancy question whatever the chart sex', () => {
    const config = parseAppConfig({ clientId: 'x', eligibility: { askPregnancyWhenMale: true } });
    expect(config.eligibility.askPregnancyWhenMale).toBe(true);
    expect(() =>
      parseAppConfig({ clientId: 'x', eligibility: { askPregnancyWhenMale: 'yes' } }),
    ).toThrow('must be true or false');
  });

  it.each([
    [{ minPeg: 11 }, 'from 0 to 10'],
    [{ minPeg: '3' }, 'must be a number'],
    [{ pegMaxAgeDays: 0 }, 'from 1 to 3650'],
    [{ maxAge: 80 }, 'not a setting'],
    [[], 'must be an object'],
  ])('refuses %j', (eligibility, message) => {
    expect(() => parseAppConfig({ clientId: 'x', eligibility })).toThrow(message);
  });
});

describe('loading config.json', () => {
  const url = new URL('https://app.example/config.json');
  const answer = (response: Response | Error) =>
    vi
      .spyOn(globalThis, 'fetch')
      .mockImplementation(() =>
        response instanceof Error ? Promise.reject(response) : Promise.resolve(response),
      );
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads and checks the file', async () => {
    answer(new Response('{"clientId":"clbp-pathway"}'));
    await expect(loadAppConfig(url)).resolves.toMatchObject({
      ehrs: [{ clientId: 'clbp-pathway' }],
    });
  });

  it.each([
    [new Response('not found', { status: 404 }), 'config.json could not be loaded (HTTP 404).'],
    [new Response('{"clientId":'), 'config.json is not valid JSON.'],
    [new TypeError('Failed to fetch'), 'config.json could not be loaded (Failed to fetch).'],
    [new Response('{"clientId":""}'), /clientId/],
  ])('says what is wrong with a bad answer (%#)', async (response, message) => {
    answer(response);
    const error = await loadAppConfig(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });
});
