import { Link, useSearchParams } from "@remix-run/react";
import { METRICS_WINDOWS, describeDuration, type ClosedLoopMetrics } from "~/domain/cases";

/** The closed loop at a glance: how fast cases are picked up and put right, and how many are late. */
export function MetricsPanel({ metrics }: { metrics: ClosedLoopMetrics }) {
  const [searchParams] = useSearchParams();
  const { met, decided, share } = metrics.resolvedWithinSla;
  const windowHref = (days: number) => {
    const params = new URLSearchParams(searchParams);
    params.set("days", String(days));
    params.delete("page");
    return `?${params.toString()}`;
  };
  const items: { label: string; value: string; detail: string; alarm?: boolean; testId: string }[] = [
    {
      label: "Median time to acknowledge",
      value: metrics.medianAcknowledgeMs === null ? "—" : describeDuration(metrics.medianAcknowledgeMs),
      detail: "from opening to someone taking it on",
      testId: "median-acknowledge",
    },
    {
      label: "Median time to resolve",
      value: metrics.medianResolveMs === null ? "—" : describeDuration(metrics.medianResolveMs),
      detail: "from opening to resolved",
      testId: "median-resolve",
    },
    {
      label: "Resolved within SLA",
      value: share === null ? "—" : `${Math.round(share * 100)}%`,
      detail: decided === 0 ? "no case has reached its deadline yet" : `${met} of ${decided} cases`,
      alarm: share !== null && share < 0.8,
      testId: "within-sla",
    },
    {
      label: "Open now",
      value: String(metrics.openNow),
      detail: "not resolved yet, any age",
      testId: "open-now",
    },
    {
      label: "Overdue now",
      value: String(metrics.overdueNow),
      detail: "past their SLA and not resolved",
      alarm: metrics.overdueNow > 0,
      testId: "overdue-now",
    },
  ];
  return (
    <section aria-labelledby="metrics-heading" className="mb-6">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="metrics-heading" className="text-lg font-semibold">
          Closed loop, last {metrics.windowDays} days
        </h2>
        <nav aria-label="Metrics window" className="flex gap-2 text-sm">
          {METRICS_WINDOWS.map((days) =>
            days === metrics.windowDays ? (
              <span key={days} aria-current="true" className="font-semibold">
                {days} days
              </span>
            ) : (
              <Link key={days} to={windowHref(days)} className="text-indigo-700 hover:underline">
                {days} days
              </Link>
            ),
          )}
        </nav>
      </div>
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        {items.map((item) => (
          <div key={item.label} className="card p-4">
            <dt className="text-sm text-slate-600">{item.label}</dt>
            <dd
              data-testid={item.testId}
              className={`mt-1 text-2xl font-bold tabular-nums ${item.alarm ? "text-red-700" : ""}`}
            >
              {item.value}
            </dd>
            <dd className="text-xs text-slate-500">{item.detail}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-xs text-slate-500">
        Times and the SLA share count the cases opened in the window ({metrics.opened}); a case still open
        before its deadline is not counted in the share until it is decided.
      </p>
    </section>
  );
}
