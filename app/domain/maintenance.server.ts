import { lt } from "drizzle-orm";
import { rateLimitHits, sessions, signInAttempts } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { SIGN_IN_WINDOW_MS } from "../lib/auth.server";

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
