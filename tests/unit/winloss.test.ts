import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DecisionReason } from "~/domain/dimensions";
import {
  agreementOf,
  buyerReasons,
  buyerView,
  closeDateWindow,
  compareDeal,
  competitorTable,
  dealInView,
  DEAL_VIEWS,
  describeAgreement,
  likePattern,
  outcomeSummary,
  percent,
  priceAttributionGap,
  rankReasons,
  reasonQuestions,
  sellerAgreement,
  sellerReasonSet,
  windowMonthsList,
  winlossFilterParams,
  winRateByMonth,
  type BuyerResponseReasons,
  type ComparedDeal,
  type ReasonSet,
  type WinlossOutcome,
} from "~/domain/winloss";
import { parseWinlossQuery } from "~/domain/winloss-query.server";
import { humanize } from "~/lib/format";

const winLossSurvey: unknown = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "../../surveys/win-loss.json"), "utf8"),
);

/** An interview guide that names its reason questions differently and nests them in a panel. */
const interviewGuide = {
  title: "Win/loss interview",
  kind: "interview",
  pages: [
    {
      name: "p1",
      elements: [
        {
          type: "radiogroup",
          name: "decision",
          choices: ["price", "chose_us"],
        },
        {
          type: "panel",
          name: "why",
          elements: [
            {
              type: "dropdown",
              name: "main_driver",
              reasonTaxonomy: true,
              choices: ["price", "relationship"],
            },
            {
              type: "tagbox",
              name: "other_drivers",
              reasonTaxonomy: true,
              choices: ["price", "product_fit"],
            },
            { type: "comment", name: "notes", reasonTaxonomy: true },
          ],
        },
      ],
    },
  ],
};

const set = (primary: DecisionReason | null, ...secondary: DecisionReason[]): ReasonSet => ({
  primary,
  secondary,
});

let responseSeq = 0;
function answer(
  contactId: string | null,
  completedAt: string,
  reasons: ReasonSet,
  responseId = `r${String(++responseSeq).padStart(3, "0")}`,
): BuyerResponseReasons {
  return { responseId, contactId, completedAt: new Date(completedAt), reasons };
}

describe("buyerReasons", () => {
  it("reads the main and other reasons of the win/loss survey, others in taxonomy order", () => {
    expect(
      buyerReasons(winLossSurvey, {
        decision: "chose_another",
        competitor: "Initech",
        primary_reason: "price",
        secondary_reasons: ["relationship", "product_fit"],
        what_would_change: "A lower price.",
      }),
    ).toEqual({ primary: "price", secondary: ["product_fit", "relationship"] });
  });

  it("ignores values outside the taxonomy and answers of the wrong shape", () => {
    expect(
      buyerReasons(winLossSurvey, { primary_reason: "cheaper", secondary_reasons: ["price", "bogus", 3] }),
    ).toEqual({ primary: null, secondary: ["price"] });
    expect(buyerReasons(winLossSurvey, { primary_reason: ["price"], secondary_reasons: "price" })).toEqual({
      primary: null,
      secondary: [],
    });
    expect(buyerReasons(winLossSurvey, {})).toEqual({ primary: null, secondary: [] });
  });

  it("does not repeat the main reason among the others", () => {
    expect(
      buyerReasons(winLossSurvey, {
        primary_reason: "price",
        secondary_reasons: ["price", "price", "relationship"],
      }),
    ).toEqual({ primary: "price", secondary: ["relationship"] });
  });

  it("finds reason questions by their flag and type, not their name", () => {
    expect(reasonQuestions(interviewGuide)).toEqual([
      { name: "main_driver", multiple: false },
      { name: "other_drivers", multiple: true },
    ]);
    expect(reasonQuestions(winLossSurvey)).toEqual([
      { name: "primary_reason", multiple: false },
      { name: "secondary_reasons", multiple: true },
    ]);
    expect(
      buyerReasons(interviewGuide, {
        decision: "price",
        main_driver: "relationship",
        other_drivers: ["price"],
        notes: "price",
      }),
    ).toEqual({ primary: "relationship", secondary: ["price"] });
  });

  it("reads nothing from a survey without reason questions", () => {
    expect(
      buyerReasons({ pages: [{ elements: [{ type: "rating", name: "trust" }] }] }, { trust: 4 }),
    ).toEqual({
      primary: null,
      secondary: [],
    });
    expect(buyerReasons(null, { primary_reason: "price" })).toEqual({ primary: null, secondary: [] });
  });
});

describe("buyerView", () => {
  it("is null when no response names a reason", () => {
    expect(buyerView([])).toBeNull();
    expect(buyerView([answer("c1", "2026-01-01", set(null))])).toBeNull();
  });

  it("takes each respondent's latest response, and the most frequent main reason", () => {
    const view = buyerView([
      answer("ana", "2026-01-01", set("relationship")), // superseded by her later answer
      answer("ana", "2026-01-05", set("price", "product_fit"), "r-ana-2"),
      answer("ben", "2026-01-02", set("relationship"), "r-ben"),
      answer("cy", "2026-01-03", set("relationship", "responsiveness"), "r-cy"),
    ]);
    expect(view).toEqual({
      primary: "relationship",
      secondary: ["price", "product_fit", "responsiveness"],
      mentions: ["price", "product_fit", "relationship", "responsiveness"],
      respondents: 3,
      primaryVotes: 2,
      responseIds: ["r-ana-2", "r-ben", "r-cy"],
    });
  });

  it("breaks a tie between main reasons by taxonomy order", () => {
    expect(
      buyerView([answer("a", "2026-01-01", set("relationship")), answer("b", "2026-01-01", set("price"))]),
    ).toMatchObject({ primary: "price", primaryVotes: 1, secondary: ["relationship"] });
    expect(
      buyerView([
        answer("a", "2026-01-01", set("no_decision")),
        answer("b", "2026-01-01", set("product_fit")),
      ]),
    ).toMatchObject({ primary: "product_fit" });
  });

  it("keeps a respondent's reasons when their later response (another survey) names none", () => {
    const view = buyerView([
      answer("ana", "2026-01-01", set("price"), "r-winloss"),
      answer("ana", "2026-02-01", set(null), "r-relationship"),
    ]);
    expect(view).toMatchObject({ primary: "price", respondents: 1, responseIds: ["r-winloss"] });
  });

  it("has no main reason when the buyer gave only other reasons", () => {
    expect(buyerView([answer("ana", "2026-01-01", set(null, "implementation_risk"))])).toEqual({
      primary: null,
      secondary: ["implementation_risk"],
      mentions: ["implementation_risk"],
      respondents: 1,
      primaryVotes: 0,
      responseIds: [expect.any(String)],
    });
  });

  it("counts responses whose contact is gone as respondents of their own", () => {
    expect(
      buyerView([answer(null, "2026-01-01", set("price")), answer(null, "2026-01-02", set("price"))]),
    ).toMatchObject({ respondents: 2, primaryVotes: 2 });
  });
});

describe("compareDeal", () => {
  it("sets the sides apart: main reasons differ, one reason shared, price only from the seller", () => {
    const comparison = compareDeal(set("price", "product_fit"), [
      answer("ana", "2026-01-01", set("relationship", "product_fit")),
    ]);
    expect(comparison).toMatchObject({
      bothSides: true,
      primaryAgrees: false,
      anyOverlap: true,
      shared: ["product_fit"],
      priceGap: true,
    });
    expect(describeAgreement(comparison, humanize)).toBe(
      "The buyer's main reason differs: seller said Price, buyer said Relationship.",
    );
  });

  it("does not flag price when any buyer response mentions it, even a superseded one", () => {
    const comparison = compareDeal(set("relationship", "price"), [
      answer("ana", "2026-01-01", set("relationship", "price")),
      answer("ana", "2026-02-01", set("relationship")),
    ]);
    expect(comparison.buyer?.mentions).toEqual(["relationship"]);
    expect(comparison).toMatchObject({ primaryAgrees: true, anyOverlap: true, priceGap: false });
    expect(describeAgreement(comparison, humanize)).toBe(
      "Seller and buyer agree on the main reason: Relationship.",
    );
  });

  it("does not flag price the seller never named", () => {
    expect(compareDeal(set("relationship"), [answer("a", "2026-01-01", set("product_fit"))])).toMatchObject({
      primaryAgrees: false,
      anyOverlap: false,
      shared: [],
      priceGap: false,
    });
  });

  it("compares nothing with only one side", () => {
    const sellerOnly = compareDeal(set("price"), []);
    expect(sellerOnly).toEqual({
      seller: set("price"),
      buyer: null,
      bothSides: false,
      primaryAgrees: null,
      anyOverlap: null,
      shared: [],
      priceGap: null,
    });
    expect(describeAgreement(sellerOnly, humanize)).toBeNull();
    const buyerOnly = compareDeal(null, [answer("a", "2026-01-01", set("price"))]);
    expect(buyerOnly).toMatchObject({ bothSides: false, primaryAgrees: null, priceGap: null });
    expect(buyerOnly.buyer?.primary).toBe("price");
  });

  it("cannot judge the main reasons when the buyer named none, but still compares the rest", () => {
    const comparison = compareDeal(set("no_decision", "price"), [
      answer("a", "2026-01-01", set(null, "implementation_risk")),
    ]);
    expect(comparison).toMatchObject({
      bothSides: true,
      primaryAgrees: null,
      anyOverlap: false,
      priceGap: true,
    });
    expect(describeAgreement(comparison, humanize)).toBe(
      "The buyer named no main reason, so the main reasons cannot be compared.",
    );
  });
});

describe("sellerReasonSet", () => {
  it("reads the stored columns, dropping unknown and repeated reasons", () => {
    expect(sellerReasonSet("price", ["relationship", "price", "made_up", "product_fit"])).toEqual({
      primary: "price",
      secondary: ["product_fit", "relationship"],
    });
    expect(sellerReasonSet(null, null)).toBeNull();
    expect(sellerReasonSet(null, [])).toBeNull();
  });
});

/**
 * Eight closed deals (see the comments) whose figures are worked out by hand below, and in
 * docs/winloss.md's example.
 */
function eightDeals(): ComparedDeal[] {
  const d = (
    id: string,
    outcome: WinlossOutcome,
    closeDate: string,
    seller: ReasonSet | null,
    buyers: BuyerResponseReasons[],
    extra: { competitor?: string; sellerId?: string | null } = {},
  ): ComparedDeal => {
    const sellerId = extra.sellerId === undefined ? "ann" : extra.sellerId;
    return {
      id,
      outcome,
      closeDate,
      competitor: extra.competitor ?? null,
      sellerId,
      sellerName: sellerId === "ann" ? "Ann Seller" : sellerId === "bo" ? "Bo Seller" : null,
      comparison: compareDeal(seller, buyers),
    };
  };
  return [
    // won; the two sides agree on relationship
    d("D1", "won", "2026-01-10", set("relationship", "product_fit"), [
      answer("x1", "2026-01-12", set("relationship")),
    ]),
    // won; agree on product fit; the seller also said price, the buyer did not
    d(
      "D2",
      "won",
      "2026-01-20",
      set("product_fit", "price"),
      [answer("x2", "2026-01-22", set("product_fit", "responsiveness"))],
      { competitor: "Initech" },
    ),
    // lost to Initech; seller blames price, buyer says relationship
    d(
      "D3",
      "lost",
      "2026-02-05",
      set("price"),
      [answer("x3", "2026-02-07", set("relationship", "sales_experience"))],
      { competitor: "Initech" },
    ),
    // lost to Initech (spelt differently); two buyers tie price vs product fit → price
    d(
      "D4",
      "lost",
      "2026-02-15",
      set("price", "competitor_strength"),
      [answer("x4", "2026-02-16", set("price")), answer("y4", "2026-02-17", set("product_fit", "price"))],
      { competitor: "initech ", sellerId: "bo" },
    ),
    // lost to Globex; no buyer answer yet
    d("D5", "lost", "2026-03-01", set("competitor_strength"), [], { competitor: "Globex", sellerId: "bo" }),
    // no decision; the buyer gave no main reason
    d(
      "D6",
      "no_decision",
      "2026-03-10",
      set("no_decision", "price"),
      [answer("x6", "2026-03-11", set(null, "implementation_risk"))],
      {
        sellerId: "bo",
      },
    ),
    // lost to Globex; the seller has left (no seller id); both say product fit
    d("D7", "lost", "2026-03-20", set("product_fit"), [answer("x7", "2026-03-21", set("product_fit"))], {
      competitor: "Globex",
      sellerId: null,
    }),
    // won; no seller reasons on record (imported), the buyer said price
    d("D8", "won", "2026-03-25", null, [answer("x8", "2026-03-26", set("price"))], { sellerId: "bo" }),
  ];
}

describe("the aggregates of eight deals", () => {
  const deals = eightDeals();

  it("win rate 3 of 8 = 38%, no decision 1 of 8 = 13%", () => {
    expect(outcomeSummary(deals)).toEqual({
      deals: 8,
      won: 3,
      lost: 4,
      noDecision: 1,
      winRate: 38,
      noDecisionShare: 13,
    });
    expect(outcomeSummary([])).toEqual({
      deals: 0,
      won: 0,
      lost: 0,
      noDecision: 0,
      winRate: null,
      noDecisionShare: null,
    });
  });

  it("win rate by month, every month listed", () => {
    expect(
      winRateByMonth(deals, ["2026-01", "2026-02", "2026-03", "2026-04"]).map((m) => [
        m.month,
        m.deals,
        m.won,
        m.winRate,
        m.noDecisionShare,
      ]),
    ).toEqual([
      ["2026-01", 2, 2, 100, 0],
      ["2026-02", 2, 0, 0, 0],
      ["2026-03", 4, 1, 25, 25],
      ["2026-04", 0, 0, null, null],
    ]);
  });

  it("price attribution gap: 3 of the 4 deals where the seller said price (D2, D3, D6 of D2, D3, D4, D6)", () => {
    expect(priceAttributionGap(deals)).toEqual({ flagged: 3, sellerSaidPrice: 4, share: 75 });
  });

  it("main reasons agree on 4 of the 5 deals where both sides gave one", () => {
    expect(agreementOf(deals)).toEqual({ judged: 5, agreed: 4, rate: 80 });
  });

  it("ranks sellers by agreement, with the deals behind it, leaving out deals without a seller", () => {
    expect(sellerAgreement(deals)).toEqual([
      { sellerId: "bo", sellerName: "Bo Seller", deals: 4, bothSides: 2, judged: 1, agreed: 1, rate: 100 },
      { sellerId: "ann", sellerName: "Ann Seller", deals: 3, bothSides: 3, judged: 3, agreed: 2, rate: 67 },
    ]);
  });

  it("ranks sellers by their exact agreement, not the rounded percentage", () => {
    const judged = (sellerId: string, agreed: number, total: number): ComparedDeal[] =>
      Array.from({ length: total }, (_, i) => ({
        id: `${sellerId}-${i}`,
        outcome: "lost",
        closeDate: "2026-01-01",
        competitor: null,
        sellerId,
        sellerName: sellerId,
        comparison: compareDeal(set("price"), [
          answer(`${sellerId}-b${i}`, "2026-01-02", set(i < agreed ? "price" : "relationship")),
        ]),
      }));
    // 2 of 3 = 66.7% and 133 of 200 = 66.5% both show as 67%
    const rows = sellerAgreement([...judged("many", 133, 200), ...judged("few", 2, 3)]);
    expect(rows.map((r) => [r.sellerId, r.agreed, r.judged, r.rate])).toEqual([
      ["few", 2, 3, 67],
      ["many", 133, 200, 67],
    ]);
  });

  it("ranks reasons for won and lost deals, by main reason and by any mention, per side", () => {
    const rankings = rankReasons(deals);
    const of = (outcome: WinlossOutcome, side: "seller" | "buyer") =>
      rankings.find((r) => r.outcome === outcome && r.side === side)!;
    const named = (outcome: WinlossOutcome, side: "seller" | "buyer") =>
      of(outcome, side)
        .reasons.filter((r) => r.mentions > 0)
        .map((r) => [r.reason, r.primary, r.mentions, r.rankByPrimary, r.rankByMention]);

    expect(of("won", "seller").deals).toBe(2);
    expect(named("won", "seller")).toEqual([
      ["product_fit", 1, 2, 1, 1],
      ["relationship", 1, 1, 2, 2],
      ["price", 0, 1, null, 3],
    ]);
    expect(of("won", "buyer").deals).toBe(3);
    expect(named("won", "buyer")).toEqual([
      ["price", 1, 1, 1, 1],
      ["product_fit", 1, 1, 2, 2],
      ["relationship", 1, 1, 3, 3],
      ["responsiveness", 0, 1, null, 4],
    ]);
    expect(of("lost", "seller").deals).toBe(4);
    expect(named("lost", "seller")).toEqual([
      ["price", 2, 2, 1, 1],
      ["competitor_strength", 1, 2, 2, 2],
      ["product_fit", 1, 1, 3, 3],
    ]);
    expect(of("lost", "seller").reasons[0]).toMatchObject({ primaryShare: 50, mentionShare: 50 });
    expect(of("lost", "buyer").deals).toBe(3);
    expect(named("lost", "buyer")).toEqual([
      ["product_fit", 1, 2, 1, 1],
      ["price", 1, 1, 2, 2],
      ["relationship", 1, 1, 3, 3],
      ["sales_experience", 0, 1, null, 4],
    ]);
    expect(named("no_decision", "buyer")).toEqual([["implementation_risk", 0, 1, null, 1]]);
    // every reason is listed, the ones never named last in taxonomy order
    expect(
      of("won", "seller")
        .reasons.map((r) => r.reason)
        .slice(3),
    ).toEqual([
      "responsiveness",
      "sales_experience",
      "implementation_risk",
      "competitor_strength",
      "no_decision",
    ]);
  });

  it("groups competitors by name and says whose reason each loss is", () => {
    expect(competitorTable(deals)).toEqual([
      {
        competitor: "Initech",
        deals: 3,
        won: 1,
        lost: 2,
        noDecision: 0,
        winRate: 33,
        noDecisionShare: 0,
        lostReasons: [
          { reason: "price", deals: 1, fromBuyer: 1, fromSeller: 0 },
          { reason: "relationship", deals: 1, fromBuyer: 1, fromSeller: 0 },
        ],
        lostWithoutReason: 0,
      },
      {
        competitor: "Globex",
        deals: 2,
        won: 0,
        lost: 2,
        noDecision: 0,
        winRate: 0,
        noDecisionShare: 0,
        lostReasons: [
          { reason: "product_fit", deals: 1, fromBuyer: 1, fromSeller: 0 },
          { reason: "competitor_strength", deals: 1, fromBuyer: 0, fromSeller: 1 },
        ],
        lostWithoutReason: 0,
      },
    ]);
  });

  it("sorts deals into the table's views", () => {
    const counts = Object.fromEntries(
      DEAL_VIEWS.map((view) => [
        view,
        deals.filter((deal) => dealInView(deal.comparison, view)).map((deal) => deal.id),
      ]),
    );
    expect(counts).toEqual({
      all: ["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"],
      both_sides: ["D1", "D2", "D3", "D4", "D6", "D7"],
      disagree: ["D3"],
      price_gap: ["D2", "D3", "D6"],
      no_buyer: ["D5"],
    });
  });
});

describe("windows and small helpers", () => {
  it("covers whole calendar months up to the current one, with a day's grace inside the month", () => {
    expect(closeDateWindow(new Date("2026-05-15T10:00:00Z"), 12)).toEqual({
      from: "2025-06-01",
      to: "2026-05-16",
    });
    expect(closeDateWindow(new Date("2026-05-31T22:00:00Z"), 3)).toEqual({
      from: "2026-03-01",
      to: "2026-05-31",
    });
    expect(closeDateWindow(new Date("2026-01-15T00:00:00Z"), 24)).toEqual({
      from: "2024-02-01",
      to: "2026-01-16",
    });
    expect(windowMonthsList(new Date("2026-02-10T00:00:00Z"), 3)).toEqual(["2025-12", "2026-01", "2026-02"]);
  });

  it("rounds shares to whole percents and has none of nothing", () => {
    expect(percent(2, 3)).toBe(67);
    expect(percent(1, 8)).toBe(13);
    expect(percent(0, 0)).toBeNull();
  });

  it("takes search text literally in LIKE patterns", () => {
    expect(likePattern("50%_off\\")).toBe("%50\\%\\_off\\\\%");
    expect(likePattern("'; drop table responses; --")).toBe("%'; drop table responses; --%");
  });

  it("puts the shared filters in the URL, defaults left out", () => {
    expect(winlossFilterParams({ window: 12 }).toString()).toBe("");
    expect(
      winlossFilterParams({
        window: 6,
        segment: "smb",
        seller: "s-1",
        outcome: "lost",
        region: "",
      }).toString(),
    ).toBe("window=6&segment=smb&seller=s-1&outcome=lost");
  });
});

describe("parseWinlossQuery", () => {
  const seller = "9d7e6b1c-2f4a-4c3e-8a1b-1c2d3e4f5a6b";

  it("reads the filters and panel choices from the URL", () => {
    expect(
      parseWinlossQuery(
        new URLSearchParams(
          `window=6&segment=enterprise&region=EMEA&tier=key&owner=${seller}&seller=${seller}&outcome=lost&dshow=price_gap&dpage=2&q=%20roadmap%20&vpage=3`,
        ),
      ),
    ).toEqual({
      window: 6,
      segment: "enterprise",
      region: "EMEA",
      tier: "key",
      owner: seller,
      seller,
      outcome: "lost",
      dshow: "price_gap",
      dpage: 2,
      q: "roadmap",
      vpage: 3,
    });
  });

  it("falls back to the defaults for anything it does not know", () => {
    expect(
      parseWinlossQuery(
        new URLSearchParams(
          "window=7&segment=huge&tier=&owner=nope&seller=1%20or%201=1&outcome=open&dshow=everything&dpage=-1&vpage=abc",
        ),
      ),
    ).toEqual({
      window: 12,
      segment: undefined,
      region: undefined,
      tier: undefined,
      owner: undefined,
      seller: undefined,
      outcome: undefined,
      dshow: "all",
      dpage: 1,
      q: undefined,
      vpage: 1,
    });
  });

  it("keeps the first of repeated parameters, drops NUL bytes and overlong text", () => {
    const query = parseWinlossQuery(
      new URLSearchParams(`window=3&window=24&q=pri%00ce&region=${"x".repeat(201)}`),
    );
    expect(query).toMatchObject({ window: 3, q: "price", region: undefined });
  });
});
