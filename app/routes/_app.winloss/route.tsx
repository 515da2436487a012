import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { listAccountFilterOptions } from "~/domain/accounts.server";
import { getWinloss, listWinlossSellers } from "~/domain/winloss.server";
import { parseWinlossQuery } from "~/domain/winloss-query.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { CompetitorsPanel } from "./competitors-panel";
import { DealsPanel } from "./deals-panel";
import { WinlossFilters, describeFilters, isFiltered } from "./filters";
import { ReasonsPanel } from "./reasons-panel";
import { SellersPanel } from "./sellers-panel";
import { SummaryPanel } from "./summary-panel";
import { TrendPanel } from "./trend-panel";
import { VerbatimsPanel } from "./verbatims-panel";

/**
 * Win/loss: why deals are won and lost, and whether sellers and buyers agree. Leaders and admins
 * see every account's deals; a manager sees the deals of the accounts they own or are on the team
 * of (the same rule as everywhere: visibleAccounts).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const query = parseWinlossQuery(new URL(request.url).searchParams);
  const db = getDb();
  const now = new Date();
  const [data, accountChoices, sellers] = await Promise.all([
    getWinloss(db, user, query, { now, companyName: getEnv().COMPANY_NAME }),
    listAccountFilterOptions(db, user),
    listWinlossSellers(db, user),
  ]);
  const { owners, regions, segments, tiers } = accountChoices;
  return json({
    user: { role: user.role },
    query,
    choices: { owners, regions, segments, tiers, sellers },
    ...data,
  });
}

export const meta: MetaFunction = () => [{ title: "Win/Loss · Rapport" }];

export default function Winloss() {
  const {
    user,
    query,
    choices,
    summary,
    trend,
    reasons,
    competitors,
    noCompetitorDeals,
    deals,
    sellers,
    verbatims,
  } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/winloss";
  return (
    <>
      <PageHeader
        title="Win/Loss"
        description={
          <>
            Why deals are won and lost, and whether sellers and buyers agree, on{" "}
            {user.role === "manager" ? "the accounts you own or are on the team of" : "every account"}.
          </>
        }
      />
      <WinlossFilters filters={query} choices={choices} />
      <p role="status" className="sr-only">
        {loading ? "Updating the figures…" : ""}
      </p>
      <div className={loading ? "opacity-60 transition-opacity" : undefined} aria-busy={loading}>
        {summary.deals === 0 ? (
          <EmptyState title={isFiltered(query) ? "No deals match these filters" : "No closed deals here yet"}>
            {isFiltered(query) ? (
              <>
                No deal {describeFilters(query, choices)}.{" "}
                <Link to="/winloss" className="font-medium text-indigo-700 hover:underline">
                  Clear the filters
                </Link>{" "}
                or choose a longer time window.
              </>
            ) : (
              <>
                When a deal closes, its seller records why on the deal&rsquo;s page (reasons are sealed), and
                the buyer is asked by the win/loss survey or an interview. Close a deal from its
                account&rsquo;s page, or import closed deals from the CRM, and the two sides appear here side
                by side.
              </>
            )}
          </EmptyState>
        ) : (
          <>
            <SummaryPanel summary={summary} />
            <div className="grid gap-6 lg:grid-cols-2 print:block print:space-y-6">
              <TrendPanel points={trend} windowMonths={query.window} />
              <ReasonsPanel
                rankings={reasons}
                counts={{ won: summary.won, lost: summary.lost, no_decision: summary.noDecision }}
                only={query.outcome}
              />
              <DealsPanel
                rows={deals.rows}
                total={deals.total}
                viewCounts={deals.viewCounts}
                view={query.dshow}
                page={query.dpage}
              />
              <CompetitorsPanel rows={competitors} withoutCompetitor={noCompetitorDeals} />
              <SellersPanel rows={sellers} />
              <VerbatimsPanel
                rows={verbatims.rows}
                total={verbatims.total}
                page={query.vpage}
                search={query.q}
              />
            </div>
          </>
        )}
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
