import { describe, expect, it } from "vitest";
import {
  addDays,
  insertAccount,
  insertContact,
  insertOpportunity,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
  isoDate,
} from "../../db/factories";
import type { DecisionReason } from "~/domain/dimensions";
import { monthOf, type WinlossOutcome } from "~/domain/winloss";
import type { WinlossData } from "~/domain/winloss.server";
import { getDb } from "~/lib/db.server";
import { loader } from "~/routes/_app.winloss/route";
import { loader as exportLoader } from "~/routes/_app.winloss_.export.$table";
import { callLoader, csvLines, loadRoute } from "../support/loaders";
import { makeRequest, settle } from "../support/requests";

type Page = WinlossData & {
  query: Record<string, unknown>;
  choices: { sellers: { id: string; name: string }[]; owners: { id: string }[] };
};

const loadPage = (userId: string, search = "") => loadRoute<Page>(loader, userId, `/winloss${search}`);
const download = (userId: string, table: string, search = "") =>
  callLoader(exportLoader, userId, `/winloss/export/${table}${search}`, { table });

/**
 * Three accounts, three sellers, seven closed deals (one too old for any window but 24 months, one
 * too old for all) and an open one:
 *
 * | deal | account | seller | outcome | seller says | buyer says | competitor |
 * | N1 | Northwind | Maya | won | relationship (+ product fit) | Dana: relationship (+ responsiveness) | — |
 * | N2 | Northwind | Maya | lost | price (+ competitor strength) | Dana: product fit (+ impl. risk); Eli: product fit | Initech |
 * | N3 | Northwind | Maya | no decision | no decision | (an unfinished response only) | — |
 * | C1 | Contoso | Sofia | lost | price | Uma: price (+ sales experience) | Initech |
 * | C2 | Contoso | Sofia | won | product fit (+ price) | Uma, interview: no main reason (+ relationship) | — |
 * | F1 | Fabrikam | Omar | won | price | — | — |
 * | C3 | Contoso | Sofia | lost, 400 days ago | price | — | Globex |
 * | C4 | Contoso | Sofia | lost, 800 days ago | price | — | — |
 */
async function workspace() {
  const db = getDb();
  const now = new Date();
  const day = (days: number) => isoDate(addDays(now, days));
  const leader = await insertUser(db, { role: "leader", name: "Priya Raman" });
  const maya = await insertUser(db, { role: "manager", name: "Maya Chen" });
  const sofia = await insertUser(db, { role: "manager", name: "Sofia Alvarez" });
  const omar = await insertUser(db, { role: "manager", name: "Omar Haddad" });
  const northwind = await insertAccount(db, {
    name: "Northwind",
    ownerId: maya.id,
    segment: "enterprise",
    region: "EMEA",
    tier: "strategic",
  });
  const contoso = await insertAccount(db, { name: "Contoso", ownerId: sofia.id, segment: "mid_market" });
  const fabrikam = await insertAccount(db, { name: "Fabrikam", ownerId: omar.id, segment: "smb" });
  const dana = await insertContact(db, { accountId: northwind.id, name: "Dana Price" });
  const eli = await insertContact(db, { accountId: northwind.id, name: "Eli Brandt" });
  const uma = await insertContact(db, { accountId: contoso.id, name: "Uma Patel" });
  const survey = await insertSurveyVersionFromFile(db, "win-loss");

  const deal = (
    accountId: string,
    sellerId: string,
    name: string,
    outcome: WinlossOutcome | "open",
    closeDate: string,
    reasons: [DecisionReason, ...DecisionReason[]] | null,
    competitor: string | null = null,
  ) =>
    insertOpportunity(db, {
      accountId,
      sellerId,
      name,
      outcome,
      closeDate,
      competitor,
      ...(reasons && outcome !== "open"
        ? {
            sellerPrimaryReason: reasons[0],
            sellerSecondaryReasons: reasons.slice(1),
            sellerReasonsAt: new Date(`${closeDate}T12:00:00Z`),
            closedAt: new Date(`${closeDate}T12:00:00Z`),
          }
        : {}),
    });
  const answer = (
    opportunityId: string,
    contactId: string,
    daysAgo: number,
    data: Record<string, unknown>,
    extra: { source?: "interview"; interviewerId?: string; isComplete?: boolean } = {},
  ) =>
    insertResponse(db, {
      opportunityId,
      contactId,
      surveyVersionId: survey.id,
      completedAt: addDays(now, -daysAgo),
      data,
      ...extra,
    });

  const n1 = await deal(northwind.id, maya.id, "Northwind renewal", "won", day(-20), [
    "relationship",
    "product_fit",
  ]);
  const n2 = await deal(
    northwind.id,
    maya.id,
    "Northwind expansion",
    "lost",
    day(-15),
    ["price", "competitor_strength"],
    "Initech",
  );
  const n3 = await deal(northwind.id, maya.id, "Northwind pilot", "no_decision", day(-40), ["no_decision"]);
  const c1 = await deal(contoso.id, sofia.id, "Contoso platform", "lost", day(-10), ["price"], " initech");
  const c2 = await deal(contoso.id, sofia.id, "Contoso add-on", "won", day(-5), ["product_fit", "price"]);
  const f1 = await deal(fabrikam.id, omar.id, "Fabrikam starter", "won", day(-8), ["price"]);
  const c3 = await deal(contoso.id, sofia.id, "Contoso legacy", "lost", day(-400), ["price"], "Globex");
  await deal(contoso.id, sofia.id, "Contoso ancient", "lost", day(-800), ["price"]);
  await deal(contoso.id, sofia.id, "Contoso next year", "open", day(20), null);

  await answer(n1.id, dana.id, 18, {
    decision: "chose_us",
    primary_reason: "relationship",
    secondary_reasons: ["responsiveness"],
    what_nearly_changed: "The price was steep but the team listened.",
  });
  await answer(n2.id, dana.id, 14, {
    decision: "chose_another",
    primary_reason: "product_fit",
    secondary_reasons: ["implementation_risk"],
    what_would_change: "A working SSO integration on day one.",
  });
  await answer(n2.id, eli.id, 13, {
    decision: "chose_another",
    primary_reason: "product_fit",
    advice: "Bring an engineer to the second demo.",
  });
  await answer(
    n3.id,
    dana.id,
    30,
    { decision: "not_buying_now", primary_reason: "price" },
    { isComplete: false },
  );
  await answer(c1.id, uma.id, 9, {
    decision: "chose_another",
    primary_reason: "price",
    secondary_reasons: ["sales_experience"],
    what_would_change: '=HYPERLINK("http://evil.example") 20% off would have won it',
  });
  await answer(
    c2.id,
    uma.id,
    3,
    {
      decision: "chose_us",
      secondary_reasons: ["relationship"],
      advice: "Keep 100%_of the roadmap promises.",
    },
    { source: "interview", interviewerId: sofia.id },
  );
  return { now, leader, maya, sofia, omar, northwind, contoso, fabrikam, n1, n2, n3, c1, c2, f1, c3 };
}

describe("the win/loss page", () => {
  it("gives a leader the hand-computed figures of every account's deals", async () => {
    const w = await workspace();
    const page = await loadPage(w.leader.id);

    expect(page.summary).toEqual({
      deals: 6,
      won: 3,
      lost: 2,
      noDecision: 1,
      // 3 of 6
      winRate: 50,
      // 1 of 6 = 16.7
      noDecisionShare: 17,
      withBuyer: 4,
      bothSides: 4,
      // N1, N2 ×2, C1, C2 (N3's is unfinished)
      buyerResponses: 5,
      // the seller said price on N2, C1, C2; no buyer did on N2 and C2
      priceGap: { flagged: 2, sellerSaidPrice: 3, share: 67 },
      // N1 and C1 agree, N2 does not; C2's buyer gave no main reason
      agreement: { judged: 3, agreed: 2, rate: 67 },
    });

    // every month of the window, the deals in the months they closed
    expect(page.trend).toHaveLength(12);
    expect(page.trend.at(-1)!.month).toBe(monthOf(w.now));
    expect(page.trend.reduce((n, m) => n + m.deals, 0)).toBe(6);
    const expected = new Map<string, number>();
    for (const d of [w.n1, w.n2, w.n3, w.c1, w.c2, w.f1]) {
      expected.set(monthOf(d.closeDate!), (expected.get(monthOf(d.closeDate!)) ?? 0) + 1);
    }
    for (const m of page.trend) expect(m.deals).toBe(expected.get(m.month) ?? 0);

    const ranking = (outcome: WinlossOutcome, side: "seller" | "buyer") => {
      const found = page.reasons.find((r) => r.outcome === outcome && r.side === side)!;
      return [
        found.deals,
        found.reasons.filter((r) => r.mentions > 0).map((r) => [r.reason, r.primary, r.mentions]),
      ];
    };
    expect(ranking("won", "seller")).toEqual([
      3,
      [
        ["price", 1, 2],
        ["product_fit", 1, 2],
        ["relationship", 1, 1],
      ],
    ]);
    expect(ranking("won", "buyer")).toEqual([
      2,
      [
        ["relationship", 1, 2],
        ["responsiveness", 0, 1],
      ],
    ]);
    expect(ranking("lost", "seller")).toEqual([
      2,
      [
        ["price", 2, 2],
        ["competitor_strength", 0, 1],
      ],
    ]);
    expect(ranking("lost", "buyer")).toEqual([
      2,
      [
        ["price", 1, 1],
        ["product_fit", 1, 1],
        ["sales_experience", 0, 1],
        ["implementation_risk", 0, 1],
      ],
    ]);

    // " initech" and "Initech" are one competitor; both losses' reasons are the buyer's
    expect(page.competitors).toEqual([
      {
        competitor: "Initech",
        deals: 2,
        won: 0,
        lost: 2,
        noDecision: 0,
        winRate: 0,
        noDecisionShare: 0,
        lostReasons: [
          { reason: "price", deals: 1, fromBuyer: 1, fromSeller: 0 },
          { reason: "product_fit", deals: 1, fromBuyer: 1, fromSeller: 0 },
        ],
        lostWithoutReason: 0,
      },
    ]);
    expect(page.noCompetitorDeals).toBe(4);

    expect(page.sellers).toEqual([
      {
        sellerId: w.sofia.id,
        sellerName: "Sofia Alvarez",
        deals: 2,
        bothSides: 2,
        judged: 1,
        agreed: 1,
        rate: 100,
      },
      {
        sellerId: w.maya.id,
        sellerName: "Maya Chen",
        deals: 3,
        bothSides: 2,
        judged: 2,
        agreed: 1,
        rate: 50,
      },
      {
        sellerId: w.omar.id,
        sellerName: "Omar Haddad",
        deals: 1,
        bothSides: 0,
        judged: 0,
        agreed: 0,
        rate: null,
      },
    ]);

    // newest close first
    expect(page.deals.total).toBe(6);
    expect(page.deals.viewCounts).toEqual({ all: 6, both_sides: 4, disagree: 1, price_gap: 2, no_buyer: 2 });
    expect(page.deals.rows.map((r) => r.name)).toEqual([
      "Contoso add-on",
      "Fabrikam starter",
      "Contoso platform",
      "Northwind expansion",
      "Northwind renewal",
      "Northwind pilot",
    ]);
    expect(page.deals.rows.find((r) => r.id === w.n2.id)).toMatchObject({
      sellerPrimary: "price",
      sellerSecondary: ["competitor_strength"],
      buyerPrimary: "product_fit",
      buyerSecondary: ["implementation_risk"],
      buyerRespondents: 2,
      bothSides: true,
      primaryAgrees: false,
      anyOverlap: false,
      priceGap: true,
    });
    expect(page.deals.rows.find((r) => r.id === w.c2.id)).toMatchObject({
      buyerPrimary: null,
      buyerSecondary: ["relationship"],
      primaryAgrees: null,
      priceGap: true,
    });
    expect(page.deals.rows.find((r) => r.id === w.n3.id)).toMatchObject({
      buyerRespondents: 0,
      bothSides: false,
    });

    // the buyers' free text, newest first; interviewer-only notes and reason answers are not verbatims
    expect(page.verbatims.total).toBe(5);
    expect(page.verbatims.rows.map((v) => [v.dealName, v.contactName, v.text])).toEqual([
      ["Contoso add-on", "Uma Patel", "Keep 100%_of the roadmap promises."],
      ["Contoso platform", "Uma Patel", '=HYPERLINK("http://evil.example") 20% off would have won it'],
      ["Northwind expansion", "Eli Brandt", "Bring an engineer to the second demo."],
      ["Northwind expansion", "Dana Price", "A working SSO integration on day one."],
      ["Northwind renewal", "Dana Price", "The price was steep but the team listened."],
    ]);
    expect(page.verbatims.rows[0]).toMatchObject({
      source: "interview",
      outcome: "won",
      survey: expect.any(String),
    });
    expect(page.verbatims.rows[4]!.title).toBe("What nearly made you decide differently?");

    expect(page.choices.sellers.map((s) => s.name)).toEqual(["Maya Chen", "Omar Haddad", "Sofia Alvarez"]);
  });

  it("shows a manager only the deals of the accounts they own or are on the team of", async () => {
    const w = await workspace();
    const page = await loadPage(w.maya.id);
    expect(page.summary).toMatchObject({
      deals: 3,
      won: 1,
      lost: 1,
      noDecision: 1,
      winRate: 33,
      priceGap: { flagged: 1, sellerSaidPrice: 1, share: 100 },
    });
    expect(page.deals.rows.every((r) => r.accountId === w.northwind.id)).toBe(true);
    expect(page.verbatims.total).toBe(3);
    expect(page.sellers.map((s) => s.sellerName)).toEqual(["Maya Chen"]);
    expect(page.choices.sellers.map((s) => s.name)).toEqual(["Maya Chen"]);
    // naming another seller or owner in the URL shows nothing of their accounts
    const sofias = await loadPage(w.maya.id, `?seller=${w.sofia.id}`);
    expect(sofias.summary.deals).toBe(0);
    expect(sofias.verbatims.total).toBe(0);
    const owned = await loadPage(w.maya.id, `?owner=${w.sofia.id}`);
    expect(owned.summary.deals).toBe(0);
  });

  it("applies the URL's filters to every panel", async () => {
    const w = await workspace();
    const bySeller = await loadPage(w.leader.id, `?seller=${w.sofia.id}`);
    expect(bySeller.summary).toMatchObject({ deals: 2, won: 1, winRate: 50 });
    expect(bySeller.verbatims.total).toBe(2);
    expect(bySeller.sellers.map((s) => s.sellerId)).toEqual([w.sofia.id]);

    const lost = await loadPage(w.leader.id, "?outcome=lost");
    expect(lost.summary).toMatchObject({ deals: 2, lost: 2, winRate: 0 });
    expect(lost.verbatims.rows.every((v) => v.outcome === "lost")).toBe(true);

    const enterprise = await loadPage(w.leader.id, "?segment=enterprise&region=EMEA&tier=strategic");
    expect(enterprise.summary.deals).toBe(3);
    const owner = await loadPage(w.leader.id, `?owner=${w.omar.id}`);
    expect(owner.deals.rows.map((r) => r.id)).toEqual([w.f1.id]);

    // 24 months reaches C3 (400 days ago) but not the deal of 800 days ago
    const longer = await loadPage(w.leader.id, "?window=24");
    expect(longer.summary.deals).toBe(7);
    expect(longer.trend).toHaveLength(24);
    expect(longer.competitors.map((c) => [c.competitor, c.deals])).toEqual([
      ["Initech", 2],
      ["Globex", 1],
    ]);
    // Globex's loss has no buyer answer: its reason is the seller's
    expect(longer.competitors[1]!.lostReasons).toEqual([
      { reason: "price", deals: 1, fromBuyer: 0, fromSeller: 1 },
    ]);
  });

  it("lists the deals of one view, a page at a time", async () => {
    const w = await workspace();
    const gap = await loadPage(w.leader.id, "?dshow=price_gap#deals");
    expect(gap.deals.rows.map((r) => r.id)).toEqual([w.c2.id, w.n2.id]);
    expect(gap.deals.total).toBe(2);
    // the view narrows the table only; the figures still count every deal
    expect(gap.summary.deals).toBe(6);
    expect((await loadPage(w.leader.id, "?dshow=disagree")).deals.rows.map((r) => r.id)).toEqual([w.n2.id]);
    expect((await loadPage(w.leader.id, "?dshow=no_buyer")).deals.rows.map((r) => r.id)).toEqual([
      w.f1.id,
      w.n3.id,
    ]);
    const beyond = await loadPage(w.leader.id, "?dpage=2");
    expect(beyond.deals).toMatchObject({ rows: [], total: 6 });
  });

  it("tells a buyer who answered without reasons from one who has not answered", async () => {
    const w = await workspace();
    const buyer = await insertContact(getDb(), { accountId: w.fabrikam.id, name: "Finn Buyer" });
    await insertResponse(getDb(), {
      opportunityId: w.f1.id,
      contactId: buyer.id,
      surveyVersionId: (await insertSurveyVersionFromFile(getDb(), "win-loss")).id,
      data: { decision: "chose_us" },
    });
    const page = await loadPage(w.leader.id);
    expect(page.summary).toMatchObject({ buyerResponses: 6, withBuyer: 4, bothSides: 4 });
    expect(page.deals.rows.find((r) => r.id === w.f1.id)).toMatchObject({
      buyerResponses: 1,
      buyerRespondents: 0,
      buyerPrimary: null,
      bothSides: false,
      primaryAgrees: null,
    });
    expect(page.deals.rows.find((r) => r.id === w.n3.id)).toMatchObject({ buyerResponses: 0 });
  });

  it("searches what buyers wrote, literally", async () => {
    const w = await workspace();
    const price = await loadPage(w.leader.id, "?q=PRICE");
    expect(price.verbatims.rows.map((v) => v.text)).toEqual(["The price was steep but the team listened."]);
    // % and _ are characters in a search, not wildcards
    expect((await loadPage(w.leader.id, "?q=%25")).verbatims.total).toBe(2);
    expect((await loadPage(w.leader.id, "?q=%25_")).verbatims.rows.map((v) => v.text)).toEqual([
      "Keep 100%_of the roadmap promises.",
    ]);
    expect((await loadPage(w.maya.id, "?q=20%25")).verbatims.total).toBe(0);
    const paged = await loadPage(w.leader.id, "?vpage=2");
    expect(paged.verbatims).toMatchObject({ rows: [], total: 5 });
  });

  it("answers hostile or nonsense URLs with the defaults", async () => {
    const w = await workspace();
    const page = await loadPage(
      w.leader.id,
      `?window=abc&segment=%3Cscript%3E&region=${"x".repeat(500)}&owner=1%27%20or%20%271%27=%271&seller=%27;drop%20table%20opportunities;--` +
        "&outcome=open&dshow=%27&dpage=-5&vpage=99999999999&tier[]=core",
    );
    expect(page.query).toMatchObject({ window: 12, dshow: "all", dpage: 1, vpage: 1 });
    expect(page.query.segment).toBeUndefined();
    expect(page.query.seller).toBeUndefined();
    expect(page.summary.deals).toBe(6);

    const sqlish = await loadPage(w.leader.id, "?q=%27%20OR%201%3D1%3B%20--&window=6");
    expect(sqlish.query).toMatchObject({ window: 6, q: "' OR 1=1; --" });
    expect(sqlish.verbatims).toEqual({ rows: [], total: 0 });
    const nul = await loadPage(w.leader.id, "?q=pri%00ce&region=EM%00EA");
    expect(nul.query).toMatchObject({ q: "price", region: "EMEA" });
    expect(nul.verbatims.total).toBe(1);
    expect((await loadPage(w.leader.id, `?q=${"é".repeat(300)}`)).verbatims.total).toBe(5);
  });

  it("shows an empty page, not an error, when nothing has closed", async () => {
    const leader = await insertUser(getDb(), { role: "leader" });
    const page = await loadPage(leader.id);
    expect(page.summary).toMatchObject({ deals: 0, winRate: null, priceGap: { share: null } });
    expect(page.trend).toHaveLength(12);
    expect(page.deals).toMatchObject({ rows: [], total: 0 });
    expect(page.verbatims).toEqual({ rows: [], total: 0 });
  });

  it("sends a visitor who is not signed in to the sign-in page", async () => {
    const response = await settle(async () =>
      loader({ request: makeRequest("/winloss"), params: {}, context: {} }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login/);
  });
});

describe("the win/loss CSV downloads", () => {
  it("downloads every table with the page's filters and every row", async () => {
    const w = await workspace();
    const summary = await csvLines(await download(w.leader.id, "summary"));
    expect(summary[0]).toBe("metric,value");
    expect(summary).toContain("win_rate_percent,50");
    expect(summary).toContain("price_attribution_gap_percent,67");
    expect(summary).toContain("seller_said_price_deals,3");

    const trend = await csvLines(await download(w.leader.id, "trend", "?window=6"));
    expect(trend[0]).toBe("month,deals,won,lost,no_decision,win_rate_percent,no_decision_percent");
    expect(trend).toHaveLength(7);

    const reasons = await csvLines(await download(w.leader.id, "reasons"));
    expect(reasons[0]).toBe(
      "outcome,side,deals_with_reasons,reason,main_reason_deals,main_reason_percent,rank_by_main_reason,named_deals,named_percent,rank_by_named",
    );
    // 3 outcomes × 2 sides × 8 reasons
    expect(reasons).toHaveLength(1 + 48);
    expect(reasons).toContain("lost,seller,2,price,2,100,1,2,100,1");

    const competitors = await csvLines(await download(w.leader.id, "competitors"));
    expect(competitors).toEqual([
      "competitor,deals,won,lost,no_decision,win_rate_percent,lost_reasons,lost_without_reason",
      'Initech,2,0,2,0,0,"price 1 (buyer 1, seller 0); product_fit 1 (buyer 1, seller 0)",0',
    ]);

    const deals = await csvLines(await download(w.leader.id, "deals"));
    expect(deals).toHaveLength(7);
    expect(deals[0]).toContain("opportunity_id,deal,account_id,account,close_date,outcome,amount");
    const n2 = deals.find((line) => line.startsWith(w.n2.id))!;
    expect(n2).toContain(",price,competitor_strength,2,2,product_fit,implementation_risk,yes,no,no,yes");
    const gapOnly = await csvLines(await download(w.leader.id, "deals", "?dshow=price_gap&dpage=3"));
    expect(gapOnly).toHaveLength(3);

    const sellers = await csvLines(await download(w.leader.id, "sellers"));
    expect(sellers[1]).toBe(`${w.sofia.id},Sofia Alvarez,2,2,1,1,100`);
    expect(sellers[3]).toBe(`${w.omar.id},Omar Haddad,1,0,0,0,`);

    const verbatims = await csvLines(await download(w.leader.id, "verbatims", "?vpage=2"));
    expect(verbatims).toHaveLength(6);
    // a spreadsheet would run this as a formula: it gets a leading apostrophe
    expect(verbatims.find((line) => line.includes("HYPERLINK"))).toContain(
      `"'=HYPERLINK(""http://evil.example"") 20% off`,
    );
  });

  it("gives a manager only their accounts' rows, and 404 for an unknown table", async () => {
    const w = await workspace();
    const deals = await csvLines(await download(w.maya.id, "deals"));
    expect(deals).toHaveLength(4);
    expect(deals.slice(1).every((line) => line.includes(w.northwind.id))).toBe(true);
    expect(await csvLines(await download(w.maya.id, "verbatims"))).toHaveLength(4);
    expect((await download(w.maya.id, "secrets")).status).toBe(404);
    const hostile = await download(w.leader.id, "deals", "?window=%27&q=%27%3B--&outcome=%00");
    expect(await csvLines(hostile)).toHaveLength(7);
  });
});
