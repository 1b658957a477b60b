import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamItem } from '../../../src/fhir/ndjson.ts';
import { listInputFiles, readNdjson, readResources } from '../../../src/fhir/ndjson.ts';

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

  it('reads a file cut in two at any byte as every line once, numbered from each range', async () => {
    // Multi-byte characters, a blank line, a CRLF, no newline at the end, and lines longer than
    // one read chunk (64 KB), so cuts fall inside characters, line ends and chunks.
    const lines = [
      '{"resourceType":"Patient","id":"a","name":[{"text":"Zoë Ångström"}]}',
      '',
      '{"resourceType":"Patient","id":"b"}\r',
      `{"resourceType":"Patient","id":"c","note":"${'é'.repeat(40_000)}"}`,
      '{"resourceType":"Patient","id":"d"',
      `{"resourceType":"Patient","id":"e","note":"${'x'.repeat(70_000)}"}`,
      '{"resourceType":"Patient","id":"f"}',
    ];
    const file = join(dir, 'cut.ndjson');
    const text = lines.join('\n');
    await writeFile(file, text);
    const size = Buffer.byteLength(text);
    const read = async (start: number, end: number): Promise<string[]> => {
      const counter = { lines: 0 };
      const seen: string[] = [];
      for await (const item of readNdjson(file, {}, { start, end }, counter)) {
        seen.push(item.kind === 'resource' ? String(item.resource.id) : `bad:${item.line}`);
      }
      return [...seen, `lines:${counter.lines}`];
    };
    const whole = await read(0, size);
    expect(whole).toEqual(['a', 'b', 'c', 'bad:5', 'e', 'f', 'lines:7']);
    const cuts = [
      ...Array.from({ length: 200 }, (_, i) => i),
      ...Array.from({ length: 60 }, (_, i) => Math.floor((size * i) / 60)),
      size - 40,
      size - 1,
      size,
    ];
    for (const cut of cuts) {
      const [first, second] = [await read(0, cut), await read(cut, size)];
      const firstLines = Number(first.pop()?.slice('lines:'.length));
      const secondLines = Number(second.pop()?.slice('lines:'.length));
      // A bad line's number in the second range counts from that range's first line.
      const renumbered = second.map((id) =>
        id.startsWith('bad:') ? `bad:${Number(id.slice(4)) + firstLines}` : id,
      );
      expect([...first, ...renumbered], `cut at byte ${cut}`).toEqual(whole.slice(0, -1));
      expect(firstLines + secondLines).toBe(7);
    }
  });

  it('lists the NDJSON and JSON files of a directory in name order', async () => {
    const sub = await mkdtemp(join(dir, 'list-'));
    await writeFile(join(sub, 'b.ndjson'), '');
    await writeFile(join(sub, 'a.json'), '');
    await writeFile(join(sub, 'notes.txt'), '');
    expect(await listInputFiles(sub)).toEqual([join(sub, 'a.json'), join(sub, 'b.ndjson')]);
    await expect(listInputFiles(join(sub, 'missing'))).rejects.toThrow('no such file or directory');
  });
});
