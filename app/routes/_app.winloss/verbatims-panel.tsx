import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { formatDay } from "~/components/report/format";
import { Panel } from "~/components/report/panel";
import { useHrefWith } from "~/components/report/use-href-with";
import { VerbatimList, VerbatimMatches, VerbatimSearch } from "~/components/report/verbatims";
import { WINLOSS_VERBATIM_PAGE_SIZE } from "~/domain/winloss";
import type { WinlossVerbatim } from "~/domain/winloss.server";
import { humanize } from "~/lib/format";
import { winlossCsv } from "./csv";

/** The buyers' own words on these deals, newest first, with a search over them. */
export function VerbatimsPanel({
  rows,
  total,
  page,
  search,
}: {
  rows: SerializeFrom<WinlossVerbatim>[];
  total: number;
  page: number;
  search?: string;
}) {
  const hrefWith = useHrefWith();
  return (
    <Panel
      id="verbatims"
      title="In the buyer's words"
      csv={winlossCsv("verbatims")}
      className="lg:col-span-2"
      description="What buyers wrote in the win/loss survey, and said in interviews, about these deals."
    >
      <VerbatimSearch
        label="Search what buyers said"
        inputId="winloss-verbatim-search"
        placeholder="e.g. price, onboarding, demo"
        search={search}
      />
      <VerbatimMatches
        total={total}
        search={search}
        showAllHref={hrefWith({ q: undefined, vpage: undefined }, "#verbatims")}
      />
      <VerbatimList
        rows={rows}
        empty={
          search
            ? `No buyer wrote “${search}” on these deals. Try a shorter word, or widen the time window.`
            : total > 0
              ? "No answers on this page; go back a page."
              : "No buyer has written anything in their own words on these deals yet. Their comments appear here once the win/loss survey or an interview is completed."
        }
        page={page}
        pageSize={WINLOSS_VERBATIM_PAGE_SIZE}
        total={total}
        pagesLabel="Pages of what buyers said"
        attribution={(row) => (
          <>
            {row.source === "interview" ? " (interview)" : ""}
            {", "}
            <Link to={`/opportunities/${row.opportunityId}`} className="text-indigo-700 hover:underline">
              {row.dealName}
            </Link>
            {` (${humanize(row.outcome).toLowerCase()}), ${row.accountName} · ${formatDay(row.completedAt)} · ${row.title}`}
          </>
        )}
      />
    </Panel>
  );
}
