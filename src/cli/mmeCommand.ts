import type { CliIo } from './io.ts';

/** Placeholder until the mme command lands; replaced by its owner. */
export function run(_argv: readonly string[], io: CliIo): Promise<number> {
  io.stderr('clbp mme: not available yet\n');
  return Promise.resolve(2);
}
