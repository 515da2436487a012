import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountMembers, accounts, responses } from "../../db/schema";
import { insertAccount, insertResponse, insertUser } from "../../db/factories";
import { DEFAULT_TARGET_CADENCE_DAYS } from "~/domain/ledger";
import { accountSchema } from "~/lib/api/accounts.server";
import { getDb } from "~/lib/db.server";
import { callApi, makeApiKey } from "../support/api";

async function world() {
  const db = getDb();
  const dana = await insertUser(db, { role: "manager", email: "dana@example.test" });
  const omar = await insertUser(db, { role: "manager", email: "omar@example.test" });
  const leader = await insertUser(db, { role: "leader", email: "lee@example.test" });
  const { key } = await makeApiKey("write");
  return { dana, omar, leader, key };
}

const northwind = {
  name: "Northwind Traders",
  segment: "enterprise",
  region: "EMEA",
  tier: "strategic",
  annual_value: 250000,
  owner_email: "DANA@example.test",
  team_emails: ["omar@example.test"],
};

describe("/api/v1/accounts", () => {
  it("creates, reads, patches and deletes an account in snake_case", async () => {
    const { key, omar } = await world();
    const created = await callApi("/accounts", { key, body: { ...northwind, external_id: "sf-1" } });
    expect(created.status).toBe(201);
    const { data } = await created.json();
    expect(accountSchema.parse(data)).toEqual(data);
    expect(data).toMatchObject({
      external_id: "sf-1",
      name: "Northwind Traders",
      lifecycle_stage: "adopting",
      annual_value: 250000,
      annual_value_cents: 25_000_000,
      target_cadence_days: DEFAULT_TARGET_CADENCE_DAYS,
      owner_email: "dana@example.test",
      team_emails: ["omar@example.test"],
    });
    expect(created.headers.get("Location")).toBe(`/api/v1/accounts/${data.id}`);

    const got = await (await callApi(`/accounts/${data.id}`, { key })).json();
    expect(got.data).toEqual(data);

    const patched = await callApi(`/accounts/${data.id}`, {
      key,
      method: "PATCH",
      body: { lifecycle_stage: "renewing", team_emails: [] },
    });
    expect(patched.status).toBe(200);
    const after = (await patched.json()).data;
    expect(after).toMatchObject({ name: "Northwind Traders", lifecycle_stage: "renewing", team_emails: [] });
    expect(await getDb().select().from(accountMembers).where(eq(accountMembers.userId, omar.id))).toEqual([]);

    expect((await callApi(`/accounts/${data.id}`, { key, method: "DELETE" })).status).toBe(204);
    expect((await callApi(`/accounts/${data.id}`, { key })).status).toBe(404);
  });

  it("applies the account form's rules and names the API's fields", async () => {
    const { key } = await world();
    const leaderOwner = await callApi("/accounts", {
      key,
      body: { ...northwind, owner_email: "lee@example.test" },
    });
    expect(leaderOwner.status).toBe(400);
    expect((await leaderOwner.json()).errors).toEqual([
      { field: "owner_email", message: "Leaders cannot own accounts; choose a manager or an admin." },
    ]);
    const blank = await callApi("/accounts", {
      key,
      body: { ...northwind, name: "  ", region: "x".repeat(101) },
    });
    expect((await blank.json()).errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "name",
      "region",
    ]);
    const stranger = await callApi("/accounts", { key, body: { ...northwind, team_emails: ["who@x.test"] } });
    expect((await stranger.json()).errors).toEqual([
      { field: "team_emails.0", message: "No Rapport user has the email who@x.test." },
    ]);
    expect(await getDb().select().from(accounts)).toEqual([]);
  });

  it("refuses a second account with the same external id", async () => {
    const { key } = await world();
    expect((await callApi("/accounts", { key, body: { ...northwind, external_id: "sf-1" } })).status).toBe(
      201,
    );
    const again = await callApi("/accounts", { key, body: { ...northwind, external_id: "sf-1" } });
    expect(again.status).toBe(409);
    expect((await again.json()).type).toBe("https://rapport.dev/problems/conflict");
  });

  it("upserts by external id: created, then unchanged with nothing written, then updated", async () => {
    const { key } = await world();
    const first = await callApi("/accounts/external/sf-9", { key, method: "PUT", body: northwind });
    expect(first.status).toBe(201);
    const created = await first.json();
    expect(created.result).toBe("created");
    expect(created.data.external_id).toBe("sf-9");

    const second = await callApi("/accounts/external/sf-9", { key, method: "PUT", body: northwind });
    expect(second.status).toBe(200);
    const same = await second.json();
    expect(same.result).toBe("unchanged");
    expect(same.data.updated_at).toBe(created.data.updated_at);
    expect(same.data).toEqual(created.data);

    const third = await callApi("/accounts/external/sf-9", {
      key,
      method: "PUT",
      body: { ...northwind, tier: "key" },
    });
    const changed = await third.json();
    expect(changed.result).toBe("updated");
    expect(changed.data).toMatchObject({ id: created.data.id, tier: "key" });
    expect(await getDb().select().from(accounts)).toHaveLength(1);
  });

  it("keeps cents a CSV import set when a PUT sends the same whole amount", async () => {
    const { key, dana } = await world();
    await insertAccount(getDb(), {
      ...{ name: "Northwind Traders", segment: "enterprise", region: "EMEA", tier: "strategic" },
      externalId: "sf-7",
      ownerId: dana.id,
      annualValueCents: 25_000_049,
      lifecycleStage: "adopting",
    });
    const put = await callApi("/accounts/external/sf-7", {
      key,
      method: "PUT",
      body: { ...northwind, team_emails: [] },
    });
    const body = await put.json();
    expect(body.result).toBe("unchanged");
    expect(body.data.annual_value_cents).toBe(25_000_049);
  });

  it("pages by an opaque cursor in change order and filters by updated_since", async () => {
    const { key, dana } = await world();
    const base = Date.parse("2025-01-01T00:00:00Z");
    for (let i = 0; i < 5; i++) {
      await insertAccount(getDb(), {
        name: `Account ${i}`,
        ownerId: dana.id,
        // two rows share a timestamp: the id breaks the tie
        updatedAt: new Date(base + Math.floor(i / 2) * 60_000),
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/accounts?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page: { data: { name: string }[]; next_cursor: string | null } = await (
        await callApi(query, { key })
      ).json();
      seen.push(...page.data.map((a) => a.name));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen.slice(4)).toEqual(["Account 4"]);

    const since = await (await callApi("/accounts?updated_since=2025-01-01T00:01:00Z", { key })).json();
    expect(since.data.map((a: { name: string }) => a.name).sort()).toEqual([
      "Account 2",
      "Account 3",
      "Account 4",
    ]);
    expect(since.next_cursor).toBeNull();
  });

  it("keeps an account customers have answered for: delete answers 409", async () => {
    const { key, dana } = await world();
    const account = await insertAccount(getDb(), { ownerId: dana.id });
    await insertResponse(getDb(), { accountId: account.id });
    expect((await getDb().select().from(responses)).length).toBe(1);
    const refused = await callApi(`/accounts/${account.id}`, { key, method: "DELETE" });
    expect(refused.status).toBe(409);
    expect(await getDb().select().from(accounts).where(eq(accounts.id, account.id))).toHaveLength(1);
  });
});
