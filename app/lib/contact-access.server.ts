import { findErasure } from "../domain/contact-privacy.server";
import { accountIdOfContact } from "../domain/contacts.server";
import type { AccountAccess } from "../domain/access";
import { isUuid, requireAccountAccess, requireUser } from "./auth.server";
import { getDb } from "./db.server";

/**
 * The guard for a contact's pages: signed in, and allowed `access` to the contact's
 * account. An unknown or malformed id is a 404; an erased contact's id a 410 that says so
 * (a bookmark, or an erase form sent twice, then explains itself).
 */
export async function requireContactAccess(
  request: Request,
  contactId: string | undefined,
  access: AccountAccess,
) {
  const user = await requireUser(request);
  const id = contactId && isUuid(contactId) ? contactId : null;
  const accountId = id ? await accountIdOfContact(getDb(), id) : null;
  if (!accountId) {
    const erasure = id ? await findErasure(getDb(), id) : null;
    if (erasure) {
      throw new Response(
        `This contact was erased on ${erasure.createdAt.toISOString().slice(0, 10)} at a privacy request; nothing about them is kept.`,
        { status: 410 },
      );
    }
    throw new Response("No such contact.", { status: 404 });
  }
  await requireAccountAccess(user, accountId, access);
  return { user, contactId: id!, accountId };
}
