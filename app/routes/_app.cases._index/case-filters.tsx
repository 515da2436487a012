import { Form, Link, useLocation } from "@remix-run/react";
import type { CaseStatusFilter } from "~/domain/cases";

const STATUS_LABELS: Record<CaseStatusFilter, string> = {
  all: "Any status",
  unresolved: "Not resolved yet",
  open: "Open (not acknowledged)",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
};

/**
 * Status and owner: a plain GET form, so the filters live in the URL (shareable, the back
 * button works) and applying them starts again at page 1. The metrics window is kept.
 */
export function CaseFilters({
  query,
  owners,
}: {
  query: { status: CaseStatusFilter; owner?: string; days: number };
  owners: { id: string; name: string }[];
}) {
  const location = useLocation();
  // an owner from an old link who no longer owns a visible case still shows as chosen
  const ownerChoices =
    query.owner && !owners.some((o) => o.id === query.owner)
      ? [...owners, { id: query.owner, name: "(no cases you can see)" }]
      : owners;
  return (
    <Form
      key={location.search}
      method="get"
      role="search"
      aria-label="Filter cases"
      className="card mb-4 flex flex-wrap items-end gap-3 p-4"
    >
      <div>
        <label htmlFor="case-status" className="block text-sm font-medium">
          Status
        </label>
        <select id="case-status" name="status" defaultValue={query.status} className="input mt-1">
          {(Object.keys(STATUS_LABELS) as CaseStatusFilter[]).map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="case-owner" className="block text-sm font-medium">
          Owner
        </label>
        <select id="case-owner" name="owner" defaultValue={query.owner ?? ""} className="input mt-1">
          <option value="">Anyone</option>
          {ownerChoices.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
      {query.days !== 90 ? <input type="hidden" name="days" value={query.days} /> : null}
      <button type="submit" className="btn-secondary">
        Apply filters
      </button>
      {query.status !== "all" || query.owner ? (
        <Link to="/cases" className="text-sm font-medium text-indigo-700 hover:underline">
          Clear filters
        </Link>
      ) : null}
    </Form>
  );
}
