import { and, eq, inArray, sql } from "drizzle-orm";
import { contacts, invitations } from "../../db/schema";
import type { Database } from "../lib/db.server";
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
  return db.transaction(async (tx) => {
    const [contact] = await tx
      .update(contacts)
      .set({ optedOutAt: sql`coalesce(${contacts.optedOutAt}, now())`, updatedAt: new Date() })
      .where(eq(contacts.id, contactId))
      .returning({ optedOutAt: contacts.optedOutAt });
    await tx
      .update(invitations)
      .set({ status: "opted_out" })
      .where(and(eq(invitations.contactId, contactId), inArray(invitations.status, [...STILL_OPEN])));
    return { optedOutAt: contact!.optedOutAt! };
  });
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
