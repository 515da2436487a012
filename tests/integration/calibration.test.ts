import { describe, expect, it } from "vitest";
import {
  addDays,
  insertAccount,
  insertContact,
  insertPrediction,
  insertResponse,
  insertUser,
} from "../../db/factories";
import { getCalibration } from "~/domain/calibration.server";
import { getDb } from "~/lib/db.server";
import { loader } from "~/routes/_app.calibration";
import { EXAMPLE_NOW, insertNorthwindExample } from "../support/health-example";
import { cookieFor, makeRequest, settle } from "../support/requests";

async function loadPage(userId: string, search = "") {
  const cookie = await cookieFor(userId);
  return settle(() =>
    loader({ request: makeRequest(`/calibration${search}`, { cookie }), params: {}, context: {} }),
  );
}

/**
 * Maya predicted on her account 30 days ago; Dana (decision-maker, ×3) and Uma (user, ×1)
 * answered 20 days ago:
 *   trust: actual (3×50 + 1×20) / 4 = 42.5, predicted 80 → error +37.5
 *   value: actual 75 (only Dana),      predicted 50 → error −25
 *   Maya: 2 pairs, MAE (37.5 + 25) / 2 = 31.25 → 31.3, bias (37.5 − 25) / 2 = 6.25 → 6.3
 * Sam predicted trust 60 forty days ago on his; Chris (champion) said 75 ten days ago:
 *   Sam: 1 pair, MAE 15, bias −15. His prediction of 5 days ago has no answer after it.
 */
async function twoReps() {
  const db = getDb();
  const ago = (days: number) => addDays(new Date(), -days);
  const maya = await insertUser(db, { name: "Maya Chen" });
  const sam = await insertUser(db, { name: "Sam Okafor" });
  const leader = await insertUser(db, { role: "leader", name: "Lee Leader" });
  const mine = await insertAccount(db, { ownerId: maya.id, name: "Maya's account" });
  const his = await insertAccount(db, { ownerId: sam.id, name: "Sam's account" });
  const dana = await insertContact(db, { accountId: mine.id, buyingRole: "decision_maker" });
  const uma = await insertContact(db, { accountId: mine.id, buyingRole: "user" });
  const chris = await insertContact(db, { accountId: his.id, buyingRole: "champion" });

  const mayaPrediction = await insertPrediction(db, {
    accountId: mine.id,
    authorId: maya.id,
    createdAt: ago(30),
    values: { trust: 80, value: 50 },
  });
  await insertResponse(db, {
    contactId: dana.id,
    completedAt: ago(20),
    answers: [
      { question: "trust", dimension: "trust", value: 50 },
      { question: "value", dimension: "value", value: 75 },
    ],
  });
  await insertResponse(db, {
    contactId: uma.id,
    completedAt: ago(20),
    answers: [{ question: "trust", dimension: "trust", value: 20 }],
  });
  const samPrediction = await insertPrediction(db, {
    accountId: his.id,
    authorId: sam.id,
    createdAt: ago(40),
    values: { trust: 60 },
  });
  await insertResponse(db, {
    contactId: chris.id,
    completedAt: ago(10),
    answers: [{ question: "trust", dimension: "trust", value: 75 }],
  });
  await insertPrediction(db, {
    accountId: his.id,
    authorId: sam.id,
    createdAt: ago(5),
    values: { trust: 90 },
  });
  return { maya, sam, leader, mine, his, mayaPrediction, samPrediction };
}

describe("the calibration page", () => {
  it("ranks every team member for a leader, best calibrated first", async () => {
    const { maya, sam, leader } = await twoReps();
    const page = await loadPage(leader.id);
    expect(page.status).toBe(200);
    const { calibration } = await page.json();
    expect(calibration.scope).toBe("everyone");
    expect(calibration.ranking).toEqual([
      expect.objectContaining({
        rank: 1,
        authorId: sam.id,
        name: "Sam Okafor",
        pairs: 1,
        meanAbsoluteError: 15,
        meanBias: -15,
      }),
      expect.objectContaining({
        rank: 2,
        authorId: maya.id,
        name: "Maya Chen",
        pairs: 2,
        meanAbsoluteError: 31.3,
        meanBias: 6.3,
      }),
    ]);
    // no one chosen: no breakdown
    expect(calibration.focus).toBeNull();
  });

  it("shows a manager only their own line and their own breakdown by dimension", async () => {
    const { maya, mine, mayaPrediction } = await twoReps();
    const { calibration } = await (await loadPage(maya.id)).json();
    expect(calibration.scope).toBe("self");
    expect(calibration.ranking).toEqual([
      expect.objectContaining({ authorId: maya.id, pairs: 2, meanAbsoluteError: 31.3, meanBias: 6.3 }),
    ]);
    expect(calibration.focus).toMatchObject({
      authorId: maya.id,
      pairCount: 2,
      byDimension: [
        { dimension: "trust", pairs: 1, meanAbsoluteError: 37.5, meanBias: 37.5 },
        { dimension: "value", pairs: 1, meanAbsoluteError: 25, meanBias: -25 },
      ],
    });
    expect(calibration.focus.pairs).toEqual([
      expect.objectContaining({
        predictionId: mayaPrediction.id,
        accountId: mine.id,
        accountName: "Maya's account",
        dimension: "trust",
        predicted: 80,
        actual: 42.5,
        error: 37.5,
        responses: 2,
      }),
      expect.objectContaining({
        predictionId: mayaPrediction.id,
        dimension: "value",
        predicted: 50,
        actual: 75,
        error: -25,
      }),
    ]);
  });

  it("refuses a manager a colleague's breakdown, and gives a leader anyone's", async () => {
    const { maya, sam, leader, samPrediction } = await twoReps();
    expect((await loadPage(maya.id, `?rep=${sam.id}`)).status).toBe(403);
    // their own id, or a malformed one, is fine
    expect((await loadPage(maya.id, `?rep=${maya.id}`)).status).toBe(200);
    expect((await loadPage(maya.id, "?rep=not-an-id")).status).toBe(200);

    const { calibration } = await (await loadPage(leader.id, `?rep=${sam.id}`)).json();
    expect(calibration.focus).toMatchObject({
      authorId: sam.id,
      name: "Sam Okafor",
      overall: { pairs: 1, meanAbsoluteError: 15, meanBias: -15 },
      byDimension: [{ dimension: "trust", pairs: 1, meanAbsoluteError: 15, meanBias: -15 }],
      pairs: [
        expect.objectContaining({ predictionId: samPrediction.id, predicted: 60, actual: 75, error: -15 }),
      ],
    });
  });

  it("is empty for someone without pairs", async () => {
    const db = getDb();
    const newcomer = await insertUser(db);
    const account = await insertAccount(db, { ownerId: newcomer.id });
    // a prediction nobody has answered yet is no pair
    await insertPrediction(db, { accountId: account.id, authorId: newcomer.id, values: { trust: 70 } });
    const { calibration } = await (await loadPage(newcomer.id)).json();
    expect(calibration.ranking).toEqual([]);
    expect(calibration.focus).toMatchObject({
      authorId: newcomer.id,
      pairCount: 0,
      byDimension: [],
      pairs: [],
    });
  });

  it("ignores answers more than 180 days after a prediction", async () => {
    const db = getDb();
    const rep = await insertUser(db);
    const account = await insertAccount(db, { ownerId: rep.id });
    const contact = await insertContact(db, { accountId: account.id });
    await insertPrediction(db, {
      accountId: account.id,
      authorId: rep.id,
      createdAt: addDays(new Date(), -200),
      values: { trust: 70 },
    });
    await insertResponse(db, {
      contactId: contact.id,
      completedAt: addDays(new Date(), -19),
      answers: [{ question: "trust", dimension: "trust", value: 10 }],
    });
    expect((await getCalibration(db, rep, new Date())).ranking).toEqual([]);
  });
});

describe("getCalibration on the worked example of docs/health-model.md", () => {
  it("pairs Ana's and Ben's predictions as the document does by hand", async () => {
    const db = getDb();
    const ex = await insertNorthwindExample(db);
    const leader = await insertUser(db, { role: "leader" });
    const calibration = await getCalibration(db, leader, EXAMPLE_NOW, { authorId: ex.ben.id });
    expect(calibration.ranking.map((r) => [r.name, r.pairs, r.meanAbsoluteError, r.meanBias])).toEqual([
      ["Ana Example", 2, 18.8, 18.8],
      ["Ben Example", 2, 28.8, 28.8],
    ]);
    // Ben's March prediction is dropped: he predicted again before the customers answered
    expect(calibration.focus!.pairs.map((p) => [p.predictionId, p.dimension, p.predicted, p.actual])).toEqual(
      [
        [ex.predictions.benLate.id, "trust", 80, 45.8],
        [ex.predictions.benLate.id, "communication", 90, 66.7],
      ],
    );
  });
});
