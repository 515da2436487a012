/**
 * What every view of the health model shares (docs/health-model.md, "Conventions" and
 * "Confidence"): the window, confidence levels, rounding, the relationship dimensions, and the
 * small numeric helpers the views are built from. Pure, no I/O; imports no other module of
 * the health model.
 */
import { HEALTH_DIMENSIONS, type HealthDimension } from "../dimensions";
import { monthsBefore } from "../keep-in-touch";

/** The dimensions the overall health score averages: the drivers, not the outcomes (advocacy, renewal). */
export const RELATIONSHIP_DIMENSIONS = [
  "trust",
  "responsiveness",
  "understanding",
  "value",
  "communication",
  "relationship",
] as const satisfies readonly HealthDimension[];

// ─── Small numeric helpers ────────────────────────────────────────────────────

export const DAY_MS = 86_400_000;

/** One decimal, halves away from zero (so +12.25 and −12.25 round to the same size), never −0. */
export function roundScore(value: number): number {
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * 10 + 1e-9)) / 10;
  return rounded === 0 ? 0 : rounded;
}

export function roundWhole(value: number): number {
  const rounded = Math.sign(value) * Math.round(Math.abs(value) + 1e-9);
  return rounded === 0 ? 0 : rounded;
}

export function roundOrNull(value: number | null): number | null {
  return value === null ? null : roundScore(value);
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function weightedMean(items: readonly { value: number; weight: number }[]): number | null {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  if (total === 0) return null;
  return items.reduce((sum, item) => sum + item.value * item.weight, 0) / total;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Whole UTC calendar days from `at` to `now`, like every other date rule in the app (daysBetween of their isoDays). */
export function ageInDays(at: Date, now: Date): number {
  return Math.floor(now.getTime() / DAY_MS) - Math.floor(at.getTime() / DAY_MS);
}

export function assertScore(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw new RangeError(`${what} must be a score from 0 to 100, got ${value}`);
  }
}

export function perDimension<T>(make: (dimension: HealthDimension) => T): Record<HealthDimension, T> {
  return Object.fromEntries(HEALTH_DIMENSIONS.map((d) => [d, make(d)])) as Record<HealthDimension, T>;
}

export function isRelationshipDimension(dimension: HealthDimension): boolean {
  return (RELATIONSHIP_DIMENSIONS as readonly HealthDimension[]).includes(dimension);
}

// ─── Picking rows ─────────────────────────────────────────────────────────────

/** Groups rows by `key` and keeps, per group, the rows at the latest (or earliest) instant. */
export function rowsAtExtreme<T>(
  rows: readonly T[],
  key: (row: T) => string,
  at: (row: T) => number,
  pick: "latest" | "earliest",
): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const current = groups.get(k);
    if (!current) {
      groups.set(k, [row]);
      continue;
    }
    const held = at(current[0]!);
    const t = at(row);
    if (t === held) current.push(row);
    else if (pick === "latest" ? t > held : t < held) groups.set(k, [row]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}

// ─── Windows and confidence ───────────────────────────────────────────────────

export const VIEW_WINDOW_MONTHS = 12;

export interface WindowOptions {
  now: Date;
  /** Calendar months back from `now`; default 12. */
  windowMonths?: number;
}

/** The first instant of the window: `windowMonths` calendar months before `now`. */
export function windowStart(now: Date, windowMonths: number = VIEW_WINDOW_MONTHS): Date {
  return new Date(windowStartTime(now.getTime(), windowMonths));
}

/** windowStart in epoch ms, remembered: a rollup asks it for every row of every window. */
const windowStarts = new Map<string, number>();
/** The last answer, checked first without building a key: a rollup asks the same one row after row. */
let lastWindow = { now: Number.NaN, windowMonths: Number.NaN, start: 0 };
function windowStartTime(now: number, windowMonths: number): number {
  if (now === lastWindow.now && windowMonths === lastWindow.windowMonths) return lastWindow.start;
  const key = `${now}:${windowMonths}`;
  let start = windowStarts.get(key);
  if (start === undefined) {
    if (windowStarts.size >= 64) windowStarts.clear();
    start = monthsBefore(new Date(now), windowMonths).getTime();
    windowStarts.set(key, start);
  }
  lastWindow = { now, windowMonths, start };
  return start;
}

/** In the window: from its start (inclusive — exactly 12 months ago still counts) to `now` (inclusive). */
export function isWithinWindow(at: Date, now: Date, windowMonths: number = VIEW_WINDOW_MONTHS): boolean {
  const t = at.getTime();
  return t >= windowStartTime(now.getTime(), windowMonths) && t <= now.getTime();
}

export const CONFIDENCE_LEVELS = ["none", "low", "medium", "high"] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

export interface ConfidenceRule {
  /** From this many sources the level is at least medium… */
  mediumAt: number;
  /** …and from this many, high. */
  highAt: number;
  /** When the sources' median age is more than this many days, one level down (never below low). */
  staleAfterDays: number;
}
/** Respondents (customer view) and authors (team view): one is low, two medium, three high. */
export const RESPONDENT_CONFIDENCE: ConfidenceRule = { mediumAt: 2, highAt: 3, staleAfterDays: 180 };
/** Interactions in the window (ledger view): 1–2 low, 3–5 medium, 6 or more high. */
export const INTERACTION_CONFIDENCE: ConfidenceRule = { mediumAt: 3, highAt: 6, staleAfterDays: 180 };

/** How far a number can be trusted, from how many sources it rests on and how old they are. */
export function confidenceLevel(
  count: number,
  medianAgeDays: number | null,
  rule: ConfidenceRule = RESPONDENT_CONFIDENCE,
): ConfidenceLevel {
  if (count <= 0) return "none";
  const byCount = count >= rule.highAt ? 3 : count >= rule.mediumAt ? 2 : 1;
  const stale = medianAgeDays !== null && medianAgeDays > rule.staleAfterDays;
  return CONFIDENCE_LEVELS[Math.max(1, byCount - (stale ? 1 : 0))]!;
}

/** `confidenceLevel` for sources given by their dates (one date per source). */
export function confidenceFromDates(
  dates: readonly Date[],
  now: Date,
  rule: ConfidenceRule = RESPONDENT_CONFIDENCE,
): ConfidenceLevel {
  return confidenceLevel(dates.length, median(dates.map((d) => ageInDays(d, now))), rule);
}

/** The weaker of two levels: a comparison is only as sure as its less certain side. */
export function lowerConfidence(a: ConfidenceLevel, b: ConfidenceLevel): ConfidenceLevel {
  return CONFIDENCE_LEVELS[Math.min(CONFIDENCE_LEVELS.indexOf(a), CONFIDENCE_LEVELS.indexOf(b))]!;
}
