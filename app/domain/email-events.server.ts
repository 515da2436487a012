import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { contacts, emailEvents, invitations, outbox, type InvitationStatus } from "../../db/schema";
import type { Database, Transaction } from "../lib/db.server";
import {
  addressOf,
  describeResendEvent,
  planEmailEvent,
  type DeliveryFact,
  type InvitationChanges,
  type InvitationDelivery,
  type ResendEvent,
} from "./email-events";
import { queueRollupRefreshes } from "./rollup-refresh.server";
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

/** The outbox message an event names, as the changes need it. */
interface EventMessage {
  id: string;
  invitationId: string | null;
  toAddress: string;
}

/** What applying one event changed, for the caller's log. */
type EventChanges = Omit<
  Extract<RecordedEmailEvent, { outcome: "recorded" }>,
  "outcome" | "kind" | "outboxId"
>;

/**
 * Stores one verified Resend event and applies it, in one transaction. `id` is the event's own
 * id (the svix-id header): an id seen before stores and applies nothing (`duplicate`), so
 * Resend's retries and replays are harmless. The event is matched to its outbox message by
 * Resend's email id. An id not (yet) recorded on a message is stored unmatched: an email we
 * never sent stays that way, and one whose id the sender records later gets the event then
 * (`applyEarlyEmailEvents`). The changes (see `planEmailEvent`) go to the message's invitation
 * and its contact.
 */
export async function recordEmailEvent(
  db: Database,
  input: { id: string; payload: ResendEvent },
): Promise<RecordedEmailEvent> {
  const { emailId, occurredAt, fact } = describeResendEvent(input.payload);
  const { recorded, refreshAccountId } = await db.transaction(async (tx) => {
    if (emailId) await lockEmailIds(tx, [emailId]);
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

    const applied = await applyEvent(tx, message ?? null, fact, occurredAt);
    return {
      recorded: {
        outcome: "recorded" as const,
        kind: fact.kind,
        outboxId: message?.id ?? null,
        ...applied.changes,
      },
      refreshAccountId: applied.refreshAccountId,
    };
  });
  // after the commit (docs/health-model.md, "Rollups")
  if (refreshAccountId) await queueRollupRefreshes([refreshAccountId]);
  return recorded;
}

/**
 * Applies the events Resend reported about `messages` before their ids were recorded — a
 * webhook can beat the sender's write, and a sender killed between Resend's answer and the
 * write records the ids only when the batch is sent again. Runs in the sender's transaction,
 * after it wrote the ids, and applies each event once, oldest first. Returns the accounts
 * whose health rollups the events changed, to refresh after the commit.
 */
export async function applyEarlyEmailEvents(
  tx: Transaction,
  messages: readonly (EventMessage & { providerMessageId: string })[],
): Promise<string[]> {
  if (messages.length === 0) return [];
  const byEmailId = new Map(messages.map((m) => [m.providerMessageId, m]));
  await lockEmailIds(tx, [...byEmailId.keys()]);
  const early = await tx
    .update(emailEvents)
    .set({ outboxId: sql`${outbox.id}` })
    .from(outbox)
    .where(
      and(
        isNull(emailEvents.outboxId),
        eq(emailIdOf(emailEvents.payload), outbox.providerMessageId),
        inArray(outbox.providerMessageId, [...byEmailId.keys()]),
      ),
    )
    .returning({
      emailId: outbox.providerMessageId,
      payload: emailEvents.payload,
      occurredAt: emailEvents.occurredAt,
      receivedAt: emailEvents.receivedAt,
    });
  early.sort(
    (a, b) =>
      a.occurredAt.getTime() - b.occurredAt.getTime() || a.receivedAt.getTime() - b.receivedAt.getTime(),
  );
  const refresh: string[] = [];
  for (const event of early) {
    // stored by recordEmailEvent, which took it only once it had the shape of a ResendEvent
    const { fact, occurredAt } = describeResendEvent(event.payload as ResendEvent);
    const applied = await applyEvent(tx, byEmailId.get(event.emailId!)!, fact, occurredAt);
    if (applied.refreshAccountId) refresh.push(applied.refreshAccountId);
  }
  return refresh;
}

/** Resend's email id inside a stored event (what `email_events_unmatched_email_id_idx` indexes). */
function emailIdOf(payload: typeof emailEvents.payload) {
  return sql<string>`(${payload} -> 'data' ->> 'email_id')`;
}

/**
 * Serialises the event writer and the sender on each email id: whichever commits first, the
 * other sees its write, so an event is never stored unmatched after its id was recorded.
 */
async function lockEmailIds(tx: Transaction, emailIds: readonly string[]) {
  // one statement for a whole batch, in a fixed order
  await tx.execute(sql`
    select pg_advisory_xact_lock(hashtextextended('email-event:' || email_id, 0))
    from (select distinct email_id from unnest(${sql.param([...emailIds])}::text[]) as email_id order by email_id) ids`);
}

/** One event's changes to its message's invitation and contact (none for a message we never sent). */
async function applyEvent(
  tx: Transaction,
  message: EventMessage | null,
  fact: DeliveryFact,
  occurredAt: Date,
): Promise<{ changes: EventChanges; refreshAccountId: string | null }> {
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
    changes: {
      invitationId: invitation?.id ?? null,
      changed: Object.keys(plan.invitation),
      contactOptedOut: optedOut !== null,
      contactBounced,
    },
    refreshAccountId: refresh?.accountId ?? null,
  };
}
