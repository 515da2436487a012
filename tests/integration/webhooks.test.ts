import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accounts, cases, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import {
  insertAccount,
  insertContact,
  insertOpportunity,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { resolveCase } from "~/domain/case-workflow.server";
import { getCsvImport, importCsv, submitApply } from "~/domain/csv-import.server";
import { closeOpportunity } from "~/domain/opportunities.server";
import { submitAnswers } from "~/domain/responses.server";
import { createSurveyLink, findInvitationByToken } from "~/domain/survey-links.server";
import { verifyWebhook } from "~/domain/webhook-signature.server";
import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_DELAYS_MS, WEBHOOK_URL_MESSAGE } from "~/domain/webhooks";
import {
  createWebhookEndpoint,
  deliverDueWebhooks,
  emitWebhookEvent,
  setWebhookEndpointEnabled,
} from "~/domain/webhooks.server";
import { getDb } from "~/lib/db.server";
import { action as endpointAction } from "~/routes/_app.settings_.webhooks.$endpointId";
import { action as listAction, loader as listLoader } from "~/routes/_app.settings_.webhooks._index";
import { cookieFor, makeRequest, settle } from "../support/requests";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local receiver: records every POST and answers with the next queued status (200 when none). */
let server: Server;
let received: Received[];
let statuses: number[];
let receiverUrl: string;

beforeEach(async () => {
  received = [];
  statuses = [];
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function addEndpoint(events: string[] = ["response.completed"]) {
  const result = await createWebhookEndpoint(getDb(), { url: receiverUrl, events }, null);
  if (result.status !== "saved") throw new Error("endpoint not created");
  return result.endpoint;
}

const PROMOTER = {
  trust: 4,
  responsiveness: 4,
  understanding: 3,
  value: 4,
  communication: 3,
  relationship: 5,
  advocacy: 9,
  renewal: 4,
};

async function submitSurvey(data: Record<string, unknown> = PROMOTER) {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager" });
  const account = await insertAccount(db, { ownerId: owner.id });
  const contact = await insertContact(db, { accountId: account.id, buyingRole: "champion" });
  const version = await insertSurveyVersionFromFile(db, "relationship-health");
  const { token } = await createSurveyLink(db, {
    contactId: contact.id,
    surveyVersionId: version.id,
    createdById: owner.id,
  });
  const found = (await findInvitationByToken(db, token))!;
  const outcome = await submitAnswers(db, found, { data });
  expect(outcome.status).toBe("completed");
  return { owner, account, contact, outcome };
}

/** The events the receiver got, parsed, after delivering everything due. */
async function deliveredEvents() {
  await deliverDueWebhooks(getDb());
  return received.map(
    (r) => JSON.parse(r.body) as { type: string; data: Record<string, Record<string, unknown>> },
  );
}

async function deliveriesOf(endpointId: string) {
  return getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
}

describe("outgoing webhooks", () => {
  it("delivers a signed response.completed that the receiver verifies with the endpoint's secret", async () => {
    const endpoint = await addEndpoint();
    const { outcome } = await submitSurvey();
    expect(await deliverDueWebhooks(getDb())).toEqual({ succeeded: 1, failed: 0, abandoned: 0 });

    expect(received).toHaveLength(1);
    const [{ headers, body }] = received as [Received];
    const id = headers["webhook-id"] as string;
    const timestamp = headers["webhook-timestamp"] as string;
    const signature = headers["webhook-signature"] as string;
    expect(id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyWebhook(endpoint.secret, { id, timestamp, signature }, body)).toBe(true);
    expect(verifyWebhook(endpoint.secret, { id, timestamp, signature }, body + " ")).toBe(false);

    const event = JSON.parse(body);
    expect(event).toMatchObject({ id, type: "response.completed" });
    expect(outcome.status === "completed" && event.data.response.id).toBe(
      outcome.status === "completed" ? outcome.response.id : "",
    );
    expect(event.data.response.answers.length).toBeGreaterThan(0);
    expect(event.data.response.dimension_scores).toHaveProperty("trust");
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 200 });
  });

  it("sends case.opened for a detractor's answer and case.resolved when the owner resolves it", async () => {
    await addEndpoint(["case.opened", "case.resolved"]);
    const { owner, account, contact } = await submitSurvey({ ...PROMOTER, advocacy: 2 });
    const [opened] = await deliveredEvents();
    const [kase] = await getDb().select().from(cases);
    expect(opened).toMatchObject({
      type: "case.opened",
      data: {
        case: {
          id: kase!.id,
          account_id: account.id,
          contact_id: contact.id,
          status: "open",
          owner_id: owner.id,
          resolved_at: null,
        },
      },
    });
    expect(Object.keys(opened!.data.case!).sort()).toEqual(
      [
        "id",
        "account_id",
        "contact_id",
        "response_id",
        "trigger",
        "severity",
        "status",
        "summary",
        "owner_id",
        "sla_due_at",
        "opened_at",
        "acknowledged_at",
        "resolved_at",
        "resolution_note",
      ].sort(),
    );

    const change = await resolveCase(getDb(), owner, kase!.id, {
      resolutionNote: "Called them; the fix ships Friday.",
      sendRecoveryPulse: false,
    });
    expect(change.status).toBe("done");
    const resolved = (await deliveredEvents())[1];
    expect(resolved).toMatchObject({
      type: "case.resolved",
      data: {
        case: { id: kase!.id, status: "resolved", resolution_note: "Called them; the fix ships Friday." },
      },
    });
    expect(resolved!.data.case!.resolved_at).toEqual(expect.any(String));
  });

  it("sends opportunity.closed for a close on the deal page and for one by CSV import, once each", async () => {
    const db = getDb();
    await addEndpoint(["opportunity.closed"]);
    const owner = await insertUser(db, { role: "manager" });
    const account = await insertAccount(db, { ownerId: owner.id, externalId: "ACC-1" });
    const onPage = await insertOpportunity(db, { accountId: account.id, name: "Renewal" });
    const byFile = await insertOpportunity(db, {
      accountId: account.id,
      externalId: "OPP-9",
      name: "Expansion",
    });
    const closed = await closeOpportunity(db, onPage.id, { outcome: "lost", primaryReason: "price" });
    expect(closed.status).not.toBe("invalid");
    const today = new Date().toISOString().slice(0, 10);
    const file = `external_id,account_external_id,name,amount,close_date,outcome\nOPP-9,ACC-1,Expansion,20000,${today},won\n`;
    const checked = await importCsv(db, owner, { kind: "opportunities", content: file });
    expect(checked.status, JSON.stringify(checked.report)).toBe("checked");
    expect(await submitApply(db, owner, checked.id, async () => false)).toBe("started");
    expect((await getCsvImport(db, owner, checked.id))!.status).toBe("applied");

    const events = await deliveredEvents();
    expect(events.map((e) => [e.type, e.data.opportunity!.id]).sort()).toEqual(
      [
        ["opportunity.closed", onPage.id],
        ["opportunity.closed", byFile.id],
      ].sort(),
    );
    expect(events.find((e) => e.data.opportunity!.id === onPage.id)!.data.opportunity).toMatchObject({
      account_id: account.id,
      name: "Renewal",
      outcome: "lost",
      seller_primary_reason: "price",
      closed_at: expect.any(String),
    });
    expect(events.find((e) => e.data.opportunity!.id === byFile.id)!.data.opportunity).toMatchObject({
      external_id: "OPP-9",
      outcome: "won",
      amount_cents: 20_000_00,
      close_date: today,
      seller_primary_reason: null,
    });
    // closing again announces nothing new
    expect(await closeOpportunity(db, onPage.id, { outcome: "lost", primaryReason: "price" })).toMatchObject({
      status: expect.not.stringMatching(/^saved$/),
    });
    expect(await deliveredEvents()).toHaveLength(2);
  });

  it("retries after a 500 with backoff and then succeeds, logging the code", async () => {
    const endpoint = await addEndpoint(["case.opened"]);
    await emitWebhookEvent(getDb(), "case.opened", { case: { id: "c1" } }, { key: "c1" });
    statuses.push(500);
    const start = new Date();
    expect(await deliverDueWebhooks(getDb(), { now: start })).toMatchObject({ failed: 1 });
    const [failed] = await deliveriesOf(endpoint.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 500 });
    expect(failed!.lastError).toContain("500");
    expect(failed!.nextAttemptAt.getTime()).toBe(start.getTime() + WEBHOOK_RETRY_DELAYS_MS[0]);

    // not due yet
    expect(await deliverDueWebhooks(getDb(), { now: new Date(start.getTime() + 1000) })).toMatchObject({
      succeeded: 0,
      failed: 0,
    });
    const later = new Date(start.getTime() + WEBHOOK_RETRY_DELAYS_MS[0]);
    expect(await deliverDueWebhooks(getDb(), { now: later })).toMatchObject({ succeeded: 1 });
    const [done] = await deliveriesOf(endpoint.id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 2, lastStatusCode: 200, lastError: null });
    expect(received.map((r) => r.headers["webhook-id"])).toEqual([done!.eventId, done!.eventId]);
  });

  it("abandons a delivery when its last try fails", async () => {
    const endpoint = await addEndpoint(["case.opened"]);
    await emitWebhookEvent(getDb(), "case.opened", { case: { id: "c2" } }, { key: "c2" });
    let now = Date.now();
    for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt += 1) {
      statuses.push(503);
      await deliverDueWebhooks(getDb(), { now: new Date(now) });
      now += WEBHOOK_RETRY_DELAYS_MS[attempt - 1] ?? 0;
    }
    const [abandoned] = await deliveriesOf(endpoint.id);
    expect(abandoned).toMatchObject({
      status: "abandoned",
      attempts: WEBHOOK_MAX_ATTEMPTS,
      lastStatusCode: 503,
    });
    expect(received).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
    expect(await deliverDueWebhooks(getDb(), { now: new Date(now + 86_400_000) })).toMatchObject({
      succeeded: 0,
      failed: 0,
      abandoned: 0,
    });
  });

  it("queues nothing for a disabled endpoint or an event it is not subscribed to", async () => {
    const disabled = await addEndpoint(["response.completed"]);
    await setWebhookEndpointEnabled(getDb(), disabled.id, false);
    const unsubscribed = await addEndpoint(["case.resolved"]);
    await submitSurvey();
    await deliverDueWebhooks(getDb());
    expect(await deliveriesOf(disabled.id)).toEqual([]);
    expect(await deliveriesOf(unsubscribed.id)).toEqual([]);
    expect(received).toEqual([]);
  });

  it("queues an event once per endpoint however often it is emitted", async () => {
    const endpoint = await addEndpoint(["opportunity.closed"]);
    expect(await emitWebhookEvent(getDb(), "opportunity.closed", {}, { key: "o1" })).toBe(1);
    expect(await emitWebhookEvent(getDb(), "opportunity.closed", {}, { key: "o1" })).toBe(0);
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);
  });

  it("emits nothing when the write that emitted it is rolled back", async () => {
    const endpoint = await addEndpoint(["case.opened"]);
    const account = await insertAccount(getDb());
    await expect(
      getDb().transaction(async (tx) => {
        await tx.update(accounts).set({ name: "Renamed" }).where(eq(accounts.id, account.id));
        await emitWebhookEvent(tx, "case.opened", { case: { id: "c3" } }, { key: "c3" });
        throw new Error("the write fails after emitting");
      }),
    ).rejects.toThrow("the write fails");
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
  });
});

describe("the webhooks settings page", () => {
  it("lets only admins in", async () => {
    const manager = await insertUser(getDb(), { role: "manager" });
    const cookie = await cookieFor(manager);
    const response = await settle(() =>
      listLoader({
        request: makeRequest("/settings/webhooks", { cookie }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(403);
  });

  it("refuses a plain-http URL to another host with a clear message and adds nothing", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const cookie = await cookieFor(admin);
    for (const url of ["http://crm.example.com/hooks", "not a url", ""]) {
      const response = await settle(() =>
        listAction({
          request: makeRequest("/settings/webhooks", {
            cookie,
            form: { intent: "create", url, events: "response.completed" },
          }),
          params: {},
          context: {},
        }),
      );
      expect(response.status).toBe(400);
      expect((await response.json()).fieldErrors.url).toBe(WEBHOOK_URL_MESSAGE);
    }
    expect(await getDb().select().from(webhookEndpoints)).toEqual([]);
  });

  it("adds an endpoint and its Send test button delivers a webhook.test event", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const cookie = await cookieFor(admin);
    const created = await settle(() =>
      listAction({
        request: makeRequest("/settings/webhooks", {
          cookie,
          form: { intent: "create", url: receiverUrl, events: "case.opened" },
        }),
        params: {},
        context: {},
      }),
    );
    expect(created.status).toBe(302);
    const [endpoint] = await getDb().select().from(webhookEndpoints);
    expect(endpoint!.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const tested = await settle(() =>
      endpointAction({
        request: makeRequest(`/settings/webhooks/${endpoint!.id}`, { cookie, form: { intent: "test" } }),
        params: { endpointId: endpoint!.id },
        context: {},
      }),
    );
    expect(tested.status).toBe(302);
    expect(await deliverDueWebhooks(getDb())).toMatchObject({ succeeded: 1 });
    const event = JSON.parse(received[0]!.body);
    expect(event.type).toBe("webhook.test");
    const h = received[0]!.headers;
    expect(
      verifyWebhook(
        endpoint!.secret,
        {
          id: h["webhook-id"] as string,
          timestamp: h["webhook-timestamp"] as string,
          signature: h["webhook-signature"] as string,
        },
        received[0]!.body,
      ),
    ).toBe(true);
  });
});
