#!/usr/bin/env node
/**
 * The `clbp` command for researchers. Each sub-command lives in its own module exporting
 * `run(argv, io)`; this file only dispatches, so `main(argv)` is what tests call.
 */
import process from 'node:process';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CliIo } from './io.ts';
import { processIo } from './io.ts';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  bulk: async () => (await import('./bulkCommand.ts')).run,
  export: async () => (await import('./exportCommand.ts')).run,
  mme: async () => (await import('./mmeCommand.ts')).run,
  outcomes: async () => (await import('./outcomesCommand.ts')).run,
  pathway: async () => (await import('./pathwayCommand.ts')).run,
  views: async () => (await import('./viewsCommand.ts')).run,
};

const USAGE = `usage: clbp <command> [options]

commands:
  bulk              FHIR Bulk Data export (SMART Backend Services) into NDJSON files
  export            one patient's pathway data as a FHIR collection Bundle (optionally de-identified)
  mme <file>        opioid MME per medication and in total (FHIR JSON or NDJSON)
  outcomes <input>  trial-style PEG outcome table from NDJSON or a Bundle
  pathway <input>   where each patient is on the CLBP pathway (JSON or CSV) from a Bundle or NDJSON
  views [<name>]    the SQL on FHIR v2 ViewDefinitions the analysis reads (JSON, or --sql)
`;

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.stdout(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(`clbp: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  return (await load())(rest, io);
}

/** True when this file is the program being run, also through the node_modules/.bin symlink. */
function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) {
    return false;
  }
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  process.exitCode = await main(process.argv.slice(2));
}
