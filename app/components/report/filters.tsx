import { Link, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { FilterSelect } from "../filter-select";
import { SearchForm } from "../search-form";

/**
 * The filters every panel of a report shares: a SearchForm, so they live in the URL (and the CSV
 * downloads take them along). Applying them starts every list on its first page again. `showing`
 * says the filters in words, for print, where the form is not.
 */
export function ReportFilters({
  label,
  gridClassName,
  filtered,
  showing,
  children,
}: {
  /** The form's accessible name. */
  label: string;
  /** The grid's columns, by screen width. */
  gridClassName: string;
  /** Whether any filter is off its default (then "Clear filters" shows). */
  filtered: boolean;
  showing: ReactNode;
  children: ReactNode;
}) {
  const location = useLocation();
  return (
    <>
      <SearchForm label={label} className="card mb-6 p-4 print:hidden">
        <div className={`grid grid-cols-2 gap-3 ${gridClassName}`}>{children}</div>
        <div className="mt-3 flex flex-wrap items-center gap-4">
          <button type="submit" className="btn-secondary">
            Apply filters
          </button>
          {filtered ? (
            <Link to={location.pathname} className="text-sm font-medium text-indigo-700 hover:underline">
              Clear filters
            </Link>
          ) : null}
        </div>
      </SearchForm>
      <p className="mb-4 hidden text-sm text-slate-600 print:block">{showing}</p>
    </>
  );
}

/** The report's time window: the last so many months, one of `windows` (there is no "Any"). */
export function WindowSelect({
  label,
  windows,
  value,
}: {
  label: string;
  windows: readonly number[];
  value: number;
}) {
  return (
    <FilterSelect
      id="filter-window"
      name="window"
      label={label}
      value={String(value)}
      any={false}
      options={windows.map((w) => ({ value: String(w), label: `Last ${w} months` }))}
    />
  );
}
