import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contacts, invitations } from "../../db/schema";
import { insertContact, insertSurveyVersionFromFile, insertUser } from "../../db/factories";
import { createSurveyLink } from "~/domain/survey-links.server";
import { getDb } from "~/lib/db.server";
import { action, loader } from "~/routes/u.$token";
import { makeRequest, settle } from "../support/requests";

async function invited() {
  const db = getDb();
  const user = await insertUser(db, { role: "manager" });
  const contact = await insertContact(db, {});
  const version = await insertSurveyVersionFromFile(db, "relationship-health");
  const first = await createSurveyLink(db, {
    contactId: contact.id,
    surveyVersionId: version.id,
    createdById: user.id,
  });
  const second = await createSurveyLink(db, {
    contactId: contact.id,
    surveyVersionId: version.id,
    createdById: user.id,
  });
  return { contact, token: first.token, other: second.invitation };
}

describe("unsubscribe /u/:token", () => {
  it("only asks on GET, so a link scanner never unsubscribes anyone", async () => {
    const { contact, token } = await invited();
    const response = await settle(() =>
      loader({ request: makeRequest(`/u/${token}`), params: { token }, context: {} }),
    );
    expect(response.status).toBe(200);
    expect((await response.json()).state).toBe("ask");
    const [row] = await getDb().select().from(contacts).where(eq(contacts.id, contact.id));
    expect(row!.optedOutAt).toBeNull();
  });

  it("opts the contact out on a one-click POST and closes their open invitations", async () => {
    const { contact, token, other } = await invited();
    const response = await settle(() =>
      action({
        request: makeRequest(`/u/${token}`, { form: { "List-Unsubscribe": "One-Click" } }),
        params: { token },
        context: {},
      }),
    );
    expect(response.status).toBe(200);
    const [row] = await getDb().select().from(contacts).where(eq(contacts.id, contact.id));
    expect(row!.optedOutAt).toBeInstanceOf(Date);
    const [closed] = await getDb().select().from(invitations).where(eq(invitations.id, other.id));
    expect(closed!.status).toBe("opted_out");
    const again = await settle(() =>
      loader({ request: makeRequest(`/u/${token}`), params: { token }, context: {} }),
    );
    expect((await again.json()).state).toBe("done");
  });

  it("keeps the first opt-out time when unsubscribing twice", async () => {
    const { contact, token } = await invited();
    const post = () =>
      settle(() =>
        action({ request: makeRequest(`/u/${token}`, { form: {} }), params: { token }, context: {} }),
      );
    await post();
    const [first] = await getDb().select().from(contacts).where(eq(contacts.id, contact.id));
    await post();
    const [second] = await getDb().select().from(contacts).where(eq(contacts.id, contact.id));
    expect(second!.optedOutAt).toEqual(first!.optedOutAt);
  });

  it("answers 404 to a token that opens nothing, changing nothing", async () => {
    await invited();
    const token = "Z".repeat(32);
    const response = await settle(() =>
      action({ request: makeRequest(`/u/${token}`, { form: {} }), params: { token }, context: {} }),
    );
    expect(response.status).toBe(404);
    expect((await getDb().select().from(contacts)).every((c) => c.optedOutAt === null)).toBe(true);
  });
});
