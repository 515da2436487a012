/**
 * The win/loss measures (DESIGN.md, "Win/loss"; formulas and worked examples in docs/winloss.md):
 * which reasons a buyer's answers give, how the buyer's side of one deal compares with the
 * seller's sealed reasons, and the figures the /winloss page adds up from many deals. Pure and
 * light (no schema, no zod), so the page's components can read the constants; the queries are
 * winloss.server.ts and what the URL may ask for is winloss-query.server.ts.
 */
import { DECISION_REASONS, type DecisionReason } from "./dimensions";
import { surveyElements } from "./survey-verbatims";

/** The page's time windows, in months (the same choice as the VoC dashboard). */
export const WINLOSS_WINDOWS = [3, 6, 12, 24] as const;
export type WinlossWindow = (typeof WINLOSS_WINDOWS)[number];
export const DEFAULT_WINLOSS_WINDOW: WinlossWindow = 12;

export const WINLOSS_OUTCOMES = ["won", "lost", "no_decision"] as const;
export type WinlossOutcome = (typeof WINLOSS_OUTCOMES)[number];

/** Which deals the seller-vs-buyer table lists. */
export const DEAL_VIEWS = ["all", "both_sides", "disagree", "price_gap", "no_buyer"] as const;
export type DealView = (typeof DEAL_VIEWS)[number];

export const DEAL_PAGE_SIZE = 25;
export const WINLOSS_VERBATIM_PAGE_SIZE = 20;
/** How many of a competitor's loss reasons the page names (the CSV has them all). */
export const COMPETITOR_REASONS_SHOWN = 3;

/** The tables a CSV can be downloaded of, by the name in /winloss/export/:table. */
export const WINLOSS_TABLES = [
  "summary",
  "trend",
  "reasons",
  "competitors",
  "deals",
  "sellers",
  "verbatims",
] as const;
export type WinlossTable = (typeof WINLOSS_TABLES)[number];

/** The filters every panel shares, as the URL has them. */
export interface WinlossFilters {
  window: number;
  segment?: string;
  region?: string;
  tier?: string;
  owner?: string;
  seller?: string;
  outcome?: string;
}

/** The shared filters as URL parameters (defaults left out), for links and CSV downloads. */
export function winlossFilterParams(filters: WinlossFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.window !== DEFAULT_WINLOSS_WINDOW) params.set("window", String(filters.window));
  for (const name of ["segment", "region", "tier", "owner", "seller", "outcome"] as const) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  return params;
}

// ─── Small helpers ────────────────────────────────────────────────────────────

export function isDecisionReason(value: unknown): value is DecisionReason {
  return typeof value === "string" && (DECISION_REASONS as readonly string[]).includes(value);
}

const order = (reason: DecisionReason) => DECISION_REASONS.indexOf(reason);

/** Each reason once, in taxonomy order (price first, no decision last). */
export function inTaxonomyOrder(reasons: Iterable<DecisionReason>): DecisionReason[] {
  const given = new Set(reasons);
  return DECISION_REASONS.filter((reason) => given.has(reason));
}

/** A share as a whole percentage (halves up), or null when there is nothing to share out. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((100 * part) / whole) : null;
}

/** `%text%` for ILIKE, with the pattern characters in the search taken literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** "YYYY-MM" of a calendar day or a moment (UTC). */
export function monthOf(day: string | Date): string {
  return (typeof day === "string" ? day : day.toISOString()).slice(0, 7);
}

/**
 * The calendar months (UTC) a trend over `windowMonths` shows, as "YYYY-MM", oldest first:
 * the current month and the ones before it, `windowMonths` in all.
 */
export function windowMonthsList(now: Date, windowMonths: number): string[] {
  const months: string[] = [];
  for (let back = windowMonths - 1; back >= 0; back--) {
    months.push(monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1))));
  }
  return months;
}

/** YYYY-MM-DD of a moment, in UTC. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * The close dates a window covers: the `windowMonths` calendar months (UTC) up to and including
 * the current one, so the deals counted are exactly those of the months the trend lists. The end
 * allows a day's grace, as closing a deal does (the closer may be a time zone ahead of UTC), but
 * never runs into next month.
 */
export function closeDateWindow(now: Date, windowMonths: number): { from: string; to: string } {
  const [year, month] = [now.getUTCFullYear(), now.getUTCMonth()];
  const tomorrow = isoDay(new Date(now.getTime() + 86_400_000));
  const monthEnd = isoDay(new Date(Date.UTC(year, month + 1, 0)));
  return {
    from: isoDay(new Date(Date.UTC(year, month - (windowMonths - 1), 1))),
    to: tomorrow < monthEnd ? tomorrow : monthEnd,
  };
}

// ─── What a response says ─────────────────────────────────────────────────────

/** A question of a survey whose choices are the reason taxonomy (`reasonTaxonomy: true`). */
export interface ReasonQuestion {
  name: string;
  /** A checkbox or tag box (several reasons); else a single choice. */
  multiple: boolean;
}

const SINGLE_CHOICE = ["radiogroup", "dropdown"];
const MULTIPLE_CHOICE = ["checkbox", "tagbox"];

/**
 * The reason questions of a SurveyJS definition, in the order asked: any single- or
 * multiple-choice question flagged `reasonTaxonomy`, whatever its name, so the e-mailed survey
 * and an interview guide are read alike.
 */
export function reasonQuestions(model: unknown): ReasonQuestion[] {
  const found: ReasonQuestion[] = [];
  for (const element of surveyElements(model) as Record<string, unknown>[]) {
    if (element.reasonTaxonomy !== true || typeof element.name !== "string") continue;
    if (SINGLE_CHOICE.includes(element.type as string)) found.push({ name: element.name, multiple: false });
    else if (MULTIPLE_CHOICE.includes(element.type as string))
      found.push({ name: element.name, multiple: true });
  }
  return found;
}

/** One side's reasons: the main one (if given) and the others, in taxonomy order, without the main one. */
export interface ReasonSet {
  primary: DecisionReason | null;
  secondary: DecisionReason[];
}

/**
 * The reasons a response's answers give. The primary is the first single-choice reason
 * question answered with a reason from the taxonomy; everything else it names (other single
 * choices, every multiple choice) is secondary. Values outside the taxonomy are ignored.
 */
export function reasonsFromAnswers(questions: ReasonQuestion[], data: Record<string, unknown>): ReasonSet {
  let primary: DecisionReason | null = null;
  const others: DecisionReason[] = [];
  for (const question of questions) {
    const answer = data[question.name];
    if (question.multiple) {
      if (Array.isArray(answer)) others.push(...answer.filter(isDecisionReason));
    } else if (isDecisionReason(answer)) {
      if (primary === null) primary = answer;
      else others.push(answer);
    }
  }
  return { primary, secondary: inTaxonomyOrder(others.filter((reason) => reason !== primary)) };
}

/** The primary and secondary reasons a response gives (see reasonsFromAnswers). */
export function buyerReasons(model: unknown, data: Record<string, unknown>): ReasonSet {
  return reasonsFromAnswers(reasonQuestions(model), data);
}

/** Every reason a side names, main or not, in taxonomy order. */
export function mentionsOf(reasons: ReasonSet): DecisionReason[] {
  return inTaxonomyOrder([...(reasons.primary ? [reasons.primary] : []), ...reasons.secondary]);
}

/** The seller's stored reasons as a ReasonSet, or null when none were recorded. */
export function sellerReasonSet(
  primary: string | null,
  secondary: readonly string[] | null | undefined,
): ReasonSet | null {
  const main = isDecisionReason(primary) ? primary : null;
  const others = inTaxonomyOrder((secondary ?? []).filter(isDecisionReason)).filter((r) => r !== main);
  return main === null && others.length === 0 ? null : { primary: main, secondary: others };
}

// ─── One deal: the buyer's view and the comparison ────────────────────────────

/** One completed buyer response on a deal, with the reasons it gives. */
export interface BuyerResponseReasons {
  responseId: string;
  /** Who answered; a response whose contact is gone counts as a respondent of its own. */
  contactId: string | null;
  completedAt: Date | string;
  reasons: ReasonSet;
}

export interface BuyerView extends ReasonSet {
  /** Every reason the counted responses name, in taxonomy order. */
  mentions: DecisionReason[];
  /** Respondents whose (latest reasoned) response counts. */
  respondents: number;
  /** How many of them gave the chosen primary. */
  primaryVotes: number;
  /** The responses that count, one per respondent. */
  responseIds: string[];
}

const time = (at: Date | string) => new Date(at).getTime();

/**
 * The buyer's side of one deal, or null when no response names a reason. Each respondent
 * counts once, by their latest response that names a reason (a later survey of another kind
 * linked to the deal does not erase it). The primary is the reason most respondents gave as
 * their primary, ties broken by taxonomy order (price before product fit … before no decision);
 * null when nobody gave one. Secondary: every other reason any of them named.
 */
export function buyerView(responses: readonly BuyerResponseReasons[]): BuyerView | null {
  const latest = new Map<string, BuyerResponseReasons>();
  for (const response of responses) {
    if (mentionsOf(response.reasons).length === 0) continue;
    const key = response.contactId ?? `response:${response.responseId}`;
    const current = latest.get(key);
    const newer =
      !current ||
      time(response.completedAt) > time(current.completedAt) ||
      (time(response.completedAt) === time(current.completedAt) && response.responseId > current.responseId);
    if (newer) latest.set(key, response);
  }
  if (latest.size === 0) return null;
  const counted = [...latest.values()];
  const votes = new Map<DecisionReason, number>();
  for (const { reasons } of counted) {
    if (reasons.primary) votes.set(reasons.primary, (votes.get(reasons.primary) ?? 0) + 1);
  }
  let primary: DecisionReason | null = null;
  let primaryVotes = 0;
  for (const reason of DECISION_REASONS) {
    const n = votes.get(reason) ?? 0;
    if (n > primaryVotes) [primary, primaryVotes] = [reason, n];
  }
  const mentions = inTaxonomyOrder(counted.flatMap(({ reasons }) => mentionsOf(reasons)));
  return {
    primary,
    secondary: mentions.filter((reason) => reason !== primary),
    mentions,
    respondents: counted.length,
    primaryVotes,
    responseIds: counted.map((r) => r.responseId).sort(),
  };
}

export interface DealComparison {
  seller: ReasonSet | null;
  buyer: BuyerView | null;
  /** The seller recorded reasons and some buyer response names one. */
  bothSides: boolean;
  /** Seller primary = buyer primary; null unless both sides exist and each has a primary. */
  primaryAgrees: boolean | null;
  /** The two sides name at least one reason in common; null unless both sides exist. */
  anyOverlap: boolean | null;
  /** The reasons both sides name, in taxonomy order. */
  shared: DecisionReason[];
  /**
   * The seller named price (main or other) and no buyer response on the deal mentions price at
   * all — not even a respondent's earlier one; null unless both sides exist.
   */
  priceGap: boolean | null;
}

/** Sets the buyer's side of one deal beside the seller's. */
export function compareDeal(
  seller: ReasonSet | null,
  responses: readonly BuyerResponseReasons[],
): DealComparison {
  const buyer = buyerView(responses);
  if (!seller || !buyer) {
    return {
      seller,
      buyer,
      bothSides: false,
      primaryAgrees: null,
      anyOverlap: null,
      shared: [],
      priceGap: null,
    };
  }
  const sellerSaid = mentionsOf(seller);
  const shared = sellerSaid.filter((reason) => buyer.mentions.includes(reason));
  const anyBuyerSaidPrice = responses.some((r) => mentionsOf(r.reasons).includes("price"));
  return {
    seller,
    buyer,
    bothSides: true,
    primaryAgrees: seller.primary && buyer.primary ? seller.primary === buyer.primary : null,
    anyOverlap: shared.length > 0,
    shared,
    priceGap: sellerSaid.includes("price") && !anyBuyerSaidPrice,
  };
}

/** The sentence the deal page says about the main reasons, or null before both sides exist. */
export function describeAgreement(
  comparison: Pick<DealComparison, "seller" | "buyer" | "bothSides">,
  label: (reason: DecisionReason) => string,
): string | null {
  const { seller, buyer } = comparison;
  if (!comparison.bothSides || !seller || !buyer) return null;
  if (!seller.primary) return "The seller recorded no main reason, so the main reasons cannot be compared.";
  if (!buyer.primary) return "The buyer named no main reason, so the main reasons cannot be compared.";
  if (seller.primary === buyer.primary) {
    return `Seller and buyer agree on the main reason: ${label(seller.primary)}.`;
  }
  return `The buyer's main reason differs: seller said ${label(seller.primary)}, buyer said ${label(buyer.primary)}.`;
}

// ─── Many deals ───────────────────────────────────────────────────────────────

/** A closed deal in the window with its comparison: what the aggregates read. */
export interface ComparedDeal {
  id: string;
  outcome: WinlossOutcome;
  /** YYYY-MM-DD */
  closeDate: string;
  competitor: string | null;
  sellerId: string | null;
  sellerName: string | null;
  comparison: DealComparison;
}

export interface OutcomeSummary {
  deals: number;
  won: number;
  lost: number;
  noDecision: number;
  /** won ÷ (won + lost + no decision), whole percent; null without deals. */
  winRate: number | null;
  /** no decision ÷ closed deals, whole percent; null without deals. */
  noDecisionShare: number | null;
}

/** Win rate and no-decision share of some closed deals. */
export function outcomeSummary(deals: readonly Pick<ComparedDeal, "outcome">[]): OutcomeSummary {
  let won = 0;
  let lost = 0;
  let noDecision = 0;
  for (const deal of deals) {
    if (deal.outcome === "won") won += 1;
    else if (deal.outcome === "lost") lost += 1;
    else noDecision += 1;
  }
  const total = won + lost + noDecision;
  return {
    deals: total,
    won,
    lost,
    noDecision,
    winRate: percent(won, total),
    noDecisionShare: percent(noDecision, total),
  };
}

export interface MonthOutcomes extends OutcomeSummary {
  /** YYYY-MM */
  month: string;
}

/** Win rate month by month (by close date), every month listed, empty ones with zeros. */
export function winRateByMonth(
  deals: readonly Pick<ComparedDeal, "outcome" | "closeDate">[],
  months: readonly string[],
): MonthOutcomes[] {
  const byMonth = new Map<string, Pick<ComparedDeal, "outcome">[]>(months.map((m) => [m, []]));
  for (const deal of deals) byMonth.get(monthOf(deal.closeDate))?.push(deal);
  return months.map((month) => ({ month, ...outcomeSummary(byMonth.get(month)!) }));
}

export interface PriceGap {
  /** Deals with both sides where the seller said price and no buyer response did. */
  flagged: number;
  /** Deals with both sides where the seller said price (main or other): the n. */
  sellerSaidPrice: number;
  /** flagged ÷ sellerSaidPrice, whole percent; null when the seller never said price. */
  share: number | null;
}

/** The price attribution gap: how often a seller blames price that no buyer mentions. */
export function priceAttributionGap(deals: readonly Pick<ComparedDeal, "comparison">[]): PriceGap {
  let flagged = 0;
  let sellerSaidPrice = 0;
  for (const { comparison } of deals) {
    if (!comparison.bothSides || !comparison.seller || !mentionsOf(comparison.seller).includes("price"))
      continue;
    sellerSaidPrice += 1;
    if (comparison.priceGap) flagged += 1;
  }
  return { flagged, sellerSaidPrice, share: percent(flagged, sellerSaidPrice) };
}

export interface Agreement {
  /** Deals with both sides where each side gave a main reason: the n. */
  judged: number;
  agreed: number;
  /** agreed ÷ judged, whole percent; null with nothing judged. */
  rate: number | null;
}

/** Primary agreement over the deals where both sides gave a main reason. */
export function agreementOf(deals: readonly Pick<ComparedDeal, "comparison">[]): Agreement {
  let judged = 0;
  let agreed = 0;
  for (const { comparison } of deals) {
    if (comparison.primaryAgrees === null) continue;
    judged += 1;
    if (comparison.primaryAgrees) agreed += 1;
  }
  return { judged, agreed, rate: percent(agreed, judged) };
}

export type ReasonSide = "seller" | "buyer";

export interface ReasonCount {
  reason: DecisionReason;
  /** Deals whose main reason (this side's) it is. */
  primary: number;
  /** Deals where this side names it at all, main or other. */
  mentions: number;
  /** primary ÷ deals of this side, whole percent. */
  primaryShare: number | null;
  mentionShare: number | null;
  /** 1 = named most often as the main reason; null when never. */
  rankByPrimary: number | null;
  /** 1 = named most often at all; null when never. */
  rankByMention: number | null;
}

export interface ReasonRanking {
  outcome: WinlossOutcome;
  side: ReasonSide;
  /** Deals of this outcome where this side gave reasons: the denominator of the shares. */
  deals: number;
  /** Every reason, by main-reason count (then mentions, then taxonomy order). */
  reasons: ReasonCount[];
}

function sideOf(comparison: DealComparison, side: ReasonSide): ReasonSet | null {
  return side === "seller" ? comparison.seller : comparison.buyer;
}

/**
 * Reasons ranked for each outcome and side: how many deals give each reason as the main one
 * and how many name it at all. The seller's side counts every deal with the seller's reasons,
 * the buyer's side every deal with a buyer response that names a reason (its buyer view).
 */
export function rankReasons(deals: readonly Pick<ComparedDeal, "outcome" | "comparison">[]): ReasonRanking[] {
  const rankings: ReasonRanking[] = [];
  for (const outcome of WINLOSS_OUTCOMES) {
    for (const side of ["seller", "buyer"] as const) {
      const sets = deals
        .filter((deal) => deal.outcome === outcome)
        .map((deal) => sideOf(deal.comparison, side))
        .filter((set): set is ReasonSet => set !== null);
      const counts = DECISION_REASONS.map((reason) => ({
        reason,
        primary: sets.filter((set) => set.primary === reason).length,
        mentions: sets.filter((set) => set.primary === reason || set.secondary.includes(reason)).length,
      }));
      const byPrimary = [...counts].sort(
        (a, b) => b.primary - a.primary || b.mentions - a.mentions || order(a.reason) - order(b.reason),
      );
      const byMention = [...counts].sort(
        (a, b) => b.mentions - a.mentions || b.primary - a.primary || order(a.reason) - order(b.reason),
      );
      rankings.push({
        outcome,
        side,
        deals: sets.length,
        reasons: byPrimary.map((count) => ({
          ...count,
          primaryShare: percent(count.primary, sets.length),
          mentionShare: percent(count.mentions, sets.length),
          rankByPrimary: count.primary > 0 ? byPrimary.indexOf(count) + 1 : null,
          rankByMention: count.mentions > 0 ? byMention.indexOf(count) + 1 : null,
        })),
      });
    }
  }
  return rankings;
}

export interface CompetitorLossReason {
  reason: DecisionReason;
  /** Lost deals whose main reason it is. */
  deals: number;
  /** …of which the buyer's main reason. */
  fromBuyer: number;
  /** …of which the seller's (no buyer main reason on the deal). */
  fromSeller: number;
}

export interface CompetitorRow extends OutcomeSummary {
  competitor: string;
  /** The main reason of each deal lost to them, most frequent first. */
  lostReasons: CompetitorLossReason[];
  /** Lost deals with no main reason on either side. */
  lostWithoutReason: number;
}

/**
 * Deals by named competitor (names compared trimmed and case-insensitively; shown as most often
 * spelt), most deals first. Win rate against a competitor uses the overall formula on the deals
 * naming them. Each deal lost to them contributes its main reason: the buyer's where the buyer
 * gave one, else the seller's.
 */
export function competitorTable<D extends Pick<ComparedDeal, "outcome" | "competitor" | "comparison">>(
  deals: readonly D[],
): CompetitorRow[] {
  const groups = new Map<string, { spellings: Map<string, number>; deals: D[] }>();
  for (const deal of deals) {
    const name = deal.competitor?.trim();
    if (!name) continue;
    const key = name.toLowerCase();
    const group = groups.get(key) ?? { spellings: new Map<string, number>(), deals: [] as D[] };
    group.spellings.set(name, (group.spellings.get(name) ?? 0) + 1);
    group.deals.push(deal);
    groups.set(key, group);
  }
  const rows: CompetitorRow[] = [];
  for (const group of groups.values()) {
    const competitor = [...group.spellings.entries()].sort(
      (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    )[0]![0];
    const reasons = new Map<DecisionReason, CompetitorLossReason>();
    let lostWithoutReason = 0;
    for (const deal of group.deals) {
      if (deal.outcome !== "lost") continue;
      const fromBuyer = deal.comparison.buyer?.primary ?? null;
      const reason = fromBuyer ?? deal.comparison.seller?.primary ?? null;
      if (!reason) {
        lostWithoutReason += 1;
        continue;
      }
      const entry = reasons.get(reason) ?? { reason, deals: 0, fromBuyer: 0, fromSeller: 0 };
      entry.deals += 1;
      if (fromBuyer) entry.fromBuyer += 1;
      else entry.fromSeller += 1;
      reasons.set(reason, entry);
    }
    rows.push({
      competitor,
      ...outcomeSummary(group.deals),
      lostReasons: [...reasons.values()].sort(
        (a, b) => b.deals - a.deals || order(a.reason) - order(b.reason),
      ),
      lostWithoutReason,
    });
  }
  return rows.sort(
    (a, b) =>
      b.deals - a.deals ||
      a.competitor.toLowerCase().localeCompare(b.competitor.toLowerCase(), "en") ||
      a.competitor.localeCompare(b.competitor, "en"),
  );
}

export interface SellerAgreementRow extends Agreement {
  sellerId: string;
  sellerName: string;
  /** The seller's closed deals in the window. */
  deals: number;
  /** …of which with both sides. */
  bothSides: number;
}

/**
 * Per seller: how often their main reason matches the buyer's, over their deals where both
 * sides gave a main reason (the n beside it). Highest rate first, then the most deals judged,
 * then by name; sellers with nothing judged yet come last. Deals with no seller recorded are left out.
 */
export function sellerAgreement(
  deals: readonly Pick<ComparedDeal, "sellerId" | "sellerName" | "comparison">[],
): SellerAgreementRow[] {
  const bySeller = new Map<string, { name: string; deals: Pick<ComparedDeal, "comparison">[] }>();
  for (const deal of deals) {
    if (!deal.sellerId) continue;
    const entry = bySeller.get(deal.sellerId) ?? { name: deal.sellerName ?? "Unknown seller", deals: [] };
    entry.deals.push(deal);
    bySeller.set(deal.sellerId, entry);
  }
  return [...bySeller.entries()]
    .map(([sellerId, entry]) => ({
      sellerId,
      sellerName: entry.name,
      deals: entry.deals.length,
      bothSides: entry.deals.filter((d) => d.comparison.bothSides).length,
      ...agreementOf(entry.deals),
    }))
    .sort(
      (a, b) =>
        // the exact share, not the rounded percentage: 45 of 301 ranks above 39 of 264
        (b.judged ? b.agreed / b.judged : -1) - (a.judged ? a.agreed / a.judged : -1) ||
        b.judged - a.judged ||
        a.sellerName.localeCompare(b.sellerName, "en") ||
        (a.sellerId < b.sellerId ? -1 : 1),
    );
}

/** Whether a deal belongs in the seller-vs-buyer table's chosen view. */
export function dealInView(comparison: DealComparison, view: DealView): boolean {
  switch (view) {
    case "all":
      return true;
    case "both_sides":
      return comparison.bothSides;
    case "disagree":
      return comparison.primaryAgrees === false;
    case "price_gap":
      return comparison.priceGap === true;
    case "no_buyer":
      return comparison.buyer === null;
  }
}
