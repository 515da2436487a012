import { and, eq, inArray, sql } from "drizzle-orm";
import { contacts, invitations } from "../../db/schema";
import type { Database, Executor } from "../lib/db.server";
import { queueRollupRefreshes } from "./rollup-refresh.server";
import { findInvitationByToken } from "./survey-links.server";

/** Invitations not yet answered or closed: opting out closes them. */
const STILL_OPEN = ["queued", "sent", "delivered", "opened", "started"] as const;

/**
 * One-click unsubscribe with the token from an invitation email: the contact is opted out
 * of every survey (the first opt-out's time is kept) and their unanswered invitations close.
 * Returns null for a token that opens nothing.
 */
export async function optOutByToken(db: Database, token: string) {
  const found = await findInvitationByToken(db, token);
  if (!found) return null;
  const contactId = found.invitation.contactId;
  const result = await db.transaction((tx) => optOutContact(tx, contactId));
  // after the commit: an opted-out contact is no key contact, and their invitations closed
  if (result) await queueRollupRefreshes([found.accountId]);
  return result;
}

/**
 * Opts a contact out of every survey: the first opt-out's time is kept, and their unanswered
 * invitations close. The one way to opt someone out, whether they asked on the unsubscribe
 * page or marked an invitation as spam (a Resend complaint). Run it inside the caller's
 * transaction; the caller queues the account's health refresh once that has committed.
 * Returns null when there is no such contact.
 */
export async function optOutContact(tx: Executor, contactId: string) {
  const [contact] = await tx
    .update(contacts)
    .set({ optedOutAt: sql`coalesce(${contacts.optedOutAt}, now())`, updatedAt: new Date() })
    .where(eq(contacts.id, contactId))
    .returning({ optedOutAt: contacts.optedOutAt });
  if (!contact) return null;
  const closed = await tx
    .update(invitations)
    .set({ status: "opted_out" })
    .where(and(eq(invitations.contactId, contactId), inArray(invitations.status, [...STILL_OPEN])))
    .returning({ id: invitations.id });
  return { optedOutAt: contact.optedOutAt!, closedInvitations: closed.length };
}

/** Whether the contact behind a token has already opted out (for the confirm page). */
export async function optOutStateForToken(db: Database, token: string) {
  const found = await findInvitationByToken(db, token);
  if (!found) return null;
  const [contact] = await db
    .select({ optedOutAt: contacts.optedOutAt })
    .from(contacts)
    .where(eq(contacts.id, found.invitation.contactId));
  return { optedOut: Boolean(contact?.optedOutAt), ownerName: found.ownerName };
}
