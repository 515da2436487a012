/**
 * The Standard Webhooks (svix) signature scheme: secrets, event ids, signing and verifying.
 * Server-only because it needs node:crypto.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** `whsec_` + base64 of 32 random bytes, as svix and Standard Webhooks write them. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * An event id: stable when the event names the thing it is about (`key`), so emitting it
 * twice queues it once per endpoint; random otherwise (a test event).
 */
export function webhookEventId(type: string, key?: string): string {
  if (key === undefined) return `evt_${randomBytes(16).toString("hex")}`;
  return `evt_${createHash("sha256").update(`${type}:${key}`).digest("hex").slice(0, 32)}`;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the secret's decoded bytes. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/** What a receiver does: true when one of the header's space-separated signatures matches. */
export function verifyWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
): boolean {
  const expected = Buffer.from(signWebhook(secret, headers.id, Number(headers.timestamp), body));
  return headers.signature.split(" ").some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
