import { lt } from "drizzle-orm";
import { apiIdempotency, apiRateBuckets, rateLimitHits, sessions, signInAttempts } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { SIGN_IN_WINDOW_MS } from "../lib/auth.server";
import { IDEMPOTENCY_WINDOW_HOURS } from "../lib/api/idempotency.server";

const HOUR_MS = 60 * 60 * 1000;

/**
 * Deletes sessions past their expiry, and sign-in attempts and rate-limit hits too old
 * to count. Safe to run any number of times.
 */
export async function sweepExpiredSignInData(db: Database, now = new Date()) {
  const expiredSessions = await db
    .delete(sessions)
    .where(lt(sessions.expiresAt, now))
    .returning({ id: sessions.id });
  const oldAttempts = await db
    .delete(signInAttempts)
    .where(lt(signInAttempts.createdAt, new Date(now.getTime() - SIGN_IN_WINDOW_MS)))
    .returning({ id: signInAttempts.id });
  const oldHits = await db
    .delete(rateLimitHits)
    .where(lt(rateLimitHits.createdAt, new Date(now.getTime() - 24 * 60 * 60 * 1000)))
    .returning({ id: rateLimitHits.id });
  return {
    sessions: expiredSessions.length,
    signInAttempts: oldAttempts.length,
    rateLimitHits: oldHits.length,
  };
}

/**
 * Deletes the public API's bookkeeping that no longer changes an answer: Idempotency-Key
 * answers past their replay window (a claim that old is overwritten on reuse anyway), and
 * rate buckets no request has touched for a day. Such a bucket has long refilled to full, which
 * is exactly what the next request's fresh row starts with; a request that takes a token
 * meanwhile locks the row and sets `refilled_at` to now, so the delete skips it. Safe to run
 * any number of times.
 */
export async function sweepApiBookkeeping(db: Database, now = new Date()) {
  const idempotency = await db
    .delete(apiIdempotency)
    .where(lt(apiIdempotency.createdAt, new Date(now.getTime() - IDEMPOTENCY_WINDOW_HOURS * HOUR_MS)))
    .returning({ key: apiIdempotency.idempotencyKey });
  const buckets = await db
    .delete(apiRateBuckets)
    .where(lt(apiRateBuckets.refilledAt, new Date(now.getTime() - 24 * HOUR_MS)))
    .returning({ apiKeyId: apiRateBuckets.apiKeyId });
  return { apiIdempotency: idempotency.length, apiRateBuckets: buckets.length };
}
