import type { MonthOutcomes } from "~/domain/winloss";
import { formatMonth } from "~/components/report/format";
import { Panel, PanelEmpty } from "~/components/report/panel";
import { cellClass, headClass, tableClass, theadClass } from "~/components/report/table-classes";
import { WinRateChartFrame } from "./chart-frame";
import { winlossCsv } from "./csv";
import { OutcomeCells, OutcomeHeads } from "./outcome-columns";

function describe(points: MonthOutcomes[]): string {
  const known = points.filter((p) => p.winRate !== null);
  if (known.length === 0) return "Win rate by month: no deals closed in these months.";
  const first = known[0]!;
  const last = known[known.length - 1]!;
  return `Win rate by month: ${first.winRate}% in ${formatMonth(first.month)} (${first.deals} deals), ${last.winRate}% in ${formatMonth(last.month)} (${last.deals} deals).`;
}

/** Win rate month by month (by close date), as a chart and the table of its numbers. */
export function TrendPanel({ points, windowMonths }: { points: MonthOutcomes[]; windowMonths: number }) {
  const closed = points.some((p) => p.deals > 0);
  return (
    <Panel
      id="trend"
      title="Win rate over time"
      csv={winlossCsv("trend")}
      className="lg:col-span-2"
      description={`Each month of the last ${windowMonths}, by close date: deals won ÷ deals closed (won, lost or no decision).`}
    >
      {closed ? (
        <>
          <figure>
            <figcaption className="mb-1 text-sm font-medium text-slate-700">
              Win rate (line, 0–100%) and deals closed (bars)
            </figcaption>
            <WinRateChartFrame
              points={points.map((p) => ({ month: p.month, winRate: p.winRate, deals: p.deals }))}
              label={describe(points)}
            />
          </figure>
          <div className="relative mt-4 overflow-x-auto">
            <table className={tableClass}>
              <caption className="sr-only">Win rate by month</caption>
              <thead className={theadClass}>
                <tr>
                  <th scope="col" className={headClass}>
                    Month
                  </th>
                  <OutcomeHeads />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {points.map((p) => (
                  <tr key={p.month}>
                    <th scope="row" className={`${cellClass} whitespace-nowrap text-left font-normal`}>
                      {formatMonth(p.month)}
                    </th>
                    <OutcomeCells counts={p} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <PanelEmpty>No deal closed in these months, so there is no win rate to chart yet.</PanelEmpty>
      )}
    </Panel>
  );
}
