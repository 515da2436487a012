import { describe, expect, it } from "vitest";
import {
  addDays,
  insertAccount,
  insertAccountMember,
  insertContact,
  insertOpportunity,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { getDb } from "~/lib/db.server";
import { loader as dealLoader } from "~/routes/_app.opportunities.$opportunityId/route";
import { cookieFor, makeRequest, settle } from "../support/requests";

async function view(opportunityId: string, userId: string) {
  const cookie = await cookieFor(userId);
  const response = await settle(() =>
    dealLoader({
      request: makeRequest(`/opportunities/${opportunityId}`, { cookie }),
      params: { opportunityId },
      context: {},
    }),
  );
  expect(response.status).toBe(200);
  return response.json();
}

async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager", name: "Olive Owner" });
  const leader = await insertUser(db, { role: "leader", name: "Lee Leader" });
  const interviewer = await insertUser(db, { role: "manager", name: "Ian Interviewer" });
  const account = await insertAccount(db, { ownerId: owner.id, name: "Globex" });
  await insertAccountMember(db, { accountId: account.id, userId: interviewer.id });
  const bea = await insertContact(db, { accountId: account.id, name: "Bea Buyer" });
  const carl = await insertContact(db, { accountId: account.id, name: "Carl Buyer" });
  const survey = await insertSurveyVersionFromFile(db, "win-loss");
  const sealedAt = new Date("2026-03-04T10:00:00Z");
  const closed = (overrides: Parameters<typeof insertOpportunity>[1] = {}) =>
    insertOpportunity(db, {
      accountId: account.id,
      outcome: "lost",
      closeDate: "2026-03-04",
      closedAt: sealedAt,
      competitor: "Initech",
      sellerPrimaryReason: "price",
      sellerSecondaryReasons: ["competitor_strength"],
      sellerReasonNote: "They were 30% cheaper.",
      sellerReasonsAt: sealedAt,
      ...overrides,
    });
  return { db, owner, leader, interviewer, account, bea, carl, survey, closed };
}

describe("the deal page's seller and buyer, side by side", () => {
  it("sets the buyer's answers beside the seller's sealed reasons once both exist", async () => {
    const w = await world();
    const deal = await w.closed();
    await insertResponse(w.db, {
      opportunityId: deal.id,
      contactId: w.bea.id,
      surveyVersionId: w.survey.id,
      completedAt: new Date("2026-03-10T09:00:00Z"),
      data: {
        decision: "chose_another",
        competitor: "Initech",
        primary_reason: "relationship",
        secondary_reasons: ["product_fit"],
        what_would_change: "  Someone who called us back.  ",
      },
    });
    await insertResponse(w.db, {
      opportunityId: deal.id,
      contactId: w.carl.id,
      surveyVersionId: w.survey.id,
      source: "interview",
      interviewerId: w.interviewer.id,
      completedAt: new Date("2026-03-12T09:00:00Z"),
      data: { decision: "chose_another", primary_reason: "relationship", advice: "Listen more." },
    });
    const page = await view(deal.id, w.owner.id);
    expect(page.buyerWithheld).toBe(false);
    expect(page.winloss.comparison).toMatchObject({
      seller: { primary: "price", secondary: ["competitor_strength"] },
      buyer: { primary: "relationship", secondary: ["product_fit"], respondents: 2, primaryVotes: 2 },
      bothSides: true,
      primaryAgrees: false,
      anyOverlap: false,
      priceGap: true,
    });
    expect(page.winloss.responses).toEqual([
      expect.objectContaining({
        contactName: "Carl Buyer",
        source: "interview",
        interviewerName: "Ian Interviewer",
        reasons: { primary: "relationship", secondary: [] },
        counted: true,
        comments: [
          { question: "advice", title: expect.stringContaining("one piece of advice"), text: "Listen more." },
        ],
      }),
      expect.objectContaining({
        contactName: "Bea Buyer",
        reasons: { primary: "relationship", secondary: ["product_fit"] },
        comments: [
          { question: "competitor", title: "Which provider did you choose?", text: "Initech" },
          {
            question: "what_would_change",
            title: "What would have changed your decision?",
            text: "Someone who called us back.",
          },
        ],
      }),
    ]);
    // the seller's side is still exactly what was sealed
    expect(page.opportunity).toMatchObject({
      sellerPrimaryReason: "price",
      sellerReasonNote: "They were 30% cheaper.",
      sellerReasonsAt: "2026-03-04T10:00:00.000Z",
    });
  });

  it("says the buyer has not answered when only the seller's side exists", async () => {
    const w = await world();
    const deal = await w.closed();
    // an unfinished survey is not an answer
    await insertResponse(w.db, {
      opportunityId: deal.id,
      contactId: w.bea.id,
      surveyVersionId: w.survey.id,
      isComplete: false,
      data: { primary_reason: "price" },
    });
    const page = await view(deal.id, w.owner.id);
    expect(page.winloss.comparison).toMatchObject({ buyer: null, bothSides: false, primaryAgrees: null });
    expect(page.winloss.responses).toEqual([]);
    expect(page.buyerResponses).toHaveLength(1);
  });

  it("shows a leader the comparison read-only", async () => {
    const w = await world();
    const deal = await w.closed({
      outcome: "won",
      sellerPrimaryReason: "relationship",
      sellerSecondaryReasons: [],
    });
    await insertResponse(w.db, {
      opportunityId: deal.id,
      contactId: w.bea.id,
      surveyVersionId: w.survey.id,
      data: { decision: "chose_us", primary_reason: "relationship" },
    });
    const page = await view(deal.id, w.leader.id);
    expect(page.canEdit).toBe(false);
    expect(page.team).toEqual([]);
    expect(page.winloss.comparison).toMatchObject({ primaryAgrees: true, priceGap: false });
  });

  it("withholds the buyer's answers until the seller's reasons are sealed", async () => {
    const w = await world();
    const deal = await w.closed({
      sellerPrimaryReason: null,
      sellerSecondaryReasons: null,
      sellerReasonNote: null,
      sellerReasonsAt: null,
    });
    await insertResponse(w.db, {
      opportunityId: deal.id,
      contactId: w.bea.id,
      surveyVersionId: w.survey.id,
      completedAt: addDays(new Date(), -1),
      data: { decision: "chose_another", primary_reason: "price", what_would_change: "Cheaper." },
    });
    for (const userId of [w.owner.id, w.leader.id]) {
      const page = await view(deal.id, userId);
      expect(page.buyerWithheld).toBe(true);
      // the owner is sent to record the reasons; a leader only reads
      expect(page.canRecordReasons).toBe(userId === w.owner.id);
      expect(page.winloss).toBeNull();
      // who answered and when still shows; what they said does not
      expect(page.buyerResponses).toHaveLength(1);
      expect(JSON.stringify(page)).not.toContain("Cheaper.");
    }
  });
});
