import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  accountHealth,
  answers,
  caseNotes,
  cases,
  contactErasures,
  contactNotes,
  contacts,
  csvImports,
  emailEvents,
  interactionContacts,
  interactions,
  invitationTokens,
  invitations,
  outbox,
  predictions,
  responses,
  responseVerbatims,
  webhookDeliveries,
  webhookEndpoints,
} from "../../db/schema";
import {
  insertAccount,
  insertContact,
  insertContactNote,
  insertInteraction,
  insertPrediction,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { eraseContact } from "~/domain/contact-erasure.server";
import { importCsv, submitApply } from "~/domain/csv-import.server";
import type { ImportReport } from "~/domain/csv/pass";
import { exportContact } from "~/domain/contact-export.server";
import { anonymiseResponseData } from "~/domain/contact-privacy";
import { refreshAccountHealth } from "~/domain/health-rollups.server";
import { createSurveyLink } from "~/domain/survey-links.server";
import { getDb } from "~/lib/db.server";
import { action as contactAction, loader as contactLoader } from "~/routes/_app.contacts.$contactId/route";
import { loader as exportLoader } from "~/routes/_app.contacts.$contactId_.export[.]json";
import { loader as surveyLoader } from "~/routes/s.$token/route";
import { action as submitAction } from "~/routes/s.$token.submit";
import { RELATIONSHIP_RATINGS } from "../support/answers";
import { callLoader } from "../support/loaders";
import { cookieFor, makeRequest, settle } from "../support/requests";

const NAME = "Dana Price";
const EMAIL = "dana.price@acme.test";
const COMMENT = "My manager Tomasz is leaving in March and I am interviewing elsewhere";
const OTHER = "Zygmunt Otherperson";

/** One contact with something of every kind Rapport keeps about a person. */
async function world() {
  const db = getDb();
  const admin = await insertUser(db, { role: "admin", name: "Ada Admin" });
  const owner = await insertUser(db, { role: "manager", name: "Olivia Owner" });
  const teammate = await insertUser(db, { role: "manager", name: "Tom Teammate" });
  const leader = await insertUser(db, { role: "leader" });
  const account = await insertAccount(db, { ownerId: owner.id, name: "Acme Rockets" });
  const contact = await insertContact(db, {
    accountId: account.id,
    name: NAME,
    email: EMAIL,
    buyingRole: "decision_maker",
  });
  const other = await insertContact(db, { accountId: account.id, name: OTHER, email: "z@acme.test" });
  await insertContactNote(db, { contactId: contact.id, authorId: owner.id, body: "Shared: loves cycling" });
  await insertContactNote(db, {
    contactId: contact.id,
    authorId: teammate.id,
    body: "Private: going through a divorce",
    isPrivate: true,
  });
  const meeting = await insertInteraction(db, {
    accountId: account.id,
    authorId: owner.id,
    summary: `QBR with ${NAME} and ${OTHER}`,
    contactIds: [contact.id, other.id],
  });
  await insertPrediction(db, {
    accountId: account.id,
    contactId: contact.id,
    authorId: owner.id,
    note: `${NAME} will rate us high`,
  });
  // a webhook endpoint, so the submit leaves deliveries that carry the answers
  await db.insert(webhookEndpoints).values({
    url: "https://crm.example/hooks",
    events: ["response.completed", "case.opened"],
    secret: "whsec_dGVzdA==",
  });

  const version = await insertSurveyVersionFromFile(db, "relationship-health");
  const { token, invitation } = await createSurveyLink(db, {
    contactId: contact.id,
    surveyVersionId: version.id,
    createdById: owner.id,
  });
  const data = { ...RELATIONSHIP_RATINGS, advocacy: 3, trust_why: COMMENT, one_change: "Call me back" };
  const submitted = await settle(() =>
    submitAction({
      request: new Request(`http://localhost/s/${token}/submit`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "x-rapport-client-ip": "198.51.100.9" },
        body: JSON.stringify({ data }),
      }),
      params: { token },
      context: {},
    }),
  );
  expect(submitted.status).toBe(200);
  // an unfinished second survey, and the invitation email with its delivery event
  const second = await createSurveyLink(db, {
    contactId: contact.id,
    surveyVersionId: version.id,
    createdById: owner.id,
  });
  await db.insert(responses).values({
    invitationId: second.invitation.id,
    surveyVersionId: version.id,
    contactId: contact.id,
    accountId: account.id,
    source: "link",
    data: { trust: 2, trust_why: COMMENT },
  });
  const [email] = await db
    .insert(outbox)
    .values({
      kind: "invitation",
      toAddress: EMAIL,
      fromAddress: "team@rapport.test",
      subject: `${NAME}, how are we doing?`,
      html: `<p>Hi ${NAME}</p>`,
      text: `Hi ${NAME}`,
      invitationId: invitation.id,
      idempotencyKey: `invitation:${invitation.id}`,
      status: "sent",
    })
    .returning();
  await db.insert(emailEvents).values({
    id: "evt_delivered_1",
    outboxId: email!.id,
    type: "email.delivered",
    payload: { type: "email.delivered", data: { to: [EMAIL] } },
    occurredAt: new Date(),
  });
  const [opened] = await db.select().from(cases).where(eq(cases.contactId, contact.id));
  expect(opened).toBeDefined();
  await db.insert(caseNotes).values({ caseId: opened!.id, authorId: owner.id, body: `Called ${NAME}` });
  return { admin, owner, teammate, leader, account, contact, other, meeting, token, invitation, version };
}

async function postErase(userId: string, contactId: string, confirmName: string) {
  const cookie = await cookieFor(userId);
  return settle(() =>
    contactAction({
      request: makeRequest(`/contacts/${contactId}`, {
        cookie,
        form: { intent: "erase-contact", confirmName },
      }),
      params: { contactId },
      context: {},
    }),
  );
}

/** Every row of the tables that could hold the person's data, as one string to search. */
async function everythingStored() {
  const db = getDb();
  const tables = [
    contacts,
    contactNotes,
    responses,
    responseVerbatims,
    cases,
    caseNotes,
    interactions,
    predictions,
    outbox,
    emailEvents,
    webhookDeliveries,
    invitations,
  ] as const;
  const dumps = await Promise.all(tables.map((table) => db.select().from(table)));
  return JSON.stringify(dumps);
}

describe("exporting a contact's data", () => {
  it("gives an admin one JSON download with everything about the person, private notes included", async () => {
    const w = await world();
    const response = await callLoader(exportLoader, w.admin.id, `/contacts/${w.contact.id}/export.json`, {
      contactId: w.contact.id,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="rapport-contact-/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const text = await response.text();
    const exported = JSON.parse(text);
    expect(exported.contact).toMatchObject({ id: w.contact.id, name: NAME, email: EMAIL });
    expect(exported.account).toEqual({ id: w.account.id, name: "Acme Rockets" });
    expect(exported.notes.map((n: { body: string }) => n.body).sort()).toEqual([
      "Private: going through a divorce",
      "Shared: loves cycling",
    ]);
    expect(exported.notes.find((n: { isPrivate: boolean }) => n.isPrivate).authorName).toBe("Tom Teammate");
    // the meeting, and the Customer 9-1-1 entry their answers put on the ledger
    expect(exported.interactions.map((i: { summary: string }) => i.summary)).toContain(
      `QBR with ${NAME} and another contact`,
    );
    expect(exported.interactions).toHaveLength(2);
    expect(exported.invitations).toHaveLength(2);
    expect(exported.invitations.map((i: { status: string }) => i.status).sort()).toEqual([
      "completed",
      "sent",
    ]);
    const complete = exported.responses.find((r: { isComplete: boolean }) => r.isComplete);
    expect(complete.data.trust_why).toBe(COMMENT);
    expect(complete.answers).toContainEqual({ question: "advocacy", dimension: "advocacy", value: 30 });
    expect(exported.predictions).toHaveLength(1);
    expect(exported.predictions[0].values.trust).toBe(70);
    expect(exported.cases).toHaveLength(1);
    expect(exported.cases[0].timeline.map((n: { body: string }) => n.body)).toContain(`Called ${NAME}`);
    const invitationEmail = exported.emails.find((e: { kind: string }) => e.kind === "invitation");
    expect(invitationEmail.events).toEqual([expect.objectContaining({ type: "email.delivered" })]);
    expect(exported.emails.map((e: { kind: string }) => e.kind)).toContain("case_alert");
    // no other person's data beyond staff names: the other participant is not named
    expect(text).not.toContain(OTHER);
    expect(text).not.toContain("z@acme.test");
  });

  it("refuses everyone but an admin, even the account's owner", async () => {
    const w = await world();
    for (const user of [w.owner, w.teammate, w.leader]) {
      const response = await callLoader(exportLoader, user.id, `/contacts/${w.contact.id}/export.json`, {
        contactId: w.contact.id,
      });
      expect(response.status).toBe(403);
    }
  });

  it("answers 404 for an unknown or malformed id", async () => {
    const w = await world();
    for (const contactId of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const response = await callLoader(exportLoader, w.admin.id, `/contacts/${contactId}/export.json`, {
        contactId,
      });
      expect(response.status).toBe(404);
    }
  });

  it("gives a non-admin caller of the domain only the notes they could read", async () => {
    const w = await world();
    const exported = await exportContact(getDb(), w.contact.id, w.owner);
    expect(exported!.notes.map((n) => n.body)).toEqual(["Shared: loves cycling"]);
  });
});

describe("erasing a contact", () => {
  it("removes or anonymises everything about the person, keeps their scores, and logs the erasure", async () => {
    const w = await world();
    const db = getDb();
    await refreshAccountHealth(db, w.account.id);
    const [before] = await db.select().from(accountHealth).where(eq(accountHealth.accountId, w.account.id));
    expect(before!.customerRespondents).toBe(1);
    expect(await db.select().from(responseVerbatims)).not.toHaveLength(0);
    const answersBefore = await db.select().from(answers);
    const [completed] = await db.select().from(responses).where(eq(responses.isComplete, true));

    const response = await postErase(w.admin.id, w.contact.id, "  dana   PRICE ");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/accounts/${w.account.id}?erased=1`);

    expect(await db.select().from(contacts).where(eq(contacts.id, w.contact.id))).toEqual([]);
    expect(await db.select().from(contactNotes)).toEqual([]);
    expect(await db.select().from(invitations)).toEqual([]);
    expect(await db.select().from(invitationTokens)).toEqual([]);
    expect(await db.select().from(emailEvents)).toEqual([]);
    expect(await db.select().from(webhookDeliveries)).toEqual([]);
    expect(await db.select().from(responseVerbatims)).toEqual([]);
    expect((await db.select().from(outbox)).map((e) => e.kind)).toEqual([]);

    // the completed response stays, anonymous, with its scores; the unfinished one is gone
    const kept = await db.select().from(responses);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      id: completed!.id,
      contactId: null,
      invitationId: null,
      isComplete: true,
    });
    expect(kept[0]!.data).toEqual({ ...RELATIONSHIP_RATINGS, advocacy: 3 });
    expect(await db.select().from(answers)).toEqual(answersBefore);

    // the team's record stays, without the person
    const [meeting] = await db.select().from(interactions).where(eq(interactions.id, w.meeting.id));
    expect(meeting!.summary).toBe(`QBR with A former contact and ${OTHER}`);
    expect(await db.select().from(interactionContacts)).toEqual([
      expect.objectContaining({ interactionId: w.meeting.id, contactId: w.other.id }),
    ]);
    const [kase] = await db.select().from(cases);
    expect(kase).toMatchObject({ contactId: null });
    expect(kase!.summary).toMatch(/^A former contact answered/);
    const [prediction] = await db.select().from(predictions);
    expect(prediction).toMatchObject({ contactId: null, note: "A former contact will rate us high" });

    const stored = await everythingStored();
    for (const trace of [NAME, EMAIL, COMMENT, "Call me back", w.contact.id]) {
      expect(stored).not.toContain(trace);
    }

    const [erasure] = await db.select().from(contactErasures);
    expect(erasure).toMatchObject({
      contactId: w.contact.id,
      accountId: w.account.id,
      erasedById: w.admin.id,
    });
    expect(erasure!.counts).toMatchObject({
      responsesAnonymised: 1,
      responsesDeleted: 1,
      notesDeleted: 2,
      invitationsDeleted: 2,
      tokensDeleted: 2,
      emailsDeleted: 2,
      emailEventsDeleted: 1,
      interactionLinksDeleted: 2,
      casesUnlinked: 1,
      predictionsUnlinked: 1,
      webhookDeliveriesDeleted: 2,
      scoresKept: answersBefore.length,
    });

    // the account's health still counts the anonymous answers, and rebuilds no verbatims
    await refreshAccountHealth(db, w.account.id);
    const [after] = await db.select().from(accountHealth).where(eq(accountHealth.accountId, w.account.id));
    expect(after!.customerRespondents).toBe(1);
    expect(after!.customerHealth).toBe(before!.customerHealth);
    expect(after!.detractors).toBe(before!.detractors);
    expect(await db.select().from(responseVerbatims)).toEqual([]);

    // the link opens nothing any more
    const page = await settle(() =>
      surveyLoader({ request: makeRequest(`/s/${w.token}`), params: { token: w.token }, context: {} }),
    );
    expect(page.status).toBe(404);
  });

  it("answers a second erase with the first one, not an error", async () => {
    const w = await world();
    const db = getDb();
    const first = await eraseContact(db, w.contact.id, w.admin);
    expect(first.status).toBe("erased");
    const second = await eraseContact(db, w.contact.id, w.admin);
    expect(second.status).toBe("already_erased");
    if (first.status === "erased" && second.status === "already_erased") {
      expect(second.erasure.id).toBe(first.erasure.id);
    }
    expect(await db.select().from(contactErasures)).toHaveLength(1);
    // the form sent again, and the old page, say the contact was erased
    expect((await postErase(w.admin.id, w.contact.id, NAME)).status).toBe(410);
    const page = await callLoader(contactLoader, w.admin.id, `/contacts/${w.contact.id}`, {
      contactId: w.contact.id,
    });
    expect(page.status).toBe(410);
    expect(await page.text()).toMatch(/^This contact was erased on \d{4}-\d{2}-\d{2}/);
    const exported = await callLoader(exportLoader, w.admin.id, `/contacts/${w.contact.id}/export.json`, {
      contactId: w.contact.id,
    });
    expect(exported.status).toBe(410);
  });

  it("refuses a non-admin, and an admin who did not type the name, changing nothing", async () => {
    const w = await world();
    const db = getDb();
    expect((await postErase(w.owner.id, w.contact.id, NAME)).status).toBe(403);
    expect((await postErase(w.leader.id, w.contact.id, NAME)).status).toBe(403);
    const wrong = await postErase(w.admin.id, w.contact.id, "Dana");
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({
      intent: "erase-contact",
      field: "confirmName",
      error: `“Dana” is not the contact’s name: type ${NAME} to confirm.`,
    });
    expect((await postErase(w.admin.id, w.contact.id, "")).status).toBe(400);
    expect(await eraseContact(db, w.contact.id, w.owner)).toMatchObject({ status: "forbidden" });
    expect(await db.select().from(contacts).where(eq(contacts.id, w.contact.id))).toHaveLength(1);
    expect(await db.select().from(contactNotes)).toHaveLength(2);
    expect(await db.select().from(contactErasures)).toEqual([]);
  });

  it("takes the person's rows out of uploaded CSV files, so no file can bring them back", async () => {
    const w = await world();
    const db = getDb();
    const header = "account_name,name,email,title";
    const applied = await importCsv(db, w.admin, {
      kind: "contacts",
      content: `${header}\nAcme Rockets,${NAME},${EMAIL},VP Operations\nAcme Rockets,${OTHER},z@acme.test,\n`,
    });
    expect(await submitApply(db, w.admin, applied.id, async () => false)).toBe("started");
    // checked and waiting for its Apply: it would update her (her address in capitals) and add Nora
    const waiting = await importCsv(db, w.admin, {
      kind: "contacts",
      content: `${header}\r\nAcme Rockets,"${NAME}",${EMAIL.toUpperCase()},COO\r\nAcme Rockets,Nora New,nora@acme.test,CFO\r\n`,
    });
    expect((waiting.report as ImportReport).sample.map((s) => [s.row, s.action])).toEqual([
      [2, "update"],
      [3, "create"],
    ]);
    // a file the check could not read at all
    const unreadable = await importCsv(db, w.admin, {
      kind: "contacts",
      content: `${header}\nAcme Rockets,"${NAME},${EMAIL}\n`,
    });
    expect(unreadable.status).toBe("rejected");

    expect((await postErase(w.admin.id, w.contact.id, NAME)).status).toBe(302);

    const files = new Map(
      (await db.select().from(csvImports)).map((imp) => [
        imp.id,
        { content: imp.content, report: imp.report },
      ]),
    );
    expect(JSON.stringify([...files.values()]).toLowerCase()).not.toMatch(/dana/);
    // the other rows keep their place: row 3 is still row 3
    expect(files.get(applied.id)!.content).toBe(`${header}\n,,,\nAcme Rockets,${OTHER},z@acme.test,\n`);
    expect(files.get(waiting.id)!.content).toBe(
      `${header}\r\n,,,\r\nAcme Rockets,Nora New,nora@acme.test,CFO\r\n`,
    );
    expect((files.get(waiting.id)!.report as ImportReport).sample.map((s) => s.row)).toEqual([3]);
    expect(files.get(unreadable.id)!.content).toBe("");
    const [erasure] = await db.select().from(contactErasures);
    expect(erasure!.counts).toMatchObject({ importFilesEdited: 3, importRowsErased: 2 });

    // applying the waiting file now adds Nora and does not bring Dana back
    expect(await submitApply(db, w.admin, waiting.id, async () => false)).toBe("started");
    expect((await db.select().from(csvImports).where(eq(csvImports.id, waiting.id)))[0]!.status).toBe(
      "applied",
    );
    const people = await db.select({ email: contacts.email }).from(contacts);
    expect(people.map((p) => p.email).sort()).toEqual(["nora@acme.test", "z@acme.test"]);
  });

  it("erases nothing while an import that names the person is being applied, and says why", async () => {
    const w = await world();
    const db = getDb();
    const content = `account_name,name,email\nAcme Rockets,${NAME},${EMAIL}\n`;
    const imp = await importCsv(db, w.admin, { kind: "contacts", fileName: "crm-sync.csv", content });
    await db.update(csvImports).set({ status: "applying" }).where(eq(csvImports.id, imp.id));

    const refused = await postErase(w.admin.id, w.contact.id, NAME);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({
      intent: "erase-contact",
      error:
        "The import “crm-sync.csv” names this contact and is being applied right now. Erase them once it has finished: nothing was erased.",
    });
    expect(await db.select().from(contacts).where(eq(contacts.id, w.contact.id))).toHaveLength(1);
    expect(await db.select().from(contactNotes)).toHaveLength(2);
    expect(await db.select().from(contactErasures)).toEqual([]);
    expect((await db.select().from(csvImports))[0]!.content).toBe(content);
  });

  it("answers not found for an id that was never a contact", async () => {
    const w = await world();
    expect(await eraseContact(getDb(), "00000000-0000-4000-8000-000000000000", w.admin)).toEqual({
      status: "not_found",
    });
  });
});

describe("anonymiseResponseData", () => {
  const model = {
    pages: [
      {
        elements: [
          { type: "rating", name: "trust", dimension: "trust" },
          { type: "comment", name: "trust_why" },
          { type: "text", name: "phone" },
          { type: "text", name: "seats", inputType: "number" },
          {
            type: "radiogroup",
            name: "reason",
            choices: ["price", { value: "fit", text: "Fit" }],
            showOtherItem: true,
          },
          { type: "checkbox", name: "also", choices: ["price", "fit"] },
          { type: "boolean", name: "renew" },
          { type: "comment", name: "interviewer_notes" },
        ],
      },
    ],
  };

  it("keeps numbers, yes/no and listed choices, and drops every word of the person's own", () => {
    expect(
      anonymiseResponseData(model, {
        trust: 4,
        trust_why: "my words",
        phone: "+44 20 7946 0000",
        seats: 40,
        reason: "fit",
        "reason-Comment": "other, in my words",
        also: ["price", "fit"],
        renew: true,
        interviewer_notes: "she said…",
        unknown_key: "x",
      }),
    ).toEqual({ trust: 4, seats: 40, reason: "fit", also: ["price", "fit"], renew: true });
  });

  it("drops a choice answer that is not on the list (an 'other' typed in) and nested values", () => {
    expect(
      anonymiseResponseData(model, { reason: "my own reason", also: ["price", "mine"], trust: { x: 1 } }),
    ).toEqual({});
    expect(anonymiseResponseData(model, null)).toEqual({});
    expect(anonymiseResponseData(model, ["a"])).toEqual({});
  });
});
