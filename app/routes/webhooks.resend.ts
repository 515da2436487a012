import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Webhook, WebhookVerificationError } from "svix";
import { parseResendEvent } from "~/domain/email-events";
import { recordEmailEvent } from "~/domain/email-events.server";
import { getDb } from "~/lib/db.server";
import { envSchema } from "~/lib/env.server";
import { jsonError, jsonValueProblems } from "~/lib/json-body.server";
import { log } from "~/lib/log.server";

// Delivery events from Resend, signed by Svix. See docs/email-events.md.

/** Resend's events are a few KB; anything this large is not one of them. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

const webhookEnv = envSchema.pick({ RESEND_WEBHOOK_SECRET: true });

/**
 * The signing secret as the environment has it now. Read on each request rather than from
 * the cached `getEnv()` so a test can set it; start-up has already checked the same variable
 * with the same schema.
 */
function webhookSecret(
  source: Record<string, string | undefined> = process.env,
): { ok: true; secret: string } | { ok: false; problem: string } {
  const value = source.RESEND_WEBHOOK_SECRET;
  const parsed = webhookEnv.safeParse(value === "" ? {} : { RESEND_WEBHOOK_SECRET: value });
  if (!parsed.success) {
    return { ok: false, problem: "RESEND_WEBHOOK_SECRET must be the webhook's signing secret, whsec_…" };
  }
  if (!parsed.data.RESEND_WEBHOOK_SECRET) {
    return {
      ok: false,
      problem: "RESEND_WEBHOOK_SECRET is not set: delivery events are refused until it is.",
    };
  }
  return { ok: true, secret: parsed.data.RESEND_WEBHOOK_SECRET };
}

export async function loader() {
  return jsonError(405, "Use POST: Resend delivers events to this address.");
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return jsonError(405, "Use POST.");
  const key = signingKey();
  if ("problem" in key) {
    log.warn("resend-webhook.unconfigured", { problem: key.problem });
    return jsonError(503, key.problem);
  }

  const headers = {
    "svix-id": request.headers.get("svix-id") ?? "",
    "svix-timestamp": request.headers.get("svix-timestamp") ?? "",
    "svix-signature": request.headers.get("svix-signature") ?? "",
  };
  const missing = Object.entries(headers).filter(([, value]) => value === "");
  if (missing.length > 0) {
    return reject(400, `The request has no ${missing.map(([name]) => name).join(", ")} header.`);
  }
  // The id becomes a primary key; Svix's are about 30 characters.
  if (headers["svix-id"].length > 200) return reject(400, "The svix-id header is too long.");

  const body = await readBodyText(request, MAX_WEBHOOK_BODY_BYTES);
  if (body === null)
    return reject(413, `The body is too large (at most ${MAX_WEBHOOK_BODY_BYTES / 1024} KB).`);

  let verified: unknown;
  try {
    // Svix also refuses a timestamp more than 5 minutes from now, so a captured request cannot be replayed later.
    verified = key.webhook.verify(body, headers);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      return reject(401, `The signature does not verify: ${error.message}.`);
    }
    // The signature matched, so Svix went on to parse what it signed: that is not JSON.
    if (error instanceof SyntaxError) return reject(400, "The body is not JSON.");
    throw error;
  }

  // The payload is stored verbatim: text Postgres cannot store would fail the insert with a
  // 500, and a __proto__ key would vanish from it into the parsed event's prototype.
  const problems = jsonValueProblems(verified);
  if (problems.length > 0) {
    const list = problems.map(({ path, message }) => `${path || "body"} ${message}`).join("; ");
    return reject(400, `The body is not a Resend event: ${list}.`);
  }
  const parsed = parseResendEvent(verified);
  if (!parsed.success) return reject(400, `The body is not a Resend event: ${parsed.error}.`);

  const eventId = headers["svix-id"];
  const result = await recordEmailEvent(getDb(), { id: eventId, payload: parsed.event });
  // Ids and outcomes only: the payload's addresses stay out of the logs.
  log.info("resend-webhook.event", { eventId, type: parsed.event.type, ...result });
  const answer = result.outcome === "duplicate" ? { received: true, duplicate: true } : { received: true };
  return json(answer, { headers: { "Cache-Control": "no-store" } });
}

/** The verifier for the configured secret, or why there is none. */
function signingKey(): { webhook: Webhook } | { problem: string } {
  const found = webhookSecret();
  if (!found.ok) return { problem: found.problem };
  try {
    return { webhook: new Webhook(found.secret) };
  } catch {
    return { problem: "RESEND_WEBHOOK_SECRET is not a valid signing secret: copy it again from Resend." };
  }
}

function reject(status: number, message: string): Response {
  log.warn("resend-webhook.rejected", { status, reason: message });
  return jsonError(status, message);
}

/**
 * The raw body as text, exactly as signed; null when it passes `maxBytes`. Read in chunks so
 * an oversized body is refused without holding all of it in memory.
 */
async function readBodyText(request: Request, maxBytes: number): Promise<string | null> {
  if (Number(request.headers.get("Content-Length") ?? "0") > maxBytes) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
