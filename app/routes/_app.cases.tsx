import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { listOpenCases } from "~/domain/cases.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { humanize } from "~/lib/format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ cases: await listOpenCases(getDb(), user) });
}

export const meta: MetaFunction = () => [{ title: "Cases · Rapport" }];

export default function Cases() {
  const { cases } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Customer 9-1-1"
        description="Customers who signalled trouble, each with a named owner and an SLA clock."
      />
      {cases.length === 0 ? (
        <EmptyState title="No open cases">
          A case opens when a customer signals trouble in a survey or asks for help. None are open now.
        </EmptyState>
      ) : (
        <ul className="card divide-y divide-slate-100">
          {cases.map((c) => (
            <li key={c.id} className="px-4 py-3">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <Link to={`/accounts/${c.accountId}`} className="font-medium text-indigo-700 hover:underline">
                  {c.accountName}
                </Link>
                <span className="rounded-full bg-red-100 px-2 py-1 text-xs font-medium text-red-800">
                  {humanize(c.severity)} · {humanize(c.status)}
                </span>
              </div>
              <p className="mt-1 text-sm">{c.summary}</p>
              <p className="mt-1 text-xs text-slate-600">
                Owner {c.ownerName} · {humanize(c.trigger)} · SLA due{" "}
                <time dateTime={c.slaDueAt}>
                  {new Date(c.slaDueAt).toLocaleString("en-GB", {
                    dateStyle: "medium",
                    timeStyle: "short",
                    timeZone: "UTC",
                  })}{" "}
                  UTC
                </time>
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
