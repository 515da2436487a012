import { lt } from "drizzle-orm";
import { sessions, signInAttempts } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { SIGN_IN_WINDOW_MS } from "../lib/auth.server";

/**
 * Deletes sessions past their expiry and sign-in attempts too old to count for
 * throttling. Safe to run any number of times.
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
  return { sessions: expiredSessions.length, signInAttempts: oldAttempts.length };
}
