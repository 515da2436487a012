import { humanize } from "~/lib/format";

/** Choices as people read them: `mid_market` → "Mid-market". */
export const humanizedOptions = (values: readonly string[]) =>
  values.map((v) => ({ value: v, label: humanize(v) }));

/** One select of a GET filter form; "Any" (no value) first unless `any` is false. */
export function FilterSelect({
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

/** The account owner select (`owner`, a user's id). */
export function OwnerSelect({
  label = "Owner",
  value,
  owners,
}: {
  label?: string;
  value: string | undefined;
  owners: { id: string; name: string }[];
}) {
  return (
    <FilterSelect
      id="filter-owner"
      name="owner"
      label={label}
      value={value}
      options={owners.map((o) => ({ value: o.id, label: o.name }))}
    />
  );
}

/** The segment, region and tier selects, by which every list of accounts is filtered alike. */
export function AccountAttributeSelects({
  values,
  choices,
}: {
  values: { segment?: string; region?: string; tier?: string };
  choices: { segments: readonly string[]; regions: string[]; tiers: readonly string[] };
}) {
  return (
    <>
      <FilterSelect
        id="filter-segment"
        name="segment"
        label="Segment"
        value={values.segment}
        options={humanizedOptions(choices.segments)}
      />
      <FilterSelect
        id="filter-region"
        name="region"
        label="Region"
        value={values.region}
        options={choices.regions.map((r) => ({ value: r, label: r }))}
      />
      <FilterSelect
        id="filter-tier"
        name="tier"
        label="Tier"
        value={values.tier}
        options={humanizedOptions(choices.tiers)}
      />
    </>
  );
}
