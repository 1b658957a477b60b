/**
 * The command line on input it cannot read: the documented exit code 2 and one line naming the
 * file (and line) — never a stack trace, and never exit 0 with an empty table.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { processIo } from '../../../src/cli/io.ts';
import { MAX_RECORD_BYTES } from '../../../src/fhir/ndjson.ts';
import { runClbp } from '../../support/cli.ts';

let dir: string;
const at = (name: string): string => join(dir, name);

/** Bytes that are no text: a fixed pseudo-random sequence with NULs, escapes and newlines. */
function garbage(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = 12345;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    bytes[i] = x % 256;
  }
  return bytes;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clbp-bad-input-'));
  await writeFile(at('garbage.ndjson'), garbage(50_000));
  await writeFile(at('garbage.json'), garbage(50_000));
  await writeFile(at('huge-line.ndjson'), `${'x'.repeat(MAX_RECORD_BYTES + 10)}\n`);
  await writeFile(
    at('second-line-bad.ndjson'),
    '{"resourceType":"Patient","id":"a"}\n{"resourceType": "Patient", "id":\n',
  );
  await writeFile(at('not-resources.ndjson'), '1\n[2]\n"three"\n');
  await writeFile(at('empty.ndjson'), '');
  await mkdir(at('a-folder.ndjson'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(['mme', 'outcomes'])('clbp %s on input it cannot read', (command) => {
  it.each([
    ['binary garbage as NDJSON', 'garbage.ndjson', /garbage\.ndjson:1: invalid JSON/],
    [
      'binary garbage as JSON',
      'garbage.json',
      /garbage\.json(:\d+)?: (invalid JSON|truncated JSON|not a Bundle)/,
    ],
    [
      'a line longer than 32 MB',
      'huge-line.ndjson',
      /huge-line\.ndjson:1: a line longer than 32 MB/,
    ],
    [
      'JSON lines that are no resources',
      'not-resources.ndjson',
      /not-resources\.ndjson:1: not a FHIR resource/,
    ],
    ['an empty file', 'empty.ndjson', /empty\.ndjson: no FHIR resources/],
    [
      'a missing file',
      'missing.ndjson',
      /missing\.ndjson: (cannot read \()?no such file or directory/,
    ],
    ['a folder named like a file', 'a-folder.ndjson', /a-folder\.ndjson: /],
  ])('%s: exit 2, one line naming it, nothing on stdout', async (_, name, message) => {
    const { code, stdout, stderr } = await runClbp([command, at(name)]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([expect.stringMatching(message), '']);
    expect(stderr).toMatch(new RegExp(`^clbp ${command}: `));
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a bad line among good ones', () => {
  it('stops clbp mme at the line, naming it', async () => {
    const { code, stderr } = await runClbp(['mme', at('second-line-bad.ndjson')]);
    expect([code, stderr.trim()]).toEqual([
      2,
      expect.stringMatching(/^clbp mme: .*second-line-bad\.ndjson:2: invalid JSON/),
    ]);
  });
});

describe('the terminal', () => {
  it('gets control characters from quoted input as "?", never as escape sequences', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      processIo.stderr('clbp mme: x.ndjson:1: invalid JSON ("\u001b[2J\u0007\u009b")\n');
      expect(write).toHaveBeenCalledWith('clbp mme: x.ndjson:1: invalid JSON ("?[2J??")\n');
    } finally {
      write.mockRestore();
    }
  });
});
