import type { ReactNode } from "react";
import { describeSlaClock, slaClock, type CaseSeverity, type CaseStatus } from "~/domain/cases";
import { humanize } from "~/lib/format";

const SEVERITY_STYLE: Record<CaseSeverity, string> = {
  critical: "bg-red-600 text-white",
  high: "bg-red-100 text-red-800",
  medium: "bg-amber-100 text-amber-900",
};

const STATUS_STYLE: Record<CaseStatus, string> = {
  open: "bg-slate-800 text-white",
  acknowledged: "bg-indigo-100 text-indigo-800",
  resolved: "bg-emerald-100 text-emerald-800",
};

function Pill({ className, children }: { className: string; children: ReactNode }) {
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${className}`}>{children}</span>;
}

export function CaseSeverityBadge({ severity }: { severity: CaseSeverity }) {
  return <Pill className={SEVERITY_STYLE[severity]}>{humanize(severity)}</Pill>;
}

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  return <Pill className={STATUS_STYLE[status]}>{humanize(status)}</Pill>;
}

/** "12 Mar 2026, 14:30 UTC": the app shows times in UTC so server and browser agree. */
export function formatCaseTime(iso: string): string {
  return `${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
}

/** The SLA in words against the loader's clock (`now`), red when it has run out. */
export function SlaText({
  slaDueAt,
  resolvedAt,
  now,
}: {
  slaDueAt: string;
  resolvedAt: string | null;
  now: string;
}) {
  const clock = slaClock(
    { slaDueAt: new Date(slaDueAt), resolvedAt: resolvedAt ? new Date(resolvedAt) : null },
    new Date(now),
  );
  const late = clock.state === "overdue" || clock.state === "missed";
  const text = describeSlaClock(clock);
  return (
    <span className={late ? "font-semibold text-red-700" : "text-slate-700"}>
      {text.charAt(0).toUpperCase() + text.slice(1)}
    </span>
  );
}

export function isOverdue(c: { slaDueAt: string; resolvedAt: string | null }, now: string): boolean {
  return !c.resolvedAt && new Date(c.slaDueAt).getTime() < new Date(now).getTime();
}
