import { asc } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outbox } from "../../db/schema";
import { startFakeResend, type FakeResend } from "../support/fake-resend";
import { deliverPendingEmails, enqueueEmail } from "~/domain/outbox.server";
import { getDb } from "~/lib/db.server";
import { batchIdempotencyKey, sendOutboxBatch } from "~/lib/email.server";

const VARIABLES = ["RESEND_API_KEY", "RESEND_BASE_URL", "EMAIL_FROM"] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
let fake: FakeResend;

beforeAll(async () => {
  fake = await startFakeResend();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.received.length = 0;
  fake.requests.length = 0;
  process.env.RESEND_API_KEY = "re_test";
  process.env.RESEND_BASE_URL = fake.url;
  delete process.env.EMAIL_FROM;
});
afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

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

    expect(fake.requests.map((r) => [r.path, r.status])).toEqual([["/emails/batch", 200]]);
    expect(fake.received.map((e) => e.to)).toEqual([["ana@acme.test"], ["bo@acme.test"], ["cy@globex.test"]]);
    expect(fake.received[0]).toMatchObject({
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
    expect(after.map((r) => r.providerMessageId)).toEqual(fake.received.map((e) => e.id));

    expect(await deliverPendingEmails(getDb())).toEqual({ mode: "resend", sent: 0, failed: 0 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.received).toHaveLength(3);
  });

  it("sends in batches of the given size", async () => {
    await enqueueThree();
    expect(await deliverPendingEmails(getDb(), { batchSize: 2 })).toEqual({
      mode: "resend",
      sent: 3,
      failed: 0,
    });
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(fake.received).toHaveLength(3);
  });

  it("after a 429 and a 500 delivers each message exactly once on the third run", async () => {
    await enqueueThree();
    fake.failNext(429);
    fake.failNext(500);

    // 429 carries retry-after: 1 (seconds)
    const first = await deliverPendingEmails(getDb());
    expect(first).toEqual({ mode: "resend", sent: 0, failed: 0, retryAfterMs: 1000 });
    let after = await rows();
    expect(after.map((r) => [r.status, r.attempts])).toEqual([
      ["pending", 1],
      ["pending", 1],
      ["pending", 1],
    ]);
    expect(after[0]?.lastError).toContain("429 rate_limit_exceeded");

    // 500 has no retry-after: the backoff for a second try is 2 minutes
    expect(await deliverPendingEmails(getDb())).toEqual({
      mode: "resend",
      sent: 0,
      failed: 0,
      retryAfterMs: 120_000,
    });
    after = await rows();
    expect(after.map((r) => r.status)).toEqual(["pending", "pending", "pending"]);
    expect(after[0]?.lastError).toContain("500 internal_server_error");

    expect(await deliverPendingEmails(getDb())).toEqual({ mode: "resend", sent: 3, failed: 0 });
    expect(fake.requests.map((r) => r.status)).toEqual([429, 500, 200]);
    // the same messages carry the same key on every try
    expect(new Set(fake.requests.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(fake.received.map((e) => e.to[0]).sort()).toEqual([
      "ana@acme.test",
      "bo@acme.test",
      "cy@globex.test",
    ]);
    after = await rows();
    expect(after.map((r) => [r.status, r.attempts, r.lastError])).toEqual([
      ["sent", 3, null],
      ["sent", 3, null],
      ["sent", 3, null],
    ]);
  });

  it("marks the batch failed with the reason when Resend rejects it for good", async () => {
    await enqueueThree();
    fake.failNext(422);
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
    expect(fake.requests).toHaveLength(1);
    expect(fake.received).toHaveLength(0);
  });

  it("without RESEND_API_KEY sends nothing and leaves the outbox as the mail", async () => {
    delete process.env.RESEND_API_KEY;
    await enqueueThree();
    expect(await deliverPendingEmails(getDb())).toEqual({ mode: "outbox-only" });
    expect(fake.requests).toHaveLength(0);
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
    const first = await sendOutboxBatch(messages);
    const again = await sendOutboxBatch(messages);
    expect(again).toEqual(first);
    expect(fake.received).toHaveLength(3);
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual([
      batchIdempotencyKey(messages.map((m) => m.id)),
      batchIdempotencyKey(messages.map((m) => m.id)),
    ]);
  });

  it("says a rejected key is permanent and an unreachable server retryable", async () => {
    await enqueueThree();
    const messages = await rows();
    process.env.RESEND_API_KEY = "not-a-resend-key";
    await expect(sendOutboxBatch(messages)).rejects.toMatchObject({ retryable: false, statusCode: 403 });

    process.env.RESEND_API_KEY = "re_test";
    process.env.RESEND_BASE_URL = "http://127.0.0.1:1";
    await expect(sendOutboxBatch(messages)).rejects.toMatchObject({
      name: "EmailSendError",
      retryable: true,
      statusCode: null,
    });
  });
});
