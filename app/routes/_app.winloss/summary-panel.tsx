import type { SerializeFrom } from "@remix-run/node";
import { HeadlineFigure, HeadlineFigures } from "~/components/report/headline-figures";
import { useHrefWith } from "~/components/report/use-href-with";
import type { WinlossSummary } from "~/domain/winloss.server";
import { formatPercent } from "./format";

/** The headline figures of the window; each opens the rows it counts. */
export function SummaryPanel({ summary }: { summary: SerializeFrom<WinlossSummary> }) {
  const hrefWith = useHrefWith();
  const deals = (view: string) =>
    hrefWith({ dshow: view === "all" ? undefined : view, dpage: undefined }, "#deals");
  const { priceGap, agreement } = summary;
  return (
    <HeadlineFigures>
      <HeadlineFigure
        label="Deals closed"
        value={String(summary.deals)}
        to={deals("all")}
        detail={`${summary.won} won, ${summary.lost} lost, ${summary.noDecision} no decision; ${summary.withBuyer} with the buyer's answers`}
      />
      <HeadlineFigure
        label="Win rate"
        value={formatPercent(summary.winRate)}
        to="#trend"
        detail={`${summary.won} won of ${summary.deals} closed (no decision counts as not won)`}
      />
      <HeadlineFigure
        label="No decision"
        value={formatPercent(summary.noDecisionShare)}
        to="#trend"
        detail={`${summary.noDecision} of ${summary.deals} deals ended without a decision`}
      />
      <HeadlineFigure
        label="Price attribution gap"
        value={formatPercent(priceGap.share)}
        to={deals("price_gap")}
        detail={`${priceGap.flagged} of ${priceGap.sellerSaidPrice} deals where the seller named price and no buyer did (n = ${priceGap.sellerSaidPrice})`}
      />
      <HeadlineFigure
        label="Main reasons agree"
        value={formatPercent(agreement.rate)}
        to="#sellers"
        detail={`${agreement.agreed} of ${agreement.judged} deals where both sides gave a main reason`}
      />
    </HeadlineFigures>
  );
}
