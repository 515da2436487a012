/**
 * The pieces of a report's "in their words" panel: the search over what people wrote (the page's
 * `q`), the line saying what the list is narrowed to, and the list of quotes (paged by `vpage`).
 */
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { SearchForm } from "../search-form";
import { formatMonth } from "./format";
import { KeepParams } from "./keep-params";
import { PageLinks } from "./page-links";
import { PanelEmpty } from "./panel";

export function VerbatimSearch({
  label,
  inputId,
  placeholder,
  search,
}: {
  /** The search form's accessible name. */
  label: string;
  inputId: string;
  placeholder: string;
  search?: string;
}) {
  return (
    <SearchForm label={label} className="mb-4 flex flex-wrap items-end gap-3 print:hidden" preventScrollReset>
      <KeepParams except={["q", "vpage"]} />
      <div className="min-w-[14rem] flex-1">
        <label htmlFor={inputId} className="block text-sm font-medium">
          Words contain
        </label>
        <input
          id={inputId}
          name="q"
          type="search"
          defaultValue={search ?? ""}
          maxLength={200}
          placeholder={placeholder}
          className="input mt-1"
        />
      </div>
      <button type="submit" className="btn-secondary">
        Search
      </button>
    </SearchForm>
  );
}

/** "3 answers containing “price” in May 2026. Show all", when the list is narrowed at all. */
export function VerbatimMatches({
  total,
  search,
  month,
  showAllHref,
}: {
  total: number;
  search?: string;
  month?: string;
  showAllHref: string;
}) {
  if (!search && !month) return null;
  return (
    <p className="mb-3 text-sm text-slate-700">
      {total} {total === 1 ? "answer" : "answers"}
      {search ? <> containing “{search}”</> : null}
      {month ? <> in {formatMonth(month)}</> : null}.{" "}
      <Link
        to={showAllHref}
        className="font-medium text-indigo-700 hover:underline print:hidden"
        preventScrollReset
      >
        Show all
      </Link>
    </p>
  );
}

/** What every quote has: where it was written, what, and by whom (null: a contact since removed). */
export interface Quote {
  responseId: string;
  question: string;
  text: string;
  contactId: string | null;
  contactName: string | null;
}

/**
 * The quotes, each with who said it and then `attribution` (where and when), or `empty` when there
 * are none; then previous / next through them (`vpage`), back to the panel (`#verbatims`).
 */
export function VerbatimList<Row extends Quote>({
  rows,
  empty,
  page,
  pageSize,
  total,
  pagesLabel,
  attribution,
}: {
  rows: Row[];
  empty: ReactNode;
  page: number;
  pageSize: number;
  total: number;
  pagesLabel: string;
  attribution: (row: Row) => ReactNode;
}) {
  return (
    <>
      {rows.length === 0 ? (
        <PanelEmpty>{empty}</PanelEmpty>
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
                {attribution(row)}
              </p>
            </li>
          ))}
        </ol>
      )}
      <PageLinks
        param="vpage"
        page={page}
        pageSize={pageSize}
        total={total}
        hash="#verbatims"
        label={pagesLabel}
      />
    </>
  );
}
