import { json, redirect } from "@remix-run/node";
import { eraseContact } from "~/domain/contact-erasure.server";
import { mayHandlePrivacyRequests } from "~/domain/contact-privacy";
import { getContactSummary } from "~/domain/contacts.server";
import { getDb } from "~/lib/db.server";
import type { SessionUser } from "~/lib/session.server";
import { confirmsName } from "./privacy-confirm";
import type { EraseResult } from "./privacy-section";

/**
 * "Erase this contact": admins only, and only with the contact's name typed to confirm.
 * Then to the account page, which says it was done (the contact's page is gone).
 */
export async function eraseContactAction(
  user: SessionUser,
  contactId: string,
  form: Record<string, FormDataEntryValue>,
) {
  if (!mayHandlePrivacyRequests(user)) {
    throw new Response("Only an admin can erase a contact.", { status: 403 });
  }
  const db = getDb();
  const contact = await getContactSummary(db, contactId);
  if (!contact) throw new Response("No such contact.", { status: 404 });
  const typed = typeof form.confirmName === "string" ? form.confirmName : "";
  if (!confirmsName(typed, contact.name)) {
    return json<EraseResult>(
      {
        intent: "erase-contact",
        field: "confirmName",
        error: typed.trim()
          ? `“${typed.trim().slice(0, 80)}” is not the contact’s name: type ${contact.name} to confirm.`
          : `Type ${contact.name} to confirm the erasure.`,
      },
      { status: 400 },
    );
  }
  const outcome = await eraseContact(db, contactId, user);
  if (outcome.status === "forbidden") throw new Response(outcome.message, { status: 403 });
  if (outcome.status === "not_found") throw new Response("No such contact.", { status: 404 });
  if (outcome.status === "busy") {
    return json<EraseResult>({ intent: "erase-contact", error: outcome.message }, { status: 409 });
  }
  // erased now, or a moment ago by a double submit: either way the account page says so
  return redirect(`/accounts/${contact.accountId}?erased=1`);
}
