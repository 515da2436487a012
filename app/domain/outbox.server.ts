import { and, asc, eq, inArray, isNull, lte, notExists, or, sql } from "drizzle-orm";
import { campaigns, contacts, invitations, outbox, outboxBatches, type OutboxMessage } from "../../db/schema";
import { retryWhileDatabaseUnreachable, type Database, type Executor } from "../lib/db.server";
import {
  EmailSendError,
  RESEND_BATCH_LIMIT,
  createRequestPacer,
  defaultSleep,
  emailSettings,
  sendOutboxBatch,
  type EmailSettings,
  type RequestPacer,
  type SentEmail,
} from "../lib/email.server";
import { log } from "../lib/log.server";
import { applyEarlyEmailEvents } from "./email-events.server";
import { queueRollupRefreshes } from "./rollup-refresh.server";

/** The job that sends the outbox (see jobs.server.ts). */
export const DELIVER_EMAIL_JOB = "email.deliver";

/** After this many tries that failed for a passing reason, a batch is given up as failed. */
export const MAX_SEND_ATTEMPTS = 8;

/** How long a worker holds a claimed batch; a crashed worker's batch is sent again after it. */
export const BATCH_LEASE_MS = 2 * 60_000;

/** A provider's "wait" up to this long is waited out in the running job; longer ones reschedule it. */
const INLINE_WAIT_LIMIT_MS = 5_000;

export interface NewEmail {
  /** invitation, reminder, case_alert, sign_in … */
  kind: string;
  to: string;
  /** Default: EMAIL_FROM. */
  from?: string;
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  /** Extra email headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
  invitationId?: string | null;
  /** Campaign mail is held while the campaign is paused and dropped when it is cancelled. */
  campaignId?: string | null;
  /** Names the message for good, e.g. `invitation:<id>`: enqueueing it again adds nothing. */
  idempotencyKey: string;
}

/**
 * Writes a message to the outbox (pending). Call it inside the transaction that decides to
 * send, so the message exists exactly when that decision does. Enqueueing the same
 * idempotency key again returns the first message and `created: false`.
 */
export async function enqueueEmail(
  db: Executor,
  message: NewEmail,
): Promise<{ id: string; created: boolean }> {
  const [inserted] = await db
    .insert(outbox)
    .values(outboxRow(message, emailSettings().from))
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning({ id: outbox.id });
  if (inserted) return { id: inserted.id, created: true };
  const [existing] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(eq(outbox.idempotencyKey, message.idempotencyKey));
  // The conflict means the row exists; it is never deleted, only its status changes.
  return { id: existing!.id, created: false };
}

function outboxRow(message: NewEmail, defaultFrom: string) {
  return {
    kind: message.kind,
    toAddress: message.to,
    fromAddress: message.from ?? defaultFrom,
    replyTo: message.replyTo ?? null,
    subject: message.subject,
    html: message.html,
    text: message.text,
    headers: message.headers ?? {},
    invitationId: message.invitationId ?? null,
    campaignId: message.campaignId ?? null,
    idempotencyKey: message.idempotencyKey,
  };
}

/**
 * Writes many messages at once (a campaign's chunk), in the caller's transaction. Keys that
 * are already in the outbox add nothing. Returns how many were new.
 */
export async function enqueueEmails(
  db: Executor,
  messages: readonly NewEmail[],
  now = new Date(),
): Promise<number> {
  if (messages.length === 0) return 0;
  const from = emailSettings().from;
  const inserted = await db
    .insert(outbox)
    .values(messages.map((message) => ({ ...outboxRow(message, from), createdAt: now })))
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning({ id: outbox.id });
  return inserted.length;
}

export type DeliveryResult =
  | { mode: "outbox-only" }
  | {
      mode: "resend";
      sent: number;
      failed: number;
      /** Set when the provider asked us to wait: run delivery again after this long. */
      retryAfterMs?: number;
    };

export interface DeliveryOptions {
  /** At most this many messages a request (≤ 100). */
  batchSize?: number;
  /** A fixed clock, for tests: with it, nothing is waited out in-process. */
  now?: Date;
  settings?: EmailSettings;
  leaseMs?: number;
}

/**
 * Sends the outbox through Resend until nothing is due or the provider asks for a long wait.
 *
 * Mail goes out in batches (≤ 100 a request). A batch is claimed in a short transaction —
 * its messages are fixed and marked `sending`, and the batch is leased to this worker — then
 * sent with the batch id as Idempotency-Key, then settled. Every later try of that batch
 * (after a 5xx, a timeout, or a worker that died before it settled) sends the identical
 * request under the same key, so the provider answers it without sending twice; only a
 * batch whose lease has run out is tried again, so two workers never send one at once.
 * Mail of a paused, cancelled or not yet launched campaign is not claimed.
 *
 * Without RESEND_API_KEY nothing is sent: the outbox itself is the mail (/dev/outbox).
 */
export async function deliverPendingEmails(
  db: Database,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const settings = options.settings ?? emailSettings();
  if (!settings.apiKey) return { mode: "outbox-only" };
  const batchSize = Math.max(1, Math.min(options.batchSize ?? RESEND_BATCH_LIMIT, RESEND_BATCH_LIMIT));
  const leaseMs = options.leaseMs ?? BATCH_LEASE_MS;
  const clock = () => options.now ?? new Date();
  const pacer = pacerFor(settings.requestsPerSecond);
  let sent = 0;
  let failed = 0;

  for (;;) {
    const batch = await claimBatch(db, { batchSize, leaseMs, now: clock() });
    if (!batch) {
      const waitMs = await nextRetryInMs(db, clock());
      if (waitMs === null) return { mode: "resend", sent, failed };
      if (options.now || waitMs > INLINE_WAIT_LIMIT_MS)
        return { mode: "resend", sent, failed, retryAfterMs: waitMs };
      await defaultSleep(waitMs);
      continue;
    }
    const outcome = await sendAndSettle(db, batch, settings, clock, pacer, leaseMs);
    if (outcome === "sent") sent += batch.messages.length;
    if (outcome === "failed") failed += batch.messages.length;
  }
}

interface ClaimedBatch {
  id: string;
  attempts: number;
  messages: OutboxMessage[];
}

/**
 * The next batch to send: first an unfinished one whose retry time has come and whose lease
 * has run out (the same messages again), else a new one made of the oldest pending mail.
 */
async function claimBatch(
  db: Database,
  { batchSize, leaseMs, now }: { batchSize: number; leaseMs: number; now: Date },
): Promise<ClaimedBatch | null> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  return db.transaction(async (tx) => {
    const [due] = await tx
      .select({ id: outboxBatches.id })
      .from(outboxBatches)
      .where(
        and(
          eq(outboxBatches.status, "sending"),
          lte(outboxBatches.nextAttemptAt, now),
          lte(outboxBatches.leaseUntil, now),
        ),
      )
      .orderBy(asc(outboxBatches.createdAt))
      .limit(1)
      .for("update", { skipLocked: true });
    if (due) {
      const [batch] = await tx
        .update(outboxBatches)
        .set({ attempts: sql`${outboxBatches.attempts} + 1`, leaseUntil })
        .where(eq(outboxBatches.id, due.id))
        .returning({ id: outboxBatches.id, attempts: outboxBatches.attempts });
      await tx
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1` })
        .where(eq(outbox.batchId, due.id));
      const messages = await tx
        .select()
        .from(outbox)
        .where(eq(outbox.batchId, due.id))
        .orderBy(asc(outbox.createdAt), asc(outbox.id));
      return { id: batch!.id, attempts: batch!.attempts, messages };
    }

    const pending = await tx
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.status, "pending"),
          or(
            isNull(outbox.campaignId),
            notExists(
              tx
                .select({ one: sql`1` })
                .from(campaigns)
                .where(
                  and(
                    eq(campaigns.id, outbox.campaignId),
                    inArray(campaigns.status, ["draft", "scheduled", "paused", "cancelled"]),
                  ),
                ),
            ),
          ),
        ),
      )
      .orderBy(asc(outbox.createdAt), asc(outbox.id))
      .limit(batchSize)
      .for("update", { of: outbox, skipLocked: true });
    if (pending.length === 0) return null;
    const [batch] = await tx
      .insert(outboxBatches)
      .values({ leaseUntil, nextAttemptAt: now, createdAt: now })
      .returning({ id: outboxBatches.id, attempts: outboxBatches.attempts });
    const ids = pending.map((m) => m.id);
    await tx
      .update(outbox)
      .set({ status: "sending", batchId: batch!.id, attempts: sql`${outbox.attempts} + 1` })
      .where(inArray(outbox.id, ids));
    return { id: batch!.id, attempts: batch!.attempts, messages: pending };
  });
}

/** Sends one claimed batch and records what came of it. */
async function sendAndSettle(
  db: Database,
  batch: ClaimedBatch,
  settings: EmailSettings,
  clock: () => Date,
  pacer: RequestPacer,
  leaseMs: number,
): Promise<"sent" | "retry" | "failed"> {
  const answered = await pacer.wait();
  const claimedAt = Date.now();
  try {
    const sent = await sendOutboxBatch(batch.id, batch.messages, settings).finally(answered);
    const now = clock();
    // Resend has sent the batch and only this process knows the ids it answered. A database
    // that is restarting must not lose them: the write waits for it (within the lease, while
    // no other worker may take the batch) rather than leave the batch to be sent again when
    // the lease runs out, with its invitations unsent meanwhile and its delivery events
    // matching no message.
    const reached = await retryWhileDatabaseUnreachable(() => settleSent(db, batch, sent, now), {
      withinMs: Math.max(0, leaseMs / 2 - (Date.now() - claimedAt)),
      onRetry: (error) =>
        log.warn("email.settle_waiting_for_database", { batch: batch.id, error: String(error) }),
    });
    log.info("email.sent", { batch: batch.id, count: sent.length, attempts: batch.attempts });
    // after the commit: a sent invitation counts in its account's reach (docs/health-model.md, "Rollups")
    await queueRollupRefreshes(reached);
    return "sent";
  } catch (error) {
    // Anything else is a bug here: the lease runs out and the batch is tried again later.
    if (!(error instanceof EmailSendError)) throw error;
    const now = clock();
    // A 429 refused the request before looking at it: it is the whole team's limit, not this
    // batch's fault, so every request waits and the try does not count towards giving up.
    const rateLimited = error.statusCode === 429;
    if (rateLimited || (error.retryable && batch.attempts < MAX_SEND_ATTEMPTS)) {
      const waitMs = error.retryAfterMs ?? backoffMs(batch.attempts);
      if (rateLimited) pacer.pause(waitMs);
      const uncount = rateLimited ? { attempts: sql`${outboxBatches.attempts} - 1` } : {};
      await db.transaction(async (tx) => {
        await tx
          .update(outboxBatches)
          .set({
            nextAttemptAt: new Date(now.getTime() + waitMs),
            leaseUntil: now,
            lastError: error.message,
            ...uncount,
          })
          .where(eq(outboxBatches.id, batch.id));
        await tx
          .update(outbox)
          .set({
            lastError: error.message,
            ...(rateLimited ? { attempts: sql`${outbox.attempts} - 1` } : {}),
          })
          .where(eq(outbox.batchId, batch.id));
      });
      log.warn("email.retry-later", {
        batch: batch.id,
        attempts: batch.attempts,
        waitMs,
        error: error.message,
      });
      return "retry";
    }
    await db.transaction(async (tx) => {
      await tx
        .update(outboxBatches)
        .set({ status: "failed", lastError: error.message })
        .where(eq(outboxBatches.id, batch.id));
      await tx
        .update(outbox)
        .set({ status: "failed", lastError: error.message })
        .where(eq(outbox.batchId, batch.id));
      const invited = invitationIdsOf(batch, "invitation");
      // queued and failed alike never reached the customer: the rollups have nothing to refresh
      if (invited.length > 0) {
        await tx
          .update(invitations)
          .set({ status: "failed", failureReason: error.message })
          .where(and(inArray(invitations.id, invited), eq(invitations.status, "queued")));
      }
    });
    log.error("email.failed", { batch: batch.id, count: batch.messages.length, error: error.message });
    return "failed";
  }
}

/**
 * Records a batch Resend accepted: each message's provider id, its invitations as sent, and
 * any delivery events that arrived before the ids did. Returns the accounts to refresh.
 */
function settleSent(db: Database, batch: ClaimedBatch, sent: SentEmail[], now: Date): Promise<string[]> {
  return db.transaction(async (tx) => {
    const providerIds = sql.join(
      sent.map((s) => sql`when ${s.id}::uuid then ${s.providerMessageId}`),
      sql` `,
    );
    await tx
      .update(outboxBatches)
      .set({ status: "sent", sentAt: now, lastError: null })
      .where(eq(outboxBatches.id, batch.id));
    await tx
      .update(outbox)
      .set({
        status: "sent",
        providerMessageId: sql`case ${outbox.id} ${providerIds} end`,
        sentAt: now,
        lastError: null,
      })
      .where(eq(outbox.batchId, batch.id));
    const invited = invitationIdsOf(batch, "invitation");
    const reached =
      invited.length === 0
        ? []
        : await tx
            .update(invitations)
            .set({ status: "sent", sentAt: now })
            .from(contacts)
            .where(
              and(
                inArray(invitations.id, invited),
                eq(invitations.status, "queued"),
                eq(contacts.id, invitations.contactId),
              ),
            )
            .returning({ accountId: contacts.accountId });
    const messages = new Map(batch.messages.map((m) => [m.id, m]));
    const early = await applyEarlyEmailEvents(
      tx,
      sent.flatMap((s) => {
        const message = messages.get(s.id);
        return message ? [{ ...message, providerMessageId: s.providerMessageId }] : [];
      }),
    );
    return [...reached.map((r) => r.accountId), ...early];
  });
}

/** The invitations whose first email a batch carries (a reminder leaves its invitation as it was). */
function invitationIdsOf(batch: ClaimedBatch, kind: string): string[] {
  return batch.messages.filter((m) => m.invitationId && m.kind === kind).map((m) => m.invitationId!);
}

/** How long until the next unfinished batch may be tried, or null when none is waiting. */
async function nextRetryInMs(db: Database, now: Date): Promise<number | null> {
  const [row] = await db
    .select({
      at: sql<Date>`min(greatest(${outboxBatches.nextAttemptAt}, ${outboxBatches.leaseUntil}))`.mapWith(
        (value: string | Date) => new Date(value),
      ),
    })
    .from(outboxBatches)
    .where(eq(outboxBatches.status, "sending"));
  if (!row?.at || Number.isNaN(row.at.getTime())) return null;
  return Math.max(0, row.at.getTime() - now.getTime());
}

const pacers = new Map<number, RequestPacer>();

/** One pacer per process and rate: every delivery run in this process shares the spacing. */
function pacerFor(requestsPerSecond: number) {
  let pacer = pacers.get(requestsPerSecond);
  if (!pacer) {
    pacer = createRequestPacer(requestsPerSecond);
    pacers.set(requestsPerSecond, pacer);
  }
  return pacer;
}

/** 1 min, 2 min, 4 min … for the nth failed try, at most 30 min. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}
