import { sql } from "drizzle-orm";
import { apiRateBuckets } from "../../../db/schema";
import type { Database } from "../db.server";

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again (or, when refused, until the next request may go). */
  resetSeconds: number;
}

/**
 * Takes one token from the key's bucket: `perMinute` tokens at most, refilled continuously
 * at `perMinute` a minute. The bucket lives in Postgres (one row a key, updated in one
 * locked statement), so every web process draws from the same bucket and a restart does
 * not refill it. A refused request takes nothing.
 */
export async function takeRateLimitToken(
  db: Database,
  apiKeyId: string,
  perMinute: number,
): Promise<RateLimitState> {
  const perSecond = perMinute / 60;
  const take = () =>
    db.execute<{ level: number; tokens: number }>(sql`
      with current as (
        select least(${perMinute}::float8, tokens + extract(epoch from (now() - refilled_at)) * ${perSecond}::float8) as level
        from ${apiRateBuckets} where api_key_id = ${apiKeyId} for update
      )
      update ${apiRateBuckets} b
        set tokens = case when current.level >= 1 then current.level - 1 else current.level end,
            refilled_at = now()
      from current
      where b.api_key_id = ${apiKeyId}
      returning current.level as level, b.tokens as tokens`);
  let rows = await take();
  if (rows.length === 0) {
    await db
      .insert(apiRateBuckets)
      .values({ apiKeyId, tokens: perMinute })
      .onConflictDoNothing({ target: apiRateBuckets.apiKeyId });
    rows = await take();
  }
  const { level, tokens } = rows[0]!;
  const allowed = level >= 1;
  return {
    allowed,
    limit: perMinute,
    remaining: Math.max(0, Math.floor(tokens)),
    resetSeconds: Math.max(1, Math.ceil((allowed ? perMinute - tokens : 1 - tokens) / perSecond || 0)),
  };
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(state.remaining),
    "RateLimit-Reset": String(state.resetSeconds),
  };
}
