import { and, eq, isNull, sql } from "drizzle-orm";
import { contacts, emailEvents, invitations, outbox } from "../../db/schema";
import type { Database } from "../lib/db.server";
import {
  addressOf,
  describeResendEvent,
  planEmailEvent,
  type DeliveryFact,
  type ResendEvent,
} from "./email-events";
import { optOutContact } from "./unsubscribe.server";

export type RecordedEmailEvent =
  | { outcome: "duplicate" }
  | {
      outcome: "recorded";
      kind: DeliveryFact["kind"];
      /** The outbox message the event is about; null when its email id is not ours. */
      outboxId: string | null;
      invitationId: string | null;
      /** The invitation fields that changed (status, delivered_at, …), for the log. */
      changed: string[];
      contactOptedOut: boolean;
      contactBounced: boolean;
    };

/**
 * Stores one verified Resend event and applies it, in one transaction. `id` is the event's own
 * id (the svix-id header): an id seen before stores and applies nothing (`duplicate`), so
 * Resend's retries and replays are harmless. The event is matched to its outbox message by
 * Resend's email id; an id we never sent is stored and otherwise ignored. The changes (see
 * `planEmailEvent`) go to the message's invitation and its contact.
 */
export async function recordEmailEvent(
  db: Database,
  input: { id: string; payload: ResendEvent },
): Promise<RecordedEmailEvent> {
  const { emailId, occurredAt, fact } = describeResendEvent(input.payload);
  return db.transaction(async (tx) => {
    const [message] = emailId
      ? await tx
          .select({ id: outbox.id, invitationId: outbox.invitationId, toAddress: outbox.toAddress })
          .from(outbox)
          .where(eq(outbox.providerMessageId, emailId))
          .limit(1)
      : [];
    const [stored] = await tx
      .insert(emailEvents)
      .values({
        id: input.id,
        outboxId: message?.id ?? null,
        type: input.payload.type,
        payload: input.payload,
        occurredAt,
      })
      .onConflictDoNothing({ target: emailEvents.id })
      .returning({ id: emailEvents.id });
    if (!stored) return { outcome: "duplicate" as const };

    // Locked: two events for one message (opened and a late delivered) must not both read the old row.
    const [invitation] = message?.invitationId
      ? await tx.select().from(invitations).where(eq(invitations.id, message.invitationId)).for("update")
      : [];
    const plan = planEmailEvent(invitation ?? null, fact, occurredAt);
    if (invitation && Object.keys(plan.invitation).length > 0) {
      await tx.update(invitations).set(plan.invitation).where(eq(invitations.id, invitation.id));
    }

    let contactBounced = false;
    if (invitation && plan.contact.bouncedAt) {
      // Only while the contact still has the address that bounced: a new address starts clean.
      const bounced = await tx
        .update(contacts)
        .set({ bouncedAt: plan.contact.bouncedAt, updatedAt: new Date() })
        .where(
          and(
            eq(contacts.id, invitation.contactId),
            isNull(contacts.bouncedAt),
            sql`lower(${contacts.email}) = lower(${addressOf(message!.toAddress)})`,
          ),
        )
        .returning({ id: contacts.id });
      contactBounced = bounced.length > 0;
    }
    const optedOut = invitation && plan.contact.optOut ? await optOutContact(tx, invitation.contactId) : null;

    return {
      outcome: "recorded" as const,
      kind: fact.kind,
      outboxId: message?.id ?? null,
      invitationId: invitation?.id ?? null,
      changed: Object.keys(plan.invitation),
      contactOptedOut: optedOut !== null,
      contactBounced,
    };
  });
}
