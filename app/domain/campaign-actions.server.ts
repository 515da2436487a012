import { z } from "zod";
import {
  SEND_CAMPAIGN_JOB,
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  scheduleCampaign,
  sendCampaignInvitations,
  sendReminders,
  startCampaign,
  type CampaignChange,
} from "./campaign-send.server";
import { CAMPAIGN_STATUS_LABELS, campaignAllows } from "./campaigns";
import { getCampaign } from "./campaigns.server";
import type { Database } from "../lib/db.server";
import { sendJob, startDelivery } from "../lib/jobs.server";

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("launch") }),
  z.object({
    intent: z.literal("schedule"),
    at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Choose a date and time to send."),
    // minutes, as the browser's Date#getTimezoneOffset gives them; absent without JavaScript (UTC)
    tzOffset: z.coerce.number().int().min(-900).max(900).catch(0),
  }),
  z.object({ intent: z.literal("pause") }),
  z.object({ intent: z.literal("resume") }),
  z.object({ intent: z.literal("cancel") }),
  z.object({ intent: z.literal("remind") }),
]);

export type CampaignActionResult =
  | { status: "ok"; notice: string }
  | { status: "not_found" }
  | { status: "error"; httpStatus: number; message: string };

/** Writes the invitations in the worker when one runs here; otherwise (scripts, tests) right away. */
async function writeInvitations(db: Database, campaignId: string) {
  if (!(await sendJob(SEND_CAMPAIGN_JOB, { campaignId }))) await sendCampaignInvitations(db, campaignId);
}

/** What each change does once it is committed: the page and the API both go through here. */
const CHANGES = {
  launch: { change: startCampaign, thenWrite: true, thenDeliver: false },
  pause: { change: pauseCampaign, thenWrite: false, thenDeliver: false },
  resume: { change: resumeCampaign, thenWrite: true, thenDeliver: true },
  cancel: { change: cancelCampaign, thenWrite: false, thenDeliver: false },
} as const;

export type CampaignStatusAction = keyof typeof CHANGES;

/** Launches, pauses, resumes or cancels, then writes the missing invitations and wakes delivery as needed. */
export async function changeCampaignStatus(
  db: Database,
  campaignId: string,
  action: CampaignStatusAction,
): Promise<CampaignChange> {
  const { change, thenWrite, thenDeliver } = CHANGES[action];
  const result = await change(db, campaignId);
  if (result.status !== "done") return result;
  if (thenWrite) await writeInvitations(db, campaignId);
  if (thenDeliver) await startDelivery();
  return result;
}

function refused(change: Exclude<CampaignChange, { status: "done" }>): CampaignActionResult {
  switch (change.status) {
    case "not_found":
      return { status: "not_found" };
    case "not_allowed":
      return {
        status: "error",
        httpStatus: 409,
        message: `The campaign is ${CAMPAIGN_STATUS_LABELS[change.current].toLowerCase()}, so that is no longer possible. The page shows what it can do now.`,
      };
    case "empty":
      return {
        status: "error",
        httpStatus: 400,
        message: `Nobody to invite: all ${change.excluded} contacts in the audience are excluded. Widen the audience or relax the contact-frequency rules.`,
      };
    case "invalid":
      return { status: "error", httpStatus: 400, message: change.message };
  }
}

/** The campaign page's buttons (one form per intent). */
export async function runCampaignAction(
  db: Database,
  campaignId: string,
  form: FormData,
): Promise<CampaignActionResult> {
  const parsed = intentSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return {
      status: "error",
      httpStatus: 400,
      message: parsed.error.issues[0]?.message ?? "Unknown action.",
    };
  }
  const input = parsed.data;
  switch (input.intent) {
    case "launch": {
      const change = await changeCampaignStatus(db, campaignId, "launch");
      if (change.status !== "done") return refused(change);
      return { status: "ok", notice: "Launched: invitations are on their way." };
    }
    case "schedule": {
      const at = new Date(Date.parse(`${input.at}:00Z`) + input.tzOffset * 60_000);
      if (Number.isNaN(at.getTime()))
        return { status: "error", httpStatus: 400, message: "That is not a date and time." };
      const change = await scheduleCampaign(db, campaignId, at);
      if (change.status !== "done") return refused(change);
      return { status: "ok", notice: "Scheduled. The audience is decided when it launches." };
    }
    case "pause": {
      const change = await changeCampaignStatus(db, campaignId, "pause");
      return change.status === "done"
        ? { status: "ok", notice: "Paused: nothing more is sent until you resume." }
        : refused(change);
    }
    case "resume": {
      const change = await changeCampaignStatus(db, campaignId, "resume");
      if (change.status !== "done") return refused(change);
      return { status: "ok", notice: "Resumed." };
    }
    case "cancel": {
      const change = await changeCampaignStatus(db, campaignId, "cancel");
      return change.status === "done"
        ? {
            status: "ok",
            notice: "Cancelled: nothing more will be sent. Links already sent work until they expire.",
          }
        : refused(change);
    }
    case "remind": {
      const found = await getCampaign(db, campaignId);
      if (!found) return { status: "not_found" };
      if (!campaignAllows(found.campaign.status, "remind")) {
        return refused({ status: "not_allowed", current: found.campaign.status });
      }
      const { written } = await sendReminders(db, campaignId, { manual: true });
      await startDelivery();
      return {
        status: "ok",
        notice:
          written === 0
            ? "Nobody to remind: everyone has answered, closed their link or was reminded in the last 24 hours."
            : `Reminder sent to ${written} ${written === 1 ? "contact" : "contacts"} who have not answered.`,
      };
    }
  }
}
