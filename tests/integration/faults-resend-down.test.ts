/**
 * Resend down for a while — answering 503, then not answering at all — while the outbox has
 * a few hundred messages: nothing is given up or sent twice, every batch waits longer after
 * each failed try, and once Resend is back the outbox drains with each message sent once.
 */
import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outbox, outboxBatches } from "../../db/schema";
import { fakeResendForEachTest } from "../support/fake-resend-per-test";
import { backoffMs, deliverPendingEmails, enqueueEmails } from "~/domain/outbox.server";
import { getDb } from "~/lib/db.server";
import { findFreePort } from "~/lib/embedded-postgres.server";
import { RESEND_BATCH_LIMIT } from "~/lib/email.server";

/** Three batches. */
const MESSAGES = 250;
const BATCHES = Math.ceil(MESSAGES / RESEND_BATCH_LIMIT);

const resend = fakeResendForEachTest({ env: { RESEND_REQUESTS_PER_SECOND: "50" } });

async function enqueueMany() {
  const messages = Array.from({ length: MESSAGES }, (_, i) => ({
    kind: "case_alert",
    to: `reader-${i + 1}@customer.test`,
    subject: `Alert ${i + 1}`,
    html: `<p>Alert ${i + 1}</p>`,
    text: `Alert ${i + 1}`,
    idempotencyKey: `faults:${i + 1}`,
  }));
  expect(await enqueueEmails(getDb(), messages)).toBe(MESSAGES);
  return messages.map((m) => m.to);
}

async function batchStates() {
  const rows = await getDb().select().from(outboxBatches).orderBy(asc(outboxBatches.createdAt));
  return rows.map((b) => ({
    status: b.status,
    attempts: b.attempts,
    nextAttemptAt: b.nextAttemptAt.getTime(),
  }));
}

describe("delivery while Resend is down", () => {
  it("waits longer after each failed try, gives nothing up, and drains the outbox once Resend is back", async () => {
    const addresses = await enqueueMany();
    const start = new Date();
    const at = (ms: number) => new Date(start.getTime() + ms);

    // First try of each batch: 503.
    resend.fake.goDown(503);
    expect(await deliverPendingEmails(getDb(), { now: start })).toEqual({
      mode: "resend",
      sent: 0,
      failed: 0,
      retryAfterMs: backoffMs(1),
    });
    expect(await batchStates()).toEqual(
      Array.from({ length: BATCHES }, () => ({
        status: "sending",
        attempts: 1,
        nextAttemptAt: at(backoffMs(1)).getTime(),
      })),
    );
    // nothing is due before the backoff is over: no request goes out
    const requestsSoFar = resend.fake.requests.length;
    expect(await deliverPendingEmails(getDb(), { now: at(backoffMs(1) - 1000) })).toMatchObject({
      sent: 0,
      failed: 0,
    });
    expect(resend.fake.requests).toHaveLength(requestsSoFar);

    // Second try: 503 again, and the wait doubles.
    const second = backoffMs(1);
    expect(await deliverPendingEmails(getDb(), { now: at(second) })).toEqual({
      mode: "resend",
      sent: 0,
      failed: 0,
      retryAfterMs: backoffMs(2),
    });

    // Third try: nothing listens at the address any more (connection refused).
    const third = second + backoffMs(2);
    const saved = process.env.RESEND_BASE_URL;
    process.env.RESEND_BASE_URL = `http://127.0.0.1:${await findFreePort()}`;
    try {
      expect(await deliverPendingEmails(getDb(), { now: at(third) })).toEqual({
        mode: "resend",
        sent: 0,
        failed: 0,
        retryAfterMs: backoffMs(3),
      });
    } finally {
      process.env.RESEND_BASE_URL = saved;
    }
    expect(await batchStates()).toEqual(
      Array.from({ length: BATCHES }, () => ({
        status: "sending",
        attempts: 3,
        nextAttemptAt: at(third + backoffMs(3)).getTime(),
      })),
    );
    const waiting = await getDb().select().from(outbox);
    expect(waiting.filter((m) => m.status !== "sending" || !m.lastError?.includes("unreachable"))).toEqual(
      [],
    );
    expect(resend.fake.received).toEqual([]);

    // Back: the fourth try of each batch goes through.
    resend.fake.comeBack();
    expect(await deliverPendingEmails(getDb(), { now: at(third + backoffMs(3)) })).toEqual({
      mode: "resend",
      sent: MESSAGES,
      failed: 0,
    });
    expect((await batchStates()).map((b) => [b.status, b.attempts])).toEqual(
      Array.from({ length: BATCHES }, () => ["sent", 4]),
    );
    const sent = await getDb().select().from(outbox);
    expect(sent.filter((m) => m.status !== "sent" || m.providerMessageId === null)).toEqual([]);
    expect(resend.fake.received.map((e) => e.to[0]).sort()).toEqual([...addresses].sort());
    // every try of a batch was the same request, under the same key
    const keys = resend.fake.requests.map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(BATCHES);
  }, 60_000);
});
