import { main } from '../../src/cli/clbp.ts';

export interface ClbpRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `clbp <argv>` in-process through main(), capturing what it prints. */
export async function runClbp(argv: readonly string[]): Promise<ClbpRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}
