import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { listAccounts } from "~/domain/accounts.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { formatCents, humanize } from "~/lib/format";

const querySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const result = await listAccounts(getDb(), user, { search: query.q, page: query.page });
  return json({ ...result, q: query.q ?? "" });
}

export const meta: MetaFunction = () => [{ title: "Accounts · Rapport" }];

export default function Accounts() {
  const { rows, total, page, pageSize, q } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  return (
    <>
      <PageHeader title="Accounts" description="Every customer relationship you can see, by name." />
      <Form method="get" role="search" className="mb-4 flex max-w-md gap-2">
        <label htmlFor="account-search" className="sr-only">
          Search accounts by name
        </label>
        <input
          id="account-search"
          name="q"
          type="search"
          defaultValue={q}
          placeholder="Search by name"
          className="input"
        />
        <button type="submit" className="btn-secondary">
          Search
        </button>
      </Form>
      {rows.length === 0 ? (
        <EmptyState title={q ? `No accounts match “${q}”` : "No accounts yet"}>
          {q
            ? "Try a shorter part of the name."
            : "Accounts you own or are on the team of appear here. Ask an admin to add you to an account team."}
        </EmptyState>
      ) : (
        <div
          className={`card overflow-x-auto ${navigation.state === "loading" ? "opacity-60" : ""}`}
          aria-busy={navigation.state === "loading"}
        >
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">
                  Account
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Segment
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Region
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Tier
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Stage
                </th>
                <th scope="col" className="px-4 py-3 text-right font-medium">
                  Annual value
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Owner
                </th>
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
