import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { EXCLUSION_LABELS } from "~/domain/campaigns";
import type { loader } from "./route";

type Recipients = SerializeFrom<typeof loader>["recipients"];
type Row = Recipients["invited"][number];

function PeopleTable({ rows, caption, showReason }: { rows: Row[]; caption: string; showReason?: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-left text-slate-600">
          <tr>
            <th className="py-1 pr-4 font-medium">Contact</th>
            <th className="py-1 pr-4 font-medium">Account</th>
            {showReason ? (
              <th className="py-1 font-medium">Why not</th>
            ) : (
              <th className="py-1 font-medium">Email</th>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.contactId}>
              <td className="py-1 pr-4">
                <Link to={`/contacts/${r.contactId}`} className="text-indigo-700 hover:underline">
                  {r.contactName}
                </Link>
              </td>
              <td className="py-1 pr-4">{r.accountName}</td>
              <td className="py-1 text-slate-700">
                {showReason && r.excludedReason ? (
                  <>
                    {EXCLUSION_LABELS[r.excludedReason]}
                    {r.excludedDetail ? <span className="text-slate-500"> — {r.excludedDetail}</span> : null}
                  </>
                ) : (
                  r.email
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Who is asked and who is left out, with the reason: a live preview before launch, the fixed list after. */
export function RecipientsSection({ recipients }: { recipients: Recipients }) {
  const { preview, invitedCount, excludedCount, byReason, excluded, invited, unmatchedEmails } = recipients;
  const reasons = Object.entries(byReason) as [keyof typeof EXCLUSION_LABELS, number][];
  return (
    <section className="card space-y-4 p-4" aria-labelledby="recipients-heading">
      <div>
        <h2 id="recipients-heading" className="text-base font-semibold">
          {preview ? "Who would be asked" : "Recipients"}
        </h2>
        <p className="text-sm text-slate-600" data-testid="recipient-summary">
          {invitedCount} {invitedCount === 1 ? "contact" : "contacts"} {preview ? "would be" : "were"} asked;{" "}
          {excludedCount} left out.
          {preview ? " This is worked out again at launch, with the rules as they are then." : null}
        </p>
      </div>
      {unmatchedEmails.length > 0 ? (
        <div role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Not found among the audience&apos;s contacts ({unmatchedEmails.length}):{" "}
          {unmatchedEmails.slice(0, 20).join(", ")}
          {unmatchedEmails.length > 20 ? ` and ${unmatchedEmails.length - 20} more` : ""}. Add them as
          contacts first, or check the other criteria.
        </div>
      ) : null}
      {reasons.length > 0 ? (
        <div>
          <h3 className="text-sm font-semibold">Left out, and why</h3>
          <ul className="mt-1 flex flex-wrap gap-2 text-sm">
            {reasons.map(([reason, n]) => (
              <li key={reason} className="rounded-full bg-slate-100 px-3 py-1">
                {EXCLUSION_LABELS[reason]}: <strong className="tabular-nums">{n}</strong>
              </li>
            ))}
          </ul>
          <details className="mt-2" open={excludedCount <= 15}>
            <summary className="cursor-pointer text-sm text-indigo-700">
              Who is left out ({excludedCount})
            </summary>
            <div className="mt-2">
              <PeopleTable rows={excluded} caption="Contacts left out, with the reason" showReason />
              {excluded.length < excludedCount ? (
                <p className="mt-1 text-xs text-slate-500">
                  Showing {excluded.length} of {excludedCount}.
                </p>
              ) : null}
            </div>
          </details>
        </div>
      ) : null}
      {invitedCount > 0 ? (
        <details>
          <summary className="cursor-pointer text-sm font-semibold">
            {preview ? "Contacts who would be asked" : "Contacts asked"} ({invitedCount})
          </summary>
          <div className="mt-2">
            <PeopleTable rows={invited} caption="Contacts asked" />
            {invited.length < invitedCount ? (
              <p className="mt-1 text-xs text-slate-500">
                Showing {invited.length} of {invitedCount}.
              </p>
            ) : null}
          </div>
        </details>
      ) : preview ? (
        <p className="text-sm text-slate-700">
          Nobody would be asked yet. Widen the audience, or relax the contact-frequency rules, then launch.
        </p>
      ) : null}
    </section>
  );
}
