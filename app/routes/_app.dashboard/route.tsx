import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { listAccountFilterOptions } from "~/domain/accounts.server";
import { filterParams } from "~/domain/dashboard";
import { parseDashboardQuery } from "~/domain/dashboard-query.server";
import { getDashboard } from "~/domain/dashboard.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { BlindSpotsPanel, CoveragePanel, SilentPanel } from "./account-lists";
import { CasesPanel } from "./cases-panel";
import { DashboardFilters } from "./filters";
import { HeatmapPanel } from "./heatmap-panel";
import { formatStamp } from "./format";
import { QuadrantPanel } from "./quadrant-panel";
import { SummaryPanel } from "./summary-panel";
import { TrendPanel } from "./trend-panel";
import { VerbatimsPanel } from "./verbatims-panel";

/**
 * The voice-of-customer dashboard. Leaders and admins see every account; a manager sees the
 * accounts they own or are on the team of (the same rule as everywhere: visibleAccounts).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const query = parseDashboardQuery(new URL(request.url).searchParams);
  const db = getDb();
  const now = new Date();
  const [data, choices] = await Promise.all([
    getDashboard(db, user, query, { now, companyName: getEnv().COMPANY_NAME }),
    listAccountFilterOptions(db, user),
  ]);
  const { stages: _stages, ...filterChoices } = choices;
  return json({ user: { name: user.name, role: user.role }, query, choices: filterChoices, ...data });
}

export const meta: MetaFunction = () => [{ title: "Dashboard · Rapport" }];

export default function Dashboard() {
  const {
    user,
    query,
    choices,
    summary,
    trend,
    quadrants,
    heatmap,
    blindSpots,
    silent,
    coverage,
    caseMetrics,
    verbatims,
  } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/dashboard";
  const firstName = user.name.split(" ")[0];
  const accountFilters = filterParams(query);
  accountFilters.delete("window");
  return (
    <>
      <PageHeader
        title={`Welcome, ${firstName}`}
        description={
          <>
            The voice of the customer{" "}
            {user.role === "manager"
              ? "on the accounts you own or are on the team of"
              : "across the whole workspace"}
            : what customers say, what the teams believe, and where the two part ways.
            {summary.computedAt ? <> Figures as of {formatStamp(summary.computedAt)}.</> : null}
          </>
        }
      />
      <DashboardFilters filters={query} choices={choices} />
      <div className={loading ? "opacity-60 transition-opacity" : undefined} aria-busy={loading}>
        <SummaryPanel summary={summary} accountsHref={`/accounts?${accountFilters.toString()}`} />
        <div className="grid gap-6 lg:grid-cols-2 print:block print:space-y-6">
          <TrendPanel points={trend} windowMonths={query.window} />
          <QuadrantPanel counts={quadrants} />
          <BlindSpotsPanel blindSpots={blindSpots} />
          <HeatmapPanel
            rows={heatmap.rows}
            total={heatmap.total}
            sort={query.hsort}
            dir={query.hdir}
            page={query.hpage}
            quadrant={query.quadrant}
          />
          <SilentPanel silent={silent} />
          <CoveragePanel
            coverage={coverage}
            totals={{
              responseRate: summary.responseRate,
              sent: summary.invitationsSent,
              completed: summary.invitationsCompleted,
              coverage: summary.coverage,
              keyContacts: summary.keyContacts,
              heard: summary.keyContactsHeard,
            }}
          />
          <CasesPanel metrics={caseMetrics} windowMonths={query.window} />
          <VerbatimsPanel
            rows={verbatims.rows}
            total={verbatims.total}
            page={query.vpage}
            search={query.q}
            month={query.vmonth}
          />
        </div>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
