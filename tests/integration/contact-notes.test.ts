import { eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { contactNotes, contacts } from "../../db/schema";
import {
  insertAccount,
  insertAccountMember,
  insertContact,
  insertContactNote,
  insertInteraction,
  insertResponse,
  insertUser,
} from "../../db/factories";
import { BeforeYouCall, type BeforeYouCallData } from "~/components/before-you-call";
import { getBeforeYouCall, nextAnniversary } from "~/domain/contact-notes.server";
import { getDb } from "~/lib/db.server";
import { action as contactAction, loader as contactLoader } from "~/routes/_app.contacts.$contactId/route";
import { action as newContactAction } from "~/routes/_app.accounts.$accountId_.contacts.new";
import { action as editContactAction } from "~/routes/_app.contacts.$contactId_.edit";
import { cookieFor, makeRequest, settle } from "../support/requests";

async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager", name: "Olivia Owner" });
  const teammate = await insertUser(db, { role: "manager", name: "Tom Teammate" });
  const outsider = await insertUser(db, { role: "manager" });
  const leader = await insertUser(db, { role: "leader" });
  const account = await insertAccount(db, { ownerId: owner.id });
  await insertAccountMember(db, { accountId: account.id, userId: teammate.id });
  const contact = await insertContact(db, {
    accountId: account.id,
    name: "Dana Price",
    email: "dana@acme.test",
  });
  return { owner, teammate, outsider, leader, account, contact };
}

/** Posts the contact page's form as `userId`. */
async function postToContact(userId: string, contactId: string, form: Record<string, string>) {
  const cookie = await cookieFor(userId);
  return settle(() =>
    contactAction({
      request: makeRequest(`/contacts/${contactId}`, { cookie, form }),
      params: { contactId },
      context: {},
    }),
  );
}

async function readContactPage(userId: string, contactId: string) {
  const cookie = await cookieFor(userId);
  const response = await settle(() =>
    contactLoader({
      request: makeRequest(`/contacts/${contactId}`, { cookie }),
      params: { contactId },
      context: {},
    }),
  );
  expect(response.status).toBe(200);
  return response.json();
}

const notesOf = async (contactId: string) =>
  getDb().select().from(contactNotes).where(eq(contactNotes.contactId, contactId));

describe("contact notes", () => {
  it("adds a birthday note with a remind-on date, signed by its author", async () => {
    const w = await world();
    const response = await postToContact(w.owner.id, w.contact.id, {
      intent: "add-note",
      kind: "birthday",
      body: "  14 March; celebrates with a long lunch  ",
      remindOn: "1984-03-14",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ intent: "add-note", ok: true });
    const [note] = await notesOf(w.contact.id);
    expect(note).toMatchObject({
      kind: "birthday",
      body: "14 March; celebrates with a long lunch",
      remindOn: "1984-03-14",
      isPrivate: false,
      authorId: w.owner.id,
    });
    const page = await readContactPage(w.teammate.id, w.contact.id);
    expect(page.notes).toHaveLength(1);
    expect(page.notes[0]).toMatchObject({ authorName: "Olivia Owner", canModify: true });
  });

  it("keeps a private note from a teammate, who can neither edit nor delete it", async () => {
    const w = await world();
    await postToContact(w.owner.id, w.contact.id, {
      intent: "add-note",
      kind: "family",
      body: "Going through a divorce; do not ask about the kids",
      isPrivate: "on",
    });
    const [note] = await notesOf(w.contact.id);
    expect(note!.isPrivate).toBe(true);

    expect((await readContactPage(w.teammate.id, w.contact.id)).notes).toEqual([]);
    expect((await readContactPage(w.owner.id, w.contact.id)).notes.map((n: { id: string }) => n.id)).toEqual([
      note!.id,
    ]);

    const edit = await postToContact(w.teammate.id, w.contact.id, {
      intent: "edit-note",
      noteId: note!.id,
      kind: "family",
      body: "Overwritten",
    });
    expect(edit.status).toBe(403);
    const remove = await postToContact(w.teammate.id, w.contact.id, {
      intent: "delete-note",
      noteId: note!.id,
    });
    expect(remove.status).toBe(403);
    const [after] = await notesOf(w.contact.id);
    expect(after!.body).toBe("Going through a divorce; do not ask about the kids");
  });

  it("lets a teammate edit a shared note, marks it edited, and keeps the author", async () => {
    const w = await world();
    const note = await insertContactNote(getDb(), {
      contactId: w.contact.id,
      authorId: w.owner.id,
      kind: "current_priorities",
      body: "Cutting cloud spend",
      createdAt: new Date("2025-01-10T09:00:00Z"),
      updatedAt: new Date("2025-01-10T09:00:00Z"),
    });
    const response = await postToContact(w.teammate.id, w.contact.id, {
      intent: "edit-note",
      noteId: note.id,
      kind: "keeps_up_at_night",
      body: "Cloud spend is 30% over budget",
      remindOn: "",
    });
    expect(response.status).toBe(200);
    const [after] = await notesOf(w.contact.id);
    expect(after).toMatchObject({
      kind: "keeps_up_at_night",
      body: "Cloud spend is 30% over budget",
      authorId: w.owner.id,
      isPrivate: false,
      remindOn: null,
    });
    expect(after!.updatedAt.getTime()).toBeGreaterThan(after!.createdAt.getTime());

    // only the author decides whether a note is private
    const hide = await postToContact(w.teammate.id, w.contact.id, {
      intent: "edit-note",
      noteId: note.id,
      kind: "keeps_up_at_night",
      body: "Cloud spend is 30% over budget",
      isPrivate: "on",
    });
    expect(hide.status).toBe(403);
    expect((await notesOf(w.contact.id))[0]!.isPrivate).toBe(false);
  });

  it("refuses notes from a leader and from a manager off the team", async () => {
    const w = await world();
    const note = { intent: "add-note", kind: "career_goal", body: "Wants a VP role" };
    expect((await postToContact(w.leader.id, w.contact.id, note)).status).toBe(403);
    expect((await postToContact(w.outsider.id, w.contact.id, note)).status).toBe(403);
    expect(await notesOf(w.contact.id)).toEqual([]);
    const page = await readContactPage(w.leader.id, w.contact.id);
    expect(page.canEdit).toBe(false);
  });

  it("names the field when a note is empty, too long, of an unknown kind or has a bad date", async () => {
    const w = await world();
    const attempt = async (fields: Record<string, string>) => {
      const response = await postToContact(w.owner.id, w.contact.id, {
        intent: "add-note",
        kind: "career_goal",
        body: "A body",
        ...fields,
      });
      expect(response.status).toBe(400);
      return (await response.json()).fieldErrors;
    };
    expect(await attempt({ body: "   " })).toEqual({ body: "Write the note: it cannot be empty." });
    expect(await attempt({ body: "x".repeat(2001) })).toEqual({
      body: "The note must be at most 2000 characters.",
    });
    const unknownKind = await attempt({ kind: "gossip" });
    expect(Object.keys(unknownKind)).toEqual(["kind"]);
    expect(unknownKind.kind).toContain('"gossip"');
    expect(await attempt({ remindOn: "2025-02-30" })).toEqual({
      remindOn: "Remind-on must be a date such as 2025-03-14.",
    });
    expect(await notesOf(w.contact.id)).toEqual([]);

    // exactly the limit is fine
    const atLimit = await postToContact(w.owner.id, w.contact.id, {
      intent: "add-note",
      kind: "other",
      body: "y".repeat(2000),
    });
    expect(atLimit.status).toBe(200);
  });

  it("deletes a note, and only through the contact it belongs to", async () => {
    const w = await world();
    const note = await insertContactNote(getDb(), { contactId: w.contact.id, authorId: w.teammate.id });
    const elsewhere = await insertContact(getDb(), { accountId: w.account.id });
    const wrongContact = await postToContact(w.owner.id, elsewhere.id, {
      intent: "delete-note",
      noteId: note.id,
    });
    expect(wrongContact.status).toBe(404);
    const malformed = await postToContact(w.owner.id, w.contact.id, {
      intent: "delete-note",
      noteId: "nope",
    });
    expect(malformed.status).toBe(404);
    expect(await notesOf(w.contact.id)).toHaveLength(1);

    const response = await postToContact(w.owner.id, w.contact.id, {
      intent: "delete-note",
      noteId: note.id,
    });
    expect(response.status).toBe(200);
    expect(await notesOf(w.contact.id)).toEqual([]);
    const again = await postToContact(w.owner.id, w.contact.id, { intent: "delete-note", noteId: note.id });
    expect(again.status).toBe(404);
  });
});

describe("before you call", () => {
  // Monday 3 March 2025, mid-afternoon UTC
  const now = new Date("2025-03-03T15:00:00Z");

  it("puts the professional side first, prompts for what is missing and flags a birthday within 14 days", async () => {
    const w = await world();
    const db = getDb();
    const at = (iso: string) => ({ createdAt: new Date(iso), updatedAt: new Date(iso) });
    await insertContactNote(db, {
      contactId: w.contact.id,
      authorId: w.owner.id,
      kind: "career_goal",
      body: "Wants to run EMEA ops",
      ...at("2024-06-01T10:00:00Z"),
    });
    await insertContactNote(db, {
      contactId: w.contact.id,
      authorId: w.teammate.id,
      kind: "career_goal",
      body: "Now aiming for COO",
      ...at("2025-02-01T10:00:00Z"),
    });
    await insertContactNote(db, {
      contactId: w.contact.id,
      authorId: w.owner.id,
      kind: "interests",
      body: "Die-hard Arsenal fan",
      ...at("2025-03-01T10:00:00Z"),
    });
    await insertContactNote(db, {
      contactId: w.contact.id,
      authorId: w.owner.id,
      kind: "birthday",
      body: "14 March",
      remindOn: "1984-03-14",
      ...at("2023-01-01T10:00:00Z"),
    });
    // a teammate's private note never reaches the owner's summary
    await insertContactNote(db, {
      contactId: w.contact.id,
      authorId: w.teammate.id,
      kind: "how_measured",
      body: "Private hunch",
      isPrivate: true,
    });
    // a one-off reminder 7 days out, and one that has passed
    await insertContactNote(db, {
      contactId: w.contact.id,
      authorId: w.owner.id,
      kind: "family",
      body: "Daughter graduates",
      remindOn: "2025-03-10",
      ...at("2025-01-01T10:00:00Z"),
    });
    await insertContactNote(db, {
      contactId: w.contact.id,
      authorId: w.owner.id,
      kind: "other",
      body: "Moved office",
      remindOn: "2025-03-02",
      ...at("2024-12-01T10:00:00Z"),
    });

    const summary = (await getBeforeYouCall(db, w.contact.id, w.owner.id, now))!;
    expect(summary.sides.map((s) => s.side)).toEqual(["professional", "personal"]);
    expect(summary.sides[0]!.facts.map((f) => f.kind)).toEqual([
      "career_goal",
      "how_measured",
      "keeps_up_at_night",
      "current_priorities",
    ]);
    expect(summary.sides[1]!.facts.map((f) => f.kind)).toEqual([
      "interests",
      "family",
      "birthday",
      "how_we_met",
    ]);
    const careerGoal = summary.sides[0]!.facts[0]!;
    expect(careerGoal.note?.body).toBe("Now aiming for COO");
    expect(careerGoal.olderCount).toBe(1);
    expect(summary.missingProfessional).toEqual(["how_measured", "keeps_up_at_night", "current_priorities"]);
    // 3 March → 14 March is 11 days
    expect(summary.birthday).toMatchObject({ on: "2025-03-14", inDays: 11, soon: true });
    expect(summary.comingUp.map((r) => [r.body, r.inDays])).toEqual([["Daughter graduates", 7]]);

    // what the page shows, from the data as it reaches the browser
    const html = renderToStaticMarkup(
      createElement(BeforeYouCall, { data: JSON.parse(JSON.stringify(summary)) as BeforeYouCallData }),
    );
    expect(html).toContain("Before you call Dana");
    expect(html).toContain("Birthday in 11 days (14 March).");
    expect(html).toContain("Find out: Which numbers is their bonus or review tied to?");
    expect(html.indexOf("Now aiming for COO")).toBeLessThan(html.indexOf("Die-hard Arsenal fan"));
    expect(html).not.toContain("Private hunch");

    // the teammate who wrote the private note sees it as the latest "how measured"
    const teammateView = (await getBeforeYouCall(db, w.contact.id, w.teammate.id, now))!;
    expect(teammateView.sides[0]!.facts[1]!.note?.body).toBe("Private hunch");
  });

  it("does not flag a birthday 15 days away", async () => {
    const w = await world();
    await insertContactNote(getDb(), {
      contactId: w.contact.id,
      kind: "birthday",
      body: "18 March",
      remindOn: "1990-03-18",
    });
    const summary = (await getBeforeYouCall(getDb(), w.contact.id, w.owner.id, now))!;
    expect(summary.birthday).toMatchObject({ on: "2025-03-18", inDays: 15, soon: false });
  });

  it("counts birthdays round the year end, on the day itself and on 29 February", () => {
    expect(nextAnniversary("1980-01-05", new Date("2025-12-31T23:30:00Z"))).toEqual({
      on: "2026-01-05",
      inDays: 5,
    });
    expect(nextAnniversary("1980-03-03", now)).toEqual({ on: "2025-03-03", inDays: 0 });
    expect(nextAnniversary("1980-03-02", now)).toEqual({ on: "2026-03-02", inDays: 364 });
    expect(nextAnniversary("1988-02-29", new Date("2025-02-20T00:00:00Z"))).toEqual({
      on: "2025-02-28",
      inDays: 8,
    });
    expect(nextAnniversary("1988-02-29", new Date("2028-02-20T00:00:00Z"))).toEqual({
      on: "2028-02-29",
      inDays: 9,
    });
  });

  it("shows the last interaction with them and their last survey answer, nothing later than now", async () => {
    const w = await world();
    const db = getDb();
    const other = await insertContact(db, { accountId: w.account.id });
    await insertInteraction(db, {
      accountId: w.account.id,
      kind: "call",
      occurredAt: new Date("2025-02-20T10:00:00Z"),
      summary: "Renewal timing",
      contactIds: [w.contact.id],
    });
    await insertInteraction(db, {
      accountId: w.account.id,
      kind: "qbr",
      occurredAt: new Date("2025-02-27T10:00:00Z"),
      summary: "QBR with someone else",
      contactIds: [other.id],
    });
    await insertInteraction(db, {
      accountId: w.account.id,
      kind: "meeting",
      occurredAt: new Date("2025-03-10T10:00:00Z"),
      summary: "Planned onsite",
      contactIds: [w.contact.id],
    });
    await insertResponse(db, { contactId: w.contact.id, completedAt: new Date("2024-11-05T08:00:00Z") });
    await insertResponse(db, { contactId: w.contact.id, completedAt: new Date("2025-01-15T08:00:00Z") });
    await insertResponse(db, { contactId: w.contact.id, isComplete: false });

    const summary = (await getBeforeYouCall(db, w.contact.id, w.owner.id, now))!;
    expect(summary.lastInteraction).toMatchObject({
      kind: "call",
      occurredAt: new Date("2025-02-20T10:00:00Z"),
      summary: "Renewal timing",
    });
    expect(summary.lastSurveyAnswer?.completedAt).toEqual(new Date("2025-01-15T08:00:00Z"));
  });

  it("is empty but honest for a contact nobody knows anything about", async () => {
    const w = await world();
    const summary = (await getBeforeYouCall(getDb(), w.contact.id, w.owner.id, now))!;
    expect(summary.missingProfessional).toHaveLength(4);
    expect(summary.birthday).toBeNull();
    expect(summary.lastInteraction).toBeNull();
    expect(summary.lastSurveyAnswer).toBeNull();
    expect(
      await getBeforeYouCall(getDb(), "00000000-0000-4000-8000-000000000000", w.owner.id, now),
    ).toBeNull();
  });
});

describe("creating and editing contacts", () => {
  async function postNewContact(userId: string, accountId: string, form: Record<string, string>) {
    const cookie = await cookieFor(userId);
    return settle(() =>
      newContactAction({
        request: makeRequest(`/accounts/${accountId}/contacts/new`, { cookie, form }),
        params: { accountId },
        context: {},
      }),
    );
  }
  async function postEdit(userId: string, contactId: string, form: Record<string, string>) {
    const cookie = await cookieFor(userId);
    return settle(() =>
      editContactAction({
        request: makeRequest(`/contacts/${contactId}/edit`, { cookie, form }),
        params: { contactId },
        context: {},
      }),
    );
  }
  const contactsOf = (accountId: string) =>
    getDb().select().from(contacts).where(eq(contacts.accountId, accountId));

  it("adds a contact to the account and goes to their page", async () => {
    const w = await world();
    const response = await postNewContact(w.teammate.id, w.account.id, {
      name: "  Sam Okafor ",
      email: "sam@acme.test",
      title: "CFO",
      buyingRole: "decision_maker",
      language: "DE",
      optedOut: "on",
    });
    expect(response.status).toBe(302);
    const created = (await contactsOf(w.account.id)).find((c) => c.name === "Sam Okafor")!;
    expect(response.headers.get("Location")).toBe(`/contacts/${created.id}`);
    expect(created).toMatchObject({
      email: "sam@acme.test",
      title: "CFO",
      buyingRole: "decision_maker",
      language: "de",
    });
    expect(created.optedOutAt).toBeInstanceOf(Date);
  });

  it("refuses an email already in the account, in any case, but allows it in another account", async () => {
    const w = await world();
    const duplicate = await postNewContact(w.owner.id, w.account.id, {
      name: "Dana Again",
      email: "DANA@Acme.test",
      buyingRole: "user",
    });
    expect(duplicate.status).toBe(400);
    expect((await duplicate.json()).fieldErrors).toEqual({
      email: 'Email "DANA@Acme.test" already belongs to another contact in this account.',
    });
    expect(await contactsOf(w.account.id)).toHaveLength(1);

    const otherAccount = await insertAccount(getDb(), { ownerId: w.owner.id });
    const elsewhere = await postNewContact(w.owner.id, otherAccount.id, {
      name: "Dana at her other company",
      email: "dana@acme.test",
      buyingRole: "user",
    });
    expect(elsewhere.status).toBe(302);
  });

  it("names the field for a bad email, a missing name, an unknown role or language", async () => {
    const w = await world();
    const bad = await postNewContact(w.owner.id, w.account.id, {
      name: "",
      email: "not-an-email",
      buyingRole: "boss",
      language: "klingon-tlh-extra",
    });
    expect(bad.status).toBe(400);
    const { fieldErrors, values } = await bad.json();
    expect(Object.keys(fieldErrors).sort()).toEqual(["buyingRole", "email", "language", "name"]);
    expect(fieldErrors.email).toBe('Email "not-an-email" is not an email address such as dana@example.com.');
    expect(values.email).toBe("not-an-email");
    expect(await contactsOf(w.account.id)).toHaveLength(1);
  });

  it("lets only people who may edit the account add contacts", async () => {
    const w = await world();
    const form = { name: "Lee", buyingRole: "user" };
    expect((await postNewContact(w.leader.id, w.account.id, form)).status).toBe(403);
    expect((await postNewContact(w.outsider.id, w.account.id, form)).status).toBe(403);
    expect((await postNewContact(w.owner.id, "00000000-0000-4000-8000-000000000000", form)).status).toBe(404);
    expect(await contactsOf(w.account.id)).toHaveLength(1);
  });

  it("edits a contact: keeps the first opt-out date, clears it when unticked, refuses a colleague's email", async () => {
    const w = await world();
    const optedOutAt = new Date("2024-05-05T05:05:05Z");
    const colleague = await insertContact(getDb(), { accountId: w.account.id, email: "lee@acme.test" });
    await getDb().update(contacts).set({ optedOutAt }).where(eq(contacts.id, w.contact.id));
    const base = {
      name: "Dana Price",
      email: "Dana@ACME.test",
      title: "COO",
      buyingRole: "champion",
      language: "en",
    };

    const kept = await postEdit(w.owner.id, w.contact.id, { ...base, optedOut: "on" });
    expect(kept.status).toBe(302);
    expect(kept.headers.get("Location")).toBe(`/contacts/${w.contact.id}?details=saved`);
    const [afterKeep] = await getDb().select().from(contacts).where(eq(contacts.id, w.contact.id));
    expect(afterKeep).toMatchObject({
      title: "COO",
      buyingRole: "champion",
      email: "Dana@ACME.test",
      optedOutAt,
    });

    expect((await postEdit(w.owner.id, w.contact.id, base)).status).toBe(302);
    const [afterClear] = await getDb().select().from(contacts).where(eq(contacts.id, w.contact.id));
    expect(afterClear!.optedOutAt).toBeNull();

    const taken = await postEdit(w.teammate.id, w.contact.id, { ...base, email: "LEE@acme.test" });
    expect(taken.status).toBe(400);
    expect((await taken.json()).fieldErrors.email).toContain("already belongs to another contact");
    expect((await postEdit(w.leader.id, w.contact.id, base)).status).toBe(403);
    expect(colleague.email).toBe("lee@acme.test");
  });
});
