import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { getAccountOverview } from "~/domain/accounts.server";
import { requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { formatCents, humanize } from "~/lib/format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const accountId = params.accountId ?? "";
  await requireAccountAccess(user, accountId, "view");
  const overview = await getAccountOverview(getDb(), accountId);
  if (!overview) throw new Response("No such account.", { status: 404 });
  return json(overview);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.account.name ?? "Account"} · Rapport` },
];

export default function AccountPage() {
  const { account, contacts, team } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/accounts" className="text-indigo-700 hover:underline">
          ← Accounts
        </Link>
      </p>
      <PageHeader
        title={account.name}
        description={`${humanize(account.segment)} · ${account.region} · ${humanize(account.tier)} tier · ${humanize(account.lifecycleStage)}`}
      />
      <dl className="grid gap-4 sm:grid-cols-3">
        <div className="card p-4">
          <dt className="text-sm text-slate-600">Annual value</dt>
          <dd className="mt-1 text-xl font-semibold tabular-nums">{formatCents(account.annualValueCents)}</dd>
        </div>
        <div className="card p-4">
          <dt className="text-sm text-slate-600">Owner</dt>
          <dd className="mt-1 text-xl font-semibold">{account.ownerName}</dd>
        </div>
        <div className="card p-4">
          <dt className="text-sm text-slate-600">Team</dt>
          <dd className="mt-1 text-sm">
            {team.length > 0 ? team.map((m) => m.name).join(", ") : "Only the owner"}
          </dd>
        </div>
      </dl>
      <section className="mt-8" aria-labelledby="buying-group">
        <h2 id="buying-group" className="mb-3 text-lg font-semibold">
          Buying group
        </h2>
        {contacts.length === 0 ? (
          <EmptyState title="No contacts yet">
            Contacts in this account’s buying group appear here.
          </EmptyState>
        ) : (
          <ul className="card divide-y divide-slate-100">
            {contacts.map((contact) => (
              <li key={contact.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                <div>
                  <Link
                    to={`/contacts/${contact.id}`}
                    className="font-medium text-indigo-700 hover:underline"
                  >
                    {contact.name}
                  </Link>
                  <p className="text-sm text-slate-600">{contact.title ?? "No title recorded"}</p>
                </div>
                <div className="flex items-center gap-2 text-xs">
                  <span className="rounded-full bg-slate-100 px-2 py-1">{humanize(contact.buyingRole)}</span>
                  {contact.optedOutAt ? (
                    <span className="rounded-full bg-amber-100 px-2 py-1 text-amber-800">
                      Opted out of surveys
                    </span>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
