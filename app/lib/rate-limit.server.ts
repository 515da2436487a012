import { and, count, eq, gt } from "drizzle-orm";
import { rateLimitHits } from "../../db/schema";
import type { Database } from "./db.server";

export interface RateLimit {
  bucket: string;
  limit: number;
  windowMs: number;
}

/** Invalid survey tokens tried from one address: enough for typos, too few to guess. */
export const INVALID_SURVEY_TOKEN_LIMIT: RateLimit = {
  bucket: "survey-token",
  limit: 20,
  windowMs: 10 * 60 * 1000,
};

/** True when `key` has used up `limit` hits in the window. Counted in Postgres, so every web process agrees. */
export async function isRateLimited(db: Database, rule: RateLimit, key: string): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(rateLimitHits)
    .where(
      and(
        eq(rateLimitHits.bucket, rule.bucket),
        eq(rateLimitHits.key, key),
        gt(rateLimitHits.createdAt, new Date(Date.now() - rule.windowMs)),
      ),
    );
  return (row?.n ?? 0) >= rule.limit;
}

export async function recordRateLimitHit(db: Database, rule: RateLimit, key: string): Promise<void> {
  await db.insert(rateLimitHits).values({ bucket: rule.bucket, key });
}
