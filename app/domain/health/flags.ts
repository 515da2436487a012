/**
 * The account flags (docs/health-model.md, §6 "Account flags"): silent, busy but shallow,
 * overdrawn and ledger disagrees, each with a sentence naming the numbers behind it.
 */
import type { InvitationStatus } from "../../../db/schema";
import { DEFAULT_EXPIRY_DAYS } from "../campaigns";
import { isoDay } from "../keep-in-touch";
import { computeGap, computeQuadrant, DEFAULT_GAP_THRESHOLDS, type GapThresholds } from "./gap";
import type { LedgerInteractionRow } from "./ledger";
import { ageInDays, mean, roundScore } from "./shared";

export const SILENT_AFTER_DAYS = 180;
/** An invitation still unanswered when its link would have expired (campaign default) is unanswered. */
export const UNANSWERED_AFTER_DAYS = DEFAULT_EXPIRY_DAYS;
export const BUSY_WINDOW_DAYS = 90;
export const BUSY_INTERACTION_COUNT = 10;
/** Mean engagement quality (1–5) below this is shallow: under "average". */
export const LOW_ENGAGEMENT_QUALITY = 3;

export type AccountFlagKind = "silent" | "busy_but_shallow" | "overdrawn" | "ledger_disagrees";

export interface AccountFlag {
  flag: AccountFlagKind;
  /** A sentence naming the numbers behind the flag. */
  reason: string;
}

export interface InvitationRow {
  sentAt: Date | null;
  status: InvitationStatus;
}

export interface FlagThresholds extends GapThresholds {
  silentAfterDays: number;
  unansweredAfterDays: number;
  busyWindowDays: number;
  busyInteractionCount: number;
  lowEngagementQuality: number;
}
export const DEFAULT_FLAG_THRESHOLDS: FlagThresholds = {
  ...DEFAULT_GAP_THRESHOLDS,
  silentAfterDays: SILENT_AFTER_DAYS,
  unansweredAfterDays: UNANSWERED_AFTER_DAYS,
  busyWindowDays: BUSY_WINDOW_DAYS,
  busyInteractionCount: BUSY_INTERACTION_COUNT,
  lowEngagementQuality: LOW_ENGAGEMENT_QUALITY,
};

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Never reached the customer, so their silence says nothing: not counted either way. */
const UNDELIVERED_STATUSES: readonly InvitationStatus[] = ["queued", "bounced", "failed", "revoked"];

/**
 * What an invitation says about the customer: answered (completed), unanswered (expired,
 * opted out, or not completed `unansweredAfterDays` after it was sent), or nothing yet.
 */
export function invitationOutcome(
  invitation: InvitationRow,
  now: Date,
  unansweredAfterDays: number = UNANSWERED_AFTER_DAYS,
): "answered" | "unanswered" | "pending" | "not_delivered" {
  if (!invitation.sentAt || invitation.sentAt > now || UNDELIVERED_STATUSES.includes(invitation.status)) {
    return "not_delivered";
  }
  if (invitation.status === "completed") return "answered";
  if (invitation.status === "expired" || invitation.status === "opted_out") return "unanswered";
  return ageInDays(invitation.sentAt, now) >= unansweredAfterDays ? "unanswered" : "pending";
}

/** The two most recent decided invitations (answered or unanswered), newest first; a tie puts answered first. */
function lastTwoDecided(invitations: readonly InvitationRow[], now: Date, unansweredAfterDays: number) {
  return invitations
    .map((invitation) => ({ invitation, outcome: invitationOutcome(invitation, now, unansweredAfterDays) }))
    .filter(
      (item): item is { invitation: InvitationRow & { sentAt: Date }; outcome: "answered" | "unanswered" } =>
        item.outcome === "answered" || item.outcome === "unanswered",
    )
    .sort(
      (a, b) =>
        b.invitation.sentAt.getTime() - a.invitation.sentAt.getTime() ||
        (a.outcome === "answered" ? -1 : 0) - (b.outcome === "answered" ? -1 : 0),
    )
    .slice(0, 2);
}

/**
 * Silent: no customer voice (a completed response) for more than `silentAfterDays`, or the
 * two most recent decided invitations both went unanswered with no customer voice since
 * the first of them was sent.
 */
export function silentFlag(
  input: { now: Date; lastCustomerVoiceAt: Date | null; invitations: readonly InvitationRow[] },
  thresholds: Pick<FlagThresholds, "silentAfterDays" | "unansweredAfterDays"> = DEFAULT_FLAG_THRESHOLDS,
): AccountFlag | null {
  const { now, lastCustomerVoiceAt } = input;
  const reasons: string[] = [];
  if (!lastCustomerVoiceAt) {
    reasons.push("No customer has answered a survey or interview yet.");
  } else {
    const days = ageInDays(lastCustomerVoiceAt, now);
    if (days > thresholds.silentAfterDays) {
      reasons.push(
        `No customer answer in ${days} days (last on ${isoDay(lastCustomerVoiceAt)}; silent after ${thresholds.silentAfterDays}).`,
      );
    }
  }
  const lastTwo = lastTwoDecided(input.invitations, now, thresholds.unansweredAfterDays);
  const [newer, older] = lastTwo;
  if (
    newer &&
    older &&
    newer.outcome === "unanswered" &&
    older.outcome === "unanswered" &&
    !(lastCustomerVoiceAt && lastCustomerVoiceAt >= older.invitation.sentAt)
  ) {
    reasons.push(
      `The last 2 invitations went unanswered (sent ${isoDay(older.invitation.sentAt)} and ${isoDay(newer.invitation.sentAt)}).`,
    );
  }
  return reasons.length === 0 ? null : { flag: "silent", reason: reasons.join(" ") };
}

/**
 * Busy but shallow: at least `busyInteractionCount` interactions of any kind in the last
 * `busyWindowDays` days, and either their mean engagement quality is below
 * `lowEngagementQuality` or the customer's health is below healthy.
 */
export function busyButShallowFlag(
  input: { now: Date; interactions: readonly LedgerInteractionRow[]; customerHealth: number | null },
  thresholds: Pick<
    FlagThresholds,
    "busyWindowDays" | "busyInteractionCount" | "lowEngagementQuality" | "healthyThreshold"
  > = DEFAULT_FLAG_THRESHOLDS,
): AccountFlag | null {
  const { now } = input;
  const recent = input.interactions.filter(
    (row) => row.occurredAt <= now && ageInDays(row.occurredAt, now) <= thresholds.busyWindowDays,
  );
  if (recent.length < thresholds.busyInteractionCount) return null;
  const qualities = recent.flatMap((row) => (row.engagementQuality === null ? [] : [row.engagementQuality]));
  const averageQuality = mean(qualities);
  const why: string[] = [];
  if (averageQuality !== null && averageQuality < thresholds.lowEngagementQuality) {
    why.push(
      `engagement quality averages ${averageQuality.toFixed(1)} of 5 over ${qualities.length} rated (below ${thresholds.lowEngagementQuality})`,
    );
  }
  if (input.customerHealth !== null && input.customerHealth < thresholds.healthyThreshold) {
    why.push(
      `the customer rates health ${formatNumber(input.customerHealth)} (below ${thresholds.healthyThreshold})`,
    );
  }
  if (why.length === 0) return null;
  return {
    flag: "busy_but_shallow",
    reason: `${recent.length} interactions in the last ${thresholds.busyWindowDays} days, but ${why.join(" and ")}.`,
  };
}

/** Overdrawn: the decayed equity balance is below zero. */
export function overdrawnFlag(balance: number): AccountFlag | null {
  // judged on the balance as shown (one decimal), so "−0.0" is never called overdrawn
  const shown = roundScore(balance);
  if (!(shown < 0)) return null;
  return {
    flag: "overdrawn",
    reason: `The equity balance is −${Math.abs(shown).toFixed(1)}: recent withdrawals outweigh deposits.`,
  };
}

/** Ledger disagrees: the team's health against the ledger score falls in the blind-spot quadrant. */
export function ledgerDisagreesFlag(
  teamHealth: number | null,
  ledgerScore: number | null,
  thresholds: GapThresholds = DEFAULT_GAP_THRESHOLDS,
): AccountFlag | null {
  if (computeQuadrant(teamHealth, ledgerScore, thresholds) !== "blind_spot") return null;
  return {
    flag: "ledger_disagrees",
    reason: `The team rates health ${formatNumber(teamHealth!)} but the ledger shows ${formatNumber(ledgerScore!)} (gap ${formatNumber(computeGap(teamHealth, ledgerScore)!)}).`,
  };
}

export interface AccountFlagInput {
  now: Date;
  lastCustomerVoiceAt: Date | null;
  invitations: readonly InvitationRow[];
  interactions: readonly LedgerInteractionRow[];
  customerHealth: number | null;
  teamHealth: number | null;
  ledger: { score: number; balance: number } | null;
}

/** Every flag that holds, in a fixed order: silent, busy but shallow, overdrawn, ledger disagrees. */
export function computeAccountFlags(
  input: AccountFlagInput,
  thresholds: Partial<FlagThresholds> = {},
): AccountFlag[] {
  const t: FlagThresholds = { ...DEFAULT_FLAG_THRESHOLDS, ...thresholds };
  const flags = [
    silentFlag(input, t),
    busyButShallowFlag(input, t),
    input.ledger ? overdrawnFlag(input.ledger.balance) : null,
    ledgerDisagreesFlag(input.teamHealth, input.ledger?.score ?? null, t),
  ];
  return flags.filter((flag): flag is AccountFlag => flag !== null);
}
