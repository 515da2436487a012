/**
 * A closed deal's follow-up with its buyers (docs/winloss-program.md): recorded whenever a
 * deal closes — on the deal page, by CSV import, or through `closeOpportunityFromSync` (the
 * API's entry) — and carried out by the `winloss.followups` job once it is due.
 *
 * The seller's reasons come first: a follow-up of a deal closed without them waits in
 * `waiting_for_seller`, and only `recordSellerReasons` (which seals them) schedules it. The
 * job asks nobody about a deal whose reasons are not sealed, whatever the row says.
 */
import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray, isNull, lte, ne, or, sql } from "drizzle-orm";
import {
  accounts,
  campaigns,
  contacts,
  interviewTasks,
  opportunities,
  surveyDefinitions,
  surveyVersions,
  winlossFollowups,
  type CampaignExclusionReason,
  type WinlossFollowup,
} from "../../db/schema";
import type { Database, Executor, Transaction } from "../lib/db.server";
import { log } from "../lib/log.server";
import { launchCampaignIn, sendCampaignInvitations } from "./campaign-send.server";
import { DEFAULT_ASK_BUDGET_PER_QUARTER, EXCLUSION_LABELS, type Audience } from "./campaigns";
import { planCampaignRecipients } from "./campaigns.server";
import {
  BUYER_ROLES,
  INTERVIEW_DUE_AFTER_DAYS,
  STALE_CLOSE_DAYS,
  closedTooLongAgo,
  followUpDueAt,
  isoDay,
  matchFollowUp,
  type FollowUpStatus,
} from "./winloss-program";
import { listWinlossRules } from "./winloss-rules.server";

/** Win/loss campaigns skip the contact-frequency window (see processDueFollowups). */
export const WINLOSS_FREQUENCY_WINDOW_DAYS = 0;

/** Every minute: follow-ups whose time has come. */
export const WINLOSS_FOLLOWUPS_JOB = "winloss.followups";
/** Follow-ups one run takes on; the next minute's run takes the rest. */
const RUN_LIMIT = 200;
const CAMPAIGN_NAME_MAX = 200;

// ─── Recording a close ────────────────────────────────────────────────────────

/**
 * Records the follow-up of each given deal that is closed and has none yet, matched against
 * the rules as they are now. Call it in the transaction that closed the deals; a deal that
 * already has a follow-up (closed twice, a re-imported file) is left alone. Returns how many
 * it recorded.
 */
export async function recordClosedDeals(
  db: Executor,
  opportunityIds: readonly string[],
  now = new Date(),
): Promise<number> {
  if (opportunityIds.length === 0) return 0;
  const rules = await listWinlossRules(db);
  let recorded = 0;
  for (let i = 0; i < opportunityIds.length; i += 5_000) {
    const deals = await db
      .select({
        id: opportunities.id,
        outcome: opportunities.outcome,
        amountCents: opportunities.amountCents,
        closeDate: opportunities.closeDate,
        closedAt: opportunities.closedAt,
        sellerReasonsAt: opportunities.sellerReasonsAt,
        segment: accounts.segment,
      })
      .from(opportunities)
      .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
      .leftJoin(winlossFollowups, eq(winlossFollowups.opportunityId, opportunities.id))
      .where(
        and(
          inArray(opportunities.id, opportunityIds.slice(i, i + 5_000)),
          ne(opportunities.outcome, "open"),
          isNull(winlossFollowups.id),
        ),
      );
    if (deals.length === 0) continue;
    const rows = deals.map((deal) => {
      const matched = matchFollowUp(rules, deal);
      const closedAt = deal.closedAt ?? now;
      const { status, skipReason } = initialStatus(matched.action, deal, closedAt, now);
      return {
        opportunityId: deal.id,
        ruleId: matched.ruleId,
        ruleSummary: matched.summary,
        action: matched.action,
        delayDays: matched.delayDays,
        status,
        skipReason,
        closedAt,
        dueAt: followUpDueAt(closedAt, matched.delayDays),
        scheduledAt: status === "scheduled" ? now : null,
        processedAt: status === "skipped" ? now : null,
        createdAt: now,
        updatedAt: now,
      };
    });
    const inserted = await db
      .insert(winlossFollowups)
      .values(rows)
      .onConflictDoNothing()
      .returning({ id: winlossFollowups.id });
    recorded += inserted.length;
  }
  if (recorded > 0) log.info("winloss.followups_recorded", { recorded });
  return recorded;
}

function initialStatus(
  action: WinlossFollowup["action"],
  deal: { closeDate: string | null; sellerReasonsAt: Date | null },
  closedAt: Date,
  now: Date,
): { status: FollowUpStatus; skipReason: string | null } {
  const closeDay = deal.closeDate ?? isoDay(closedAt);
  if (closedTooLongAgo(closeDay, now)) {
    return { status: "skipped", skipReason: tooOld(closeDay) };
  }
  if (action === "none") return { status: "skipped", skipReason: "the matching rule asks for no follow-up" };
  if (!deal.sellerReasonsAt) return { status: "waiting_for_seller", skipReason: null };
  return { status: "scheduled", skipReason: null };
}

function tooOld(closeDay: string): string {
  return `the deal closed on ${closeDay}, more than ${STALE_CLOSE_DAYS} days ago: too late to ask the buyers`;
}

/**
 * The seller's reasons were just sealed (in `tx`): the deal's follow-up waiting for them is
 * scheduled, and a closed deal that never had one (it closed before the program existed)
 * gets one now.
 */
export async function scheduleAfterSellerReasons(tx: Transaction, opportunityId: string, now = new Date()) {
  await recordClosedDeals(tx, [opportunityId], now);
  await tx
    .update(winlossFollowups)
    .set({ status: "scheduled", scheduledAt: now, updatedAt: now })
    .where(
      and(
        eq(winlossFollowups.opportunityId, opportunityId),
        eq(winlossFollowups.status, "waiting_for_seller"),
      ),
    );
}

// ─── The job ──────────────────────────────────────────────────────────────────

export interface FollowUpRunResult {
  invited: number;
  tasksOpened: number;
  skipped: number;
  failed: number;
  /** Invitations written for the new campaigns: the caller starts delivery when any were. */
  written: number;
}

type Claimed = NonNullable<Awaited<ReturnType<typeof claim>>>;

/**
 * Carries out the follow-ups that are due. Each one is claimed in its own transaction with a
 * row lock that concurrent runs skip (SKIP LOCKED), and only while it is still `scheduled`:
 * of two runs at the same moment, one does the work and the other finds it done, so a deal
 * never gets two campaigns or two tasks. A follow-up that fails is logged and left scheduled
 * for the next run.
 */
export async function processDueFollowups(
  db: Database,
  options: { now?: Date; limit?: number } = {},
): Promise<FollowUpRunResult> {
  const now = options.now ?? new Date();
  const result: FollowUpRunResult = { invited: 0, tasksOpened: 0, skipped: 0, failed: 0, written: 0 };
  const due = await db
    .select({ id: winlossFollowups.id })
    .from(winlossFollowups)
    .where(and(eq(winlossFollowups.status, "scheduled"), lte(winlossFollowups.dueAt, now)))
    .orderBy(asc(winlossFollowups.dueAt), asc(winlossFollowups.id))
    .limit(options.limit ?? RUN_LIMIT);
  for (const { id } of due) {
    try {
      const done = await db.transaction(async (tx) => {
        const claimed = await claim(tx, id, now);
        return claimed ? carryOut(tx, claimed, now) : null;
      });
      if (!done) continue;
      if (done.status === "invited") {
        result.invited += 1;
        // after the commit, like a launch from the campaign page; the campaign tick finishes it if this fails
        result.written += (await sendCampaignInvitations(db, done.campaignId, { now })).written;
      } else if (done.status === "task_opened") result.tasksOpened += 1;
      else result.skipped += 1;
    } catch (error) {
      result.failed += 1;
      log.error("winloss.followup_failed", { followupId: id, error });
    }
  }
  if (due.length > 0) log.info("winloss.followups_processed", { ...result });
  return result;
}

async function claim(tx: Transaction, followupId: string, now: Date) {
  const [row] = await tx
    .select({
      id: winlossFollowups.id,
      action: winlossFollowups.action,
      dueAt: winlossFollowups.dueAt,
      closedAt: winlossFollowups.closedAt,
      opportunityId: opportunities.id,
      opportunityName: opportunities.name,
      outcome: opportunities.outcome,
      closeDate: opportunities.closeDate,
      sellerReasonsAt: opportunities.sellerReasonsAt,
      accountId: accounts.id,
      ownerId: accounts.ownerId,
    })
    .from(winlossFollowups)
    .innerJoin(opportunities, eq(opportunities.id, winlossFollowups.opportunityId))
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .where(
      and(
        eq(winlossFollowups.id, followupId),
        eq(winlossFollowups.status, "scheduled"),
        lte(winlossFollowups.dueAt, now),
      ),
    )
    .for("update", { of: winlossFollowups, skipLocked: true });
  return row ?? null;
}

type Done =
  | { status: "invited"; campaignId: string }
  | { status: "task_opened"; taskId: string }
  | { status: "skipped"; reason: string }
  | { status: "waiting_for_seller" };

async function carryOut(tx: Transaction, followup: Claimed, now: Date): Promise<Done> {
  const finish = (set: Partial<typeof winlossFollowups.$inferInsert>) =>
    tx
      .update(winlossFollowups)
      .set({ ...set, processedAt: now, updatedAt: now })
      .where(eq(winlossFollowups.id, followup.id));
  const skip = async (reason: string): Promise<Done> => {
    await finish({ status: "skipped", skipReason: reason });
    log.info("winloss.followup_skipped", { followupId: followup.id, reason });
    return { status: "skipped", reason };
  };

  // Belt and braces: "scheduled" means sealed, but no buyer is ever asked before the seller.
  if (!followup.sellerReasonsAt) {
    await tx
      .update(winlossFollowups)
      .set({ status: "waiting_for_seller", scheduledAt: null, updatedAt: now })
      .where(eq(winlossFollowups.id, followup.id));
    return { status: "waiting_for_seller" };
  }
  if (followup.outcome === "open") return skip("the deal was reopened before its follow-up was due");
  const closeDay = followup.closeDate ?? isoDay(followup.closedAt);
  if (closedTooLongAgo(closeDay, now)) return skip(tooOld(closeDay));

  switch (followup.action) {
    case "none":
      return skip("the matching rule asks for no follow-up");
    case "interview": {
      const taskId = await insertInterviewTask(tx, {
        opportunityId: followup.opportunityId,
        contactId: (await firstBuyer(tx, followup.accountId))?.id ?? null,
        assigneeId: followup.ownerId,
        // a week after it was due, or after today when the seller's reasons came late
        dueOn: isoDay(
          followUpDueAt(
            new Date(Math.max(followup.dueAt.getTime(), now.getTime())),
            INTERVIEW_DUE_AFTER_DAYS,
          ),
        ),
        createdById: null,
        now,
      });
      await finish({ status: "task_opened", interviewTaskId: taskId });
      log.info("winloss.interview_task_opened", { followupId: followup.id, taskId });
      return { status: "task_opened", taskId };
    }
    case "survey": {
      const version = await latestWinlossVersion(tx);
      if (!version) return skip("no win/loss survey is imported (surveys/win-loss.json)");
      const buyers = await countBuyers(tx, followup.accountId);
      if (buyers === 0) return skip("no buyer contacts");
      const campaignId = randomUUID();
      const audience: Audience = {
        accountIds: [followup.accountId],
        segments: [],
        regions: [],
        tiers: [],
        ownerIds: [],
        buyingRoles: [...BUYER_ROLES],
        emails: [],
      };
      // The buyers are asked about a decision they just made: a relationship survey last month
      // is no reason to wait (no frequency window), but the account's quarterly ask budget
      // still protects them from being asked too often.
      const rules = {
        frequencyWindowDays: WINLOSS_FREQUENCY_WINDOW_DAYS,
        askBudgetPerQuarter: DEFAULT_ASK_BUDGET_PER_QUARTER,
      };
      // Who the campaign would ask, before it exists: when nobody can be asked, say why and make no campaign.
      const { planned } = await planCampaignRecipients(tx, { id: campaignId, audience, ...rules }, now);
      if (!planned.some((p) => !p.excludedReason)) return skip(nobodyToAsk(planned));
      await tx.insert(campaigns).values({
        id: campaignId,
        name: `Win/loss: ${followup.opportunityName}`.slice(0, CAMPAIGN_NAME_MAX),
        surveyVersionId: version.id,
        audience,
        ...rules,
        opportunityId: followup.opportunityId,
        createdById: null,
        createdAt: now,
        updatedAt: now,
      });
      const launched = await launchCampaignIn(tx, campaignId, now);
      if (launched.status !== "done") throw new Error(`launching the win/loss campaign: ${launched.status}`);
      await finish({ status: "invited", campaignId });
      log.info("winloss.campaign_started", { followupId: followup.id, campaignId });
      return { status: "invited", campaignId };
    }
  }
}

/** The newest version of any win/loss survey: an uploaded revision replaces the checked-in one. */
async function latestWinlossVersion(tx: Executor) {
  const [version] = await tx
    .select({ id: surveyVersions.id })
    .from(surveyVersions)
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .where(eq(surveyDefinitions.kind, "winloss"))
    .orderBy(desc(surveyVersions.createdAt), desc(surveyVersions.version))
    .limit(1);
  return version ?? null;
}

const isBuyer = (accountId: string) =>
  and(
    eq(contacts.accountId, accountId),
    inArray(contacts.buyingRole, [...BUYER_ROLES]),
    isNull(contacts.optedOutAt),
  );

async function countBuyers(tx: Executor, accountId: string): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(contacts).where(isBuyer(accountId));
  return row?.n ?? 0;
}

/** The buyer an interview task starts with: a decision-maker first, then a champion, then an influencer. */
async function firstBuyer(tx: Executor, accountId: string) {
  const [contact] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(isBuyer(accountId))
    .orderBy(
      sql`array_position(array['decision_maker', 'champion', 'influencer']::buying_role[], ${contacts.buyingRole})`,
      asc(contacts.name),
      asc(contacts.id),
    )
    .limit(1);
  return contact ?? null;
}

function nobodyToAsk(planned: { excludedReason: CampaignExclusionReason | null }[]): string {
  const byReason = new Map<CampaignExclusionReason, number>();
  for (const p of planned) {
    if (p.excludedReason) byReason.set(p.excludedReason, (byReason.get(p.excludedReason) ?? 0) + 1);
  }
  const parts = [...byReason].map(([reason, n]) => `${n} × ${EXCLUSION_LABELS[reason].toLowerCase()}`);
  return `none of the ${planned.length} buyer contacts can be asked (${parts.join("; ")})`;
}

/**
 * Opens the interview task (here rather than in interview-tasks.server.ts, which records
 * interviews and so reaches the job runner's imports: jobs.server imports this module).
 */
async function insertInterviewTask(
  db: Executor,
  input: {
    opportunityId: string;
    contactId: string | null;
    assigneeId: string;
    dueOn: string;
    createdById: string | null;
    now: Date;
  },
): Promise<string> {
  const [task] = await db
    .insert(interviewTasks)
    .values({
      opportunityId: input.opportunityId,
      contactId: input.contactId,
      assigneeId: input.assigneeId,
      dueOn: input.dueOn,
      createdById: input.createdById,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .returning({ id: interviewTasks.id });
  return task!.id;
}

// ─── Reads ────────────────────────────────────────────────────────────────────

/** A deal's follow-up, or null (still open, or closed before the program existed). */
export async function getFollowup(db: Executor, opportunityId: string) {
  const [row] = await db
    .select()
    .from(winlossFollowups)
    .where(eq(winlossFollowups.opportunityId, opportunityId));
  return row ?? null;
}

/**
 * Closed deals that still lack the seller's reasons and are this person's to give: they are
 * the seller, or the account owner when no seller is recorded. Oldest close first.
 */
export async function dealsAwaitingSellerReasons(db: Database, userId: string, limit = 50) {
  return db
    .select({
      id: opportunities.id,
      name: opportunities.name,
      outcome: opportunities.outcome,
      closeDate: opportunities.closeDate,
      closedAt: opportunities.closedAt,
      accountId: accounts.id,
      accountName: accounts.name,
    })
    .from(opportunities)
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .where(
      and(
        ne(opportunities.outcome, "open"),
        isNull(opportunities.sellerReasonsAt),
        or(
          eq(opportunities.sellerId, userId),
          and(isNull(opportunities.sellerId), eq(accounts.ownerId, userId)),
        ),
      ),
    )
    .orderBy(sql`${opportunities.closedAt} asc nulls last`, asc(opportunities.name), asc(opportunities.id))
    .limit(limit);
}

/** The most recent follow-ups, for the settings page: what the rules actually did. */
export async function listRecentFollowups(db: Database, limit = 25) {
  return db
    .select({
      id: winlossFollowups.id,
      opportunityId: opportunities.id,
      opportunityName: opportunities.name,
      accountName: accounts.name,
      outcome: opportunities.outcome,
      ruleSummary: winlossFollowups.ruleSummary,
      status: winlossFollowups.status,
      skipReason: winlossFollowups.skipReason,
      dueAt: winlossFollowups.dueAt,
      campaignId: winlossFollowups.campaignId,
      interviewTaskId: winlossFollowups.interviewTaskId,
      createdAt: winlossFollowups.createdAt,
    })
    .from(winlossFollowups)
    .innerJoin(opportunities, eq(opportunities.id, winlossFollowups.opportunityId))
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .orderBy(desc(winlossFollowups.createdAt), asc(winlossFollowups.id))
    .limit(limit);
}
