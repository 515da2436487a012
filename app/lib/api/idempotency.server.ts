import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { apiIdempotency } from "../../../db/schema";
import type { Database } from "../db.server";
import { ApiProblem } from "./problem.server";

/** How long a first answer is replayed; after that the key may be used afresh. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;
const MAX_KEY_LENGTH = 255;

export type IdempotencyClaim = { kind: "claimed" } | { kind: "replay"; status: number; body: unknown };

export function requestHash(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${body}`).digest("base64url");
}

/**
 * Claims `idempotencyKey` for this request, or finds the first request's answer. A claim
 * is a row with status 0; `recordIdempotentResult` fills it in, `releaseIdempotencyKey`
 * removes it when the request failed in a way worth retrying (5xx).
 */
export async function claimIdempotencyKey(
  db: Database,
  apiKeyId: string,
  idempotencyKey: string,
  hash: string,
): Promise<IdempotencyClaim> {
  if (idempotencyKey.length === 0 || idempotencyKey.length > MAX_KEY_LENGTH) {
    throw new ApiProblem("validation", `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters.`, [
      { field: "Idempotency-Key", message: `Use 1 to ${MAX_KEY_LENGTH} characters, such as a UUID.` },
    ]);
  }
  const claimed = await db
    .insert(apiIdempotency)
    .values({ apiKeyId, idempotencyKey, requestHash: hash, status: 0 })
    .onConflictDoUpdate({
      target: [apiIdempotency.apiKeyId, apiIdempotency.idempotencyKey],
      set: { requestHash: hash, status: 0, body: null, createdAt: sql`now()` },
      // an expired answer is forgotten: the key starts over
      setWhere: sql`${apiIdempotency.createdAt} < now() - make_interval(hours => ${IDEMPOTENCY_WINDOW_HOURS})`,
    })
    .returning({ status: apiIdempotency.status });
  if (claimed.length > 0) return { kind: "claimed" };
  const [first] = await db
    .select()
    .from(apiIdempotency)
    .where(and(eq(apiIdempotency.apiKeyId, apiKeyId), eq(apiIdempotency.idempotencyKey, idempotencyKey)));
  // removed between the two statements (a failed first request released it): try once more
  if (!first) return claimIdempotencyKey(db, apiKeyId, idempotencyKey, hash);
  if (first.requestHash !== hash) {
    throw new ApiProblem(
      "idempotency-key-reused",
      "This Idempotency-Key was first used with a different request (method, path or body). Use a new key for a new request.",
    );
  }
  if (first.status === 0) {
    throw new ApiProblem(
      "idempotency-key-in-flight",
      "The first request with this Idempotency-Key has not finished yet; retry in a moment.",
      undefined,
      { "Retry-After": "1" },
    );
  }
  return { kind: "replay", status: first.status, body: first.body };
}

export async function recordIdempotentResult(
  db: Database,
  apiKeyId: string,
  idempotencyKey: string,
  status: number,
  body: unknown,
): Promise<void> {
  await db
    .update(apiIdempotency)
    .set({ status, body: body ?? null })
    .where(and(eq(apiIdempotency.apiKeyId, apiKeyId), eq(apiIdempotency.idempotencyKey, idempotencyKey)));
}

export async function releaseIdempotencyKey(db: Database, apiKeyId: string, idempotencyKey: string) {
  await db
    .delete(apiIdempotency)
    .where(and(eq(apiIdempotency.apiKeyId, apiKeyId), eq(apiIdempotency.idempotencyKey, idempotencyKey)));
}
