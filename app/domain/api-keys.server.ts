import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { apiKeys, apiKeyScope, users, type ApiKey, type ApiKeyScope } from "../../db/schema";
import type { Database } from "../lib/db.server";

/** `rk_<prefix>_<secret>`: the prefix (8 hex characters) is stored to tell keys apart; the whole key only as a hash. */
const KEY_PATTERN = /^rk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export const apiKeyInputSchema = z.object({
  name: z
    .string({ required_error: "Name the key after what uses it, such as “Salesforce sync”." })
    .trim()
    .min(1, "Name the key after what uses it, such as “Salesforce sync”.")
    .max(100, "The name must be at most 100 characters."),
  scope: z.enum(apiKeyScope.enumValues, {
    errorMap: () => ({ message: "Choose read (look only) or write (look and change)." }),
  }),
});
export type ApiKeyInput = z.input<typeof apiKeyInputSchema>;

/** sha-256 of the whole key, base64url: a database leak yields no usable key. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("base64url");
}

/** Creates a key; the returned `key` is the only time the secret exists outside the caller's hands. */
export async function createApiKey(
  db: Database,
  input: ApiKeyInput,
  createdById: string | null,
): Promise<{ key: string; apiKey: ApiKey }> {
  const { name, scope } = apiKeyInputSchema.parse(input);
  const prefix = randomBytes(4).toString("hex");
  const key = `rk_${prefix}_${randomBytes(32).toString("base64url")}`;
  const [apiKey] = await db
    .insert(apiKeys)
    .values({ name, scope, prefix, keyHash: hashApiKey(key), createdById })
    .returning();
  return { key, apiKey: apiKey! };
}

export interface ApiKeyPrincipal {
  id: string;
  name: string;
  scope: ApiKeyScope;
  createdById: string | null;
  rateLimitPerMinute: number;
}

/** The active key a bearer token names, or null when it is malformed, unknown or revoked. */
export async function findActiveApiKey(db: Database, token: string): Promise<ApiKeyPrincipal | null> {
  if (!KEY_PATTERN.test(token)) return null;
  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      scope: apiKeys.scope,
      createdById: apiKeys.createdById,
      rateLimitPerMinute: apiKeys.rateLimitPerMinute,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(token)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return null;
  // at most one write a minute per key: the settings page shows minutes, not milliseconds
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: new Date() })
      .where(
        and(
          eq(apiKeys.id, row.id),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
        ),
      );
  }
  const { lastUsedAt: _lastUsedAt, ...principal } = row;
  return principal;
}

const creators = alias(users, "creators");
const revokers = alias(users, "revokers");

/** Every key, newest first, for the settings page (never the hash). */
export async function listApiKeys(db: Database) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      scope: apiKeys.scope,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      createdByName: creators.name,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      revokedByName: revokers.name,
    })
    .from(apiKeys)
    .leftJoin(creators, eq(creators.id, apiKeys.createdById))
    .leftJoin(revokers, eq(revokers.id, apiKeys.revokedById))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Revokes a key for good; false when there is no such active key. */
export async function revokeApiKey(
  db: Database,
  keyId: string,
  revokedById: string | null,
): Promise<boolean> {
  if (!z.string().uuid().safeParse(keyId).success) return false;
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: new Date(), revokedById })
    .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.length > 0;
}
