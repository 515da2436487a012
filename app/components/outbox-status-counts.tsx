import { Link, useSearchParams } from "@remix-run/react";
import { OUTBOX_STATUSES } from "~/domain/outbox-viewer";
import { humanize } from "~/lib/format";

/** How many messages each status has (among those matching kind and search); each links to that status. */
export function OutboxStatusCounts({ counts }: { counts: Record<string, number> }) {
  const [searchParams] = useSearchParams();
  const current = searchParams.get("status") ?? "";
  const hrefFor = (status: string) => {
    const params = new URLSearchParams(searchParams);
    params.delete("page");
    if (status) params.set("status", status);
    else params.delete("status");
    const query = params.toString();
    return query ? `?${query}` : "/dev/outbox";
  };
  const all = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const items = [{ status: "", label: "All", n: all }].concat(
    OUTBOX_STATUSES.map((status) => ({ status, label: humanize(status), n: counts[status] ?? 0 })),
  );
  return (
    <nav aria-label="Messages by status" className="mb-4">
      <ul className="flex flex-wrap gap-2">
        {items.map((item) => {
          const active = current === item.status;
          return (
            <li key={item.status || "all"}>
              <Link
                to={hrefFor(item.status)}
                aria-current={active ? "page" : undefined}
                className={`inline-flex items-baseline gap-2 rounded-md border px-3 py-1.5 text-sm ${
                  active
                    ? "border-indigo-300 bg-indigo-50 text-indigo-800"
                    : "border-slate-200 bg-white text-slate-700 hover:bg-slate-100"
                }`}
              >
                {item.label}
                <span className="font-semibold tabular-nums">{item.n}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
