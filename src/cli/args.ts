/** What the commands' option parsers answer: options to run with, a help request, or an error. */
export type Parsed<O> =
  | { readonly kind: 'run'; readonly options: O }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

/** "missing --fhir, --out" for the required options not given, or undefined when all are there. */
function missingOptions(
  values: Readonly<Record<string, unknown>>,
  required: readonly string[],
): string | undefined {
  const missing = required.filter((k) => values[k] === undefined || values[k] === '');
  return missing.length === 0 ? undefined : `missing ${missing.map((m) => `--${m}`).join(', ')}`;
}

/** A --fhir base URL without its trailing slash, or the one-line error. */
function fhirBaseOption(value: string | undefined): { base: string } | { error: string } {
  const base = (value ?? '').replace(/\/+$/, '');
  return /^https?:\/\//.test(base)
    ? { base }
    : { error: `--fhir must be an http(s) URL, got '${value ?? ''}'` };
}

/** node:util parseArgs throws on unknown or malformed options: its message is the error line. */
export function parseError(err: unknown): { kind: 'error'; message: string } {
  return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
}

/**
 * The front every FHIR command's option parser shares: node:util's parse (its error is the
 * message), --help, the required options, then the --fhir base URL.
 */
export function fhirCommandOptions<V extends { readonly help?: boolean; readonly fhir?: string }>(
  parse: () => V,
  required: readonly string[],
):
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'values'; readonly values: V; readonly fhirBase: string } {
  let values: V;
  try {
    values = parse();
  } catch (err) {
    return parseError(err);
  }
  if (values.help === true) {
    return { kind: 'help' };
  }
  const missing = missingOptions(values, required);
  if (missing !== undefined) {
    return { kind: 'error', message: missing };
  }
  const fhir = fhirBaseOption(values.fhir);
  return 'error' in fhir
    ? { kind: 'error', message: fhir.error }
    : { kind: 'values', values, fhirBase: fhir.base };
}
