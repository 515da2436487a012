import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CampaignStatusBadge } from "~/components/campaign-status-badge";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { Pagination } from "~/components/pagination";
import { responseRate } from "~/domain/campaigns";
import { CAMPAIGNS_PAGE_SIZE, listCampaigns } from "~/domain/campaigns.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

/** Campaign results span every account, so they are for admins (who run them) and leaders. */
export const CAMPAIGN_READERS = ["admin", "leader"] as const;

const querySchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: CAMPAIGN_READERS });
  const { page } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { rows, total } = await listCampaigns(getDb(), { page });
  return json({ rows, total, page, pageSize: CAMPAIGNS_PAGE_SIZE, canCreate: user.role === "admin" });
}

export const meta: MetaFunction = () => [{ title: "Campaigns · Rapport" }];

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export default function Campaigns() {
  const { rows, total, page, pageSize, canCreate } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Send surveys to the right contacts, with reminders and a respectful contact frequency."
        actions={
          canCreate ? (
            <Link to="/campaigns/new" className="btn-primary">
              New campaign
            </Link>
          ) : null
        }
      />
      {total === 0 ? (
        <EmptyState title="No campaigns yet">
          A campaign picks a survey and an audience, shows who is excluded and why before anything is sent,
          then sends invitations with reminders.{" "}
          {canCreate ? (
            <Link to="/campaigns/new" className="text-indigo-700 underline">
              Create the first one
            </Link>
          ) : (
            "An admin creates them."
          )}
        </EmptyState>
      ) : (
        <div className="card overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-4 py-2 font-medium">Campaign</th>
                <th className="px-4 py-2 font-medium">Status</th>
                <th className="px-4 py-2 font-medium">Launched</th>
                <th className="px-4 py-2 text-right font-medium">Invited</th>
                <th className="px-4 py-2 text-right font-medium">Answered</th>
                <th className="px-4 py-2 text-right font-medium">Response rate</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((c) => {
                const rate = responseRate(c.completed, c.invited);
                return (
                  <tr key={c.id}>
                    <td className="px-4 py-2">
                      <Link to={`/campaigns/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                        {c.name}
                      </Link>
                      <div className="text-xs text-slate-500">{c.surveyTitle}</div>
                    </td>
                    <td className="px-4 py-2">
                      <CampaignStatusBadge status={c.status} />
                    </td>
                    <td className="px-4 py-2 text-slate-600">
                      {c.launchedAt
                        ? dateFormat.format(new Date(c.launchedAt))
                        : c.scheduledAt
                          ? `for ${dateFormat.format(new Date(c.scheduledAt))}`
                          : "—"}
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{c.invited}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{c.completed}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{rate === null ? "—" : `${rate}%`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="px-4 pb-4">
            <Pagination page={page} pageSize={pageSize} total={total} />
          </div>
        </div>
      )}
    </>
  );
}
