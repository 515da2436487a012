import { accountIdOfContact } from "../domain/contacts.server";
import type { AccountAccess } from "../domain/access";
import { isUuid, requireAccountAccess, requireUser } from "./auth.server";
import { getDb } from "./db.server";

/**
 * The guard for a contact's pages: signed in, and allowed `access` to the contact's
 * account. An unknown or malformed id is a 404.
 */
export async function requireContactAccess(
  request: Request,
  contactId: string | undefined,
  access: AccountAccess,
) {
  const user = await requireUser(request);
  const accountId = contactId && isUuid(contactId) ? await accountIdOfContact(getDb(), contactId) : null;
  if (!accountId) throw new Response("No such contact.", { status: 404 });
  await requireAccountAccess(user, accountId, access);
  return { user, contactId: contactId!, accountId };
}
