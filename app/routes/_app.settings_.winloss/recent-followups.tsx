import { Link } from "@remix-run/react";
import { FOLLOW_UP_STATUS_LABELS, type FollowUpStatus } from "~/domain/winloss-program";
import { humanize } from "~/lib/format";

/** The latest follow-ups and what came of them: how an admin sees the rules at work. */
export interface FollowupView {
  id: string;
  opportunityId: string;
  opportunityName: string;
  accountName: string;
  outcome: string;
  ruleSummary: string;
  status: FollowUpStatus;
  skipReason: string | null;
  dueAt: string;
  campaignId: string | null;
  interviewTaskId: string | null;
}

export function RecentFollowups({ followups }: { followups: FollowupView[] }) {
  return (
    <section aria-labelledby="followups-heading">
      <h2 id="followups-heading" className="mb-1 text-lg font-semibold">
        Recent follow-ups
      </h2>
      <p className="mb-3 text-sm text-slate-600">What the rules decided for the latest closed deals.</p>
      {followups.length === 0 ? (
        <p className="card border-dashed p-4 text-sm text-slate-600">
          No deal has closed since the rules began.
        </p>
      ) : (
        <div className="card overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Recent follow-ups</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">
                  Deal
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Rule
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Due
                </th>
                <th scope="col" className="px-4 py-3 font-medium">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {followups.map((f) => (
                <tr key={f.id}>
                  <td className="px-4 py-3">
                    <Link
                      to={`/opportunities/${f.opportunityId}`}
                      className="text-indigo-700 hover:underline"
                    >
                      {f.opportunityName}
                    </Link>
                    <span className="block text-xs text-slate-600">
                      {f.accountName} · {humanize(f.outcome)}
                    </span>
                  </td>
                  <td className="px-4 py-3">{f.ruleSummary}</td>
                  <td className="px-4 py-3 whitespace-nowrap">
                    <time dateTime={f.dueAt}>{f.dueAt.slice(0, 10)}</time>
                  </td>
                  <td className="px-4 py-3">
                    {FOLLOW_UP_STATUS_LABELS[f.status]}
                    {f.skipReason ? (
                      <span className="block text-xs text-slate-600">{f.skipReason}</span>
                    ) : null}
                    {f.campaignId ? (
                      <Link
                        to={`/campaigns/${f.campaignId}`}
                        className="block text-xs text-indigo-700 hover:underline"
                      >
                        The campaign
                      </Link>
                    ) : null}
                    {f.interviewTaskId ? (
                      <Link
                        to={`/interviews/${f.interviewTaskId}`}
                        className="block text-xs text-indigo-700 hover:underline"
                      >
                        The interview task
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
