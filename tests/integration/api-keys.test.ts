import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys } from "../../db/schema";
import { insertUser } from "../../db/factories";
import { findActiveApiKey, hashApiKey, listApiKeys, revokeApiKey } from "~/domain/api-keys.server";
import { getDb } from "~/lib/db.server";
import { action as settingsAction, loader as settingsLoader } from "~/routes/_app.settings_.api-keys";
import { callApi, makeApiKey } from "../support/api";
import { cookieFor, makeRequest, settle } from "../support/requests";

describe("API keys", () => {
  it("stores only the hash and a display prefix, never the key", async () => {
    const { key, apiKey } = await makeApiKey("read");
    expect(key).toMatch(/^rk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row!.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key.split("_").slice(2).join("_"));
    expect(key.startsWith(`rk_${row!.prefix}_`)).toBe(true);
  });

  it("answers 401 problem+json without a key, with an unknown key and with a revoked key", async () => {
    const { key, apiKey } = await makeApiKey("write");
    expect((await callApi("/accounts", { key })).status).toBe(200);
    for (const attempt of [undefined, "rk_00000000_" + "a".repeat(43), "not-a-key"]) {
      const response = await callApi("/accounts", { key: attempt });
      expect(response.status).toBe(401);
      expect(response.headers.get("Content-Type")).toBe("application/problem+json");
      expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
      expect((await response.json()).type).toBe("https://rapport.dev/problems/unauthorized");
    }
    expect(await revokeApiKey(getDb(), apiKey.id, null)).toBe(true);
    const revoked = await callApi("/accounts", { key });
    expect(revoked.status).toBe(401);
    expect(await revokeApiKey(getDb(), apiKey.id, null)).toBe(false);
  });

  it("refuses a read key that writes with 403 and changes nothing", async () => {
    const owner = await insertUser(getDb(), { role: "manager" });
    const { key } = await makeApiKey("read");
    const response = await callApi("/accounts", {
      key,
      body: { name: "Acme", segment: "smb", region: "EMEA", tier: "core", owner_email: owner.email },
    });
    expect(response.status).toBe(403);
    expect((await response.json()).type).toBe("https://rapport.dev/problems/forbidden");
    const list = await (await callApi("/accounts", { key })).json();
    expect(list.data).toEqual([]);
  });

  it("records when a key was last used, at most once a minute", async () => {
    const { key, apiKey } = await makeApiKey("read");
    expect(apiKey.lastUsedAt).toBeNull();
    await findActiveApiKey(getDb(), key);
    const [first] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(first!.lastUsedAt).toBeInstanceOf(Date);
    await findActiveApiKey(getDb(), key);
    const [second] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(second!.lastUsedAt!.getTime()).toBe(first!.lastUsedAt!.getTime());
  });

  it("lets an admin create a key on the settings page, show it once, and revoke it", async () => {
    const admin = await insertUser(getDb(), { role: "admin", name: "Ada Admin" });
    const cookie = await cookieFor(admin);
    const created = await settle(() =>
      settingsAction({
        request: makeRequest("/settings/api-keys", {
          cookie,
          form: { intent: "create", name: "Salesforce sync", scope: "write" },
        }),
        params: {},
        context: {},
      }),
    );
    const data = await created.json();
    expect(data.created.key).toMatch(/^rk_/);
    const listed = await listApiKeys(getDb());
    expect(listed).toMatchObject([{ name: "Salesforce sync", scope: "write", createdByName: "Ada Admin" }]);
    const page = await settle(() =>
      settingsLoader({ request: makeRequest("/settings/api-keys", { cookie }), params: {}, context: {} }),
    );
    expect(JSON.stringify(await page.json())).not.toContain(data.created.key);

    const revoked = await settle(() =>
      settingsAction({
        request: makeRequest("/settings/api-keys", {
          cookie,
          form: { intent: "revoke", keyId: listed[0]!.id },
        }),
        params: {},
        context: {},
      }),
    );
    expect(revoked.status).toBe(302);
    expect((await listApiKeys(getDb()))[0]).toMatchObject({ revokedByName: "Ada Admin" });
    expect((await callApi("/accounts", { key: data.created.key })).status).toBe(401);
  });

  it("refuses a bad name or scope on the settings page and the settings to non-admins", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const adminCookie = await cookieFor(admin);
    const bad = await settle(() =>
      settingsAction({
        request: makeRequest("/settings/api-keys", {
          cookie: adminCookie,
          form: { intent: "create", name: " ", scope: "root" },
        }),
        params: {},
        context: {},
      }),
    );
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).fieldErrors).sort()).toEqual(["name", "scope"]);
    const manager = await insertUser(getDb(), { role: "manager" });
    const managerCookie = await cookieFor(manager);
    const refused = await settle(() =>
      settingsLoader({
        request: makeRequest("/settings/api-keys", { cookie: managerCookie }),
        params: {},
        context: {},
      }),
    );
    expect(refused.status).toBe(403);
    expect(await listApiKeys(getDb())).toEqual([]);
  });
});
