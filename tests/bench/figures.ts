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

/*
 * The soak's arithmetic (tests/bench/soak.ts): pure, so tests/unit/soak-figures.test.ts can
 * check it without starting an app.
 */

/** SOAK_SECONDS' bounds: enough for a warm-up and two windows to compare; never an unbounded loop. */
export const SOAK_SECONDS_DEFAULT = 600;
export const SOAK_SECONDS_MIN = 30;
export const SOAK_SECONDS_MAX = 3600;

/** SOAK_SECONDS as a whole number of seconds (unset or empty: 600); a clear error otherwise. */
export function parseSoakSeconds(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return SOAK_SECONDS_DEFAULT;
  const seconds = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || seconds < SOAK_SECONDS_MIN || seconds > SOAK_SECONDS_MAX) {
    throw new Error(
      `SOAK_SECONDS must be a whole number of seconds from ${SOAK_SECONDS_MIN} to ${SOAK_SECONDS_MAX}, got "${value}"`,
    );
  }
  return seconds;
}

/**
 * The parts of a soak of `durationMs` that are compared: a warm-up (JIT, pools, caches; a
 * minute, or a third of a short run) that no figure uses, then the first and the last
 * window (a minute each, or half of what is left), which never overlap. Times from the
 * soak's start, in whole ms; a window holds `from` and not `to`.
 */
export interface SoakWindows {
  warmUpMs: number;
  first: { from: number; to: number };
  last: { from: number; to: number };
}

export function soakWindows(durationMs: number): SoakWindows {
  if (!(durationMs > 0)) throw new RangeError(`soakWindows: the duration must be above 0, got ${durationMs}`);
  // whole milliseconds, so the two windows are exactly as long
  const warmUpMs = Math.min(60_000, Math.round(durationMs / 3));
  const windowMs = Math.min(60_000, Math.floor((durationMs - warmUpMs) / 2));
  return {
    warmUpMs,
    first: { from: warmUpMs, to: warmUpMs + windowMs },
    last: { from: durationMs - windowMs, to: durationMs },
  };
}

/** The slope of y over x by least squares (MB per minute for RSS samples in minutes). */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) throw new Error(`leastSquaresSlope: needs two points, got ${points.length}`);
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
  }
  if (sxx === 0) throw new Error("leastSquaresSlope: every point has the same x");
  return sxy / sxx;
}

/** One timed request of the soak: its kind, when it started (ms from the soak's start), how long it took. */
export interface SoakSample {
  kind: string;
  atMs: number;
  ms: number;
  failed: boolean;
}

export interface MinuteStats {
  minute: number;
  requests: number;
  failed: number;
  p50?: number;
  p95?: number;
}

/**
 * Requests, failures and latency (of the requests that did not fail) per kind and per minute
 * of the soak, minute 1 first; a minute without requests of a kind is listed with zeros.
 */
export function statsByMinute(
  samples: readonly SoakSample[],
  durationMs: number,
): Map<string, MinuteStats[]> {
  const minutes = Math.max(1, Math.ceil(durationMs / 60_000));
  const byKind = new Map<string, { ms: number[]; requests: number; failed: number }[]>();
  for (const sample of samples) {
    const minute = Math.min(minutes - 1, Math.max(0, Math.floor(sample.atMs / 60_000)));
    let rows = byKind.get(sample.kind);
    if (!rows) {
      rows = Array.from({ length: minutes }, () => ({ ms: [], requests: 0, failed: 0 }));
      byKind.set(sample.kind, rows);
    }
    const row = rows[minute]!;
    row.requests += 1;
    if (sample.failed) row.failed += 1;
    else row.ms.push(sample.ms);
  }
  return new Map(
    [...byKind].map(([kind, rows]) => [
      kind,
      rows.map((row, i) => ({
        minute: i + 1,
        requests: row.requests,
        failed: row.failed,
        ...(row.ms.length > 0 ? { p50: median(row.ms), p95: percentile(row.ms, 95) } : {}),
      })),
    ]),
  );
}

/**
 * A kind's latency in the soak's last window against its first: median and p95 of the last,
 * the first's p95 as baseline, judged on last p95 ÷ first p95 ≤ `maxRatio` when both windows
 * have at least `minSamples` (fewer say nothing about a p95, and the figure is only printed).
 */
export function degradationFigure(
  name: string,
  firstMs: readonly number[],
  lastMs: readonly number[],
  { maxRatio, minSamples }: { maxRatio: number; minSamples: number },
): Figure {
  const label = `${name} (n=${lastMs.length} vs ${firstMs.length})`;
  if (lastMs.length === 0 || firstMs.length === 0)
    return { name: `${label}: a window has no requests`, unit: "ms" };
  const first = percentile(firstMs, 95);
  const last = percentile(lastMs, 95);
  const judged = firstMs.length >= minSamples && lastMs.length >= minSamples;
  return {
    name: judged ? label : `${label}, too few to judge`,
    unit: "ms",
    median: median(lastMs),
    p95: last,
    baseline: first,
    ratio: last / first,
    ...(judged ? { ratioAtMost: maxRatio } : {}),
  };
}
