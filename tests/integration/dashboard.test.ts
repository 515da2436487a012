import { describe, expect, it } from "vitest";
import {
  addDays,
  insertAccount,
  insertAccountMember,
  insertCase,
  insertContact,
  insertInvitation,
  insertPrediction,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { monthStart } from "~/domain/dashboard";
import type { DashboardData } from "~/domain/dashboard.server";
import { rebuildHealthRollups, refreshAccountHealth } from "~/domain/health-rollups.server";
import { getDb } from "~/lib/db.server";
import { loader } from "~/routes/_app.dashboard/route";
import { loader as exportLoader } from "~/routes/_app.dashboard_.export.$table";
import { callLoader, csvLines, loadRoute } from "../support/loaders";
import { makeRequest, settle } from "../support/requests";

type Page = DashboardData & { query: Record<string, unknown>; choices: { owners: { id: string }[] } };

const loadDashboard = (userId: string, search = "") => loadRoute<Page>(loader, userId, `/dashboard${search}`);
const download = (userId: string, table: string, search = "") =>
  callLoader(exportLoader, userId, `/dashboard/export/${table}${search}`, { table });

/**
 * Two managers' accounts and one nobody on the team owns, each with a customer voice:
 * - Northwind (Maya's, enterprise, EMEA): the team predicts 80 on trust, the customer says 40.
 * - Contoso (Maya is on the team, mid-market): the customer rates value 100; a case resolved in time.
 * - Fabrikam (Sofia's, SMB): asked twice, never answered — silent.
 */
async function workspace() {
  const db = getDb();
  const now = new Date();
  const leader = await insertUser(db, { role: "leader", name: "Priya Raman" });
  const maya = await insertUser(db, { role: "manager", name: "Maya Chen" });
  const sofia = await insertUser(db, { role: "manager", name: "Sofia Alvarez" });
  const northwind = await insertAccount(db, {
    name: "Northwind",
    ownerId: maya.id,
    segment: "enterprise",
    region: "EMEA",
    tier: "strategic",
  });
  const contoso = await insertAccount(db, { name: "Contoso", ownerId: sofia.id, segment: "mid_market" });
  await insertAccountMember(db, { accountId: contoso.id, userId: maya.id });
  const fabrikam = await insertAccount(db, { name: "Fabrikam", ownerId: sofia.id, segment: "smb" });

  const dana = await insertContact(db, {
    accountId: northwind.id,
    name: "Dana Price",
    buyingRole: "decision_maker",
  });
  const uma = await insertContact(db, { accountId: contoso.id, name: "Uma Patel", buyingRole: "champion" });
  const fay = await insertContact(db, { accountId: fabrikam.id, buyingRole: "decision_maker" });
  const relationship = await insertSurveyVersionFromFile(db, "relationship-health");

  await insertPrediction(db, {
    accountId: northwind.id,
    values: { trust: 80 },
    createdAt: addDays(now, -20),
  });
  await insertResponse(db, {
    contactId: dana.id,
    surveyVersionId: relationship.id,
    completedAt: addDays(now, -5),
    data: {
      trust: 2,
      trust_why: "They missed 100% of the deadlines_on the rollout.",
      one_change: "=HYPERLINK(bad) a clearer roadmap",
      advocacy: 6,
    },
    answers: [
      { question: "trust", dimension: "trust", value: 40 },
      { question: "advocacy", dimension: "advocacy", value: 60 },
    ],
  });
  await insertPrediction(db, { accountId: contoso.id, values: { value: 40 }, createdAt: addDays(now, -30) });
  await insertResponse(db, {
    contactId: uma.id,
    surveyVersionId: relationship.id,
    completedAt: addDays(now, -2),
    data: { value: 5, one_change: "Keep the roadmap calls coming." },
    answers: [
      { question: "value", dimension: "value", value: 100 },
      { question: "advocacy", dimension: "advocacy", value: 100 },
    ],
  });
  await insertInvitation(db, { contactId: uma.id, status: "completed", sentAt: addDays(now, -3) });
  await insertInvitation(db, { contactId: fay.id, status: "expired", sentAt: addDays(now, -100) });
  await insertInvitation(db, { contactId: fay.id, status: "sent", sentAt: addDays(now, -40) });

  const opened = addDays(now, -10);
  await insertCase(db, {
    accountId: contoso.id,
    openedAt: opened,
    slaDueAt: addDays(opened, 2),
    acknowledgedAt: new Date(opened.getTime() + 4 * 3_600_000),
    resolvedAt: addDays(opened, 1),
    status: "resolved",
  });
  await insertCase(db, { accountId: northwind.id, openedAt: addDays(now, -6), slaDueAt: addDays(now, -4) });

  await rebuildHealthRollups(db, now);
  return { now, leader, maya, sofia, northwind, contoso, fabrikam, dana };
}

describe("the dashboard", () => {
  it("shows a leader every account's figures, read from the rollups", async () => {
    const { leader, northwind, contoso, fabrikam } = await workspace();
    const page = await loadDashboard(leader.id);

    expect(page.summary).toMatchObject({
      accounts: 3,
      withCustomerVoice: 2,
      // (40 + 100) / 2
      customerHealth: 70,
      // Dana 6 is a detractor, Uma 10 a promoter: (1 − 1) / 2
      nps: 0,
      promoters: 1,
      detractors: 1,
      silent: 1,
      blindSpots: 1,
      // Uma's one invitation was completed; Fabrikam's two were not
      invitationsSent: 3,
      invitationsCompleted: 1,
      responseRate: 33,
      keyContacts: 3,
      keyContactsHeard: 2,
      coverage: 67,
    });
    expect(page.quadrants).toEqual({
      blind_spot: 1,
      undervalued: 1,
      agreed_strength: 0,
      agreed_weakness: 0,
      none: 1,
    });
    expect(page.blindSpots.rows).toEqual([
      expect.objectContaining({
        accountId: northwind.id,
        dimension: "trust",
        team: 80,
        customer: 40,
        gap: 40,
      }),
    ]);
    expect(page.silent.rows.map((r) => r.accountId)).toEqual([fabrikam.id]);
    expect(page.silent.rows[0]!.reason).toMatch(/last 2 invitations went unanswered/);
    // the largest gap first: Northwind +40, then Contoso −60
    expect(page.heatmap.rows.map((r) => [r.accountName, r.healthGap])).toEqual([
      ["Northwind", 40],
      ["Contoso", -60],
    ]);
    expect(page.heatmap.rows[1]!.cells.value).toMatchObject({ team: 40, customer: 100, gap: -60 });
    expect(page.caseMetrics).toMatchObject({
      opened: 2,
      acknowledged: 1,
      medianHoursToAcknowledge: 4,
      resolved: 1,
      medianHoursToResolve: 24,
      resolvedWithinSla: 1,
      // the resolved one, and the open one whose SLA ran out two days ago
      slaDecided: 2,
      withinSlaShare: 50,
      open: 1,
      overdue: 1,
    });
    const thisMonth = monthStart(new Date()).slice(0, 7);
    expect(page.trend).toHaveLength(12);
    expect(page.trend.at(-1)!.month).toBe(thisMonth);
    const answered = page.trend.filter((p) => p.responses > 0);
    expect(answered.reduce((n, p) => n + p.responses, 0)).toBe(2);
    expect(page.verbatims.total).toBe(3);
    expect(contoso.id).toBeDefined();
  });

  it("shows a manager only the accounts they own or are on the team of", async () => {
    const { maya, northwind, contoso } = await workspace();
    const page = await loadDashboard(maya.id);
    expect(page.summary.accounts).toBe(2);
    expect(page.summary.silent).toBe(0);
    expect(page.heatmap.rows.map((r) => r.accountId).sort()).toEqual([northwind.id, contoso.id].sort());
    expect(page.silent.rows).toEqual([]);
    expect(page.verbatims.rows.every((v) => [northwind.id, contoso.id].includes(v.accountId))).toBe(true);
    // the case on Contoso counts: Maya is on its team
    expect(page.caseMetrics.opened).toBe(2);
    // an owner filter naming someone else's account shows nothing of it
    const sofias = await loadDashboard(maya.id, `?owner=${(await insertUser(getDb())).id}`);
    expect(sofias.summary.accounts).toBe(0);
  });

  it("applies the URL's filters to every panel, and ignores what it does not understand", async () => {
    const { leader, northwind } = await workspace();
    const enterprise = await loadDashboard(leader.id, "?segment=enterprise&window=6");
    expect(enterprise.query).toMatchObject({ segment: "enterprise", window: 6 });
    expect(enterprise.summary.accounts).toBe(1);
    expect(enterprise.trend).toHaveLength(6);
    expect(enterprise.heatmap.rows.map((r) => r.accountId)).toEqual([northwind.id]);
    expect(enterprise.caseMetrics.opened).toBe(1);
    expect(enterprise.verbatims.rows.every((v) => v.accountId === northwind.id)).toBe(true);
    expect(enterprise.coverage.map((r) => r.accountId)).toEqual([northwind.id]);

    const region = await loadDashboard(leader.id, "?region=EMEA&tier=strategic");
    expect(region.summary.accounts).toBe(1);

    const nonsense = await loadDashboard(
      leader.id,
      "?window=7&segment=galactic&owner=nobody&hsort=evil&hdir=sideways&hpage=-3&vpage=abc&vmonth=2026-13",
    );
    expect(nonsense.query).toMatchObject({ window: 12, hsort: "health", hdir: "desc", hpage: 1, vpage: 1 });
    expect(nonsense.query.segment).toBeUndefined();
    expect(nonsense.summary.accounts).toBe(3);
  });

  it("sorts the heat map by any column and narrows it to one quadrant", async () => {
    const { leader } = await workspace();
    const byValue = await loadDashboard(leader.id, "?hsort=value&hdir=asc");
    // Contoso's value gap −60 first; Northwind has none on value, so it comes last
    expect(byValue.heatmap.rows.map((r) => r.accountName)).toEqual(["Contoso", "Northwind"]);
    const byName = await loadDashboard(leader.id, "?hsort=name&hdir=desc");
    expect(byName.heatmap.rows.map((r) => r.accountName)).toEqual(["Northwind", "Contoso"]);
    const blind = await loadDashboard(leader.id, "?quadrant=blind_spot");
    expect(blind.heatmap.rows.map((r) => r.accountName)).toEqual(["Northwind"]);
    expect(blind.heatmap.total).toBe(1);
  });

  it("searches what customers wrote, literally and within the window and filters", async () => {
    const { leader, dana } = await workspace();
    const roadmap = await loadDashboard(leader.id, "?q=ROADMAP");
    expect(roadmap.verbatims.total).toBe(2);
    // % and _ are letters in a search, not wildcards
    const percent = await loadDashboard(leader.id, `?q=${encodeURIComponent("100%")}`);
    expect(percent.verbatims.rows.map((v) => v.question)).toEqual(["trust_why"]);
    expect(percent.verbatims.rows[0]).toMatchObject({ contactId: dana.id, contactName: "Dana Price" });
    expect(percent.verbatims.rows[0]!.title).toMatch(/hard to rely on us/);
    expect((await loadDashboard(leader.id, `?q=${encodeURIComponent("s_on")}`)).verbatims.total).toBe(1);
    expect((await loadDashboard(leader.id, `?q=${encodeURIComponent("1_0%")}`)).verbatims.total).toBe(0);
    expect(
      (await loadDashboard(leader.id, `?q=${encodeURIComponent("'; drop table responses; --")}`)).verbatims
        .total,
    ).toBe(0);
    // a month with no answers in it
    const old = monthStart(addDays(new Date(), -200)).slice(0, 7);
    expect((await loadDashboard(leader.id, `?vmonth=${old}`)).verbatims.total).toBe(0);
    // the ratings and an older response outside the window are not verbatims (once the rollups know it)
    const longAgo = await insertResponse(getDb(), {
      contactId: dana.id,
      completedAt: addDays(new Date(), -500),
      data: { one_change: "roadmap, long ago" },
    });
    expect((await loadDashboard(leader.id, "?q=roadmap&window=24")).verbatims.total).toBe(2);
    await refreshAccountHealth(getDb(), longAgo.accountId!);
    expect((await loadDashboard(leader.id, "?q=roadmap")).verbatims.total).toBe(2);
    expect((await loadDashboard(leader.id, "?q=roadmap&window=24")).verbatims.total).toBe(3);
  });

  it("shows an empty workspace without failing", async () => {
    const leader = await insertUser(getDb(), { role: "leader" });
    const page = await loadDashboard(leader.id);
    expect(page.summary).toMatchObject({ accounts: 0, nps: null, customerHealth: null, responseRate: null });
    expect(page.trend.every((p) => p.responses === 0 && p.nps === null)).toBe(true);
    expect(page.heatmap).toEqual({ rows: [], total: 0 });
    expect(page.caseMetrics).toMatchObject({ opened: 0, withinSlaShare: null, medianHoursToResolve: null });
    expect(page.verbatims).toEqual({ rows: [], total: 0 });
  });

  it("sends a signed-out visitor to sign in", async () => {
    const response = await settle(() =>
      loader({ request: makeRequest("/dashboard?segment=smb"), params: {}, context: {} }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fdashboard%3Fsegment%3Dsmb");
  });
});

describe("the dashboard's CSV downloads", () => {
  it("downloads each table with the page's filters, every row, and formulas defused", async () => {
    const { leader, maya, northwind } = await workspace();
    const heatmap = await download(leader.id, "heatmap");
    expect(heatmap.status).toBe(200);
    expect(heatmap.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(heatmap.headers.get("Content-Disposition")).toMatch(
      /attachment; filename="rapport-dashboard-heatmap-/,
    );
    const lines = await csvLines(heatmap);
    expect(lines[0]).toBe(
      "account_id,account,health_gap,health_quadrant,trust_gap,responsiveness_gap,understanding_gap,value_gap,communication_gap,relationship_gap,advocacy_gap,renewal_gap",
    );
    expect(lines.slice(1)).toHaveLength(2);
    expect(lines[1]).toBe(`${northwind.id},Northwind,40,blind_spot,40,,,,,,,`);

    const verbatims = await csvLines(await download(leader.id, "verbatims", "?segment=enterprise"));
    expect(verbatims[0]).toBe("completed_at,account_id,account,contact,survey,question,text");
    expect(verbatims).toHaveLength(3);
    expect(verbatims.join("\n")).toContain("'=HYPERLINK(bad) a clearer roadmap");

    const silentForMaya = await csvLines(await download(maya.id, "silent"));
    expect(silentForMaya).toHaveLength(1);
    const silentForLeader = await csvLines(await download(leader.id, "silent"));
    expect(silentForLeader).toHaveLength(2);

    for (const table of ["trend", "quadrants", "blind-spots", "coverage", "cases"]) {
      const response = await download(leader.id, table, "?window=24");
      expect(response.status, table).toBe(200);
      expect((await csvLines(response)).length, table).toBeGreaterThan(1);
    }
    const cases = await csvLines(await download(leader.id, "cases"));
    expect(cases).toContain("within_sla_percent,50");
    expect(cases).toContain("median_hours_to_resolve,24");
  });

  it("answers an unknown table with 404 and a signed-out visitor with sign-in", async () => {
    const leader = await insertUser(getDb(), { role: "leader" });
    expect((await download(leader.id, "salaries")).status).toBe(404);
    const signedOut = await settle(() =>
      exportLoader({
        request: makeRequest("/dashboard/export/trend"),
        params: { table: "trend" },
        context: {},
      }),
    );
    expect(signedOut.status).toBe(302);
  });
});
