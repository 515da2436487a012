import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/page-header";
import { listUsers } from "~/domain/users.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { humanize } from "~/lib/format";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  return json({ users: await listUsers(getDb()) });
}

export const meta: MetaFunction = () => [{ title: "Settings · Rapport" }];

export default function Settings() {
  const { users } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          <>
            People who can sign in. Add one from the command line with{" "}
            <code className="rounded bg-slate-100 px-1">
              npm run user:create -- --email … --name … --role manager
            </code>
            .
          </>
        }
      />
      <nav aria-label="More settings" className="mb-6">
        <ul className="card divide-y divide-slate-100">
          <li className="px-4 py-3">
            <Link to="/settings/winloss" className="font-medium text-indigo-700 hover:underline">
              Win/loss follow-up rules
            </Link>
            <p className="text-sm text-slate-600">
              What happens with a closed deal&rsquo;s buyers: a survey, an interview, or nothing, and how many
              days after the close.
            </p>
          </li>
          <li className="px-4 py-3">
            <Link to="/settings/api-keys" className="font-medium text-indigo-700 hover:underline">
              API keys
            </Link>
            <p className="text-sm text-slate-600">
              Keys for a CRM or script to use the <code>/api/v1</code> API: create, see when each was last
              used, revoke.
            </p>
          </li>
          <li className="px-4 py-3">
            <Link to="/settings/webhooks" className="font-medium text-indigo-700 hover:underline">
              Webhooks
            </Link>
            <p className="text-sm text-slate-600">
              URLs Rapport notifies, signed, when a survey is completed, a case opens or is resolved, or a
              deal closes; with each endpoint&rsquo;s delivery log and a test button.
            </p>
          </li>
        </ul>
      </nav>
      <div className="card overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Users</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-3 font-medium">
                Name
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Email
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Role
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => (
              <tr key={u.id}>
                <td className="px-4 py-3">{u.name}</td>
                <td className="px-4 py-3">{u.email}</td>
                <td className="px-4 py-3">
                  {humanize(u.role)}
                  {u.deactivatedAt ? " (deactivated)" : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
