import { asc, eq, isNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  accountMembers,
  accounts,
  answers,
  campaignRecipients,
  campaigns,
  cases,
  contacts,
  interactions,
  invitations,
  users,
} from "../../db/schema";
import { DEMO_PASSWORD, DEMO_USERS, isWorkspaceEmpty, seedDemoWorkspace } from "../../db/seed";
import { authenticate } from "~/lib/auth.server";
import { getDb, getSql } from "~/lib/db.server";
import { makeRequest } from "../support/requests";

const now = new Date("2026-11-01T09:00:00Z");

async function fingerprint() {
  const db = getDb();
  return {
    accounts: await db
      .select({ name: accounts.name, tier: accounts.tier })
      .from(accounts)
      .orderBy(asc(accounts.name)),
    contacts: (await db.select({ email: contacts.email }).from(contacts).orderBy(asc(contacts.email))).map(
      (c) => c.email,
    ),
    interactionDays: (
      await getSql()<
        { days: string }[]
      >`select string_agg(to_char(occurred_at, 'YYYY-MM-DD') || kind, ',' order by occurred_at, kind, summary) as days from interactions`
    )[0]!.days,
    answerTotal: (await db.select({ total: sql<string>`sum(${answers.value})` }).from(answers))[0]!.total,
  };
}

describe("the demo workspace", () => {
  it("is a believable company of the promised size", async () => {
    const db = getDb();
    expect(await isWorkspaceEmpty(db)).toBe(true);
    const summary = await seedDemoWorkspace(db, { now });
    expect(await isWorkspaceEmpty(db)).toBe(false);

    const roles = await db.select({ role: users.role }).from(users);
    expect(roles.filter((r) => r.role !== "manager")).toHaveLength(3);
    expect(roles.filter((r) => r.role === "manager")).toHaveLength(6);
    expect(summary.accounts).toBeGreaterThanOrEqual(25);
    expect(summary.accounts).toBeLessThanOrEqual(35);
    expect(summary.contacts).toBeGreaterThanOrEqual(120);
    expect(summary.contacts).toBeLessThanOrEqual(180);
    expect(summary.contactNotes).toBeGreaterThan(summary.contacts);
    expect(summary.responses).toBeGreaterThan(20);
    expect(summary.predictions).toBeGreaterThan(10);
    expect(summary.opportunities).toBeGreaterThan(5);

    const span = await getSql()<{ months: number }[]>`
      select extract(epoch from (max(occurred_at) - min(occurred_at))) / 86400 / 30 as months from interactions`;
    expect(Number(span[0]!.months)).toBeGreaterThan(15);

    // the pulses went out as four completed campaigns, each invitation in its wave's campaign
    // (a contact asked twice in one wave keeps the second ask as a hand-made link)
    const seededCampaigns = await db.select().from(campaigns);
    expect(seededCampaigns.map((c) => c.status)).toEqual([
      "completed",
      "completed",
      "completed",
      "completed",
    ]);
    const unassigned = await db.select().from(invitations).where(isNull(invitations.campaignId));
    expect(unassigned.length).toBeLessThan(summary.invitations / 20);
    const recipients = await db.select().from(campaignRecipients);
    expect(recipients).toHaveLength(summary.invitations - unassigned.length);

    const openCases = await db.select().from(cases).where(eq(cases.status, "open"));
    expect(openCases.length).toBeGreaterThan(0);

    // manager@demo.test owns some accounts and is on the team of others
    const [manager] = await db.select().from(users).where(eq(users.email, "manager@demo.test"));
    const owned = await db.select().from(accounts).where(eq(accounts.ownerId, manager!.id));
    const member = await db.select().from(accountMembers).where(eq(accountMembers.userId, manager!.id));
    expect(owned.length).toBeGreaterThan(0);
    expect(member.length).toBeGreaterThan(0);
    expect(owned.length + member.length).toBeLessThan(summary.accounts);

    // every account has a decision-maker and a champion
    const groups = await getSql()<{ account_id: string; roles: string[] }[]>`
      select account_id, array_agg(distinct buying_role)::text[] as roles from contacts group by account_id`;
    for (const group of groups)
      expect(group.roles).toEqual(expect.arrayContaining(["decision_maker", "champion"]));

    const interactionCount = await db.select({ n: sql<number>`count(*)::int` }).from(interactions);
    expect(interactionCount[0]!.n).toBe(summary.interactions);
  });

  it("lets every demo user sign in with the demo password", async () => {
    await seedDemoWorkspace(getDb(), { now });
    for (const user of DEMO_USERS) {
      const result = await authenticate(
        makeRequest("/login", { ip: `10.0.0.${DEMO_USERS.indexOf(user)}` }),
        user.email,
        DEMO_PASSWORD,
      );
      expect(result.ok, user.email).toBe(true);
    }
  });

  it("is the same workspace every time it is created", async () => {
    await seedDemoWorkspace(getDb(), { now });
    const first = await fingerprint();
    await getSql().unsafe(
      `truncate ${(
        await getSql()<
          { name: string }[]
        >`select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`
      )
        .map((t) => t.name)
        .join(", ")} restart identity cascade`,
    );
    await seedDemoWorkspace(getDb(), { now });
    expect(await fingerprint()).toEqual(first);
  });
});
