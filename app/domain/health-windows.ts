/**
 * The dashboard's time windows, in months: every health rollup is computed for each of them
 * (docs/health-model.md, "Rollups"). No imports, so the schema, the server and the browser
 * can all read it.
 */
export const ROLLUP_WINDOW_MONTHS = [3, 6, 12, 24] as const;
export type RollupWindow = (typeof ROLLUP_WINDOW_MONTHS)[number];
export const DEFAULT_ROLLUP_WINDOW: RollupWindow = 12;
