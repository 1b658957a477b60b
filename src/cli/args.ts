/** What the commands' option parsers answer: options to run with, a help request, or an error. */
export type Parsed<O> =
  | { readonly kind: 'run'; readonly options: O }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

/** "missing --fhir, --out" for the required options not given, or undefined when all are there. */
export function missingOptions(
  values: Readonly<Record<string, unknown>>,
  required: readonly string[],
): string | undefined {
  const missing = required.filter((k) => values[k] === undefined || values[k] === '');
  return missing.length === 0 ? undefined : `missing ${missing.map((m) => `--${m}`).join(', ')}`;
}

/** A --fhir base URL without its trailing slash, or the one-line error. */
export function fhirBaseOption(value: string | undefined): { base: string } | { error: string } {
  const base = (value ?? '').replace(/\/+$/, '');
  return /^https?:\/\//.test(base)
    ? { base }
    : { error: `--fhir must be an http(s) URL, got '${value ?? ''}'` };
}

/** node:util parseArgs throws on unknown or malformed options: its message is the error line. */
export function parseError(err: unknown): { kind: 'error'; message: string } {
  return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
}
