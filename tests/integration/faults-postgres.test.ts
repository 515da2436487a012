/**
 * The app as a real process (`npm start`'s command) on a Postgres of this file's own, while
 * the database restarts under it and while the process itself is killed: it reconnects, no
 * answer it confirmed is lost, no email goes out twice, and nothing is ever half-written.
 */
import { randomBytes } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answers, contacts, invitations, invitationTokens, outbox, responses } from "../../db/schema";
import {
  insertAccount,
  insertCampaign,
  insertContact,
  insertSurveyVersionFromFile,
  insertUser,
  sha256Hex,
} from "../../db/factories";
import { startApp, type AppProcess } from "../support/app-process";
import { RELATIONSHIP_RATINGS } from "../support/answers";
import { startFakeResend, type FakeResend } from "../support/fake-resend";
import {
  connectOwnDb,
  sendJobTo,
  startOwnPostgres,
  statusOf,
  waitUntil,
  type OwnDb,
  type OwnPostgres,
} from "../support/faults";
import { SEND_CAMPAIGN_JOB, startCampaign } from "~/domain/campaign-send.server";
import { findFreePort } from "~/lib/embedded-postgres.server";
import { RESEND_BATCH_LIMIT } from "~/lib/email.server";

/** Three batches: the restart comes while Resend holds the answer to the first. */
const RECIPIENTS = 300;
/** How long the app may take to notice the database is back and finish what it was doing. */
const RECOVERY_MS = 60_000;
/** Start-up, including the production build `npm start` makes when build/ is stale. */
const APP_START_MS = 240_000;
const COMPLETE_ANSWERS = { ...RELATIONSHIP_RATINGS, one_change: "Fewer surprises at renewal." };

let pg: OwnPostgres;
let own: OwnDb;
let resend: FakeResend;
let app: AppProcess | undefined;
let base: string;
let appEnv: Record<string, string>;

beforeAll(async () => {
  pg = await startOwnPostgres("faults");
  own = connectOwnDb(pg.url);
  resend = await startFakeResend();
  const port = await findFreePort();
  base = `http://127.0.0.1:${port}`;
  appEnv = {
    DATABASE_URL: pg.url,
    PORT: String(port),
    HOST: "127.0.0.1",
    RESEND_API_KEY: "re_test",
    RESEND_BASE_URL: resend.url,
    // the sender need not wait out Resend's default 2 requests a second
    RESEND_REQUESTS_PER_SECOND: "50",
    SEED_DEMO: "false",
  };
  app = await runApp();
  // npm start first rebuilds the app when its sources are newer than build/ (not in CI, which builds first)
}, APP_START_MS);

afterAll(async () => {
  await stopApp();
  await own?.close();
  await resend?.close();
  await pg?.dispose();
});

async function runApp(): Promise<AppProcess> {
  const started = startApp(appEnv);
  await started.waitFor(/Press Ctrl-C to stop/);
  return started;
}

async function stopApp() {
  if (app && app.child.exitCode === null && app.child.signalCode === null) {
    app.child.kill("SIGKILL");
    await app.exited;
  }
  app = undefined;
}

function appRunning() {
  return app !== undefined && app.child.exitCode === null && app.child.signalCode === null;
}

function output() {
  return app?.output() ?? "(no app running)";
}

/** A launched campaign to RECIPIENTS contacts, three an account (the default ask budget). */
async function launchedCampaign() {
  const owner = await insertUser(own.db, {
    name: "Maya Chen",
    email: "maya@vendor.test",
    passwordHash: null,
  });
  const accountIds: string[] = [];
  const addresses: string[] = [];
  for (let i = 0; i < RECIPIENTS; i++) {
    if (i % 3 === 0) accountIds.push((await insertAccount(own.db, { ownerId: owner.id })).id);
    const address = `person-${i + 1}@customer-${accountIds.length}.test`;
    await insertContact(own.db, { accountId: accountIds.at(-1), email: address });
    addresses.push(address);
  }
  const campaign = await insertCampaign(own.db, { createdById: owner.id, audience: { accountIds } });
  expect(await startCampaign(own.db, campaign.id)).toMatchObject({ status: "done" });
  return { campaign, addresses };
}

/** `n` open survey links, each to a contact of its own; returns their tokens. */
async function openLinks(n: number): Promise<string[]> {
  const version = await insertSurveyVersionFromFile(own.db, "relationship-health");
  const account = await insertAccount(own.db);
  const tag = randomBytes(4).toString("hex");
  const made = await own.db
    .insert(contacts)
    .values(
      Array.from({ length: n }, (_, i) => ({
        accountId: account.id,
        name: `Customer ${i + 1}`,
        email: `customer-${tag}-${i + 1}@example.test`,
      })),
    )
    .returning({ id: contacts.id });
  const invited = await own.db
    .insert(invitations)
    .values(made.map((c) => ({ contactId: c.id, surveyVersionId: version.id, status: "sent" as const })))
    .returning({ id: invitations.id });
  const tokens = invited.map(() => randomBytes(24).toString("base64url"));
  await own.db
    .insert(invitationTokens)
    .values(invited.map((inv, i) => ({ tokenHash: sha256Hex(tokens[i]!), invitationId: inv.id })));
  return tokens;
}

interface Answered {
  /** The HTTP status, or null when no answer came (the connection failed). */
  status: number | null;
  body: string;
}

async function submit(token: string): Promise<Answered> {
  try {
    const response = await fetch(`${base}/s/${token}/submit`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: COMPLETE_ANSWERS }),
      signal: AbortSignal.timeout(60_000),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: null, body: String(error) };
  }
}

/** What the database holds for each link: the response, its scored answers, the invitation. */
async function storedFor(tokens: readonly string[]) {
  const rows = await own.db
    .select({
      tokenHash: invitationTokens.tokenHash,
      invitationStatus: invitations.status,
      responseId: responses.id,
      isComplete: responses.isComplete,
      data: responses.data,
    })
    .from(invitationTokens)
    .innerJoin(invitations, eq(invitations.id, invitationTokens.invitationId))
    .leftJoin(responses, eq(responses.invitationId, invitations.id))
    .where(
      inArray(
        invitationTokens.tokenHash,
        tokens.map((t) => sha256Hex(t)),
      ),
    );
  const responseIds = rows.flatMap((r) => (r.responseId ? [r.responseId] : []));
  const counted =
    responseIds.length === 0
      ? []
      : await own.db
          .select({ responseId: answers.responseId, n: count() })
          .from(answers)
          .where(inArray(answers.responseId, responseIds))
          .groupBy(answers.responseId);
  const answerCount = new Map(counted.map((c) => [c.responseId, c.n]));
  const byHash = new Map(rows.map((r) => [r.tokenHash, r]));
  return tokens.map((token) => {
    const row = byHash.get(sha256Hex(token));
    return {
      token,
      invitationStatus: row?.invitationStatus ?? null,
      response: row?.responseId
        ? {
            isComplete: row.isComplete,
            data: row.data,
            answers: answerCount.get(row.responseId) ?? 0,
          }
        : null,
    };
  });
}

/** The scored answers one complete submit of COMPLETE_ANSWERS writes (every rating). */
const SCORED_PER_SUBMIT = Object.keys(RELATIONSHIP_RATINGS).length;

/** A complete answer: the response, every scored answer and the completed invitation, together. */
function isStoredComplete(stored: Awaited<ReturnType<typeof storedFor>>[number]) {
  return (
    stored.invitationStatus === "completed" &&
    stored.response?.isComplete === true &&
    isDeepStrictEqual(stored.response.data, COMPLETE_ANSWERS) &&
    stored.response.answers === SCORED_PER_SUBMIT
  );
}

/** Nothing of the submit: no response, no answers, the invitation still waiting. */
function isStoredAbsent(stored: Awaited<ReturnType<typeof storedFor>>[number]) {
  return stored.response === null && stored.invitationStatus === "sent";
}

describe("a Postgres restart", () => {
  it(
    "in the middle of a campaign's send: the app reconnects and every recipient gets exactly one email",
    async () => {
      const { campaign, addresses } = await launchedCampaign();
      // Resend accepts the first batch but its answer waits: the restart comes in between.
      resend.holdResponses();
      await sendJobTo(pg.url, SEND_CAMPAIGN_JOB, { campaignId: campaign.id });
      await waitUntil(
        () => resend.received.length >= RESEND_BATCH_LIMIT,
        RECOVERY_MS,
        () => `Resend got ${resend.received.length} emails:\n${output()}`,
      );

      await pg.stop();
      // the worker hears Resend's answer with its database gone
      resend.releaseResponses();
      expect(await statusOf(`${base}/healthz`), output()).toBe(503);
      await pg.start();

      await waitUntil(
        async () => (await statusOf(`${base}/healthz`)) === 200,
        RECOVERY_MS,
        () => `healthz never came back:\n${output()}`,
      );
      const outboxStatuses = () =>
        own.db
          .select({ status: outbox.status, n: count() })
          .from(outbox)
          .where(eq(outbox.campaignId, campaign.id))
          .groupBy(outbox.status);
      await waitUntil(
        async () =>
          JSON.stringify(await outboxStatuses()) === JSON.stringify([{ status: "sent", n: RECIPIENTS }]),
        RECOVERY_MS,
        async () =>
          `the outbox did not drain (${JSON.stringify(await outboxStatuses())}; Resend got ${resend.received.length}):\n${output()}`,
      );

      const emailsTo = new Map<string, string[]>();
      for (const email of resend.received) {
        for (const to of email.to) emailsTo.set(to, [...(emailsTo.get(to) ?? []), email.id]);
      }
      const notOnce = addresses.filter((a) => emailsTo.get(a)?.length !== 1);
      expect(notOnce).toEqual([]);
      expect(resend.received).toHaveLength(RECIPIENTS);
      const mail = await own.db.select().from(outbox).where(eq(outbox.campaignId, campaign.id));
      const wrong = mail.filter((m) => m.providerMessageId !== emailsTo.get(m.toAddress)?.[0]);
      expect(wrong).toEqual([]);
      const invited = await own.db
        .select({ status: invitations.status })
        .from(invitations)
        .where(eq(invitations.campaignId, campaign.id));
      expect(invited).toHaveLength(RECIPIENTS);
      expect(invited.filter((i) => i.status !== "sent")).toEqual([]);
    },
    3 * RECOVERY_MS,
  );
});

describe("customers submitting answers", () => {
  it(
    "through a Postgres restart: every confirmed answer is stored whole, the rest are told to try again and then go through",
    async () => {
      const tokens = await openLinks(150);
      const outcomes = new Map<string, Answered[]>();
      /** Submits like a person who presses Send again after an error, until it is taken. */
      const customer = async (token: string) => {
        const tries: Answered[] = [];
        outcomes.set(token, tries);
        for (;;) {
          const answered = await submit(token);
          tries.push(answered);
          // 409: an earlier try got through after all (the client counts it as sent)
          if (answered.status === 200 || answered.status === 409 || tries.length >= 100 || !appRunning())
            return;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      };
      // a 409 after an earlier try is that try's success, whose answer the outage swallowed
      const failed = () =>
        [...outcomes.values()].flatMap((tries) =>
          tries.filter((a, i) => a.status !== 200 && !(a.status === 409 && i > 0)),
        );

      // Ten at a time, one link after another: the restart comes in the middle.
      let next = 0;
      const customers = Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next < tokens.length) await customer(tokens[next++]!);
        }),
      );
      await waitUntil(
        () => next >= 40,
        RECOVERY_MS,
        () => "submits do not go through",
      );
      await pg.stop();
      await waitUntil(
        () => failed().length >= 10,
        RECOVERY_MS,
        () => `no submit failed while the database was down:\n${output()}`,
      );
      await pg.start();
      await customers;
      expect(appRunning(), output()).toBe(true);

      // Each failure was an answer, and a clear one: a 503 that asks to try again.
      const failures = failed();
      expect(failures.filter((a) => a.status !== 503 || !a.body.includes("please try again"))).toEqual([]);
      // Every link was taken in the end: the last try is a 200, or a 409 after an earlier
      // try that the database committed but whose answer was lost.
      const unfinished = [...outcomes].filter(([, tries]) => {
        const last = tries.at(-1)!;
        return !(last.status === 200 || (last.status === 409 && tries.length > 1));
      });
      expect(unfinished.map(([token, tries]) => ({ token, tries }))).toEqual([]);

      const stored = await storedFor(tokens);
      expect(stored.filter((s) => !isStoredComplete(s))).toEqual([]);
    },
    3 * RECOVERY_MS,
  );
});

describe("the web process killed", () => {
  it(
    "during 500 concurrent submits: every answer it confirmed is stored whole, none half, and the rest go through after a restart",
    async () => {
      const tokens = await openLinks(500);
      const confirmed = new Set<string>();
      const all = Promise.all(
        tokens.map(async (token) => {
          const answered = await submit(token);
          if (answered.status === 200) confirmed.add(token);
          return answered;
        }),
      );
      await waitUntil(
        () => confirmed.size >= 50,
        RECOVERY_MS,
        () => `only ${confirmed.size} submits were confirmed:\n${output()}`,
      );
      app!.child.kill("SIGKILL");
      await app!.exited;
      const answered = await all;
      // the kill came in the middle: some were confirmed, some never answered
      expect(confirmed.size).toBeGreaterThan(0);
      expect(answered.filter((a) => a.status === null).length).toBeGreaterThan(0);
      expect(answered.filter((a) => a.status !== null && a.status !== 200)).toEqual([]);

      const stored = await storedFor(tokens);
      expect(stored.filter((s) => confirmed.has(s.token) && !isStoredComplete(s))).toEqual([]);
      // what was not confirmed is either all there (committed just before the kill) or not at all
      expect(stored.filter((s) => !isStoredComplete(s) && !isStoredAbsent(s))).toEqual([]);

      app = await runApp();
      // the customers whose answer never came press Send again, ten at a time
      const retrying = stored.filter((s) => !confirmed.has(s.token)).map((s) => s.token);
      const again: (Answered & { token: string })[] = [];
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (let token = retrying.pop(); token; token = retrying.pop()) {
            again.push({ token, ...(await submit(token)) });
          }
        }),
      );
      // a link whose submit was committed before the kill says so (409); the rest are taken now
      expect(again.filter((a) => a.status !== 200 && a.status !== 409)).toEqual([]);
      expect((await storedFor(tokens)).filter((s) => !isStoredComplete(s))).toEqual([]);
    },
    APP_START_MS + 2 * RECOVERY_MS,
  );
});
