import { Link, useLocation, useSearchParams } from "@remix-run/react";
import { humanize } from "~/lib/format";
import { AccountAttributeSelects, FilterSelect, OwnerSelect, humanizedOptions } from "./filter-select";
import { SearchForm } from "./search-form";

/** The list's current filters and order, as the loader normalised them. */
export interface AccountFilterValues {
  search?: string;
  owner?: string;
  segment?: string;
  region?: string;
  tier?: string;
  stage?: string;
  sort: string;
  dir: string;
}

/** What the filter controls offer (only owners and regions among accounts the viewer can see). */
export interface AccountFilterChoices {
  owners: { id: string; name: string }[];
  regions: string[];
  segments: readonly string[];
  tiers: readonly string[];
  stages: readonly string[];
}

const FILTER_PARAMS = ["q", "owner", "segment", "region", "tier", "stage"] as const;

/** Any filter narrowing the list (the order does not count). */
export function hasActiveFilters(filters: AccountFilterValues): boolean {
  return Boolean(
    filters.search || filters.owner || filters.segment || filters.region || filters.tier || filters.stage,
  );
}

/** The active filters in words, e.g. ["name contains “acme”", "segment Enterprise"], for the empty state. */
export function describeActiveFilters(filters: AccountFilterValues, choices: AccountFilterChoices): string[] {
  const owner = filters.owner ? choices.owners.find((o) => o.id === filters.owner)?.name : undefined;
  return [
    filters.search ? `name contains “${filters.search}”` : null,
    filters.owner ? `owner ${owner ?? "(someone with no accounts you can see)"}` : null,
    filters.segment ? `segment ${humanize(filters.segment)}` : null,
    filters.region ? `region ${filters.region}` : null,
    filters.tier ? `tier ${humanize(filters.tier)}` : null,
    filters.stage ? `stage ${humanize(filters.stage)}` : null,
  ].filter((d): d is string => d !== null);
}

/** The list URL without its filters (and back on page 1), keeping the chosen order. */
function useClearFiltersHref() {
  const [searchParams] = useSearchParams();
  const { pathname } = useLocation();
  const params = new URLSearchParams(searchParams);
  for (const name of [...FILTER_PARAMS, "page"]) params.delete(name);
  const rest = params.toString();
  return rest ? `${pathname}?${rest}` : pathname;
}

export function ClearFiltersLink({ className }: { className?: string }) {
  return (
    <Link
      to={useClearFiltersHref()}
      className={className ?? "text-sm font-medium text-indigo-700 hover:underline"}
    >
      Clear filters
    </Link>
  );
}

/**
 * The filter controls: a plain GET form, so filters live in the URL (shareable, back
 * button works) and applying them starts again at page 1. The chosen order is kept.
 */
export function AccountFilters({
  filters,
  choices,
}: {
  filters: AccountFilterValues;
  choices: AccountFilterChoices;
}) {
  return (
    <SearchForm label="Filter accounts" className="card mb-4 p-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-6">
        <div>
          <label htmlFor="account-search" className="block text-sm font-medium">
            Name contains
          </label>
          <input
            id="account-search"
            name="q"
            type="search"
            defaultValue={filters.search ?? ""}
            placeholder="Search by name"
            maxLength={200}
            className="input mt-1"
          />
        </div>
        <OwnerSelect value={filters.owner} owners={choices.owners} />
        <AccountAttributeSelects values={filters} choices={choices} />
        <FilterSelect
          id="filter-stage"
          name="stage"
          label="Lifecycle stage"
          value={filters.stage}
          options={humanizedOptions(choices.stages)}
        />
      </div>
      {filters.sort !== "name" || filters.dir !== "asc" ? (
        <>
          <input type="hidden" name="sort" value={filters.sort} />
          <input type="hidden" name="dir" value={filters.dir} />
        </>
      ) : null}
      <div className="mt-3 flex flex-wrap items-center gap-4">
        <button type="submit" className="btn-secondary">
          Apply filters
        </button>
        {hasActiveFilters(filters) ? <ClearFiltersLink /> : null}
      </div>
    </SearchForm>
  );
}

/** The direction a column sorts in when first chosen: biggest values first, words A→Z. */
const FIRST_DIRECTION: Record<string, "asc" | "desc"> = { value: "desc" };

/**
 * A column header that sorts the list by its column: the first click uses the column's
 * natural direction, the next reverses it. Filters are kept; the page starts again at 1.
 */
export function SortableHeader({
  label,
  column,
  current,
  className,
}: {
  label: string;
  column: string;
  current: { sort: string; dir: string };
  className?: string;
}) {
  const [searchParams] = useSearchParams();
  const active = current.sort === column;
  const next = active ? (current.dir === "asc" ? "desc" : "asc") : (FIRST_DIRECTION[column] ?? "asc");
  const params = new URLSearchParams(searchParams);
  params.set("sort", column);
  params.set("dir", next);
  params.delete("page");
  return (
    <th
      scope="col"
      className={className ?? "px-4 py-3 font-medium"}
      aria-sort={active ? (current.dir === "asc" ? "ascending" : "descending") : undefined}
    >
      <Link
        to={`?${params.toString()}`}
        preventScrollReset
        className="inline-flex items-center gap-1 hover:text-slate-900 hover:underline"
      >
        {label}
        <span aria-hidden="true" className="text-xs">
          {active ? (current.dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
        <span className="sr-only">, sort {next === "asc" ? "ascending" : "descending"}</span>
      </Link>
    </th>
  );
}
