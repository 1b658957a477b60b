import process from 'node:process';

/** Where a command writes; tests pass their own to capture output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * Control characters other than newline and tab, shown as `?` on the terminal: a message may quote
 * input (a JSON error quotes the bad line), and binary input must not send escape sequences.
 */
function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    const control = (code < 0x20 && ch !== '\n' && ch !== '\t') || (code >= 0x7f && code <= 0x9f);
    out += control ? '?' : ch;
  }
  return out;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(printable(text)),
};
