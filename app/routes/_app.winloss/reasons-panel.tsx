import type { ReasonRanking, WinlossOutcome } from "~/domain/winloss";
import { Panel, PanelEmpty } from "~/components/report/panel";
import {
  cellClass,
  headClass,
  numberCellClass,
  numberHeadClass,
  tableClass,
  theadClass,
} from "~/components/report/table-classes";
import { winlossCsv } from "./csv";
import { formatPercent, reasonLabel } from "./format";

const outcomeTitles: Record<WinlossOutcome, string> = {
  won: "Won deals",
  lost: "Lost deals",
  no_decision: "No decision",
};
const sideTitles = { seller: "The seller said", buyer: "The buyer said" } as const;

function RankingTable({ ranking }: { ranking: ReasonRanking }) {
  const named = ranking.reasons.filter((r) => r.mentions > 0);
  const caption = `${sideTitles[ranking.side]}: ${outcomeTitles[ranking.outcome].toLowerCase()}, ${ranking.deals} with reasons`;
  return (
    <div className="min-w-0">
      <h4 className="mb-1 text-sm font-medium text-slate-700">
        {sideTitles[ranking.side]}{" "}
        <span className="font-normal text-slate-500">
          ({ranking.deals} {ranking.deals === 1 ? "deal" : "deals"})
        </span>
      </h4>
      {named.length === 0 ? (
        <PanelEmpty>
          {ranking.side === "buyer"
            ? "No buyer has given reasons on these deals yet: they are asked by the win/loss survey after a deal closes, or in an interview."
            : "No seller reasons on these deals: the seller records them when closing the deal."}
        </PanelEmpty>
      ) : (
        <div className="relative overflow-x-auto">
          <table className={tableClass}>
            <caption className="sr-only">{caption}</caption>
            <thead className={theadClass}>
              <tr>
                <th scope="col" className={headClass}>
                  Reason
                </th>
                <th scope="col" className={numberHeadClass}>
                  Main reason
                </th>
                <th scope="col" className={numberHeadClass}>
                  Named at all
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {named.map((r) => (
                <tr key={r.reason}>
                  <th scope="row" className={`${cellClass} text-left font-normal`}>
                    {reasonLabel(r.reason)}
                  </th>
                  <td className={numberCellClass}>
                    {r.primary} <span className="text-slate-500">({formatPercent(r.primaryShare)})</span>
                  </td>
                  <td className={numberCellClass}>
                    {r.mentions} <span className="text-slate-500">({formatPercent(r.mentionShare)})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Reasons ranked for won and lost deals, the seller's beside the buyer's. */
export function ReasonsPanel({
  rankings,
  counts,
  only,
}: {
  rankings: ReasonRanking[];
  counts: Record<WinlossOutcome, number>;
  /** The outcome filter, when one is chosen. */
  only?: WinlossOutcome;
}) {
  // won and lost always (side by side is the point); no decision when there are some
  const outcomes = only
    ? [only]
    : (["won", "lost", "no_decision"] as const).filter((o) => o === "won" || o === "lost" || counts[o] > 0);
  return (
    <Panel
      id="reasons"
      title="Why deals were won and lost"
      csv={winlossCsv("reasons")}
      className="lg:col-span-2"
      description="Each side's reasons ranked by how many deals name them as the main reason; “named at all” counts main and other reasons. Shares are of the deals where that side gave reasons."
    >
      <div className="space-y-6">
        {outcomes.map((outcome) => (
          <section key={outcome} aria-labelledby={`reasons-${outcome}`}>
            <h3 id={`reasons-${outcome}`} className="mb-2 text-sm font-semibold">
              {outcomeTitles[outcome]} ({counts[outcome]})
            </h3>
            {counts[outcome] === 0 ? (
              <PanelEmpty>No {outcome === "won" ? "won" : "lost"} deals in this window.</PanelEmpty>
            ) : (
              <div className="grid gap-4 md:grid-cols-2 print:grid-cols-2">
                {(["seller", "buyer"] as const).map((side) => (
                  <RankingTable
                    key={side}
                    ranking={rankings.find((r) => r.outcome === outcome && r.side === side)!}
                  />
                ))}
              </div>
            )}
          </section>
        ))}
      </div>
    </Panel>
  );
}
