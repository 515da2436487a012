import type { SerializeFrom } from "@remix-run/node";
import type { loader } from "./route";

type Campaign = SerializeFrom<typeof loader>["campaign"];

const dateTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});
const when = (value: string | null) => (value ? `${dateTime.format(new Date(value))} UTC` : null);

/** The campaign's rules at a glance. */
export function CampaignSettings({ campaign }: { campaign: Campaign }) {
  const rows: [string, string][] = [
    [
      "Reminders",
      campaign.reminderOffsetsDays.length
        ? `${campaign.reminderOffsetsDays.map((d) => `day ${d}`).join(", ")} to those who have not answered`
        : "None",
    ],
    ["Links expire", `${campaign.expiresAfterDays} days after launch`],
    ["Contact frequency", `Nobody asked twice within ${campaign.frequencyWindowDays} days`],
    ["Ask budget", `At most ${campaign.askBudgetPerQuarter} contacts per account per quarter`],
    ["Sender", campaign.senderName ?? "Each account's owner"],
    ["Reply-to", campaign.replyTo ?? "Each account's owner"],
  ];
  const events: [string, string | null][] = [
    ["Scheduled for", campaign.status === "scheduled" ? when(campaign.scheduledAt) : null],
    ["Launched", when(campaign.launchedAt)],
    ["Paused", when(campaign.pausedAt)],
    ["Cancelled", when(campaign.cancelledAt)],
    ["Completed", when(campaign.completedAt)],
  ];
  return (
    <section className="card p-4" aria-labelledby="settings-heading">
      <h2 id="settings-heading" className="text-base font-semibold">
        Settings
      </h2>
      <dl className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        {[...rows, ...events.filter((e): e is [string, string] => e[1] !== null)].map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-slate-500">{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
