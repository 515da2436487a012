/**
 * Outgoing webhooks (docs/webhooks.md): endpoints, emitting an event inside the write that
 * causes it, and delivering it — signed, leased, retried with backoff.
 */
import type { ZodError } from "zod";
import { and, arrayContains, count, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import {
  opportunities,
  users,
  webhookDeliveries,
  webhookEndpoints,
  type WebhookDelivery,
  type WebhookEndpoint,
} from "../../db/schema";
import type { Database, Executor } from "../lib/db.server";
import { log } from "../lib/log.server";
import { newWebhookSecret, signWebhook, webhookEventId } from "./webhook-signature.server";
import {
  WEBHOOK_TEST_EVENT,
  truncateError,
  webhookEndpointInputSchema,
  webhookRetryDelayMs,
  type WebhookEventType,
} from "./webhooks";

/** The job that delivers due webhooks (see jobs.server.ts). */
export const WEBHOOK_DELIVER_JOB = "webhooks.deliver";

/** How long a receiver has to answer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** How long a worker holds a claimed delivery; a crashed worker's is tried again after it. */
const DELIVERY_LEASE_MS = 60_000;

export interface EmitOptions {
  /** What the event is about (e.g. the response id): emitting it again queues nothing more. */
  key?: string;
  /** Only this endpoint, subscribed or not (the "Send test" button). */
  endpointId?: string;
  now?: Date;
}

/**
 * Queues `type` for every enabled endpoint subscribed to it. Call it inside the transaction
 * of the write the event reports, so the event exists exactly when the write committed; then,
 * after the commit, `startWebhookDelivery()` (the minute schedule picks up any it misses).
 * Returns how many deliveries were queued.
 */
export async function emitWebhookEvent(
  tx: Executor,
  type: WebhookEventType | typeof WEBHOOK_TEST_EVENT,
  data: Record<string, unknown>,
  options: EmitOptions = {},
): Promise<number> {
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      options.endpointId
        ? eq(webhookEndpoints.id, options.endpointId)
        : and(eq(webhookEndpoints.enabled, true), arrayContains(webhookEndpoints.events, [type])),
    );
  if (endpoints.length === 0) return 0;
  const now = options.now ?? new Date();
  const eventId = webhookEventId(type, options.key);
  const payload = { id: eventId, type, timestamp: now.toISOString(), data };
  const inserted = await tx
    .insert(webhookDeliveries)
    .values(
      endpoints.map((endpoint) => ({
        endpointId: endpoint.id,
        eventType: type,
        eventId,
        payload,
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing({ target: [webhookDeliveries.endpointId, webhookDeliveries.eventId] })
    .returning({ id: webhookDeliveries.id });
  return inserted.length;
}

/** Whether any enabled endpoint subscribes to `type`: a bulk write asks once, not per row. */
async function anySubscriber(tx: Executor, type: WebhookEventType): Promise<boolean> {
  const [row] = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.enabled, true), arrayContains(webhookEndpoints.events, [type])))
    .limit(1);
  return row !== undefined;
}

/**
 * `opportunity.closed` for deals that have just closed — on the deal page, through the API
 * or by a CSV import — in the transaction that closed them. Keyed by the deal, so a deal
 * reopened and closed again is announced once.
 */
export async function emitOpportunitiesClosed(
  tx: Executor,
  opportunityIds: readonly string[],
  now = new Date(),
): Promise<number> {
  if (opportunityIds.length === 0 || !(await anySubscriber(tx, "opportunity.closed"))) return 0;
  let queued = 0;
  for (let i = 0; i < opportunityIds.length; i += 1_000) {
    const deals = await tx
      .select()
      .from(opportunities)
      .where(inArray(opportunities.id, opportunityIds.slice(i, i + 1_000)));
    for (const deal of deals) {
      if (deal.outcome === "open") continue;
      const opportunity = {
        id: deal.id,
        account_id: deal.accountId,
        external_id: deal.externalId,
        name: deal.name,
        outcome: deal.outcome,
        close_date: deal.closeDate,
        amount_cents: deal.amountCents,
        competitor: deal.competitor,
        closed_at: (deal.closedAt ?? now).toISOString(),
        seller_primary_reason: deal.sellerPrimaryReason,
      };
      queued += await emitWebhookEvent(tx, "opportunity.closed", { opportunity }, { key: deal.id, now });
    }
  }
  return queued;
}

/**
 * Asks the worker to deliver now rather than at the next minute. jobs.server imports this
 * module for the job's name and handler, so it is imported when first called (see
 * rollup-refresh.server.ts). The write is committed either way: a failure is logged, not thrown.
 */
export async function startWebhookDelivery(): Promise<void> {
  try {
    const { sendJob } = await import("../lib/jobs.server");
    await sendJob(WEBHOOK_DELIVER_JOB, {});
  } catch (error) {
    log.warn("webhooks.delivery_not_queued", { error });
  }
}

export interface WebhookDeliveryOptions {
  /** A fixed clock, for tests. */
  now?: Date;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface WebhookDeliveryRun {
  succeeded: number;
  failed: number;
  abandoned: number;
}

/**
 * Delivers every due webhook, one claimed delivery at a time. A claim takes the row with
 * SKIP LOCKED, counts the try and leases it, in a short transaction; the POST happens
 * outside any transaction; the outcome is then written. A worker that dies mid-POST leaves
 * the lease to run out, and the delivery is tried again — receivers dedupe on `webhook-id`.
 */
export async function deliverDueWebhooks(
  db: Database,
  options: WebhookDeliveryOptions = {},
): Promise<WebhookDeliveryRun> {
  const run: WebhookDeliveryRun = { succeeded: 0, failed: 0, abandoned: 0 };
  const clock = () => options.now ?? new Date();
  for (;;) {
    const claimed = await claimDelivery(db, clock());
    if (!claimed) return run;
    run[await sendAndSettle(db, claimed, clock, options)] += 1;
  }
}

interface ClaimedDelivery {
  delivery: WebhookDelivery;
  url: string;
  secret: string;
}

async function claimDelivery(db: Database, now: Date): Promise<ClaimedDelivery | null> {
  return db.transaction(async (tx) => {
    const [due] = await tx
      .select({ id: webhookDeliveries.id, url: webhookEndpoints.url, secret: webhookEndpoints.secret })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(
        and(
          inArray(webhookDeliveries.status, ["pending", "failed"]),
          lte(webhookDeliveries.nextAttemptAt, now),
          or(isNull(webhookDeliveries.leaseUntil), lte(webhookDeliveries.leaseUntil, now)),
          // a disabled endpoint's deliveries wait; enabling it again sends them
          eq(webhookEndpoints.enabled, true),
        ),
      )
      .orderBy(webhookDeliveries.nextAttemptAt, webhookDeliveries.createdAt)
      .limit(1)
      .for("update", { of: webhookDeliveries, skipLocked: true });
    if (!due) return null;
    const [delivery] = await tx
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        leaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS),
        updatedAt: now,
      })
      .where(eq(webhookDeliveries.id, due.id))
      .returning();
    return { delivery: delivery!, url: due.url, secret: due.secret };
  });
}

async function sendAndSettle(
  db: Database,
  { delivery, url, secret }: ClaimedDelivery,
  clock: () => Date,
  options: WebhookDeliveryOptions,
): Promise<"succeeded" | "failed" | "abandoned"> {
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(clock().getTime() / 1000);
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Rapport-Webhooks/1",
        "webhook-id": delivery.eventId,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signWebhook(secret, delivery.eventId, timestamp, body),
      },
      body,
      // a redirect is an answer that is not 2xx, never followed
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
    });
    statusCode = response.status;
    await response.body?.cancel().catch(() => undefined);
    if (statusCode < 200 || statusCode > 299) error = `The endpoint answered HTTP ${statusCode}.`;
  } catch (thrown) {
    error =
      thrown instanceof Error && (thrown.name === "TimeoutError" || thrown.name === "AbortError")
        ? `No answer within ${(options.timeoutMs ?? WEBHOOK_TIMEOUT_MS) / 1000} s.`
        : `Could not reach the endpoint: ${causeOf(thrown)}`;
  }
  const responseTimeMs = Math.round(performance.now() - started);
  const now = clock();
  const fields = {
    delivery: delivery.id,
    endpoint: delivery.endpointId,
    event: delivery.eventId,
    type: delivery.eventType,
    attempts: delivery.attempts,
    statusCode,
    ms: responseTimeMs,
  };
  if (error === null) {
    await db
      .update(webhookDeliveries)
      .set({
        status: "succeeded",
        lastStatusCode: statusCode,
        lastError: null,
        responseTimeMs,
        leaseUntil: null,
        updatedAt: now,
      })
      .where(eq(webhookDeliveries.id, delivery.id));
    log.info("webhook.delivered", fields);
    return "succeeded";
  }
  const waitMs = webhookRetryDelayMs(delivery.attempts);
  const status = waitMs === null ? "abandoned" : "failed";
  await db
    .update(webhookDeliveries)
    .set({
      status,
      lastStatusCode: statusCode,
      lastError: truncateError(error),
      responseTimeMs,
      leaseUntil: null,
      nextAttemptAt: waitMs === null ? now : new Date(now.getTime() + waitMs),
      updatedAt: now,
    })
    .where(eq(webhookDeliveries.id, delivery.id));
  if (waitMs === null) log.error("webhook.abandoned", { ...fields, error });
  else log.warn("webhook.retry-later", { ...fields, waitMs, error });
  return status;
}

function causeOf(thrown: unknown): string {
  if (!(thrown instanceof Error)) return String(thrown);
  const cause = thrown.cause instanceof Error ? thrown.cause.message : "";
  return cause ? `${thrown.message} (${cause})` : thrown.message;
}

// ─── Endpoints ────────────────────────────────────────────────────────────────

export type EndpointWrite =
  | { status: "saved"; endpoint: WebhookEndpoint }
  | { status: "invalid"; error: ZodError }
  | { status: "not_found" };

export async function listWebhookEndpoints(db: Database) {
  return db
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      description: webhookEndpoints.description,
      events: webhookEndpoints.events,
      enabled: webhookEndpoints.enabled,
      createdAt: webhookEndpoints.createdAt,
      createdByName: users.name,
    })
    .from(webhookEndpoints)
    .leftJoin(users, eq(users.id, webhookEndpoints.createdById))
    .orderBy(webhookEndpoints.createdAt);
}

export async function getWebhookEndpoint(db: Database, endpointId: string): Promise<WebhookEndpoint | null> {
  if (!isUuid(endpointId)) return null;
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
  return row ?? null;
}

export async function createWebhookEndpoint(
  db: Database,
  /** A WebhookEndpointInput, as a form or caller sent it: checked here. */
  input: unknown,
  createdById: string | null,
): Promise<EndpointWrite> {
  const parsed = webhookEndpointInputSchema.safeParse(input);
  if (!parsed.success) return { status: "invalid", error: parsed.error };
  const [endpoint] = await db
    .insert(webhookEndpoints)
    .values({ ...parsed.data, secret: newWebhookSecret(), createdById })
    .returning();
  log.info("webhook.endpoint_created", { endpoint: endpoint!.id, by: createdById });
  return { status: "saved", endpoint: endpoint! };
}

export async function updateWebhookEndpoint(
  db: Database,
  endpointId: string,
  /** A WebhookEndpointInput, as a form or caller sent it: checked here. */
  input: unknown,
): Promise<EndpointWrite> {
  const parsed = webhookEndpointInputSchema.safeParse(input);
  if (!parsed.success) return { status: "invalid", error: parsed.error };
  return changeEndpoint(db, endpointId, parsed.data);
}

export async function setWebhookEndpointEnabled(db: Database, endpointId: string, enabled: boolean) {
  return changeEndpoint(db, endpointId, { enabled });
}

/** A new secret; the old one stops signing at once. */
export async function rotateWebhookSecret(db: Database, endpointId: string) {
  return changeEndpoint(db, endpointId, { secret: newWebhookSecret() });
}

async function changeEndpoint(
  db: Database,
  endpointId: string,
  set: Partial<Pick<WebhookEndpoint, "url" | "description" | "events" | "enabled" | "secret">>,
): Promise<EndpointWrite> {
  if (!isUuid(endpointId)) return { status: "not_found" };
  const [endpoint] = await db
    .update(webhookEndpoints)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(webhookEndpoints.id, endpointId))
    .returning();
  return endpoint ? { status: "saved", endpoint } : { status: "not_found" };
}

/** Deletes an endpoint and its delivery log. */
export async function deleteWebhookEndpoint(db: Database, endpointId: string): Promise<boolean> {
  if (!isUuid(endpointId)) return false;
  const deleted = await db
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.id, endpointId))
    .returning({ id: webhookEndpoints.id });
  return deleted.length > 0;
}

/** Queues a `webhook.test` event to one endpoint (enabled or not: it waits while disabled). */
export async function sendTestWebhook(db: Database, endpointId: string): Promise<boolean> {
  if (!(await getWebhookEndpoint(db, endpointId))) return false;
  const queued = await emitWebhookEvent(
    db,
    WEBHOOK_TEST_EVENT,
    { message: "A test event from Rapport's settings page." },
    { endpointId },
  );
  if (queued > 0) await startWebhookDelivery();
  return queued > 0;
}

export const DELIVERY_LOG_PAGE_SIZE = 25;

/** An endpoint's deliveries, newest first, one page at a time (page 1 is the newest). */
export async function listWebhookDeliveries(db: Database, endpointId: string, page = 1) {
  const where = eq(webhookDeliveries.endpointId, endpointId);
  const [total] = await db.select({ n: count() }).from(webhookDeliveries).where(where);
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      eventType: webhookDeliveries.eventType,
      eventId: webhookDeliveries.eventId,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastError: webhookDeliveries.lastError,
      responseTimeMs: webhookDeliveries.responseTimeMs,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .where(where)
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(DELIVERY_LOG_PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * DELIVERY_LOG_PAGE_SIZE);
  return { rows, total: total?.n ?? 0, pageSize: DELIVERY_LOG_PAGE_SIZE };
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
