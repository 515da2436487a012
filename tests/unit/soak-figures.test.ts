import { describe, expect, it } from "vitest";
import {
  degradationFigure,
  finalise,
  leastSquaresSlope,
  parseSoakSeconds,
  soakWindows,
  statsByMinute,
  type SoakSample,
} from "../bench/figures";

describe("the soak's figures", () => {
  it("fits the slope of RSS over time by least squares", () => {
    // y = 300 + 1.5x exactly
    expect(leastSquaresSlope([0, 1, 2, 3].map((x) => ({ x, y: 300 + 1.5 * x })))).toBeCloseTo(1.5, 10);
    // (0,1) (1,3) (2,2): mean x 1, mean y 2; Σdx·dy = (−1)(−1) + 0 + (1)(0) = 1; Σdx² = 2 → 0.5
    expect(
      leastSquaresSlope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 2 },
      ]),
    ).toBeCloseTo(0.5, 10);
    // flat memory with one spike in the middle has no slope
    expect(
      leastSquaresSlope([
        { x: 1, y: 350 },
        { x: 2, y: 390 },
        { x: 3, y: 350 },
      ]),
    ).toBe(0);
    // falling memory (a collection) is a negative slope, not a growth
    expect(
      leastSquaresSlope([
        { x: 0, y: 360 },
        { x: 2, y: 340 },
      ]),
    ).toBe(-10);
  });

  it("refuses a slope it cannot fit", () => {
    expect(() => leastSquaresSlope([{ x: 1, y: 1 }])).toThrow(/two points, got 1/);
    expect(() =>
      leastSquaresSlope([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toThrow(/same x/);
  });

  it("warms up for a minute and compares the second minute with the last", () => {
    expect(soakWindows(600_000)).toEqual({
      warmUpMs: 60_000,
      first: { from: 60_000, to: 120_000 },
      last: { from: 540_000, to: 600_000 },
    });
  });

  it("shrinks the warm-up and the windows for a short run, never overlapping", () => {
    expect(soakWindows(90_000)).toEqual({
      warmUpMs: 30_000,
      first: { from: 30_000, to: 60_000 },
      last: { from: 60_000, to: 90_000 },
    });
    for (const seconds of [30, 45, 100, 121, 180, 599, 3600]) {
      const w = soakWindows(seconds * 1000);
      expect(w.first.from).toBe(w.warmUpMs);
      expect(w.first.to).toBeLessThanOrEqual(w.last.from);
      expect(w.last.to).toBe(seconds * 1000);
      expect(w.first.to - w.first.from).toBe(w.last.to - w.last.from);
    }
    expect(() => soakWindows(0)).toThrow(RangeError);
  });

  it("reads SOAK_SECONDS, defaulting to ten minutes, and names it when it is wrong", () => {
    expect(parseSoakSeconds(undefined)).toBe(600);
    expect(parseSoakSeconds("")).toBe(600);
    expect(parseSoakSeconds("90")).toBe(90);
    expect(parseSoakSeconds(" 90 ")).toBe(90);
    for (const bad of ["ninety", "90s", "1.5", "-90", "29", "3601", "1e3"]) {
      expect(() => parseSoakSeconds(bad)).toThrow(
        `SOAK_SECONDS must be a whole number of seconds from 30 to 3600, got "${bad}"`,
      );
    }
  });

  it("counts requests and failures per kind and minute, and times only the answered ones", () => {
    const samples: SoakSample[] = [
      { kind: "open", atMs: 1_000, ms: 10, failed: false },
      { kind: "open", atMs: 59_999, ms: 30, failed: false },
      { kind: "open", atMs: 61_000, ms: 30_000, failed: true },
      { kind: "open", atMs: 62_000, ms: 40, failed: false },
      { kind: "save", atMs: 130_000, ms: 5, failed: false },
      // started in the last instant of the run: counted in its last minute
      { kind: "save", atMs: 180_000, ms: 7, failed: false },
    ];
    const stats = statsByMinute(samples, 180_000);
    expect(stats.get("open")).toEqual([
      { minute: 1, requests: 2, failed: 0, p50: 20, p95: 30 },
      { minute: 2, requests: 2, failed: 1, p50: 40, p95: 40 },
      { minute: 3, requests: 0, failed: 0 },
    ]);
    expect(stats.get("save")).toEqual([
      { minute: 1, requests: 0, failed: 0 },
      { minute: 2, requests: 0, failed: 0 },
      { minute: 3, requests: 2, failed: 0, p50: 6, p95: 7 },
    ]);
  });

  it("misses its budget when the last window's p95 is more than twice the first's", () => {
    const first = Array.from({ length: 20 }, (_, i) => 10 + i); // p95 28
    const same = degradationFigure("open", first, first, { maxRatio: 2, minSamples: 20 });
    expect(finalise(same)).toMatchObject({ p95: 28, baseline: 28, ratio: 1, ratioAtMost: 2, passed: true });
    const twice = degradationFigure(
      "open",
      first,
      first.map((ms) => ms * 2),
      { maxRatio: 2, minSamples: 20 },
    );
    expect(finalise(twice).passed).toBe(true);
    const worse = degradationFigure(
      "open",
      first,
      first.map((ms) => ms * 2.1),
      { maxRatio: 2, minSamples: 20 },
    );
    expect(finalise(worse)).toMatchObject({ ratio: 2.1, passed: false });
    expect(worse.name).toBe("open (n=20 vs 20)");
  });

  it("only prints a window of too few requests, and says when one has none", () => {
    const few = degradationFigure("launch", [100], [900], { maxRatio: 2, minSamples: 20 });
    expect(few.name).toMatch(/too few to judge/);
    expect(finalise(few).passed).toBeUndefined();
    const none = degradationFigure("launch", [100], [], { maxRatio: 2, minSamples: 20 });
    expect(none.name).toMatch(/a window has no requests/);
    expect(finalise(none).passed).toBeUndefined();
  });
});
