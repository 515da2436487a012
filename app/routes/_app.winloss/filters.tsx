import {
  AccountAttributeSelects,
  FilterSelect,
  OwnerSelect,
  humanizedOptions,
} from "~/components/filter-select";
import { ReportFilters, WindowSelect } from "~/components/report/filters";
import {
  DEFAULT_WINLOSS_WINDOW,
  WINLOSS_OUTCOMES,
  WINLOSS_WINDOWS,
  type WinlossFilters as Filters,
} from "~/domain/winloss";
import { humanize } from "~/lib/format";

export interface WinlossFilterChoices {
  owners: { id: string; name: string }[];
  sellers: { id: string; name: string }[];
  regions: string[];
  segments: readonly string[];
  tiers: readonly string[];
}

/** The filters in words, for print and for the empty states. */
export function describeFilters(filters: Filters, choices: WinlossFilterChoices): string {
  const nameOf = (list: { id: string; name: string }[], id: string | undefined) =>
    id ? (list.find((o) => o.id === id)?.name ?? "someone else") : null;
  const owner = nameOf(choices.owners, filters.owner);
  const seller = nameOf(choices.sellers, filters.seller);
  return [
    `closed in the last ${filters.window} months`,
    filters.outcome ? `outcome ${humanize(filters.outcome).toLowerCase()}` : null,
    filters.segment ? `segment ${humanize(filters.segment)}` : null,
    filters.region ? `region ${filters.region}` : null,
    filters.tier ? `tier ${humanize(filters.tier)}` : null,
    owner ? `account owner ${owner}` : null,
    seller ? `seller ${seller}` : null,
  ]
    .filter(Boolean)
    .join(", ");
}

export function isFiltered(filters: Filters): boolean {
  return Boolean(
    filters.segment ||
    filters.region ||
    filters.tier ||
    filters.owner ||
    filters.seller ||
    filters.outcome ||
    filters.window !== DEFAULT_WINLOSS_WINDOW,
  );
}

/** The filters every panel shares (how they work: ReportFilters). */
export function WinlossFilters({ filters, choices }: { filters: Filters; choices: WinlossFilterChoices }) {
  return (
    <ReportFilters
      label="Win/loss filters"
      gridClassName="md:grid-cols-4 2xl:grid-cols-7"
      filtered={isFiltered(filters)}
      showing={<>Showing deals {describeFilters(filters, choices)}.</>}
    >
      <WindowSelect label="Closed in" windows={WINLOSS_WINDOWS} value={filters.window} />
      <FilterSelect
        id="filter-outcome"
        name="outcome"
        label="Outcome"
        value={filters.outcome}
        options={humanizedOptions(WINLOSS_OUTCOMES)}
      />
      <AccountAttributeSelects values={filters} choices={choices} />
      <OwnerSelect label="Account owner" value={filters.owner} owners={choices.owners} />
      <FilterSelect
        id="filter-seller"
        name="seller"
        label="Seller"
        value={filters.seller}
        options={choices.sellers.map((o) => ({ value: o.id, label: o.name }))}
      />
    </ReportFilters>
  );
}
