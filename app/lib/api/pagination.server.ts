import { z, type ZodTypeAny } from "zod";
import { ApiProblem } from "./problem.server";

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export const listQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(DEFAULT_PAGE_SIZE)
      .describe(`1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}.`),
    cursor: z.string().max(500).optional().describe("`next_cursor` from the previous page; opaque."),
    updated_since: z
      .string()
      .datetime({ offset: true })
      .optional()
      .describe("Only rows changed at or after this instant (RFC 3339)."),
  })
  .strict();

export function pageSchema<T extends ZodTypeAny>(item: T) {
  return z
    .object({
      data: z.array(item),
      next_cursor: z
        .string()
        .nullable()
        .describe("Pass as `cursor` for the next page; null on the last page."),
    })
    .strict();
}

const cursorSchema = z.object({ updatedAt: z.string().datetime(), id: z.string().uuid() }).strict();

/** Opaque to clients: base64url JSON of the last row's position in the change order. */
export function encodeCursor(position: z.infer<typeof cursorSchema>): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

export function decodeCursor(cursor: string): z.infer<typeof cursorSchema> {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new ApiProblem("validation", "The cursor is not one this API gave out.", [
      { field: "cursor", message: "Pass next_cursor from the previous page unchanged." },
    ]);
  }
}

/** A list query's page options as the domain's change-order lists take them. */
export function changePage(query: { limit: number; cursor?: string; updated_since?: string }) {
  return {
    limit: query.limit,
    cursor: query.cursor ? decodeCursor(query.cursor) : undefined,
    updatedSince: query.updated_since ? new Date(query.updated_since) : undefined,
  };
}

/** A domain page as the API answers it: the rows in their API shape, and the next cursor. */
export function pageBody<R, T>(
  page: { rows: R[]; next: z.infer<typeof cursorSchema> | null },
  toApi: (row: R) => T,
) {
  return { data: page.rows.map(toApi), next_cursor: page.next ? encodeCursor(page.next) : null };
}
