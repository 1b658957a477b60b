/**
 * A small seeded PRNG so the sandbox's synthetic data is the same at every start.
 * mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, plenty for test data.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform in [min, max), rounded to `decimals`. */
  decimal(min: number, max: number, decimals: number): number;
  pick<T>(items: readonly T[]): T;
  /** An RFC 4122 version-4-shaped UUID drawn from this generator (deterministic, not secure). */
  uuid(): string;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (digits: number): string => {
    let out = '';
    for (let i = 0; i < digits; i++) {
      out += int(0, 15).toString(16);
    }
    return out;
  };
  return {
    next,
    int,
    decimal: (min, max, decimals) => {
      const scale = 10 ** decimals;
      return Math.round((min + next() * (max - min)) * scale) / scale;
    },
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) {
        throw new Error('Rng.pick: cannot pick from an empty list');
      }
      return item;
    },
    uuid: () =>
      `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + int(0, 3)).toString(16)}${hex(3)}-${hex(12)}`,
  };
}

/**
 * Mixes a label into a seed (FNV-1a), so each patient draws from its own stream and adding a
 * patient never changes the data of the others.
 */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
