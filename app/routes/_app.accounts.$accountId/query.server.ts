import { z } from "zod";
import { TIMELINE_FILTERS, TIMELINE_MAX_PAGE } from "~/domain/timeline.server";

/**
 * The account page's search parameters. They arrive from the URL, so anything unknown
 * falls back to the default view: a stale bookmark shows the page rather than an error.
 */
export const accountPageQuerySchema = z.object({
  kind: z.enum(TIMELINE_FILTERS).catch("all"),
  page: z.coerce.number().int().min(1).max(TIMELINE_MAX_PAGE).catch(1),
  ledger: z.literal("all").optional().catch(undefined),
});
