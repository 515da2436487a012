import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import {
  addBusinessDays,
  addDays,
  insertAccount,
  insertContact,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { cases, interactionContacts, interactions, outbox, responses } from "../../db/schema";
import { createSurveyLink } from "~/domain/survey-links.server";
import { getDb } from "~/lib/db.server";
import { action as interviewAction } from "~/routes/_app.contacts.$contactId_.interview/route";
import { action as surveyAction } from "~/routes/s.$token/route";
import { action as submitAction } from "~/routes/s.$token.submit";
import { cookieFor, makeRequest, settle } from "../support/requests";

/** Every question of relationship-health.json answered well: 4 of 5 (75) on the six, advocacy 9. */
const healthy = {
  trust: 4,
  responsiveness: 4,
  understanding: 4,
  value: 4,
  communication: 4,
  relationship: 4,
  advocacy: 9,
  renewal: 5,
};

async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager", name: "Maya Chen", email: "maya@example.test" });
  const account = await insertAccount(db, { ownerId: owner.id, name: "Northwind Logistics" });
  const contact = await insertContact(db, { accountId: account.id, name: "Dana Lee" });
  const version = await insertSurveyVersionFromFile(db, "relationship-health");
  const link = () =>
    createSurveyLink(db, { contactId: contact.id, surveyVersionId: version.id, createdById: owner.id });
  return { owner, account, contact, version, link };
}

function submit(token: string, data: unknown) {
  const request = new Request(`http://localhost/s/${token}/submit`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "x-rapport-client-ip": "198.51.100.20" },
    body: JSON.stringify({ data }),
  });
  return settle(() => submitAction({ request, params: { token }, context: {} }));
}

function pressHelp(token: string) {
  return settle(() =>
    surveyAction({
      request: makeRequest(`/s/${token}`, { form: { intent: "help" } }),
      params: { token },
      context: {},
    }),
  );
}

async function stored() {
  const db = getDb();
  return {
    cases: await db.select().from(cases).orderBy(cases.openedAt),
    alerts: await db.select().from(outbox).where(eq(outbox.kind, "case_alert")),
    ledger: await db.select().from(interactions).orderBy(interactions.occurredAt),
    links: await db.select().from(interactionContacts),
  };
}

afterEach(() => {
  delete process.env.CASE_SLA_BUSINESS_DAYS;
});

describe("a completed response opens a Customer 9-1-1 case", () => {
  it("opens one critical case for advocacy 3, with the owner's alert in the outbox and a withdrawal on the ledger", async () => {
    const w = await world();
    const { token } = await w.link();
    const response = await submit(token, {
      ...healthy,
      advocacy: 3,
      advocacy_why: "We raised the invoicing problem three times and nobody came back to us.",
    });
    expect(response.status).toBe(200);

    const { cases: opened, alerts, ledger, links } = await stored();
    expect(opened).toHaveLength(1);
    const [c] = opened;
    const [answered] = await getDb().select().from(responses);
    expect(c).toMatchObject({
      accountId: w.account.id,
      contactId: w.contact.id,
      responseId: answered!.id,
      trigger: "low_advocacy",
      severity: "critical",
      ownerId: w.owner.id,
      status: "open",
      acknowledgedAt: null,
      resolvedAt: null,
    });
    expect(c!.summary).toBe("Dana Lee answered “How is our relationship, really?” with advocacy 3/10");
    expect(c!.openedAt.getTime()).toBe(answered!.completedAt!.getTime());
    expect(c!.slaDueAt.toISOString()).toBe(addBusinessDays(c!.openedAt, 2).toISOString());

    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      toAddress: "maya@example.test",
      idempotencyKey: `case_alert:${c!.id}`,
      status: "pending",
      subject: "9-1-1: Dana Lee at Northwind Logistics needs you (Critical)",
    });
    expect(alerts[0]!.html).toMatch(new RegExp(`href="https?://[^"]+/cases/${c!.id}"`));
    expect(alerts[0]!.text).toContain("nobody came back to us");
    expect(alerts[0]!.text).toContain("Hi Maya");

    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      accountId: w.account.id,
      kind: "customer_alert",
      equityEffect: "withdrawal",
      equityWeight: 3,
      authorId: w.owner.id,
    });
    expect(ledger[0]!.summary).toMatch(/^Customer 9-1-1 opened \(low advocacy\): Dana Lee answered/);
    expect(links).toEqual([{ interactionId: ledger[0]!.id, contactId: w.contact.id }]);
  });

  it("opens nothing more when the same answers are submitted again, concurrently or later", async () => {
    const w = await world();
    const { token } = await w.link();
    const answers = { ...healthy, advocacy: 5 };
    const results = await Promise.all([1, 2, 3, 4].map(() => submit(token, answers)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect((await submit(token, { ...answers, advocacy: 0 })).status).toBe(409);
    const { cases: opened, alerts, ledger } = await stored();
    expect(opened.map((c) => [c.trigger, c.severity])).toEqual([["low_advocacy", "high"]]);
    expect(alerts).toHaveLength(1);
    expect(ledger).toHaveLength(1);
  });

  it("opens none for a healthy response", async () => {
    const w = await world();
    const { token } = await w.link();
    expect((await submit(token, healthy)).status).toBe(200);
    const { cases: opened, alerts, ledger } = await stored();
    expect([opened, alerts, ledger]).toEqual([[], [], []]);
  });

  it("opens a high low-score case when any dimension is 25 or less, naming every low score", async () => {
    const w = await world();
    const { token } = await w.link();
    await submit(token, { ...healthy, communication: 2, renewal: 2 });
    const { cases: opened, ledger } = await stored();
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ trigger: "low_dimension", severity: "high" });
    expect(opened[0]!.summary).toContain("communication 25/100 and renewal 25/100");
    expect(ledger[0]!.equityWeight).toBe(2);
  });

  it("opens one for a drop of 20 points in health since the contact's previous response, and none for 19", async () => {
    const w = await world();
    // health 95 a month ago → 75 now: a drop of exactly 20
    await insertResponse(getDb(), {
      contactId: w.contact.id,
      completedAt: addDays(new Date(), -30),
      answers: [
        { question: "trust", dimension: "trust", value: 100 },
        { question: "value", dimension: "value", value: 90 },
      ],
    });
    // a later answer without any of the six dimensions is not a health reading: it is skipped
    await insertResponse(getDb(), {
      contactId: w.contact.id,
      completedAt: addDays(new Date(), -3),
      answers: [{ question: "advocacy", dimension: "advocacy", value: 100 }],
    });
    const { token } = await w.link();
    await submit(token, healthy);
    const { cases: opened } = await stored();
    expect(opened.map((c) => [c.trigger, c.severity])).toEqual([["health_drop", "medium"]]);
    expect(opened[0]!.summary).toContain("customer health down 20 points (95 → 75)");

    // another contact 94 → 75: 19 points, no case
    const other = await insertContact(getDb(), { accountId: w.account.id });
    await insertResponse(getDb(), {
      contactId: other.id,
      completedAt: addDays(new Date(), -30),
      answers: [{ question: "trust", dimension: "trust", value: 94 }],
    });
    const second = await createSurveyLink(getDb(), {
      contactId: other.id,
      surveyVersionId: w.version.id,
      createdById: w.owner.id,
    });
    await submit(second.token, healthy);
    expect((await stored()).cases).toHaveLength(1);
  });

  it("takes the SLA from CASE_SLA_BUSINESS_DAYS", async () => {
    process.env.CASE_SLA_BUSINESS_DAYS = "5";
    const w = await world();
    const { token } = await w.link();
    await submit(token, { ...healthy, advocacy: 6 });
    const [c] = (await stored()).cases;
    expect(c!.severity).toBe("medium");
    expect(c!.slaDueAt.toISOString()).toBe(addBusinessDays(c!.openedAt, 5).toISOString());
  });

  it("opens one from a recorded interview, in the interview's transaction", async () => {
    const w = await world();
    const guide = await insertSurveyVersionFromFile(getDb(), "interview-guide");
    const data = {
      ...healthy,
      relationship: 1,
      important_dimensions: ["trust"],
    };
    const request = new Request(`http://localhost/contacts/${w.contact.id}/interview`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Cookie: await cookieFor(w.owner),
        "x-rapport-client-ip": "203.0.113.7",
      },
      body: JSON.stringify({ surveyVersionId: guide.id, data }),
    });
    const result = await settle(() =>
      interviewAction({ request, params: { contactId: w.contact.id }, context: {} }),
    );
    expect(result.status).toBe(200);
    const { cases: opened, alerts } = await stored();
    expect(opened.map((c) => [c.trigger, c.severity])).toEqual([["low_dimension", "critical"]]);
    expect(opened[0]!.summary).toContain("“Relationship interview” with relationship 0/100");
    expect(alerts).toHaveLength(1);
  });
});

describe("“I need help now”", () => {
  it("opens one high case after a healthy response, however often it is pressed", async () => {
    const w = await world();
    const { token } = await w.link();
    await submit(token, healthy);
    expect((await pressHelp(token)).status).toBe(200);
    expect((await pressHelp(token)).status).toBe(200);
    const { cases: opened, alerts, ledger } = await stored();
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ trigger: "help_requested", severity: "high", status: "open" });
    expect(opened[0]!.summary).toBe(
      "Dana Lee pressed “I need help now” after answering “How is our relationship, really?”",
    );
    expect(alerts.map((a) => a.idempotencyKey)).toEqual([`case_alert:${opened[0]!.id}`]);
    expect(ledger.map((l) => [l.kind, l.equityEffect, l.equityWeight])).toEqual([
      ["customer_alert", "withdrawal", 2],
    ]);
    expect(ledger[0]!.summary).toMatch(/\(asked for help\)/);
  });

  it("opens its own case beside the score's one, critical when the answers were", async () => {
    const w = await world();
    const { token } = await w.link();
    await submit(token, { ...healthy, advocacy: 2 });
    await Promise.all([pressHelp(token), pressHelp(token)]);
    const { cases: opened, alerts } = await stored();
    expect(opened.map((c) => [c.trigger, c.severity]).sort()).toEqual([
      ["help_requested", "critical"],
      ["low_advocacy", "critical"],
    ]);
    expect(alerts).toHaveLength(2);
  });

  it("opens nothing before the answers are in", async () => {
    const w = await world();
    const { token } = await w.link();
    expect((await pressHelp(token)).status).toBe(409);
    expect((await stored()).cases).toEqual([]);
  });
});
