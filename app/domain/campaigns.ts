/**
 * Campaign rules without I/O: who of an audience is asked and who is left out (and why),
 * when reminders fall due, and how a funnel is read. campaigns.server.ts feeds these from
 * the database; tests/unit/campaigns.test.ts checks them by hand.
 */
import { z } from "zod";
import type { CampaignExclusionReason, CampaignStatus } from "../../db/schema";

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_FREQUENCY_WINDOW_DAYS = 90;
export const DEFAULT_ASK_BUDGET_PER_QUARTER = 3;
export const DEFAULT_REMINDER_OFFSETS_DAYS = [3, 7] as const;
export const DEFAULT_EXPIRY_DAYS = 21;
/** Pasted lists and pickers beyond this many entries are refused rather than silently cut. */
export const MAX_AUDIENCE_LIST = 5_000;

// ─── The audience rule ────────────────────────────────────────────────────────

/**
 * Which contacts a campaign is for. Every field that is set narrows the audience (AND);
 * values inside one field widen it (OR). An explicit list of addresses stands on its own:
 * when given, only those contacts are considered, still filtered by the other fields.
 */
export const audienceSchema = z.object({
  accountIds: z.array(z.string().uuid()).max(MAX_AUDIENCE_LIST).default([]),
  segments: z.array(z.enum(["enterprise", "mid_market", "smb"])).default([]),
  regions: z.array(z.string().min(1).max(100)).max(200).default([]),
  tiers: z.array(z.enum(["strategic", "key", "core"])).default([]),
  ownerIds: z.array(z.string().uuid()).max(1_000).default([]),
  buyingRoles: z.array(z.enum(["decision_maker", "influencer", "user", "champion"])).default([]),
  emails: z.array(z.string().min(3).max(320)).max(MAX_AUDIENCE_LIST).default([]),
});
export type Audience = z.output<typeof audienceSchema>;

/** A stored audience (jsonb) read back; anything unreadable counts as "nobody chosen yet". */
export function parseAudience(value: unknown): Audience {
  const parsed = audienceSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : audienceSchema.parse({});
}

/** True when the rule names at least one criterion; an empty rule would mean "everyone". */
export function audienceIsChosen(audience: Audience): boolean {
  return Object.values(audience).some((values) => values.length > 0);
}

/** Addresses from a pasted list: split on commas, semicolons, white space; lower-cased; repeats once. */
export function parseEmailList(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,;]+/)) {
    const address = part.trim().replace(/^<|>$/g, "").toLowerCase();
    if (address) seen.add(address);
  }
  return [...seen];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function isEmailAddress(value: string): boolean {
  return value.length <= 320 && EMAIL.test(value);
}

// ─── Who is asked ─────────────────────────────────────────────────────────────

export interface AudienceCandidate {
  contactId: string;
  accountId: string;
  name: string;
  email: string | null;
  buyingRole: "decision_maker" | "influencer" | "user" | "champion";
  optedOutAt: Date | null;
  bouncedAt: Date | null;
  /** The contact's most recent invitation from any other campaign or link. */
  lastInvitedAt: Date | null;
}

export interface FrequencyRules {
  frequencyWindowDays: number;
  askBudgetPerQuarter: number;
}

export interface PlannedRecipient {
  contactId: string;
  accountId: string;
  excludedReason: CampaignExclusionReason | null;
  excludedDetail: string | null;
}

/** Decision-makers and champions are asked first when an account's ask budget runs short. */
const ROLE_PRIORITY = { decision_maker: 0, champion: 1, influencer: 2, user: 3 } as const;

export const EXCLUSION_LABELS: Record<CampaignExclusionReason, string> = {
  no_email: "No usable email address",
  opted_out: "Opted out of surveys",
  bounced: "Email bounced before",
  duplicate_email: "Same address as another contact in this audience",
  recently_surveyed: "Surveyed within the contact-frequency window",
  over_ask_budget: "Over the account's ask budget for this quarter",
};

/**
 * Decides, for every candidate, whether the campaign asks them. In this order: a usable
 * address, not opted out, not bounced, not a second contact with the same address, not
 * surveyed within the frequency window, and within the account's ask budget — at most N
 * contacts of one account asked in a calendar quarter, counting those other campaigns and
 * links already asked (`askedThisQuarter`). Within an account, decision-makers and champions
 * come first, then by name, so the same audience always gives the same plan.
 */
export function planRecipients(
  candidates: readonly AudienceCandidate[],
  rules: FrequencyRules,
  askedThisQuarter: ReadonlyMap<string, number>,
  now: Date,
): PlannedRecipient[] {
  const windowStart = now.getTime() - rules.frequencyWindowDays * DAY_MS;
  const ordered = [...candidates].sort(
    (a, b) =>
      a.accountId.localeCompare(b.accountId) ||
      ROLE_PRIORITY[a.buyingRole] - ROLE_PRIORITY[b.buyingRole] ||
      a.name.localeCompare(b.name) ||
      a.contactId.localeCompare(b.contactId),
  );
  const asked = new Map(askedThisQuarter);
  const addresses = new Set<string>();
  return ordered.map((candidate) => {
    const exclude = (reason: CampaignExclusionReason, detail: string | null = null): PlannedRecipient => ({
      contactId: candidate.contactId,
      accountId: candidate.accountId,
      excludedReason: reason,
      excludedDetail: detail,
    });
    const email = candidate.email?.trim().toLowerCase() ?? "";
    if (!email) return exclude("no_email");
    if (!isEmailAddress(email)) return exclude("no_email", `“${email.slice(0, 60)}” is not an email address`);
    if (candidate.optedOutAt) return exclude("opted_out", `since ${isoDay(candidate.optedOutAt)}`);
    if (candidate.bouncedAt) return exclude("bounced", `on ${isoDay(candidate.bouncedAt)}`);
    if (addresses.has(email)) return exclude("duplicate_email", email);
    addresses.add(email);
    if (candidate.lastInvitedAt && candidate.lastInvitedAt.getTime() > windowStart) {
      return exclude(
        "recently_surveyed",
        `asked on ${isoDay(candidate.lastInvitedAt)}, within ${rules.frequencyWindowDays} days`,
      );
    }
    const already = asked.get(candidate.accountId) ?? 0;
    if (already >= rules.askBudgetPerQuarter) {
      return exclude(
        "over_ask_budget",
        `${already} of ${rules.askBudgetPerQuarter} contacts at this account asked this quarter`,
      );
    }
    asked.set(candidate.accountId, already + 1);
    return {
      contactId: candidate.contactId,
      accountId: candidate.accountId,
      excludedReason: null,
      excludedDetail: null,
    };
  });
}

/** The first instant of the calendar quarter (UTC) that `now` falls in. */
export function quarterStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1));
}

// ─── Reminders and expiry ─────────────────────────────────────────────────────

/** How many of the planned reminders have fallen due `now` for a campaign launched at `launchedAt`. */
export function remindersDue(launchedAt: Date, offsetsDays: readonly number[], now: Date): number {
  return offsetsDays.filter((days) => launchedAt.getTime() + days * DAY_MS <= now.getTime()).length;
}

/** When a campaign's links stop working. */
export function campaignExpiresAt(launchedAt: Date, expiresAfterDays: number): Date {
  return new Date(launchedAt.getTime() + expiresAfterDays * DAY_MS);
}

/**
 * Reminder offsets as typed ("3, 7"): whole days after launch, each after the one before
 * and before the links expire. Returns the days or a message naming the bad value.
 */
export function parseReminderOffsets(
  text: string,
  expiresAfterDays: number,
): { ok: true; days: number[] } | { ok: false; message: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length > 5) return { ok: false, message: "At most 5 reminders: nobody wants more." };
  const days: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part))
      return { ok: false, message: `“${part.slice(0, 20)}” is not a whole number of days.` };
    const day = Number(part);
    if (day < 1) return { ok: false, message: "A reminder goes at least 1 day after launch." };
    if (day >= expiresAfterDays) {
      return { ok: false, message: `Day ${day} is not before the links expire (day ${expiresAfterDays}).` };
    }
    if (days.length > 0 && day <= days[days.length - 1]!) {
      return {
        ok: false,
        message: `Reminders must come in order; day ${day} follows day ${days[days.length - 1]}.`,
      };
    }
    days.push(day);
  }
  return { ok: true, days };
}

// ─── Status changes ───────────────────────────────────────────────────────────

export type CampaignAction = "launch" | "schedule" | "pause" | "resume" | "cancel" | "remind" | "edit";

const ALLOWED: Record<CampaignAction, readonly CampaignStatus[]> = {
  launch: ["draft", "scheduled"],
  schedule: ["draft"],
  edit: ["draft", "scheduled"],
  pause: ["sending"],
  resume: ["paused"],
  cancel: ["draft", "scheduled", "sending", "paused"],
  remind: ["sending"],
};

/** Whether a campaign in `status` may take `action` (the page offers only these buttons). */
export function campaignAllows(status: CampaignStatus, action: CampaignAction): boolean {
  return ALLOWED[action].includes(status);
}

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  sending: "Live",
  paused: "Paused",
  completed: "Completed",
  cancelled: "Cancelled",
};

// ─── The funnel ───────────────────────────────────────────────────────────────

export interface FunnelCounts {
  recipients: number;
  invited: number;
  sent: number;
  delivered: number;
  opened: number;
  started: number;
  completed: number;
  bounced: number;
  optedOut: number;
  expired: number;
  failed: number;
}

/** Completed answers per invitation that went out, 0–100 with one decimal; null before any went out. */
export function responseRate(completed: number, sent: number): number | null {
  return sent === 0 ? null : Math.round((completed / sent) * 1000) / 10;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
