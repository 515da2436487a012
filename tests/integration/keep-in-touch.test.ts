import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { interactions } from "../../db/schema";
import {
  addDays,
  insertAccount,
  insertAccountMember,
  insertCase,
  insertContact,
  insertContactNote,
  insertInteraction,
  insertPrediction,
  insertUser,
  isoDate,
} from "../../db/factories";
import { getMyWeek } from "~/domain/keep-in-touch.server";
import { getDb } from "~/lib/db.server";
import { loader } from "~/routes/_app.week";
import { cookieFor, makeRequest, settle } from "../support/requests";

// Tuesday 10 March 2026, 09:00 UTC: every expectation below is counted from here.
const NOW = new Date("2026-03-10T09:00:00Z");
const daysAgo = (n: number) => addDays(NOW, -n);

/**
 * The viewer owns Acme (default 45-day cadence) and Zenith (no prediction ever), and is on
 * Bolt's team (30-day cadence). Outpost belongs to someone else and has something for
 * every section; none of it may show.
 */
async function world() {
  const db = getDb();
  const viewer = await insertUser(db, { role: "manager", name: "Vera Viewer" });
  const colleague = await insertUser(db, { role: "manager", name: "Colin Colleague" });
  const outsider = await insertUser(db, { role: "manager", name: "Otto Outsider" });
  const acme = await insertAccount(db, { name: "Acme", ownerId: viewer.id });
  const bolt = await insertAccount(db, { name: "Bolt", ownerId: colleague.id, targetCadenceDays: 30 });
  await insertAccountMember(db, { accountId: bolt.id, userId: viewer.id });
  const zenith = await insertAccount(db, { name: "Zenith", ownerId: viewer.id });
  const outpost = await insertAccount(db, { name: "Outpost", ownerId: outsider.id });

  // ── Birthdays ──
  const contact = (accountId: string, name: string, extra: Parameters<typeof insertContact>[1] = {}) =>
    insertContact(db, { accountId, name, ...extra });
  const birthday = (
    contactId: string,
    remindOn: string | null,
    extra: Parameters<typeof insertContactNote>[1] = {},
  ) =>
    insertContactNote(db, { contactId, kind: "birthday", body: `Birthday ${remindOn}`, remindOn, ...extra });
  const ann = await contact(acme.id, "Ann Today");
  await birthday(ann.id, "1980-03-10");
  const ben = await contact(bolt.id, "Ben Fortnight");
  await birthday(ben.id, "1985-03-24", { authorId: colleague.id });
  const cal = await contact(acme.id, "Cal Fifteen");
  await birthday(cal.id, "1985-03-25");
  const dot = await contact(acme.id, "Dot Yesterday");
  await birthday(dot.id, "1979-03-09");
  const eli = await contact(acme.id, "Eli Secret");
  await birthday(eli.id, "1990-03-12", { authorId: colleague.id, isPrivate: true });
  const fin = await contact(acme.id, "Fin Mine");
  await birthday(fin.id, "1991-03-15", { authorId: viewer.id, isPrivate: true });
  const gus = await contact(acme.id, "Gus Undated");
  await birthday(gus.id, null);
  const hal = await contact(acme.id, "Hal Graduation");
  await insertContactNote(db, {
    contactId: hal.id,
    kind: "family",
    body: "Daughter graduates",
    remindOn: "2026-03-12",
  });
  const oli = await contact(outpost.id, "Oli Outpost");
  await birthday(oli.id, "1980-03-11");

  // ── Key contacts ──
  const call = (
    accountId: string,
    contactIds: string[],
    days: number,
    kind: "call" | "meeting" | "email" = "call",
  ) => insertInteraction(db, { accountId, kind, contactIds, occurredAt: daysAgo(days) });
  const dana = await contact(acme.id, "Dana Recent", { buyingRole: "decision_maker" });
  await call(acme.id, [dana.id], 10);
  const chris = await contact(acme.id, "Chris Email", { buyingRole: "champion" });
  await call(acme.id, [chris.id], 2, "email");
  const dee = await contact(acme.id, "Dee Sixty", { buyingRole: "decision_maker" });
  await call(acme.id, [dee.id], 60, "meeting");
  const eve = await contact(acme.id, "Eve Boundary", { buyingRole: "decision_maker" });
  await call(acme.id, [eve.id], 45);
  const fay = await contact(acme.id, "Fay Booked", { buyingRole: "champion" });
  await call(acme.id, [fay.id], 100);
  await call(acme.id, [fay.id], -3, "meeting"); // booked for Friday: has not happened yet
  await contact(acme.id, "Opal OptedOut", { buyingRole: "decision_maker", optedOutAt: daysAgo(5) });
  await contact(acme.id, "Ian Influencer", { buyingRole: "influencer" });
  const bo = await contact(bolt.id, "Bo Forty", { buyingRole: "decision_maker" });
  await call(bolt.id, [bo.id], 40);
  await contact(outpost.id, "Olga Outpost", { buyingRole: "decision_maker" });

  // ── Commitments ──
  const commitment = (accountId: string, summary: string, dueOn: string, status: "open" | "kept" = "open") =>
    insertInteraction(db, {
      accountId,
      kind: "commitment",
      summary,
      dueOn,
      commitmentStatus: status,
      occurredAt: daysAgo(20),
    });
  const late = await commitment(acme.id, "Send the revised SOW", "2026-03-03");
  const lateOnBolt = await commitment(bolt.id, "Fix the invoice", "2026-03-09");
  await commitment(acme.id, "Share the roadmap", "2026-03-12");
  await commitment(acme.id, "Call back about pricing", "2026-03-10");
  await commitment(acme.id, "Already done", "2026-03-01", "kept");
  await commitment(outpost.id, "Outpost promise", "2026-02-01");
  // CSV imports may leave the status empty: never resolved, so still open
  const imported = await commitment(zenith.id, "Send the case study", "2026-03-05");
  await db.update(interactions).set({ commitmentStatus: null }).where(eq(interactions.id, imported.id));

  // ── Predictions ──
  await insertPrediction(db, { accountId: acme.id, authorId: viewer.id, createdAt: daysAgo(200) });
  await insertPrediction(db, { accountId: bolt.id, authorId: colleague.id, createdAt: daysAgo(300) });
  await insertPrediction(db, { accountId: bolt.id, authorId: colleague.id, createdAt: daysAgo(30) });

  // ── Cases ──
  const breached = await insertCase(db, {
    accountId: acme.id,
    ownerId: viewer.id,
    summary: "Advocacy 3",
    slaDueAt: new Date("2026-03-09T17:00:00Z"),
  });
  const acknowledged = await insertCase(db, {
    accountId: bolt.id,
    ownerId: viewer.id,
    status: "acknowledged",
    summary: "Asked for help",
    slaDueAt: new Date("2026-03-11T17:00:00Z"),
  });
  await insertCase(db, { accountId: acme.id, ownerId: viewer.id, status: "resolved", summary: "Done" });
  await insertCase(db, { accountId: acme.id, ownerId: colleague.id, summary: "Colin's case" });
  await insertCase(db, { accountId: outpost.id, ownerId: outsider.id, summary: "Outpost case" });

  return {
    viewer,
    colleague,
    outsider,
    acme,
    bolt,
    zenith,
    outpost,
    late,
    lateOnBolt,
    imported,
    breached,
    acknowledged,
    ann,
    ben,
    fin,
  };
}

describe("My week", () => {
  it("lists birthdays within 14 days that the viewer may read, soonest first", async () => {
    const w = await world();
    const week = await getMyWeek(getDb(), w.viewer, NOW);
    expect(week.today).toBe("2026-03-10");
    expect(week.birthdays.map((b) => [b.contactName, b.accountName, b.on, b.inDays])).toEqual([
      ["Ann Today", "Acme", "2026-03-10", 0],
      ["Fin Mine", "Acme", "2026-03-15", 5],
      ["Ben Fortnight", "Bolt", "2026-03-24", 14],
    ]);
    expect(week.birthdays[0]).toMatchObject({
      contactId: w.ann.id,
      accountId: w.acme.id,
      note: "Birthday 1980-03-10",
    });
  });

  it("lists key contacts without a two-way contact within their account's cadence", async () => {
    const w = await world();
    const week = await getMyWeek(getDb(), w.viewer, NOW);
    expect(week.keyContacts.map((c) => [c.contactName, c.accountName, c.daysSince, c.cadenceDays])).toEqual([
      ["Chris Email", "Acme", null, 45],
      ["Fay Booked", "Acme", 100, 45],
      ["Dee Sixty", "Acme", 60, 45],
      ["Bo Forty", "Bolt", 40, 30],
    ]);
  });

  it("lists open commitments due before today, the oldest first", async () => {
    const w = await world();
    const week = await getMyWeek(getDb(), w.viewer, NOW);
    expect(week.overdueCommitments).toEqual([
      {
        interactionId: w.late.id,
        accountId: w.acme.id,
        accountName: "Acme",
        summary: "Send the revised SOW",
        dueOn: "2026-03-03",
        daysOverdue: 7,
        authorName: "Vera Viewer",
      },
      {
        interactionId: w.imported.id,
        accountId: w.zenith.id,
        accountName: "Zenith",
        summary: "Send the case study",
        dueOn: "2026-03-05",
        daysOverdue: 5,
        authorName: "Vera Viewer",
      },
      {
        interactionId: w.lateOnBolt.id,
        accountId: w.bolt.id,
        accountName: "Bolt",
        summary: "Fix the invoice",
        dueOn: "2026-03-09",
        daysOverdue: 1,
        authorName: "Colin Colleague",
      },
    ]);
  });

  it("lists accounts nobody predicted in six months, never-predicted first", async () => {
    const w = await world();
    const week = await getMyWeek(getDb(), w.viewer, NOW);
    expect(week.accountCount).toBe(3);
    expect(week.accountsWithoutPrediction).toEqual([
      { accountId: w.zenith.id, accountName: "Zenith", lastPredictionAt: null },
      { accountId: w.acme.id, accountName: "Acme", lastPredictionAt: daysAgo(200) },
    ]);
  });

  it("lists the viewer's own unresolved cases by SLA, flagging a breached one", async () => {
    const w = await world();
    const week = await getMyWeek(getDb(), w.viewer, NOW);
    expect(week.openCases.map((c) => [c.caseId, c.accountName, c.status, c.slaBreached])).toEqual([
      [w.breached.id, "Acme", "open", true],
      [w.acknowledged.id, "Bolt", "acknowledged", false],
    ]);
  });

  it("shows nothing from an account the viewer is not on", async () => {
    const w = await world();
    const week = await getMyWeek(getDb(), w.viewer, NOW);
    const everything = JSON.stringify(week);
    expect(everything).not.toContain(w.outpost.id);
    expect(everything).not.toContain("Outpost");
    // The outsider, who owns it, sees it in every section but cases (theirs is open too).
    const theirs = await getMyWeek(getDb(), w.outsider, NOW);
    expect(theirs.birthdays.map((b) => b.contactName)).toEqual(["Oli Outpost"]);
    expect(theirs.keyContacts.map((c) => c.contactName)).toEqual(["Olga Outpost"]);
    expect(theirs.overdueCommitments.map((c) => c.summary)).toEqual(["Outpost promise"]);
    expect(theirs.accountsWithoutPrediction.map((a) => a.accountName)).toEqual(["Outpost"]);
    expect(theirs.openCases.map((c) => c.summary)).toEqual(["Outpost case"]);
  });

  it("is empty for an admin with no accounts of their own, though they can see every account", async () => {
    await world();
    const admin = await insertUser(getDb(), { role: "admin" });
    const week = await getMyWeek(getDb(), admin, NOW);
    expect(week).toEqual({
      today: "2026-03-10",
      accountCount: 0,
      birthdays: [],
      keyContacts: [],
      overdueCommitments: [],
      accountsWithoutPrediction: [],
      openCases: [],
    });
  });

  it("counts one birthday once when two colleagues noted it", async () => {
    const db = getDb();
    const viewer = await insertUser(db);
    const account = await insertAccount(db, { ownerId: viewer.id });
    const teammate = await insertAccountMember(db, { accountId: account.id });
    const kim = await insertContact(db, { accountId: account.id, name: "Kim Twice" });
    await insertContactNote(db, {
      contactId: kim.id,
      kind: "birthday",
      body: "Mine",
      remindOn: "1970-03-11",
    });
    await insertContactNote(db, {
      contactId: kim.id,
      authorId: teammate.userId,
      kind: "birthday",
      body: "Also mine",
      remindOn: "1970-03-11",
    });
    const week = await getMyWeek(db, viewer, NOW);
    expect(week.birthdays.map((b) => [b.contactName, b.inDays, b.note])).toEqual([["Kim Twice", 1, "Mine"]]);
  });
});

describe("the /week page", () => {
  it("sends a signed-out visitor to sign in and back", async () => {
    const response = await settle(() => loader({ request: makeRequest("/week"), params: {}, context: {} }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fweek");
  });

  it("shows any signed-in role their week as of now", async () => {
    const db = getDb();
    const leader = await insertUser(db, { role: "leader" });
    const account = await insertAccount(db, { ownerId: leader.id, name: "Leader's own" });
    const contact = await insertContact(db, { accountId: account.id, name: "Lee Today" });
    await insertContactNote(db, {
      contactId: contact.id,
      kind: "birthday",
      body: "b",
      remindOn: `2000${isoDate(new Date()).slice(4)}`,
    });
    const response = await settle(async () =>
      loader({
        request: makeRequest("/week", { cookie: await cookieFor(leader.id) }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.role).toBe("leader");
    expect(body.accountCount).toBe(1);
    expect(
      body.birthdays.map((b: { contactName: string; inDays: number }) => [b.contactName, b.inDays]),
    ).toEqual([["Lee Today", 0]]);
    expect(body.accountsWithoutPrediction.map((a: { accountName: string }) => a.accountName)).toEqual([
      "Leader's own",
    ]);
  });
});
