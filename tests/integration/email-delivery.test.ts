import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outbox, outboxBatches } from "../../db/schema";
import { fakeResendForEachTest } from "../support/fake-resend-per-test";
import { BATCH_LEASE_MS, deliverPendingEmails, enqueueEmail } from "~/domain/outbox.server";
import { getDb } from "~/lib/db.server";
import { batchIdempotencyKey, sendOutboxBatch } from "~/lib/email.server";

const resend = fakeResendForEachTest({ env: { EMAIL_FROM: undefined } });

async function enqueueThree() {
  const db = getDb();
  const ids: string[] = [];
  for (const [i, to] of ["ana@acme.test", "bo@acme.test", "cy@globex.test"].entries()) {
    const { id } = await enqueueEmail(db, {
      kind: "invitation",
      to,
      subject: `How are we doing? (${i + 1})`,
      html: `<p>Hello ${i + 1}</p>`,
      text: `Hello ${i + 1}`,
      headers: { "List-Unsubscribe": `<https://rapport.test/u/${i + 1}>` },
      idempotencyKey: `test:${i + 1}`,
    });
    ids.push(id);
  }
  return ids;
}

async function rows() {
  return getDb().select().from(outbox).orderBy(asc(outbox.idempotencyKey));
}

describe("enqueueEmail", () => {
  it("adds a pending message from EMAIL_FROM once per idempotency key", async () => {
    const message = { kind: "sign_in", to: "ana@acme.test", subject: "Sign in", html: "<p>x</p>", text: "x" };
    const first = await enqueueEmail(getDb(), { ...message, idempotencyKey: "sign_in:1" });
    const again = await enqueueEmail(getDb(), { ...message, subject: "Other", idempotencyKey: "sign_in:1" });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const [row] = await rows();
    expect(await rows()).toHaveLength(1);
    expect(row).toMatchObject({
      status: "pending",
      attempts: 0,
      subject: "Sign in",
      fromAddress: "Rapport <surveys@rapport.test>",
    });
  });
});

describe("deliverPendingEmails", () => {
  it("sends every pending message once, stores the provider id, and sends nothing on a second run", async () => {
    await enqueueThree();
    const sentAt = new Date("2026-06-01T12:00:00Z");

    expect(await deliverPendingEmails(getDb(), { now: sentAt })).toEqual({
      mode: "resend",
      sent: 3,
      failed: 0,
    });

    expect(resend.fake.requests.map((r) => [r.path, r.status])).toEqual([["/emails/batch", 200]]);
    expect(resend.fake.received.map((e) => e.to)).toEqual([
      ["ana@acme.test"],
      ["bo@acme.test"],
      ["cy@globex.test"],
    ]);
    expect(resend.fake.received[0]).toMatchObject({
      from: "Rapport <surveys@rapport.test>",
      subject: "How are we doing? (1)",
      text: "Hello 1",
      headers: { "List-Unsubscribe": "<https://rapport.test/u/1>" },
    });
    const after = await rows();
    expect(after.map((r) => [r.status, r.attempts, r.sentAt?.toISOString(), r.lastError])).toEqual([
      ["sent", 1, "2026-06-01T12:00:00.000Z", null],
      ["sent", 1, "2026-06-01T12:00:00.000Z", null],
      ["sent", 1, "2026-06-01T12:00:00.000Z", null],
    ]);
    // each row carries the id the provider gave that very message
    expect(after.map((r) => r.providerMessageId)).toEqual(resend.fake.received.map((e) => e.id));

    expect(await deliverPendingEmails(getDb())).toEqual({ mode: "resend", sent: 0, failed: 0 });
    expect(resend.fake.requests).toHaveLength(1);
    expect(resend.fake.received).toHaveLength(3);
  });

  it("sends in batches of the given size", async () => {
    await enqueueThree();
    expect(await deliverPendingEmails(getDb(), { batchSize: 2 })).toEqual({
      mode: "resend",
      sent: 3,
      failed: 0,
    });
    expect(resend.fake.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(resend.fake.received).toHaveLength(3);
  });

  it("after a 429 and a 500 delivers each message exactly once, always as the same request", async () => {
    await enqueueThree();
    resend.fake.failNext(429);
    resend.fake.failNext(500);

    // The 429 asks for 1 s (retry-after), which the run waits out; it is the team's rate limit,
    // not a try of the batch. The 500 that follows is the batch's first failed try and backs off
    // for a minute, which the run hands back to the job queue.
    const first = await deliverPendingEmails(getDb());
    expect(first).toMatchObject({ mode: "resend", sent: 0, failed: 0 });
    expect(first.mode === "resend" && first.retryAfterMs).toBeGreaterThan(50_000);
    expect(first.mode === "resend" && first.retryAfterMs).toBeLessThanOrEqual(60_000);
    let after = await rows();
    expect(after.map((r) => [r.status, r.attempts])).toEqual([
      ["sending", 1],
      ["sending", 1],
      ["sending", 1],
    ]);
    expect(new Set(after.map((r) => r.batchId)).size).toBe(1);
    expect(after[0]?.lastError).toContain("500 internal_server_error");
    const [batch] = await getDb().select().from(outboxBatches);
    expect(batch).toMatchObject({ status: "sending", attempts: 1 });

    // Not yet due: nothing is sent.
    expect(await deliverPendingEmails(getDb(), { now: new Date(Date.now() + 30_000) })).toMatchObject({
      sent: 0,
    });
    expect(resend.fake.requests).toHaveLength(2);

    expect(await deliverPendingEmails(getDb(), { now: new Date(Date.now() + 3 * 60_000) })).toEqual({
      mode: "resend",
      sent: 3,
      failed: 0,
    });
    expect(resend.fake.requests.map((r) => r.status)).toEqual([429, 500, 200]);
    // the same messages carry the same key on every try
    expect(resend.fake.requests.map((r) => r.idempotencyKey)).toEqual(
      Array(3).fill(batchIdempotencyKey(batch!.id)),
    );
    expect(resend.fake.received.map((e) => e.to[0]).sort()).toEqual([
      "ana@acme.test",
      "bo@acme.test",
      "cy@globex.test",
    ]);
    after = await rows();
    expect(after.map((r) => [r.status, r.attempts, r.lastError])).toEqual([
      ["sent", 2, null],
      ["sent", 2, null],
      ["sent", 2, null],
    ]);
  });

  it("sends a batch whose worker died before settling again as the identical request, once its lease is over", async () => {
    const ids = await enqueueThree();
    // A worker claimed the batch and sent it, then died before recording the answer.
    const [batch] = await getDb()
      .insert(outboxBatches)
      .values({ leaseUntil: new Date(Date.now() + BATCH_LEASE_MS) })
      .returning();
    await getDb().update(outbox).set({ status: "sending", batchId: batch!.id, attempts: 1 });
    const messages = await getDb().select().from(outbox).orderBy(asc(outbox.createdAt), asc(outbox.id));
    await sendOutboxBatch(batch!.id, messages);
    expect(resend.fake.received).toHaveLength(3);

    // While the lease lasts, another run leaves it alone.
    expect(await deliverPendingEmails(getDb())).toMatchObject({ sent: 0 });
    expect(resend.fake.requests).toHaveLength(1);

    const later = new Date(Date.now() + BATCH_LEASE_MS + 1000);
    expect(await deliverPendingEmails(getDb(), { now: later })).toEqual({
      mode: "resend",
      sent: 3,
      failed: 0,
    });
    // the provider saw the same key and body again and sent nothing new
    expect(resend.fake.requests.map((r) => [r.status, r.idempotencyKey])).toEqual([
      [200, batchIdempotencyKey(batch!.id)],
      [200, batchIdempotencyKey(batch!.id)],
    ]);
    expect(resend.fake.received).toHaveLength(3);
    const after = await rows();
    expect(after.map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
    expect(after.map((r) => r.providerMessageId).sort()).toEqual(
      resend.fake.received.map((e) => e.id).sort(),
    );
    expect(ids).toHaveLength(3);
  });

  it("marks the batch failed with the reason when Resend rejects it for good", async () => {
    await enqueueThree();
    resend.fake.failNext(422);
    expect(await deliverPendingEmails(getDb())).toEqual({ mode: "resend", sent: 0, failed: 3 });
    const after = await rows();
    expect(after.map((r) => [r.status, r.attempts, r.providerMessageId])).toEqual([
      ["failed", 1, null],
      ["failed", 1, null],
      ["failed", 1, null],
    ]);
    expect(after[0]?.lastError).toBe("Resend 422 validation_error: The request was rejected (injected 422).");
    // failed messages are not tried again
    expect(await deliverPendingEmails(getDb())).toEqual({ mode: "resend", sent: 0, failed: 0 });
    expect(resend.fake.requests).toHaveLength(1);
    expect(resend.fake.received).toHaveLength(0);
  });

  it("without RESEND_API_KEY sends nothing and leaves the outbox as the mail", async () => {
    delete process.env.RESEND_API_KEY;
    await enqueueThree();
    expect(await deliverPendingEmails(getDb())).toEqual({ mode: "outbox-only" });
    expect(resend.fake.requests).toHaveLength(0);
    expect((await rows()).map((r) => [r.status, r.attempts])).toEqual([
      ["pending", 0],
      ["pending", 0],
      ["pending", 0],
    ]);
  });
});

describe("sendOutboxBatch", () => {
  it("sending the same batch again (an answer lost in a crash) returns the same ids and no second email", async () => {
    await enqueueThree();
    const messages = await rows();
    const batchId = "5d0f6f53-8f0e-4d39-9a57-1d8b3c1f2a10";
    const first = await sendOutboxBatch(batchId, messages);
    const again = await sendOutboxBatch(batchId, messages);
    expect(again).toEqual(first);
    expect(resend.fake.received).toHaveLength(3);
    expect(resend.fake.requests.map((r) => r.idempotencyKey)).toEqual([
      batchIdempotencyKey(batchId),
      batchIdempotencyKey(batchId),
    ]);
  });

  it("says a rejected key is permanent and an unreachable server retryable", async () => {
    await enqueueThree();
    const messages = await rows();
    process.env.RESEND_API_KEY = "not-a-resend-key";
    await expect(sendOutboxBatch("b", messages)).rejects.toMatchObject({ retryable: false, statusCode: 403 });

    process.env.RESEND_API_KEY = "re_test";
    process.env.RESEND_BASE_URL = "http://127.0.0.1:1";
    await expect(sendOutboxBatch("b", messages)).rejects.toMatchObject({
      name: "EmailSendError",
      retryable: true,
      statusCode: null,
    });
  });
});
