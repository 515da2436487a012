import { Form, Link, useLocation, useSearchParams } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { VERBATIM_PAGE_SIZE } from "~/domain/dashboard";
import type { Verbatim } from "~/domain/dashboard.server";
import { PageLinks, Panel, PanelEmpty, formatDay, formatMonth, useHrefWith } from "./panel";

/** Every other parameter of the page as hidden fields, so a search keeps the filters. */
function KeepParams({ except }: { except: string[] }) {
  const [searchParams] = useSearchParams();
  return (
    <>
      {[...searchParams.entries()]
        .filter(([name]) => !except.includes(name))
        .map(([name, value]) => (
          <input key={`${name}=${value}`} type="hidden" name={name} value={value} />
        ))}
    </>
  );
}

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
  const location = useLocation();
  const hrefWith = useHrefWith();
  return (
    <Panel
      id="verbatims"
      title="In their words"
      table="verbatims"
      className="lg:col-span-2"
      description="What customers wrote in surveys, and what they said in interviews, on these accounts."
    >
      <Form
        key={location.search}
        method="get"
        role="search"
        aria-label="Search what customers said"
        className="mb-4 flex flex-wrap items-end gap-3 print:hidden"
        preventScrollReset
      >
        <KeepParams except={["q", "vpage"]} />
        <div className="min-w-[14rem] flex-1">
          <label htmlFor="verbatim-search" className="block text-sm font-medium">
            Words contain
          </label>
          <input
            id="verbatim-search"
            name="q"
            type="search"
            defaultValue={search ?? ""}
            maxLength={200}
            placeholder="e.g. roadmap, support, price"
            className="input mt-1"
          />
        </div>
        <button type="submit" className="btn-secondary">
          Search
        </button>
      </Form>
      {search || month ? (
        <p className="mb-3 text-sm text-slate-700">
          {total} {total === 1 ? "answer" : "answers"}
          {search ? <> containing “{search}”</> : null}
          {month ? <> in {formatMonth(month)}</> : null}.{" "}
          <Link
            to={hrefWith({ q: undefined, vmonth: undefined, vpage: undefined }, "#verbatims")}
            className="font-medium text-indigo-700 hover:underline print:hidden"
            preventScrollReset
          >
            Show all
          </Link>
        </p>
      ) : null}
      {rows.length === 0 ? (
        <PanelEmpty>
          {search
            ? `No customer wrote “${search}” in this window. Try a shorter word, or widen the time window.`
            : "No customer wrote anything in their own words on these accounts in this window."}
        </PanelEmpty>
      ) : (
        <ol className="divide-y divide-slate-100">
          {rows.map((row) => (
            <li key={`${row.responseId}-${row.question}`} className="break-inside-avoid py-3">
              <blockquote className="whitespace-pre-line text-sm text-slate-900">“{row.text}”</blockquote>
              <p className="mt-1 text-xs text-slate-500">
                {row.contactId && row.contactName ? (
                  <Link to={`/contacts/${row.contactId}`} className="text-indigo-700 hover:underline">
                    {row.contactName}
                  </Link>
                ) : (
                  "A former contact"
                )}
                {", "}
                <Link to={`/accounts/${row.accountId}`} className="text-indigo-700 hover:underline">
                  {row.accountName}
                </Link>
                {` · ${formatDay(row.completedAt)} · ${row.survey}: ${row.title}`}
              </p>
            </li>
          ))}
        </ol>
      )}
      <PageLinks
        param="vpage"
        page={page}
        pageSize={VERBATIM_PAGE_SIZE}
        total={total}
        hash="#verbatims"
        label="Pages of what customers said"
      />
    </Panel>
  );
}
