import { and, asc, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  insertAccount,
  insertAccountMember,
  insertContact,
  insertOpportunity,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import {
  campaigns,
  interviewTasks,
  invitations,
  opportunities,
  outbox,
  responses,
  winlossFollowups,
  winlossRules,
  type User,
} from "../../db/schema";
import { getCsvImport, importCsv, submitApply } from "~/domain/csv-import.server";
import { closeOpportunityFromSync, recordSellerReasons } from "~/domain/opportunities.server";
import { dealsAwaitingSellerReasons, processDueFollowups } from "~/domain/winloss-followups.server";
import { getDb } from "~/lib/db.server";
import {
  action as interviewAction,
  loader as interviewLoader,
} from "~/routes/_app.contacts.$contactId_.interview/route";
import { loader as interviewsLoader } from "~/routes/_app.interviews._index/route";
import { action as taskAction, loader as taskLoader } from "~/routes/_app.interviews.$taskId/route";
import { action as dealAction } from "~/routes/_app.opportunities.$opportunityId/route";
import {
  action as reasonsAction,
  loader as reasonsLoader,
} from "~/routes/_app.opportunities.$opportunityId_.reasons";
import { action as rulesAction, loader as rulesLoader } from "~/routes/_app.settings_.winloss/route";
import { cookieFor, makeRequest, settle } from "../support/requests";

const DAY = 86_400_000;
const later = (days: number, from = Date.now()) => new Date(from + days * DAY);

/**
 * An admin, a leader, an account owned by Olive with Tom on its team, an outsider, and the
 * account's contacts: three buyers (a decision-maker, a champion, an influencer), a user, an
 * opted-out decision-maker — and a decision-maker at another account.
 */
async function world() {
  const db = getDb();
  const admin = await insertUser(db, { role: "admin", name: "Ada Admin" });
  const leader = await insertUser(db, { role: "leader", name: "Lee Leader" });
  const owner = await insertUser(db, { role: "manager", name: "Olive Owner", email: "olive@vendor.test" });
  const teammate = await insertUser(db, { role: "manager", name: "Tom Teammate" });
  const outsider = await insertUser(db, { role: "manager", name: "Otto Outsider" });
  const account = await insertAccount(db, {
    ownerId: owner.id,
    name: "Globex",
    externalId: "ACC-1",
    segment: "enterprise",
  });
  await insertAccountMember(db, { accountId: account.id, userId: teammate.id });
  const contact = (
    name: string,
    buyingRole: "decision_maker" | "champion" | "influencer" | "user",
    extra = {},
  ) =>
    insertContact(db, {
      accountId: account.id,
      name,
      email: `${name.split(" ")[0]!.toLowerCase()}@globex.test`,
      buyingRole,
      ...extra,
    });
  const buyers = {
    dana: await contact("Dana Decider", "decision_maker"),
    cy: await contact("Cy Champion", "champion"),
    ivy: await contact("Ivy Influencer", "influencer"),
  };
  const uma = await contact("Uma User", "user");
  const opted = await contact("Oscar Opted", "decision_maker", { optedOutAt: later(-30) });
  const elsewhere = await insertContact(db, { name: "Elsa Elsewhere", buyingRole: "decision_maker" });
  const survey = await insertSurveyVersionFromFile(db, "win-loss");
  const guide = await insertSurveyVersionFromFile(db, "winloss-interview");
  return { admin, leader, owner, teammate, outsider, account, buyers, uma, opted, elsewhere, survey, guide };
}
type World = Awaited<ReturnType<typeof world>>;

function post(path: string, cookie: string, entries: [string, string][]): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: {
      Cookie: cookie,
      "Content-Type": "application/x-www-form-urlencoded",
      "x-rapport-client-ip": "203.0.113.7",
    },
    body: new URLSearchParams(entries),
  });
}

function jsonPost(path: string, cookie: string, body: unknown): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie, "x-rapport-client-ip": "203.0.113.7" },
    body: JSON.stringify(body),
  });
}

async function postRule(user: User, entries: [string, string][]) {
  const request = post("/settings/winloss", await cookieFor(user), entries);
  return settle(() => rulesAction({ request, params: {}, context: {} }));
}

const rule = (fields: Record<string, string | string[]>): [string, string][] =>
  Object.entries(fields).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]),
  );

async function storedRules() {
  return getDb().select().from(winlossRules).orderBy(asc(winlossRules.position));
}

/** The demo's rules: a big loss gets an interview two days after close, everything else a survey after three. */
async function demoRules(admin: User) {
  const interview = rule({
    intent: "create",
    outcomes: "lost",
    minAmount: "50,000",
    action: "interview",
    delayDays: "2",
  });
  expect((await postRule(admin, interview)).status).toBe(302);
  expect((await postRule(admin, rule({ intent: "create", action: "survey", delayDays: "3" }))).status).toBe(
    302,
  );
  return storedRules();
}

async function followupOf(opportunityId: string) {
  const [row] = await getDb()
    .select()
    .from(winlossFollowups)
    .where(eq(winlossFollowups.opportunityId, opportunityId));
  return row;
}

const closeEntries = (outcome: string, amount: string): [string, string][] => [
  ["intent", "close"],
  ["outcome", outcome],
  ["amount", amount],
  ["primaryReason", "price"],
  ["secondaryReasons", "competitor_strength"],
];

async function closeOnDealPage(opportunityId: string, user: User, outcome: string, amount: string) {
  const request = post(
    `/opportunities/${opportunityId}`,
    await cookieFor(user),
    closeEntries(outcome, amount),
  );
  return settle(() => dealAction({ request, params: { opportunityId }, context: {} }));
}

/** A deal closed on the deal page with its reasons sealed; `followup` is due `delayDays` after now. */
async function closedDeal(w: World, outcome: "won" | "lost", amount = "80000", accountId = w.account.id) {
  const deal = await insertOpportunity(getDb(), { accountId, name: `Globex ${outcome} deal` });
  expect((await closeOnDealPage(deal.id, w.owner, outcome, amount)).status).toBe(302);
  return { deal, followup: (await followupOf(deal.id))! };
}

// ─── Rules ────────────────────────────────────────────────────────────────────

describe("the win/loss rules page", () => {
  it("lets an admin add, edit, reorder and delete rules, numbered 1…n in the order they are tried", async () => {
    const w = await world();
    const [interview, survey] = await demoRules(w.admin);
    expect(interview).toMatchObject({
      position: 1,
      outcomes: ["lost"],
      minAmountCents: 50_000_00,
      maxAmountCents: null,
      segment: null,
      action: "interview",
      delayDays: 2,
    });
    expect(survey).toMatchObject({ position: 2, outcomes: [], action: "survey", delayDays: 3 });

    const cookie = await cookieFor(w.admin);
    const page = await settle(() =>
      rulesLoader({ request: makeRequest("/settings/winloss", { cookie }), params: {}, context: {} }),
    );
    const data = await page.json();
    expect(data.rules.map((r: { condition: string; then: string }) => `${r.condition} → ${r.then}`)).toEqual([
      "Lost · $50,000 or more → Open an interview task 2 days after close",
      "Every closed deal → Survey the buyers 3 days after close",
    ]);
    expect(data.defaultAction).toBe("Survey the buyers 3 days after close");

    const moved = await postRule(w.admin, rule({ intent: "move", ruleId: survey!.id, direction: "up" }));
    expect(await moved.json()).toMatchObject({
      intent: "move",
      ruleId: survey!.id,
      position: 1,
      moved: true,
    });
    expect((await storedRules()).map((r) => r.id)).toEqual([survey!.id, interview!.id]);
    // already first: nothing moves, nothing fails
    const again = await postRule(w.admin, rule({ intent: "move", ruleId: survey!.id, direction: "up" }));
    expect(await again.json()).toMatchObject({ position: 1, moved: false });

    const edit = rule({
      intent: "update",
      ruleId: interview!.id,
      outcomes: ["lost", "no_decision"],
      minAmount: "$100,000",
      maxAmount: "1000000",
      segment: "enterprise",
      action: "interview",
      delayDays: "0",
    });
    expect((await postRule(w.admin, edit)).status).toBe(302);
    expect((await storedRules())[1]).toMatchObject({
      position: 2,
      outcomes: ["lost", "no_decision"],
      minAmountCents: 100_000_00,
      maxAmountCents: 1_000_000_00,
      segment: "enterprise",
      delayDays: 0,
    });

    expect((await postRule(w.admin, rule({ intent: "delete", ruleId: survey!.id }))).status).toBe(302);
    expect((await storedRules()).map((r) => [r.id, r.position])).toEqual([[interview!.id, 1]]);
    expect((await postRule(w.admin, rule({ intent: "delete", ruleId: survey!.id }))).status).toBe(404);
  });

  it("names each bad field and saves nothing", async () => {
    const w = await world();
    const response = await postRule(
      w.admin,
      rule({
        intent: "create",
        outcomes: ["lost", "open"],
        minAmount: "-5",
        maxAmount: "lots",
        segment: "galactic",
        delayDays: "91",
      }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors).toEqual({
      outcomes: "Outcome “open” is not one of won, lost or no decision.",
      minAmount: "“At least” “-5” is negative; enter zero or more.",
      maxAmount: "“Below” “lots” is not an amount; enter dollars such as 50000 or 50,000.",
      segment: "Segment “galactic” is not one of Enterprise, Mid-market or SMB.",
      action: "Choose what happens: survey the buyers, open an interview task, or nothing.",
      delayDays: "Delay must be at most 90 days: after three months a buyer barely remembers.",
    });

    const crossed = await postRule(
      w.admin,
      rule({ intent: "create", minAmount: "50000", maxAmount: "10000", action: "survey", delayDays: "" }),
    );
    expect((await crossed.json()).fieldErrors).toEqual({
      maxAmount: "“Below” ($10,000) must be more than “at least” ($50,000), or no deal can match.",
      delayDays: "Delay is required: a whole number of days from 0 to 90.",
    });
    const fraction = await postRule(w.admin, rule({ intent: "create", action: "none", delayDays: "2.5" }));
    expect((await fraction.json()).fieldErrors).toEqual({
      delayDays: "Delay must be a whole number of days from 0 to 90.",
    });
    expect(await storedRules()).toEqual([]);
  });

  it("is for admins only: leaders and managers get 403 and change nothing", async () => {
    const w = await world();
    for (const user of [w.leader, w.owner]) {
      const page = await settle(async () =>
        rulesLoader({
          request: makeRequest("/settings/winloss", { cookie: await cookieFor(user) }),
          params: {},
          context: {},
        }),
      );
      expect(page.status).toBe(403);
      expect((await postRule(user, rule({ intent: "create", action: "none", delayDays: "0" }))).status).toBe(
        403,
      );
    }
    expect(await storedRules()).toEqual([]);
  });
});

// ─── Closing a deal ───────────────────────────────────────────────────────────

describe("closing a deal records its follow-up", () => {
  it("schedules what the first matching rule says when the deal is closed on its page", async () => {
    const w = await world();
    const [interviewRule, surveyRule] = await demoRules(w.admin);

    const bigLoss = await closedDeal(w, "lost", "80000");
    const [deal] = await getDb().select().from(opportunities).where(eq(opportunities.id, bigLoss.deal.id));
    expect(bigLoss.followup).toMatchObject({
      ruleId: interviewRule!.id,
      ruleSummary: "Rule 1: Lost · $50,000 or more → open an interview task 2 days after close",
      action: "interview",
      delayDays: 2,
      status: "scheduled",
      skipReason: null,
      closedAt: deal!.closedAt,
    });
    expect(bigLoss.followup.dueAt.getTime() - deal!.closedAt!.getTime()).toBe(2 * DAY);

    const smallLoss = await closedDeal(w, "lost", "49999.99");
    expect(smallLoss.followup).toMatchObject({ ruleId: surveyRule!.id, action: "survey", delayDays: 3 });
    const win = await closedDeal(w, "won", "500000");
    expect(win.followup).toMatchObject({ ruleId: surveyRule!.id, action: "survey", status: "scheduled" });
  });

  it("uses the default — survey after 3 days — when no rule matches, and records one follow-up per deal", async () => {
    const w = await world();
    await postRule(
      w.admin,
      rule({ intent: "create", outcomes: "won", segment: "smb", action: "none", delayDays: "0" }),
    );
    const { deal, followup } = await closedDeal(w, "won");
    expect(followup).toMatchObject({
      ruleId: null,
      ruleSummary: "No rule matched: survey the buyers 3 days after close (the default)",
      action: "survey",
      delayDays: 3,
      status: "scheduled",
    });
    // a second close is refused as sealed and records nothing more
    expect((await closeOnDealPage(deal.id, w.owner, "lost", "1")).status).toBe(409);
    const [{ n } = { n: 0 }] = await getDb().select({ n: count() }).from(winlossFollowups);
    expect(n).toBe(1);
  });

  it("a rule saying none skips the follow-up with its reason", async () => {
    const w = await world();
    await postRule(w.admin, rule({ intent: "create", outcomes: "won", action: "none", delayDays: "0" }));
    const { followup } = await closedDeal(w, "won");
    expect(followup).toMatchObject({
      status: "skipped",
      skipReason: "the matching rule asks for no follow-up",
    });
  });

  it("closed by CSV without reasons: waits for the seller, asks nobody, and schedules once the seller seals them", async () => {
    const w = await world();
    await demoRules(w.admin);
    const deal = await insertOpportunity(getDb(), {
      accountId: w.account.id,
      externalId: "OPP-9",
      name: "Globex expansion",
      amountCents: 20_000_00,
    });
    const today = new Date().toISOString().slice(0, 10);
    const file = `external_id,account_external_id,name,amount,close_date,outcome\nOPP-9,ACC-1,Globex expansion,20000,${today},lost\n`;
    const checked = await importCsv(getDb(), w.owner, { kind: "opportunities", content: file });
    expect(checked.status, JSON.stringify(checked.report)).toBe("checked");
    expect(await submitApply(getDb(), w.owner, checked.id, async () => false)).toBe("started");
    expect((await getCsvImport(getDb(), w.owner, checked.id))!.status).toBe("applied");

    expect(await followupOf(deal.id)).toMatchObject({
      status: "waiting_for_seller",
      action: "survey",
      delayDays: 3,
    });
    // however late the job runs, nobody is asked before the seller's reasons are sealed
    expect(await processDueFollowups(getDb(), { now: later(30) })).toMatchObject({
      invited: 0,
      tasksOpened: 0,
    });
    expect(await getDb().select().from(campaigns)).toEqual([]);

    // the seller sees it and gets the form; a leader reads it without one
    expect((await dealsAwaitingSellerReasons(getDb(), w.owner.id)).map((d) => d.id)).toEqual([deal.id]);
    const asOwner = await reasonsPage(deal.id, w.owner);
    expect(await asOwner.json()).toMatchObject({
      canRecord: true,
      followup: { status: "waiting_for_seller" },
    });
    expect(await (await reasonsPage(deal.id, w.leader)).json()).toMatchObject({ canRecord: false });
    expect((await postReasons(deal.id, w.leader, [["primaryReason", "price"]])).status).toBe(403);
    expect((await postReasons(deal.id, w.outsider, [["primaryReason", "price"]])).status).toBe(403);

    const bad = await postReasons(deal.id, w.owner, [
      ["primaryReason", "price"],
      ["secondaryReasons", "price"],
    ]);
    expect(bad.status).toBe(400);
    expect((await bad.json()).fieldErrors).toEqual({
      secondaryReasons: "“Price” is already the primary reason; choose other secondary reasons.",
    });

    const sealed = await postReasons(deal.id, w.owner, [
      ["primaryReason", "product_fit"],
      ["secondaryReasons", "implementation_risk"],
      ["reasonNote", "Their IT team could not staff the rollout."],
    ]);
    expect(sealed.status).toBe(302);
    const [row] = await getDb().select().from(opportunities).where(eq(opportunities.id, deal.id));
    expect(row).toMatchObject({
      outcome: "lost",
      sellerPrimaryReason: "product_fit",
      sellerSecondaryReasons: ["implementation_risk"],
      sellerReasonNote: "Their IT team could not staff the rollout.",
    });
    expect(row!.sellerReasonsAt).toBeInstanceOf(Date);
    const scheduled = await followupOf(deal.id);
    expect(scheduled).toMatchObject({ status: "scheduled" });
    expect(scheduled!.scheduledAt).toBeInstanceOf(Date);
    expect(await dealsAwaitingSellerReasons(getDb(), w.owner.id)).toEqual([]);

    // sealed means sealed
    const again = await postReasons(deal.id, w.owner, [["primaryReason", "price"]]);
    expect(again.status).toBe(409);
    const [unchanged] = await getDb().select().from(opportunities).where(eq(opportunities.id, deal.id));
    expect(unchanged!.sellerPrimaryReason).toBe("product_fit");
  });

  it("closed through the domain function the API calls: without reasons it waits, with them it is scheduled", async () => {
    const w = await world();
    const quiet = await insertOpportunity(getDb(), { accountId: w.account.id });
    const unsealed = await closeOpportunityFromSync(getDb(), quiet.id, { outcome: "won", amount: "12000" });
    expect(unsealed).toMatchObject({
      status: "saved",
      opportunity: { outcome: "won", sellerReasonsAt: null },
    });
    expect(await followupOf(quiet.id)).toMatchObject({ status: "waiting_for_seller" });
    expect(await recordSellerReasons(getDb(), quiet.id, { primaryReason: "relationship" })).toMatchObject({
      status: "saved",
    });
    expect(await followupOf(quiet.id)).toMatchObject({ status: "scheduled" });

    const told = await insertOpportunity(getDb(), { accountId: w.account.id });
    await closeOpportunityFromSync(getDb(), told.id, { outcome: "lost", primaryReason: "price" });
    expect(await followupOf(told.id)).toMatchObject({ status: "scheduled" });

    const open = await insertOpportunity(getDb(), { accountId: w.account.id });
    expect(await recordSellerReasons(getDb(), open.id, { primaryReason: "price" })).toMatchObject({
      status: "conflict",
    });
    expect(await followupOf(open.id)).toBeUndefined();
  });

  it("skips a deal whose close date is more than 90 days back (a CRM back-fill)", async () => {
    const w = await world();
    const old = await insertOpportunity(getDb(), { accountId: w.account.id });
    await closeOpportunityFromSync(getDb(), old.id, {
      outcome: "lost",
      closeDate: later(-120).toISOString().slice(0, 10),
      primaryReason: "price",
    });
    expect(await followupOf(old.id)).toMatchObject({
      status: "skipped",
      skipReason: expect.stringMatching(/more than 90 days ago: too late to ask the buyers$/),
    });
  });
});

async function reasonsPage(opportunityId: string, user: User) {
  const request = makeRequest(`/opportunities/${opportunityId}/reasons`, { cookie: await cookieFor(user) });
  return settle(() => reasonsLoader({ request, params: { opportunityId }, context: {} }));
}

async function postReasons(opportunityId: string, user: User, entries: [string, string][]) {
  const request = post(`/opportunities/${opportunityId}/reasons`, await cookieFor(user), entries);
  return settle(() => reasonsAction({ request, params: { opportunityId }, context: {} }));
}

// ─── The job ──────────────────────────────────────────────────────────────────

describe("the winloss.followups job", () => {
  it("at the due time starts a campaign to the deal's buyers only, every invitation carrying the deal", async () => {
    const w = await world();
    await demoRules(w.admin);
    const { deal, followup } = await closedDeal(w, "won");

    const early = await processDueFollowups(getDb(), { now: new Date(followup.dueAt.getTime() - 60_000) });
    expect(early.invited).toBe(0);
    expect(await getDb().select().from(campaigns)).toEqual([]);

    const run = await processDueFollowups(getDb(), { now: followup.dueAt });
    expect(run).toMatchObject({ invited: 1, written: 3, failed: 0 });
    const [campaign, ...more] = await getDb().select().from(campaigns);
    expect(more).toEqual([]);
    expect(campaign).toMatchObject({
      name: "Win/loss: Globex won deal",
      surveyVersionId: w.survey.id,
      opportunityId: deal.id,
      status: "sending",
    });
    const invited = await getDb()
      .select({ contactId: invitations.contactId, opportunityId: invitations.opportunityId })
      .from(invitations)
      .where(eq(invitations.campaignId, campaign!.id));
    expect(invited.map((i) => i.contactId).sort()).toEqual(
      [w.buyers.dana.id, w.buyers.cy.id, w.buyers.ivy.id].sort(),
    );
    expect(invited.every((i) => i.opportunityId === deal.id)).toBe(true);
    const mail = await getDb().select({ to: outbox.toAddress }).from(outbox).orderBy(asc(outbox.toAddress));
    expect(mail.map((m) => m.to)).toEqual(["cy@globex.test", "dana@globex.test", "ivy@globex.test"]);
    expect(await followupOf(deal.id)).toMatchObject({ status: "invited", campaignId: campaign!.id });

    // run again: nothing new
    expect(await processDueFollowups(getDb(), { now: later(10) })).toMatchObject({ invited: 0, skipped: 0 });
    expect(await getDb().select().from(campaigns)).toHaveLength(1);
    expect(await getDb().select().from(invitations)).toHaveLength(3);
  });

  it("run twice at the same moment makes one campaign per deal", async () => {
    const w = await world();
    // a second account of Olive's, so the contact-frequency rule does not stand between the two deals
    const initech = await insertAccount(getDb(), { ownerId: w.owner.id, name: "Initech" });
    for (const name of ["Ida", "Ian", "Isa"]) {
      await insertContact(getDb(), { accountId: initech.id, name, buyingRole: "decision_maker" });
    }
    const first = await closedDeal(w, "won");
    const second = await closedDeal(w, "lost", "1000", initech.id);
    const now = later(4);
    const [a, b] = await Promise.all([
      processDueFollowups(getDb(), { now }),
      processDueFollowups(getDb(), { now }),
    ]);
    expect(a.invited + b.invited).toBe(2);
    expect(a.failed + b.failed).toBe(0);
    const made = await getDb().select({ opportunityId: campaigns.opportunityId }).from(campaigns);
    expect(made.map((c) => c.opportunityId).sort()).toEqual([first.deal.id, second.deal.id].sort());
    expect(await getDb().select().from(invitations)).toHaveLength(6);
  });

  it("skips with the reason “no buyer contacts” when the account has no buyer left to ask", async () => {
    const db = getDb();
    const owner = await insertUser(db, { role: "manager" });
    const account = await insertAccount(db, { ownerId: owner.id });
    await insertContact(db, { accountId: account.id, buyingRole: "user" });
    await insertContact(db, { accountId: account.id, buyingRole: "champion", optedOutAt: new Date() });
    await insertSurveyVersionFromFile(db, "win-loss");
    const deal = await insertOpportunity(db, { accountId: account.id });
    await closeOpportunityFromSync(db, deal.id, { outcome: "lost", primaryReason: "price" });
    expect(await processDueFollowups(db, { now: later(4) })).toMatchObject({ skipped: 1, invited: 0 });
    expect(await followupOf(deal.id)).toMatchObject({ status: "skipped", skipReason: "no buyer contacts" });
    expect(await db.select().from(campaigns)).toEqual([]);
  });

  it("an interview rule opens a task for the account owner, with a decision-maker, due a week after", async () => {
    const w = await world();
    await demoRules(w.admin);
    const { deal, followup } = await closedDeal(w, "lost", "80000");
    expect(await processDueFollowups(getDb(), { now: followup.dueAt })).toMatchObject({ tasksOpened: 1 });
    const [task, ...more] = await getDb().select().from(interviewTasks);
    expect(more).toEqual([]);
    expect(task).toMatchObject({
      opportunityId: deal.id,
      assigneeId: w.owner.id,
      contactId: w.buyers.dana.id,
      status: "open",
      createdById: null,
      dueOn: new Date(followup.dueAt.getTime() + 7 * DAY).toISOString().slice(0, 10),
    });
    expect(await followupOf(deal.id)).toMatchObject({ status: "task_opened", interviewTaskId: task!.id });
    expect(await getDb().select().from(campaigns)).toEqual([]);
    expect(await processDueFollowups(getDb(), { now: later(20) })).toMatchObject({ tasksOpened: 0 });
    expect(await getDb().select().from(interviewTasks)).toHaveLength(1);
  });
});

// ─── Interview tasks ──────────────────────────────────────────────────────────

/** A deal lost for $80,000 under the demo rules, and the interview task the job opened for it. */
async function openTask(w: World) {
  await demoRules(w.admin);
  const { deal, followup } = await closedDeal(w, "lost", "80000");
  await processDueFollowups(getDb(), { now: followup.dueAt });
  const [task] = await getDb().select().from(interviewTasks).where(eq(interviewTasks.opportunityId, deal.id));
  return { deal, task: task! };
}

const interviewAnswers = {
  decision: "chose_another",
  competitor: "Initech",
  primary_reason: "implementation_risk",
  secondary_reasons: ["price"],
  reasons_in_their_words: "Your rollout plan needed our IT team for six months.",
  interviewer_notes_reasons: "Their CFO joined for this part.",
};

async function recordFor(contactId: string, user: User, body: unknown) {
  const path = `/contacts/${contactId}/interview`;
  const request = jsonPost(path, await cookieFor(user), body);
  return settle(() => interviewAction({ request, params: { contactId }, context: {} }));
}

async function openRecorder(contactId: string, taskId: string, user: User) {
  const request = makeRequest(`/contacts/${contactId}/interview?task=${taskId}`, {
    cookie: await cookieFor(user),
  });
  return settle(() => interviewLoader({ request, params: { contactId }, context: {} }));
}

async function listTasks(user: User, query = "") {
  const request = makeRequest(`/interviews${query}`, { cookie: await cookieFor(user) });
  return settle(() => interviewsLoader({ request, params: {}, context: {} }));
}

async function taskPage(taskId: string, user: User) {
  const request = makeRequest(`/interviews/${taskId}`, { cookie: await cookieFor(user) });
  return settle(() => taskLoader({ request, params: { taskId }, context: {} }));
}

async function changeTask(taskId: string, user: User, entries: [string, string][]) {
  const request = post(`/interviews/${taskId}`, await cookieFor(user), entries);
  return settle(() => taskAction({ request, params: { taskId }, context: {} }));
}

describe("interview tasks", () => {
  it("recording the task's interview stores a response linked to the deal, source interview, and marks the task done", async () => {
    const w = await world();
    const { deal, task } = await openTask(w);
    const recorder = await openRecorder(w.buyers.dana.id, task.id, w.teammate);
    const page = await recorder.json();
    expect(page.task).toEqual({ id: task.id, opportunityName: deal.name });
    expect(page.guide).toMatchObject({ versionId: w.guide.id, title: "Win/loss interview" });

    const saved = await recordFor(w.buyers.dana.id, w.teammate, {
      surveyVersionId: w.guide.id,
      data: interviewAnswers,
      taskId: task.id,
    });
    expect(saved.status).toBe(200);
    const { responseId } = (await saved.json()) as { responseId: string };
    const [response, ...others] = await getDb().select().from(responses);
    expect(others).toEqual([]);
    expect(response).toMatchObject({
      id: responseId,
      opportunityId: deal.id,
      source: "interview",
      interviewerId: w.teammate.id,
      contactId: w.buyers.dana.id,
      surveyVersionId: w.guide.id,
      isComplete: true,
      data: interviewAnswers,
    });
    const [done] = await getDb().select().from(interviewTasks).where(eq(interviewTasks.id, task.id));
    expect(done).toMatchObject({ status: "done", responseId });
    expect(done!.completedAt).toBeInstanceOf(Date);

    // a second save (a double click, another tab) stores nothing more
    const twice = await recordFor(w.buyers.dana.id, w.teammate, {
      surveyVersionId: w.guide.id,
      data: interviewAnswers,
      taskId: task.id,
    });
    expect(twice.status).toBe(409);
    expect(await getDb().select().from(responses)).toHaveLength(1);
    expect((await openRecorder(w.buyers.dana.id, task.id, w.teammate)).status).toBe(409);
  });

  it("refuses an interview for the task with another contact, and one missing the decision", async () => {
    const w = await world();
    const { task } = await openTask(w);
    expect((await openRecorder(w.buyers.cy.id, task.id, w.owner)).status).toBe(404);
    const wrong = await recordFor(w.buyers.cy.id, w.owner, {
      surveyVersionId: w.guide.id,
      data: interviewAnswers,
      taskId: task.id,
    });
    expect(wrong.status).toBe(404);
    const { decision: _decision, ...partial } = interviewAnswers;
    const missing = await recordFor(w.buyers.dana.id, w.owner, {
      surveyVersionId: w.guide.id,
      data: partial,
      taskId: task.id,
    });
    expect(missing.status).toBe(422);
    expect(await getDb().select().from(responses)).toEqual([]);
    const [still] = await getDb().select().from(interviewTasks);
    expect(still!.status).toBe("open");
  });

  it("lists mine by default, all for leaders, marks the overdue, and shows an outsider nothing", async () => {
    const w = await world();
    const { task } = await openTask(w);
    await getDb()
      .update(interviewTasks)
      .set({ dueOn: later(-3).toISOString().slice(0, 10) })
      .where(eq(interviewTasks.id, task.id));

    const mine = await (await listTasks(w.owner)).json();
    expect(mine).toMatchObject({ scope: "mine", total: 1, canAct: true });
    expect(mine.rows[0]).toMatchObject({ id: task.id, overdue: true, contactName: "Dana Decider" });
    expect(await (await listTasks(w.teammate)).json()).toMatchObject({ scope: "mine", total: 0 });
    expect(await (await listTasks(w.teammate, "?scope=all")).json()).toMatchObject({ total: 1 });

    const asLeader = await (await listTasks(w.leader)).json();
    expect(asLeader).toMatchObject({ scope: "all", total: 1, canAct: false });
    expect(await (await taskPage(task.id, w.leader)).json()).toMatchObject({ canEdit: false });
    expect((await changeTask(task.id, w.leader, [["intent", "cancel"]])).status).toBe(403);
    expect((await openRecorder(w.buyers.dana.id, task.id, w.leader)).status).toBe(403);

    expect(await (await listTasks(w.outsider, "?scope=all&status=all")).json()).toMatchObject({
      total: 0,
      rows: [],
    });
    expect((await taskPage(task.id, w.outsider)).status).toBe(403);
    expect((await openRecorder(w.buyers.dana.id, task.id, w.outsider)).status).toBe(403);
    const outsiderSave = await recordFor(w.buyers.dana.id, w.outsider, {
      surveyVersionId: w.guide.id,
      data: interviewAnswers,
      taskId: task.id,
    });
    expect(outsiderSave.status).toBe(403);
    expect(await getDb().select().from(responses)).toEqual([]);
  });

  it("the team reassigns it and moves its due date; someone off the team or a past date is refused; cancel ends it", async () => {
    const w = await world();
    const { task } = await openTask(w);
    const today = new Date().toISOString().slice(0, 10);
    const next = later(14).toISOString().slice(0, 10);

    const offTeam = await changeTask(task.id, w.owner, [
      ["intent", "update"],
      ["assigneeId", w.outsider.id],
      ["contactId", w.elsewhere.id],
      ["dueOn", later(-1).toISOString().slice(0, 10)],
    ]);
    expect(offTeam.status).toBe(400);
    expect((await offTeam.json()).fieldErrors).toEqual({
      assigneeId: "That person is not on this account's team; choose the owner or a team member.",
      contactId: "That contact is not one of this account's; choose another.",
      dueOn: `Due date ${later(-1).toISOString().slice(0, 10)} is in the past; choose today (${today}) or later.`,
    });

    const moved = await changeTask(task.id, w.owner, [
      ["intent", "update"],
      ["assigneeId", w.teammate.id],
      ["contactId", w.buyers.cy.id],
      ["dueOn", next],
    ]);
    expect(moved.status).toBe(302);
    const [updated] = await getDb().select().from(interviewTasks).where(eq(interviewTasks.id, task.id));
    expect(updated).toMatchObject({ assigneeId: w.teammate.id, contactId: w.buyers.cy.id, dueOn: next });
    expect(await (await listTasks(w.teammate)).json()).toMatchObject({ total: 1 });

    expect((await changeTask(task.id, w.outsider, [["intent", "cancel"]])).status).toBe(403);
    expect((await changeTask(task.id, w.teammate, [["intent", "cancel"]])).status).toBe(302);
    const [cancelled] = await getDb()
      .select()
      .from(interviewTasks)
      .where(and(eq(interviewTasks.id, task.id), eq(interviewTasks.status, "cancelled")));
    expect(cancelled).toMatchObject({ cancelledById: w.teammate.id });
    expect((await changeTask(task.id, w.teammate, [["intent", "cancel"]])).status).toBe(409);
    expect((await openRecorder(w.buyers.cy.id, task.id, w.teammate)).status).toBe(409);
    const late = await recordFor(w.buyers.cy.id, w.teammate, {
      surveyVersionId: w.guide.id,
      data: interviewAnswers,
      taskId: task.id,
    });
    expect(late.status).toBe(409);
    expect(await getDb().select().from(responses)).toEqual([]);
  });
});
