import { describe, expect, it } from "vitest";
import {
  addDays,
  insertAccount,
  insertAccountMember,
  insertContact,
  insertPrediction,
  insertResponse,
  insertUser,
} from "../../db/factories";
import { getAccountHealth } from "~/domain/account-health.server";
import { getDb } from "~/lib/db.server";
import { loader } from "~/routes/_app.accounts.$accountId/route";
import { EXAMPLE_NOW, insertNorthwindExample } from "../support/health-example";
import { cookieFor, makeRequest, settle } from "../support/requests";

async function loadPage(userId: string, accountId: string) {
  const cookie = await cookieFor(userId);
  return settle(() =>
    loader({
      request: makeRequest(`/accounts/${accountId}`, { cookie }),
      params: { accountId },
      context: {},
    }),
  );
}

describe("the account page's customer, team and ledger view", () => {
  it("shows trust as a blind spot when the team predicted 80 and the one customer who answered said 40", async () => {
    const db = getDb();
    const owner = await insertUser(db);
    const account = await insertAccount(db, { ownerId: owner.id });
    const dana = await insertContact(db, {
      accountId: account.id,
      name: "Dana Price",
      buyingRole: "decision_maker",
    });
    const prediction = await insertPrediction(db, {
      accountId: account.id,
      authorId: owner.id,
      createdAt: addDays(new Date(), -10),
      values: { trust: 80 },
    });
    const response = await insertResponse(db, {
      contactId: dana.id,
      completedAt: addDays(new Date(), -2),
      answers: [{ question: "trust", dimension: "trust", value: 40 }],
    });

    const page = await loadPage(owner.id, account.id);
    expect(page.status).toBe(200);
    const { health } = await page.json();
    expect(health.gap.dimensions.trust).toMatchObject({
      team: 80,
      customer: 40,
      gap: 40,
      misaligned: true,
      quadrant: "blind_spot",
      confidence: "low",
    });
    expect(health.customer.dimensions.trust).toMatchObject({ value: 40, respondents: 1, confidence: "low" });
    expect(health.team.dimensions.trust).toMatchObject({ value: 80, authors: 1, confidence: "low" });
    // each number names its source: the answer (and its contact) and the prediction
    expect(health.sources.trust.customer).toEqual([
      expect.objectContaining({
        contactId: dana.id,
        contactName: "Dana Price",
        buyingRole: "decision_maker",
        weight: 3,
        value: 40,
        responseIds: [response.id],
      }),
    ]);
    expect(health.sources.trust.team).toEqual([
      expect.objectContaining({ predictionId: prediction.id, authorId: owner.id, value: 80 }),
    ]);
    // only trust was asked and predicted, so overall health is trust, and a blind spot too
    expect(health.gap.health).toMatchObject({ team: 80, customer: 40, gap: 40, quadrant: "blind_spot" });
    expect(health.empty).toEqual({ customer: false, team: false, ledger: true });
  });

  it("answers 403 to a manager off the team, and lets a leader read the view", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    const outsider = await insertUser(db, { role: "manager" });
    const leader = await insertUser(db, { role: "leader" });
    expect((await loadPage(outsider.id, account.id)).status).toBe(403);
    const asLeader = await loadPage(leader.id, account.id);
    expect(asLeader.status).toBe(200);
    const data = await asLeader.json();
    expect(data.health.empty).toEqual({ customer: true, team: true, ledger: true });
    expect(data.canLaunchCampaigns).toBe(true);
  });

  it("gives the empty states what they need when nothing is known yet", async () => {
    const db = getDb();
    const owner = await insertUser(db);
    const account = await insertAccount(db, { ownerId: owner.id });
    await insertContact(db, { accountId: account.id, name: "Uma User", buyingRole: "user" });
    await insertContact(db, {
      accountId: account.id,
      name: "Olive Optedout",
      buyingRole: "decision_maker",
      optedOutAt: new Date(),
    });
    const champion = await insertContact(db, {
      accountId: account.id,
      name: "Chris Champion",
      buyingRole: "champion",
    });

    const page = await loadPage(owner.id, account.id);
    const data = await page.json();
    const { health } = data;
    expect(data.canLaunchCampaigns).toBe(false);
    expect(health.empty).toEqual({ customer: true, team: true, ledger: true });
    // the first key contact who can still be surveyed (the decision-maker opted out)
    expect(health.surveyTarget).toEqual({ contactId: champion.id, name: "Chris Champion" });
    expect(health.customer.health).toMatchObject({ value: null, respondents: 0, confidence: "none" });
    expect(health.team.health).toMatchObject({ value: null, authors: 0, confidence: "none" });
    expect(health.nps).toEqual({ nps: null, promoters: 0, passives: 0, detractors: 0, respondents: 0 });
    expect(health.trend).toMatchObject({ change: null, contacts: [] });
    expect(health.verbatims).toEqual([]);
    expect(health.sealedFromViewer).toBe(0);
    expect(health.flags).toEqual([
      { flag: "silent", reason: "No customer has answered a survey or interview yet." },
    ]);
    // no two-way contact (recency 0, cadence 0), the champion not engaged (breadth 0 of 1) and
    // an even balance (equity 50): 0.15 × 50 / (0.25 + 0.2 + 0.15 + 0.15) = 7.5 / 0.75 = 10
    expect(health.ledger).toMatchObject({
      score: 10,
      confidence: "none",
      components: { recency: 0, cadence: 0, breadth: 0, equity: 50, quality: null, commitments: null },
    });
  });

  it("leaves a colleague's sealed prediction out of the team view until the customer answers", async () => {
    const db = getDb();
    const owner = await insertUser(db);
    const colleague = await insertUser(db);
    const account = await insertAccount(db, { ownerId: owner.id });
    await insertAccountMember(db, { accountId: account.id, userId: colleague.id });
    const contact = await insertContact(db, { accountId: account.id });
    await insertResponse(db, {
      contactId: contact.id,
      completedAt: addDays(new Date(), -5),
      answers: [{ question: "trust", dimension: "trust", value: 50 }],
    });
    // made after the last answer: sealed to everyone but its author
    const sealed = await insertPrediction(db, {
      accountId: account.id,
      authorId: colleague.id,
      createdAt: addDays(new Date(), -1),
      values: { trust: 90 },
    });

    const asOwner = (await (await loadPage(owner.id, account.id)).json()).health;
    expect(asOwner.team.dimensions.trust.value).toBeNull();
    expect(asOwner.sources.trust.team).toEqual([]);
    expect(asOwner.sealedFromViewer).toBe(1);
    expect(asOwner.empty.team).toBe(true);

    const asAuthor = (await (await loadPage(colleague.id, account.id)).json()).health;
    expect(asAuthor.team.dimensions.trust.value).toBe(90);
    expect(asAuthor.sources.trust.team).toEqual([expect.objectContaining({ predictionId: sealed.id })]);
    expect(asAuthor.sealedFromViewer).toBe(0);
  });
});

describe("getAccountHealth on the worked example of docs/health-model.md", () => {
  it("reproduces every number of Northwind on 30 June 2026 from the database", async () => {
    const db = getDb();
    const ex = await insertNorthwindExample(db);
    // Ana sees Ben's predictions: the customer answered after both
    const health = (await getAccountHealth(db, ex.account.id, { id: ex.ana.id }, EXAMPLE_NOW))!;

    expect(health.customer.dimensions.trust).toMatchObject({
      value: 45.8,
      respondents: 3,
      confidence: "high",
    });
    expect(health.customer.dimensions.communication.value).toBe(66.7);
    expect(health.customer.dimensions.advocacy.value).toBe(76.7);
    expect(health.customer.health.value).toBe(56.3);
    expect(health.nps).toEqual({ nps: 33, promoters: 2, passives: 0, detractors: 1, respondents: 3 });

    expect(health.team.dimensions.trust).toMatchObject({ value: 80, authors: 2, confidence: "medium" });
    expect(health.team.dimensions.communication.value).toBe(80);
    expect(health.team.health.value).toBe(80);

    expect(health.gap.dimensions.trust).toMatchObject({
      gap: 34.2,
      quadrant: "blind_spot",
      confidence: "medium",
    });
    expect(health.gap.dimensions.communication).toMatchObject({ gap: 13.3, quadrant: "agreed_strength" });
    expect(health.gap.dimensions.advocacy.quadrant).toBeNull();
    expect(health.gap.health).toMatchObject({ gap: 23.7, quadrant: "blind_spot" });

    expect(health.ledger.components).toEqual({
      recency: 100,
      cadence: 25,
      breadth: 50,
      equity: 64.6,
      quality: 66.7,
      commitments: 50,
    });
    expect(health.ledger.score).toBe(62.2);
    expect(health.ledger.confidence).toBe("high");
    expect(health.ledger.facts).toMatchObject({
      daysSinceTwoWay: 10,
      periodsCovered: 3,
      periods: 12,
      keyContacts: 2,
      keyContactsEngaged: 1,
      kept: 1,
      broken: 1,
      interactions: 8,
    });
    expect(health.ledger.facts.balance).toBeCloseTo(1.75, 10);
    expect(health.lastTwoWay).toEqual({ kind: "meeting", occurredAt: ex.meeting.occurredAt });
    expect(health.keyContacts.map((c) => [c.name, c.engaged])).toEqual([
      ["Chris", false],
      ["Dana", true],
    ]);
    expect(health.flags).toEqual([]);

    expect(health.trend.change).toBe(-50);
    expect(health.trend.confidence).toBe("low");
    expect(health.trend.contacts).toEqual([
      expect.objectContaining({
        contactId: ex.contacts.dana.id,
        contactName: "Dana",
        previousResponseId: ex.responses.r1.id,
        currentResponseId: ex.responses.r2.id,
        previousHealth: 75,
        currentHealth: 37.5,
        change: -50,
      }),
    ]);

    // the sources: Dana's latest (r2), Chris, Uma — Ian's r0 is before the window; newest first
    expect(
      health.sources.trust.customer.map((s) => [s.contactName, s.value, s.weight, s.responseIds]),
    ).toEqual([
      ["Uma", 100, 1, [ex.responses.r4.id]],
      ["Chris", 50, 2, [ex.responses.r3.id]],
      ["Dana", 25, 3, [ex.responses.r2.id]],
    ]);
    // each author's latest: Ben's March prediction is superseded by his May one
    expect(health.sources.trust.team.map((s) => [s.predictionId, s.value])).toEqual([
      [ex.predictions.benLate.id, 80],
      [ex.predictions.ana.id, 80],
    ]);

    // the customer's words, trimmed; a blank follow-up is no comment
    expect(health.verbatims).toEqual([
      expect.objectContaining({
        responseId: ex.responses.r2.id,
        contactId: ex.contacts.dana.id,
        contactName: "Dana",
        question: "one_change",
        questionTitle: "If you could change one thing about working with us, what would it be?",
        text: "Tell us about outages before our customers do.",
        surveyTitle: "How is our relationship, really?",
      }),
    ]);
    expect(health.verbatimCount).toBe(1);
    expect(health.empty).toEqual({ customer: false, team: false, ledger: false });
  });
});
