import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { responseRate } from "~/domain/campaigns";
import { humanize } from "~/lib/format";
import type { loader } from "./route";

type Data = SerializeFrom<typeof loader>;
type Results = NonNullable<Data["results"]>;

const STAGES: [keyof Results["funnel"], string][] = [
  ["recipients", "Recipients"],
  ["sent", "Sent"],
  ["delivered", "Delivered"],
  ["opened", "Opened"],
  ["started", "Started"],
  ["completed", "Completed"],
  ["bounced", "Bounced"],
  ["optedOut", "Opted out"],
  ["expired", "Expired"],
  ["failed", "Failed"],
];

const percent = (rate: number | null) => (rate === null ? "—" : `${rate}%`);

function Progress({ results, delivering }: { results: Results; delivering: boolean }) {
  const { funnel, mail } = results;
  const total = mail.pending + mail.sending + mail.sent + mail.failed;
  return (
    <div className="space-y-2" role="status" aria-live="polite">
      <p className="text-sm">
        Invitations written: <strong className="tabular-nums">{funnel.invited}</strong> of {funnel.recipients}
      </p>
      <progress className="h-2 w-full" max={Math.max(1, funnel.recipients)} value={funnel.invited} />
      {delivering ? (
        <>
          <p className="text-sm">
            Mail handed to the provider: <strong className="tabular-nums">{mail.sent}</strong> of {total}
          </p>
          <progress className="h-2 w-full" max={Math.max(1, total)} value={mail.sent} />
        </>
      ) : null}
    </div>
  );
}

function RateTable({
  title,
  column,
  rows,
}: {
  title: string;
  column: string;
  rows: Results["rates"]["bySegment"];
}) {
  return (
    <div>
      <h3 className="text-sm font-semibold">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing sent yet.</p>
      ) : (
        <table className="mt-1 w-full text-sm">
          <thead className="text-left text-slate-600">
            <tr>
              <th className="py-1 pr-4 font-medium">{column}</th>
              <th className="py-1 pr-4 text-right font-medium">Sent</th>
              <th className="py-1 pr-4 text-right font-medium">Completed</th>
              <th className="py-1 text-right font-medium">Rate</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={r.key}>
                <td className="py-1 pr-4">{title === "By segment" ? humanize(r.label) : r.label}</td>
                <td className="py-1 pr-4 text-right tabular-nums">{r.sent}</td>
                <td className="py-1 pr-4 text-right tabular-nums">{r.completed}</td>
                <td className="py-1 text-right tabular-nums">{percent(r.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The funnel, response rates, silent accounts and the mail's state of a launched campaign. */
export function ResultsSection({
  campaign,
  results,
  inProgress,
  delivering,
  mailViewer,
}: {
  campaign: Data["campaign"];
  results: Results;
  inProgress: boolean;
  /** False without RESEND_API_KEY: the mail stays in the outbox. */
  delivering: boolean;
  mailViewer: boolean;
}) {
  const { funnel, rates, silent, mail } = results;
  return (
    <>
      <section className="card space-y-4 p-4" aria-labelledby="funnel-heading">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="funnel-heading" className="text-base font-semibold">
            Funnel
          </h2>
          <p className="text-sm text-slate-600">
            Response rate:{" "}
            <strong data-testid="response-rate">
              {percent(responseRate(funnel.completed, funnel.sent))}
            </strong>{" "}
            of invitations sent
          </p>
        </div>
        {inProgress ? <Progress results={results} delivering={delivering} /> : null}
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="funnel">
          {STAGES.map(([key, label]) => (
            <div key={key} className="rounded-md bg-slate-50 p-3">
              <dt className="text-xs text-slate-500">{label}</dt>
              <dd className="text-xl font-semibold tabular-nums" data-stage={key}>
                {funnel[key]}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="card grid gap-6 p-4 sm:grid-cols-2" aria-label="Response rates">
        <RateTable title="By segment" column="Segment" rows={rates.bySegment} />
        <RateTable title="By owner" column="Owner" rows={rates.byOwner} />
      </section>

      <section className="card p-4" aria-labelledby="silent-heading">
        <h2 id="silent-heading" className="text-base font-semibold">
          Accounts with no answer yet ({silent.total})
        </h2>
        {silent.total === 0 ? (
          <p className="mt-1 text-sm text-slate-600">Every account asked has answered at least once.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {silent.rows.map((a) => (
              <li key={a.accountId} className="flex flex-wrap justify-between gap-2 py-1">
                <Link to={`/accounts/${a.accountId}`} className="text-indigo-700 hover:underline">
                  {a.accountName}
                </Link>
                <span className="text-slate-600">
                  {a.ownerName} · {a.invited} asked, {a.opened} opened
                </span>
              </li>
            ))}
            {silent.total > silent.rows.length ? (
              <li className="py-1 text-xs text-slate-500">and {silent.total - silent.rows.length} more</li>
            ) : null}
          </ul>
        )}
      </section>

      <section className="card p-4" aria-labelledby="mail-heading">
        <h2 id="mail-heading" className="text-base font-semibold">
          Mail
        </h2>
        <p className="mt-1 text-sm text-slate-700" data-testid="outbox-state">
          {mail.pending} waiting · {mail.sending} sending · {mail.sent} sent · {mail.failed} failed ·{" "}
          {mail.cancelled} cancelled
        </p>
        {!delivering ? (
          <p className="mt-1 text-sm text-amber-800">
            Nothing is sent from this machine: no RESEND_API_KEY is set, so the mail waits in the outbox
            {mailViewer ? (
              <>
                {" "}
                (
                <Link to="/dev/outbox" className="underline">
                  read it there
                </Link>
                ; its links work)
              </>
            ) : null}
            .
          </p>
        ) : null}
        {campaign.status === "paused" && mail.pending > 0 ? (
          <p className="mt-1 text-sm text-amber-800">
            Paused: {mail.pending} messages wait until you resume.
          </p>
        ) : null}
        {mail.lastError ? <p className="mt-1 text-sm text-red-700">Last failure: {mail.lastError}</p> : null}
      </section>
    </>
  );
}
