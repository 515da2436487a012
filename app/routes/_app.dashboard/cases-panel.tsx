import { Link } from "@remix-run/react";
import type { CaseMetrics } from "~/domain/dashboard.server";
import { Panel, PanelEmpty } from "~/components/report/panel";
import { dashboardCsv } from "./csv";
import { formatWhole } from "./format";

/** Hours as people say them: "5.5 h" under two days, "3.2 days" beyond. */
function formatHours(hours: number | null): string {
  if (hours === null) return "—";
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

function Metric({ label, value, detail, to }: { label: string; value: string; detail: string; to?: string }) {
  return (
    <div>
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums">
        {to ? (
          <Link to={to} className="hover:underline" aria-label={`${label}: ${value}`}>
            {value}
          </Link>
        ) : (
          value
        )}
      </dd>
      <dd className="text-xs text-slate-500">{detail}</dd>
    </div>
  );
}

/** Customer 9-1-1 closed-loop metrics for the cases opened in the window. */
export function CasesPanel({ metrics, windowMonths }: { metrics: CaseMetrics; windowMonths: number }) {
  return (
    <Panel
      id="cases"
      title="Closing the loop (Customer 9-1-1)"
      csv={dashboardCsv("cases")}
      className="lg:col-span-2"
      description={`Cases opened in the last ${windowMonths} months on these accounts: how fast someone answered, and how many were put right within the SLA.`}
    >
      {metrics.opened === 0 ? (
        <PanelEmpty>No Customer 9-1-1 case was opened on these accounts in this window.</PanelEmpty>
      ) : (
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
          <Metric
            label="Cases opened"
            value={String(metrics.opened)}
            detail={`${metrics.open} still open`}
            to="/cases?status=all"
          />
          <Metric
            label="Time to acknowledge"
            value={formatHours(metrics.medianHoursToAcknowledge)}
            detail={`median of ${metrics.acknowledged} acknowledged`}
          />
          <Metric
            label="Time to resolve"
            value={formatHours(metrics.medianHoursToResolve)}
            detail={`median of ${metrics.resolved} resolved`}
            to="/cases?status=resolved"
          />
          <Metric
            label="Resolved within SLA"
            value={formatWhole(metrics.withinSlaShare, { suffix: "%" })}
            detail={`${metrics.resolvedWithinSla} of ${metrics.slaDecided} resolved or past their due time`}
          />
          <Metric
            label="Open past SLA"
            value={String(metrics.overdue)}
            detail="need an answer now"
            to="/cases?status=unresolved"
          />
        </dl>
      )}
    </Panel>
  );
}
