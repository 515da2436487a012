/**
 * Resend's webhook as the tests send it: a signing secret set for each test, requests signed
 * the way Svix signs them, and an invitation whose email Resend has accepted (its outbox row
 * carries Resend's email id, which every event names).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Webhook } from "svix";
import { afterEach, beforeEach } from "vitest";
import { outbox } from "../../db/schema";
import { insertContact, insertInvitation } from "../../db/factories";
import { getDb } from "~/lib/db.server";
import { action } from "~/routes/webhooks.resend";
import { settle } from "./requests";

/** Sets RESEND_WEBHOOK_SECRET to a fresh secret around each test of the file; returns it. */
export function withWebhookSecret(): string {
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const saved = process.env.RESEND_WEBHOOK_SECRET;
  beforeEach(() => {
    process.env.RESEND_WEBHOOK_SECRET = secret;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.RESEND_WEBHOOK_SECRET;
    else process.env.RESEND_WEBHOOK_SECRET = saved;
  });
  return secret;
}

export interface SignOptions {
  secret: string;
  id?: string;
  /** The svix-timestamp; default now. */
  at?: Date;
  /** Replace or drop (undefined) signature headers. */
  headers?: Record<string, string | undefined>;
}

/** A POST as Resend sends it: the raw JSON body signed with the webhook's secret. */
export function signedWebhookRequest(body: unknown, options: SignOptions): Request {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const headers: Record<string, string | undefined> = {
    "Content-Type": "application/json",
    "svix-id": id,
    "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
    "svix-signature": new Webhook(options.secret).sign(id, at, text),
    ...options.headers,
  };
  const defined = Object.entries(headers).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return new Request("http://localhost/webhooks/resend", { method: "POST", headers: defined, body: text });
}

/** One event as Resend posts it, under the svix-id every retry of it carries. */
export interface WebhookDelivery {
  id: string;
  body: string;
}

/** A Resend email event about `emailId`, sent to `address`, that happened at `occurredAt`. */
export function resendEvent(
  type: string,
  emailId: string,
  address: string,
  occurredAt: Date,
  data: object = {},
): WebhookDelivery {
  return {
    id: `msg_${randomUUID()}`,
    body: JSON.stringify({
      type,
      created_at: occurredAt.toISOString(),
      data: { email_id: emailId, to: [address], subject: "How is our relationship with you?", ...data },
    }),
  };
}

/** POSTs one delivery to the webhook route as Svix does, signed now with `secret`. */
export function deliverWebhook({ id, body }: WebhookDelivery, secret: string) {
  return postWebhook(signedWebhookRequest(body, { secret, id }));
}

/** The webhook route's answer to `request`: its status and JSON body. */
export async function postWebhook(request: Request) {
  const response = await settle(() => action({ request, params: {}, context: {} }));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const SENT_AT = new Date("2026-06-01T09:00:00Z");

/** A contact with an invitation sent through Resend at SENT_AT: the outbox row carries Resend's email id. */
export async function sentInvitationEmail(
  options: {
    contact?: Parameters<typeof insertContact>[1];
    invitation?: Parameters<typeof insertInvitation>[1];
  } = {},
) {
  const db = getDb();
  const contact = await insertContact(db, { email: "Ana.Ruiz@acme.test", ...options.contact });
  const invitation = await insertInvitation(db, {
    contactId: contact.id,
    status: "sent",
    sentAt: SENT_AT,
    ...options.invitation,
  });
  const emailId = randomUUID();
  const [message] = await db
    .insert(outbox)
    .values({
      kind: "invitation",
      toAddress: (contact.email ?? "ana.ruiz@acme.test").toLowerCase(),
      fromAddress: "Rapport <surveys@rapport.test>",
      subject: "How is our relationship with you?",
      html: "<p>Tell us</p>",
      text: "Tell us",
      invitationId: invitation.id,
      idempotencyKey: `invitation:${invitation.id}`,
      status: "sent",
      providerMessageId: emailId,
      sentAt: invitation.sentAt ?? SENT_AT,
    })
    .returning();
  return { contact, invitation, emailId, message: message! };
}
