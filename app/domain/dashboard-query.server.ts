/**
 * What the dashboard reads from its URL. Only the loader and the CSV downloads parse it, and
 * it needs the schema's enums, so it is a .server module: none of it reaches the browser.
 */
import { z } from "zod";
import { segment, tier } from "../../db/schema";
import { HEATMAP_SORT_KEYS, QUADRANTS } from "./dashboard";
import { DEFAULT_ROLLUP_WINDOW, ROLLUP_WINDOW_MONTHS, type RollupWindow } from "./health-windows";

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(blankToUndefined, schema.optional()).catch(undefined);

/**
 * Everything the dashboard reads from its URL. Filters (window, segment, region, tier, owner)
 * apply to every panel; the rest belongs to one panel. Values come from links and bookmarks,
 * so anything unknown falls back to its default instead of failing.
 */
export const dashboardQuerySchema = z
  .object({
    window: z.coerce
      .number()
      .refine((n): n is RollupWindow => (ROLLUP_WINDOW_MONTHS as readonly number[]).includes(n))
      .catch(DEFAULT_ROLLUP_WINDOW),
    segment: optional(z.enum(segment.enumValues)),
    region: optional(z.string().trim().max(200)),
    tier: optional(z.enum(tier.enumValues)),
    owner: optional(z.string().uuid()),
    // the gap heat map
    hsort: z.enum(HEATMAP_SORT_KEYS).catch("health"),
    hdir: z.enum(["asc", "desc"]).catch("desc"),
    hpage: z.coerce.number().int().min(1).max(100_000).catch(1),
    quadrant: optional(z.enum(QUADRANTS)),
    // the verbatims
    q: optional(z.string().trim().max(200)),
    vmonth: optional(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/)),
    vpage: z.coerce.number().int().min(1).max(100_000).catch(1),
  })
  .transform((query) => ({ ...query, window: query.window as RollupWindow }));
export type DashboardQuery = z.output<typeof dashboardQuerySchema>;

/** The URL's query as the dashboard understands it (repeated parameters: the first wins). */
export function parseDashboardQuery(params: URLSearchParams): DashboardQuery {
  const first: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in first)) first[key] = value;
  return dashboardQuerySchema.parse(first);
}
