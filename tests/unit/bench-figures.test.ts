import { describe, expect, it } from "vitest";
import { finalise, percentile, timingFigure } from "../bench/figures";
import { formatTable } from "../bench/table";

describe("bench figures", () => {
  it("takes nearest-rank percentiles and the median", () => {
    const samples = Array.from({ length: 20 }, (_, i) => 20 - i); // 20 … 1
    expect(percentile(samples, 95)).toBe(19);
    expect(percentile(samples, 50)).toBe(10);
    expect(timingFigure("t", [3, 1, 2, 4])).toMatchObject({ median: 2.5, p95: 4 });
  });

  it("passes a figure only when its headline is within the budget and its ratio within bounds", () => {
    expect(finalise({ name: "p", unit: "ms", p95: 150, budget: 150 }).passed).toBe(true);
    expect(finalise({ name: "p", unit: "ms", p95: 150.04, budget: 150 }).passed).toBe(true); // rounds to 150.0
    expect(finalise({ name: "p", unit: "ms", p95: 151, budget: 150 }).passed).toBe(false);
    expect(finalise({ name: "r", unit: "req/s", value: 400, ratio: 0.4, ratioAtLeast: 0.4 }).passed).toBe(
      true,
    );
    expect(finalise({ name: "r", unit: "req/s", value: 390, ratio: 0.394, ratioAtLeast: 0.4 }).passed).toBe(
      false,
    );
    expect(finalise({ name: "c", unit: "s", value: 9, ratio: 5.2, ratioAtMost: 5 }).passed).toBe(false);
    expect(
      finalise({ name: "both", unit: "ms", p95: 10, budget: 50, ratio: 0.2, ratioAtLeast: 0.3 }).passed,
    ).toBe(false);
    expect(finalise({ name: "no ratio", unit: "x", value: 1, ratioAtLeast: 0.3 }).passed).toBe(false);
    expect(finalise({ name: "info", unit: "ms", p95: 999 }).passed).toBeUndefined();
  });

  it("judges a Web Vital on its p75 where it says so, and names it", () => {
    const tbt = { name: "TBT", unit: "ms", median: 480, p95: 690, p75: 560, budget: 600 };
    expect(finalise(tbt).passed).toBe(false);
    expect(finalise({ ...tbt, budgetOn: "p75" }).passed).toBe(true);
    expect(finalise({ ...tbt, budgetOn: "p75", p75: 610 }).passed).toBe(false);
    expect(formatTable([finalise({ ...tbt, budgetOn: "p75" })])).toContain("p75 (560.0) ≤ 600.0");
  });

  it("prints each budget the way it is judged", () => {
    const table = formatTable([
      finalise({ name: "page", unit: "ms", p95: 120, budget: 150 }),
      finalise({
        name: "throughput",
        unit: "req/s",
        value: 420,
        baseline: 900,
        ratio: 420 / 900,
        ratioAtLeast: 0.4,
      }),
      finalise({ name: "import", unit: "s", value: 30, baseline: 5, ratio: 6, ratioAtMost: 5 }),
    ]);
    expect(table).toContain("≤ 150.0");
    expect(table).toContain("ratio ≥ 0.40");
    expect(table).toMatch(/0\.47/);
    expect(table).toMatch(/import.*ratio ≤ 5\.00\s+MISSED/);
  });
});
