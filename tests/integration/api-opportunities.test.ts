import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { opportunities, winlossFollowups } from "../../db/schema";
import { insertAccount, insertAccountMember, insertOpportunity, insertUser } from "../../db/factories";
import { SEALED_MESSAGE } from "~/domain/opportunities.server";
import { opportunitySchema } from "~/lib/api/opportunities.server";
import { getDb } from "~/lib/db.server";
import { callApi, makeApiKey } from "../support/api";

async function world() {
  const db = getDb();
  const dana = await insertUser(db, { role: "manager", email: "dana@example.test" });
  const sam = await insertUser(db, { role: "manager", email: "sam@example.test" });
  const account = await insertAccount(db, { ownerId: dana.id, externalId: "sf-acc-1" });
  await insertAccountMember(db, { accountId: account.id, userId: sam.id });
  const { key } = await makeApiKey("write");
  return { account, dana, sam, key };
}

const renewal = {
  name: "2026 renewal",
  amount: 120000,
  close_date: "2030-06-30",
  competitor: "Acme Analytics",
};

const today = () => new Date().toISOString().slice(0, 10);

async function followupOf(opportunityId: string) {
  const [row] = await getDb()
    .select()
    .from(winlossFollowups)
    .where(eq(winlossFollowups.opportunityId, opportunityId));
  return row ?? null;
}

describe("/api/v1/opportunities", () => {
  it("creates, reads, patches and lists a deal in snake_case", async () => {
    const { key, account } = await world();
    const created = await callApi("/opportunities", {
      key,
      body: { ...renewal, external_id: "sf-opp-1", account_external_id: "sf-acc-1" },
    });
    expect(created.status).toBe(201);
    const { data } = await created.json();
    expect(opportunitySchema.parse(data)).toEqual(data);
    expect(data).toMatchObject({
      external_id: "sf-opp-1",
      account_id: account.id,
      account_external_id: "sf-acc-1",
      amount: 120000,
      amount_cents: 12_000_000,
      outcome: "open",
      seller_email: "dana@example.test",
      primary_reason: null,
      secondary_reasons: [],
    });
    expect(created.headers.get("Location")).toBe(`/api/v1/opportunities/${data.id}`);
    expect((await (await callApi(`/opportunities/${data.id}`, { key })).json()).data).toEqual(data);

    const patched = await callApi(`/opportunities/${data.id}`, {
      key,
      method: "PATCH",
      body: { competitor: null, amount: 90000, seller_email: "SAM@example.test" },
    });
    expect(patched.status).toBe(200);
    expect((await patched.json()).data).toMatchObject({
      name: "2026 renewal",
      competitor: null,
      amount: 90000,
      seller_email: "sam@example.test",
    });

    await insertOpportunity(getDb(), {});
    const listed = await (await callApi(`/opportunities?account_id=${account.id}&limit=1`, { key })).json();
    expect(listed.data.map((o: { id: string }) => o.id)).toEqual([data.id]);
    expect(listed.next_cursor).toBeNull();
    expect((await callApi("/opportunities?limit=201", { key })).status).toBe(400);
  });

  it("upserts by external id: created, then unchanged with nothing written, then updated", async () => {
    const { key, account } = await world();
    const body = { ...renewal, account_id: account.id };
    const first = await callApi("/opportunities/external/sf-opp-9", { key, method: "PUT", body });
    expect(first.status).toBe(201);
    const created = await first.json();
    expect(created.result).toBe("created");

    const second = await callApi("/opportunities/external/sf-opp-9", { key, method: "PUT", body });
    expect(second.status).toBe(200);
    const same = await second.json();
    expect(same.result).toBe("unchanged");
    expect(same.data).toEqual(created.data);

    const third = await (
      await callApi("/opportunities/external/sf-opp-9", {
        key,
        method: "PUT",
        body: { ...body, name: "2026 renewal (3 years)" },
      })
    ).json();
    expect(third.result).toBe("updated");
    expect(third.data).toMatchObject({ id: created.data.id, name: "2026 renewal (3 years)" });
    expect(await getDb().select().from(opportunities)).toHaveLength(1);
  });

  it("closes through the sync close: waits for the seller, then schedules on the reasons, which then stay sealed", async () => {
    const { key, account } = await world();
    const body = { ...renewal, account_id: account.id };
    const { data } = await (
      await callApi("/opportunities/external/sf-opp-2", { key, method: "PUT", body })
    ).json();
    const won = { ...body, outcome: "won", close_date: today() };
    const closed = await callApi("/opportunities/external/sf-opp-2", { key, method: "PUT", body: won });
    expect(closed.status).toBe(200);
    const closedBody = await closed.json();
    expect(closedBody).toMatchObject({
      result: "updated",
      data: { outcome: "won", close_date: today(), reasons_sealed_at: null },
    });
    expect(closedBody.data.closed_at).not.toBeNull();
    expect(await followupOf(data.id)).toMatchObject({ status: "waiting_for_seller" });

    // the same close again changes nothing
    const again = await (
      await callApi("/opportunities/external/sf-opp-2", { key, method: "PUT", body: won })
    ).json();
    expect(again).toMatchObject({ result: "unchanged", data: closedBody.data });

    const reasons = {
      primary_reason: "product_fit",
      secondary_reasons: ["relationship"],
      reason_note: "Fit.",
    };
    const recorded = await callApi(`/opportunities/${data.id}`, { key, method: "PATCH", body: reasons });
    expect(recorded.status).toBe(200);
    const sealed = (await recorded.json()).data;
    expect(sealed).toMatchObject({ ...reasons });
    expect(sealed.reasons_sealed_at).not.toBeNull();
    expect(await followupOf(data.id)).toMatchObject({ status: "scheduled" });

    // the same reasons again are no change; other reasons are refused
    const repeated = await callApi("/opportunities/external/sf-opp-2", {
      key,
      method: "PUT",
      body: { ...won, ...reasons },
    });
    expect((await repeated.json()).result).toBe("unchanged");
    const changed = await callApi(`/opportunities/${data.id}`, {
      key,
      method: "PATCH",
      body: { primary_reason: "price" },
    });
    expect(changed.status).toBe(409);
    expect(changed.headers.get("Content-Type")).toContain("application/problem+json");
    expect((await changed.json()).detail).toBe(SEALED_MESSAGE);

    const reopened = await callApi(`/opportunities/${data.id}`, {
      key,
      method: "PATCH",
      body: { outcome: "open" },
    });
    expect(reopened.status).toBe(409);
    const edited = await callApi(`/opportunities/${data.id}`, { key, method: "PATCH", body: { amount: 1 } });
    expect(edited.status).toBe(409);
    const [row] = await getDb().select().from(opportunities).where(eq(opportunities.id, data.id));
    expect(row).toMatchObject({
      outcome: "won",
      sellerPrimaryReason: "product_fit",
      amountCents: 12_000_000,
    });
  });

  it("creates a closed deal with the seller's reasons sealed and its follow-up scheduled", async () => {
    const { key, account } = await world();
    const created = await callApi("/opportunities", {
      key,
      body: {
        ...renewal,
        account_id: account.id,
        outcome: "lost",
        close_date: today(),
        primary_reason: "price",
      },
    });
    expect(created.status).toBe(201);
    const { data } = await created.json();
    expect(data).toMatchObject({ outcome: "lost", primary_reason: "price" });
    expect(await followupOf(data.id)).toMatchObject({ status: "scheduled" });
  });

  it("applies the deal form's rules, names the API's fields and stores nothing", async () => {
    const { key, account } = await world();
    const bad = await callApi("/opportunities", {
      key,
      body: { ...renewal, account_id: account.id, name: " ", close_date: "2025-02-30" },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("Content-Type")).toContain("application/problem+json");
    expect((await bad.json()).errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "close_date",
      "name",
    ]);
    const outsider = await insertUser(getDb(), { role: "manager", email: "lee@example.test" });
    const notOnTeam = await callApi("/opportunities", {
      key,
      body: { ...renewal, account_id: account.id, seller_email: outsider.email },
    });
    expect((await notOnTeam.json()).errors[0].field).toBe("seller_email");
    const unknownSeller = await callApi("/opportunities", {
      key,
      body: { ...renewal, account_id: account.id, seller_email: "nobody@example.test" },
    });
    expect((await unknownSeller.json()).errors[0].field).toBe("seller_email");
    const wrongType = await callApi("/opportunities", {
      key,
      body: { ...renewal, account_id: account.id, amount: "lots" },
    });
    expect((await wrongType.json()).errors[0].field).toBe("amount");
    const badOutcome = await callApi("/opportunities", {
      key,
      body: { ...renewal, account_id: account.id, outcome: "maybe" },
    });
    expect((await badOutcome.json()).errors[0].field).toBe("outcome");
    const reasonsOpen = await callApi("/opportunities", {
      key,
      body: { ...renewal, account_id: account.id, primary_reason: "price" },
    });
    expect(reasonsOpen.status).toBe(400);
    expect((await reasonsOpen.json()).errors[0].field).toBe("primary_reason");
    const unknown = await callApi("/opportunities", {
      key,
      body: { ...renewal, account_id: account.id, colour: "red" },
    });
    expect((await unknown.json()).errors[0]).toMatchObject({ field: "colour" });
    // arriving closed, on a day still to come: the close is refused before anything is created
    const closedLater = await callApi("/opportunities", {
      key,
      body: { ...renewal, account_id: account.id, outcome: "won", close_date: "2030-06-30" },
    });
    expect(closedLater.status).toBe(400);
    expect((await closedLater.json()).errors[0].field).toBe("close_date");
    const upsertedLater = await callApi("/opportunities/external/sf-opp-later", {
      key,
      method: "PUT",
      body: { ...renewal, account_id: account.id, outcome: "won", close_date: "2030-06-30" },
    });
    expect(upsertedLater.status).toBe(400);
    expect(await getDb().select().from(opportunities)).toEqual([]);
  });

  it("answers 403 to a read key writing and 404 to ids that do not exist", async () => {
    const { account } = await world();
    const { key: readKey } = await makeApiKey("read");
    const refused = await callApi("/opportunities", {
      key: readKey,
      body: { ...renewal, account_id: account.id },
    });
    expect(refused.status).toBe(403);
    const { key } = await makeApiKey("write");
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await callApi(`/opportunities/${missing}`, { key })).status).toBe(404);
    expect(
      (await callApi(`/opportunities/${missing}`, { key, method: "PATCH", body: { name: "X" } })).status,
    ).toBe(404);
    expect((await callApi("/opportunities/not-a-uuid", { key })).status).toBe(404);
    const noSuchAccount = await callApi("/opportunities", { key, body: { ...renewal, account_id: missing } });
    expect(noSuchAccount.status).toBe(400);
    expect(await getDb().select().from(opportunities)).toEqual([]);
  });
});
