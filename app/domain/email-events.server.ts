import { and, eq, isNull, sql } from "drizzle-orm";
import { contacts, emailEvents, invitations, outbox, type InvitationStatus } from "../../db/schema";
import type { Database } from "../lib/db.server";
import {
  addressOf,
  describeResendEvent,
  planEmailEvent,
  type DeliveryFact,
  type InvitationChanges,
  type InvitationDelivery,
  type ResendEvent,
} from "./email-events";
import { queueHealthRefresh } from "./health-rollups.server";
import { optOutContact } from "./unsubscribe.server";

/**
 * Invitation statuses the health rollups do not tell apart: each is a sent invitation still
 * waiting for its answer (docs/health-model.md, "Silent" and "Reach"). An event that only moves
 * an invitation among them (delivered, opened, clicked) leaves the rollups as they were.
 */
const AWAITING_ANSWER: ReadonlySet<InvitationStatus> = new Set(["sent", "delivered", "opened", "started"]);

/** Whether an event's change to an invitation can change its account's health rollups. */
function changesHealthInputs(before: InvitationDelivery, change: InvitationChanges): boolean {
  if (change.sentAt !== undefined) return true;
  if (change.status === undefined || change.status === before.status) return false;
  return !(AWAITING_ANSWER.has(before.status) && AWAITING_ANSWER.has(change.status));
}

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
  const { recorded, refreshAccountId } = await db.transaction(async (tx) => {
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
    if (!stored) return { recorded: { outcome: "duplicate" as const }, refreshAccountId: null };

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

    // a bounce, a failure, a first "sent" or an opt-out is seen by the rollups; an open is not
    const [refresh] =
      invitation && (optedOut || changesHealthInputs(invitation, plan.invitation))
        ? await tx
            .select({ accountId: contacts.accountId })
            .from(contacts)
            .where(eq(contacts.id, invitation.contactId))
        : [];
    return {
      recorded: {
        outcome: "recorded" as const,
        kind: fact.kind,
        outboxId: message?.id ?? null,
        invitationId: invitation?.id ?? null,
        changed: Object.keys(plan.invitation),
        contactOptedOut: optedOut !== null,
        contactBounced,
      },
      refreshAccountId: refresh?.accountId ?? null,
    };
  });
  // after the commit (docs/health-model.md, "Rollups")
  if (refreshAccountId) await queueHealthRefresh(refreshAccountId);
  return recorded;
}
