import { describe, expect, it } from "vitest";
import {
  addressOf,
  describeResendEvent,
  isPermanentBounce,
  parseResendEvent,
  planEmailEvent,
  type DeliveryFact,
  type InvitationDelivery,
  type ResendEvent,
} from "~/domain/email-events";

const at = (iso: string) => new Date(iso);
const T0 = at("2026-06-01T09:00:00Z");
const T1 = at("2026-06-01T10:00:00Z");
const T2 = at("2026-06-02T08:30:00Z");

function invitation(overrides: Partial<InvitationDelivery> = {}): InvitationDelivery {
  return {
    status: "sent",
    sentAt: T0,
    deliveredAt: null,
    deliveryDelayedAt: null,
    openedAt: null,
    clickedAt: null,
    bouncedAt: null,
    failureReason: null,
    ...overrides,
  };
}

const hardBounce: DeliveryFact = {
  kind: "bounced",
  permanent: true,
  reason: "Permanent / General / 550 user unknown",
};
const softBounce: DeliveryFact = { kind: "bounced", permanent: false, reason: "Transient / MailboxFull" };

// Shapes from Resend's documentation of its webhook events.
const bounced = {
  type: "email.bounced",
  created_at: "2024-11-22T23:41:12.126Z",
  data: {
    broadcast_id: "8b146471-e88e-4322-86af-016cd36fd216",
    created_at: "2024-11-22T23:41:11.894719+00:00",
    email_id: "56761188-7520-42d8-8898-ff6fc54ce618",
    from: "Acme <onboarding@resend.dev>",
    to: ["delivered@resend.dev"],
    subject: "Sending this example",
    bounce: {
      message: "The recipient's email address is on the suppression list.",
      subType: "Suppressed",
      type: "Permanent",
    },
    tags: { category: "confirm_email" },
  },
};

describe("parseResendEvent", () => {
  it("accepts a documented email.bounced event and keeps every field Resend sent", () => {
    const parsed = parseResendEvent(bounced);
    expect(parsed).toEqual({ success: true, event: bounced });
  });

  it("accepts a delivered event with an offset timestamp and fields it does not know", () => {
    const event = {
      type: "email.delivered",
      created_at: "2026-06-01T10:00:00.000+02:00",
      data: { email_id: "re_1", to: ["ana@acme.test"], extra: { nested: [1, 2] } },
      webhook_version: 2,
    };
    expect(parseResendEvent(event)).toEqual({ success: true, event });
  });

  it("accepts events that are not about an email (contact.created) without an email id", () => {
    const event = { type: "contact.created", created_at: "2026-06-01T10:00:00Z", data: { id: "c_1" } };
    expect(parseResendEvent(event)).toEqual({ success: true, event });
  });

  it("names every field that is wrong", () => {
    expect(parseResendEvent({ created_at: "yesterday", data: [] })).toEqual({
      success: false,
      error: "type required; created_at must be an ISO 8601 time; data expected object, received array",
    });
  });

  it("refuses an email event without an email id, and a bounce without its type", () => {
    expect(
      parseResendEvent({
        type: "email.opened",
        created_at: "2026-06-01T10:00:00Z",
        data: { to: ["a@b.test"] },
      }),
    ).toEqual({ success: false, error: "data.email_id required" });
    expect(
      parseResendEvent({ ...bounced, data: { ...bounced.data, bounce: { message: "no type" } } }),
    ).toEqual({ success: false, error: "data.bounce.type required" });
  });

  it("refuses what is not an object at all", () => {
    for (const value of [null, "email.delivered", 42, []]) {
      const parsed = parseResendEvent(value);
      expect(parsed.success).toBe(false);
    }
    expect(parseResendEvent(null)).toEqual({ success: false, error: "body expected object, received null" });
  });
});

describe("describeResendEvent", () => {
  const event = (type: string, data: Record<string, unknown> = {}): ResendEvent => ({
    type,
    created_at: "2026-06-01T10:00:00Z",
    data: { email_id: "re_1", ...data },
  });

  it("reads the email id, the time it happened and the fact", () => {
    expect(describeResendEvent(event("email.delivered"))).toEqual({
      emailId: "re_1",
      occurredAt: T1,
      fact: { kind: "delivered" },
    });
  });

  it("tells a permanent bounce from a transient or undetermined one", () => {
    expect(describeResendEvent(bounced as ResendEvent).fact).toEqual({
      kind: "bounced",
      permanent: true,
      reason: "Permanent / Suppressed / The recipient's email address is on the suppression list.",
    });
    const transient = event("email.bounced", { bounce: { type: "Transient", subType: "MailboxFull" } });
    expect(describeResendEvent(transient).fact).toEqual({
      kind: "bounced",
      permanent: false,
      reason: "Transient / MailboxFull",
    });
    expect(isPermanentBounce("Undetermined")).toBe(false);
    expect(isPermanentBounce(" permanent ")).toBe(true);
  });

  it("turns a failed or suppressed send into a failure with its reason", () => {
    expect(
      describeResendEvent(event("email.failed", { failed: { reason: "reached_daily_quota" } })).fact,
    ).toEqual({ kind: "failed", reason: "reached_daily_quota" });
    expect(
      describeResendEvent(event("email.suppressed", { suppressed: { message: "on the list" } })).fact,
    ).toEqual({ kind: "failed", reason: "Suppressed by Resend: on the list" });
  });

  it("changes nothing for scheduled, received and non-email events", () => {
    expect(describeResendEvent(event("email.scheduled")).fact).toEqual({ kind: "none" });
    expect(describeResendEvent(event("email.received")).fact).toEqual({ kind: "none" });
    const contact = describeResendEvent({
      type: "contact.updated",
      created_at: "2026-06-01T10:00:00Z",
      data: { id: "c_1" },
    });
    expect(contact).toEqual({ emailId: null, occurredAt: T1, fact: { kind: "none" } });
  });
});

describe("planEmailEvent", () => {
  const noContact = { optOut: false, bouncedAt: null };

  it("moves sent → delivered and sets delivered_at", () => {
    expect(planEmailEvent(invitation(), { kind: "delivered" }, T1)).toEqual({
      invitation: { status: "delivered", deliveredAt: T1 },
      contact: noContact,
    });
  });

  it("only fills delivered_at when a late delivered arrives after opened", () => {
    const opened = invitation({ status: "opened", openedAt: T1 });
    expect(planEmailEvent(opened, { kind: "delivered" }, T0).invitation).toEqual({ deliveredAt: T0 });
  });

  it("changes nothing for an event seen in effect before (timestamps only while empty)", () => {
    const delivered = invitation({ status: "delivered", deliveredAt: T1 });
    expect(planEmailEvent(delivered, { kind: "delivered" }, T2).invitation).toEqual({});
  });

  it("moves queued → sent on email.sent and keeps a sent_at already set", () => {
    expect(
      planEmailEvent(invitation({ status: "queued", sentAt: null }), { kind: "sent" }, T0).invitation,
    ).toEqual({
      status: "sent",
      sentAt: T0,
    });
    expect(planEmailEvent(invitation({ status: "queued" }), { kind: "sent" }, T1).invitation).toEqual({
      status: "sent",
    });
  });

  it("opens a delivered invitation but never moves a started or completed one back", () => {
    const delivered = invitation({ status: "delivered", deliveredAt: T0 });
    expect(planEmailEvent(delivered, { kind: "opened" }, T1).invitation).toEqual({
      status: "opened",
      openedAt: T1,
    });
    expect(planEmailEvent(invitation({ status: "started" }), { kind: "opened" }, T1).invitation).toEqual({
      openedAt: T1,
    });
    expect(
      planEmailEvent(invitation({ status: "completed", openedAt: T0 }), { kind: "opened" }, T1).invitation,
    ).toEqual({});
  });

  it("counts a click as an open too", () => {
    expect(planEmailEvent(invitation(), { kind: "clicked" }, T1).invitation).toEqual({
      status: "opened",
      clickedAt: T1,
      openedAt: T1,
    });
    const opened = invitation({ status: "opened", openedAt: T0 });
    expect(planEmailEvent(opened, { kind: "clicked" }, T1).invitation).toEqual({ clickedAt: T1 });
  });

  it("only records a delay for delivery_delayed", () => {
    expect(planEmailEvent(invitation(), { kind: "delivery_delayed" }, T1)).toEqual({
      invitation: { deliveryDelayedAt: T1 },
      contact: noContact,
    });
  });

  it("bounces a queued, sent or delivered invitation on a hard bounce and marks the contact", () => {
    for (const status of ["queued", "sent", "delivered"] as const) {
      expect(planEmailEvent(invitation({ status }), hardBounce, T1)).toEqual({
        invitation: {
          status: "bounced",
          bouncedAt: T1,
          failureReason: "Permanent / General / 550 user unknown",
        },
        contact: { optOut: false, bouncedAt: T1 },
      });
    }
  });

  it("keeps an opened or closed status on a hard bounce but still records it and marks the contact", () => {
    expect(planEmailEvent(invitation({ status: "opened", openedAt: T0 }), hardBounce, T1)).toEqual({
      invitation: { bouncedAt: T1 },
      contact: { optOut: false, bouncedAt: T1 },
    });
    expect(planEmailEvent(invitation({ status: "revoked" }), hardBounce, T1).invitation).toEqual({
      bouncedAt: T1,
    });
  });

  it("treats a soft bounce as a delay: no bounced status, the contact untouched", () => {
    expect(planEmailEvent(invitation(), softBounce, T1)).toEqual({
      invitation: { deliveryDelayedAt: T1 },
      contact: noContact,
    });
  });

  it("fails an unsent invitation with the reason, and leaves a delivered one alone", () => {
    const failed: DeliveryFact = { kind: "failed", reason: "reached_daily_quota" };
    expect(planEmailEvent(invitation({ status: "queued", sentAt: null }), failed, T1).invitation).toEqual({
      status: "failed",
      failureReason: "reached_daily_quota",
    });
    expect(planEmailEvent(invitation({ status: "delivered" }), failed, T1).invitation).toEqual({});
  });

  it("opts the contact out on a complaint and changes no invitation field itself", () => {
    expect(
      planEmailEvent(invitation({ status: "opened", openedAt: T0 }), { kind: "complained" }, T1),
    ).toEqual({
      invitation: {},
      contact: { optOut: true, bouncedAt: null },
    });
  });

  it("never leaves a terminal status on any event", () => {
    for (const status of ["bounced", "failed", "expired", "opted_out", "revoked"] as const) {
      const plan = planEmailEvent(invitation({ status }), { kind: "clicked" }, T1);
      expect(plan.invitation.status).toBeUndefined();
    }
  });

  it("changes nothing when there is no invitation (an email that is not a survey)", () => {
    expect(planEmailEvent(null, hardBounce, T1)).toEqual({ invitation: {}, contact: noContact });
    expect(planEmailEvent(null, { kind: "complained" }, T1)).toEqual({ invitation: {}, contact: noContact });
  });
});

describe("addressOf", () => {
  it("takes the address out of a display name", () => {
    expect(addressOf("Ana Ruiz <ana@acme.test>")).toBe("ana@acme.test");
    expect(addressOf(" ana@acme.test ")).toBe("ana@acme.test");
  });
});
