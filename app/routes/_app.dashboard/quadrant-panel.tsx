import { Link } from "@remix-run/react";
import type { QuadrantName } from "~/domain/dashboard";
import type { QuadrantCounts } from "~/domain/dashboard.server";
import { QuadrantChartFrame } from "./chart-frame";
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

export const QUADRANT_LABELS: Record<QuadrantName, string> = {
  blind_spot: "Blind spot",
  undervalued: "Undervalued",
  agreed_strength: "Agreed strength",
  agreed_weakness: "Agreed weakness",
};

const QUADRANT_HELP: Record<QuadrantName, string> = {
  blind_spot: "the team rates health 60 or more, the customer below 60, at least 15 apart",
  undervalued: "the customer rates health 60 or more, the team below 60, at least 15 apart",
  agreed_strength: "both see a healthy relationship",
  agreed_weakness: "both see a weak one",
};

const COLORS: Record<QuadrantName | "none", string> = {
  blind_spot: "#dc2626",
  undervalued: "#2563eb",
  agreed_strength: "#16a34a",
  agreed_weakness: "#d97706",
  none: "#94a3b8",
};

const ORDER: QuadrantName[] = ["blind_spot", "undervalued", "agreed_weakness", "agreed_strength"];

/** How many accounts sit in each quadrant of the health gap; each count opens those accounts in the heat map. */
export function QuadrantPanel({ counts }: { counts: QuadrantCounts }) {
  const hrefWith = useHrefWith();
  const compared = ORDER.reduce((sum, q) => sum + counts[q], 0);
  const bars = [
    ...ORDER.map((q) => ({ key: q, label: QUADRANT_LABELS[q], accounts: counts[q], color: COLORS[q] })),
    { key: "none", label: "Not both views", accounts: counts.none, color: COLORS.none },
  ];
  return (
    <Panel
      id="quadrants"
      title="Accounts by quadrant"
      csv={dashboardCsv("quadrants")}
      description="Where the team's view of health and the customer's put each account (health model §5)."
    >
      {compared === 0 && counts.none === 0 ? (
        <PanelEmpty>No accounts match these filters.</PanelEmpty>
      ) : (
        <>
          {compared > 0 ? (
            <QuadrantChartFrame bars={bars} label={bars.map((b) => `${b.label}: ${b.accounts}`).join("; ")} />
          ) : (
            <PanelEmpty>
              No account has both a customer answer and a team prediction in this window, so none can be
              placed yet. Ask the account teams to make a prediction before the next campaign.
            </PanelEmpty>
          )}
          <table className={`mt-4 ${tableClass}`}>
            <caption className="sr-only">Accounts by quadrant</caption>
            <thead className={theadClass}>
              <tr>
                <th scope="col" className={headClass}>
                  Quadrant
                </th>
                <th scope="col" className={numberHeadClass}>
                  Accounts
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {ORDER.map((q) => (
                <tr key={q}>
                  <th scope="row" className={`${cellClass} text-left font-normal`}>
                    <span className="font-medium">{QUADRANT_LABELS[q]}</span>
                    <span className="block text-xs text-slate-500">{QUADRANT_HELP[q]}</span>
                  </th>
                  <td className={numberCellClass}>
                    {counts[q] > 0 ? (
                      <Link
                        to={hrefWith({ quadrant: q, hpage: undefined }, "#heatmap")}
                        className="text-indigo-700 hover:underline"
                        aria-label={`${counts[q]} accounts: ${QUADRANT_LABELS[q]} — show them in the heat map`}
                      >
                        {counts[q]}
                      </Link>
                    ) : (
                      0
                    )}
                  </td>
                </tr>
              ))}
              <tr>
                <th scope="row" className={`${cellClass} text-left font-normal`}>
                  <span className="font-medium">Not both views</span>
                  <span className="block text-xs text-slate-500">
                    no customer answer or no team prediction in the window
                  </span>
                </th>
                <td className={numberCellClass}>{counts.none}</td>
              </tr>
            </tbody>
          </table>
        </>
      )}
    </Panel>
  );
}
