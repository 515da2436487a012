import { Link } from "@remix-run/react";
import type { TrendPoint } from "~/domain/dashboard.server";
import { HealthChartFrame, NpsChartFrame } from "./chart-frame";
import { formatMonth } from "~/components/report/format";
import { Panel, PanelEmpty } from "~/components/report/panel";
import {
  cellClass,
  headClass,
  numberCellClass,
  numberHeadClass,
  tableClass,
  theadClass,
} from "~/components/report/table-classes";
import { useHrefWith } from "~/components/report/use-href-with";
import { dashboardCsv } from "./csv";
import { formatScore, formatWhole } from "./format";

function describe(
  points: TrendPoint[],
  pick: (p: TrendPoint) => number | null,
  what: string,
  format: (v: number) => string,
) {
  const known = points.filter((p) => pick(p) !== null);
  if (known.length === 0) return `${what}: no answers in these months.`;
  const first = known[0]!;
  const last = known[known.length - 1]!;
  return `${what} by month: ${format(pick(first)!)} in ${formatMonth(first.month)}, ${format(pick(last)!)} in ${formatMonth(last.month)}.`;
}

/** NPS and customer health month by month, as two charts and the table of their numbers. */
export function TrendPanel({ points, windowMonths }: { points: TrendPoint[]; windowMonths: number }) {
  const hrefWith = useHrefWith();
  const answered = points.some((p) => p.responses > 0);
  return (
    <Panel
      id="trend"
      title="NPS and customer health over time"
      csv={dashboardCsv("trend")}
      className="lg:col-span-2"
      description={`Each month of the last ${windowMonths}: NPS from every respondent's latest recommend answer that month, and the mean health of their latest response.`}
    >
      {answered ? (
        <>
          <div className="grid gap-4 md:grid-cols-2">
            <figure>
              <figcaption className="mb-1 text-sm font-medium text-slate-700">NPS (−100 to +100)</figcaption>
              <NpsChartFrame
                points={points}
                label={describe(
                  points,
                  (p) => p.nps,
                  "NPS",
                  (v) => formatWhole(v, { signed: true }),
                )}
              />
            </figure>
            <figure>
              <figcaption className="mb-1 text-sm font-medium text-slate-700">
                Customer health (0–100; 60 is healthy)
              </figcaption>
              <HealthChartFrame
                points={points}
                label={describe(
                  points,
                  (p) => p.health,
                  "Customer health",
                  (v) => formatScore(v),
                )}
              />
            </figure>
          </div>
          <div className="relative mt-4 overflow-x-auto">
            <table className={tableClass}>
              <caption className="sr-only">NPS and customer health by month</caption>
              <thead className={theadClass}>
                <tr>
                  <th scope="col" className={headClass}>
                    Month
                  </th>
                  <th scope="col" className={numberHeadClass}>
                    Responses
                  </th>
                  <th scope="col" className={numberHeadClass}>
                    Promoters
                  </th>
                  <th scope="col" className={numberHeadClass}>
                    Passives
                  </th>
                  <th scope="col" className={numberHeadClass}>
                    Detractors
                  </th>
                  <th scope="col" className={numberHeadClass}>
                    NPS
                  </th>
                  <th scope="col" className={numberHeadClass}>
                    Health
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {points.map((p) => (
                  <tr key={p.month}>
                    <th scope="row" className={`${cellClass} whitespace-nowrap text-left font-normal`}>
                      {formatMonth(p.month)}
                    </th>
                    <td className={numberCellClass}>
                      {p.responses > 0 ? (
                        <Link
                          to={hrefWith({ vmonth: p.month, vpage: undefined, q: undefined }, "#verbatims")}
                          className="text-indigo-700 hover:underline"
                          aria-label={`${p.responses} responses in ${formatMonth(p.month)}: read their comments`}
                        >
                          {p.responses}
                        </Link>
                      ) : (
                        0
                      )}
                    </td>
                    <td className={numberCellClass}>{p.promoters}</td>
                    <td className={numberCellClass}>{p.passives}</td>
                    <td className={numberCellClass}>{p.detractors}</td>
                    <td className={numberCellClass}>{formatWhole(p.nps, { signed: true })}</td>
                    <td className={numberCellClass}>{formatScore(p.health)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <PanelEmpty>
          No customer answered a survey or an interview in these months. Trends appear as soon as the first
          responses of a campaign come in.
        </PanelEmpty>
      )}
    </Panel>
  );
}
