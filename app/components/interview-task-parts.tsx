import type { InterviewTaskStatus } from "~/domain/winloss-program";

const STATUS_STYLES: Record<InterviewTaskStatus, string> = {
  open: "bg-amber-100 text-amber-800",
  done: "bg-emerald-100 text-emerald-800",
  cancelled: "bg-slate-100 text-slate-700",
};
const STATUS_LABELS: Record<InterviewTaskStatus, string> = {
  open: "Open",
  done: "Done",
  cancelled: "Cancelled",
};

export function TaskStatusBadge({ status }: { status: InterviewTaskStatus }) {
  return (
    <span className={`rounded-full px-2 py-1 text-xs font-medium ${STATUS_STYLES[status]}`}>
      {STATUS_LABELS[status]}
    </span>
  );
}

/** "Tue, 30 Jun 2026" for a YYYY-MM-DD due date (a calendar day, UTC). */
export function formatDueDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** Whole days from one YYYY-MM-DD to a later one. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
