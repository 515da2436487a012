/** The dashboard's own formats (dates: ~/components/report/format). */
const stampFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

export const formatStamp = (iso: string) => `${stampFormat.format(new Date(iso))} UTC`;

/** One decimal, with a real minus sign and a plus for gaps; "—" for no value. */
export function formatScore(value: number | null, options: { signed?: boolean } = {}): string {
  if (value === null) return "—";
  const text = Math.abs(value).toFixed(1);
  if (value < 0) return `−${text}`;
  return options.signed && value > 0 ? `+${text}` : text;
}

export function formatWhole(
  value: number | null,
  options: { signed?: boolean; suffix?: string } = {},
): string {
  if (value === null) return "—";
  const text = `${Math.abs(value)}${options.suffix ?? ""}`;
  if (value < 0) return `−${text}`;
  return options.signed && value > 0 ? `+${text}` : text;
}
