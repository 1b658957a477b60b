import type { CliIo } from './io.ts';

/** Placeholder until the outcomes command lands; replaced by its owner. */
export function run(_argv: readonly string[], io: CliIo): Promise<number> {
  io.stderr('clbp outcomes: not available yet\n');
  return Promise.resolve(2);
}
