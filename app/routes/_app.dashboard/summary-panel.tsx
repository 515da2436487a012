import type { SerializeFrom } from "@remix-run/node";
import { HeadlineFigure, HeadlineFigures } from "~/components/report/headline-figures";
import { useHrefWith } from "~/components/report/use-href-with";
import type { DashboardSummary } from "~/domain/dashboard.server";
import { formatScore, formatWhole } from "./format";

/** The headline figures of the window; each opens what it counts. */
export function SummaryPanel({
  summary,
  accountsHref,
}: {
  summary: SerializeFrom<DashboardSummary>;
  /** The account list with the same filters. */
  accountsHref: string;
}) {
  const hrefWith = useHrefWith();
  return (
    <HeadlineFigures>
      <HeadlineFigure
        label="Accounts"
        value={String(summary.accounts)}
        to={accountsHref}
        detail={`${summary.withCustomerVoice} with customer answers in the window`}
      />
      <HeadlineFigure
        label="NPS"
        value={formatWhole(summary.nps, { signed: true })}
        to="#trend"
        detail={`${summary.promoters} promoters, ${summary.passives} passives, ${summary.detractors} detractors`}
      />
      <HeadlineFigure
        label="Customer health"
        value={formatScore(summary.customerHealth)}
        to="#heatmap"
        detail={`mean over accounts; the teams believe ${formatScore(summary.teamHealth)}`}
      />
      <HeadlineFigure
        label="Blind-spot accounts"
        value={String(summary.blindSpots)}
        to={hrefWith({ quadrant: "blind_spot", hpage: undefined }, "#heatmap")}
        detail="team 60+, customer below 60, 15 or more apart"
      />
      <HeadlineFigure
        label="Silent accounts"
        value={String(summary.silent)}
        to="#silent"
        detail="no customer voice in 180 days, or two invitations unanswered"
      />
    </HeadlineFigures>
  );
}
