import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { contacts } from "../../db/schema";
import { insertAccount, insertContact, insertUser } from "../../db/factories";
import { contactSchema } from "~/lib/api/contacts.server";
import { getDb } from "~/lib/db.server";
import { callApi, makeApiKey } from "../support/api";

async function world() {
  const db = getDb();
  const dana = await insertUser(db, { role: "manager", email: "dana@example.test" });
  const account = await insertAccount(db, { ownerId: dana.id, externalId: "sf-acc-1" });
  const other = await insertAccount(db, { ownerId: dana.id, externalId: "sf-acc-2" });
  const { key } = await makeApiKey("write");
  return { account, other, key };
}

const priya = {
  name: "Priya Raman",
  email: "priya@northwind.test",
  title: "VP Operations",
  buying_role: "decision_maker",
};

describe("/api/v1/contacts", () => {
  it("creates, reads and patches a contact in snake_case", async () => {
    const { key, account } = await world();
    const created = await callApi("/contacts", {
      key,
      body: { ...priya, external_id: "sf-c-1", account_external_id: "sf-acc-1" },
    });
    expect(created.status).toBe(201);
    const { data } = await created.json();
    expect(contactSchema.parse(data)).toEqual(data);
    expect(data).toMatchObject({
      external_id: "sf-c-1",
      account_id: account.id,
      account_external_id: "sf-acc-1",
      language: "en",
      opted_out: false,
    });
    expect(created.headers.get("Location")).toBe(`/api/v1/contacts/${data.id}`);
    expect((await (await callApi(`/contacts/${data.id}`, { key })).json()).data).toEqual(data);

    const patched = await callApi(`/contacts/${data.id}`, {
      key,
      method: "PATCH",
      body: { title: null, buying_role: "champion" },
    });
    expect(patched.status).toBe(200);
    expect((await patched.json()).data).toMatchObject({
      name: "Priya Raman",
      title: null,
      buying_role: "champion",
    });
  });

  it("upserts by external id: created, then unchanged with nothing written, then updated", async () => {
    const { key, account } = await world();
    const body = { ...priya, account_id: account.id };
    const first = await callApi("/contacts/external/sf-c-9", { key, method: "PUT", body });
    expect(first.status).toBe(201);
    const created = await first.json();
    expect(created.result).toBe("created");

    const second = await callApi("/contacts/external/sf-c-9", { key, method: "PUT", body });
    expect(second.status).toBe(200);
    const same = await second.json();
    expect(same.result).toBe("unchanged");
    expect(same.data).toEqual(created.data);

    const third = await (
      await callApi("/contacts/external/sf-c-9", { key, method: "PUT", body: { ...body, language: "DE" } })
    ).json();
    expect(third.result).toBe("updated");
    expect(third.data).toMatchObject({ id: created.data.id, language: "de" });
    expect(await getDb().select().from(contacts)).toHaveLength(1);
  });

  it("never clears an opt-out", async () => {
    const { key, account } = await world();
    const optedOutAt = new Date("2025-02-01T10:00:00Z");
    const contact = await insertContact(getDb(), { accountId: account.id, externalId: "sf-c-5", optedOutAt });
    const put = await callApi("/contacts/external/sf-c-5", {
      key,
      method: "PUT",
      body: { ...priya, opted_out: false },
    });
    expect(put.status).toBe(200);
    expect((await put.json()).data).toMatchObject({
      opted_out: true,
      opted_out_at: optedOutAt.toISOString(),
    });
    const patched = await callApi(`/contacts/${contact.id}`, {
      key,
      method: "PATCH",
      body: { opted_out: false },
    });
    expect((await patched.json()).data.opted_out).toBe(true);
  });

  it("applies the contact form's rules, names the API's fields and stores nothing", async () => {
    const { key, account } = await world();
    const bad = await callApi("/contacts", {
      key,
      body: { ...priya, account_id: account.id, email: "not-an-email", language: "klingon-xxxxxxxxx" },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("Content-Type")).toContain("application/problem+json");
    expect((await bad.json()).errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "email",
      "language",
    ]);
    const noAccount = await callApi("/contacts", { key, body: priya });
    expect((await noAccount.json()).errors).toEqual([
      { field: "account_id", message: "Send account_id or account_external_id." },
    ]);
    const wrongType = await callApi("/contacts", {
      key,
      body: { ...priya, account_id: account.id, name: 7 },
    });
    expect((await wrongType.json()).errors[0].field).toBe("name");
    const unknown = await callApi("/contacts", {
      key,
      body: { ...priya, account_id: account.id, colour: "red" },
    });
    expect((await unknown.json()).errors[0]).toMatchObject({ field: "colour" });
    expect(await getDb().select().from(contacts)).toEqual([]);
  });

  it("refuses a duplicate email in the account and moving a contact to another account", async () => {
    const { key, account, other } = await world();
    await insertContact(getDb(), { accountId: account.id, email: "PRIYA@northwind.test" });
    const dup = await callApi("/contacts", { key, body: { ...priya, account_id: account.id } });
    expect(dup.status).toBe(409);
    expect((await dup.json()).errors).toEqual([
      { field: "email", message: "Already used by another contact of this account." },
    ]);
    await insertContact(getDb(), { accountId: other.id, externalId: "sf-c-7" });
    const moved = await callApi("/contacts/external/sf-c-7", {
      key,
      method: "PUT",
      body: { ...priya, email: "x@y.test", account_id: account.id },
    });
    expect(moved.status).toBe(409);
  });

  it("filters by account and pages by cursor", async () => {
    const { key, account, other } = await world();
    for (let i = 0; i < 3; i++) await insertContact(getDb(), { accountId: account.id });
    await insertContact(getDb(), { accountId: other.id });
    const first = await (await callApi(`/contacts?account_id=${account.id}&limit=2`, { key })).json();
    expect(first.data).toHaveLength(2);
    const rest = await (
      await callApi(`/contacts?account_id=${account.id}&limit=2&cursor=${first.next_cursor}`, { key })
    ).json();
    expect(rest.data).toHaveLength(1);
    expect(rest.next_cursor).toBeNull();
    expect((await callApi("/contacts?limit=201", { key })).status).toBe(400);
  });

  it("answers 403 to a read key writing and 404 to ids that do not exist", async () => {
    const { account } = await world();
    const { key: readKey } = await makeApiKey("read");
    const refused = await callApi("/contacts", { key: readKey, body: { ...priya, account_id: account.id } });
    expect(refused.status).toBe(403);
    const { key } = await makeApiKey("write");
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await callApi(`/contacts/${missing}`, { key })).status).toBe(404);
    expect(
      (await callApi(`/contacts/${missing}`, { key, method: "PATCH", body: { name: "X" } })).status,
    ).toBe(404);
    expect((await callApi("/contacts/not-a-uuid", { key })).status).toBe(404);
    const noSuchAccount = await callApi("/contacts", { key, body: { ...priya, account_id: missing } });
    expect(noSuchAccount.status).toBe(400);
    expect(await getDb().select().from(contacts).where(eq(contacts.accountId, account.id))).toEqual([]);
  });
});
