import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  insertAccount,
  insertContact,
  insertInvitation,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { accountMembers, campaigns, predictions, predictionValues } from "../../db/schema";
import {
  getPrediction,
  listAccountPredictionsVisibleTo,
  updatePrediction,
} from "~/domain/predictions.server";
import { getDb } from "~/lib/db.server";
import {
  action as predictAction,
  loader as predictLoader,
} from "~/routes/_app.accounts.$accountId_.predict/route";
import {
  action as predictionAction,
  loader as predictionLoader,
} from "~/routes/_app.predictions.$predictionId";
import { cookieFor, makeRequest, settle } from "../support/requests";
import { MIRROR_RATINGS } from "../support/answers";

/** Every required question of surveys/mirror.json answered. */
const mirrorAnswers = {
  ...MIRROR_RATINGS,
  confidence_basis: "Weekly calls with their COO; the renewal is already in their budget.",
};

/** What the answers above come to, by hand: 1–5 → 0/25/50/75/100, 0–10 → ×10. */
const expectedValues = [
  { dimension: "trust", value: 75 },
  { dimension: "responsiveness", value: 50 },
  { dimension: "understanding", value: 100 },
  { dimension: "value", value: 25 },
  { dimension: "communication", value: 0 },
  { dimension: "relationship", value: 75 },
  { dimension: "advocacy", value: 80 },
  { dimension: "renewal", value: 100 },
];

async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager", name: "Olivia Owner" });
  const teammate = await insertUser(db, { role: "manager", name: "Tom Teammate" });
  const outsider = await insertUser(db, { role: "manager" });
  const leader = await insertUser(db, { role: "leader" });
  const admin = await insertUser(db, { role: "admin" });
  const account = await insertAccount(db, { ownerId: owner.id, name: "Acme Logistics" });
  await db.insert(accountMembers).values({ accountId: account.id, userId: teammate.id });
  const user = await insertContact(db, { accountId: account.id, name: "Uma User", buyingRole: "user" });
  const champion = await insertContact(db, {
    accountId: account.id,
    name: "Chris Champion",
    buyingRole: "champion",
  });
  const decider = await insertContact(db, {
    accountId: account.id,
    name: "Dana Whitfield",
    buyingRole: "decision_maker",
  });
  const mirror = await insertSurveyVersionFromFile(db, "mirror");
  const relationship = await insertSurveyVersionFromFile(db, "relationship-health");
  return { owner, teammate, outsider, leader, admin, account, user, champion, decider, mirror, relationship };
}
type World = Awaited<ReturnType<typeof world>>;

/** A JSON post as the page's fetch sends it. */
async function jsonRequest(path: string, body: unknown, userId: string): Promise<Request> {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Cookie: await cookieFor(userId),
      "x-rapport-client-ip": "203.0.113.7",
    },
    body: JSON.stringify(body),
  });
}

async function predict(w: World, userId: string, body: Record<string, unknown> = {}) {
  const request = await jsonRequest(
    `/accounts/${w.account.id}/predict`,
    { surveyVersionId: w.mirror.id, contactId: null, campaignId: null, data: mirrorAnswers, ...body },
    userId,
  );
  return settle(() => predictAction({ request, params: { accountId: w.account.id }, context: {} }));
}

/** Seals a prediction through the route and returns the stored row. */
async function sealed(w: World, userId: string, body: Record<string, unknown> = {}) {
  const response = await predict(w, userId, body);
  expect(response.status).toBe(302);
  const [row] = await getDb().select().from(predictions).orderBy(asc(predictions.createdAt));
  return row!;
}

async function edit(predictionId: string, userId: string, data: unknown) {
  const request = await jsonRequest(`/predictions/${predictionId}`, { data }, userId);
  return settle(() => predictionAction({ request, params: { predictionId }, context: {} }));
}

async function view(predictionId: string, userId: string, search = "") {
  const request = makeRequest(`/predictions/${predictionId}${search}`, { cookie: await cookieFor(userId) });
  return settle(() => predictionLoader({ request, params: { predictionId }, context: {} }));
}

async function storedValues(predictionId: string) {
  return getDb()
    .select({ dimension: predictionValues.dimension, value: predictionValues.value })
    .from(predictionValues)
    .where(eq(predictionValues.predictionId, predictionId))
    .orderBy(asc(predictionValues.dimension));
}

/** Enum order in the schema: the order expectedValues is written in. */
const byDimensionOrder = (rows: { dimension: string; value: number }[]) =>
  [...rows].sort(
    (a, b) =>
      expectedValues.findIndex((e) => e.dimension === a.dimension) -
      expectedValues.findIndex((e) => e.dimension === b.dimension),
  );

/** A completed relationship-health answer from the account, `minutes` after `after`. */
async function customerAnswers(
  w: World,
  after: Date,
  minutes: number,
  options: { contactId?: string; campaignId?: string; trust?: number } = {},
) {
  const contactId = options.contactId ?? w.decider.id;
  const invitation = options.campaignId
    ? await insertInvitation(getDb(), {
        contactId,
        campaignId: options.campaignId,
        surveyVersionId: w.relationship.id,
        status: "completed",
      })
    : null;
  return insertResponse(getDb(), {
    contactId,
    invitationId: invitation?.id,
    surveyVersionId: w.relationship.id,
    completedAt: new Date(after.getTime() + minutes * 60_000),
    answers: [
      { question: "trust", dimension: "trust", value: options.trust ?? 50 },
      { question: "advocacy", dimension: "advocacy", value: 90 },
    ],
  });
}

async function insertCampaign(w: World, name: string, status: "scheduled" | "completed" = "scheduled") {
  const [campaign] = await getDb()
    .insert(campaigns)
    .values({ name, surveyVersionId: w.relationship.id, status })
    .returning();
  return campaign!;
}

describe("sealing a prediction", () => {
  it("stores the author's mirror answers with one value per dimension and sends the browser to the account", async () => {
    const w = await world();
    const response = await predict(w, w.owner.id, { contactId: w.decider.id });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/accounts/${w.account.id}?predicted=1`);

    const stored = await getDb().select().from(predictions);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      accountId: w.account.id,
      authorId: w.owner.id,
      contactId: w.decider.id,
      campaignId: null,
      surveyVersionId: w.mirror.id,
      data: mirrorAnswers,
    });
    expect(stored[0]!.updatedAt).toEqual(stored[0]!.createdAt);
    expect(byDimensionOrder(await storedValues(stored[0]!.id))).toEqual(expectedValues);
  });

  it("lets a team member and an admin predict too", async () => {
    const w = await world();
    expect((await predict(w, w.teammate.id)).status).toBe(302);
    expect((await predict(w, w.admin.id)).status).toBe(302);
    const authors = (await getDb().select().from(predictions)).map((p) => p.authorId).sort();
    expect(authors).toEqual([w.teammate.id, w.admin.id].sort());
  });

  it("rejects missing and out-of-range answers with 422 per question and stores nothing", async () => {
    const w = await world();
    const { trust: _trust, ...withoutTrust } = mirrorAnswers;
    const response = await predict(w, w.owner.id, { data: { ...withoutTrust, advocacy: 11 } });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: string; errors: Record<string, string[]> };
    expect(body.error).toMatch(/another look/);
    expect(body.errors.advocacy).toEqual(["must be one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10."]);
    // type errors are reported before completeness, so the missing answer waits its turn
    const missing = await predict(w, w.owner.id, { data: withoutTrust });
    expect(missing.status).toBe(422);
    expect(Object.keys(((await missing.json()) as { errors: object }).errors)).toEqual(["trust"]);
    expect(await getDb().select().from(predictions)).toHaveLength(0);
    expect(await getDb().select().from(predictionValues)).toHaveLength(0);
  });

  it("refuses a leader and a manager off the team with 403, on the page and the submit", async () => {
    const w = await world();
    for (const userId of [w.leader.id, w.outsider.id]) {
      expect((await predict(w, userId)).status).toBe(403);
      const request = makeRequest(`/accounts/${w.account.id}/predict`, { cookie: await cookieFor(userId) });
      const page = await settle(() =>
        predictLoader({ request, params: { accountId: w.account.id }, context: {} }),
      );
      expect(page.status).toBe(403);
    }
    expect(await getDb().select().from(predictions)).toHaveLength(0);
  });

  it("refuses with 400, naming the field, a survey that is not the mirror, another account's contact and a finished campaign", async () => {
    const w = await world();
    const elsewhere = await insertContact(getDb());
    const finished = await insertCampaign(w, "Spring pulse", "completed");
    const cases: [Record<string, unknown>, string][] = [
      [{ surveyVersionId: w.relationship.id }, "surveyVersionId"],
      [{ surveyVersionId: "not-an-id" }, "surveyVersionId"],
      [{ surveyVersionId: 42 }, "surveyVersionId"],
      [{ contactId: elsewhere.id }, "contactId"],
      [{ contactId: "nope" }, "contactId"],
      [{ campaignId: finished.id }, "campaignId"],
    ];
    for (const [body, field] of cases) {
      const response = await predict(w, w.owner.id, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { error: string; field: string };
      expect(answer.field).toBe(field);
      expect(answer.error).toContain(field);
    }
    expect(await getDb().select().from(predictions)).toHaveLength(0);
  });

  it("refuses to predict a campaign the customer has already answered", async () => {
    const w = await world();
    const campaign = await insertCampaign(w, "Autumn pulse");
    await customerAnswers(w, new Date(), -60, { campaignId: campaign.id });
    const response = await predict(w, w.owner.id, { campaignId: campaign.id });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/already answered “Autumn pulse”/);
    expect(await getDb().select().from(predictions)).toHaveLength(0);
  });

  it("offers decision-makers and champions first, only campaigns still to come, and the mirror survey", async () => {
    const w = await world();
    const planned = await insertCampaign(w, "Autumn pulse");
    await insertCampaign(w, "Spring pulse", "completed");
    const request = makeRequest(
      `/accounts/${w.account.id}/predict?chosen=1&contact=${w.champion.id}&campaign=${planned.id}`,
      { cookie: await cookieFor(w.teammate.id) },
    );
    const page = await settle(() =>
      predictLoader({ request, params: { accountId: w.account.id }, context: {} }),
    );
    expect(page.status).toBe(200);
    const data = await page.json();
    expect(data.choices.contacts.map((c: { name: string }) => c.name)).toEqual([
      "Dana Whitfield",
      "Chris Champion",
      "Uma User",
    ]);
    expect(data.choices.campaigns.map((c: { name: string }) => c.name)).toEqual(["Autumn pulse"]);
    expect(data.survey.versionId).toBe(w.mirror.id);
    expect(data.chosen).toBe(true);
    expect(data.subject.contact.id).toBe(w.champion.id);
    expect(data.subject.campaign.id).toBe(planned.id);
    expect(data.variables).toEqual({ company: "Rapport", contact: "Chris" });

    const stranger = await insertContact(getDb());
    const bad = makeRequest(`/accounts/${w.account.id}/predict?chosen=1&contact=${stranger.id}`, {
      cookie: await cookieFor(w.teammate.id),
    });
    const refused = await settle(() =>
      predictLoader({ request: bad, params: { accountId: w.account.id }, context: {} }),
    );
    expect(refused.status).toBe(400);
  });
});

describe("who sees a sealed prediction", () => {
  it("is its author alone until the customer answers after it, then the team and leaders too", async () => {
    const w = await world();
    // an answer from before the prediction reveals nothing: the prediction is about the next one
    await customerAnswers(w, new Date(), -24 * 60, { trust: 0 });
    const prediction = await sealed(w, w.owner.id);
    const db = getDb();

    expect(await getPrediction(db, prediction.id, w.owner)).not.toBeNull();
    expect(await getPrediction(db, prediction.id, w.teammate)).toBeNull();
    expect(await getPrediction(db, prediction.id, w.leader)).toBeNull();
    expect((await view(prediction.id, w.owner.id)).status).toBe(200);
    expect((await view(prediction.id, w.teammate.id)).status).toBe(404);
    expect((await view(prediction.id, w.leader.id)).status).toBe(404);
    expect(await listAccountPredictionsVisibleTo(db, w.account.id, w.teammate.id)).toEqual([]);
    const own = await listAccountPredictionsVisibleTo(db, w.account.id, w.owner.id);
    expect(own).toHaveLength(1);
    // the author sees the prediction alone: no customer answer beside it yet
    expect(own[0]!.locked).toBe(false);
    expect(own[0]!.dimensions.every((d) => d.customer === null && d.gap === null)).toBe(true);

    await customerAnswers(w, prediction.createdAt, 5, { trust: 50 });

    const seen = await getPrediction(db, prediction.id, w.teammate);
    expect(seen).not.toBeNull();
    expect(seen!.locked).toBe(true);
    expect(seen!.data).toBeNull(); // the raw answers stay the author's
    expect(seen!.dimensions.find((d) => d.dimension === "trust")).toEqual({
      dimension: "trust",
      predicted: 75,
      customer: 50,
      gap: 25,
    });
    expect(seen!.dimensions.find((d) => d.dimension === "advocacy")).toEqual({
      dimension: "advocacy",
      predicted: 80,
      customer: 90,
      gap: -10,
    });
    expect(seen!.dimensions.find((d) => d.dimension === "renewal")).toEqual({
      dimension: "renewal",
      predicted: 100,
      customer: null,
      gap: null,
    });
    expect((await view(prediction.id, w.teammate.id)).status).toBe(200);
    expect((await view(prediction.id, w.leader.id)).status).toBe(200);
    expect(await listAccountPredictionsVisibleTo(db, w.account.id, w.teammate.id)).toHaveLength(1);
    // an account the viewer may not see stays a 404, answered or not
    expect((await view(prediction.id, w.outsider.id)).status).toBe(404);
  });

  it("compares a prediction about a key contact with that contact's answers when they have answered", async () => {
    const w = await world();
    const prediction = await sealed(w, w.owner.id, { contactId: w.champion.id });
    await customerAnswers(w, prediction.createdAt, 5, { contactId: w.decider.id, trust: 25 });
    await customerAnswers(w, prediction.createdAt, 10, { contactId: w.champion.id, trust: 100 });
    await customerAnswers(w, prediction.createdAt, 15, { contactId: w.user.id, trust: 0 });
    const seen = await getPrediction(getDb(), prediction.id, w.teammate);
    expect(seen!.comparedWith).toBe("contact");
    expect(seen!.dimensions.find((d) => d.dimension === "trust")).toMatchObject({ customer: 100, gap: -25 });
  });

  it("answers 404 for an unknown or malformed prediction id", async () => {
    const w = await world();
    for (const id of ["00000000-0000-4000-8000-000000000000", "nope"]) {
      expect((await view(id, w.admin.id)).status).toBe(404);
      expect((await edit(id, w.admin.id, mirrorAnswers)).status).toBe(404);
    }
  });
});

describe("editing a sealed prediction", () => {
  it("lets the author replace the answers and values while the customer has not answered", async () => {
    const w = await world();
    const prediction = await sealed(w, w.owner.id);
    const page = await view(prediction.id, w.owner.id, "?edit=1");
    const shown = await page.json();
    expect(shown.edit.data).toEqual(mirrorAnswers);
    expect(shown.prediction.canEdit).toBe(true);

    const response = await edit(prediction.id, w.owner.id, { ...mirrorAnswers, trust: 2, advocacy: 3 });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/predictions/${prediction.id}?edited=1`);

    const [after] = await getDb().select().from(predictions).where(eq(predictions.id, prediction.id));
    expect(after!.createdAt).toEqual(prediction.createdAt);
    expect(after!.updatedAt.getTime()).toBeGreaterThan(prediction.updatedAt.getTime());
    expect(after!.data).toEqual({ ...mirrorAnswers, trust: 2, advocacy: 3 });
    const values = byDimensionOrder(await storedValues(prediction.id));
    expect(values).toEqual(
      expectedValues.map((v) =>
        v.dimension === "trust" ? { ...v, value: 25 } : v.dimension === "advocacy" ? { ...v, value: 30 } : v,
      ),
    );
  });

  it("refuses an edit with bad answers with 422 and changes nothing", async () => {
    const w = await world();
    const prediction = await sealed(w, w.owner.id);
    const response = await edit(prediction.id, w.owner.id, { ...mirrorAnswers, renewal: 9 });
    expect(response.status).toBe(422);
    expect(byDimensionOrder(await storedValues(prediction.id))).toEqual(expectedValues);
  });

  it("refuses an edit by anyone but the author with 404 while it is sealed: for them it does not exist", async () => {
    const w = await world();
    const prediction = await sealed(w, w.owner.id);
    expect((await edit(prediction.id, w.teammate.id, mirrorAnswers)).status).toBe(404);
    expect((await edit(prediction.id, w.admin.id, mirrorAnswers)).status).toBe(404);
    const outcome = await updatePrediction(getDb(), w.teammate, prediction.id, mirrorAnswers);
    expect(outcome.status).toBe("not_found");
  });

  it("is locked with 409 once the customer has answered, and nothing changes", async () => {
    const w = await world();
    const prediction = await sealed(w, w.owner.id);
    await customerAnswers(w, prediction.createdAt, 1);

    const response = await edit(prediction.id, w.owner.id, { ...mirrorAnswers, trust: 1 });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toBe(
      "Locked: the customer has answered; predictions cannot change after that.",
    );
    const [after] = await getDb().select().from(predictions).where(eq(predictions.id, prediction.id));
    expect(after!.data).toEqual(mirrorAnswers);
    expect(after!.updatedAt).toEqual(prediction.updatedAt);
    expect(byDimensionOrder(await storedValues(prediction.id))).toEqual(expectedValues);

    // a team member who can now see it still cannot change it
    expect((await edit(prediction.id, w.teammate.id, mirrorAnswers)).status).toBe(403);
    // and the author's page offers no edit mode
    const page = await (await view(prediction.id, w.owner.id, "?edit=1")).json();
    expect(page.edit).toBeNull();
    expect(page.prediction.canEdit).toBe(false);
    expect(page.editRefused).toMatch(/^Locked/);
  });

  it("waits for the campaign it predicts: another campaign's answer neither locks nor reveals it", async () => {
    const w = await world();
    const predicted = await insertCampaign(w, "Autumn pulse");
    const other = await insertCampaign(w, "Renewal check");
    const prediction = await sealed(w, w.owner.id, { campaignId: predicted.id });
    expect(prediction.campaignId).toBe(predicted.id);

    await customerAnswers(w, prediction.createdAt, 5, { campaignId: other.id });
    await customerAnswers(w, prediction.createdAt, 6); // a hand-made link, no campaign
    expect(await getPrediction(getDb(), prediction.id, w.teammate)).toBeNull();
    expect((await edit(prediction.id, w.owner.id, { ...mirrorAnswers, trust: 5 })).status).toBe(302);

    await customerAnswers(w, prediction.createdAt, 10, { campaignId: predicted.id, trust: 75 });
    expect((await edit(prediction.id, w.owner.id, { ...mirrorAnswers, trust: 1 })).status).toBe(409);
    const seen = await getPrediction(getDb(), prediction.id, w.teammate);
    // compared only with the campaign's answer (75), not the other campaign's or the link's (50)
    expect(seen!.dimensions.find((d) => d.dimension === "trust")).toMatchObject({
      predicted: 100,
      customer: 75,
      gap: 25,
    });
    expect(seen!.campaign).toEqual({ id: predicted.id, name: "Autumn pulse" });
    expect(seen!.customerAnsweredAt).toEqual(new Date(prediction.createdAt.getTime() + 10 * 60_000));
  });
});
