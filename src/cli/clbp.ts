#!/usr/bin/env node
/**
 * The `clbp` command for researchers. Each sub-command lives in its own module exporting
 * `run(argv, io)`; this file only dispatches, so `main(argv)` is what tests call.
 */
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import type { CliIo } from './io.ts';
import { processIo } from './io.ts';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  mme: async () => (await import('./mmeCommand.ts')).run,
  outcomes: async () => (await import('./outcomesCommand.ts')).run,
};

const USAGE = `usage: clbp <command> [options]

commands:
  mme <file>        opioid MME per medication and in total (FHIR JSON or NDJSON)
  outcomes <input>  trial-style PEG outcome table from NDJSON or a Bundle
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
