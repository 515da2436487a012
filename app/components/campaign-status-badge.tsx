import type { CampaignStatus } from "../../db/schema";
import { CAMPAIGN_STATUS_LABELS } from "~/domain/campaigns";

const TONES: Record<CampaignStatus, string> = {
  draft: "bg-slate-100 text-slate-700",
  scheduled: "bg-sky-100 text-sky-800",
  sending: "bg-emerald-100 text-emerald-800",
  paused: "bg-amber-100 text-amber-800",
  completed: "bg-indigo-100 text-indigo-800",
  cancelled: "bg-rose-100 text-rose-800",
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${TONES[status]}`}>
      {CAMPAIGN_STATUS_LABELS[status]}
    </span>
  );
}
