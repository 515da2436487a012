import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import type { SerializeFrom } from "@remix-run/node";
import type { loader } from "./route";

type Data = SerializeFrom<typeof loader>;

/** One small form per action, so each works without JavaScript; the dangerous one asks first. */
function ActionButton({
  intent,
  label,
  busyLabel,
  confirm,
  primary,
}: {
  intent: string;
  label: string;
  busyLabel: string;
  confirm?: string;
  primary?: boolean;
}) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  const onSubmit = (event: FormEvent) => {
    if (confirm && !window.confirm(confirm)) event.preventDefault();
  };
  return (
    <Form method="post" onSubmit={onSubmit}>
      <button
        type="submit"
        name="intent"
        value={intent}
        className={primary ? "btn-primary" : "btn-secondary"}
        disabled={navigation.state !== "idle"}
      >
        {busy ? busyLabel : label}
      </button>
    </Form>
  );
}

function ScheduleForm() {
  const navigation = useNavigation();
  // Filled in once the page runs in a browser; without it the time is read as UTC (the label says so).
  const [offset, setOffset] = useState<number | null>(null);
  useEffect(() => setOffset(new Date().getTimezoneOffset()), []);
  return (
    <Form method="post" className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="intent" value="schedule" />
      {offset !== null ? <input type="hidden" name="tzOffset" value={offset} /> : null}
      <div>
        <label htmlFor="schedule-at" className="block text-sm font-medium">
          Or send at {offset === null ? "(UTC)" : "(your time)"}
        </label>
        <input id="schedule-at" name="at" type="datetime-local" required className="input mt-1" />
      </div>
      <button type="submit" className="btn-secondary" disabled={navigation.state !== "idle"}>
        Schedule
      </button>
    </Form>
  );
}

export function CampaignActions({
  campaign,
  can,
  invitedCount,
}: {
  campaign: Data["campaign"];
  can: Data["can"];
  invitedCount: number;
}) {
  const any = Object.values(can).some(Boolean);
  if (!any) return null;
  return (
    <section className="card flex flex-wrap items-end gap-3 p-4" aria-label="Campaign actions">
      {can.launch ? (
        <ActionButton
          intent="launch"
          label={`Launch now (${invitedCount} ${invitedCount === 1 ? "contact" : "contacts"})`}
          busyLabel="Launching…"
          confirm={`Send the survey to ${invitedCount} contacts now?`}
          primary
        />
      ) : null}
      {can.schedule ? <ScheduleForm /> : null}
      {campaign.status === "scheduled" && campaign.scheduledAt ? (
        <p className="text-sm text-slate-600">
          Launches on {new Date(campaign.scheduledAt).toUTCString()}; the audience is decided then.
        </p>
      ) : null}
      {can.remind ? (
        <ActionButton
          intent="remind"
          label="Remind non-responders now"
          busyLabel="Reminding…"
          confirm="Send a reminder now to everyone who has not answered (except those reminded in the last day)?"
        />
      ) : null}
      {can.pause ? <ActionButton intent="pause" label="Pause" busyLabel="Pausing…" /> : null}
      {can.resume ? <ActionButton intent="resume" label="Resume" busyLabel="Resuming…" primary /> : null}
      {can.cancel ? (
        <ActionButton
          intent="cancel"
          label="Cancel campaign"
          busyLabel="Cancelling…"
          confirm="Cancel this campaign? Nothing more will be sent, and this cannot be undone."
        />
      ) : null}
    </section>
  );
}
