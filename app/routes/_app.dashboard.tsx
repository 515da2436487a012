import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { getWorkspaceCounts } from "~/domain/accounts.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const counts = await getWorkspaceCounts(getDb(), user);
  return json({ user: { name: user.name, role: user.role }, counts });
}

export const meta: MetaFunction = () => [{ title: "Dashboard · Rapport" }];

export default function Dashboard() {
  const { user, counts } = useLoaderData<typeof loader>();
  const firstName = user.name.split(" ")[0];
  return (
    <>
      <PageHeader
        title={`Welcome, ${firstName}`}
        description={
          user.role === "manager"
            ? "The accounts you own or are on the team of."
            : "Across the whole workspace."
        }
      />
      <dl className="grid gap-4 sm:grid-cols-2">
        <div className="card p-5">
          <dt className="text-sm text-slate-600">Accounts</dt>
          <dd className="mt-1 text-3xl font-semibold">
            <Link to="/accounts" className="hover:underline">
              {counts.accounts}
            </Link>
          </dd>
        </div>
        <div className="card p-5">
          <dt className="text-sm text-slate-600">Open Customer 9-1-1 cases</dt>
          <dd className="mt-1 text-3xl font-semibold">
            <Link to="/cases" className="hover:underline">
              {counts.openCases}
            </Link>
          </dd>
        </div>
      </dl>
      <div className="mt-8">
        <EmptyState title="Voice-of-customer dashboard">
          NPS and health trends, the gap heat map and blind spots appear here once the health engine is
          switched on. Until then, open an account to see its buying group.
        </EmptyState>
      </div>
    </>
  );
}
