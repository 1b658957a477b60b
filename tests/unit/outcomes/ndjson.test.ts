import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamItem } from '../../../src/fhir/ndjson.ts';
import { listInputFiles, readResources } from '../../../src/fhir/ndjson.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clbp-ndjson-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(files: string[]): Promise<StreamItem[]> {
  const items: StreamItem[] = [];
  for await (const item of readResources(files)) {
    items.push(item);
  }
  return items;
}

describe('streaming NDJSON and Bundle reader', () => {
  it('reports a malformed line by file and line and reads the lines after it', async () => {
    const file = join(dir, 'obs.ndjson');
    await writeFile(
      file,
      [
        '{"resourceType":"Patient","id":"a"}',
        '',
        '{"resourceType":"Patient","id":"b"',
        '["not","a","resource"]',
        '{"resourceType":"Patient","id":"c"}\r',
      ].join('\n'),
    );
    const items = await collect([file]);
    expect(
      items.map((i) => (i.kind === 'resource' ? i.resource.id : `${i.file}:${i.line}`)),
    ).toEqual(['a', `${file}:3`, `${file}:4`, 'c']);
    expect(items[2]).toMatchObject({ message: 'not a FHIR resource (no resourceType)' });
  });

  it('cuts Bundle entries out across read chunks, whatever braces and quotes their strings hold', async () => {
    // Long texts force entries across the reader's 64 KiB chunks; the braces, brackets, escaped
    // quotes and a nested Bundle must not confuse the scanner.
    const text = `tricky } ] { [ \\" "entry": [ ${'x'.repeat(70_000)}`;
    const nested = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Patient' } }],
    };
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'self', url: 'http://x/entry' }],
      entry: [
        { resource: { resourceType: 'Observation', id: 'o1', note: [{ text }] } },
        { resource: nested },
        {
          fullUrl: 'urn:uuid:1',
          resource: { resourceType: 'Patient', id: 'p1', text: { div: text } },
        },
      ],
    };
    const file = join(dir, 'bundle.json');
    await writeFile(file, JSON.stringify(bundle, null, 1));
    const items = await collect([file]);
    expect(
      items.map((i) =>
        i.kind === 'resource' ? `${i.resource.resourceType}/${String(i.resource.id)}` : i.message,
      ),
    ).toEqual(['Observation/o1', 'Bundle/undefined', 'Patient/p1']);
  });

  it.each([
    ['{"resourceType":"Patient","id":"x"}', 'not a Bundle (resourceType Patient)'],
    ['{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}}', 'truncated JSON'],
  ])(
    'says what is wrong with a .json input that is not a complete Bundle: %s',
    async (content, message) => {
      const file = join(dir, 'odd.json');
      await writeFile(file, content);
      const items = await collect([file]);
      expect(items.at(-1)).toMatchObject({ kind: 'malformed', file });
      expect(items.at(-1)?.kind === 'malformed' ? items.at(-1) : undefined).toHaveProperty(
        'message',
        expect.stringContaining(message),
      );
    },
  );

  it('lists the NDJSON and JSON files of a directory in name order', async () => {
    const sub = await mkdtemp(join(dir, 'list-'));
    await writeFile(join(sub, 'b.ndjson'), '');
    await writeFile(join(sub, 'a.json'), '');
    await writeFile(join(sub, 'notes.txt'), '');
    expect(await listInputFiles(sub)).toEqual([join(sub, 'a.json'), join(sub, 'b.ndjson')]);
    await expect(listInputFiles(join(sub, 'missing'))).rejects.toThrow('no such file or directory');
  });
});
