import { humanize } from "~/lib/format";

const tones: Record<string, string> = {
  pending: "bg-amber-50 text-amber-800 ring-amber-200",
  sending: "bg-sky-50 text-sky-800 ring-sky-200",
  sent: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  failed: "bg-red-50 text-red-800 ring-red-200",
  cancelled: "bg-slate-100 text-slate-700 ring-slate-200",
};

/** An outbox message's status as a small coloured label (the word carries the meaning, not the colour). */
export function OutboxStatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
        tones[status] ?? tones.cancelled
      }`}
    >
      {humanize(status)}
    </span>
  );
}
