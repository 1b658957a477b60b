import { describe, expect, it } from 'vitest';
import { ReadWriteLock } from '../../../src/sandbox/fhir/readWriteLock.ts';

/** A piece of work that runs until `finish()` is called, logging when it starts and ends. */
function work(log: string[], name: string): { run: () => Promise<void>; finish: () => void } {
  let finish = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    run: async () => {
      log.push(`${name} starts`);
      await done;
      log.push(`${name} ends`);
    },
    finish: () => {
      finish();
    },
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ReadWriteLock', () => {
  it('lets reads run together, keeps a write alone, and serves in arrival order', async () => {
    const lock = new ReadWriteLock();
    const log: string[] = [];
    const [r1, r2, w, r3] = [work(log, 'r1'), work(log, 'r2'), work(log, 'w'), work(log, 'r3')];
    const all = [lock.read(r1.run), lock.read(r2.run), lock.write(w.run), lock.read(r3.run)];
    await settle();
    expect(log).toEqual(['r1 starts', 'r2 starts']);
    r1.finish();
    await settle();
    expect(log).toEqual(['r1 starts', 'r2 starts', 'r1 ends']);
    r2.finish();
    await settle();
    expect(log.slice(3)).toEqual(['r2 ends', 'w starts']);
    w.finish();
    await settle();
    expect(log.slice(5)).toEqual(['w ends', 'r3 starts']);
    r3.finish();
    await Promise.all(all);
  });

  it('releases the lock when the work throws', async () => {
    const lock = new ReadWriteLock();
    await expect(lock.write(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.write(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});
