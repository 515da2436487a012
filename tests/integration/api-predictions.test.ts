import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  addDays,
  insertAccount,
  insertCampaign,
  insertContact,
  insertPrediction,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { accountMembers, predictions, predictionValues } from "../../db/schema";
import { listAccountPredictionsVisibleTo } from "~/domain/predictions.server";
import { predictionSchema } from "~/lib/api/predictions.server";
import { getDb } from "~/lib/db.server";
import { callApi, makeApiKey } from "../support/api";
import { MIRROR_RATINGS } from "../support/answers";

const MISSING = "00000000-0000-4000-8000-000000000000";

/** Every dimension the mirror survey (surveys/mirror.json) asks, on its own scale. */
const dimensions = MIRROR_RATINGS;
/** What those come to, by hand: 1–5 → 0/25/50/75/100, 0–10 → ×10. */
const derived = {
  trust: 75,
  responsiveness: 50,
  understanding: 100,
  value: 25,
  communication: 0,
  relationship: 75,
  advocacy: 80,
  renewal: 100,
};

const errorsOf = async (response: Response) =>
  (await response.json()).errors as { field: string; message: string }[];
const idsOf = (page: { data: { id: string }[] }) => page.data.map((p) => p.id);

async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager", email: "olivia@example.test" });
  const teammate = await insertUser(db, { role: "manager", email: "tom@example.test" });
  const outsider = await insertUser(db, { role: "manager", email: "otto@example.test" });
  const leader = await insertUser(db, { role: "leader", email: "lea@example.test" });
  const account = await insertAccount(db, { ownerId: owner.id });
  await db.insert(accountMembers).values({ accountId: account.id, userId: teammate.id });
  const dana = await insertContact(db, { accountId: account.id, buyingRole: "decision_maker" });
  const mirror = await insertSurveyVersionFromFile(db, "mirror");
  const { key } = await makeApiKey("write", owner.id);
  const { key: readKey } = await makeApiKey("read", owner.id);
  return { owner, teammate, outsider, leader, account, dana, mirror, key, readKey };
}
type World = Awaited<ReturnType<typeof world>>;

const create = (w: World, body: Record<string, unknown>, key = w.key) =>
  callApi(`/accounts/${w.account.id}/predictions`, { key, body });

describe("POST /api/v1/accounts/{id}/predictions", () => {
  it("seals a prediction that the account page shows like one made there", async () => {
    const w = await world();
    const response = await create(w, {
      contact_id: w.dana.id,
      dimensions,
      confidence_basis: "Weekly calls with their COO.",
    });
    expect(response.status).toBe(201);
    const { data } = await response.json();
    expect(predictionSchema.parse(data)).toEqual(data);
    expect(response.headers.get("Location")).toBe(`/api/v1/predictions/${data.id}`);
    expect(data).toMatchObject({
      account_id: w.account.id,
      author_email: "olivia@example.test",
      contact_id: w.dana.id,
      campaign_id: null,
      locked: false,
      dimensions: derived,
      customer: null,
    });

    // stored as the predict page stores it: the mirror's raw answers, its version, the author
    const [row] = await getDb().select().from(predictions).where(eq(predictions.id, data.id));
    expect(row).toMatchObject({ authorId: w.owner.id, surveyVersionId: w.mirror.id, contactId: w.dana.id });
    expect(row!.data).toEqual({ ...dimensions, confidence_basis: "Weekly calls with their COO." });

    const [shown] = await listAccountPredictionsVisibleTo(getDb(), w.account.id, w.owner.id);
    expect(shown!.id).toBe(data.id);
    expect(shown!.author.id).toBe(w.owner.id);
    expect(Object.fromEntries(shown!.dimensions.map((d) => [d.dimension, d.predicted]))).toEqual(derived);
    // sealed: the teammate's account page does not show it
    expect(await listAccountPredictionsVisibleTo(getDb(), w.account.id, w.teammate.id)).toEqual([]);
  });

  it("takes author_email: a user who may edit the account, as on the page", async () => {
    const w = await world();
    const response = await create(w, { author_email: "TOM@example.test", dimensions });
    expect(response.status).toBe(201);
    const { data } = await response.json();
    expect(data.author_email).toBe("tom@example.test");
    const [row] = await getDb().select().from(predictions).where(eq(predictions.id, data.id));
    expect(row!.authorId).toBe(w.teammate.id);

    for (const email of ["otto@example.test", "lea@example.test", "nobody@example.test"]) {
      const refused = await create(w, { author_email: email, dimensions });
      expect(refused.status, email).toBe(400);
      expect((await errorsOf(refused)).map((e) => e.field)).toEqual(["author_email"]);
    }
    expect(await getDb().select().from(predictions)).toHaveLength(1);
  });

  it("without author_email needs a key whose creator may edit the account", async () => {
    const w = await world();
    const { key: noCreator } = await makeApiKey("write", null);
    const { key: outsiderKey } = await makeApiKey("write", w.outsider.id);
    for (const key of [noCreator, outsiderKey]) {
      const refused = await create(w, { dimensions }, key);
      expect(refused.status).toBe(400);
      expect((await refused.json()).type).toBe("https://rapport.dev/problems/validation");
    }
    const named = await create(w, { dimensions, author_email: "olivia@example.test" }, noCreator);
    expect(named.status).toBe(201);
  });

  it("answers the mirror's validation under dimensions.<name>, and strict-body errors", async () => {
    const w = await world();
    const unknownDimension = await create(w, { dimensions: { ...dimensions, happiness: 3 } });
    expect(unknownDimension.status).toBe(400);
    expect((await errorsOf(unknownDimension)).map((e) => e.field)).toEqual(["dimensions.happiness"]);

    const offScale = await create(w, { dimensions: { ...dimensions, trust: 6, advocacy: 11 } });
    expect(offScale.status).toBe(400);
    const offScaleErrors = await errorsOf(offScale);
    expect(offScaleErrors.map((e) => e.field).sort()).toEqual(["dimensions.advocacy", "dimensions.trust"]);
    expect(offScaleErrors.find((e) => e.field === "dimensions.trust")!.message).toContain("1, 2, 3, 4, 5");

    const { renewal: _renewal, ...withoutRenewal } = dimensions;
    const missing = await create(w, { dimensions: withoutRenewal });
    expect(missing.status).toBe(400);
    expect((await errorsOf(missing)).map((e) => e.field)).toEqual(["dimensions.renewal"]);

    const unknownField = await create(w, { dimensions, mood: "sunny" });
    expect(unknownField.status).toBe(400);
    expect(await errorsOf(unknownField)).toEqual([{ field: "mood", message: "Unknown field: mood." }]);

    const notNumber = await create(w, { dimensions: { ...dimensions, trust: "4" } });
    expect(notNumber.status).toBe(400);
    expect((await errorsOf(notNumber)).map((e) => e.field)).toEqual(["dimensions.trust"]);

    expect(await getDb().select().from(predictions)).toHaveLength(0);
  });

  it("refuses a contact of another account and a finished campaign, by field", async () => {
    const w = await world();
    const stranger = await insertContact(getDb());
    const wrongContact = await create(w, { dimensions, contact_id: stranger.id });
    expect(wrongContact.status).toBe(400);
    expect((await errorsOf(wrongContact)).map((e) => e.field)).toEqual(["contact_id"]);

    const finished = await insertCampaign(getDb(), { status: "completed" });
    const wrongCampaign = await create(w, { dimensions, campaign_id: finished.id });
    expect(wrongCampaign.status).toBe(400);
    expect((await errorsOf(wrongCampaign)).map((e) => e.field)).toEqual(["campaign_id"]);

    const upcoming = await insertCampaign(getDb(), { status: "scheduled" });
    const fine = await create(w, { dimensions, campaign_id: upcoming.id });
    expect(fine.status).toBe(201);
    expect((await fine.json()).data.campaign_id).toBe(upcoming.id);
  });

  it("is 403 for a read key and 404 for an unknown account", async () => {
    const w = await world();
    const forbidden = await create(w, { dimensions }, w.readKey);
    expect(forbidden.status).toBe(403);
    const missing = await callApi(`/accounts/${MISSING}/predictions`, { key: w.key, body: { dimensions } });
    expect(missing.status).toBe(404);
    expect((await callApi(`/accounts/${MISSING}/predictions`, { key: w.readKey })).status).toBe(404);
    expect(await getDb().select().from(predictions)).toHaveLength(0);
  });
});

describe("GET /api/v1/predictions", () => {
  it("never shows another's sealed prediction, and shows it locked once the customer answers", async () => {
    const w = await world();
    const db = getDb();
    const own = await insertPrediction(db, { accountId: w.account.id, authorId: w.owner.id });
    const theirs = await insertPrediction(db, {
      accountId: w.account.id,
      authorId: w.teammate.id,
      values: { trust: 75, advocacy: 80 },
    });
    // an answer from before the predictions locks neither
    await insertResponse(db, { contactId: w.dana.id, completedAt: addDays(new Date(), -3) });

    const flat = await (await callApi("/predictions", { key: w.readKey })).json();
    expect(idsOf(flat)).toEqual([own.id]);
    expect(flat.data[0]).toMatchObject({ locked: false, customer: null });
    const byAccount = await (
      await callApi(`/accounts/${w.account.id}/predictions`, { key: w.readKey })
    ).json();
    expect(idsOf(byAccount)).toEqual([own.id]);
    const hidden = await callApi(`/predictions/${theirs.id}`, { key: w.readKey });
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get("Content-Type")).toContain("application/problem+json");
    expect((await callApi(`/predictions/${own.id}`, { key: w.readKey })).status).toBe(200);
    // a key without a creator sees no sealed prediction at all
    const { key: anonymous } = await makeApiKey("read", null);
    expect(idsOf(await (await callApi("/predictions", { key: anonymous })).json())).toEqual([]);
    expect((await callApi(`/predictions/${own.id}`, { key: anonymous })).status).toBe(404);

    const answeredAt = new Date(Date.now() + 1000);
    await insertResponse(db, {
      contactId: w.dana.id,
      completedAt: answeredAt,
      answers: [
        { question: "trust", dimension: "trust", value: 50 },
        { question: "advocacy", dimension: "advocacy", value: 90 },
      ],
    });

    const after = await (await callApi("/predictions", { key: anonymous })).json();
    expect(idsOf(after).sort()).toEqual([own.id, theirs.id].sort());
    const got = await callApi(`/predictions/${theirs.id}`, { key: anonymous });
    expect(got.status).toBe(200);
    const { data } = await got.json();
    expect(predictionSchema.parse(data)).toEqual(data);
    expect(data).toMatchObject({
      id: theirs.id,
      author_email: "tom@example.test",
      locked: true,
      dimensions: { trust: 75, advocacy: 80 },
      customer: {
        answered_at: answeredAt.toISOString(),
        compared_with: "account",
        dimensions: { trust: { value: 50, gap: 25 }, advocacy: { value: 90, gap: -10 } },
      },
    });
  });

  it("pages by cursor past hidden predictions, filters by account and updated_since", async () => {
    const w = await world();
    const db = getDb();
    const other = await insertAccount(db, { ownerId: w.owner.id });
    const base = addDays(new Date(), -10);
    const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);
    const mine = [];
    for (let i = 0; i < 5; i += 1) {
      // another's sealed prediction between each of mine: skipped without shortening a page
      await insertPrediction(db, {
        accountId: w.account.id,
        authorId: w.teammate.id,
        createdAt: at(i * 2),
        updatedAt: at(i * 2),
      });
      mine.push(
        await insertPrediction(db, {
          accountId: i === 4 ? other.id : w.account.id,
          authorId: w.owner.id,
          createdAt: at(i * 2 + 1),
          updatedAt: at(i * 2 + 1),
        }),
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const response = await callApi(`/predictions${query}`, { key: w.readKey });
      expect(response.status).toBe(200);
      const page = await response.json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      if (page.next_cursor) expect(page.data).toHaveLength(2);
      seen.push(...idsOf(page));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(mine.map((p) => p.id));
    expect(pages).toBe(3);

    const ofAccount = await (await callApi(`/predictions?account_id=${other.id}`, { key: w.readKey })).json();
    expect(idsOf(ofAccount)).toEqual([mine[4]!.id]);
    const nested = await (
      await callApi(`/accounts/${w.account.id}/predictions?limit=3`, { key: w.readKey })
    ).json();
    expect(idsOf(nested)).toEqual(mine.slice(0, 3).map((p) => p.id));
    expect(nested.next_cursor).not.toBeNull();
    const since = await (
      await callApi(`/predictions?updated_since=${encodeURIComponent(at(5).toISOString())}`, {
        key: w.readKey,
      })
    ).json();
    expect(idsOf(since)).toEqual(mine.slice(2).map((p) => p.id));

    const tooMany = await callApi("/predictions?limit=201", { key: w.readKey });
    expect(tooMany.status).toBe(400);
    expect((await errorsOf(tooMany)).map((e) => e.field)).toEqual(["limit"]);
    const forged = await callApi("/predictions?cursor=nonsense", { key: w.readKey });
    expect(forged.status).toBe(400);
    expect((await callApi("/predictions/not-a-uuid", { key: w.readKey })).status).toBe(404);
  });

  it("scans on past many hidden predictions that a customer answer does not unlock", async () => {
    const w = await world();
    const db = getDb();
    const campaign = await insertCampaign(db, { status: "scheduled" });
    const base = addDays(new Date(), -10);
    const at = (seconds: number) => new Date(base.getTime() + seconds * 1000);
    // the teammate's predictions of a campaign the customer has not answered: still sealed,
    // though an answer (to no campaign) arrived after them
    await db.insert(predictions).values(
      Array.from({ length: 120 }, (_, i) => ({
        accountId: w.account.id,
        authorId: w.teammate.id,
        campaignId: campaign.id,
        createdAt: at(i),
        updatedAt: at(i),
      })),
    );
    await insertResponse(db, { contactId: w.dana.id, completedAt: addDays(new Date(), -1) });
    const mine = [];
    for (let i = 0; i < 3; i += 1) {
      mine.push(
        await insertPrediction(db, {
          accountId: w.account.id,
          authorId: w.owner.id,
          createdAt: at(200 + i),
          updatedAt: at(200 + i),
        }),
      );
    }
    const first = await (await callApi("/predictions?limit=2", { key: w.readKey })).json();
    expect(idsOf(first)).toEqual([mine[0]!.id, mine[1]!.id]);
    // mine are locked too (the answer came after them), which is why they are listed to anyone
    expect(first.data[0].locked).toBe(true);
    const rest = await (
      await callApi(`/predictions?limit=2&cursor=${first.next_cursor}`, { key: w.readKey })
    ).json();
    expect(idsOf(rest)).toEqual([mine[2]!.id]);
    expect(rest.next_cursor).toBeNull();
    const { key: anonymous } = await makeApiKey("read", null);
    const all = await (await callApi("/predictions?limit=200", { key: anonymous })).json();
    expect(idsOf(all)).toEqual(mine.map((p) => p.id));
  });

  it("derives the values the API returns from the stored values", async () => {
    const w = await world();
    const created = await (await create(w, { dimensions })).json();
    const stored = await getDb()
      .select({ dimension: predictionValues.dimension, value: predictionValues.value })
      .from(predictionValues)
      .where(eq(predictionValues.predictionId, created.data.id))
      .orderBy(asc(predictionValues.dimension));
    expect(Object.fromEntries(stored.map((v) => [v.dimension, v.value]))).toEqual(derived);
    const listed = await (await callApi(`/accounts/${w.account.id}/predictions`, { key: w.readKey })).json();
    expect(listed.data).toEqual([created.data]);
  });
});
