import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  AccountFilters,
  ClearFiltersLink,
  SortableHeader,
  describeActiveFilters,
  hasActiveFilters,
} from "~/components/account-filters";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { accountListOptionsSchema, listAccountFilterOptions, listAccounts } from "~/domain/accounts.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { formatCents, humanize } from "~/lib/format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  // Unknown or malformed filters and sort orders fall back to defaults instead of failing.
  const query = accountListOptionsSchema.parse({
    ...Object.fromEntries(params),
    search: params.get("q") ?? undefined,
  });
  const db = getDb();
  const [result, choices] = await Promise.all([
    listAccounts(db, user, query),
    listAccountFilterOptions(db, user),
  ]);
  return json({ ...result, filters: query, choices, canCreate: user.role !== "leader" });
}

export const meta: MetaFunction = () => [{ title: "Accounts · Rapport" }];

export default function Accounts() {
  const { rows, total, page, pageSize, filters, choices, canCreate } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === "loading";
  return (
    <>
      <PageHeader
        title="Accounts"
        description="Every customer relationship you can see. Filter, sort, and open one to see its team and buying group."
        actions={
          canCreate ? (
            <Link to="/accounts/new" className="btn-primary">
              New account
            </Link>
          ) : null
        }
      />
      <AccountFilters filters={filters} choices={choices} />
      {rows.length === 0 ? (
        <NoRows total={total} filters={filters} choices={choices} canCreate={canCreate} />
      ) : (
        <div className={`card overflow-x-auto ${loading ? "opacity-60" : ""}`} aria-busy={loading}>
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Accounts</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <SortableHeader label="Account" column="name" current={filters} />
                <th scope="col" className="px-4 py-3 font-medium">
                  Segment
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Region
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Tier
                </th>
                <SortableHeader label="Stage" column="stage" current={filters} />
                <SortableHeader
                  label="Annual value"
                  column="value"
                  current={filters}
                  className="px-4 py-3 text-right font-medium"
                />
                <SortableHeader label="Owner" column="owner" current={filters} />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((account) => (
                <tr key={account.id} className="hover:bg-slate-50">
                  <td className="px-4 py-3 font-medium">
                    <Link to={`/accounts/${account.id}`} className="text-indigo-700 hover:underline">
                      {account.name}
                    </Link>
                  </td>
                  <td className="px-4 py-3">{humanize(account.segment)}</td>
                  <td className="px-4 py-3">{account.region}</td>
                  <td className="px-4 py-3">{humanize(account.tier)}</td>
                  <td className="px-4 py-3">{humanize(account.lifecycleStage)}</td>
                  <td className="px-4 py-3 text-right tabular-nums">
                    {formatCents(account.annualValueCents)}
                  </td>
                  <td className="px-4 py-3">{account.ownerName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageSize={pageSize} total={total} />
    </>
  );
}

/** Why the table is empty, and what to do about it. */
function NoRows({
  total,
  filters,
  choices,
  canCreate,
}: {
  total: number;
  filters: Parameters<typeof describeActiveFilters>[0];
  choices: Parameters<typeof describeActiveFilters>[1];
  canCreate: boolean;
}) {
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
  if (hasActiveFilters(filters)) {
    const active = describeActiveFilters(filters, choices);
    return (
      <EmptyState title="No accounts match these filters">
        <p>
          {active.length === 1 ? "Loosen this filter: " : "Loosen one of these filters: "}
          {active.join("; ")}.
        </p>
        <p className="mt-2">
          <ClearFiltersLink />
        </p>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No accounts yet">
      {canCreate
        ? "Accounts you own or are on the team of appear here. Create one with “New account”, or ask an admin to add you to an account team."
        : "Accounts appear here as soon as managers or admins create them."}
    </EmptyState>
  );
}
