import { describe, expect, it } from "vitest";
import { campaigns } from "../../db/schema";
import {
  addDays,
  insertAccount,
  insertAccountMember,
  insertCase,
  insertContact,
  insertInteraction,
  insertInvitation,
  insertOpportunity,
  insertPrediction,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { getLedger } from "~/domain/ledger.server";
import { getAccountTimeline } from "~/domain/timeline.server";
import { getDb } from "~/lib/db.server";
import { loader } from "~/routes/_app.accounts.$accountId/route";
import { cookieFor, makeRequest, settle } from "../support/requests";

const HOUR_MS = 3_600_000;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

async function loadPage(userId: string, accountId: string, search = "") {
  const cookie = await cookieFor(userId);
  return settle(() =>
    loader({
      request: makeRequest(`/accounts/${accountId}${search}`, { cookie }),
      params: { accountId },
      context: {},
    }),
  );
}

describe("the equity ledger of an account", () => {
  it("sums deposits and withdrawals from the database with a 90-day half-life", async () => {
    const db = getDb();
    const now = new Date("2026-06-01T12:00:00Z");
    const account = await insertAccount(db);
    const other = await insertAccount(db);
    // favour, deposit 2, 90 days ago:          2 × 0.5^(90/90)  = +1
    await insertInteraction(db, { accountId: account.id, kind: "favour", occurredAt: addDays(now, -90) });
    // mistake, withdrawal 1, today:            1 × 0.5^0        = −1
    await insertInteraction(db, {
      accountId: account.id,
      kind: "mistake",
      equityWeight: 1,
      occurredAt: now,
      summary: "Sent the renewal quote to the wrong person",
    });
    // social, marked deposit 3, 180 days ago:  3 × 0.5^(180/90) = +0.75
    await insertInteraction(db, {
      accountId: account.id,
      kind: "social",
      equityEffect: "deposit",
      equityWeight: 3,
      occurredAt: addDays(now, -180),
    });
    // a neutral meeting and an open commitment (even one marked deposit 3) move nothing
    await insertInteraction(db, { accountId: account.id, kind: "meeting", occurredAt: addDays(now, -10) });
    await insertInteraction(db, {
      accountId: account.id,
      kind: "commitment",
      equityEffect: "deposit",
      equityWeight: 3,
      occurredAt: addDays(now, -5),
      summary: "Send the integration plan",
    });
    // another account's favour and a deposit dated after `now` do not count
    await insertInteraction(db, { accountId: other.id, kind: "favour", equityWeight: 3, occurredAt: now });
    await insertInteraction(db, { accountId: account.id, kind: "favour", occurredAt: addDays(now, 1) });

    const ledger = await getLedger(db, account.id, now);

    // +1 − 1 + 0.75 = 0.75
    expect(ledger.balance).toBeCloseTo(0.75, 10);
    expect(ledger.entries.map((e) => [e.kind, e.effect, e.weight, e.at.toISOString()])).toEqual([
      ["mistake", "withdrawal", 1, now.toISOString()],
      ["favour", "deposit", 2, addDays(now, -90).toISOString()],
      ["social", "deposit", 3, addDays(now, -180).toISOString()],
    ]);
    expect(ledger.entryCount).toBe(3);
    // the chart: weekly points from 2024-12-01 (18 months back, 547 days ≈ 78 weeks) to now
    expect(ledger.series).toHaveLength(79);
    expect(ledger.series[0]!.at.toISOString()).toBe("2024-12-01T12:00:00.000Z");
    expect(ledger.series[0]!.balance).toBe(0);
    expect(ledger.series.at(-1)!.at.toISOString()).toBe(now.toISOString());
    expect(ledger.series.at(-1)!.balance).toBeCloseTo(0.75, 10);
    // the open commitment is listed as owed, due 14 days after it was made (the factory's default)
    expect(ledger.openCommitments).toEqual([
      expect.objectContaining({ summary: "Send the integration plan", dueOn: "2026-06-10", overdue: false }),
    ]);
  });

  it("adds a kept commitment and subtracts a broken one from the day each was resolved; an open one adds nothing", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    // made 1 Jan, kept 1 Mar: the factory gives it the default effect of a kept commitment, deposit 2
    await insertInteraction(db, {
      accountId: account.id,
      kind: "commitment",
      commitmentStatus: "kept",
      occurredAt: day("2026-01-01"),
      commitmentResolvedAt: day("2026-03-01"),
    });
    // made 10 Jan, broken 1 Apr: withdrawal 2
    await insertInteraction(db, {
      accountId: account.id,
      kind: "commitment",
      commitmentStatus: "broken",
      occurredAt: day("2026-01-10"),
      commitmentResolvedAt: day("2026-04-01"),
    });
    // made 1 Feb, due 15 Feb, still open
    await insertInteraction(db, {
      accountId: account.id,
      kind: "commitment",
      occurredAt: day("2026-02-01"),
      dueOn: "2026-02-15",
      summary: "Share the roadmap",
    });

    // 20 Feb: neither has been resolved yet
    expect((await getLedger(db, account.id, day("2026-02-20"))).balance).toBe(0);
    // 1 Mar: the kept one counts in full
    expect((await getLedger(db, account.id, day("2026-03-01"))).balance).toBeCloseTo(2, 10);
    // 1 Apr: 2 × 0.5^(31/90) − 2 = 2 × 0.787611 − 2 = −0.424778
    const april = await getLedger(db, account.id, day("2026-04-01"));
    expect(april.balance).toBeCloseTo(-0.424778, 5);
    expect(april.entries.map((e) => [e.effect, e.weight, e.at.toISOString().slice(0, 10)])).toEqual([
      ["withdrawal", 2, "2026-04-01"],
      ["deposit", 2, "2026-03-01"],
    ]);
    expect(april.openCommitments).toEqual([
      expect.objectContaining({ summary: "Share the roadmap", dueOn: "2026-02-15", overdue: true }),
    ]);
    // 31 May: 2 × 0.5^(91/90) − 2 × 0.5^(60/90) = 0.992328 − 1.259921 = −0.267593
    expect((await getLedger(db, account.id, day("2026-05-31"))).balance).toBeCloseTo(-0.267593, 5);
  });
});

describe("the account timeline", () => {
  it("merges interactions, responses, predictions, opportunities and cases newest first, and filters by kind", async () => {
    const db = getDb();
    const base = Date.now();
    const at = (daysAgo: number) => new Date(base - daysAgo * 24 * HOUR_MS);
    const owner = await insertUser(db);
    const account = await insertAccount(db, { ownerId: owner.id });
    const contact = await insertContact(db, { accountId: account.id, name: "Dana Price" });
    const opportunity = await insertOpportunity(db, {
      accountId: account.id,
      name: "Renewal 2027",
      createdAt: at(10),
      closedAt: at(2),
      outcome: "won",
    });
    const call = await insertInteraction(db, {
      accountId: account.id,
      kind: "call",
      occurredAt: at(5),
      contactIds: [contact.id],
    });
    const response = await insertResponse(db, { contactId: contact.id, completedAt: at(4) });
    await insertResponse(db, { contactId: contact.id, isComplete: false, startedAt: at(1) });
    const prediction = await insertPrediction(db, {
      accountId: account.id,
      authorId: owner.id,
      createdAt: at(3),
    });
    const escalation = await insertCase(db, { accountId: account.id, openedAt: at(1), resolvedAt: at(0.5) });
    await insertInteraction(db, { kind: "favour", occurredAt: at(0) }); // another account

    const all = await getAccountTimeline(db, account.id, owner.id, {});
    expect(all.items.map((item) => item.key)).toEqual([
      `case:resolved:${escalation.id}`,
      `case:opened:${escalation.id}`,
      `opportunity:closed:${opportunity.id}`,
      `prediction:${prediction.id}`,
      `response:${response.id}`,
      `interaction:${call.id}`,
      `opportunity:created:${opportunity.id}`,
    ]);
    expect(all.total).toBe(7);
    const callItem = all.items.find((item) => item.kind === "interaction");
    expect(callItem).toMatchObject({
      interactionKind: "call",
      contacts: [{ id: contact.id, name: "Dana Price" }],
    });
    expect(all.items.find((item) => item.kind === "response")).toMatchObject({
      surveyTitle: "How is our relationship, really?",
      contactName: "Dana Price",
      source: "link",
    });

    const keysOf = async (kind: "interaction" | "response" | "prediction" | "opportunity" | "case") => {
      const timeline = await getAccountTimeline(db, account.id, owner.id, { kind });
      return { keys: timeline.items.map((item) => item.key), total: timeline.total };
    };
    expect(await keysOf("opportunity")).toEqual({
      keys: [`opportunity:closed:${opportunity.id}`, `opportunity:created:${opportunity.id}`],
      total: 2,
    });
    expect(await keysOf("case")).toEqual({
      keys: [`case:resolved:${escalation.id}`, `case:opened:${escalation.id}`],
      total: 2,
    });
    expect(await keysOf("response")).toEqual({ keys: [`response:${response.id}`], total: 1 });
    expect(await keysOf("interaction")).toEqual({ keys: [`interaction:${call.id}`], total: 1 });
    expect(await keysOf("prediction")).toEqual({ keys: [`prediction:${prediction.id}`], total: 1 });
  });

  it("pages 25 events at a time across sources without repeating or dropping one", async () => {
    const db = getDb();
    const base = Date.now();
    const account = await insertAccount(db);
    // interactions 1, 3, 5, … 39 hours ago; cases 2, 4, … 20 hours ago: 30 events in all
    const calls = [];
    for (let hour = 1; hour <= 39; hour += 2) {
      calls.push(
        await insertInteraction(db, {
          accountId: account.id,
          kind: "call",
          occurredAt: new Date(base - hour * HOUR_MS),
        }),
      );
    }
    for (let hour = 2; hour <= 20; hour += 2) {
      await insertCase(db, { accountId: account.id, openedAt: new Date(base - hour * HOUR_MS) });
    }
    const first = await getAccountTimeline(db, account.id, account.ownerId, { page: 1 });
    const second = await getAccountTimeline(db, account.id, account.ownerId, { page: 2 });
    expect(first.total).toBe(30);
    expect(first.items).toHaveLength(25);
    // the five oldest: the calls 31, 33, 35, 37 and 39 hours ago
    expect(second.items.map((item) => item.key)).toEqual(calls.slice(15).map((c) => `interaction:${c.id}`));
    const seen = new Set([...first.items, ...second.items].map((item) => item.key));
    expect(seen.size).toBe(30);
  });

  it("hides a prediction from everyone but its author until a later completed response exists", async () => {
    const db = getDb();
    const base = Date.now();
    const at = (daysAgo: number) => new Date(base - daysAgo * 24 * HOUR_MS);
    const owner = await insertUser(db);
    const teammate = await insertUser(db);
    const account = await insertAccount(db, { ownerId: owner.id });
    await insertAccountMember(db, { accountId: account.id, userId: teammate.id });
    const contact = await insertContact(db, { accountId: account.id });
    const version = await insertSurveyVersionFromFile(db, "relationship-health");
    // an answer from before the prediction does not unseal it
    await insertResponse(db, {
      contactId: contact.id,
      completedAt: at(20),
      answers: [{ question: "trust_promises", dimension: "trust", value: 100 }],
    });
    const prediction = await insertPrediction(db, {
      accountId: account.id,
      authorId: owner.id,
      createdAt: at(10),
      values: { trust: 80, advocacy: 60 },
    });
    const predictionsFor = (viewerId: string) =>
      getAccountTimeline(db, account.id, viewerId, { kind: "prediction" });

    expect(await predictionsFor(teammate.id)).toMatchObject({ items: [], total: 0 });
    const ownView = await predictionsFor(owner.id);
    expect(ownView.items).toEqual([
      expect.objectContaining({
        id: prediction.id,
        sealed: true,
        comparison: [
          { dimension: "trust", predicted: 80, customer: null },
          { dimension: "advocacy", predicted: 60, customer: null },
        ],
      }),
    ]);

    // the customer answers after the prediction: two trust questions (40 and 60 → 50) and advocacy 90
    await insertResponse(db, {
      contactId: contact.id,
      surveyVersionId: version.id,
      completedAt: at(1),
      answers: [
        { question: "trust_promises", dimension: "trust", value: 40 },
        { question: "trust_honest", dimension: "trust", value: 60 },
        { question: "recommend", dimension: "advocacy", value: 90 },
      ],
    });
    const unsealed = await predictionsFor(teammate.id);
    expect(unsealed.total).toBe(1);
    expect(unsealed.items).toEqual([
      expect.objectContaining({
        id: prediction.id,
        sealed: false,
        comparison: [
          { dimension: "trust", predicted: 80, customer: 50 },
          { dimension: "advocacy", predicted: 60, customer: 90 },
        ],
      }),
    ]);
  });

  it("keeps a campaign's prediction sealed until an answer to that campaign arrives", async () => {
    const db = getDb();
    const base = Date.now();
    const at = (daysAgo: number) => new Date(base - daysAgo * 24 * HOUR_MS);
    const owner = await insertUser(db);
    const leader = await insertUser(db, { role: "leader" });
    const account = await insertAccount(db, { ownerId: owner.id });
    const contact = await insertContact(db, { accountId: account.id });
    const version = await insertSurveyVersionFromFile(db, "relationship-health");
    const [spring, autumn] = await db
      .insert(campaigns)
      .values([
        { name: "Spring pulse", surveyVersionId: version.id },
        { name: "Autumn pulse", surveyVersionId: version.id },
      ])
      .returning();
    await insertPrediction(db, {
      accountId: account.id,
      authorId: owner.id,
      campaignId: autumn!.id,
      createdAt: at(10),
    });
    const answerTo = async (campaignId: string, daysAgo: number) => {
      const invitation = await insertInvitation(db, {
        contactId: contact.id,
        surveyVersionId: version.id,
        campaignId,
      });
      await insertResponse(db, { invitationId: invitation.id, completedAt: at(daysAgo) });
    };

    await answerTo(spring!.id, 2);
    expect((await getAccountTimeline(db, account.id, leader.id, { kind: "prediction" })).total).toBe(0);
    await answerTo(autumn!.id, 1);
    expect((await getAccountTimeline(db, account.id, leader.id, { kind: "prediction" })).total).toBe(1);
  });
});

describe("the account page loader", () => {
  it("answers 403 to a manager off the team and 404 for an unknown or malformed id", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    const outsider = await insertUser(db, { role: "manager" });
    expect((await loadPage(outsider.id, account.id)).status).toBe(403);
    for (const accountId of ["00000000-0000-4000-8000-000000000000", "nope"]) {
      expect((await loadPage(account.ownerId, accountId)).status).toBe(404);
    }
  });

  it("lets the team edit and a leader only read, and falls back to the default view on a bad query", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    const teammate = await insertUser(db);
    await insertAccountMember(db, { accountId: account.id, userId: teammate.id });
    const leader = await insertUser(db, { role: "leader" });
    await insertInteraction(db, { accountId: account.id, kind: "call" });

    const asTeammate = await loadPage(teammate.id, account.id, "?kind=bogus&page=-3&ledger=some");
    expect(asTeammate.status).toBe(200);
    const data = await asTeammate.json();
    expect(data.canEdit).toBe(true);
    expect(data.timeline).toMatchObject({ kind: "all", page: 1, total: 1 });
    expect(data.showAllLedgerEntries).toBe(false);

    const asLeader = await loadPage(leader.id, account.id);
    expect(asLeader.status).toBe(200);
    expect((await asLeader.json()).canEdit).toBe(false);
  });

  it("lists the latest ten ledger entries, and all of them with ?ledger=all", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    for (let i = 1; i <= 12; i += 1) {
      await insertInteraction(db, {
        accountId: account.id,
        kind: "favour",
        occurredAt: new Date(Date.now() - i * HOUR_MS),
      });
    }
    const capped = await (await loadPage(account.ownerId, account.id)).json();
    expect(capped.ledger.entries).toHaveLength(10);
    expect(capped.ledger.entryCount).toBe(12);
    const all = await (await loadPage(account.ownerId, account.id, "?ledger=all")).json();
    expect(all.ledger.entries).toHaveLength(12);
    expect(all.showAllLedgerEntries).toBe(true);
  });
});
