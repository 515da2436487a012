import { and, count, eq, gt, sql } from "drizzle-orm";
import { rateLimitHits } from "../../db/schema";
import { preparedQuery, type Database } from "./db.server";

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
  const [row] = await countHits(db).execute({
    bucket: rule.bucket,
    key,
    // a placeholder's value goes to postgres.js as is, and drizzle's client takes dates as text
    since: new Date(Date.now() - rule.windowMs).toISOString(),
  });
  return (row?.n ?? 0) >= rule.limit;
}

// Every survey page view, save and submit asks (resolveSurveyToken).
const countHits = preparedQuery((db) =>
  db
    .select({ n: count() })
    .from(rateLimitHits)
    .where(
      and(
        eq(rateLimitHits.bucket, sql.placeholder("bucket")),
        eq(rateLimitHits.key, sql.placeholder("key")),
        gt(rateLimitHits.createdAt, sql.placeholder("since")),
      ),
    )
    .prepare("rate_limit_count_hits"),
);

/**
 * Records one hit unless `key` has used up its limit; false when it had (nothing recorded).
 * Counted and written under a lock on the bucket and key, so a burst of parallel hits
 * cannot all see room before any of them is recorded: at most `limit` are.
 */
export async function recordRateLimitHit(db: Database, rule: RateLimit, key: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`rate-limit:${rule.bucket}:${key}`}, 0))`,
    );
    const [row] = await tx
      .select({ n: count() })
      .from(rateLimitHits)
      .where(
        and(
          eq(rateLimitHits.bucket, rule.bucket),
          eq(rateLimitHits.key, key),
          gt(rateLimitHits.createdAt, new Date(Date.now() - rule.windowMs)),
        ),
      );
    if ((row?.n ?? 0) >= rule.limit) return false;
    await tx.insert(rateLimitHits).values({ bucket: rule.bucket, key });
    return true;
  });
}
