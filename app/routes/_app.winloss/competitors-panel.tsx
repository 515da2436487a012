import { COMPETITOR_REASONS_SHOWN, type CompetitorRow } from "~/domain/winloss";
import { Panel, PanelEmpty } from "~/components/report/panel";
import { cellClass, headClass, tableClass, theadClass } from "~/components/report/table-classes";
import { winlossCsv } from "./csv";
import { reasonLabel } from "./format";
import { OutcomeCells, OutcomeHeads } from "./outcome-columns";

function whose(reason: CompetitorRow["lostReasons"][number]): string {
  if (reason.fromSeller === 0) return "buyer";
  if (reason.fromBuyer === 0) return "seller";
  return `${reason.fromBuyer} buyer, ${reason.fromSeller} seller`;
}

/** Deals by the competitor named on them: how often we win against each, and why we lose to them. */
export function CompetitorsPanel({
  rows,
  withoutCompetitor,
}: {
  rows: CompetitorRow[];
  withoutCompetitor: number;
}) {
  return (
    <Panel
      id="competitors"
      title="Competitors"
      csv={winlossCsv("competitors")}
      className="lg:col-span-2"
      description={
        <>
          Win rate against each competitor named on a deal, and the main reason of each deal lost to them: the
          buyer&rsquo;s where the buyer gave one, otherwise the seller&rsquo;s (in brackets: whose).
          {withoutCompetitor > 0 ? ` ${withoutCompetitor} deals name no competitor.` : null}
        </>
      }
    >
      {rows.length === 0 ? (
        <PanelEmpty>
          No deal in this window names a competitor. Record who you were up against on the deal&rsquo;s page
          (or in the CRM import) and they will be compared here.
        </PanelEmpty>
      ) : (
        <div className="relative overflow-x-auto">
          <table className={tableClass}>
            <caption className="sr-only">Competitors</caption>
            <thead className={theadClass}>
              <tr>
                <th scope="col" className={headClass}>
                  Competitor
                </th>
                <OutcomeHeads />
                <th scope="col" className={headClass}>
                  Main reasons lost to them
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => {
                const shown = row.lostReasons.slice(0, COMPETITOR_REASONS_SHOWN);
                const more = row.lostReasons.length - shown.length;
                return (
                  <tr key={row.competitor}>
                    <th scope="row" className={`${cellClass} text-left font-medium`}>
                      {row.competitor}
                    </th>
                    <OutcomeCells counts={row} />
                    <td className={cellClass}>
                      {shown.length === 0 ? (
                        <span className="text-slate-500">
                          {row.lost === 0 ? "Never lost to them" : "No reasons given"}
                        </span>
                      ) : (
                        <>
                          {shown.map((r) => `${reasonLabel(r.reason)} ${r.deals} (${whose(r)})`).join(", ")}
                          {more > 0 ? (
                            <span className="text-slate-500">, and {more} more in the CSV</span>
                          ) : null}
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
