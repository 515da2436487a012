/**
 * A report page's panel (the VoC dashboard's, the win/loss page's): a titled region with its CSV
 * download, and the empty state inside one.
 */
import { useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";

/** Where a panel's table downloads as CSV, and which of the page's parameters only page its lists. */
export interface PanelCsv {
  path: string;
  pagingParams: readonly string[];
}

/** The CSV download of a table: the page's query (filters and this panel's choices), without paging. */
function CsvLink({ csv, label }: { csv: PanelCsv; label: string }) {
  const [searchParams] = useSearchParams();
  const params = new URLSearchParams(searchParams);
  for (const name of csv.pagingParams) params.delete(name);
  const search = params.toString();
  return (
    <a
      href={`${csv.path}${search ? `?${search}` : ""}`}
      download
      className="text-sm font-medium text-indigo-700 hover:underline print:hidden"
    >
      CSV<span className="sr-only"> of {label}</span>
    </a>
  );
}

/** A panel: a titled region with its CSV download. */
export function Panel({
  id,
  title,
  description,
  csv,
  className = "",
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  csv?: PanelCsv;
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
        {csv ? <CsvLink csv={csv} label={title} /> : null}
      </div>
      {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      <div className="mt-4">{children}</div>
    </section>
  );
}

/** "Nothing here" inside a panel: what would appear, and why it does not (or what to do to get it). */
export function PanelEmpty({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-600">{children}</p>
  );
}
