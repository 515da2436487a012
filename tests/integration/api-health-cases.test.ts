import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountDimensionHealth, accountHealth, caseNotes, cases } from "../../db/schema";
import {
  addDays,
  insertAccount,
  insertCase,
  insertContact,
  insertPrediction,
  insertResponse,
  insertUser,
} from "../../db/factories";
import { refreshAccountHealth } from "~/domain/health-rollups.server";
import { caseSchema } from "~/lib/api/cases.server";
import { accountHealthSchema } from "~/lib/api/health.server";
import { responseSchema } from "~/lib/api/responses.server";
import { getDb } from "~/lib/db.server";
import { callApi, makeApiKey } from "../support/api";
import { responsesToList } from "../support/api-responses";

const MISSING = "00000000-0000-4000-8000-000000000000";

const fieldsOf = async (response: Response) =>
  ((await response.json()).errors as { field: string }[]).map((e) => e.field);

describe("GET /api/v1/accounts/{id}/health", () => {
  it("answers the account's rollups, without a sealed prediction", async () => {
    const db = getDb();
    const now = new Date();
    const owner = await insertUser(db, { role: "manager" });
    const colleague = await insertUser(db, { role: "manager" });
    const account = await insertAccount(db, { ownerId: owner.id });
    const dana = await insertContact(db, { accountId: account.id, buyingRole: "decision_maker" });
    await insertPrediction(db, {
      accountId: account.id,
      authorId: owner.id,
      values: { trust: 80 },
      createdAt: addDays(now, -20),
    });
    await insertResponse(db, {
      contactId: dana.id,
      completedAt: addDays(now, -5),
      answers: [
        { question: "trust", dimension: "trust", value: 40 },
        { question: "advocacy", dimension: "advocacy", value: 90 },
      ],
    });
    // made after the customer's last answer: sealed, so not in the team view
    await insertPrediction(db, {
      accountId: account.id,
      authorId: colleague.id,
      values: { trust: 10 },
      createdAt: addDays(now, -1),
    });
    await refreshAccountHealth(db, account.id, now);
    const { key } = await makeApiKey("read");

    const response = await callApi(`/accounts/${account.id}/health`, { key });
    expect(response.status).toBe(200);
    const { data } = await response.json();
    expect(accountHealthSchema.parse(data)).toEqual(data);

    const [row] = await db
      .select()
      .from(accountHealth)
      .where(and(eq(accountHealth.accountId, account.id), eq(accountHealth.windowMonths, 12)));
    const dimensions = await db
      .select()
      .from(accountDimensionHealth)
      .where(
        and(eq(accountDimensionHealth.accountId, account.id), eq(accountDimensionHealth.windowMonths, 12)),
      );
    expect(data).toMatchObject({
      account_id: account.id,
      window_months: 12,
      customer: { health: row!.customerHealth, respondents: 1, confidence: row!.customerConfidence },
      team: { health: row!.teamHealth, predictions: 1, authors: 1 },
      ledger: { score: row!.ledgerScore, interactions: row!.ledgerInteractions },
      nps: { nps: row!.nps, promoters: row!.promoters, respondents: row!.npsRespondents },
      gap: { health_gap: row!.healthGap, quadrant: row!.healthQuadrant },
      flags: row!.flags,
      computed_at: row!.computedAt.toISOString(),
    });
    expect(data.dimensions).toHaveLength(dimensions.length);
    const trust = dimensions.find((d) => d.dimension === "trust")!;
    expect(data.dimensions.find((d: { dimension: string }) => d.dimension === "trust")).toEqual({
      dimension: "trust",
      customer: { value: 40, answers: 1, respondents: 1, confidence: trust.customerConfidence },
      team: { value: 80, predictions: 1, authors: 1, confidence: trust.teamConfidence },
      gap: {
        value: trust.gap,
        misaligned: trust.misaligned,
        quadrant: trust.quadrant,
        weighted_gap: trust.weightedGap,
        confidence: trust.gapConfidence,
      },
    });

    const short = await callApi(`/accounts/${account.id}/health?window_months=3`, { key });
    expect((await short.json()).data.window_months).toBe(3);
    const bad = await callApi(`/accounts/${account.id}/health?window_months=5`, { key });
    expect(bad.status).toBe(400);
    expect(await fieldsOf(bad)).toEqual(["window_months"]);
  });

  it("builds missing rollups on first read, and answers 404 for an unknown account", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    const { key } = await makeApiKey("read");
    const response = await callApi(`/accounts/${account.id}/health`, { key });
    expect(response.status).toBe(200);
    expect((await response.json()).data.customer.health).toBeNull();
    const missing = await callApi(`/accounts/${MISSING}/health`, { key });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("Content-Type")).toContain("application/problem+json");
    expect((await callApi("/accounts/not-a-uuid/health", { key })).status).toBe(404);
  });
});

async function caseWorld() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager", email: "maya@example.test" });
  const outsider = await insertUser(db, { role: "manager" });
  const account = await insertAccount(db, { ownerId: owner.id });
  const other = await insertAccount(db, { ownerId: outsider.id });
  const first = await insertCase(db, { accountId: account.id, openedAt: addDays(new Date(), -3) });
  const second = await insertCase(db, { accountId: account.id, openedAt: addDays(new Date(), -2) });
  const elsewhere = await insertCase(db, { accountId: other.id, openedAt: addDays(new Date(), -1) });
  const { key } = await makeApiKey("write", owner.id);
  const { key: readKey } = await makeApiKey("read", owner.id);
  return { owner, outsider, account, other, first, second, elsewhere, key, readKey };
}

describe("/api/v1/cases", () => {
  it("lists by account and status, pages by cursor, and gets one", async () => {
    const { key, account, first, second, elsewhere } = await caseWorld();
    const page = await (await callApi(`/cases?account_id=${account.id}&limit=1`, { key })).json();
    expect(page.data.map((c: { id: string }) => c.id)).toEqual([first.id]);
    expect(caseSchema.parse(page.data[0])).toEqual(page.data[0]);
    expect(page.data[0]).toMatchObject({ owner_email: "maya@example.test", status: "open" });
    const rest = await (
      await callApi(`/cases?account_id=${account.id}&limit=1&cursor=${page.next_cursor}`, { key })
    ).json();
    expect(rest.data.map((c: { id: string }) => c.id)).toEqual([second.id]);
    expect(rest.next_cursor).toBeNull();

    const all = await (await callApi("/cases?status=unresolved", { key })).json();
    expect(all.data.map((c: { id: string }) => c.id)).toEqual([first.id, second.id, elsewhere.id]);
    expect((await (await callApi("/cases?status=resolved", { key })).json()).data).toEqual([]);

    const one = await callApi(`/cases/${second.id}`, { key });
    expect((await one.json()).data.id).toBe(second.id);

    const bad = await callApi("/cases?status=closed&limit=201&colour=red", { key });
    expect(bad.status).toBe(400);
    expect((await fieldsOf(bad)).sort()).toEqual(["colour", "limit", "status"]);
    expect((await callApi("/cases?cursor=nonsense", { key })).status).toBe(400);
    expect((await callApi(`/cases/${MISSING}`, { key })).status).toBe(404);
  });

  it("acknowledges and resolves as the key's creator; a second resolve is 409", async () => {
    const { key, owner, first } = await caseWorld();
    const acknowledged = await callApi(`/cases/${first.id}/acknowledge`, { key, method: "POST" });
    expect(acknowledged.status).toBe(200);
    const ack = await acknowledged.json();
    expect(ack.data.status).toBe("acknowledged");
    expect(ack.data.acknowledged_at).not.toBeNull();
    const again = await callApi(`/cases/${first.id}/acknowledge`, { key, method: "POST" });
    expect(again.status).toBe(409);

    const resolved = await callApi(`/cases/${first.id}/resolve`, {
      key,
      body: { resolution_note: "  Called them back; fixed.  " },
    });
    expect(resolved.status).toBe(200);
    const { data } = await resolved.json();
    expect(data).toMatchObject({ status: "resolved", resolution_note: "Called them back; fixed." });
    const notes = await getDb().select().from(caseNotes).where(eq(caseNotes.caseId, first.id));
    expect(notes.map((n) => [n.kind, n.authorId]).sort()).toEqual([
      ["acknowledged", owner.id],
      ["resolved", owner.id],
    ]);

    const twice = await callApi(`/cases/${first.id}/resolve`, { key, body: { resolution_note: "Again." } });
    expect(twice.status).toBe(409);
    expect((await twice.json()).type).toBe("https://rapport.dev/problems/conflict");
  });

  it("refuses bad input, read keys, unknown cases and other people's accounts, changing nothing", async () => {
    const { key, readKey, second, elsewhere } = await caseWorld();
    const statusOf = async (id: string) =>
      (await getDb().select({ status: cases.status }).from(cases).where(eq(cases.id, id)))[0]!.status;

    const blank = await callApi(`/cases/${second.id}/resolve`, { key, body: { resolution_note: " " } });
    expect(blank.status).toBe(400);
    expect(await fieldsOf(blank)).toEqual(["resolution_note"]);
    const wrong = await callApi(`/cases/${second.id}/resolve`, {
      key,
      body: { resolution_note: "Done.", send_recovery_pulse: "yes", extra: 1 },
    });
    expect(wrong.status).toBe(400);
    expect((await fieldsOf(wrong)).sort()).toEqual(["extra", "send_recovery_pulse"]);
    expect(await fieldsOf(await callApi(`/cases/${second.id}/resolve`, { key, body: {} }))).toEqual([
      "resolution_note",
    ]);

    const read = await callApi(`/cases/${second.id}/acknowledge`, { key: readKey, method: "POST" });
    expect(read.status).toBe(403);
    expect(
      (await callApi(`/cases/${second.id}/resolve`, { key: readKey, body: { resolution_note: "x" } })).status,
    ).toBe(403);

    expect((await callApi(`/cases/${MISSING}/acknowledge`, { key, method: "POST" })).status).toBe(404);
    expect(
      (await callApi(`/cases/${MISSING}/resolve`, { key, body: { resolution_note: "Done." } })).status,
    ).toBe(404);

    // the owner may not edit the other account
    const foreign = await callApi(`/cases/${elsewhere.id}/acknowledge`, { key, method: "POST" });
    expect(foreign.status).toBe(403);
    // a key nobody created cannot act as anyone
    const { key: orphan } = await makeApiKey("write");
    expect((await callApi(`/cases/${second.id}/acknowledge`, { key: orphan, method: "POST" })).status).toBe(
      403,
    );
    expect((await callApi(`/cases/${second.id}`, { key, method: "DELETE" })).status).toBe(405);

    expect(await statusOf(second.id)).toBe("open");
    expect(await statusOf(elsewhere.id)).toBe("open");
  });
});

describe("GET /api/v1/responses", () => {
  it("lists completed responses with answers and dimension scores, filtered and paged", async () => {
    const { now, account, dana, version, first, second } = await responsesToList();
    const { key } = await makeApiKey("read");

    const page = await (await callApi(`/responses?account_id=${account.id}&limit=1`, { key })).json();
    expect(page.data).toHaveLength(1);
    expect(responseSchema.parse(page.data[0])).toEqual(page.data[0]);
    expect(page.data[0]).toMatchObject({
      id: first.id,
      survey_id: version.definitionId,
      survey_version_id: version.id,
      account_id: account.id,
      contact_id: dana.id,
      answers: { trust: 4, advocacy_why: "Quick to call back." },
      dimension_scores: { trust: 50, advocacy: 90 },
    });
    expect(page.data[0].scores).toHaveLength(3);
    const rest = await (
      await callApi(`/responses?account_id=${account.id}&limit=1&cursor=${page.next_cursor}`, { key })
    ).json();
    expect(rest.data.map((r: { id: string }) => r.id)).toEqual([second.id]);
    expect(rest.next_cursor).toBeNull();

    const since = encodeURIComponent(addDays(now, -2).toISOString());
    const recent = await (
      await callApi(`/responses?account_id=${account.id}&completed_since=${since}`, { key })
    ).json();
    expect(recent.data.map((r: { id: string }) => r.id)).toEqual([second.id]);
    const bySurvey = await (await callApi(`/responses?survey_id=${version.definitionId}`, { key })).json();
    expect(bySurvey.data.map((r: { id: string }) => r.id)).toEqual([first.id, second.id]);

    const bad = await callApi("/responses?survey_id=nope&completed_since=yesterday&updated_since=x", { key });
    expect(bad.status).toBe(400);
    expect((await fieldsOf(bad)).sort()).toEqual(["completed_since", "survey_id", "updated_since"]);
    expect((await callApi("/responses", { key, body: {} })).status).toBe(405);
  });
});
