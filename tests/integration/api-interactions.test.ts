import { describe, expect, it } from "vitest";
import { interactions } from "../../db/schema";
import { insertAccount, insertContact, insertInteraction, insertUser } from "../../db/factories";
import { interactionSchema } from "~/lib/api/interactions.server";
import { getDb } from "~/lib/db.server";
import { callApi, makeApiKey } from "../support/api";

async function world() {
  const db = getDb();
  const dana = await insertUser(db, { role: "manager", email: "dana@example.test" });
  const account = await insertAccount(db, { ownerId: dana.id, externalId: "sf-acc-1" });
  const other = await insertAccount(db, { ownerId: dana.id, externalId: "sf-acc-2" });
  const priya = await insertContact(db, { accountId: account.id, externalId: "sf-c-1" });
  const { key } = await makeApiKey("write");
  return { account, other, priya, key };
}

const meeting = {
  kind: "meeting",
  occurred_at: "2025-03-04T14:30:00Z",
  summary: "Roadmap review.",
  engagement_quality: 4,
  contact_external_ids: ["sf-c-1"],
  user_emails: ["DANA@example.test"],
};

const fieldsOf = async (response: Response) =>
  ((await response.json()).errors as { field: string }[]).map((e) => e.field);

describe("/api/v1/interactions", () => {
  it("logs an interaction in snake_case and reads it back", async () => {
    const { key, account, priya } = await world();
    const created = await callApi("/interactions", {
      key,
      body: { ...meeting, external_id: "sf-act-1", account_external_id: "sf-acc-1" },
    });
    expect(created.status).toBe(201);
    const { data } = await created.json();
    expect(interactionSchema.parse(data)).toEqual(data);
    expect(data).toMatchObject({
      external_id: "sf-act-1",
      account_id: account.id,
      kind: "meeting",
      occurred_at: "2025-03-04T14:30:00.000Z",
      engagement_quality: 4,
      equity_effect: "neutral",
      equity_weight: 1,
      contact_ids: [priya.id],
      user_emails: ["dana@example.test"],
    });
    expect(created.headers.get("Location")).toBe(`/api/v1/interactions/${data.id}`);
    expect((await (await callApi(`/interactions/${data.id}`, { key })).json()).data).toEqual(data);
  });

  it("filters by account and pages by cursor", async () => {
    const { key, account, other } = await world();
    for (let i = 0; i < 3; i++) await insertInteraction(getDb(), { accountId: account.id });
    await insertInteraction(getDb(), { accountId: other.id });
    const first = await (await callApi(`/interactions?account_id=${account.id}&limit=2`, { key })).json();
    expect(first.data).toHaveLength(2);
    const rest = await (
      await callApi(`/interactions?account_id=${account.id}&limit=2&cursor=${first.next_cursor}`, { key })
    ).json();
    expect(rest.data).toHaveLength(1);
    expect(rest.next_cursor).toBeNull();
    const ids = [...first.data, ...rest.data].map((i: { account_id: string }) => i.account_id);
    expect(new Set(ids)).toEqual(new Set([account.id]));
    expect((await callApi("/interactions?limit=201", { key })).status).toBe(400);
  });

  it("upserts by external id: created, then unchanged with nothing written, then updated", async () => {
    const { key, account } = await world();
    const body = { ...meeting, account_id: account.id };
    const first = await callApi("/interactions/external/sf-act-9", { key, method: "PUT", body });
    expect(first.status).toBe(201);
    const created = await first.json();
    expect(created.result).toBe("created");

    const second = await callApi("/interactions/external/sf-act-9", { key, method: "PUT", body });
    expect(second.status).toBe(200);
    const same = await second.json();
    expect(same.result).toBe("unchanged");
    expect(same.data).toEqual(created.data);

    const third = await (
      await callApi("/interactions/external/sf-act-9", {
        key,
        method: "PUT",
        body: { ...body, engagement_quality: 5, contact_external_ids: [] },
      })
    ).json();
    expect(third.result).toBe("updated");
    expect(third.data).toMatchObject({ id: created.data.id, engagement_quality: 5, contact_ids: [] });
    expect(await getDb().select().from(interactions)).toHaveLength(1);
  });

  it("replaces one logged in the app by id: updated, then unchanged, still on its account", async () => {
    const db = getDb();
    const { key, account, priya } = await world();
    const logged = await insertInteraction(db, {
      accountId: account.id,
      kind: "call",
      summary: "Quick call.",
    });
    const replace = () => callApi(`/interactions/${logged.id}`, { key, method: "PUT", body: meeting });
    const first = await replace();
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(body).toMatchObject({
      result: "updated",
      data: {
        id: logged.id,
        account_id: account.id,
        kind: "meeting",
        external_id: null,
        contact_ids: [priya.id],
      },
    });
    const [stored] = await db.select().from(interactions);
    const second = await replace();
    expect(await second.json()).toMatchObject({ result: "unchanged" });
    const [after] = await db.select().from(interactions);
    expect(after!.updatedAt).toEqual(stored!.updatedAt);
    expect(after!.summary).toBe("Roadmap review.");
  });

  it("keeps a commitment's status and due date, and a kept one stays kept", async () => {
    const { key, account } = await world();
    const body = {
      kind: "commitment",
      occurred_at: "2025-03-04T14:30:00Z",
      summary: "Send the SOC 2 report.",
      due_on: "2025-03-20",
      account_id: account.id,
    };
    const put = (extra: object) =>
      callApi("/interactions/external/sf-act-c", { key, method: "PUT", body: { ...body, ...extra } });
    expect((await (await put({})).json()).data).toMatchObject({
      commitment_status: "open",
      due_on: "2025-03-20",
    });
    const kept = await (await put({ commitment_status: "kept" })).json();
    expect(kept.data).toMatchObject({ commitment_status: "kept", equity_effect: "deposit" });
    expect((await (await put({})).json()).result).toBe("unchanged");
    expect((await put({ commitment_status: "open" })).status).toBe(409);
  });

  it("refuses customer_alert, naming kind, and stores nothing", async () => {
    const { key, account } = await world();
    const refused = await callApi("/interactions", {
      key,
      body: { ...meeting, kind: "customer_alert", account_id: account.id },
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("Content-Type")).toContain("application/problem+json");
    expect(await fieldsOf(refused)).toEqual(["kind"]);
    expect(await getDb().select().from(interactions)).toEqual([]);
  });

  it("refuses participants who are not the account's, naming the field", async () => {
    const { key, other } = await world();
    const strangerContact = await callApi("/interactions", {
      key,
      body: { ...meeting, user_emails: [], account_id: other.id },
    });
    expect(strangerContact.status).toBe(400);
    expect(await fieldsOf(strangerContact)).toEqual(["contact_external_ids"]);
    const unknownUser = await callApi("/interactions", {
      key,
      body: {
        ...meeting,
        contact_external_ids: [],
        user_emails: ["nobody@example.test"],
        account_id: other.id,
      },
    });
    expect(await fieldsOf(unknownUser)).toEqual(["user_emails"]);
    const badId = await callApi("/interactions", {
      key,
      body: { ...meeting, contact_external_ids: [], contact_ids: ["nope"], account_id: other.id },
    });
    expect(await fieldsOf(badId)).toEqual(["contact_ids.0"]);
    expect(await getDb().select().from(interactions)).toEqual([]);
  });

  it("applies the log form's rules under the API's field names", async () => {
    const { key, account } = await world();
    const bad = await callApi("/interactions", {
      key,
      body: {
        kind: "email",
        occurred_at: "2025-03-04T14:30:00Z",
        engagement_quality: 3,
        equity_weight: 9,
        account_id: account.id,
      },
    });
    expect(bad.status).toBe(400);
    expect((await fieldsOf(bad)).sort()).toEqual(["engagement_quality", "equity_weight"]);
    const planned = await callApi("/interactions", {
      key,
      body: { ...meeting, occurred_at: "2999-01-01T00:00:00Z", account_id: account.id },
    });
    expect(await fieldsOf(planned)).toEqual(["occurred_at"]);
    const mistake = await callApi("/interactions", {
      key,
      body: { kind: "mistake", occurred_at: "2025-03-04T14:30:00Z", account_id: account.id },
    });
    expect(await fieldsOf(mistake)).toEqual(["summary"]);
    expect(await getDb().select().from(interactions)).toEqual([]);
  });

  it("answers 403 to a read key writing and 404 to ids that do not exist", async () => {
    const { account } = await world();
    const { key: readKey } = await makeApiKey("read");
    const refused = await callApi("/interactions", {
      key: readKey,
      body: { ...meeting, account_id: account.id },
    });
    expect(refused.status).toBe(403);
    const put = await callApi("/interactions/external/x", {
      key: readKey,
      method: "PUT",
      body: { ...meeting, account_id: account.id },
    });
    expect(put.status).toBe(403);
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await callApi(`/interactions/${missing}`, { key: readKey })).status).toBe(404);
    expect((await callApi("/interactions/not-a-uuid", { key: readKey })).status).toBe(404);
    expect(await getDb().select().from(interactions)).toEqual([]);
  });
});
