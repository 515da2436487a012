/**
 * What the /winloss page reads from its URL. Only the loader and the CSV downloads parse it, and
 * it needs the schema's enums, so it is a .server module: none of it reaches the browser.
 */
import { z } from "zod";
import { segment, tier } from "../../db/schema";
import {
  DEAL_VIEWS,
  DEFAULT_WINLOSS_WINDOW,
  WINLOSS_OUTCOMES,
  WINLOSS_WINDOWS,
  type WinlossWindow,
} from "./winloss";

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(blankToUndefined, schema.optional()).catch(undefined);
const page = z.coerce.number().int().min(1).max(100_000).catch(1);

/**
 * Everything the page reads from its URL. The filters (window, segment, region, tier, account
 * owner, seller, outcome) apply to every panel; the rest belongs to one panel. Values come from
 * links and bookmarks, so anything unknown falls back to its default instead of failing.
 */
export const winlossQuerySchema = z
  .object({
    window: z.coerce
      .number()
      .refine((n): n is WinlossWindow => (WINLOSS_WINDOWS as readonly number[]).includes(n))
      .catch(DEFAULT_WINLOSS_WINDOW),
    segment: optional(z.enum(segment.enumValues)),
    region: optional(z.string().trim().max(200)),
    tier: optional(z.enum(tier.enumValues)),
    owner: optional(z.string().uuid()),
    seller: optional(z.string().uuid()),
    outcome: optional(z.enum(WINLOSS_OUTCOMES)),
    // the seller-vs-buyer table
    dshow: z.enum(DEAL_VIEWS).catch("all"),
    dpage: page,
    // the verbatims
    q: optional(z.string().trim().max(200)),
    vpage: page,
  })
  .transform((query) => ({ ...query, window: query.window as WinlossWindow }));
export type WinlossQuery = z.output<typeof winlossQuerySchema>;

/** The URL's query as the page understands it (repeated parameters: the first wins). */
export function parseWinlossQuery(params: URLSearchParams): WinlossQuery {
  const first: Record<string, string> = {};
  // a NUL byte is not text to Postgres: drop it rather than fail the page
  for (const [key, value] of params) if (!(key in first)) first[key] = value.replace(/\0/g, "");
  return winlossQuerySchema.parse(first);
}
