/**
 * Resend's delivery events as they really arrive: late, out of order, and more than once (Svix
 * retries an event until it hears a 2xx). Whatever the order and however many copies, the
 * invitation and the contact end in the same state.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contacts, emailEvents, invitations } from "../../db/schema";
import { insertAccount, insertSurveyVersionFromFile } from "../../db/factories";
import { getDb } from "~/lib/db.server";
import {
  SENT_AT,
  deliverWebhook,
  resendEvent,
  sentInvitationEmail,
  withWebhookSecret,
  type WebhookDelivery,
} from "../support/resend-webhook";

const SECRET = withWebhookSecret();
const at = (minutes: number) => new Date(SENT_AT.getTime() + minutes * 60_000);

/** An invitation our sender has settled: sent, its outbox row carrying Resend's email id. */
async function sentInvitation(surveyVersionId: string, accountId: string) {
  const address = `reader-${randomUUID()}@acme.test`;
  const { contact, invitation, emailId } = await sentInvitationEmail({
    contact: { accountId, email: address },
    invitation: { surveyVersionId },
  });
  return { contactId: contact.id, invitationId: invitation.id, emailId, address };
}

const deliver = (delivery: WebhookDelivery) => deliverWebhook(delivery, SECRET);

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

async function finalState(invitationId: string, contactId: string) {
  const [invitation] = await getDb().select().from(invitations).where(eq(invitations.id, invitationId));
  const [contact] = await getDb().select().from(contacts).where(eq(contacts.id, contactId));
  return {
    status: invitation!.status,
    sentAt: invitation!.sentAt,
    deliveredAt: invitation!.deliveredAt,
    openedAt: invitation!.openedAt,
    clickedAt: invitation!.clickedAt,
    bouncedAt: invitation!.bouncedAt,
    failureReason: invitation!.failureReason,
    contactBouncedAt: contact!.bouncedAt,
    contactOptedOutAt: contact!.optedOutAt,
  };
}

describe("delivery events out of order and twice", () => {
  it("ends every one of the 24 orders of sent, delivered, opened and clicked, each sent twice, in the same state", async () => {
    const version = await insertSurveyVersionFromFile(getDb(), "relationship-health");
    const account = await insertAccount(getDb());
    const kinds = ["email.sent", "email.delivered", "email.opened", "email.clicked"] as const;
    const orders = permutations([0, 1, 2, 3]);
    expect(orders).toHaveLength(24);

    const states = [];
    for (const order of orders) {
      const sent = await sentInvitation(version.id, account.id);
      // each event happened a minute after the one before; they arrive in `order`
      const deliveries = order.map((i) => resendEvent(kinds[i]!, sent.emailId, sent.address, at(i + 1)));
      for (const delivery of deliveries)
        expect(await deliver(delivery)).toEqual({ status: 200, body: { received: true } });
      // Svix's retries of the same events, in the opposite order: nothing changes
      for (const delivery of [...deliveries].reverse()) {
        expect(await deliver(delivery)).toEqual({ status: 200, body: { received: true, duplicate: true } });
      }
      states.push({
        order: order.map((i) => kinds[i]),
        state: await finalState(sent.invitationId, sent.contactId),
      });
    }

    const expected = {
      status: "opened",
      sentAt: SENT_AT,
      deliveredAt: at(2),
      openedAt: at(3),
      clickedAt: at(4),
      bouncedAt: null,
      failureReason: null,
      contactBouncedAt: null,
      contactOptedOutAt: null,
    };
    expect(states.filter((s) => JSON.stringify(s.state) !== JSON.stringify(expected))).toEqual([]);
    expect(await getDb().select().from(emailEvents)).toHaveLength(24 * kinds.length);
  }, 120_000);

  it("bounces the invitation and marks the contact whether the hard bounce comes before or after delivered", async () => {
    const version = await insertSurveyVersionFromFile(getDb(), "relationship-health");
    const account = await insertAccount(getDb());
    const states = [];
    for (const bounceFirst of [false, true]) {
      const sent = await sentInvitation(version.id, account.id);
      const delivered = resendEvent("email.delivered", sent.emailId, sent.address, at(1));
      const bounced = resendEvent("email.bounced", sent.emailId, sent.address, at(2), {
        bounce: { type: "Permanent", subType: "General", message: "Mailbox does not exist" },
      });
      const deliveries = bounceFirst ? [bounced, delivered, bounced] : [delivered, bounced, delivered];
      for (const delivery of deliveries) expect((await deliver(delivery)).status).toBe(200);
      states.push(await finalState(sent.invitationId, sent.contactId));
    }
    const expected = {
      status: "bounced",
      sentAt: SENT_AT,
      deliveredAt: at(1),
      openedAt: null,
      clickedAt: null,
      bouncedAt: at(2),
      failureReason: "Permanent / General / Mailbox does not exist",
      contactBouncedAt: at(2),
      contactOptedOutAt: null,
    };
    expect(states).toEqual([expected, expected]);
  });
});
