import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountMembers, accounts, type User } from "../../db/schema";
import { insertAccount, insertUser } from "../../db/factories";
import { listAccountFilterOptions, listAccounts } from "~/domain/accounts.server";
import { getDb } from "~/lib/db.server";
import { loader as editLoader, action as editAction } from "~/routes/_app.accounts.$accountId_.edit";
import { loader as listLoader } from "~/routes/_app.accounts._index";
import { loader as newLoader, action as newAction } from "~/routes/_app.accounts.new";
import { cookieFor, makeRequest, settle } from "../support/requests";

/** A form post with repeated fields (memberIds), as a browser sends a group of checkboxes. */
async function post(path: string, user: User, fields: Record<string, string>, memberIds: string[] = []) {
  const body = new URLSearchParams(fields);
  for (const id of memberIds) body.append("memberIds", id);
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: {
      Cookie: await cookieFor(user.id),
      "Content-Type": "application/x-www-form-urlencoded",
      "x-rapport-client-ip": "203.0.113.7",
    },
    body,
  });
}

const validFields = {
  name: "Northwind Traders",
  segment: "enterprise",
  region: "EMEA",
  tier: "strategic",
  lifecycleStage: "expanding",
  annualValue: "250,000",
  targetCadenceDays: "30",
};

async function listWorld() {
  const db = getDb();
  const admin = await insertUser(db, { role: "admin" });
  const dana = await insertUser(db, { role: "manager", name: "Dana Price" });
  const omar = await insertUser(db, { role: "manager", name: "Omar Said" });
  const yuki = await insertUser(db, { role: "manager", name: "Yuki Tanaka" });
  const make = (
    name: string,
    ownerId: string,
    extra: Partial<typeof accounts.$inferInsert> & { dollars: number },
  ) => {
    const { dollars, ...rest } = extra;
    return insertAccount(db, { name, ownerId, annualValueCents: dollars * 100, ...rest });
  };
  await make("Acme Logistics", dana.id, {
    dollars: 500_000,
    segment: "enterprise",
    region: "EMEA",
    tier: "strategic",
    lifecycleStage: "renewing",
  });
  await make("Borealis Foods", omar.id, {
    dollars: 80_000,
    segment: "smb",
    region: "North America",
    tier: "core",
    lifecycleStage: "onboarding",
  });
  await make("Cobalt Mining", dana.id, {
    dollars: 1_200_000,
    segment: "enterprise",
    region: "APAC",
    tier: "key",
    lifecycleStage: "at_risk",
  });
  await make("Delta Health", yuki.id, {
    dollars: 300_000,
    segment: "mid_market",
    region: "EMEA",
    tier: "key",
    lifecycleStage: "adopting",
  });
  return { admin, dana, omar, yuki };
}

const names = (result: { rows: { name: string }[] }) => result.rows.map((r) => r.name);

describe("the account list's filters and order", () => {
  it("narrows by each filter on its own", async () => {
    const w = await listWorld();
    const db = getDb();
    const list = (options: Parameters<typeof listAccounts>[2]) => listAccounts(db, w.admin, options);
    expect(names(await list({ owner: w.dana.id }))).toEqual(["Acme Logistics", "Cobalt Mining"]);
    expect(names(await list({ segment: "enterprise" }))).toEqual(["Acme Logistics", "Cobalt Mining"]);
    expect(names(await list({ region: "EMEA" }))).toEqual(["Acme Logistics", "Delta Health"]);
    expect(names(await list({ tier: "key" }))).toEqual(["Cobalt Mining", "Delta Health"]);
    expect(names(await list({ stage: "at_risk" }))).toEqual(["Cobalt Mining"]);
    expect(names(await list({ search: "foods" }))).toEqual(["Borealis Foods"]);
    // filters combine: enterprise accounts in EMEA
    const both = await list({ segment: "enterprise", region: "EMEA" });
    expect(names(both)).toEqual(["Acme Logistics"]);
    expect(both.total).toBe(1);
  });

  it("ignores malformed filter values instead of failing", async () => {
    const w = await listWorld();
    const all = await listAccounts(getDb(), w.admin, {
      owner: "not-a-uuid'; drop table accounts;--",
      segment: "galactic",
      stage: "",
    });
    expect(all.total).toBe(4);
  });

  it("sorts by annual value, largest first", async () => {
    const w = await listWorld();
    const result = await listAccounts(getDb(), w.admin, { sort: "value", dir: "desc" });
    // 1.2M, 500k, 300k, 80k
    expect(names(result)).toEqual(["Cobalt Mining", "Acme Logistics", "Delta Health", "Borealis Foods"]);
  });

  it("sorts by owner and by lifecycle stage in journey order", async () => {
    const w = await listWorld();
    const db = getDb();
    // Dana (Acme, Cobalt), Omar (Borealis), Yuki (Delta)
    expect(names(await listAccounts(db, w.admin, { sort: "owner", dir: "asc" }))).toEqual([
      "Acme Logistics",
      "Cobalt Mining",
      "Borealis Foods",
      "Delta Health",
    ]);
    // onboarding, adopting, renewing, at_risk
    expect(names(await listAccounts(db, w.admin, { sort: "stage", dir: "asc" }))).toEqual([
      "Borealis Foods",
      "Delta Health",
      "Acme Logistics",
      "Cobalt Mining",
    ]);
  });

  it("falls back to name A→Z for an unknown sort column, whatever the direction", async () => {
    const w = await listWorld();
    const cookie = await cookieFor(w.admin.id);
    const response = await settle(() =>
      listLoader({
        request: makeRequest("/accounts?sort=annual_value%3B--&dir=desc", { cookie }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.filters.sort).toBe("name");
    expect(data.filters.dir).toBe("asc");
    expect(data.rows.map((r: { name: string }) => r.name)).toEqual([
      "Acme Logistics",
      "Borealis Foods",
      "Cobalt Mining",
      "Delta Health",
    ]);
    // an unknown direction on a known column is ascending
    const sideways = await listAccounts(getDb(), w.admin, { sort: "value", dir: "sideways" });
    expect(names(sideways)[0]).toBe("Borealis Foods");
  });

  it("keeps the filter on the next page", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin" });
    const owner = await insertUser(db, { role: "manager" });
    for (let i = 0; i < 27; i++) {
      await insertAccount(db, {
        ownerId: owner.id,
        name: `Small ${String(i).padStart(2, "0")}`,
        segment: "smb",
      });
    }
    for (let i = 0; i < 5; i++) {
      await insertAccount(db, { ownerId: owner.id, name: `Big ${i}`, segment: "enterprise" });
    }
    const response = await settle(async () =>
      listLoader({
        request: makeRequest("/accounts?segment=smb&page=2", { cookie: await cookieFor(admin.id) }),
        params: {},
        context: {},
      }),
    );
    const data = await response.json();
    expect(data.total).toBe(27);
    expect(data.page).toBe(2);
    expect(data.filters.segment).toBe("smb");
    expect(data.rows.map((r: { name: string }) => r.name)).toEqual(["Small 25", "Small 26"]);
  });

  it("offers a manager only the owners and regions of accounts they can see", async () => {
    const w = await listWorld();
    const db = getDb();
    const [delta] = await db.select().from(accounts).where(eq(accounts.name, "Delta Health"));
    await db.insert(accountMembers).values({ accountId: delta!.id, userId: w.omar.id });
    const options = await listAccountFilterOptions(db, w.omar);
    expect(options.owners.map((o) => o.name)).toEqual(["Omar Said", "Yuki Tanaka"]);
    expect(options.regions).toEqual(["EMEA", "North America"]);
    // and a manager filtering by another owner still sees only their own team's accounts
    expect(names(await listAccounts(db, w.omar, { owner: w.dana.id }))).toEqual([]);
    expect(names(await listAccounts(db, w.omar, { owner: w.yuki.id }))).toEqual(["Delta Health"]);
  });

  it("shows a New account button to admins and managers, not leaders", async () => {
    const db = getDb();
    for (const [role, expected] of [
      ["admin", true],
      ["manager", true],
      ["leader", false],
    ] as const) {
      const user = await insertUser(db, { role });
      const response = await settle(async () =>
        listLoader({
          request: makeRequest("/accounts", { cookie: await cookieFor(user.id) }),
          params: {},
          context: {},
        }),
      );
      expect((await response.json()).canCreate).toBe(expected);
    }
  });
});

describe("creating an account", () => {
  it("makes the manager who creates it the owner, even when another owner is posted", async () => {
    const db = getDb();
    const manager = await insertUser(db, { role: "manager" });
    const other = await insertUser(db, { role: "manager" });
    const teammate = await insertUser(db, { role: "manager" });
    const response = await settle(async () =>
      newAction({
        request: await post("/accounts/new", manager, { ...validFields, ownerId: other.id }, [
          teammate.id,
          manager.id,
        ]),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(302);
    const [created] = await db.select().from(accounts);
    expect(response.headers.get("Location")).toBe(`/accounts/${created!.id}`);
    expect(created).toMatchObject({
      name: "Northwind Traders",
      segment: "enterprise",
      region: "EMEA",
      tier: "strategic",
      lifecycleStage: "expanding",
      annualValueCents: 25_000_000, // $250,000
      targetCadenceDays: 30,
      ownerId: manager.id,
    });
    // the owner is not listed again as a member
    const team = await db.select().from(accountMembers).where(eq(accountMembers.accountId, created!.id));
    expect(team.map((m) => m.userId)).toEqual([teammate.id]);
  });

  it("lets an admin choose the owner, and defaults the cadence to 45 days", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin" });
    const manager = await insertUser(db, { role: "manager" });
    const response = await settle(async () =>
      newAction({
        request: await post("/accounts/new", admin, {
          ...validFields,
          targetCadenceDays: "",
          ownerId: manager.id,
        }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(302);
    const [created] = await db.select().from(accounts);
    expect(created!.ownerId).toBe(manager.id);
    expect(created!.targetCadenceDays).toBe(45);
  });

  it("refuses a leader as owner", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin" });
    const leader = await insertUser(db, { role: "leader" });
    const response = await settle(async () =>
      newAction({
        request: await post("/accounts/new", admin, { ...validFields, ownerId: leader.id }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors.ownerId).toMatch(/Leaders cannot own accounts/);
    expect(await db.select().from(accounts)).toHaveLength(0);
  });

  it("answers 403 to a leader, for the page and the post", async () => {
    const db = getDb();
    const leader = await insertUser(db, { role: "leader" });
    const page = await settle(async () =>
      newLoader({
        request: makeRequest("/accounts/new", { cookie: await cookieFor(leader.id) }),
        params: {},
        context: {},
      }),
    );
    expect(page.status).toBe(403);
    const posted = await settle(async () =>
      newAction({ request: await post("/accounts/new", leader, validFields), params: {}, context: {} }),
    );
    expect(posted.status).toBe(403);
    expect(await db.select().from(accounts)).toHaveLength(0);
  });

  it("names each refused field and saves nothing", async () => {
    const db = getDb();
    const manager = await insertUser(db, { role: "manager" });
    const response = await settle(async () =>
      newAction({
        request: await post("/accounts/new", manager, {
          ...validFields,
          name: "   ",
          annualValue: "-5",
          targetCadenceDays: "0",
          segment: "galactic",
        }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(400);
    const { fieldErrors, values } = await response.json();
    expect(fieldErrors).toEqual({
      name: "Enter the account’s name.",
      annualValue: "Annual value cannot be negative; you entered -5.",
      targetCadenceDays: "Contact cadence must be a whole number of days from 1 to 365; you entered 0.",
      segment: "“galactic” is not a segment; choose one of Enterprise, Mid-market, SMB.",
    });
    // what was typed comes back, so the form can show it again
    expect(values.annualValue).toBe("-5");
    expect(await db.select().from(accounts)).toHaveLength(0);
  });

  it("refuses a name over 200 characters, cents, and a team member id that is not a user", async () => {
    const db = getDb();
    const manager = await insertUser(db, { role: "manager" });
    const attempt = async (fields: Record<string, string>, memberIds: string[] = []) => {
      const response = await settle(async () =>
        newAction({
          request: await post("/accounts/new", manager, { ...validFields, ...fields }, memberIds),
          params: {},
          context: {},
        }),
      );
      expect(response.status).toBe(400);
      return (await response.json()).fieldErrors;
    };
    expect((await attempt({ name: "x".repeat(201) })).name).toBe("The name must be at most 200 characters.");
    expect((await attempt({ annualValue: "12.50" })).annualValue).toMatch(/whole dollars/);
    expect((await attempt({}, ["nope"])).memberIds).toBe("Team member “nope” is not a known user.");
    expect((await attempt({}, ["00000000-0000-4000-8000-000000000000"])).memberIds).toMatch(
      /not a known user/,
    );
    expect(await db.select().from(accounts)).toHaveLength(0);
  });
});

describe("editing an account", () => {
  async function editWorld() {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin" });
    const leader = await insertUser(db, { role: "leader" });
    const owner = await insertUser(db, { role: "manager", name: "Olive Owner" });
    const teammate = await insertUser(db, { role: "manager", name: "Tom Teammate" });
    const second = await insertUser(db, { role: "manager", name: "Sam Second" });
    const outsider = await insertUser(db, { role: "manager", name: "Otto Outsider" });
    const account = await insertAccount(db, {
      name: "Acme Logistics",
      ownerId: owner.id,
      annualValueCents: 12_345, // $123.45, as a CRM sync might set it
    });
    await db.insert(accountMembers).values([
      { accountId: account.id, userId: teammate.id },
      { accountId: account.id, userId: second.id },
    ]);
    return { admin, leader, owner, teammate, second, outsider, account };
  }

  const edit = async (
    accountId: string,
    user: User,
    fields: Record<string, string>,
    memberIds: string[] = [],
  ) =>
    settle(async () =>
      editAction({
        request: await post(`/accounts/${accountId}/edit`, user, fields, memberIds),
        params: { accountId },
        context: {},
      }),
    );

  const teamOf = async (accountId: string) =>
    (await getDb().select().from(accountMembers).where(eq(accountMembers.accountId, accountId)))
      .map((m) => m.userId)
      .sort();

  const stored = async (accountId: string) =>
    (await getDb().select().from(accounts).where(eq(accounts.id, accountId)))[0]!;

  it("answers 403 to a manager off the team and to a leader, and changes nothing", async () => {
    const w = await editWorld();
    for (const user of [w.outsider, w.leader]) {
      const page = await settle(async () =>
        editLoader({
          request: makeRequest(`/accounts/${w.account.id}/edit`, { cookie: await cookieFor(user.id) }),
          params: { accountId: w.account.id },
          context: {},
        }),
      );
      expect(page.status).toBe(403);
      expect((await edit(w.account.id, user, { ...validFields, name: "Hijacked" })).status).toBe(403);
    }
    expect((await stored(w.account.id)).name).toBe("Acme Logistics");
  });

  it("answers 404 for an unknown or malformed account id", async () => {
    const w = await editWorld();
    for (const id of ["00000000-0000-4000-8000-000000000000", "nope"]) {
      expect((await edit(id, w.admin, validFields)).status).toBe(404);
    }
  });

  it("lets a team member edit the facts and the team but never the owner", async () => {
    const w = await editWorld();
    const response = await edit(
      w.account.id,
      w.teammate,
      { ...validFields, ownerId: w.teammate.id },
      [w.teammate.id, w.outsider.id], // Sam removed, Otto added
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/accounts/${w.account.id}`);
    const account = await stored(w.account.id);
    expect(account.ownerId).toBe(w.owner.id);
    expect(account.name).toBe("Northwind Traders");
    expect(account.annualValueCents).toBe(25_000_000);
    expect(await teamOf(w.account.id)).toEqual([w.teammate.id, w.outsider.id].sort());
  });

  it("keeps stored cents when the whole-dollar value is unchanged", async () => {
    const w = await editWorld();
    // $123.45 is shown as 123; saving 123 must not round the stored value
    const response = await edit(w.account.id, w.owner, { ...validFields, annualValue: "123" }, [
      w.teammate.id,
    ]);
    expect(response.status).toBe(302);
    expect((await stored(w.account.id)).annualValueCents).toBe(12_345);
  });

  it("lets an admin hand the account to another owner, who then leaves the member list", async () => {
    const w = await editWorld();
    const response = await edit(w.account.id, w.admin, { ...validFields, ownerId: w.teammate.id }, [
      w.teammate.id,
      w.second.id,
      w.owner.id,
    ]);
    expect(response.status).toBe(302);
    expect((await stored(w.account.id)).ownerId).toBe(w.teammate.id);
    expect(await teamOf(w.account.id)).toEqual([w.second.id, w.owner.id].sort());
  });

  it("saves nothing when one team member id is bad: 400, facts and team unchanged", async () => {
    const w = await editWorld();
    const before = await stored(w.account.id);
    for (const bad of ["00000000-0000-4000-8000-000000000000", "robert'); drop table users;--"]) {
      const response = await edit(w.account.id, w.owner, { ...validFields, name: "Renamed" }, [
        w.outsider.id,
        bad,
      ]);
      expect(response.status).toBe(400);
      expect((await response.json()).fieldErrors.memberIds).toMatch(/is not a known user/);
    }
    const after = await stored(w.account.id);
    expect(after.name).toBe("Acme Logistics");
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(await teamOf(w.account.id)).toEqual([w.teammate.id, w.second.id].sort());
  });

  it("sends a manager who takes themselves off the team back to the list", async () => {
    const w = await editWorld();
    const response = await edit(w.account.id, w.second, validFields, [w.teammate.id]);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/accounts");
    expect(await teamOf(w.account.id)).toEqual([w.teammate.id]);
  });

  it("prefills the form with the stored account and its team", async () => {
    const w = await editWorld();
    const response = await settle(async () =>
      editLoader({
        request: makeRequest(`/accounts/${w.account.id}/edit`, { cookie: await cookieFor(w.teammate.id) }),
        params: { accountId: w.account.id },
        context: {},
      }),
    );
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.canChooseOwner).toBe(false);
    expect(data.account.name).toBe("Acme Logistics");
    expect(data.account.ownerName).toBe("Olive Owner");
    expect([...data.account.memberIds].sort()).toEqual([w.teammate.id, w.second.id].sort());
    // leaders are offered as team members but never as owners
    expect(data.options.owners.map((p: { id: string }) => p.id)).not.toContain(w.leader.id);
    expect(data.options.people.map((p: { id: string }) => p.id)).toContain(w.leader.id);
  });
});
