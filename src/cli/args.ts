import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

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

type CommandConfig<T extends ParseArgsOptionsConfig> = {
  args: string[];
  strict: true;
  allowPositionals: false;
  options: T;
};

/** The values node:util's parseArgs gives for these options. */
export type CommandValues<T extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<CommandConfig<T>>
>['values'];

/**
 * The front every FHIR command's option parser shares: node:util's strict parse of `options` (its
 * error is the message), --help, the required options, then the --fhir base URL.
 */
export function fhirCommandOptions<T extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: T,
  required: readonly (keyof T & string)[],
):
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'values'; readonly values: CommandValues<T>; readonly fhirBase: string } {
  let values: CommandValues<T>;
  try {
    values = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (err) {
    return parseError(err);
  }
  const common = values as { readonly help?: unknown; readonly fhir?: unknown };
  if (common.help === true) {
    return { kind: 'help' };
  }
  const missing = missingOptions(values, required);
  if (missing !== undefined) {
    return { kind: 'error', message: missing };
  }
  const fhir = fhirBaseOption(typeof common.fhir === 'string' ? common.fhir : undefined);
  return 'error' in fhir
    ? { kind: 'error', message: fhir.error }
    : { kind: 'values', values, fhirBase: fhir.base };
}
