/**
 * CSV downloads of the /winloss page's tables (/winloss/export/:table), with the same filters as
 * the page and every row rather than one page of them. Numbers stay numbers; text cells that a
 * spreadsheet would run as a formula get a leading apostrophe (csv/columns.ts).
 */
import { stringify } from "csv-stringify/sync";
import type { Database } from "../lib/db.server";
import type { Viewer } from "./accounts.server";
import { protectFromFormula } from "./csv/columns";
import {
  competitorTable,
  rankReasons,
  sellerAgreement,
  windowMonthsList,
  winRateByMonth,
  type WinlossTable,
} from "./winloss";
import type { WinlossQuery } from "./winloss-query.server";
import { dealTable, loadComparedDeals, searchWinlossVerbatims, winlossSummary } from "./winloss.server";

type Cell = string | number | null;
type Table = { columns: string[]; rows: Record<string, Cell>[] };

const yesNo = (value: boolean | null) => (value === null ? null : value ? "yes" : "no");
const list = (values: readonly string[]) => values.join("; ");

/** One table of the page, every row, as the download has it. */
export async function winlossTable(
  db: Database,
  viewer: Viewer,
  query: WinlossQuery,
  table: WinlossTable,
  options: { now: Date; companyName: string },
): Promise<Table> {
  if (table === "verbatims") {
    const { rows } = await searchWinlossVerbatims(db, viewer, query, { ...options, limit: null });
    return {
      columns: [
        "completed_at",
        "opportunity_id",
        "deal",
        "outcome",
        "account_id",
        "account",
        "contact",
        "source",
        "survey",
        "question",
        "text",
      ],
      rows: rows.map((row) => ({
        completed_at: row.completedAt.toISOString(),
        opportunity_id: row.opportunityId,
        deal: row.dealName,
        outcome: row.outcome,
        account_id: row.accountId,
        account: row.accountName,
        contact: row.contactName,
        source: row.source,
        survey: row.survey,
        question: row.title,
        text: row.text,
      })),
    };
  }
  const { deals, buyerResponses } = await loadComparedDeals(db, viewer, query, options);
  switch (table) {
    case "summary": {
      const s = winlossSummary(deals, buyerResponses);
      return {
        columns: ["metric", "value"],
        rows: (
          [
            ["deals", s.deals],
            ["won", s.won],
            ["lost", s.lost],
            ["no_decision", s.noDecision],
            ["win_rate_percent", s.winRate],
            ["no_decision_percent", s.noDecisionShare],
            ["deals_with_buyer_answers", s.withBuyer],
            ["deals_with_both_sides", s.bothSides],
            ["buyer_responses", s.buyerResponses],
            ["seller_said_price_deals", s.priceGap.sellerSaidPrice],
            ["price_gap_deals", s.priceGap.flagged],
            ["price_attribution_gap_percent", s.priceGap.share],
            ["main_reason_judged_deals", s.agreement.judged],
            ["main_reason_agreed_deals", s.agreement.agreed],
            ["main_reason_agreement_percent", s.agreement.rate],
          ] as [string, number | null][]
        ).map(([metric, value]) => ({ metric, value })),
      };
    }
    case "trend":
      return {
        columns: ["month", "deals", "won", "lost", "no_decision", "win_rate_percent", "no_decision_percent"],
        rows: winRateByMonth(deals, windowMonthsList(options.now, query.window)).map((m) => ({
          month: m.month,
          deals: m.deals,
          won: m.won,
          lost: m.lost,
          no_decision: m.noDecision,
          win_rate_percent: m.winRate,
          no_decision_percent: m.noDecisionShare,
        })),
      };
    case "reasons":
      return {
        columns: [
          "outcome",
          "side",
          "deals_with_reasons",
          "reason",
          "main_reason_deals",
          "main_reason_percent",
          "rank_by_main_reason",
          "named_deals",
          "named_percent",
          "rank_by_named",
        ],
        rows: rankReasons(deals).flatMap((ranking) =>
          ranking.reasons.map((r) => ({
            outcome: ranking.outcome,
            side: ranking.side,
            deals_with_reasons: ranking.deals,
            reason: r.reason,
            main_reason_deals: r.primary,
            main_reason_percent: r.primaryShare,
            rank_by_main_reason: r.rankByPrimary,
            named_deals: r.mentions,
            named_percent: r.mentionShare,
            rank_by_named: r.rankByMention,
          })),
        ),
      };
    case "competitors":
      return {
        columns: [
          "competitor",
          "deals",
          "won",
          "lost",
          "no_decision",
          "win_rate_percent",
          "lost_reasons",
          "lost_without_reason",
        ],
        rows: competitorTable(deals).map((row) => ({
          competitor: row.competitor,
          deals: row.deals,
          won: row.won,
          lost: row.lost,
          no_decision: row.noDecision,
          win_rate_percent: row.winRate,
          // "price 2 (buyer 1, seller 1); relationship 1 (buyer 1, seller 0)"
          lost_reasons: list(
            row.lostReasons.map(
              (r) => `${r.reason} ${r.deals} (buyer ${r.fromBuyer}, seller ${r.fromSeller})`,
            ),
          ),
          lost_without_reason: row.lostWithoutReason,
        })),
      };
    case "deals": {
      const { rows } = dealTable(deals, query.dshow, { limit: null });
      return {
        columns: [
          "opportunity_id",
          "deal",
          "account_id",
          "account",
          "close_date",
          "outcome",
          "amount",
          "competitor",
          "seller",
          "seller_primary",
          "seller_secondary",
          "buyer_responses",
          "buyer_respondents",
          "buyer_primary",
          "buyer_secondary",
          "both_sides",
          "primary_agrees",
          "any_overlap",
          "price_gap",
        ],
        rows: rows.map((row) => ({
          opportunity_id: row.id,
          deal: row.name,
          account_id: row.accountId,
          account: row.accountName,
          close_date: row.closeDate,
          outcome: row.outcome,
          amount: row.amountCents / 100,
          competitor: row.competitor,
          seller: row.sellerName,
          seller_primary: row.sellerPrimary,
          seller_secondary: list(row.sellerSecondary),
          buyer_responses: row.buyerResponses,
          buyer_respondents: row.buyerRespondents,
          buyer_primary: row.buyerPrimary,
          buyer_secondary: list(row.buyerSecondary),
          both_sides: yesNo(row.bothSides),
          primary_agrees: yesNo(row.primaryAgrees),
          any_overlap: yesNo(row.anyOverlap),
          price_gap: yesNo(row.priceGap),
        })),
      };
    }
    case "sellers":
      return {
        columns: [
          "seller_id",
          "seller",
          "deals",
          "deals_with_both_sides",
          "judged_deals",
          "agreed_deals",
          "agreement_percent",
        ],
        rows: sellerAgreement(deals).map((row) => ({
          seller_id: row.sellerId,
          seller: row.sellerName,
          deals: row.deals,
          deals_with_both_sides: row.bothSides,
          judged_deals: row.judged,
          agreed_deals: row.agreed,
          agreement_percent: row.rate,
        })),
      };
  }
}

/** The table as CSV text: UTF-8 with a BOM, so Excel reads accents right. */
export function winlossTableToCsv(table: Table): string {
  return stringify(table.rows, {
    header: true,
    columns: table.columns,
    bom: true,
    cast: { string: protectFromFormula },
  });
}
