/**
 * The leadership dashboard's rules that need no database: how counts become NPS, which months
 * a trend shows, which answers are verbatims, and the constants the panels share. Light enough
 * for the browser (no schema, no zod): what the URL may ask for is dashboard-query.ts, the
 * queries are dashboard.server.ts.
 */
import type { DashboardQuery } from "./dashboard-query.server";
import { HEALTH_DIMENSIONS } from "./dimensions";
import { DEFAULT_ROLLUP_WINDOW, ROLLUP_WINDOW_MONTHS } from "./health-windows";
import { monthsBefore } from "./keep-in-touch";

export const DASHBOARD_WINDOWS = ROLLUP_WINDOW_MONTHS;
export const QUADRANTS = ["agreed_strength", "agreed_weakness", "blind_spot", "undervalued"] as const;
export type QuadrantName = (typeof QUADRANTS)[number];

/** Heat-map columns it can be sorted by: the account's name, its health gap, or one dimension's gap. */
export const HEATMAP_SORT_KEYS = ["name", "health", ...HEALTH_DIMENSIONS] as const;
export type HeatmapSortKey = (typeof HEATMAP_SORT_KEYS)[number];

export const HEATMAP_PAGE_SIZE = 25;
export const VERBATIM_PAGE_SIZE = 20;
/** Panels that list accounts show this many; the CSV has them all. */
export const PANEL_ROWS = 10;

/** The tables a CSV can be downloaded of, by the name in /dashboard/export/:table. */
export const DASHBOARD_TABLES = [
  "trend",
  "quadrants",
  "heatmap",
  "blind-spots",
  "silent",
  "coverage",
  "cases",
  "verbatims",
] as const;
export type DashboardTable = (typeof DASHBOARD_TABLES)[number];

/** The filters every panel shares, as URL parameters (defaults left out), for links and CSV downloads. */
export function filterParams(query: DashboardQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.window !== DEFAULT_ROLLUP_WINDOW) params.set("window", String(query.window));
  for (const name of ["segment", "region", "tier", "owner"] as const) {
    const value = query[name];
    if (value) params.set(name, value);
  }
  return params;
}

function roundWhole(value: number): number {
  const rounded = Math.sign(value) * Math.round(Math.abs(value) + 1e-9);
  return rounded === 0 ? 0 : rounded;
}

/** NPS from summed counts, rounded like computeNps (halves away from zero); null with nobody. */
export function npsFromCounts(promoters: number, detractors: number, respondents: number): number | null {
  return respondents > 0 ? roundWhole((100 * (promoters - detractors)) / respondents) : null;
}

/** A share as a whole percentage, or null when there is nothing to share out. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((100 * part) / whole) : null;
}

/** "2026-05-01" → the month as the trend shows it. */
export function monthStart(at: Date): string {
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}-01`;
}

/**
 * The calendar months (UTC) a trend over `windowMonths` shows: the current month and the
 * ones before it, `windowMonths` in all, oldest first, as "YYYY-MM-01".
 */
export function trendMonths(now: Date, windowMonths: number): string[] {
  const months: string[] = [];
  for (let back = windowMonths - 1; back >= 0; back--) {
    months.push(monthStart(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1))));
  }
  return months;
}

/** Where the verbatim search looks: the window, or one month of it ("2026-05"). */
export function verbatimRange(now: Date, windowMonths: number, month?: string): { from: Date; to: Date } {
  const from = monthsBefore(now, windowMonths);
  if (!month) return { from, to: now };
  const [year, m] = month.split("-").map(Number) as [number, number];
  const start = new Date(Date.UTC(year, m - 1, 1));
  const end = new Date(Date.UTC(year, m, 1) - 1);
  return { from: start > from ? start : from, to: end < now ? end : now };
}

/** `%text%` for ILIKE, with the pattern characters in the search taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export { verbatimQuestions } from "./survey-verbatims";
