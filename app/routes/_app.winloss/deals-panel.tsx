import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { DEAL_PAGE_SIZE, DEAL_VIEWS, type DealView } from "~/domain/winloss";
import type { DealRow } from "~/domain/winloss.server";
import { humanize } from "~/lib/format";
import { formatDay } from "~/components/report/format";
import { PageLinks } from "~/components/report/page-links";
import { Panel, PanelEmpty } from "~/components/report/panel";
import { cellClass, headClass, tableClass, theadClass } from "~/components/report/table-classes";
import { useHrefWith } from "~/components/report/use-href-with";
import { winlossCsv } from "./csv";
import { reasonLabel } from "./format";

const viewLabels: Record<DealView, string> = {
  all: "All",
  both_sides: "Both sides heard",
  disagree: "Main reasons differ",
  price_gap: "Price gap",
  no_buyer: "No buyer reasons yet",
};

const emptyMessages: Record<DealView, string> = {
  all: "No deal closed in this window on these accounts.",
  both_sides:
    "No deal has both sides yet. Once a seller has closed a deal with their reasons, the buyer's win/loss survey or interview completes the pair.",
  disagree: "On every deal where both sides gave a main reason, they named the same one.",
  price_gap: "No deal where the seller named price and no buyer did.",
  no_buyer: "On every deal in this window, the buyer has given their reasons.",
};

function Agrees({ row }: { row: SerializeFrom<DealRow> }) {
  if (row.primaryAgrees === true) return <span className="font-medium text-emerald-800">Yes</span>;
  if (row.primaryAgrees === false) return <span className="font-medium text-red-800">No</span>;
  const why = !row.bothSides
    ? row.buyerResponses === 0
      ? "no buyer answer yet"
      : row.buyerRespondents === 0
        ? "the buyer gave no reasons"
        : "no seller reasons"
    : "a side gave no main reason";
  return (
    <span className="text-slate-500">
      —<span className="sr-only"> ({why})</span>
    </span>
  );
}

/** Per deal: the seller's main reason beside the buyer's, whether they agree, and the price flag. */
export function DealsPanel({
  rows,
  total,
  viewCounts,
  view,
  page,
}: {
  rows: SerializeFrom<DealRow>[];
  total: number;
  viewCounts: Record<DealView, number>;
  view: DealView;
  page: number;
}) {
  const hrefWith = useHrefWith();
  return (
    <Panel
      id="deals"
      title="Seller and buyer, deal by deal"
      csv={winlossCsv("deals")}
      className="lg:col-span-2"
      description="The seller's sealed main reason beside the buyer's (the most common main reason among the buyer's respondents). Price gap: the seller named price and no buyer response mentioned it."
    >
      <nav aria-label="Which deals" className="mb-3 flex flex-wrap gap-2 print:hidden">
        {DEAL_VIEWS.map((v) => (
          <Link
            key={v}
            to={hrefWith({ dshow: v === "all" ? undefined : v, dpage: undefined }, "#deals")}
            preventScrollReset
            aria-current={v === view ? "page" : undefined}
            className={`rounded-full border px-3 py-1 text-sm ${
              v === view
                ? "border-indigo-700 bg-indigo-700 text-white"
                : "border-slate-300 text-slate-700 hover:border-indigo-700"
            }`}
          >
            {viewLabels[v]} ({viewCounts[v]})
          </Link>
        ))}
      </nav>
      {view !== "all" ? (
        <p className="mb-2 hidden text-sm print:block">Showing: {viewLabels[view]}.</p>
      ) : null}
      {rows.length === 0 ? (
        <PanelEmpty>
          {total === 0 ? emptyMessages[view] : "No deals on this page; go back a page."}
        </PanelEmpty>
      ) : (
        <div className="relative overflow-x-auto">
          <table className={tableClass}>
            <caption className="sr-only">Seller and buyer reasons per deal: {viewLabels[view]}</caption>
            <thead className={theadClass}>
              <tr>
                <th scope="col" className={headClass}>
                  Deal
                </th>
                <th scope="col" className={headClass}>
                  Closed
                </th>
                <th scope="col" className={headClass}>
                  Seller
                </th>
                <th scope="col" className={headClass}>
                  Seller&rsquo;s main reason
                </th>
                <th scope="col" className={headClass}>
                  Buyer&rsquo;s main reason
                </th>
                <th scope="col" className={headClass}>
                  Agree?
                </th>
                <th scope="col" className={headClass}>
                  Price gap
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.id}>
                  <th scope="row" className={`${cellClass} text-left font-normal`}>
                    <Link
                      to={`/opportunities/${row.id}`}
                      className="font-medium text-indigo-700 hover:underline"
                    >
                      {row.name}
                    </Link>
                    <span className="block text-slate-600">{row.accountName}</span>
                  </th>
                  <td className={`${cellClass} whitespace-nowrap`}>
                    {humanize(row.outcome)}
                    <span className="block text-slate-600">{formatDay(row.closeDate)}</span>
                  </td>
                  <td className={cellClass}>
                    {row.sellerName ?? <span className="text-slate-500">Not recorded</span>}
                  </td>
                  <td className={cellClass}>{reasonLabel(row.sellerPrimary)}</td>
                  <td className={cellClass}>
                    {row.buyerResponses === 0 ? (
                      <span className="text-slate-500">Not answered yet</span>
                    ) : row.buyerRespondents === 0 ? (
                      <span className="text-slate-500">No reasons given</span>
                    ) : (
                      <>
                        {row.buyerPrimary ? (
                          reasonLabel(row.buyerPrimary)
                        ) : (
                          <span className="text-slate-500">None given</span>
                        )}
                        {row.buyerRespondents > 1 ? (
                          <span className="block text-xs text-slate-500">
                            {row.buyerRespondents} respondents
                          </span>
                        ) : null}
                      </>
                    )}
                  </td>
                  <td className={cellClass}>
                    <Agrees row={row} />
                  </td>
                  <td className={cellClass}>
                    {row.priceGap ? (
                      <span className="whitespace-nowrap rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
                        Seller only<span className="sr-only">: the seller named price, no buyer did</span>
                      </span>
                    ) : (
                      <span className="text-slate-500">
                        —<span className="sr-only"> (not flagged)</span>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PageLinks
        param="dpage"
        page={page}
        pageSize={DEAL_PAGE_SIZE}
        total={total}
        hash="#deals"
        label="Pages of deals"
      />
    </Panel>
  );
}
