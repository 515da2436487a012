/**
 * What every benchmark reports, and the arithmetic shared by all of them. A figure has a
 * median and p95 (timings) or a single value (sizes, counts, rates), and may have a baseline
 * measured in the same run and the ratio to it. It passes when its headline number (value,
 * else p95, or p75 where `budgetOn` says so) is at most `budget`, and its ratio is at least
 * `ratioAtLeast` / at most `ratioAtMost` — whichever of those it has.
 */
export interface Figure {
  name: string;
  unit: string;
  median?: number;
  p95?: number;
  /** Reported only where a budget is judged on it (`budgetOn: "p75"`). */
  p75?: number;
  value?: number;
  baseline?: number;
  ratio?: number;
  budget?: number;
  /**
   * Core Web Vitals are "good" when the 75th percentile of page loads is within the
   * threshold (web.dev, "Defining the Core Web Vitals metrics thresholds"), so the browser
   * figures' budgets apply to p75 of their runs; everything else is judged on p95.
   */
  budgetOn?: "p75";
  /** e.g. throughput ≥ 40 % of the bare route's: ratio = ours ÷ baseline ≥ 0.4. */
  ratioAtLeast?: number;
  /** e.g. an import ≤ 5× the COPY of the same rows: ratio = ours ÷ baseline ≤ 5. */
  ratioAtMost?: number;
  passed?: boolean;
}

/** Nearest-rank percentile (p in 0–100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile: no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The middle sample, or the mean of the two middle ones. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error("median: no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A timing figure from raw samples. */
export function timingFigure(
  name: string,
  samplesMs: readonly number[],
  extra: Partial<Figure> = {},
): Figure {
  return { name, unit: "ms", median: median(samplesMs), p95: percentile(samplesMs, 95), ...extra };
}

/** The number a budget applies to. */
export function headline(figure: Figure): number | undefined {
  return figure.value ?? (figure.budgetOn === "p75" ? figure.p75 : figure.p95);
}

/** Which number the budget applies to, as the table and the misses name it. */
export function headlineName(figure: Figure): string {
  return figure.value !== undefined ? "value" : (figure.budgetOn ?? "p95");
}

/** Rounds every number (what the table prints and the JSON stores) and judges the budgets. */
export function finalise(figure: Figure): Figure {
  // ratios below 10 keep two decimals (0.43 of a baseline), everything else one
  const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 10) / 10);
  const roundRatio = (n: number | undefined) =>
    n === undefined ? undefined : Math.abs(n) < 10 ? Math.round(n * 100) / 100 : Math.round(n * 10) / 10;
  const rounded: Figure = {
    name: figure.name,
    unit: figure.unit,
    median: round(figure.median),
    p95: round(figure.p95),
    p75: round(figure.p75),
    value: round(figure.value),
    baseline: round(figure.baseline),
    ratio: roundRatio(figure.ratio),
    budget: figure.budget,
    budgetOn: figure.budgetOn,
    ratioAtLeast: figure.ratioAtLeast,
    ratioAtMost: figure.ratioAtMost,
  };
  const checks: boolean[] = [];
  if (rounded.budget !== undefined) {
    const measured = headline(rounded);
    checks.push(measured !== undefined && measured <= rounded.budget);
  }
  if (rounded.ratioAtLeast !== undefined) {
    checks.push(rounded.ratio !== undefined && rounded.ratio >= rounded.ratioAtLeast);
  }
  if (rounded.ratioAtMost !== undefined) {
    checks.push(rounded.ratio !== undefined && rounded.ratio <= rounded.ratioAtMost);
  }
  if (checks.length > 0) rounded.passed = checks.every(Boolean);
  return Object.fromEntries(Object.entries(rounded).filter(([, v]) => v !== undefined)) as Figure;
}
