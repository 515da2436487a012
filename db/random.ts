/**
 * A small seeded PRNG for the demo workspace: the same seed gives the same workspace on
 * every machine and every run. Not for anything secret — use node:crypto for that.
 */

/** mulberry32: a 32-bit state generator, fast and good enough for demo data. Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A 32-bit seed from a string (FNV-1a), so a stream can be named instead of numbered. */
export function seedFromString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One item; throws on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** One item, chosen in proportion to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
  /** A shuffled copy (Fisher–Yates); the input is not changed. */
  shuffle<T>(items: readonly T[]): T[];
  /** `count` distinct items (by position) in random order; all of them when count ≥ length. */
  sample<T>(items: readonly T[], count: number): T[];
  /** An independent stream named `label`: adding draws to one stream does not shift another. */
  fork(label: string): Random;
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const random: Random = {
    next,
    int(min, max) {
      if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
        throw new RangeError(`int(${min}, ${max}): need integers with min ≤ max`);
      }
      return min + Math.floor(next() * (max - min + 1));
    },
    chance(p) {
      return next() < p;
    },
    pick(items) {
      if (items.length === 0) throw new RangeError("pick: the list is empty");
      return items[Math.floor(next() * items.length)]!;
    },
    weighted(entries) {
      const total = entries.reduce((sum, [, weight]) => sum + Math.max(0, weight), 0);
      if (entries.length === 0 || total <= 0) throw new RangeError("weighted: no positive weights");
      let roll = next() * total;
      for (const [item, weight] of entries) {
        roll -= Math.max(0, weight);
        if (roll < 0) return item;
      }
      return entries[entries.length - 1]![0];
    },
    shuffle(items) {
      const copy = items.slice();
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    },
    sample(items, count) {
      return random.shuffle(items).slice(0, Math.max(0, count));
    },
    fork(label) {
      return createRandom((seed ^ seedFromString(label)) >>> 0);
    },
  };
  return random;
}
