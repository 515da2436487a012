import { Form, Link, useLocation } from "@remix-run/react";
import { DASHBOARD_WINDOWS } from "~/domain/dashboard";
import { humanize } from "~/lib/format";

export interface DashboardFilterValues {
  window: number;
  segment?: string;
  region?: string;
  tier?: string;
  owner?: string;
}

export interface DashboardFilterChoices {
  owners: { id: string; name: string }[];
  regions: string[];
  segments: readonly string[];
  tiers: readonly string[];
}

function Select({
  id,
  name,
  label,
  value,
  options,
  any = true,
}: {
  id: string;
  name: string;
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  any?: boolean;
}) {
  // a value from an old link that is no longer among the choices still shows as chosen
  const all =
    value && !options.some((o) => o.value === value) ? [...options, { value, label: value }] : options;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className="input mt-1">
        {any ? <option value="">Any</option> : null}
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The filters in words, for print and for the empty states. */
export function describeFilters(filters: DashboardFilterValues, choices: DashboardFilterChoices): string {
  const owner = filters.owner
    ? (choices.owners.find((o) => o.id === filters.owner)?.name ?? "someone else")
    : null;
  return [
    `last ${filters.window} months`,
    filters.segment ? `segment ${humanize(filters.segment)}` : null,
    filters.region ? `region ${filters.region}` : null,
    filters.tier ? `tier ${humanize(filters.tier)}` : null,
    owner ? `owner ${owner}` : null,
  ]
    .filter(Boolean)
    .join(", ");
}

/**
 * The filters every panel shares: a plain GET form, so they live in the URL (shareable, the
 * back button works, the CSV downloads take them along) and work before the page hydrates.
 * Applying them starts every list on its first page again.
 */
export function DashboardFilters({
  filters,
  choices,
}: {
  filters: DashboardFilterValues;
  choices: DashboardFilterChoices;
}) {
  const location = useLocation();
  const asOptions = (values: readonly string[]) => values.map((v) => ({ value: v, label: humanize(v) }));
  const filtered = Boolean(
    filters.segment || filters.region || filters.tier || filters.owner || filters.window !== 12,
  );
  return (
    <>
      <Form
        // remount on every navigation so the controls show the URL's filters
        key={location.search}
        method="get"
        role="search"
        aria-label="Dashboard filters"
        className="card mb-6 p-4 print:hidden"
      >
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
          <Select
            id="filter-window"
            name="window"
            label="Time window"
            value={String(filters.window)}
            any={false}
            options={DASHBOARD_WINDOWS.map((w) => ({ value: String(w), label: `Last ${w} months` }))}
          />
          <Select
            id="filter-segment"
            name="segment"
            label="Segment"
            value={filters.segment}
            options={asOptions(choices.segments)}
          />
          <Select
            id="filter-region"
            name="region"
            label="Region"
            value={filters.region}
            options={choices.regions.map((r) => ({ value: r, label: r }))}
          />
          <Select
            id="filter-tier"
            name="tier"
            label="Tier"
            value={filters.tier}
            options={asOptions(choices.tiers)}
          />
          <Select
            id="filter-owner"
            name="owner"
            label="Owner"
            value={filters.owner}
            options={choices.owners.map((o) => ({ value: o.id, label: o.name }))}
          />
        </div>
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
      </Form>
      <p className="mb-4 hidden text-sm text-slate-600 print:block">
        Showing: {describeFilters(filters, choices)}.
      </p>
    </>
  );
}
