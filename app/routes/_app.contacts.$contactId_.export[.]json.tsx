import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportContact } from "~/domain/contact-export.server";
import { mayHandlePrivacyRequests } from "~/domain/contact-privacy";
import { findErasure } from "~/domain/contact-privacy.server";
import { isUuid, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

/**
 * GET /contacts/:contactId/export.json — everything Rapport holds about one person, as a
 * download, for a data-subject request. Admins only: the file holds every note about the
 * person, private ones included (docs/security.md, "Privacy").
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayHandlePrivacyRequests(user)) {
    throw new Response("Only an admin can export a contact's data.", { status: 403 });
  }
  const contactId = params.contactId ?? "";
  if (!isUuid(contactId)) throw new Response("No such contact.", { status: 404 });
  const db = getDb();
  const data = await exportContact(db, contactId, user);
  if (!data) {
    const erasure = await findErasure(db, contactId);
    if (erasure) {
      throw new Response(
        `This contact was erased on ${erasure.createdAt.toISOString().slice(0, 10)}; Rapport holds nothing about them to export.`,
        { status: 410 },
      );
    }
    throw new Response("No such contact.", { status: 404 });
  }
  const today = new Date().toISOString().slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="rapport-contact-${contactId}-${today}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
