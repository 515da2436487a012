/**
 * A campaign's life after the draft: launch (the recipient list is fixed), the send (an
 * invitation, its token and its outbox message written together, in chunks), reminders,
 * expiry, pause, resume and cancel, and the minute tick that drives the scheduled parts.
 *
 * Every step is idempotent so a job that is retried or runs twice does no harm: a contact
 * gets one invitation per campaign (unique index), each email has an idempotency key, and
 * status changes say which statuses they start from.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import {
  accounts,
  campaignRecipients,
  campaigns,
  contacts,
  invitationTokens,
  invitations,
  outbox,
  surveyDefinitions,
  surveyVersions,
  users,
  type Campaign,
  type CampaignStatus,
} from "../../db/schema";
import type { Database, Executor, Transaction } from "../lib/db.server";
import { emailSettings } from "../lib/email.server";
import { getEnv, publicUrl } from "../lib/env.server";
import { log } from "../lib/log.server";
import {
  createCampaignMailer,
  senderLine,
  type CampaignEmailContext,
  type CampaignMailer,
} from "./campaign-emails.server";
import { campaignAllows, campaignExpiresAt, remindersDue, type CampaignAction } from "./campaigns";
import { planCampaignRecipients } from "./campaigns.server";
import { enqueueEmails } from "./outbox.server";
import { queueRollupRefreshes } from "./rollup-refresh.server";
import { hashSurveyToken, newSurveyToken } from "./survey-links.server";

/** Writes a launched campaign's invitations (data: { campaignId }). */
export const SEND_CAMPAIGN_JOB = "campaign.send";
/** Every minute: scheduled launches, unfinished sends, reminders, expiry. */
export const CAMPAIGN_TICK_JOB = "campaigns.tick";

/** Invitations written per transaction: small enough to keep locks short, large enough to be quick. */
const SEND_CHUNK = 500;
/** A manual "remind now" skips anyone reminded more recently than this. */
const MANUAL_REMINDER_GAP_MS = 24 * 60 * 60 * 1000;
/** Invitations a reminder can go to: sent and not yet answered or closed. */
const AWAITING_ANSWER = ["sent", "delivered", "opened", "started"] as const;
/** Invitations that are still open (expiry closes them). */
const OPEN = ["queued", ...AWAITING_ANSWER] as const;

export type CampaignChange =
  | { status: "done"; campaign: Campaign }
  | { status: "not_found" }
  | { status: "not_allowed"; current: CampaignStatus }
  | { status: "empty"; excluded: number }
  | { status: "invalid"; message: string };

/** Locks the campaign row and checks that it may take `action`. */
async function lockFor(tx: Transaction, campaignId: string, action: CampaignAction) {
  const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
  if (!campaign) return { status: "not_found" } as const;
  if (!campaignAllows(campaign.status, action))
    return { status: "not_allowed", current: campaign.status } as const;
  return { status: "ok", campaign } as const;
}

// ─── Launch ───────────────────────────────────────────────────────────────────

/**
 * Launches now: decides who is asked (fixed from here on, stored as campaign_recipients) and
 * makes the campaign live. The invitations are written by `sendCampaignInvitations`.
 */
export async function startCampaign(
  db: Database,
  campaignId: string,
  now = new Date(),
): Promise<CampaignChange> {
  return db.transaction((tx) => launchCampaignIn(tx, campaignId, now));
}

/** `startCampaign` inside the caller's transaction (a win/loss follow-up creates and launches in one). */
export async function launchCampaignIn(
  tx: Transaction,
  campaignId: string,
  now = new Date(),
): Promise<CampaignChange> {
  const locked = await lockFor(tx, campaignId, "launch");
  if (locked.status !== "ok") return locked;
  const { planned } = await planCampaignRecipients(tx, locked.campaign, now);
  const invited = planned.filter((p) => !p.excludedReason).length;
  if (invited === 0) return { status: "empty", excluded: planned.length };
  for (let i = 0; i < planned.length; i += 5_000) {
    await tx
      .insert(campaignRecipients)
      .values(
        planned.slice(i, i + 5_000).map((p) => ({
          campaignId,
          contactId: p.contactId,
          excludedReason: p.excludedReason,
          excludedDetail: p.excludedDetail,
        })),
      )
      .onConflictDoNothing();
  }
  const [campaign] = await tx
    .update(campaigns)
    .set({ status: "sending", launchedAt: now, updatedAt: now })
    .where(eq(campaigns.id, campaignId))
    .returning();
  log.info("campaign.launched", { campaignId, invited, excluded: planned.length - invited });
  return { status: "done", campaign: campaign! };
}

/** Schedules a draft for `at` (the tick launches it then; the audience is decided at that moment). */
export async function scheduleCampaign(db: Database, campaignId: string, at: Date, now = new Date()) {
  if (at.getTime() <= now.getTime())
    return { status: "invalid", message: "Choose a time in the future." } as const;
  if (at.getTime() > now.getTime() + 366 * 24 * 60 * 60 * 1000) {
    return { status: "invalid", message: "Schedule at most a year ahead." } as const;
  }
  return changeStatus(db, campaignId, "schedule", { status: "scheduled", scheduledAt: at });
}

// ─── Pause, resume, cancel ────────────────────────────────────────────────────

async function changeStatus(
  db: Database,
  campaignId: string,
  action: CampaignAction,
  set: Partial<typeof campaigns.$inferInsert>,
  also?: (tx: Transaction, campaign: Campaign) => Promise<void>,
): Promise<CampaignChange> {
  return db.transaction(async (tx) => {
    const locked = await lockFor(tx, campaignId, action);
    if (locked.status !== "ok") return locked;
    const [campaign] = await tx
      .update(campaigns)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(campaigns.id, campaignId))
      .returning();
    await also?.(tx, campaign!);
    log.info("campaign.changed", { campaignId, action });
    return { status: "done", campaign: campaign! };
  });
}

/** Holds the campaign: no more invitations or reminders are written and its unsent mail waits. */
export function pauseCampaign(db: Database, campaignId: string, now = new Date()) {
  return changeStatus(db, campaignId, "pause", { status: "paused", pausedAt: now });
}

export function resumeCampaign(db: Database, campaignId: string) {
  return changeStatus(db, campaignId, "resume", { status: "sending", pausedAt: null });
}

/**
 * Stops the campaign for good: mail not yet handed to the provider is cancelled and
 * invitations that never went out are withdrawn. Links already in inboxes keep working
 * until they expire — a customer may be halfway through — but nothing more is sent.
 */
export function cancelCampaign(db: Database, campaignId: string, now = new Date()) {
  return changeStatus(db, campaignId, "cancel", { status: "cancelled", cancelledAt: now }, async (tx) => {
    await cancelUnsentMail(tx, outbox.campaignId, [campaignId]);
    // only queued ones, which never reached anyone: the health rollups count from sent_at
    await tx
      .update(invitations)
      .set({ status: "revoked" })
      .where(and(eq(invitations.campaignId, campaignId), eq(invitations.status, "queued")));
  });
}

// ─── Writing invitations and reminders ────────────────────────────────────────

interface MailContextRow {
  ownerName: string;
  ownerEmail: string;
}

function mailContext(
  campaign: Campaign & { surveyTitle: string; surveyKind: string },
  owner: MailContextRow,
  kind: CampaignEmailContext["kind"],
  expiresAt: Date,
): CampaignEmailContext {
  const companyName = getEnv().COMPANY_NAME;
  return {
    kind,
    companyName,
    ownerName: owner.ownerName,
    from: senderLine(campaign.senderName ?? owner.ownerName, companyName, emailSettings().from),
    replyTo: campaign.replyTo ?? owner.ownerEmail,
    surveyTitle: campaign.surveyTitle,
    showScale: campaign.surveyKind === "relationship",
    expiresOn: expiresAt.toISOString().slice(0, 10),
    baseUrl: publicUrl(),
  };
}

async function campaignWithSurvey(tx: Executor, campaignId: string, lock: boolean) {
  const query = tx
    .select({ campaign: campaigns, surveyTitle: surveyDefinitions.title, surveyKind: surveyDefinitions.kind })
    .from(campaigns)
    .innerJoin(surveyVersions, eq(surveyVersions.id, campaigns.surveyVersionId))
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .where(eq(campaigns.id, campaignId));
  const [row] = lock ? await query.for("share", { of: campaigns }) : await query;
  return row ? { ...row.campaign, surveyTitle: row.surveyTitle, surveyKind: row.surveyKind } : null;
}

function reasonToSkip(contact: { optedOutAt: Date | null; bouncedAt: Date | null; email: string | null }) {
  if (contact.optedOutAt) return "opted_out" as const;
  if (contact.bouncedAt) return "bounced" as const;
  if (!contact.email) return "no_email" as const;
  return null;
}

/**
 * Writes the invitations of a live campaign that are still missing — each with its token and
 * its outbox message in the same transaction — in chunks, until all are written or the
 * campaign is no longer live (paused or cancelled in the meantime). Safe to run again at any
 * time: it only picks recipients without an invitation. Returns how many it wrote.
 */
export async function sendCampaignInvitations(
  db: Database,
  campaignId: string,
  options: {
    now?: Date;
    chunkSize?: number;
    mailer?: CampaignMailer;
    /** Called after each chunk is committed, e.g. to start delivering it while the next is written. */
    afterChunk?: () => Promise<void>;
  } = {},
): Promise<{ written: number }> {
  const mailer = options.mailer ?? createCampaignMailer();
  let written = 0;
  for (;;) {
    const wrote = await db.transaction(async (tx) => {
      const campaign = await campaignWithSurvey(tx, campaignId, true);
      if (!campaign || campaign.status !== "sending" || !campaign.launchedAt) return 0;
      const now = options.now ?? new Date();
      const rows = await tx
        .select({
          contactId: campaignRecipients.contactId,
          name: contacts.name,
          email: contacts.email,
          optedOutAt: contacts.optedOutAt,
          bouncedAt: contacts.bouncedAt,
          ownerName: users.name,
          ownerEmail: users.email,
        })
        .from(campaignRecipients)
        .innerJoin(contacts, eq(contacts.id, campaignRecipients.contactId))
        .innerJoin(accounts, eq(accounts.id, contacts.accountId))
        .innerJoin(users, eq(users.id, accounts.ownerId))
        .where(
          and(
            eq(campaignRecipients.campaignId, campaignId),
            isNull(campaignRecipients.excludedReason),
            isNull(campaignRecipients.invitationId),
          ),
        )
        .orderBy(asc(campaignRecipients.contactId))
        .limit(options.chunkSize ?? SEND_CHUNK)
        .for("update", { of: campaignRecipients, skipLocked: true });
      if (rows.length === 0) return 0;

      // Someone may have opted out (or bounced) since launch: they are left out now, with the reason.
      const leftOut = rows.map((r) => ({ ...r, reason: reasonToSkip(r) }));
      for (const reason of ["opted_out", "bounced", "no_email"] as const) {
        const ids = leftOut.filter((r) => r.reason === reason).map((r) => r.contactId);
        if (ids.length === 0) continue;
        await tx
          .update(campaignRecipients)
          .set({ excludedReason: reason, excludedDetail: "since launch" })
          .where(
            and(eq(campaignRecipients.campaignId, campaignId), inArray(campaignRecipients.contactId, ids)),
          );
      }
      const sendable = leftOut.filter((r) => r.reason === null);
      if (sendable.length === 0) return rows.length;

      const expiresAt = campaignExpiresAt(campaign.launchedAt, campaign.expiresAfterDays);
      const made = sendable.map((r) => ({ ...r, invitationId: randomUUID(), token: newSurveyToken() }));
      await tx.insert(invitations).values(
        made.map((m) => ({
          id: m.invitationId,
          campaignId,
          contactId: m.contactId,
          surveyVersionId: campaign.surveyVersionId,
          // a win/loss follow-up's campaign: the answers link to the deal (responses inherit it)
          opportunityId: campaign.opportunityId,
          status: "queued" as const,
          createdById: campaign.createdById,
          expiresAt,
          createdAt: now,
        })),
      );
      await tx.insert(invitationTokens).values(
        made.map((m) => ({
          tokenHash: hashSurveyToken(m.token),
          invitationId: m.invitationId,
          createdAt: now,
        })),
      );
      const emails = await Promise.all(
        made.map((m) =>
          mailer(mailContext(campaign, m, "invitation", expiresAt), {
            contactName: m.name,
            toAddress: m.email!,
            token: m.token,
            invitationId: m.invitationId,
            campaignId,
            idempotencyKey: `invitation:${m.invitationId}`,
          }),
        ),
      );
      await enqueueEmails(tx, emails, now);
      await tx.execute(sql`
        update ${campaignRecipients} set invitation_id = ${invitations.id}
        from ${invitations}
        where ${campaignRecipients.campaignId} = ${campaignId}
          and ${invitations.campaignId} = ${campaignId}
          and ${invitations.contactId} = ${campaignRecipients.contactId}
          and ${campaignRecipients.invitationId} is null`);
      return rows.length;
    });
    if (wrote === 0) break;
    written += wrote;
    await options.afterChunk?.();
  }
  if (written > 0) log.info("campaign.invitations_written", { campaignId, written });
  return { written };
}

/**
 * Sends the reminders that are due: to every invitation of a live campaign that went out,
 * is not answered or closed, and has had fewer reminders than have fallen due by `now`
 * (one email even when several are overdue, e.g. after a pause). With `manual`, every such
 * invitation of the campaign gets one more reminder now, except those reminded in the last
 * 24 hours; it counts as the next planned one, so nobody is nudged twice in a row.
 * Each reminder carries a fresh link token. Returns how many were written.
 */
export async function sendReminders(
  db: Database,
  campaignId: string,
  options: { now?: Date; manual?: boolean; mailer?: CampaignMailer; chunkSize?: number } = {},
): Promise<{ written: number }> {
  const mailer = options.mailer ?? createCampaignMailer();
  let written = 0;
  for (;;) {
    const wrote = await db.transaction(async (tx) => {
      const campaign = await campaignWithSurvey(tx, campaignId, true);
      if (!campaign || campaign.status !== "sending" || !campaign.launchedAt) return 0;
      const now = options.now ?? new Date();
      const due = remindersDue(campaign.launchedAt, campaign.reminderOffsetsDays, now);
      if (!options.manual && due === 0) return 0;
      const rows = await tx
        .select({
          invitationId: invitations.id,
          remindersSent: invitations.remindersSent,
          expiresAt: invitations.expiresAt,
          name: contacts.name,
          email: contacts.email,
          ownerName: users.name,
          ownerEmail: users.email,
        })
        .from(invitations)
        .innerJoin(contacts, eq(contacts.id, invitations.contactId))
        .innerJoin(accounts, eq(accounts.id, contacts.accountId))
        .innerJoin(users, eq(users.id, accounts.ownerId))
        .where(
          and(
            eq(invitations.campaignId, campaignId),
            inArray(invitations.status, [...AWAITING_ANSWER]),
            gt(invitations.expiresAt, now),
            isNull(contacts.optedOutAt),
            isNull(contacts.bouncedAt),
            isNotNull(contacts.email),
            options.manual
              ? or(
                  isNull(invitations.lastRemindedAt),
                  lt(invitations.lastRemindedAt, new Date(now.getTime() - MANUAL_REMINDER_GAP_MS)),
                )
              : lt(invitations.remindersSent, due),
          ),
        )
        .orderBy(asc(invitations.id))
        .limit(options.chunkSize ?? SEND_CHUNK)
        .for("update", { of: invitations, skipLocked: true });
      if (rows.length === 0) return 0;
      const made = rows.map((r) => ({
        ...r,
        token: newSurveyToken(),
        number: options.manual ? r.remindersSent + 1 : Math.max(due, r.remindersSent + 1),
      }));
      await tx.insert(invitationTokens).values(
        made.map((m) => ({
          tokenHash: hashSurveyToken(m.token),
          invitationId: m.invitationId,
          createdAt: now,
        })),
      );
      const emails = await Promise.all(
        made.map((m) =>
          mailer(mailContext(campaign, m, "reminder", m.expiresAt!), {
            contactName: m.name,
            toAddress: m.email!,
            token: m.token,
            invitationId: m.invitationId,
            campaignId,
            idempotencyKey: `reminder:${m.invitationId}:${m.number}`,
          }),
        ),
      );
      await enqueueEmails(tx, emails, now);
      for (const number of new Set(made.map((m) => m.number))) {
        await tx
          .update(invitations)
          .set({ remindersSent: number, lastRemindedAt: now })
          .where(
            inArray(
              invitations.id,
              made.filter((m) => m.number === number).map((m) => m.invitationId),
            ),
          );
      }
      return rows.length;
    });
    if (wrote === 0) break;
    written += wrote;
  }
  if (written > 0)
    log.info("campaign.reminders_written", { campaignId, written, manual: Boolean(options.manual) });
  return { written };
}

// ─── Expiry and the tick ──────────────────────────────────────────────────────

/** Cancels the mail not yet handed to the provider for these invitations or campaigns. */
async function cancelUnsentMail(
  tx: Transaction,
  column: typeof outbox.invitationId | typeof outbox.campaignId,
  ids: string[],
) {
  if (ids.length === 0) return;
  await tx
    .update(outbox)
    .set({ status: "cancelled" })
    .where(and(eq(outbox.status, "pending"), inArray(column, ids)));
}

/**
 * Closes what has run out: open invitations past their expiry become `expired` (and their
 * unsent reminders are cancelled); live or paused campaigns whose links have all expired
 * become `completed`.
 */
export async function expireCampaigns(db: Database, now = new Date()) {
  const { expired, ...result } = await db.transaction(async (tx) => {
    const expired = await tx
      .update(invitations)
      .set({ status: "expired" })
      .from(contacts)
      .where(
        and(
          inArray(invitations.status, [...OPEN]),
          lte(invitations.expiresAt, now),
          eq(contacts.id, invitations.contactId),
        ),
      )
      .returning({ id: invitations.id, accountId: contacts.accountId });
    await cancelUnsentMail(
      tx,
      outbox.invitationId,
      expired.map((e) => e.id),
    );
    const completed = await tx
      .update(campaigns)
      .set({ status: "completed", completedAt: now, updatedAt: now })
      .where(
        and(
          inArray(campaigns.status, ["sending", "paused"]),
          sql`${campaigns.launchedAt} + make_interval(days => ${campaigns.expiresAfterDays}) <= ${now.toISOString()}::timestamptz`,
        ),
      )
      .returning({ id: campaigns.id });
    await cancelUnsentMail(
      tx,
      outbox.campaignId,
      completed.map((c) => c.id),
    );
    return { expired, expiredInvitations: expired.length, completedCampaigns: completed.length };
  });
  // after the commit: an expired invitation went unanswered (docs/health-model.md, "Silent")
  await queueRollupRefreshes(expired.map((e) => e.accountId));
  return result;
}

/**
 * The minute tick: launches scheduled campaigns that are due, finishes sends that stopped
 * half-way (a crashed job, a resumed campaign), writes due reminders, and expires. Returns
 * how much mail it wrote so the caller can start delivery.
 */
export async function runCampaignTick(db: Database, now = new Date()) {
  const due = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.status, "scheduled"), lte(campaigns.scheduledAt, now)));
  for (const { id } of due) {
    const started = await startCampaign(db, id, now);
    if (started.status === "empty") {
      await cancelCampaign(db, id, now);
      log.warn("campaign.nobody_to_invite", { campaignId: id, excluded: started.excluded });
    }
  }
  const mailer = createCampaignMailer();
  let written = 0;
  const live = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.status, "sending"));
  for (const { id } of live) {
    written += (await sendCampaignInvitations(db, id, { now, mailer })).written;
    written += (await sendReminders(db, id, { now, mailer })).written;
  }
  const expiry = await expireCampaigns(db, now);
  return { launched: due.length, written, ...expiry };
}
