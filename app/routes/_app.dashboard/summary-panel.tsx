import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import type { DashboardSummary } from "~/domain/dashboard.server";
import { formatScore, formatWhole, useHrefWith } from "./panel";

function Figure({ label, value, to, detail }: { label: string; value: string; to: string; detail: string }) {
  return (
    <div className="card p-4">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums sm:text-3xl">
        <Link to={to} className="hover:underline" aria-label={`${label}: ${value}. ${detail}`}>
          {value}
        </Link>
      </dd>
      <dd className="mt-1 text-xs text-slate-500">{detail}</dd>
    </div>
  );
}

/** The headline figures of the window; each opens what it counts. */
export function SummaryPanel({
  summary,
  accountsHref,
}: {
  summary: SerializeFrom<DashboardSummary>;
  /** The account list with the same filters. */
  accountsHref: string;
}) {
  const hrefWith = useHrefWith();
  return (
    <section aria-label="Headline figures" className="mb-6">
      <dl className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-5 print:grid-cols-5">
        <Figure
          label="Accounts"
          value={String(summary.accounts)}
          to={accountsHref}
          detail={`${summary.withCustomerVoice} with customer answers in the window`}
        />
        <Figure
          label="NPS"
          value={formatWhole(summary.nps, { signed: true })}
          to="#trend"
          detail={`${summary.promoters} promoters, ${summary.passives} passives, ${summary.detractors} detractors`}
        />
        <Figure
          label="Customer health"
          value={formatScore(summary.customerHealth)}
          to="#heatmap"
          detail={`mean over accounts; the teams believe ${formatScore(summary.teamHealth)}`}
        />
        <Figure
          label="Blind-spot accounts"
          value={String(summary.blindSpots)}
          to={hrefWith({ quadrant: "blind_spot", hpage: undefined }, "#heatmap")}
          detail="team 60+, customer below 60, 15 or more apart"
        />
        <Figure
          label="Silent accounts"
          value={String(summary.silent)}
          to="#silent"
          detail="no customer voice in 180 days, or two invitations unanswered"
        />
      </dl>
    </section>
  );
}
