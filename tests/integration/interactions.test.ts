import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountMembers, interactionContacts, interactions, interactionUsers } from "../../db/schema";
import { insertAccount, insertContact, insertInteraction, insertUser } from "../../db/factories";
import { parseLocalDateTime } from "~/domain/interactions.server";
import { getDb } from "~/lib/db.server";
import { action as commitmentAction } from "~/routes/_app.interactions.$interactionId.commitment";
import { action as logAction, loader as logLoader } from "~/routes/_app.log";
import { cookieFor, makeRequest, settle } from "../support/requests";

async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager", name: "Olivia Owner" });
  const teammate = await insertUser(db, { role: "manager", name: "Tariq Teammate" });
  const outsider = await insertUser(db, { role: "manager" });
  const leader = await insertUser(db, { role: "leader" });
  const admin = await insertUser(db, { role: "admin" });
  const account = await insertAccount(db, { ownerId: owner.id, name: "Acme Logistics" });
  await db.insert(accountMembers).values({ accountId: account.id, userId: teammate.id });
  const dana = await insertContact(db, { accountId: account.id, name: "Dana Price" });
  const eli = await insertContact(db, { accountId: account.id, name: "Eli Moss" });
  const otherAccount = await insertAccount(db, { ownerId: outsider.id, name: "Borealis Foods" });
  const stranger = await insertContact(db, { accountId: otherAccount.id, name: "Sam Stranger" });
  return { owner, teammate, outsider, leader, admin, account, dana, eli, otherAccount, stranger };
}

/** A past moment, as a datetime-local field sends it (no zone: read as UTC). */
const PAST = "2026-06-02T09:30";

async function log(userId: string, form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  const request = new Request("http://localhost/log", {
    method: "POST",
    headers: {
      Cookie: await cookieFor(userId),
      "Content-Type": "application/x-www-form-urlencoded",
      "x-rapport-client-ip": "203.0.113.7",
    },
    body,
  });
  return settle(() => logAction({ request, params: {}, context: {} }));
}

async function resolve(userId: string, interactionId: string, form: Record<string, string>) {
  return settle(async () =>
    commitmentAction({
      request: makeRequest(`/interactions/${interactionId}/commitment`, {
        cookie: await cookieFor(userId),
        form,
      }),
      params: { interactionId },
      context: {},
    }),
  );
}

const allInteractions = () => getDb().select().from(interactions);

describe("logging an interaction", () => {
  it("stores a call with two contacts as a deposit of weight 2, with every participant", async () => {
    const w = await world();
    const response = await log(w.teammate.id, {
      accountId: w.account.id,
      kind: "call",
      occurredAt: PAST,
      contactIds: [w.dana.id, w.eli.id],
      userIds: [w.teammate.id, w.owner.id],
      summary: "Walked through the renewal timeline.",
      engagementQuality: "4",
      equityEffect: "deposit",
      equityWeight: "2",
      returnTo: `/contacts/${w.dana.id}`,
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/contacts/${w.dana.id}?logged=1`);
    const [row, ...more] = await allInteractions();
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({
      accountId: w.account.id,
      authorId: w.teammate.id,
      kind: "call",
      summary: "Walked through the renewal timeline.",
      engagementQuality: 4,
      equityEffect: "deposit",
      equityWeight: 2,
      dueOn: null,
      commitmentStatus: null,
    });
    expect(row!.occurredAt.toISOString()).toBe("2026-06-02T09:30:00.000Z");
    const contacts = await getDb()
      .select({ id: interactionContacts.contactId })
      .from(interactionContacts)
      .where(eq(interactionContacts.interactionId, row!.id));
    expect(contacts.map((c) => c.id).sort()).toEqual([w.dana.id, w.eli.id].sort());
    const users = await getDb()
      .select({ id: interactionUsers.userId })
      .from(interactionUsers)
      .where(eq(interactionUsers.interactionId, row!.id));
    expect(users.map((u) => u.id).sort()).toEqual([w.owner.id, w.teammate.id].sort());
  });

  it("applies the kind's default effect when none is sent: a favour deposits 2, a mistake withdraws 2", async () => {
    const w = await world();
    const base = { accountId: w.account.id, occurredAt: PAST, userIds: w.owner.id };
    expect((await log(w.owner.id, { ...base, kind: "favour", summary: "Intro to our CFO" })).status).toBe(
      302,
    );
    expect((await log(w.owner.id, { ...base, kind: "mistake", summary: "Invoice sent twice" })).status).toBe(
      302,
    );
    const rows = await allInteractions();
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r]));
    expect(byKind.favour).toMatchObject({ equityEffect: "deposit", equityWeight: 2 });
    expect(byKind.mistake).toMatchObject({ equityEffect: "withdrawal", equityWeight: 2 });
    // engagement quality belongs to two-way contact only; a favour is not a conversation
    expect(byKind.favour!.engagementQuality).toBeNull();
  });

  it("goes back to the account page when returnTo is missing or leaves the site", async () => {
    const w = await world();
    const base = { accountId: w.account.id, kind: "meeting", occurredAt: PAST };
    for (const returnTo of ["", "//evil.example", "https://evil.example/x", "/\t/evil.example"]) {
      const response = await log(w.owner.id, { ...base, returnTo });
      expect(response.headers.get("Location")).toBe(`/accounts/${w.account.id}?logged=1`);
    }
  });

  it("reads the time in the browser's zone when the offset is sent", async () => {
    const w = await world();
    // UTC+2 (summer in Paris): getTimezoneOffset() is −120; 09:30 there is 07:30 UTC
    await log(w.owner.id, { accountId: w.account.id, kind: "meeting", occurredAt: PAST, tzOffset: "-120" });
    const [row] = await allInteractions();
    expect(row!.occurredAt.toISOString()).toBe("2026-06-02T07:30:00.000Z");
    expect(parseLocalDateTime("2026-02-30T10:00")).toBeNull();
  });

  it("refuses a contact from another account with 400 naming participants, and saves nothing", async () => {
    const w = await world();
    const response = await log(w.owner.id, {
      accountId: w.account.id,
      kind: "meeting",
      occurredAt: PAST,
      contactIds: [w.dana.id, w.stranger.id],
    });
    expect(response.status).toBe(400);
    const { fieldErrors, values } = await response.json();
    expect(Object.keys(fieldErrors)).toEqual(["participants"]);
    expect(fieldErrors.participants).toMatch(/not in this account’s buying group/);
    // the form gets back what was posted, so nothing typed is lost
    expect(values.contactIds).toEqual([w.dana.id, w.stranger.id]);
    expect(await allInteractions()).toHaveLength(0);
  });

  it("refuses a colleague who is not on the account team", async () => {
    const w = await world();
    const response = await log(w.owner.id, {
      accountId: w.account.id,
      kind: "meeting",
      occurredAt: PAST,
      userIds: [w.owner.id, w.outsider.id],
    });
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors.participants).toMatch(/not on this account’s team/);
    expect(await allInteractions()).toHaveLength(0);
  });

  it("answers 403 to a leader and to a manager off the team", async () => {
    const w = await world();
    const form = { accountId: w.account.id, kind: "meeting", occurredAt: PAST };
    expect((await log(w.leader.id, form)).status).toBe(403);
    expect((await log(w.outsider.id, form)).status).toBe(403);
    expect(await allInteractions()).toHaveLength(0);
  });

  it("needs a due date for a commitment, and a summary for one", async () => {
    const w = await world();
    const response = await log(w.owner.id, {
      accountId: w.account.id,
      kind: "commitment",
      occurredAt: PAST,
      summary: "Send the integration roadmap",
    });
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors).toEqual({
      dueOn: "A commitment needs a due date: when did we promise it by?",
    });
    const noSummary = await log(w.owner.id, {
      accountId: w.account.id,
      kind: "commitment",
      occurredAt: PAST,
      dueOn: "2026-06-30",
    });
    expect((await noSummary.json()).fieldErrors.summary).toBe(
      "Say what was promised: a commitment needs a summary.",
    );
    expect(await allInteractions()).toHaveLength(0);
  });

  it("refuses a date more than a day ahead, and takes one a few hours ahead", async () => {
    const w = await world();
    const at = (hoursAhead: number) =>
      new Date(Date.now() + hoursAhead * 3_600_000).toISOString().slice(0, 16);
    const tooFar = await log(w.owner.id, { accountId: w.account.id, kind: "meeting", occurredAt: at(26) });
    expect(tooFar.status).toBe(400);
    expect(Object.keys((await tooFar.json()).fieldErrors)).toEqual(["occurredAt"]);
    const soon = await log(w.owner.id, { accountId: w.account.id, kind: "meeting", occurredAt: at(3) });
    expect(soon.status).toBe(302);
    expect(await allInteractions()).toHaveLength(1);
  });

  it("refuses out-of-range weight and quality, naming the field and value", async () => {
    const w = await world();
    const response = await log(w.owner.id, {
      accountId: w.account.id,
      kind: "call",
      occurredAt: PAST,
      engagementQuality: "6",
      equityEffect: "deposit",
      equityWeight: "4",
    });
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors).toEqual({
      engagementQuality: "Engagement quality is 1 to 5; “6” is not.",
      equityWeight: "The weight is 1 to 3; “4” is not.",
    });
  });
});

describe("the log form", () => {
  it("opens on a contact's account with that contact and the current user ticked", async () => {
    const w = await world();
    const response = await settle(async () =>
      logLoader({
        request: makeRequest(`/log?contactId=${w.eli.id}&returnTo=%2Fcontacts%2F${w.eli.id}`, {
          cookie: await cookieFor(w.teammate.id),
        }),
        params: {},
        context: {},
      }),
    );
    const data = await response.json();
    expect(data.step).toBe("form");
    expect(data.account).toEqual({ id: w.account.id, name: "Acme Logistics" });
    expect(data.contacts.map((c: { name: string }) => c.name)).toEqual(["Dana Price", "Eli Moss"]);
    // the owner first, then the team by name
    expect(data.colleagues.map((c: { name: string }) => c.name)).toEqual(["Olivia Owner", "Tariq Teammate"]);
    expect(data.defaults.contactIds).toEqual([w.eli.id]);
    expect(data.currentUserId).toBe(w.teammate.id);
    expect(data.returnTo).toBe(`/contacts/${w.eli.id}`);
  });

  it("lists the account's open commitments, soonest due first, flagging the overdue ones", async () => {
    const w = await world();
    const db = getDb();
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await insertInteraction(db, {
      accountId: w.account.id,
      kind: "commitment",
      summary: "Later",
      dueOn: day(5),
    });
    await insertInteraction(db, {
      accountId: w.account.id,
      kind: "commitment",
      summary: "Late",
      dueOn: day(-2),
    });
    await insertInteraction(db, {
      accountId: w.account.id,
      kind: "commitment",
      summary: "Done",
      dueOn: day(-9),
      commitmentStatus: "kept",
    });
    await insertInteraction(db, { accountId: w.otherAccount.id, kind: "commitment", summary: "Elsewhere" });
    const response = await settle(async () =>
      logLoader({
        request: makeRequest(`/log?accountId=${w.account.id}`, { cookie: await cookieFor(w.owner.id) }),
        params: {},
        context: {},
      }),
    );
    const { commitments, chosenHere, returnTo } = await response.json();
    expect(commitments.map((c: { summary: string; overdue: boolean }) => [c.summary, c.overdue])).toEqual([
      ["Late", true],
      ["Later", false],
    ]);
    expect(chosenHere).toBe(false);
    expect(returnTo).toBeNull();
  });

  it("lets an admin off the team log, and counts them as a participant", async () => {
    const w = await world();
    const response = await log(w.admin.id, {
      accountId: w.account.id,
      kind: "qbr",
      occurredAt: PAST,
      userIds: [w.admin.id, w.owner.id],
    });
    expect(response.status).toBe(302);
    const users = await getDb().select({ id: interactionUsers.userId }).from(interactionUsers);
    expect(users.map((u) => u.id).sort()).toEqual([w.admin.id, w.owner.id].sort());
  });

  it("offers a manager only the accounts they can edit, and refuses a leader", async () => {
    const w = await world();
    const open = async (userId: string) =>
      settle(async () =>
        logLoader({
          request: makeRequest("/log", { cookie: await cookieFor(userId) }),
          params: {},
          context: {},
        }),
      );
    const data = await (await open(w.teammate.id)).json();
    expect(data.step).toBe("account");
    expect(data.accounts).toEqual([{ id: w.account.id, name: "Acme Logistics" }]);
    const admin = await (await open(w.admin.id)).json();
    expect(admin.accounts.map((a: { name: string }) => a.name)).toEqual(["Acme Logistics", "Borealis Foods"]);
    expect((await open(w.leader.id)).status).toBe(403);
  });
});

describe("resolving a commitment", () => {
  it("marks it kept as a deposit of weight 2 once, and answers 409 the second time", async () => {
    const w = await world();
    const commitment = await insertInteraction(getDb(), {
      accountId: w.account.id,
      kind: "commitment",
      summary: "Send the roadmap",
      dueOn: "2026-06-30",
    });
    expect(commitment).toMatchObject({ commitmentStatus: "open", equityEffect: "neutral", equityWeight: 1 });
    const before = Date.now();
    const kept = await resolve(w.teammate.id, commitment.id, { status: "kept", returnTo: "/log" });
    expect(kept.status).toBe(302);
    expect(kept.headers.get("Location")).toBe("/log");
    const [row] = await getDb().select().from(interactions).where(eq(interactions.id, commitment.id));
    expect(row).toMatchObject({ commitmentStatus: "kept", equityEffect: "deposit", equityWeight: 2 });
    expect(row!.commitmentResolvedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);

    const again = await resolve(w.owner.id, commitment.id, { status: "broken" });
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(
      /^This commitment was already marked kept on .+; an outcome cannot be changed\.$/,
    );
    const [unchanged] = await getDb().select().from(interactions).where(eq(interactions.id, commitment.id));
    expect(unchanged).toMatchObject({ commitmentStatus: "kept", equityEffect: "deposit" });
  });

  it("marks a broken one a withdrawal of weight 2 and goes to the account page", async () => {
    const w = await world();
    const commitment = await insertInteraction(getDb(), { accountId: w.account.id, kind: "commitment" });
    const broken = await resolve(w.owner.id, commitment.id, { status: "broken" });
    expect(broken.headers.get("Location")).toBe(`/accounts/${w.account.id}`);
    const [row] = await getDb().select().from(interactions).where(eq(interactions.id, commitment.id));
    expect(row).toMatchObject({ commitmentStatus: "broken", equityEffect: "withdrawal", equityWeight: 2 });
  });

  it("refuses a non-commitment (400), a bad status (400), a leader or an outsider (403), an unknown id (404)", async () => {
    const w = await world();
    const meeting = await insertInteraction(getDb(), { accountId: w.account.id, kind: "meeting" });
    const commitment = await insertInteraction(getDb(), { accountId: w.account.id, kind: "commitment" });
    const notCommitment = await resolve(w.owner.id, meeting.id, { status: "kept" });
    expect(notCommitment.status).toBe(400);
    expect(await notCommitment.text()).toMatch(/is a meeting, not a commitment/);
    const badStatus = await resolve(w.owner.id, commitment.id, { status: "maybe" });
    expect(badStatus.status).toBe(400);
    expect(await badStatus.text()).toMatch(/“maybe” is not a commitment outcome/);
    expect((await resolve(w.leader.id, commitment.id, { status: "kept" })).status).toBe(403);
    expect((await resolve(w.outsider.id, commitment.id, { status: "kept" })).status).toBe(403);
    expect(
      (await resolve(w.owner.id, "00000000-0000-4000-8000-000000000000", { status: "kept" })).status,
    ).toBe(404);
    const [still] = await getDb().select().from(interactions).where(eq(interactions.id, commitment.id));
    expect(still!.commitmentStatus).toBe("open");
  });
});
