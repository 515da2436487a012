import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { insertUser } from "../../db/factories";
import { outbox, type User } from "../../db/schema";
import { getDb } from "~/lib/db.server";
import { loader as appLoader } from "~/routes/_app";
import { loader as messageLoader } from "~/routes/_app.dev.outbox.$messageId";
import { loader as listLoader } from "~/routes/_app.dev.outbox._index";
import { cookieFor, makeRequest, settle } from "../support/requests";

type NewOutboxRow = Partial<typeof outbox.$inferInsert>;

/** Outbox rows written directly, as outbox.server.ts would have left them. */
async function insertMail(rows: NewOutboxRow[]) {
  return getDb()
    .insert(outbox)
    .values(
      rows.map((row, i) => ({
        kind: "invitation",
        toAddress: `contact-${i}@customer.test`,
        fromAddress: "Rapport <surveys@rapport.test>",
        subject: `How is our relationship? (${i})`,
        html: `<html><head></head><body><p>Message ${i}</p></body></html>`,
        text: `Message ${i}`,
        idempotencyKey: `test:${randomUUID()}`,
        ...row,
      })),
    )
    .returning();
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

async function loadList(user: User, query = ""): Promise<Response> {
  const request = makeRequest(`/dev/outbox${query}`, { cookie: await cookieFor(user) });
  return settle(() => listLoader({ request, params: {}, context: {} }));
}

async function loadMessage(user: User, messageId: string): Promise<Response> {
  const request = makeRequest(`/dev/outbox/${encodeURIComponent(messageId)}`, {
    cookie: await cookieFor(user),
  });
  return settle(() => messageLoader({ request, params: { messageId }, context: {} }));
}

interface ListRow {
  id: string;
  subject: string;
  toAddress: string;
  status: string;
}

beforeEach(() => {
  // The tests run against DATABASE_URL, where the viewer is off unless asked for.
  vi.stubEnv("MAIL_VIEWER", "true");
  vi.stubEnv("RESEND_API_KEY", "");
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the outbox list /dev/outbox", () => {
  it("shows an admin every message newest first, with counts by status", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    await insertMail([
      { subject: "Oldest", createdAt: minutesAgo(30), status: "sent", sentAt: minutesAgo(29), attempts: 1 },
      { subject: "Newest", createdAt: minutesAgo(1) },
      {
        subject: "Middle",
        createdAt: minutesAgo(10),
        status: "failed",
        attempts: 8,
        lastError: "422: invalid to",
      },
    ]);

    const response = await loadList(admin);
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.rows.map((r: ListRow) => r.subject)).toEqual(["Newest", "Middle", "Oldest"]);
    expect(data.rows[1]).toMatchObject({ status: "failed", attempts: 8, lastError: "422: invalid to" });
    expect(data.rows[0]).not.toHaveProperty("html");
    expect(data.counts).toEqual({ pending: 1, sending: 0, sent: 1, failed: 1, cancelled: 0 });
    expect(data).toMatchObject({ total: 3, page: 1, pages: 1, sendingThroughResend: false });
  });

  it("says the mail is a copy when RESEND_API_KEY is set", async () => {
    vi.stubEnv("RESEND_API_KEY", "re_test");
    const admin = await insertUser(getDb(), { role: "admin" });
    expect((await (await loadList(admin)).json()).sendingThroughResend).toBe(true);
  });

  it("filters by status and by kind", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    await insertMail([
      { subject: "Went out", status: "sent" },
      { subject: "Bounced", status: "failed" },
      { subject: "Alert", kind: "case_alert", status: "failed" },
    ]);

    const failed = await (await loadList(admin, "?status=failed")).json();
    expect(failed.rows.map((r: ListRow) => r.subject).sort()).toEqual(["Alert", "Bounced"]);
    expect(failed.total).toBe(2);
    // the counts ignore the status filter, so they say what another status would show
    expect(failed.counts).toMatchObject({ sent: 1, failed: 2 });

    const alerts = await (await loadList(admin, "?kind=case_alert")).json();
    expect(alerts.rows.map((r: ListRow) => r.subject)).toEqual(["Alert"]);
    expect(alerts.counts).toMatchObject({ sent: 0, failed: 1 });
    expect(alerts.kinds).toEqual(["case_alert", "invitation"]);
  });

  it("searches recipient addresses and subjects, ignoring case, with wildcards taken literally", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    await insertMail([
      { subject: "Quarterly check-in", toAddress: "dana@ACME.example" },
      { subject: "A note from Acme's team", toAddress: "lee@borealis.example" },
      { subject: "Unrelated", toAddress: "kim@contoso.example" },
      { subject: "100% done", toAddress: "pat@contoso.example" },
    ]);

    const acme = await (await loadList(admin, "?q=acme")).json();
    expect(acme.rows.map((r: ListRow) => r.toAddress).sort()).toEqual([
      "dana@ACME.example",
      "lee@borealis.example",
    ]);
    expect(acme.counts.pending).toBe(2);

    const percent = await (await loadList(admin, `?q=${encodeURIComponent("0%")}`)).json();
    expect(percent.rows.map((r: ListRow) => r.subject)).toEqual(["100% done"]);

    const injection = await (await loadList(admin, `?q=${encodeURIComponent("' or 1=1 --")}`)).json();
    expect(injection.rows).toEqual([]);
  });

  it("pages through 60 messages 50 at a time, each once", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    await insertMail(Array.from({ length: 60 }, (_, i) => ({ createdAt: minutesAgo(i) })));

    const first = await (await loadList(admin)).json();
    const second = await (await loadList(admin, "?page=2")).json();
    expect(first.rows).toHaveLength(50);
    expect(second.rows).toHaveLength(10);
    expect(second).toMatchObject({ page: 2, pages: 2, total: 60, pageSize: 50 });
    const ids = new Set([...first.rows, ...second.rows].map((r: ListRow) => r.id));
    expect(ids.size).toBe(60);
    // the oldest message is the last on the last page
    expect(second.rows.at(-1).subject).toBe("How is our relationship? (59)");
  });

  it("treats a page that is not a page number as page 1", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    await insertMail([{ subject: "Only" }]);
    for (const page of ["abc", "0", "-3", "1.5", "99999999999"]) {
      const data = await (await loadList(admin, `?page=${page}`)).json();
      expect(data.page, `page=${page}`).toBe(1);
      expect(data.rows).toHaveLength(1);
    }
  });

  it("refuses an unknown status with a message naming it", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const response = await loadList(admin, "?status=delivered");
    expect(response.status).toBe(400);
    const message = await response.text();
    expect(message).toContain("“delivered”");
    expect(message).toContain("pending, sending, sent, failed, cancelled");
  });

  it("refuses a search longer than the box allows", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const response = await loadList(admin, `?q=${"x".repeat(201)}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/200 characters/);
  });

  it("is for admins only: managers and leaders get 403", async () => {
    const db = getDb();
    const [message] = await insertMail([{}]);
    for (const role of ["manager", "leader"] as const) {
      const user = await insertUser(db, { role });
      expect((await loadList(user)).status, role).toBe(403);
      expect((await loadMessage(user, message!.id)).status, role).toBe(403);
    }
  });

  it("does not exist when the viewer is off (MAIL_VIEWER=false with DATABASE_URL set)", async () => {
    vi.stubEnv("MAIL_VIEWER", "false");
    expect(process.env.DATABASE_URL).toBeTruthy();
    const admin = await insertUser(getDb(), { role: "admin" });
    const [message] = await insertMail([{}]);
    expect((await loadList(admin)).status).toBe(404);
    expect((await loadMessage(admin, message!.id)).status).toBe(404);
    // and it is off by default on a database of one's own (no embedded Postgres)
    vi.stubEnv("MAIL_VIEWER", "");
    expect((await loadList(admin)).status).toBe(404);
  });
});

describe("the outbox link in the navigation", () => {
  async function shellFor(user: User) {
    const request = makeRequest("/week", { cookie: await cookieFor(user) });
    return (await settle(() => appLoader({ request, params: {}, context: {} }))).json();
  }

  it("is offered to admins while the viewer is on, and to no one else", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin" });
    const manager = await insertUser(db, { role: "manager" });
    expect((await shellFor(admin)).mailViewer).toBe(true);
    expect((await shellFor(manager)).mailViewer).toBe(false);
    vi.stubEnv("MAIL_VIEWER", "false");
    expect((await shellFor(admin)).mailViewer).toBe(false);
  });
});

describe("one message /dev/outbox/:messageId", () => {
  it("returns the envelope, every header, the HTML and the plain text", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const [message] = await insertMail([
      {
        kind: "invitation",
        toAddress: "dana@acme.example",
        fromAddress: "Acme account team <surveys@rapport.test>",
        replyTo: "owner@rapport.test",
        subject: "How is our relationship, really?",
        html: '<html><head><title>x</title></head><body><a href="http://localhost:3000/s/abc">Start</a></body></html>',
        text: "Start: http://localhost:3000/s/abc",
        headers: {
          "List-Unsubscribe": "<http://localhost:3000/u/abc>",
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
      },
    ]);

    const response = await loadMessage(admin, message!.id);
    expect(response.status).toBe(200);
    const { message: shown } = await response.json();
    expect(shown).toMatchObject({
      id: message!.id,
      fromAddress: "Acme account team <surveys@rapport.test>",
      toAddress: "dana@acme.example",
      replyTo: "owner@rapport.test",
      subject: "How is our relationship, really?",
      status: "pending",
      html: message!.html,
      text: "Start: http://localhost:3000/s/abc",
    });
    expect(shown.headers).toEqual([
      { name: "List-Unsubscribe", value: "<http://localhost:3000/u/abc>" },
      { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
    ]);
  });

  it("answers 404 for an unknown id and for a malformed one", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    await insertMail([{}]);
    for (const id of [randomUUID(), "not-a-uuid", "1; drop table outbox", "%00", ""]) {
      const response = await loadMessage(admin, id);
      expect(response.status, JSON.stringify(id)).toBe(404);
    }
  });
});
