import { AccountAttributeSelects, OwnerSelect } from "~/components/filter-select";
import { ReportFilters, WindowSelect } from "~/components/report/filters";
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

/** The filters every panel shares (how they work: ReportFilters). */
export function DashboardFilters({
  filters,
  choices,
}: {
  filters: DashboardFilterValues;
  choices: DashboardFilterChoices;
}) {
  const filtered = Boolean(
    filters.segment || filters.region || filters.tier || filters.owner || filters.window !== 12,
  );
  return (
    <ReportFilters
      label="Dashboard filters"
      gridClassName="lg:grid-cols-5"
      filtered={filtered}
      showing={<>Showing: {describeFilters(filters, choices)}.</>}
    >
      <WindowSelect label="Time window" windows={DASHBOARD_WINDOWS} value={filters.window} />
      <AccountAttributeSelects values={filters} choices={choices} />
      <OwnerSelect value={filters.owner} owners={choices.owners} />
    </ReportFilters>
  );
}
