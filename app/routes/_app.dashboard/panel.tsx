import { Link, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import type { DashboardTable } from "~/domain/dashboard";

/** A fixed locale and time zone, so the server and the browser print the same date. */
const dayFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const stampFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});
const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

export const formatDay = (iso: string) => dayFormat.format(new Date(iso));
export const formatStamp = (iso: string) => `${stampFormat.format(new Date(iso))} UTC`;
/** "2026-05" → "May 2026". */
export const formatMonth = (month: string) => monthFormat.format(new Date(`${month}-01T00:00:00Z`));

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

/** The current URL's query with some parameters changed (undefined removes one). */
export function useHrefWith() {
  const [searchParams] = useSearchParams();
  return (changes: Record<string, string | undefined>, hash = "") => {
    const params = new URLSearchParams(searchParams);
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) params.delete(name);
      else params.set(name, value);
    }
    const search = params.toString();
    return `${search ? `?${search}` : "?"}${hash}`;
  };
}

/** The CSV download of a table: the page's query (filters and this panel's choices), without paging. */
function CsvLink({ table, label }: { table: DashboardTable; label: string }) {
  const [searchParams] = useSearchParams();
  const params = new URLSearchParams(searchParams);
  params.delete("hpage");
  params.delete("vpage");
  const search = params.toString();
  return (
    <a
      href={`/dashboard/export/${table}${search ? `?${search}` : ""}`}
      download
      className="text-sm font-medium text-indigo-700 hover:underline print:hidden"
    >
      CSV<span className="sr-only"> of {label}</span>
    </a>
  );
}

/** A dashboard panel: a titled region with its CSV download. */
export function Panel({
  id,
  title,
  description,
  table,
  className = "",
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  table?: DashboardTable;
  className?: string;
  children: ReactNode;
}) {
  const headingId = `${id}-heading`;
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      className={`card min-w-0 break-inside-avoid p-5 print:shadow-none ${className}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="text-base font-semibold">
          {title}
        </h2>
        {table ? <CsvLink table={table} label={title} /> : null}
      </div>
      {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      <div className="mt-4">{children}</div>
    </section>
  );
}

/** "Nothing here" inside a panel: what would appear, and why it does not. */
export function PanelEmpty({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-600">{children}</p>
  );
}

/** Previous / next for one panel's list, by its own page parameter, keeping everything else. */
export function PageLinks({
  param,
  page,
  pageSize,
  total,
  hash,
  label,
}: {
  param: string;
  page: number;
  pageSize: number;
  total: number;
  hash: string;
  label: string;
}) {
  const hrefWith = useHrefWith();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (total <= pageSize && page === 1) return null;
  const first = total === 0 ? 0 : Math.min(total, (page - 1) * pageSize + 1);
  const last = Math.min(total, page * pageSize);
  return (
    <nav
      aria-label={label}
      className="mt-3 flex items-center justify-between text-sm text-slate-600 print:hidden"
    >
      <p>
        {first}–{last} of {total}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link
            className="btn-secondary"
            to={hrefWith({ [param]: String(Math.min(page - 1, pages)) }, hash)}
            preventScrollReset
          >
            Previous
          </Link>
        ) : null}
        {page < pages ? (
          <Link
            className="btn-secondary"
            to={hrefWith({ [param]: String(page + 1) }, hash)}
            preventScrollReset
          >
            Next
          </Link>
        ) : null}
      </div>
    </nav>
  );
}

export const cellClass = "px-3 py-2";
export const numberCellClass = "px-3 py-2 text-right tabular-nums";
export const headClass = "px-3 py-2 font-medium";
export const numberHeadClass = "px-3 py-2 text-right font-medium";
