import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { outbox } from "../../db/schema";
import type { Database, Executor } from "../lib/db.server";
import {
  EmailSendError,
  RESEND_BATCH_LIMIT,
  emailSettings,
  sendOutboxBatch,
  type EmailSettings,
} from "../lib/email.server";
import { log } from "../lib/log.server";

/** The job that sends the outbox (see jobs.server.ts). */
export const DELIVER_EMAIL_JOB = "email.deliver";

/** After this many tries that failed for a passing reason, a message is given up as failed. */
export const MAX_SEND_ATTEMPTS = 8;

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
    .values({
      kind: message.kind,
      toAddress: message.to,
      fromAddress: message.from ?? emailSettings().from,
      replyTo: message.replyTo ?? null,
      subject: message.subject,
      html: message.html,
      text: message.text,
      headers: message.headers ?? {},
      invitationId: message.invitationId ?? null,
      idempotencyKey: message.idempotencyKey,
    })
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

export type DeliveryResult =
  | { mode: "outbox-only" }
  | {
      mode: "resend";
      sent: number;
      failed: number;
      /** Set when the provider asked us to wait: run delivery again after this long. */
      retryAfterMs?: number;
    };

/**
 * Sends pending outbox messages through Resend, up to `batchSize` (≤ 100) a request, until
 * none are left or the provider asks us to wait.
 *
 * Each batch is claimed, sent and settled in one transaction that holds its rows with
 * `FOR UPDATE SKIP LOCKED`: a second worker skips them, and a crash mid-send rolls them back
 * to pending; the retry then carries the same Idempotency-Key, so Resend answers it without
 * a second email. Only pending rows are claimed, so a sent message is never sent again.
 *
 * Without RESEND_API_KEY nothing is sent: the outbox itself is the mail (/dev/outbox).
 */
export async function deliverPendingEmails(
  db: Database,
  options: { batchSize?: number; now?: Date; settings?: EmailSettings } = {},
): Promise<DeliveryResult> {
  const settings = options.settings ?? emailSettings();
  if (!settings.apiKey) return { mode: "outbox-only" };
  const batchSize = Math.max(1, Math.min(options.batchSize ?? RESEND_BATCH_LIMIT, RESEND_BATCH_LIMIT));
  const result = {
    mode: "resend" as const,
    sent: 0,
    failed: 0,
    retryAfterMs: undefined as number | undefined,
  };

  for (;;) {
    const outcome = await db.transaction(async (tx) => {
      const claimed = await tx
        .select()
        .from(outbox)
        .where(eq(outbox.status, "pending"))
        .orderBy(asc(outbox.createdAt), asc(outbox.id))
        .limit(batchSize)
        .for("update", { skipLocked: true });
      if (claimed.length === 0) return { claimed: 0 };
      const ids = claimed.map((m) => m.id);
      const attempts = Math.max(...claimed.map((m) => m.attempts)) + 1;
      await tx
        .update(outbox)
        .set({ status: "sending", attempts: sql`${outbox.attempts} + 1` })
        .where(inArray(outbox.id, ids));

      try {
        const sent = await sendOutboxBatch(claimed, settings);
        const providerIds = sql.join(
          sent.map((s) => sql`when ${s.id}::uuid then ${s.providerMessageId}`),
          sql` `,
        );
        await tx
          .update(outbox)
          .set({
            status: "sent",
            providerMessageId: sql`case ${outbox.id} ${providerIds} end`,
            sentAt: options.now ?? new Date(),
            lastError: null,
          })
          .where(inArray(outbox.id, ids));
        log.info("email.sent", { count: sent.length });
        return { claimed: claimed.length, sent: sent.length };
      } catch (error) {
        // Anything else is a bug here: let it roll the claim back and fail the job.
        if (!(error instanceof EmailSendError)) throw error;
        if (error.retryable && attempts < MAX_SEND_ATTEMPTS) {
          await tx
            .update(outbox)
            .set({ status: "pending", lastError: error.message })
            .where(inArray(outbox.id, ids));
          const retryAfterMs = error.retryAfterMs ?? backoffMs(attempts);
          log.warn("email.retry-later", { count: ids.length, attempts, retryAfterMs, error: error.message });
          return { claimed: claimed.length, retryAfterMs };
        }
        await tx
          .update(outbox)
          .set({ status: "failed", lastError: error.message })
          .where(and(inArray(outbox.id, ids), eq(outbox.status, "sending")));
        log.error("email.failed", { count: ids.length, attempts, error: error.message });
        return { claimed: claimed.length, failed: claimed.length };
      }
    });
    if (outcome.claimed === 0) break;
    result.sent += outcome.sent ?? 0;
    result.failed += outcome.failed ?? 0;
    if (outcome.retryAfterMs !== undefined) {
      // Stop here: the rest would meet the same limit or outage.
      result.retryAfterMs = outcome.retryAfterMs;
      break;
    }
  }
  const { retryAfterMs, ...counts } = result;
  return retryAfterMs === undefined ? counts : { ...counts, retryAfterMs };
}

/** 1 min, 2 min, 4 min … for the nth failed try, at most 30 min. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}
