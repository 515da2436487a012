import { describe, expect, it } from "vitest";
import { accountMembers, invitationTokens, invitations } from "../../db/schema";
import {
  insertAccount,
  insertContact,
  insertContactNote,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { hashSurveyToken } from "~/domain/survey-links.server";
import { getDb } from "~/lib/db.server";
import { action, loader } from "~/routes/_app.contacts.$contactId/route";
import { cookieFor, makeRequest, settle } from "../support/requests";

async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager" });
  const teammate = await insertUser(db, { role: "manager" });
  const outsider = await insertUser(db, { role: "manager" });
  const leader = await insertUser(db, { role: "leader" });
  const account = await insertAccount(db, { ownerId: owner.id });
  await db.insert(accountMembers).values({ accountId: account.id, userId: teammate.id });
  const contact = await insertContact(db, { accountId: account.id, name: "Dana Price" });
  const version = await insertSurveyVersionFromFile(db, "relationship-health");
  return { owner, teammate, outsider, leader, contact, version };
}

describe("the contact page", () => {
  it("shows shared notes and the author's own private ones, never a colleague's private note", async () => {
    const w = await world();
    await insertContactNote(getDb(), {
      contactId: w.contact.id,
      authorId: w.owner.id,
      kind: "career_goal",
      body: "Wants to run EMEA ops",
    });
    await insertContactNote(getDb(), {
      contactId: w.contact.id,
      authorId: w.teammate.id,
      kind: "family",
      body: "Secret",
      isPrivate: true,
    });
    const read = async (userId: string) => {
      const cookie = await cookieFor(userId);
      const response = await settle(() =>
        loader({
          request: makeRequest(`/contacts/${w.contact.id}`, { cookie }),
          params: { contactId: w.contact.id },
          context: {},
        }),
      );
      return (await response.json()).notes.map((n: { body: string }) => n.body);
    };
    expect(await read(w.owner.id)).toEqual(["Wants to run EMEA ops"]);
    expect((await read(w.teammate.id)).sort()).toEqual(["Secret", "Wants to run EMEA ops"]);
  });

  it("creates a survey link for the team and shows it once; only its hash is stored", async () => {
    const w = await world();
    const response = await settle(() =>
      action({
        request: makeRequest(`/contacts/${w.contact.id}`, {
          cookie: "",
          form: { intent: "create-link", surveyVersionId: w.version.id },
        }),
        params: { contactId: w.contact.id },
        context: {},
      }),
    );
    expect(response.status).toBe(302); // signed out → sign-in
    const created = await settle(async () =>
      action({
        request: makeRequest(`/contacts/${w.contact.id}`, {
          cookie: await cookieFor(w.teammate.id),
          form: { intent: "create-link", surveyVersionId: w.version.id },
        }),
        params: { contactId: w.contact.id },
        context: {},
      }),
    );
    expect(created.status).toBe(200);
    const { link } = await created.json();
    const token = link.split("/s/")[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const [stored] = await getDb().select().from(invitations);
    const tokens = await getDb().select().from(invitationTokens);
    expect(tokens).toEqual([
      expect.objectContaining({ invitationId: stored!.id, tokenHash: hashSurveyToken(token) }),
    ]);
    expect(JSON.stringify([stored, tokens])).not.toContain(token);
  });

  it("refuses a link to a leader or a manager off the team, and a missing survey choice", async () => {
    const w = await world();
    const attempt = async (userId: string, surveyVersionId: string) =>
      settle(async () =>
        action({
          request: makeRequest(`/contacts/${w.contact.id}`, {
            cookie: await cookieFor(userId),
            form: { intent: "create-link", surveyVersionId },
          }),
          params: { contactId: w.contact.id },
          context: {},
        }),
      );
    expect((await attempt(w.outsider.id, w.version.id)).status).toBe(403);
    expect((await attempt(w.leader.id, w.version.id)).status).toBe(403);
    const invalid = await attempt(w.owner.id, "not-a-version");
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error).toBe("Choose a survey.");
    expect(await getDb().select().from(invitations)).toHaveLength(0);
  });

  it("answers 404 for an unknown or malformed contact id", async () => {
    const w = await world();
    const cookie = await cookieFor(w.owner.id);
    for (const contactId of ["00000000-0000-4000-8000-000000000000", "nope"]) {
      const response = await settle(() =>
        loader({
          request: makeRequest(`/contacts/${contactId}`, { cookie }),
          params: { contactId },
          context: {},
        }),
      );
      expect(response.status).toBe(404);
    }
  });
});

describe("the contact page's notes and summary", () => {
  it("opens with 'before you call' and says which notes the viewer may change", async () => {
    const w = await world();
    await insertContactNote(getDb(), {
      contactId: w.contact.id,
      authorId: w.teammate.id,
      kind: "how_measured",
      body: "Net revenue retention",
    });
    const read = async (userId: string) => {
      const cookie = await cookieFor(userId);
      const response = await settle(() =>
        loader({
          request: makeRequest(`/contacts/${w.contact.id}`, { cookie }),
          params: { contactId: w.contact.id },
          context: {},
        }),
      );
      return response.json();
    };
    const asOwner = await read(w.owner.id);
    expect(asOwner.beforeYouCall.sides[0].side).toBe("professional");
    expect(asOwner.beforeYouCall.sides[0].facts[1].note.body).toBe("Net revenue retention");
    expect(asOwner.notes[0]).toMatchObject({ canModify: true, isMine: false });
    const asLeader = await read(w.leader.id);
    expect(asLeader.canEdit).toBe(false);
    expect(asLeader.notes[0]).toMatchObject({ canModify: false });
  });
});
