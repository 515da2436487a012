import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { formatDay } from "~/components/report/format";
import { Panel } from "~/components/report/panel";
import { useHrefWith } from "~/components/report/use-href-with";
import { VerbatimList, VerbatimMatches, VerbatimSearch } from "~/components/report/verbatims";
import { VERBATIM_PAGE_SIZE } from "~/domain/dashboard";
import type { Verbatim } from "~/domain/dashboard.server";
import { dashboardCsv } from "./csv";

/** The customers' own words in the window, newest first, with a search over them. */
export function VerbatimsPanel({
  rows,
  total,
  page,
  search,
  month,
}: {
  rows: SerializeFrom<Verbatim>[];
  total: number;
  page: number;
  search?: string;
  month?: string;
}) {
  const hrefWith = useHrefWith();
  return (
    <Panel
      id="verbatims"
      title="In their words"
      csv={dashboardCsv("verbatims")}
      className="lg:col-span-2"
      description="What customers wrote in surveys, and what they said in interviews, on these accounts."
    >
      <VerbatimSearch
        label="Search what customers said"
        inputId="verbatim-search"
        placeholder="e.g. roadmap, support, price"
        search={search}
      />
      <VerbatimMatches
        total={total}
        search={search}
        month={month}
        showAllHref={hrefWith({ q: undefined, vmonth: undefined, vpage: undefined }, "#verbatims")}
      />
      <VerbatimList
        rows={rows}
        empty={
          search
            ? `No customer wrote “${search}” in this window. Try a shorter word, or widen the time window.`
            : "No customer wrote anything in their own words on these accounts in this window."
        }
        page={page}
        pageSize={VERBATIM_PAGE_SIZE}
        total={total}
        pagesLabel="Pages of what customers said"
        attribution={(row) => (
          <>
            {", "}
            <Link to={`/accounts/${row.accountId}`} className="text-indigo-700 hover:underline">
              {row.accountName}
            </Link>
            {` · ${formatDay(row.completedAt)} · ${row.survey}: ${row.title}`}
          </>
        )}
      />
    </Panel>
  );
}
