import { describe, expect, it } from "vitest";
import { accountMembers } from "../../db/schema";
import { insertAccount, insertUser } from "../../db/factories";
import { listAccounts } from "~/domain/accounts.server";
import { requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { createSession } from "~/lib/session.server";
import { loader as accountLoader } from "~/routes/_app.accounts.$accountId/route";
import { loader as settingsLoader } from "~/routes/_app.settings";
import { makeRequest, settle } from "../support/requests";

async function world() {
  const db = getDb();
  const admin = await insertUser(db, { role: "admin" });
  const leader = await insertUser(db, { role: "leader" });
  const owner = await insertUser(db, { role: "manager" });
  const teammate = await insertUser(db, { role: "manager" });
  const outsider = await insertUser(db, { role: "manager" });
  const account = await insertAccount(db, { ownerId: owner.id, name: "Acme Logistics" });
  const other = await insertAccount(db, { ownerId: outsider.id, name: "Borealis Foods" });
  await db.insert(accountMembers).values({ accountId: account.id, userId: teammate.id });
  return { admin, leader, owner, teammate, outsider, account, other };
}

async function status(promise: Promise<unknown>) {
  try {
    await promise;
    return 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

describe("account access", () => {
  it("applies the role and ownership rules to viewing and editing", async () => {
    const w = await world();
    const id = w.account.id;
    expect(await status(requireAccountAccess(w.admin, id, "edit"))).toBe(200);
    expect(await status(requireAccountAccess(w.leader, id, "view"))).toBe(200);
    expect(await status(requireAccountAccess(w.leader, id, "edit"))).toBe(403);
    expect(await status(requireAccountAccess(w.owner, id, "edit"))).toBe(200);
    expect(await status(requireAccountAccess(w.teammate, id, "edit"))).toBe(200);
    expect(await status(requireAccountAccess(w.outsider, id, "view"))).toBe(403);
  });

  it("answers 404, not 500, for unknown and malformed account ids", async () => {
    const w = await world();
    expect(await status(requireAccountAccess(w.admin, "00000000-0000-4000-8000-000000000000", "view"))).toBe(
      404,
    );
    expect(await status(requireAccountAccess(w.admin, "not-a-uuid'; drop table accounts;--", "view"))).toBe(
      404,
    );
  });

  it("serves the account page to its owner and 403 to another owner's manager", async () => {
    const w = await world();
    const ownerCookie = (await createSession(makeRequest("/login"), w.owner.id)).setCookie.split(";")[0]!;
    const outsiderCookie = (await createSession(makeRequest("/login"), w.outsider.id)).setCookie.split(
      ";",
    )[0]!;
    const path = `/accounts/${w.account.id}`;
    const ok = await settle(() =>
      accountLoader({
        request: makeRequest(path, { cookie: ownerCookie }),
        params: { accountId: w.account.id },
        context: {},
      }),
    );
    expect(ok.status).toBe(200);
    expect((await ok.json()).account.name).toBe("Acme Logistics");
    const denied = await settle(() =>
      accountLoader({
        request: makeRequest(path, { cookie: outsiderCookie }),
        params: { accountId: w.account.id },
        context: {},
      }),
    );
    expect(denied.status).toBe(403);
  });

  it("keeps settings to admins", async () => {
    const w = await world();
    for (const [user, expected] of [
      [w.admin, 200],
      [w.leader, 403],
      [w.owner, 403],
    ] as const) {
      const cookie = (await createSession(makeRequest("/login"), user.id)).setCookie.split(";")[0]!;
      const response = await settle(() =>
        settingsLoader({ request: makeRequest("/settings", { cookie }), params: {}, context: {} }),
      );
      expect(response.status).toBe(expected);
    }
  });

  it("rejects a role outside the allowed list with 403", async () => {
    const w = await world();
    const cookie = (await createSession(makeRequest("/login"), w.leader.id)).setCookie.split(";")[0]!;
    expect(await status(requireUser(makeRequest("/x", { cookie }), { roles: ["admin"] }))).toBe(403);
  });
});

describe("listAccounts", () => {
  it("shows managers only the accounts they own or are on the team of", async () => {
    const w = await world();
    const names = async (viewer: { id: string; role: "admin" | "leader" | "manager" }) =>
      (await listAccounts(getDb(), viewer)).rows.map((r) => r.name);
    expect(await names(w.owner)).toEqual(["Acme Logistics"]);
    expect(await names(w.teammate)).toEqual(["Acme Logistics"]);
    expect(await names(w.outsider)).toEqual(["Borealis Foods"]);
    expect(await names(w.leader)).toEqual(["Acme Logistics", "Borealis Foods"]);
  });

  it("searches by name, treating % and _ literally", async () => {
    const w = await world();
    expect((await listAccounts(getDb(), w.admin, { search: "acme" })).rows.map((r) => r.name)).toEqual([
      "Acme Logistics",
    ]);
    expect((await listAccounts(getDb(), w.admin, { search: "%" })).total).toBe(0);
  });

  it("pages through accounts in name order", async () => {
    const db = getDb();
    const owner = await insertUser(db, { role: "manager" });
    for (let i = 0; i < 30; i++)
      await insertAccount(db, { ownerId: owner.id, name: `Account ${String(i).padStart(2, "0")}` });
    const first = await listAccounts(db, owner, { page: 1 });
    const second = await listAccounts(db, owner, { page: 2 });
    expect(first.total).toBe(30);
    expect(first.rows).toHaveLength(25);
    expect(second.rows.map((r) => r.name)).toEqual([
      "Account 25",
      "Account 26",
      "Account 27",
      "Account 28",
      "Account 29",
    ]);
  });
});
