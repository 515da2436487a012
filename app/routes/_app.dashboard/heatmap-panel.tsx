import { Link } from "@remix-run/react";
import { HEATMAP_PAGE_SIZE, type HeatmapSortKey, type QuadrantName } from "~/domain/dashboard";
import type { HeatmapRow } from "~/domain/dashboard.server";
import { HEALTH_DIMENSIONS } from "~/domain/dimensions";
import { humanize } from "~/lib/format";
import { PageLinks } from "~/components/report/page-links";
import { Panel, PanelEmpty } from "~/components/report/panel";
import { useHrefWith } from "~/components/report/use-href-with";
import { dashboardCsv } from "./csv";
import { formatScore } from "./format";
import { QUADRANT_LABELS } from "./quadrant-panel";

/** Soft hyphens, so the long names can break and the table fits beside the sidebar. */
const HEADER_LABELS: Partial<Record<HeatmapSortKey, string>> = {
  responsiveness: "Respon\u00adsive\u00adness",
  understanding: "Under\u00adstand\u00ading",
  communication: "Commu\u00adni\u00adcation",
  relationship: "Relation\u00adship",
};

/** Red where the team thinks better of the relationship than the customer, blue where worse. */
function shade(gap: number | null): string {
  if (gap === null) return "bg-white text-slate-400";
  if (gap >= 30) return "bg-red-300 text-red-950";
  if (gap >= 15) return "bg-red-100 text-red-900";
  if (gap <= -30) return "bg-blue-300 text-blue-950";
  if (gap <= -15) return "bg-blue-100 text-blue-900";
  return "bg-slate-50 text-slate-800";
}

function SortHeader({
  column,
  label,
  sort,
  dir,
}: {
  column: HeatmapSortKey;
  label: string;
  sort: HeatmapSortKey;
  dir: "asc" | "desc";
}) {
  const hrefWith = useHrefWith();
  const active = sort === column;
  // gaps: the largest first; names: A→Z; the next click reverses
  const next = active ? (dir === "asc" ? "desc" : "asc") : column === "name" ? "asc" : "desc";
  return (
    <th
      scope="col"
      className={`px-1.5 py-2 align-bottom text-xs font-medium ${column === "name" ? "text-left" : "text-right"}`}
      aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}
    >
      <Link
        to={hrefWith({ hsort: column, hdir: next, hpage: undefined }, "#heatmap")}
        preventScrollReset
        className="hover:text-slate-900 hover:underline"
      >
        {label}
        <span aria-hidden="true" className="ml-0.5 text-xs print:hidden">
          {active ? (dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
        <span className="sr-only">, sort {next === "asc" ? "ascending" : "descending"}</span>
      </Link>
    </th>
  );
}

/**
 * Accounts × dimensions, each cell the gap (team − customer) linking to the account; sortable
 * by any column through the URL, and narrowed to one quadrant from the quadrant panel.
 */
export function HeatmapPanel({
  rows,
  total,
  sort,
  dir,
  page,
  quadrant,
}: {
  rows: HeatmapRow[];
  total: number;
  sort: HeatmapSortKey;
  dir: "asc" | "desc";
  page: number;
  quadrant?: QuadrantName;
}) {
  const hrefWith = useHrefWith();
  return (
    <Panel
      id="heatmap"
      title="Gap heat map"
      csv={dashboardCsv("heatmap")}
      className="lg:col-span-2"
      description="Team − customer on each dimension: red where the team is more optimistic than the customer, blue where it is less; underlined, a blind spot (the team calls it healthy, the customer does not). A dash: one side has not spoken in this window."
    >
      {quadrant ? (
        <p className="mb-3 text-sm">
          Showing accounts in the <strong>{QUADRANT_LABELS[quadrant]}</strong> quadrant.{" "}
          <Link
            to={hrefWith({ quadrant: undefined, hpage: undefined }, "#heatmap")}
            className="font-medium text-indigo-700 hover:underline print:hidden"
          >
            Show every account
          </Link>
        </p>
      ) : null}
      {rows.length === 0 ? (
        <PanelEmpty>
          {quadrant
            ? "No account is in this quadrant with these filters."
            : "No account has both a customer answer and a team prediction on the same dimension in this window. The heat map fills in once teams predict and customers answer."}
        </PanelEmpty>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="min-w-full border-separate border-spacing-0.5 text-sm [print-color-adjust:exact]">
            <caption className="sr-only">Gap per account and dimension, team minus customer</caption>
            <thead className="text-slate-600">
              <tr>
                <SortHeader column="name" label="Account" sort={sort} dir={dir} />
                <SortHeader column="health" label="Health" sort={sort} dir={dir} />
                {HEALTH_DIMENSIONS.map((d) => (
                  <SortHeader
                    key={d}
                    column={d}
                    label={HEADER_LABELS[d] ?? humanize(d)}
                    sort={sort}
                    dir={dir}
                  />
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.accountId}>
                  <th scope="row" className="max-w-[12rem] truncate px-1.5 py-1.5 text-left font-medium">
                    <Link to={`/accounts/${row.accountId}`} className="text-indigo-700 hover:underline">
                      {row.accountName}
                    </Link>
                  </th>
                  <td
                    className={`rounded px-1.5 py-1.5 text-right font-semibold tabular-nums ${shade(row.healthGap)}`}
                  >
                    {formatScore(row.healthGap, { signed: true })}
                    {row.healthQuadrant ? (
                      <span className="sr-only"> ({QUADRANT_LABELS[row.healthQuadrant]})</span>
                    ) : null}
                  </td>
                  {HEALTH_DIMENSIONS.map((d) => {
                    const cell = row.cells[d];
                    const gap = cell?.gap ?? null;
                    const title = cell
                      ? `${humanize(d)}: team ${formatScore(cell.team)}, customer ${formatScore(cell.customer)}${cell.quadrant ? ` — ${QUADRANT_LABELS[cell.quadrant]}` : ""}`
                      : `${humanize(d)}: no data`;
                    return (
                      <td
                        key={d}
                        title={title}
                        className={`rounded px-1.5 py-1.5 text-right tabular-nums ${shade(gap)} ${cell?.quadrant === "blind_spot" ? "font-semibold underline decoration-red-700 decoration-2 underline-offset-2" : ""}`}
                      >
                        {gap === null ? (
                          <>
                            <span aria-hidden="true">—</span>
                            <span className="sr-only">no gap</span>
                          </>
                        ) : (
                          <Link
                            to={`/accounts/${row.accountId}`}
                            className="hover:underline"
                            aria-label={`${row.accountName}, ${title}, gap ${formatScore(gap, { signed: true })}`}
                          >
                            {formatScore(gap, { signed: true })}
                          </Link>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PageLinks
        param="hpage"
        page={page}
        pageSize={HEATMAP_PAGE_SIZE}
        total={total}
        hash="#heatmap"
        label="Heat map pages"
      />
    </Panel>
  );
}
