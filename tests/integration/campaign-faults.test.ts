/**
 * A campaign's send when things go wrong on the way to Resend: a worker killed after the
 * provider accepted a batch but before it heard the answer, and answers that say "wait" or
 * "try again". Whatever happens, every recipient gets exactly one email, and the outbox and
 * the invitations say which email that was.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { eq, inArray, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { contacts, emailEvents, invitations, outbox, outboxBatches } from "../../db/schema";
import { insertAccount, insertCampaign, insertContact, insertUser } from "../../db/factories";
import { startFakeResend, type ReceivedEmail } from "../support/fake-resend";
import { fakeResendForEachTest } from "../support/fake-resend-per-test";
import { deliverWebhook, resendEvent, withWebhookSecret } from "../support/resend-webhook";
import { sendCampaignInvitations, startCampaign } from "~/domain/campaign-send.server";
import { BATCH_LEASE_MS, backoffMs, deliverPendingEmails } from "~/domain/outbox.server";
import { getDb } from "~/lib/db.server";
import { RESEND_BATCH_LIMIT } from "~/lib/email.server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DELIVER_CHILD = path.join(ROOT, "tests/support/deliver-child.ts");
/** Enough for tsx to start a process and send one batch on a slow machine. */
const CHILD_SEND_TIMEOUT_MS = 30_000;
/** Three batches: the first is the one the killed worker leaves behind. */
const RECIPIENTS = 250;
/** The senders here need not wait out Resend's default 2 requests a second. */
const FAST_REQUESTS_PER_SECOND = "50";

const WEBHOOK_SECRET = withWebhookSecret();
const resend = fakeResendForEachTest({ env: { RESEND_REQUESTS_PER_SECOND: FAST_REQUESTS_PER_SECOND } });
let worker: DeliverChild | undefined;

afterEach(async () => {
  resend.fake.releaseResponses();
  if (worker?.running()) {
    worker.child.kill("SIGKILL");
    await worker.exited;
  }
  worker = undefined;
});

interface DeliverChild {
  child: ChildProcess;
  output(): string;
  running(): boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** tests/support/deliver-child.ts on this test's database, sending to `resendUrl`. */
function startDeliverChild(resendUrl: string): DeliverChild {
  const child = spawn(process.execPath, ["--import", "tsx", DELIVER_CHILD], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL,
      RESEND_API_KEY: "re_test",
      RESEND_BASE_URL: resendUrl,
      RESEND_REQUESTS_PER_SECOND: FAST_REQUESTS_PER_SECOND,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => text,
    running: () => child.exitCode === null && child.signalCode === null,
    exited,
  };
}

/** Polls `condition` until it holds; past the deadline, fails with `explain()`. */
async function waitUntil(condition: () => boolean, timeoutMs: number, explain: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000}s: ${explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A live campaign whose invitations and outbox messages are written, none sent yet. One
 * account for every three contacts: the default ask budget lets three of an account be asked.
 */
async function writtenCampaign(recipients: number) {
  const db = getDb();
  const owner = await insertUser(db, { name: "Maya Chen", email: "maya@vendor.test", passwordHash: null });
  const accountIds: string[] = [];
  const addresses: string[] = [];
  for (let i = 0; i < recipients; i++) {
    if (i % 3 === 0) accountIds.push((await insertAccount(db, { ownerId: owner.id })).id);
    const address = `person-${i + 1}@customer-${accountIds.length}.test`;
    await insertContact(db, { accountId: accountIds.at(-1), email: address });
    addresses.push(address);
  }
  const campaign = await insertCampaign(db, { createdById: owner.id, audience: { accountIds } });
  expect(await startCampaign(db, campaign.id)).toMatchObject({ status: "done" });
  expect(await sendCampaignInvitations(db, campaign.id)).toEqual({ written: recipients });
  return { campaign, addresses };
}

/** Every address got exactly one email, and every outbox row and invitation records that one. */
async function expectDeliveredOnce(
  received: readonly ReceivedEmail[],
  campaignId: string,
  addresses: readonly string[],
) {
  const emailsTo = new Map<string, string[]>();
  for (const email of received) {
    for (const to of email.to) emailsTo.set(to, [...(emailsTo.get(to) ?? []), email.id]);
  }
  const notOnce = [...new Set([...addresses, ...emailsTo.keys()])]
    .map((address) => ({
      address,
      emails: emailsTo.get(address)?.length ?? 0,
      asked: addresses.includes(address),
    }))
    .filter((r) => r.emails !== 1 || !r.asked);
  expect(notOnce).toEqual([]);

  const mail = await getDb().select().from(outbox).where(eq(outbox.campaignId, campaignId));
  expect(mail).toHaveLength(addresses.length);
  const wrong = mail
    .filter((m) => m.status !== "sent" || m.providerMessageId !== emailsTo.get(m.toAddress)?.[0])
    .map((m) => ({ to: m.toAddress, status: m.status, providerMessageId: m.providerMessageId }));
  expect(wrong).toEqual([]);

  const invited = await getDb()
    .select({ status: invitations.status })
    .from(invitations)
    .where(eq(invitations.campaignId, campaignId));
  expect(invited).toHaveLength(addresses.length);
  expect(invited.filter((i) => i.status !== "sent")).toEqual([]);
}

describe("a campaign's send when the worker dies", () => {
  it(
    "sends each invitation once when the worker is killed after Resend accepted a batch but before it heard the answer",
    async () => {
      const { campaign, addresses } = await writtenCampaign(RECIPIENTS);

      resend.fake.holdResponses();
      worker = startDeliverChild(resend.fake.url);
      const child = worker;
      await waitUntil(
        () => resend.fake.received.length > 0 || !child.running(),
        CHILD_SEND_TIMEOUT_MS,
        () => `the delivery worker sent nothing:\n${child.output()}`,
      );
      expect(child.running(), `the worker stopped before its answer came:\n${child.output()}`).toBe(true);
      // Resend took the first batch; the worker sits waiting for an answer that is held back.
      expect(resend.fake.received).toHaveLength(RESEND_BATCH_LIMIT);
      const inFlight = await getDb().select().from(outboxBatches);
      expect(inFlight.map((b) => [b.status, b.attempts])).toEqual([["sending", 1]]);

      child.child.kill("SIGKILL");
      expect(await child.exited).toEqual({ code: null, signal: "SIGKILL" });
      // The answer goes out to nobody.
      resend.fake.releaseResponses();

      const afterLease = new Date(Date.now() + BATCH_LEASE_MS + 60_000);
      expect(await deliverPendingEmails(getDb(), { now: afterLease })).toEqual({
        mode: "resend",
        sent: RECIPIENTS,
        failed: 0,
      });
      // The dead worker's batch went again first, as the same request: Resend answered it from
      // its idempotency store and sent nothing new; then the rest.
      const keys = resend.fake.requests.map((r) => r.idempotencyKey);
      expect(resend.fake.requests.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(keys[1]).toBe(keys[0]);
      expect(new Set(keys).size).toBe(3);
      expect(resend.fake.received).toHaveLength(RECIPIENTS);
      await expectDeliveredOnce(resend.fake.received, campaign.id, addresses);
      const batches = await getDb().select().from(outboxBatches);
      expect(batches.map((b) => b.status)).toEqual(["sent", "sent", "sent"]);
    },
    CHILD_SEND_TIMEOUT_MS + 30_000,
  );
});

describe("a campaign's send when Resend says wait or fails", () => {
  it("sends each invitation once after a 429, then a 500, then acceptance", async () => {
    const { campaign, addresses } = await writtenCampaign(RECIPIENTS);
    resend.fake.failNext(429);
    resend.fake.failNext(500);
    const start = new Date();
    const later = (ms: number) => new Date(start.getTime() + ms);

    // The first batch is told to wait a second (retry-after), the second backs off for its
    // first failed try (a 5xx), the third goes through.
    expect(await deliverPendingEmails(getDb(), { now: start })).toEqual({
      mode: "resend",
      sent: RECIPIENTS - 2 * RESEND_BATCH_LIMIT,
      failed: 0,
      retryAfterMs: 1000,
    });
    expect(await deliverPendingEmails(getDb(), { now: later(1000) })).toEqual({
      mode: "resend",
      sent: RESEND_BATCH_LIMIT,
      failed: 0,
      retryAfterMs: backoffMs(1) - 1000,
    });
    expect(await deliverPendingEmails(getDb(), { now: later(backoffMs(1)) })).toEqual({
      mode: "resend",
      sent: RESEND_BATCH_LIMIT,
      failed: 0,
    });

    expect(resend.fake.requests.map((r) => r.status)).toEqual([429, 500, 200, 200, 200]);
    // each batch is the same request, under the same key, on every try
    const [waited, failed, third, waitedAgain, failedAgain] = resend.fake.requests.map(
      (r) => r.idempotencyKey,
    );
    expect([waitedAgain, failedAgain]).toEqual([waited, failed]);
    expect(new Set([waited, failed, third]).size).toBe(3);
    await expectDeliveredOnce(resend.fake.received, campaign.id, addresses);
    // a 429 is the team's rate limit, not a try of the batch: only the 500 counts
    const batches = await getDb().select().from(outboxBatches);
    expect(batches.map((b) => [b.status, b.attempts]).sort()).toEqual([
      ["sent", 1],
      ["sent", 1],
      ["sent", 2],
    ]);
  });

  it("sends each invitation once through a team rate limit that a fast sender runs into", async () => {
    const limited = await startFakeResend({ requestsPerSecond: 2 });
    try {
      const { campaign, addresses } = await writtenCampaign(RECIPIENTS);
      process.env.RESEND_BASE_URL = limited.url;
      // The sender believes it may send 50 a second; the provider takes 2.
      expect(await deliverPendingEmails(getDb())).toEqual({ mode: "resend", sent: RECIPIENTS, failed: 0 });

      expect(limited.requests.every((r) => r.status === 200 || r.status === 429)).toBe(true);
      const accepted = limited.requests.filter((r) => r.status === 200).map((r) => r.idempotencyKey);
      expect(new Set(accepted).size).toBe(accepted.length);
      expect(accepted).toHaveLength(Math.ceil(RECIPIENTS / RESEND_BATCH_LIMIT));
      await expectDeliveredOnce(limited.received, campaign.id, addresses);
    } finally {
      await limited.close();
    }
  });
});

describe("delivery events that reach us before the sender records Resend's ids", () => {
  it("stores them unmatched, then applies each once the batch's ids are written", async () => {
    const { campaign } = await writtenCampaign(3);
    const db = getDb();

    // Resend has accepted the batch and is already reporting on it; its answer is still on the way.
    resend.fake.holdResponses();
    const delivering = deliverPendingEmails(db);
    await waitUntil(
      () => resend.fake.received.length === 3,
      CHILD_SEND_TIMEOUT_MS,
      () => `Resend got ${resend.fake.received.length} of 3 emails`,
    );
    const [opened, bounced, quiet] = resend.fake.received as [ReceivedEmail, ReceivedEmail, ReceivedEmail];
    const t0 = Date.now();
    const at = (seconds: number) => new Date(t0 + seconds * 1000);
    const deliveries = [
      // in the order they arrive, not the order they happened
      resendEvent("email.opened", opened.id, opened.to[0]!, at(3)),
      resendEvent("email.delivered", opened.id, opened.to[0]!, at(2)),
      resendEvent("email.bounced", bounced.id, bounced.to[0]!, at(2), {
        bounce: { type: "Permanent", subType: "General", message: "Mailbox does not exist" },
      }),
    ];
    for (const delivery of deliveries) {
      expect(await deliverWebhook(delivery, WEBHOOK_SECRET)).toEqual({
        status: 200,
        body: { received: true },
      });
    }
    const waiting = await db.select().from(emailEvents).where(isNull(emailEvents.outboxId));
    expect(waiting).toHaveLength(3);
    const queued = await db.select({ status: invitations.status }).from(invitations);
    expect(queued.map((i) => i.status)).toEqual(["queued", "queued", "queued"]);

    resend.fake.releaseResponses();
    expect(await delivering).toEqual({ mode: "resend", sent: 3, failed: 0 });

    const stateOf = async (email: ReceivedEmail) => {
      const [row] = await db
        .select({
          status: invitations.status,
          deliveredAt: invitations.deliveredAt,
          openedAt: invitations.openedAt,
          bouncedAt: invitations.bouncedAt,
          contactBouncedAt: contacts.bouncedAt,
        })
        .from(outbox)
        .innerJoin(invitations, eq(invitations.id, outbox.invitationId))
        .innerJoin(contacts, eq(contacts.id, invitations.contactId))
        .where(eq(outbox.providerMessageId, email.id));
      return row;
    };
    expect(await stateOf(opened)).toEqual({
      status: "opened",
      deliveredAt: at(2),
      openedAt: at(3),
      bouncedAt: null,
      contactBouncedAt: null,
    });
    expect(await stateOf(bounced)).toEqual({
      status: "bounced",
      deliveredAt: null,
      openedAt: null,
      bouncedAt: at(2),
      contactBouncedAt: at(2),
    });
    expect(await stateOf(quiet)).toMatchObject({ status: "sent", deliveredAt: null, contactBouncedAt: null });
    // each event now belongs to its message, so nothing is left to apply a second time
    const mail = await db.select().from(outbox).where(eq(outbox.campaignId, campaign.id));
    const events = await db
      .select({ outboxId: emailEvents.outboxId })
      .from(emailEvents)
      .where(
        inArray(
          emailEvents.id,
          deliveries.map((d) => d.id),
        ),
      );
    const byEmail = new Map(mail.map((m) => [m.id, m.providerMessageId]));
    expect(events.map((e) => byEmail.get(e.outboxId!)).sort()).toEqual(
      [opened.id, opened.id, bounced.id].sort(),
    );
    // a retry of an early event is a duplicate, not a second bounce
    expect(await deliverWebhook(deliveries[2]!, WEBHOOK_SECRET)).toEqual({
      status: 200,
      body: { received: true, duplicate: true },
    });
  });
});
