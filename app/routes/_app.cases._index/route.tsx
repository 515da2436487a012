import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  CaseSeverityBadge,
  CaseStatusBadge,
  SlaText,
  formatCaseTime,
  isOverdue,
} from "~/components/case-badges";
import { EmptyState } from "~/components/empty-state";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { caseListQuerySchema, getCaseMetrics, listCaseOwners, listCases } from "~/domain/case-queries.server";
import { TRIGGER_LABELS } from "~/domain/cases";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { CaseFilters } from "./case-filters";
import { MetricsPanel } from "./metrics-panel";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const query = caseListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const now = new Date();
  const [list, owners, metrics] = await Promise.all([
    listCases(db, user, query),
    listCaseOwners(db, user),
    getCaseMetrics(db, user, { days: query.days, owner: query.owner }, now),
  ]);
  return json({ ...list, owners, metrics, query, now: now.toISOString() });
}

export const meta: MetaFunction = () => [{ title: "Cases · Rapport" }];

export default function Cases() {
  const { rows, total, page, pageSize, owners, metrics, query, now } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === "loading";
  return (
    <>
      <PageHeader
        title="Customer 9-1-1"
        description="Customers who signalled trouble, each with a named owner and an SLA clock. Unresolved cases first, the most overdue on top."
      />
      <MetricsPanel metrics={metrics} />
      <CaseFilters query={query} owners={owners} />
      {rows.length === 0 ? (
        <NoCases total={total} filtered={query.status !== "all" || Boolean(query.owner)} />
      ) : (
        <ul
          className={`card divide-y divide-slate-100 ${loading ? "opacity-60" : ""}`}
          aria-label="Cases"
          aria-busy={loading}
        >
          {rows.map((c) => {
            const overdue = isOverdue(c, now);
            return (
              <li
                key={c.id}
                className={`px-4 py-3 ${overdue ? "border-l-4 border-red-600 bg-red-50" : ""}`}
                data-overdue={overdue ? "true" : undefined}
              >
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link to={`/cases/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                    {c.accountName}
                    {c.contactName ? ` · ${c.contactName}` : ""}
                  </Link>
                  <span className="flex gap-1">
                    <CaseSeverityBadge severity={c.severity} />
                    <CaseStatusBadge status={c.status} />
                  </span>
                </div>
                <p className="mt-1 text-sm">{c.summary}</p>
                <p className="mt-1 text-xs text-slate-600">
                  {TRIGGER_LABELS[c.trigger]} · owner {c.ownerName} · opened{" "}
                  <time dateTime={c.openedAt}>{formatCaseTime(c.openedAt)}</time> · SLA due{" "}
                  <time dateTime={c.slaDueAt}>{formatCaseTime(c.slaDueAt)}</time> ·{" "}
                  <SlaText slaDueAt={c.slaDueAt} resolvedAt={c.resolvedAt} now={now} />
                </p>
              </li>
            );
          })}
        </ul>
      )}
      <Pagination page={page} pageSize={pageSize} total={total} />
    </>
  );
}

function NoCases({ total, filtered }: { total: number; filtered: boolean }) {
  const [searchParams] = useSearchParams();
  if (total > 0) {
    const firstPage = new URLSearchParams(searchParams);
    firstPage.set("page", "1");
    return (
      <EmptyState title="This page is past the end of the list">
        <Link to={`?${firstPage.toString()}`} className="font-medium text-indigo-700 hover:underline">
          Go to the first page
        </Link>
      </EmptyState>
    );
  }
  if (filtered) {
    return (
      <EmptyState title="No cases match these filters">
        <Link to="/cases" className="font-medium text-indigo-700 hover:underline">
          Show every case
        </Link>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No cases yet">
      A case opens when a customer answers advocacy 6 of 10 or less, scores any dimension 25 or less, drops 20
      points in health since their last answer, or presses “I need help now”. None has yet on the accounts you
      can see.
    </EmptyState>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
