import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  addDays,
  insertAccount,
  insertAccountMember,
  insertCase,
  insertContact,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { caseNotes, cases, invitationTokens, invitations, outbox } from "../../db/schema";
import { findInvitationByToken } from "~/domain/survey-links.server";
import { getDb } from "~/lib/db.server";
import { action as caseAction, loader as caseLoader } from "~/routes/_app.cases.$caseId/route";
import { loader as listLoader } from "~/routes/_app.cases._index/route";
import { action as submitAction } from "~/routes/s.$token.submit";
import { cookieFor, makeRequest, settle } from "../support/requests";

const HOUR = 3_600_000;

async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager", name: "Maya Chen" });
  const teammate = await insertUser(db, { role: "manager", name: "Sofia Alvarez" });
  const outsider = await insertUser(db, { role: "manager", name: "James O'Connor" });
  const leader = await insertUser(db, { role: "leader" });
  const admin = await insertUser(db, { role: "admin" });
  const account = await insertAccount(db, { ownerId: owner.id, name: "Northwind Logistics" });
  await insertAccountMember(db, { accountId: account.id, userId: teammate.id });
  const contact = await insertContact(db, {
    accountId: account.id,
    name: "Dana Lee",
    email: "dana@northwind.example",
  });
  const version = await insertSurveyVersionFromFile(db, "relationship-health");
  const response = await insertResponse(db, {
    contactId: contact.id,
    surveyVersionId: version.id,
    data: { advocacy: 3, advocacy_why: "Nobody called us back about the invoices." },
    answers: [
      { question: "trust", dimension: "trust", value: 50 },
      { question: "advocacy", dimension: "advocacy", value: 30 },
    ],
  });
  const openCase = await insertCase(db, {
    accountId: account.id,
    contactId: contact.id,
    responseId: response.id,
    trigger: "low_advocacy",
    severity: "critical",
    summary: "Dana Lee answered “How is our relationship, really?” with advocacy 3/10",
  });
  const otherAccount = await insertAccount(db, { ownerId: outsider.id, name: "Kestrel Telecom" });
  const otherCase = await insertCase(db, { accountId: otherAccount.id, summary: "Someone else's customer" });
  return { owner, teammate, outsider, leader, admin, account, contact, response, openCase, otherCase };
}

async function viewList(user: { id: string }, query = "") {
  const request = makeRequest(`/cases${query}`, { cookie: await cookieFor(user) });
  return settle(() => listLoader({ request, params: {}, context: {} }));
}

async function viewCase(user: { id: string }, caseId: string) {
  const request = makeRequest(`/cases/${caseId}`, { cookie: await cookieFor(user) });
  return settle(() => caseLoader({ request, params: { caseId }, context: {} }));
}

async function post(user: { id: string }, caseId: string, form: Record<string, string>) {
  const request = makeRequest(`/cases/${caseId}`, { form, cookie: await cookieFor(user) });
  return settle(() => caseAction({ request, params: { caseId }, context: {} }));
}

async function caseRow(caseId: string) {
  const [row] = await getDb().select().from(cases).where(eq(cases.id, caseId));
  return row!;
}

describe("the case list", () => {
  it("shows a manager the cases of accounts they own or are on the team of, and leaders and admins all", async () => {
    const w = await world();
    for (const [user, expected] of [
      [w.owner, [w.openCase.id]],
      [w.teammate, [w.openCase.id]],
      [w.outsider, [w.otherCase.id]],
      [w.leader, [w.openCase.id, w.otherCase.id]],
      [w.admin, [w.openCase.id, w.otherCase.id]],
    ] as const) {
      const body = await (await viewList(user)).json();
      expect(body.rows.map((r: { id: string }) => r.id).sort()).toEqual([...expected].sort());
    }
  });

  it("lists unresolved cases first, most overdue on top, then the latest resolved", async () => {
    const w = await world();
    const now = Date.now();
    const overdue = await insertCase(getDb(), {
      accountId: w.account.id,
      openedAt: new Date(now - 5 * 24 * HOUR),
      slaDueAt: new Date(now - 27 * HOUR),
    });
    const resolved = await insertCase(getDb(), {
      accountId: w.account.id,
      status: "resolved",
      openedAt: new Date(now - 10 * 24 * HOUR),
      slaDueAt: new Date(now - 8 * 24 * HOUR),
      resolvedAt: new Date(now - 9 * 24 * HOUR),
      resolutionNote: "Fixed.",
    });
    const body = await (await viewList(w.owner)).json();
    expect(body.rows.map((r: { id: string }) => r.id)).toEqual([overdue.id, w.openCase.id, resolved.id]);
    expect(body.metrics).toMatchObject({ openNow: 2, overdueNow: 1, windowDays: 90 });
    expect(body.metrics.resolvedWithinSla).toEqual({ met: 1, decided: 2, share: 0.5 });
  });

  it("filters by status and owner from the URL and pages 25 at a time", async () => {
    const w = await world();
    for (let i = 0; i < 29; i++)
      await insertCase(getDb(), { accountId: w.account.id, status: "acknowledged" });
    const acknowledged = await (await viewList(w.admin, "?status=acknowledged")).json();
    expect(acknowledged).toMatchObject({ total: 29, page: 1, pageSize: 25 });
    expect(acknowledged.rows).toHaveLength(25);
    const second = await (await viewList(w.admin, "?status=acknowledged&page=2")).json();
    expect(second.rows).toHaveLength(4);
    const byOwner = await (await viewList(w.admin, `?owner=${w.outsider.id}`)).json();
    expect(byOwner.rows.map((r: { id: string }) => r.id)).toEqual([w.otherCase.id]);
    expect(byOwner.owners.map((o: { name: string }) => o.name)).toEqual(["James O'Connor", "Maya Chen"]);
  });

  it("falls back to the defaults for filters it does not understand", async () => {
    const w = await world();
    const response = await viewList(w.owner, "?status=bogus&owner=not-a-uuid&page=-3&days=7");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.query).toEqual({ status: "all", page: 1, days: 90 });
    expect(body.rows).toHaveLength(1);
  });

  it("sends a signed-out visitor to sign in", async () => {
    const response = await settle(() =>
      listLoader({ request: makeRequest("/cases"), params: {}, context: {} }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fcases");
  });
});

describe("the case page", () => {
  it("shows the trigger, the scores and the customer's words, the contact and the timeline", async () => {
    const w = await world();
    const response = await viewCase(w.owner, w.openCase.id);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.case).toMatchObject({ id: w.openCase.id, trigger: "low_advocacy", status: "open" });
    expect(body.contact).toMatchObject({ id: w.contact.id, name: "Dana Lee" });
    expect(body.accountName).toBe("Northwind Logistics");
    expect(body.response.scores).toEqual([
      { question: "trust", dimension: "trust", value: 50, title: "Rapport does what it says it will do." },
      {
        question: "advocacy",
        dimension: "advocacy",
        value: 30,
        title: "How likely are you to recommend Rapport to a colleague?",
      },
    ]);
    expect(body.response.comments).toEqual([
      {
        question: "advocacy_why",
        title: "What would it take for you to recommend us?",
        text: "Nobody called us back about the invoices.",
      },
    ]);
    expect(body.notes).toEqual([]);
    expect(body.canWork).toBe(true);
    expect(body.recoveryPulseBlocker).toBeNull();
  });

  it("lets a leader read but not work it, refuses another manager's case with 403, and an unknown id with 404", async () => {
    const w = await world();
    expect((await viewCase(w.leader, w.openCase.id)).status).toBe(200);
    expect((await (await viewCase(w.leader, w.openCase.id)).json()).canWork).toBe(false);
    expect((await viewCase(w.outsider, w.openCase.id)).status).toBe(403);
    expect((await viewCase(w.owner, "not-a-uuid")).status).toBe(404);
    expect((await viewCase(w.owner, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await viewCase(w.owner, "'; drop table cases; --")).status).toBe(404);
  });
});

describe("working a case", () => {
  it("acknowledges an open case once; a second acknowledge is a 409", async () => {
    const w = await world();
    const first = await post(w.owner, w.openCase.id, { intent: "acknowledge" });
    expect(first.status).toBe(200);
    const row = await caseRow(w.openCase.id);
    expect(row.status).toBe("acknowledged");
    expect(row.acknowledgedAt).toBeInstanceOf(Date);
    const again = await post(w.teammate, w.openCase.id, { intent: "acknowledge" });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatch(/already acknowledged/);
    expect((await caseRow(w.openCase.id)).acknowledgedAt).toEqual(row.acknowledgedAt);
    const notes = await getDb().select().from(caseNotes);
    expect(notes.map((n) => [n.kind, n.authorId])).toEqual([["acknowledged", w.owner.id]]);
  });

  it("acknowledges once when two people press at the same moment", async () => {
    const w = await world();
    const results = await Promise.all([
      post(w.owner, w.openCase.id, { intent: "acknowledge" }),
      post(w.teammate, w.openCase.id, { intent: "acknowledge" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await getDb().select().from(caseNotes)).toHaveLength(1);
  });

  it("adds a teammate's note to the timeline and refuses an empty or oversized one with 400", async () => {
    const w = await world();
    expect((await post(w.teammate, w.openCase.id, { intent: "note", body: "  Called Dana.  " })).status).toBe(
      200,
    );
    for (const body of ["", "   ", "x".repeat(5001)]) {
      const refused = await post(w.owner, w.openCase.id, { intent: "note", body });
      expect(refused.status).toBe(400);
      expect((await refused.json()).field).toBe("body");
    }
    const missing = await post(w.owner, w.openCase.id, { intent: "note" });
    expect(missing.status).toBe(400);
    const page = await (await viewCase(w.owner, w.openCase.id)).json();
    expect(page.notes.map((n: { body: string; authorName: string }) => [n.body, n.authorName])).toEqual([
      ["Called Dana.", "Sofia Alvarez"],
    ]);
  });

  it("resolves only with a resolution note, counting an open case as acknowledged then; resolving again is a 409", async () => {
    const w = await world();
    const empty = await post(w.owner, w.openCase.id, { intent: "resolve", resolutionNote: " " });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatch(/Write what was done/);
    expect((await caseRow(w.openCase.id)).status).toBe("open");

    const done = await post(w.owner, w.openCase.id, {
      intent: "resolve",
      resolutionNote: "Called the same day; credit issued and invoices corrected.",
    });
    expect(done.status).toBe(200);
    expect((await done.json()).notice).toBe("Resolved.");
    const row = await caseRow(w.openCase.id);
    expect(row).toMatchObject({
      status: "resolved",
      resolutionNote: "Called the same day; credit issued and invoices corrected.",
      recoveryInvitationId: null,
    });
    expect(row.acknowledgedAt).toEqual(row.resolvedAt);

    const again = await post(w.owner, w.openCase.id, { intent: "resolve", resolutionNote: "Again" });
    expect(again.status).toBe(409);
    expect((await post(w.owner, w.openCase.id, { intent: "acknowledge" })).status).toBe(409);
    // a follow-up note is still welcome
    expect((await post(w.owner, w.openCase.id, { intent: "note", body: "Dana thanked us." })).status).toBe(
      200,
    );
  });

  it("sends a recovery pulse on resolving: an invitation, its token and an email with one-click unsubscribe", async () => {
    const w = await world();
    await insertSurveyVersionFromFile(getDb(), "recovery-pulse");
    const done = await post(w.owner, w.openCase.id, {
      intent: "resolve",
      resolutionNote: "Invoices corrected.",
      recoveryPulse: "on",
    });
    expect(done.status).toBe(200);
    expect((await done.json()).notice).toBe("Resolved. A short recovery pulse is on its way to Dana Lee.");

    const row = await caseRow(w.openCase.id);
    const [invitation] = await getDb().select().from(invitations);
    expect(row.recoveryInvitationId).toBe(invitation!.id);
    expect(invitation).toMatchObject({ contactId: w.contact.id, status: "queued", createdById: w.owner.id });
    expect(await getDb().select().from(invitationTokens)).toHaveLength(1);
    const [mail] = await getDb().select().from(outbox);
    expect(mail).toMatchObject({
      kind: "invitation",
      toAddress: "dana@northwind.example",
      invitationId: invitation!.id,
      idempotencyKey: `recovery_pulse:${w.openCase.id}`,
      subject: "Maya Chen at Rapport: did we put it right?",
    });
    expect(mail!.fromAddress).toMatch(/^"Maya Chen via Rapport" </);
    const headers = mail!.headers as Record<string, string>;
    expect(headers["List-Unsubscribe"]).toMatch(/^<https?:\/\/[^>]+\/u\/[A-Za-z0-9_-]{32}>$/);
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");

    // The emailed link opens the pulse; answering "not at all" opens a new case.
    const token = /\/s\/([A-Za-z0-9_-]{32})/.exec(mail!.html)![1]!;
    const found = await findInvitationByToken(getDb(), token);
    expect(found).toMatchObject({
      surveyTitle: "Quick follow-up: did we put it right?",
      contactName: "Dana Lee",
    });
    const submit = new Request(`http://localhost/s/${token}/submit`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "x-rapport-client-ip": "198.51.100.9" },
      body: JSON.stringify({ data: { fixed: 1, advocacy: 8, still_wrong: "The credit never arrived." } }),
    });
    expect(
      (await settle(() => submitAction({ request: submit, params: { token }, context: {} }))).status,
    ).toBe(200);
    const reopened = await getDb().select().from(cases).where(eq(cases.contactId, w.contact.id));
    expect(reopened.map((c) => [c.status, c.trigger, c.severity]).sort()).toEqual([
      ["open", "low_dimension", "critical"],
      ["resolved", "low_advocacy", "critical"],
    ]);
    const page = await (await viewCase(w.owner, w.openCase.id)).json();
    expect(page.recovery).toMatchObject({ status: "completed" });
    expect(page.recovery.response.comments[0].text).toBe("The credit never arrived.");
    expect(page.notes.map((n: { kind: string }) => n.kind)).toEqual(["resolved", "recovery_pulse"]);
  });

  it("never sends a recovery pulse to an opted-out or bounced contact, and says so", async () => {
    const w = await world();
    await insertSurveyVersionFromFile(getDb(), "recovery-pulse");
    for (const [column, words] of [
      ["optedOutAt", "the contact has unsubscribed from our emails"],
      ["bouncedAt", "email to the contact bounced"],
    ] as const) {
      const contact = await insertContact(getDb(), {
        accountId: w.account.id,
        [column]: addDays(new Date(), -1),
      });
      const c = await insertCase(getDb(), { accountId: w.account.id, contactId: contact.id });
      const page = await (await viewCase(w.owner, c.id)).json();
      expect(page.recoveryPulseBlocker).toBe(column === "optedOutAt" ? "opted_out" : "bounced");
      const done = await post(w.owner, c.id, {
        intent: "resolve",
        resolutionNote: "Sorted.",
        recoveryPulse: "on",
      });
      expect(done.status).toBe(200);
      expect((await done.json()).notice).toBe(`Resolved. No recovery pulse was sent: ${words}.`);
      expect((await caseRow(c.id)).status).toBe("resolved");
    }
    expect(await getDb().select().from(invitations)).toEqual([]);
    expect(await getDb().select().from(outbox)).toEqual([]);
  });

  it("refuses another manager with 403 and a leader with 403, changing nothing", async () => {
    const w = await world();
    for (const user of [w.outsider, w.leader]) {
      const forms: Record<string, string>[] = [
        { intent: "acknowledge" },
        { intent: "note", body: "Not mine" },
        { intent: "resolve", resolutionNote: "Not mine" },
      ];
      for (const form of forms) {
        expect((await post(user, w.openCase.id, form)).status).toBe(403);
      }
    }
    expect((await caseRow(w.openCase.id)).status).toBe("open");
    expect(await getDb().select().from(caseNotes)).toEqual([]);
  });

  it("refuses an unknown intent with 400 and an unknown case with 404", async () => {
    const w = await world();
    const unknown = await post(w.owner, w.openCase.id, { intent: "reopen" });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatch(/Unknown action/);
    expect((await post(w.owner, w.openCase.id, {})).status).toBe(400);
    expect(
      (await post(w.owner, "00000000-0000-4000-8000-000000000000", { intent: "acknowledge" })).status,
    ).toBe(404);
    expect((await post(w.owner, "nope", { intent: "acknowledge" })).status).toBe(404);
    expect(
      (await post(w.owner, w.openCase.id, { intent: "resolve", resolutionNote: "x", recoveryPulse: "maybe" }))
        .status,
    ).toBe(400);
  });
});
