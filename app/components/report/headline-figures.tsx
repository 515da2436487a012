import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** The row of headline figures at the top of a report; each figure opens what it counts. */
export function HeadlineFigures({ children }: { children: ReactNode }) {
  return (
    <section aria-label="Headline figures" className="mb-6">
      <dl className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-5 print:grid-cols-5">{children}</dl>
    </section>
  );
}

export function HeadlineFigure({
  label,
  value,
  to,
  detail,
}: {
  label: string;
  value: string;
  to: string;
  detail: string;
}) {
  return (
    <div className="card p-4">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums sm:text-3xl">
        <Link to={to} className="hover:underline" aria-label={`${label}: ${value}. ${detail}`}>
          {value}
        </Link>
      </dd>
      <dd className="mt-1 text-xs text-slate-500">{detail}</dd>
    </div>
  );
}
