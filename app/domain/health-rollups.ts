/**
 * Health rollups (docs/health-model.md, "Rollups"): what the pure health model says about one
 * account, shaped as the rows of `account_health`, `account_dimension_health` and
 * `health_monthly`. No I/O: health-rollups.server.ts loads the account's raw rows, calls
 * `computeAccountRollup` and stores what it returns, so a refresh and a rebuild of the same
 * rows at the same instant write the same rows.
 */
import {
  type accountDimensionHealth,
  type accountHealth,
  type healthMonthly,
  type InvitationStatus,
} from "../../db/schema";
import { HEALTH_DIMENSIONS } from "./dimensions";
import { DEFAULT_ROLLUP_WINDOW, ROLLUP_WINDOW_MONTHS, type RollupWindow } from "./health-windows";
import {
  computeAccountHealth,
  computeAccountNps,
  isWithinWindow,
  RELATIONSHIP_DIMENSIONS,
  respondentKey,
  responseHealth,
  roundScore,
  type CustomerAnswerRow,
  type LedgerInteractionRow,
  type PredictionRow,
} from "./health";
import { customerHasAnswered } from "./predictions";

export { DEFAULT_ROLLUP_WINDOW, ROLLUP_WINDOW_MONTHS, type RollupWindow };

/** The job that refreshes one account's rollups (`{ accountId }`), or every account's (`{}`). */
export const HEALTH_REFRESH_JOB = "health.refresh-account";
/** Nightly, 02:23 UTC: windows, decay and the silent rule move with time even when nothing is written. */
export const HEALTH_REFRESH_CRON = "23 2 * * *";

/** Invitations that never reached the customer say nothing about them (as for the silent flag). */
const UNDELIVERED: readonly InvitationStatus[] = ["queued", "bounced", "failed", "revoked"];

export interface RollupInvitationRow {
  contactId: string;
  sentAt: Date | null;
  status: InvitationStatus;
}

export interface RollupResponseRow {
  id: string;
  contactId: string | null;
  completedAt: Date;
  /** The campaign of the invitation it answered, if any: what a campaign's prediction waits for. */
  campaignId: string | null;
}

/** One value of a prediction, with what its seal waits for (predictions.ts). */
export interface RollupPredictionRow extends PredictionRow {
  /** The campaign whose answers it predicts; null: the account's next customer answer. */
  campaignId: string | null;
}

/** Everything the rollups of one account are computed from: its raw rows, read at `now`. */
export interface AccountRollupInput {
  accountId: string;
  now: Date;
  /** Scored answers of completed responses, any age. */
  answers: readonly CustomerAnswerRow[];
  /** Completed responses of any kind, with or without scored answers: customer voice. */
  responses: readonly RollupResponseRow[];
  /** Every prediction value; only those the customer has answered count (`answeredPredictions`). */
  predictions: readonly RollupPredictionRow[];
  interactions: readonly LedgerInteractionRow[];
  targetCadenceDays: number | null;
  /** Decision-makers and champions not opted out. */
  keyContactIds: readonly string[];
  invitations: readonly RollupInvitationRow[];
}

export type AccountHealthValues = typeof accountHealth.$inferInsert;
export type AccountDimensionHealthValues = typeof accountDimensionHealth.$inferInsert;
export type HealthMonthlyValues = typeof healthMonthly.$inferInsert;

export interface AccountRollup {
  account: AccountHealthValues[];
  dimensions: AccountDimensionHealthValues[];
  monthly: HealthMonthlyValues[];
}

/** The latest completed response at or before `now`, or null: when the customer last spoke. */
export function lastCustomerVoice(responses: readonly RollupResponseRow[], now: Date): Date | null {
  let last: Date | null = null;
  for (const response of responses) {
    if (response.completedAt <= now && (!last || response.completedAt > last)) last = response.completedAt;
  }
  return last;
}

export interface Reach {
  invitationsSent: number;
  invitationsCompleted: number;
  keyContacts: number;
  keyContactsAsked: number;
  keyContactsHeard: number;
}

/**
 * Response rate and key-contact coverage in the window: invitations sent in it that reached
 * the customer and how many were completed; of today's key contacts, how many were asked
 * (such an invitation) and how many were heard (a completed response of any kind in it).
 */
export function computeReach(input: AccountRollupInput, windowMonths: number): Reach {
  const { now } = input;
  const reached = input.invitations.filter(
    (i) =>
      i.sentAt !== null && !UNDELIVERED.includes(i.status) && isWithinWindow(i.sentAt, now, windowMonths),
  );
  const keys = new Set(input.keyContactIds);
  const asked = new Set(reached.map((i) => i.contactId).filter((id) => keys.has(id)));
  const heard = new Set(
    input.responses
      .filter((r) => r.contactId !== null && keys.has(r.contactId))
      .filter((r) => isWithinWindow(r.completedAt, now, windowMonths))
      .map((r) => r.contactId),
  );
  return {
    invitationsSent: reached.length,
    invitationsCompleted: reached.filter((i) => i.status === "completed").length,
    keyContacts: keys.size,
    keyContactsAsked: asked.size,
    keyContactsHeard: heard.size,
  };
}

/**
 * The predictions the rollups may count: those the customer has since answered (predictions.ts,
 * `customerHasAnswered`, by `now`). Rollups are the same for every viewer, and a prediction is
 * visible to anyone but its author only from then on — before, a team number that moved would
 * give a colleague's sealed prediction away.
 */
export function answeredPredictions(
  predictions: readonly RollupPredictionRow[],
  responses: readonly RollupResponseRow[],
  now: Date,
): RollupPredictionRow[] {
  const answers = responses
    .filter((r) => r.completedAt <= now)
    .map((r) => ({ completedAt: r.completedAt, campaignId: r.campaignId }));
  return predictions.filter((p) =>
    customerHasAnswered({ authorId: p.authorId, createdAt: p.madeAt, campaignId: p.campaignId }, answers),
  );
}

/** "2026-05-01" for any instant in May 2026 (UTC). */
export function monthOf(at: Date): string {
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}-01`;
}

/** The rows of each group at its latest instant (ties are kept together and averaged by the caller). */
function latestRowsBy<T extends { completedAt: Date }>(rows: readonly T[], key: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const held = groups.get(k);
    if (!held || row.completedAt > held[0]!.completedAt) groups.set(k, [row]);
    else if (row.completedAt.getTime() === held[0]!.completedAt.getTime()) held.push(row);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}

/**
 * One row per calendar month (UTC) with customer voice up to `now`: how many responses were
 * completed; NPS counts from each respondent's latest advocacy answer that month; and the sum
 * and count of each respondent's latest response health that month (health-model.md §8).
 */
export function computeMonthlyRollup(
  answers: readonly CustomerAnswerRow[],
  responses: readonly RollupResponseRow[],
  now: Date,
): Omit<HealthMonthlyValues, "accountId" | "computedAt">[] {
  const months = new Map<string, { responses: number; answers: CustomerAnswerRow[] }>();
  const monthFor = (key: string) => {
    const found = months.get(key) ?? { responses: 0, answers: [] };
    months.set(key, found);
    return found;
  };
  for (const response of responses) {
    if (response.completedAt <= now) monthFor(monthOf(response.completedAt)).responses += 1;
  }
  for (const row of answers) {
    if (row.completedAt <= now) monthFor(monthOf(row.completedAt)).answers.push(row);
  }
  const relationship = new Set<string>(RELATIONSHIP_DIMENSIONS);
  return [...months.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([month, { responses: count, answers: rows }]) => {
      const last = rows.reduce<Date | null>(
        (at, row) => (!at || row.completedAt > at ? row.completedAt : at),
        null,
      );
      // every row is in the month, so two months back from its last answer covers all of them
      const nps = last
        ? computeAccountNps(rows, { now: last, windowMonths: 2 })
        : { promoters: 0, passives: 0, detractors: 0, respondents: 0 };
      const healths = latestRowsBy(
        rows.filter((row) => relationship.has(row.dimension)),
        respondentKey,
      ).flatMap((group) => {
        const health = responseHealth(group);
        return health === null ? [] : [health];
      });
      return {
        month,
        responses: count,
        promoters: nps.promoters,
        passives: nps.passives,
        detractors: nps.detractors,
        npsRespondents: nps.respondents,
        healthSum: roundScore(healths.reduce((sum, h) => sum + h, 0)),
        healthCount: healths.length,
      };
    });
}

/** Every rollup row of one account: one `account_health` row and its dimensions per window, and its months. */
export function computeAccountRollup(input: AccountRollupInput): AccountRollup {
  const { accountId, now } = input;
  const lastCustomerVoiceAt = lastCustomerVoice(input.responses, now);
  const predictions = answeredPredictions(input.predictions, input.responses, now);
  const account: AccountHealthValues[] = [];
  const dimensions: AccountDimensionHealthValues[] = [];
  for (const windowMonths of ROLLUP_WINDOW_MONTHS) {
    const health = computeAccountHealth({
      now,
      windowMonths,
      answers: input.answers,
      predictions,
      interactions: input.interactions,
      targetCadenceDays: input.targetCadenceDays,
      keyContactIds: input.keyContactIds,
      invitations: input.invitations,
      lastCustomerVoiceAt,
    });
    const { customer, team, ledger, gap, nps } = health;
    account.push({
      accountId,
      windowMonths,
      customerHealth: customer.health.value,
      customerRespondents: customer.health.respondents,
      customerAnswers: customer.health.answers,
      customerConfidence: customer.health.confidence,
      nps: nps.nps,
      promoters: nps.promoters,
      passives: nps.passives,
      detractors: nps.detractors,
      npsRespondents: nps.respondents,
      teamHealth: team.health.value,
      teamPredictions: team.health.predictions,
      teamAuthors: team.health.authors,
      teamConfidence: team.health.confidence,
      ledgerScore: ledger.score,
      ledgerConfidence: ledger.confidence,
      ledgerInteractions: ledger.facts.interactions,
      equityBalance: ledger.facts.balance,
      healthGap: gap.health.gap,
      healthQuadrant: gap.health.quadrant,
      healthMisaligned: gap.health.misaligned,
      gapConfidence: gap.health.confidence,
      gapDimensions: HEALTH_DIMENSIONS.filter((dimension) => gap.dimensions[dimension].gap !== null).length,
      trendChange: health.trend.change,
      flags: health.flags,
      lastCustomerVoiceAt,
      ...computeReach(input, windowMonths),
      computedAt: now,
    });
    for (const dimension of HEALTH_DIMENSIONS) {
      const c = customer.dimensions[dimension];
      const t = team.dimensions[dimension];
      if (c.value === null && t.value === null) continue;
      const g = gap.dimensions[dimension];
      dimensions.push({
        accountId,
        windowMonths,
        dimension,
        customerValue: c.value,
        customerAnswers: c.answers,
        customerRespondents: c.respondents,
        customerConfidence: c.confidence,
        teamValue: t.value,
        teamPredictions: t.predictions,
        teamAuthors: t.authors,
        teamConfidence: t.confidence,
        gap: g.gap,
        misaligned: g.misaligned,
        quadrant: g.quadrant,
        weightedGap: g.weightedGap,
        gapConfidence: g.confidence,
        computedAt: now,
      });
    }
  }
  const monthly = computeMonthlyRollup(input.answers, input.responses, now).map((row) => ({
    ...row,
    accountId,
    computedAt: now,
  }));
  return { account, dimensions, monthly };
}
