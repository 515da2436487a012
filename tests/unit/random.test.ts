import { describe, expect, it } from "vitest";
import { createRandom, mulberry32 } from "../../db/random";

const draws = (seed: number, n: number) => {
  const next = mulberry32(seed);
  return Array.from({ length: n }, () => next());
};

describe("mulberry32", () => {
  it("gives the same sequence for the same seed", () => {
    expect(draws(42, 20)).toEqual(draws(42, 20));
  });

  it("gives a different sequence for a different seed", () => {
    expect(draws(42, 20)).not.toEqual(draws(43, 20));
  });

  it("returns floats in [0, 1)", () => {
    for (const value of draws(7, 2_000)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});

describe("createRandom", () => {
  it("makes every helper reproducible from the seed", () => {
    const run = () => {
      const random = createRandom(2024);
      return [
        random.int(1, 100),
        random.chance(0.5),
        random.pick(["a", "b", "c"]),
        random.shuffle([1, 2, 3, 4, 5]),
        random.sample(["w", "x", "y", "z"], 2),
        random.weighted([
          ["low", 1],
          ["high", 3],
        ] as const),
      ];
    };
    expect(run()).toEqual(run());
  });

  it("keeps int within both bounds and reaches each of them", () => {
    const random = createRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const value = random.int(-3, 3);
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(-3);
      expect(value).toBeLessThanOrEqual(3);
      seen.add(value);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });

  it("returns the only value when int's bounds are equal", () => {
    expect(createRandom(5).int(4, 4)).toBe(4);
  });

  it("rejects an int range whose minimum is above its maximum", () => {
    expect(() => createRandom(5).int(3, 1)).toThrow(RangeError);
  });

  it("samples without duplicates", () => {
    const random = createRandom(99);
    const items = Array.from({ length: 30 }, (_, i) => i);
    for (let i = 0; i < 200; i++) {
      const picked = random.sample(items, 10);
      expect(picked).toHaveLength(10);
      expect(new Set(picked).size).toBe(10);
      for (const item of picked) expect(items).toContain(item);
    }
  });

  it("samples everything, once each, when asked for more than there is", () => {
    const picked = createRandom(3).sample(["a", "b", "c"], 10);
    expect([...picked].sort()).toEqual(["a", "b", "c"]);
  });

  it("shuffles into a permutation and leaves the input alone", () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = createRandom(11).shuffle(input);
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(input);
  });

  it("never picks an item whose weight is zero", () => {
    const random = createRandom(8);
    for (let i = 0; i < 1_000; i++)
      expect(
        random.weighted([
          ["never", 0],
          ["always", 1],
        ] as const),
      ).toBe("always");
  });

  it("rejects picking from an empty list", () => {
    expect(() => createRandom(1).pick([])).toThrow(RangeError);
  });

  it("chance(0) is never true and chance(1) always is", () => {
    const random = createRandom(12);
    for (let i = 0; i < 1_000; i++) {
      expect(random.chance(0)).toBe(false);
      expect(random.chance(1)).toBe(true);
    }
  });

  it("forks independent streams that do not shift when the parent draws more", () => {
    const a = createRandom(77);
    const b = createRandom(77);
    b.next();
    b.next();
    const fromA = a.fork("contacts");
    const fromB = b.fork("contacts");
    expect([fromA.next(), fromA.next()]).toEqual([fromB.next(), fromB.next()]);
    expect(createRandom(77).fork("notes").next()).not.toBe(createRandom(77).fork("contacts").next());
  });
});
