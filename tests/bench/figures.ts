/**
 * What every benchmark reports, and the arithmetic shared by all of them. A figure has a
 * median and p95 (timings) or a single value (sizes, counts); with a budget it passes when
 * its headline number (value, else p95) is at most the budget.
 */
export interface Figure {
  name: string;
  unit: string;
  median?: number;
  p95?: number;
  value?: number;
  baseline?: number;
  ratio?: number;
  budget?: number;
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
  return figure.value ?? figure.p95;
}

/** Rounds every number to one decimal (what the table prints and the JSON stores) and judges the budget. */
export function finalise(figure: Figure): Figure {
  const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 10) / 10);
  const rounded: Figure = {
    name: figure.name,
    unit: figure.unit,
    median: round(figure.median),
    p95: round(figure.p95),
    value: round(figure.value),
    baseline: round(figure.baseline),
    ratio: round(figure.ratio),
    budget: figure.budget,
  };
  if (rounded.budget !== undefined) {
    const measured = headline(rounded);
    rounded.passed = measured !== undefined && measured <= rounded.budget;
  }
  return Object.fromEntries(Object.entries(rounded).filter(([, v]) => v !== undefined)) as Figure;
}
