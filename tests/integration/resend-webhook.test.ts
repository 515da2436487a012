import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contacts, emailEvents, invitations } from "../../db/schema";
import { insertInvitation } from "../../db/factories";
import { getDb } from "~/lib/db.server";
import { loader } from "~/routes/webhooks.resend";
import { settle } from "../support/requests";
import {
  postWebhook,
  sentInvitationEmail,
  signedWebhookRequest,
  withWebhookSecret,
  type SignOptions,
} from "../support/resend-webhook";

const SECRET = withWebhookSecret();
const MINUTE = 60_000;

/** A contact with an invitation sent through Resend: the outbox row carries Resend's email id. */
const sentInvitation = (invitation: Parameters<typeof insertInvitation>[1] = {}) =>
  sentInvitationEmail({ invitation });

function resendEvent(
  type: string,
  emailId: string,
  data: Record<string, unknown> = {},
  createdAt = new Date(),
) {
  return {
    type,
    created_at: createdAt.toISOString(),
    data: {
      created_at: "2026-06-01T09:00:00.000000+00:00",
      email_id: emailId,
      from: "Rapport <surveys@rapport.test>",
      to: ["ana.ruiz@acme.test"],
      subject: "How is our relationship with you?",
      ...data,
    },
  };
}

/** A POST as Resend sends it, signed with this file's secret unless told otherwise. */
const signedRequest = (body: unknown, options: Partial<SignOptions> = {}) =>
  signedWebhookRequest(body, { secret: SECRET, ...options });

async function invitationRow(id: string) {
  const [row] = await getDb().select().from(invitations).where(eq(invitations.id, id));
  return row!;
}

async function contactRow(id: string) {
  const [row] = await getDb().select().from(contacts).where(eq(contacts.id, id));
  return row!;
}

async function storedEvents() {
  return getDb().select().from(emailEvents);
}

describe("POST /webhooks/resend", () => {
  it("moves a sent invitation to delivered and stores the event once with its message", async () => {
    const { invitation, emailId, message } = await sentInvitation();
    const deliveredAt = new Date(Date.now() - 30_000);
    deliveredAt.setMilliseconds(0);
    const payload = resendEvent("email.delivered", emailId, {}, deliveredAt);

    const answer = await postWebhook(signedRequest(payload, { id: "msg_delivered_1" }));

    expect(answer).toEqual({ status: 200, body: { received: true } });
    const row = await invitationRow(invitation.id);
    expect(row.status).toBe("delivered");
    expect(row.deliveredAt).toEqual(deliveredAt);
    const events = await storedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: "msg_delivered_1",
      outboxId: message.id,
      type: "email.delivered",
      payload,
      occurredAt: deliveredAt,
    });
  });

  it("answers a replayed event id as a duplicate and changes nothing, even with another payload", async () => {
    const { contact, invitation, emailId } = await sentInvitation();
    const first = resendEvent("email.delivered", emailId);
    expect((await postWebhook(signedRequest(first, { id: "msg_replayed" }))).status).toBe(200);

    const again = await postWebhook(signedRequest(first, { id: "msg_replayed" }));
    expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
    const other = resendEvent("email.bounced", emailId, {
      bounce: { type: "Permanent", subType: "General" },
    });
    const replayed = await postWebhook(signedRequest(other, { id: "msg_replayed" }));
    expect(replayed).toEqual({ status: 200, body: { received: true, duplicate: true } });

    expect((await invitationRow(invitation.id)).status).toBe("delivered");
    expect((await invitationRow(invitation.id)).bouncedAt).toBeNull();
    expect((await contactRow(contact.id)).bouncedAt).toBeNull();
    const events = await storedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe("email.delivered");
  });

  it("refuses a bad signature with 401 and stores nothing", async () => {
    const { invitation, emailId } = await sentInvitation();
    const payload = resendEvent("email.delivered", emailId);
    const otherSecret = `whsec_${randomBytes(24).toString("base64")}`;

    const wrongKey = await postWebhook(signedRequest(payload, { secret: otherSecret }));
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.error).toMatch(/signature/i);

    // Signed for one body, sent with another.
    const genuine = signedRequest(payload);
    const tampered = new Request(genuine.url, {
      method: "POST",
      headers: genuine.headers,
      body: JSON.stringify(resendEvent("email.complained", emailId)),
    });
    expect((await postWebhook(tampered)).status).toBe(401);

    expect(await storedEvents()).toHaveLength(0);
    expect((await invitationRow(invitation.id)).status).toBe("sent");
  });

  it("refuses a timestamp 6 minutes old, or 6 minutes ahead, and stores nothing", async () => {
    const { invitation, emailId } = await sentInvitation();
    const payload = resendEvent("email.delivered", emailId);

    const old = await postWebhook(signedRequest(payload, { at: new Date(Date.now() - 6 * MINUTE) }));
    expect(old.status).toBe(401);
    expect(old.body.error).toMatch(/too old/);
    const ahead = await postWebhook(signedRequest(payload, { at: new Date(Date.now() + 6 * MINUTE) }));
    expect(ahead.status).toBe(401);

    expect(await storedEvents()).toHaveLength(0);
    expect((await invitationRow(invitation.id)).status).toBe("sent");
  });

  it("answers 400 naming the svix headers that are missing", async () => {
    const { emailId } = await sentInvitation();
    const payload = resendEvent("email.delivered", emailId);
    for (const name of ["svix-id", "svix-timestamp", "svix-signature"]) {
      const answer = await postWebhook(signedRequest(payload, { headers: { [name]: undefined } }));
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain(name);
    }
    expect(await storedEvents()).toHaveLength(0);
  });

  it("answers 503 while RESEND_WEBHOOK_SECRET is not set", async () => {
    const { invitation, emailId } = await sentInvitation();
    const request = signedRequest(resendEvent("email.delivered", emailId));
    delete process.env.RESEND_WEBHOOK_SECRET;

    const answer = await postWebhook(request);

    expect(answer.status).toBe(503);
    expect(answer.body.error).toContain("RESEND_WEBHOOK_SECRET is not set");
    expect(await storedEvents()).toHaveLength(0);
    expect((await invitationRow(invitation.id)).status).toBe("sent");
  });

  it("bounces the invitation and marks the contact on a hard bounce, keeping the first bounce time", async () => {
    const { contact, invitation, emailId } = await sentInvitation({
      status: "delivered",
      deliveredAt: new Date(),
    });
    const firstAt = new Date(Date.now() - 2 * MINUTE);
    firstAt.setMilliseconds(0);
    const bounce = { type: "Permanent", subType: "General", message: "550 5.1.1 user unknown" };

    const answer = await postWebhook(
      signedRequest(resendEvent("email.bounced", emailId, { bounce }, firstAt)),
    );
    expect(answer.status).toBe(200);
    await postWebhook(signedRequest(resendEvent("email.bounced", emailId, { bounce })));

    const row = await invitationRow(invitation.id);
    expect(row.status).toBe("bounced");
    expect(row.bouncedAt).toEqual(firstAt);
    expect(row.failureReason).toBe("Permanent / General / 550 5.1.1 user unknown");
    expect((await contactRow(contact.id)).bouncedAt).toEqual(firstAt);
    expect(await storedEvents()).toHaveLength(2);
  });

  it("does not mark a contact whose address changed since the message bounced", async () => {
    const { contact, emailId } = await sentInvitation();
    await getDb().update(contacts).set({ email: "ana@new-acme.test" }).where(eq(contacts.id, contact.id));
    const bounce = { type: "Permanent", subType: "General" };

    await postWebhook(signedRequest(resendEvent("email.bounced", emailId, { bounce })));

    expect((await contactRow(contact.id)).bouncedAt).toBeNull();
  });

  it("counts a soft bounce as a delay: the invitation stays sent and the contact is not marked", async () => {
    const { contact, invitation, emailId } = await sentInvitation();
    const bounce = { type: "Transient", subType: "MailboxFull", message: "mailbox full" };

    const answer = await postWebhook(signedRequest(resendEvent("email.bounced", emailId, { bounce })));

    expect(answer.status).toBe(200);
    const row = await invitationRow(invitation.id);
    expect(row.status).toBe("sent");
    expect(row.bouncedAt).toBeNull();
    expect(row.deliveryDelayedAt).toBeInstanceOf(Date);
    expect((await contactRow(contact.id)).bouncedAt).toBeNull();
  });

  it("opts the contact out on a complaint and closes their open invitations, as unsubscribing does", async () => {
    const { contact, invitation, emailId } = await sentInvitation({ status: "opened", openedAt: new Date() });
    const db = getDb();
    const other = await insertInvitation(db, { contactId: contact.id, status: "queued" });
    const answered = await insertInvitation(db, { contactId: contact.id, status: "completed" });

    const answer = await postWebhook(signedRequest(resendEvent("email.complained", emailId)));

    expect(answer.status).toBe(200);
    expect((await contactRow(contact.id)).optedOutAt).toBeInstanceOf(Date);
    expect((await invitationRow(invitation.id)).status).toBe("opted_out");
    expect((await invitationRow(other.id)).status).toBe("opted_out");
    expect((await invitationRow(answered.id)).status).toBe("completed");
  });

  it("keeps opened when a delivered event arrives after the open, filling only delivered_at", async () => {
    const { invitation, emailId } = await sentInvitation();
    const deliveredAt = new Date(Date.now() - MINUTE);
    deliveredAt.setMilliseconds(0);

    await postWebhook(signedRequest(resendEvent("email.opened", emailId)));
    await postWebhook(signedRequest(resendEvent("email.delivered", emailId, {}, deliveredAt)));

    const row = await invitationRow(invitation.id);
    expect(row.status).toBe("opened");
    expect(row.openedAt).toBeInstanceOf(Date);
    expect(row.deliveredAt).toEqual(deliveredAt);
  });

  it("sets clicked_at and opens the invitation on a click", async () => {
    const { invitation, emailId } = await sentInvitation({ status: "delivered", deliveredAt: new Date() });
    const clickedAt = new Date();
    clickedAt.setMilliseconds(0);
    const click = {
      ipAddress: "198.51.100.4",
      link: "https://rapport.test/s/x",
      timestamp: clickedAt,
      userAgent: "x",
    };

    await postWebhook(signedRequest(resendEvent("email.clicked", emailId, { click }, clickedAt)));

    const row = await invitationRow(invitation.id);
    expect(row.status).toBe("opened");
    expect(row.clickedAt).toEqual(clickedAt);
    expect(row.openedAt).toEqual(clickedAt);
  });

  it("stores an event for an email id it never sent and answers 200", async () => {
    const { invitation } = await sentInvitation();

    const answer = await postWebhook(
      signedRequest(resendEvent("email.delivered", randomUUID()), { id: "msg_unknown" }),
    );

    expect(answer).toEqual({ status: 200, body: { received: true } });
    const events = await storedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: "msg_unknown", outboxId: null, type: "email.delivered" });
    expect((await invitationRow(invitation.id)).status).toBe("sent");
  });

  it("refuses a body over 256 KB with 413 before reading it as an event", async () => {
    const { emailId } = await sentInvitation();
    const huge = resendEvent("email.delivered", emailId, { padding: "x".repeat(300 * 1024) });

    const answer = await postWebhook(signedRequest(huge));
    expect(answer.status).toBe(413);
    // A declared length over the limit is refused without reading the body.
    const declared = signedRequest(resendEvent("email.delivered", emailId), {
      headers: { "Content-Length": String(300 * 1024) },
    });
    expect((await postWebhook(declared)).status).toBe(413);

    expect(await storedEvents()).toHaveLength(0);
  });

  it("answers 400 naming what is wrong for signed JSON that is not an event, and for a body that is not JSON", async () => {
    await sentInvitation();

    const notEvent = await postWebhook(signedRequest({ hello: "world" }));
    expect(notEvent.status).toBe(400);
    expect(notEvent.body.error).toContain("type required");
    expect(notEvent.body.error).toContain("created_at required");

    const noEmailId = await postWebhook(
      signedRequest({ type: "email.delivered", created_at: new Date().toISOString(), data: {} }),
    );
    expect(noEmailId.status).toBe(400);
    expect(noEmailId.body.error).toContain("data.email_id required");

    const notJson = await postWebhook(signedRequest("type=email.delivered"));
    expect(notJson).toEqual({ status: 400, body: { error: "The body is not JSON." } });

    expect(await storedEvents()).toHaveLength(0);
  });

  it("answers 405 to GET", async () => {
    const response = await settle(() => loader());
    expect(response.status).toBe(405);
    expect((await response.json()).error).toContain("POST");
  });
});
